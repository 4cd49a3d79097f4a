//! Key design of the single table `cartie` (`PK`, `SK`, both strings), its
//! indexes and its access patterns. Every key of every item is built here;
//! read this before adding an item type.
//!
//! Tenant data always lives under a partition that starts with
//! `WS#{workspace_id}`, so a query can never reach another workspace by
//! accident: the workspace id comes from the caller's verified token, never
//! from the request path or body.
//!
//! | PK                                 | SK                                   | item                                   |
//! |------------------------------------|--------------------------------------|----------------------------------------|
//! | `WS#{ws}`                          | `PROFILE`                            | workspace profile (name, slug, owners) |
//! | `WS#{ws}`                          | `MEMBER#{email}`                     | a member: role, name, joined           |
//! | `WS#{ws}`                          | `INVITE#{invite_id}`                 | pending invite, TTL `expires_at`       |
//! | `WS#{ws}`                          | `BOT#{bot}`                          | connected bot (token sealed)           |
//! | `WS#{ws}`                          | `BOTMENU#{bot}`                      | a bot's menu (commands, button, keyboard) |
//! | `WS#{ws}`                          | `CONV#{bot}#{chat}`                  | conversation (GSI1: all bots, GSI2: one) |
//! | `WS#{ws}`                          | `CONTACT#{bot}#{user}`               | a buyer who wrote to a bot             |
//! | `WS#{ws}`                          | `INBOXCOUNT`                         | Inbox counters per view (triage.rs)    |
//! | `WS#{ws}`                          | `CANNED#{shortcut}`                  | a canned reply of the team             |
//! | `WS#{ws}`                          | `CONTACT#{bot}#{user}`               | a buyer who wrote to a bot (source, scenario variables) |
//! | `WS#{ws}`                          | `PERSON#{user}`                      | the contact: one per person (GSI1: by last activity) |
//! | `WS#{ws}#CTAG#{tag}`               | `PERSON#{user}`                      | contacts by tag (keys only)            |
//! | `WS#{ws}#CSEARCH`                  | `{token}#{user}`                     | contact search index (name, username, phone words) |
//! | `WS#{ws}#MSEARCH#{first char}`     | `{word}#{bot}#{chat}`                | Inbox message search: a word some message of that chat has |
//! | `WS#{ws}`                          | `SEGMENT#{id}`                       | a saved contact filter, its count and the count under way |
//! | `WS#{ws}`                          | `CBULKTAG#{id}`                      | tagging every contact of a filter: progress; TTL a week |
//! | `WS#{ws}`                          | `CEXPORT#{id}`                       | a contact CSV export: progress, its file; TTL a week |
//! | `WS#{ws}#CEXPORT#{id}`             | `PART#{step:05}`                     | one part of an export's CSV; TTL a week |
//! | `WS#{ws}`                          | `REQUEST#{id}`                       | a B2B car request                      |
//! | `WS#{ws}`                          | `LISTING#{id}`                       | a car in stock (ULID: newest first)    |
//! | `WS#{ws}`                          | `MAPPING#{domain}[#{path}]`          | a site's saved parser mapping          |
//! | `WS#{ws}`                          | `TGPHOTO#{bot}#{sha256(url)}`        | Telegram's file_id of a car photo      |
//! | `WS#{ws}`                          | `IMPORT#{id}`                        | a stock feed import: progress, counts  |
//! | `WS#{ws}`                          | `FEEDSOURCE#{source}`                | a feed source's remembered column mapping |
//! | `WS#{ws}`                          | `FEEDCAR#{sha256(source, key)}`      | which car a feed's row key made (re-imports update it) |
//! | `WS#{ws}#IMPORT#{id}`              | `PART#{part:05}`                     | the report of one part's rows (200)    |
//! | `WS#{ws}`                          | `FILE#{file_id}`                     | a file in the file store (TTL while pending, for inbox attachments and exports) |
//! | `WS#{ws}`                          | `SCENARIO#{id}`                      | a scenario: draft, revision, version   |
//! | `WS#{ws}`                          | `MINIAPP#{bot}#{user}#{car}#{day}`   | one Mini App lead per buyer/car/day (TTL) |
//! | `WS#{ws}`                          | `TGLINK#{email}`                     | a member's linked Telegram + preferences |
//! | `WS#{ws}`                          | `TGSTAFF#{bot}#{tg_user}`            | that Telegram user is a member (reverse) |
//! | `WS#{ws}`                          | `TGLINKTOKEN#{sha256(tok)}`          | a one-time "Link Telegram" token, TTL  |
//! | `WS#{ws}#UPD#{bot}#{update}`       | `UPD`                                | webhook idempotency record, TTL 24 h   |
//! | `WS#{ws}#CONV#{bot}#{chat}`        | `MSG#{at_ms:013}#{msg_id:010}`       | a message (`MSG#{at}#{dedup}` for a button press) |
//! | `WS#{ws}#CONV#{bot}#{chat}`        | `MSG#{at_ms:013}#note{id}`           | a private note of the team (never sent) |
//! | `WS#{ws}#CONV#{bot}#{chat}`        | `SESSION`                            | the buyer's scenario session + outbox  |
//! | `WS#{ws}#SCENARIO#{id}`            | `V#{version:06}`                     | a published version (JSON), immutable  |
//! | `WS#{ws}#SCENARIO#{id}`            | `STATS#{version:06}#{node}`          | entered / completed counters           |
//! | `WS#{ws}#SCENARIO#{id}`            | `SPLIT#{version:06}#{node}#{branch}` | A/B picks                              |
//! | `WS#{ws}#USER#{email}`             | `NOTE#{at_ms:013}-{hash}`            | a member's notification (GSI1 unread)  |
//! | `WS#{ws}#USER#{email}`             | `NOTECOUNT`                          | the member's unread counter            |
//! | `USER#{email}`                     | `LOGIN`                              | login identity: password hash, ws id   |
//! | `INVITETOKEN#{sha256(tok)}`        | `INVITE`                             | token -> (ws, invite); TTL             |
//! | `RESET#{sha256(tok)}`              | `RESET`                              | a one-time password reset link; TTL    |
//! | `SLUG#{slug}`                      | `WORKSPACE`                          | slug -> ws (unique slugs, Mini App)    |
//! | `TGBOT#{bot}`                      | `ROUTE`                              | webhook route: ws + secret fingerprint |
//! | `PLATFORM`                         | `WS#{ws}`                            | the superadmin's list of workspaces    |
//! | `SYSTEM`                           | `MIGRATIONS`                         | migration ledger                       |
//! | `SYSTEM`                           | `HEARTBEAT#{name}`                   | last run of a scheduled/queued worker  |
//! | `SYSTEM`                           | `SCHEDULER_CURSOR`                   | the last due minute the scheduler moved |
//! | `THROTTLE#{scope}#{key}`           | `WINDOW#{start}`                     | login failure counter, TTL             |
//! | `DUE#{minute}`                     | `JOB#{ws}#{key}`                     | a job due that minute (JSON), TTL      |
//!
//! Platform items (`USER`, `INVITETOKEN`, `RESET`, `SLUG`, `TGBOT`, `PLATFORM`,
//! `SYSTEM`, `THROTTLE`, `DUE`) hold no tenant data beyond a workspace id;
//! they exist because a login, an invite link, a webhook call or a due
//! minute arrives before anyone knows the workspace.
//!
//! Indexes (both overloaded, string keys):
//! - `GSI1` (`GSI1PK`, `GSI1SK`): the Inbox across all bots,
//!   `WS#{ws}#INBOX` / `{last_ms:013}#{bot}#{chat}`, newest first.
//!   Also a member's unread notifications, `WS#{ws}#USER#{email}#UNREAD` /
//!   the notification id (sparse: removed when read).
//!   Also contacts by last activity, `WS#{ws}#CONTACTS` /
//!   `{last_active_ms:013}#{user}`, newest first.
//! - `GSI2` (`GSI2PK`, `GSI2SK`): the Inbox of one bot,
//!   `WS#{ws}#INBOX#{bot}` / the same sort key.
//!
//! Access patterns:
//! 1. Log in: GetItem `USER#{email}/LOGIN`.
//! 2. Authorise a request: GetItem `WS#{ws}/MEMBER#{email}` (the role is read
//!    on every request, so a removal or demotion takes effect at once).
//! 3. Team page: Query `WS#{ws}` begins_with `MEMBER#` / `INVITE#`.
//! 4. Open an invite link: GetItem `INVITETOKEN#{hash}/INVITE`, then the invite.
//! 5. Superadmin workspace list: Query `PLATFORM` begins_with `WS#`.
//! 6. Health: GetItem `SYSTEM/MIGRATIONS`, Query `SYSTEM` begins_with `HEARTBEAT#`.
//! 7. Login throttling: GetItem / UpdateItem ADD on the current window.
//! 8. Webhook: GetItem `TGBOT#{bot}/ROUTE` (kept warm for 30 s per
//!    instance), then a conditional PutItem of the update record.
//! 9. Inbox list: Query GSI1 (or GSI2) newest first, cursor = LastEvaluatedKey;
//!    history: Query `WS#{ws}#CONV#{bot}#{chat}` begins_with `MSG#` newest first.
//!    Inbox views (Mine / Unassigned / All, a status, Unread): the same
//!    Query, the view's conditions checked on the items read, at most 3
//!    reads of 100 per page (short pages carry a cursor); their counts are
//!    GetItem `WS#{ws}/INBOXCOUNT`, moved in the transaction of every write
//!    that changes what they count (see triage.rs). Notes come with the
//!    history; canned replies: Query `WS#{ws}` begins_with `CANNED#`.
//! 10. Stock: Query `WS#{ws}` begins_with `LISTING#`, newest first.
//! 11. Scenarios: Query `WS#{ws}` begins_with `SCENARIO#`; a version is one
//!     GetItem; analytics Query `WS#{ws}#SCENARIO#{id}` begins_with `STATS#{v}`.
//! 12. Scheduler: Query `DUE#{m}` for each minute since its cursor.
//! 13. Files: GetItem `WS#{ws}/FILE#{id}` (an id from a request is only
//!     ever looked up under the caller's workspace); a page of cars
//!     resolves its uploaded photos with one BatchGetItem.
//!
//! S3 object keys of the file store (bucket `CARTIE_FILES_BUCKET`) start
//! with the workspace id too: `{ws}/{file_id}/original` and
//! `{ws}/{file_id}/{variant}` (e.g. `w320.jpg`). They are built from a file
//! record that was read under the caller's workspace, never from request
//! text, so no URL for another workspace's object can be signed.
//!
//! 14. Notifications: Query `WS#{ws}#USER#{email}` begins_with `NOTE#` newest
//!     first; the bell is GetItem `NOTECOUNT` (moved with every write and
//!     read mark); "mark all read" Queries GSI1 `…#UNREAD`; delivery Queries
//!     `WS#{ws}` begins_with `TGLINK#`; a link's `/start` is GetItem
//!     `TGLINKTOKEN#{hash}` and `TGSTAFF#{bot}#{user}` tells a member's own
//!     Telegram from a buyer's.
//! 15. Stock imports: GetItem `IMPORT#{id}` (progress); each feed row is
//!     GetItem `FEEDCAR#{…}` then its car; a part's report is one PutItem and
//!     one conditional UpdateItem of the counters; the report is a Query of
//!     `WS#{ws}#IMPORT#{id}` from `PART#{n}`; a source's mapping is GetItem
//!     `FEEDSOURCE#{source}`.
//!
//! 15. Contacts (`contacts.rs`): one contact is GetItem `PERSON#{user}`; a
//!     list page is ONE indexed Query (GSI1 `WS#{ws}#CONTACTS` by activity,
//!     or `WS#{ws}#CTAG#{tag}`, or `WS#{ws}#CSEARCH` begins_with a word),
//!     at most one BatchGetItem, then a bounded post-filter in code.
//! 16. Segments (`segments.rs`): Query `WS#{ws}` begins_with `SEGMENT#`
//!     (at most 50); one is GetItem; counting is the jobs worker reading
//!     the contact list's pages, off the request path.
//!
//! `expires_at` (epoch seconds) is the TTL attribute; TTL deletes lazily (up
//! to days late, never on moto), so readers compare it themselves.

pub const PROFILE: &str = "PROFILE";
pub const LOGIN: &str = "LOGIN";
pub const SYSTEM: &str = "SYSTEM";
pub const MIGRATIONS: &str = "MIGRATIONS";
pub const SCHEDULER_CURSOR: &str = "SCHEDULER_CURSOR";
pub const PLATFORM: &str = "PLATFORM";
pub const ROUTE: &str = "ROUTE";
/// SK of a slug's pointer to its workspace.
pub const SLUG_TARGET: &str = "WORKSPACE";
/// SK of an invite token's pointer to its invite.
pub const INVITE_TARGET: &str = "INVITE";
pub const UPDATE: &str = "UPD";
pub const SESSION: &str = "SESSION";
pub const TTL_ATTRIBUTE: &str = "expires_at";

// ---- workspace, team, platform ------------------------------------------------

pub fn ws(ws: &str) -> String {
    format!("WS#{ws}")
}
pub fn member(email: &str) -> String {
    format!("MEMBER#{email}")
}
pub const MEMBER_PREFIX: &str = "MEMBER#";
pub fn invite(invite_id: &str) -> String {
    format!("INVITE#{invite_id}")
}
pub const INVITE_PREFIX: &str = "INVITE#";
pub fn user(email: &str) -> String {
    format!("USER#{email}")
}
pub fn invite_token(token_hash: &str) -> String {
    format!("INVITETOKEN#{token_hash}")
}
/// A password reset link's record (a platform item: the link arrives
/// before anyone is logged in).
pub fn password_reset(token_hash: &str) -> String {
    format!("RESET#{token_hash}")
}
pub const PASSWORD_RESET: &str = "RESET";
pub fn slug(slug: &str) -> String {
    format!("SLUG#{slug}")
}
/// The superadmin's entry for a workspace, under `PLATFORM`.
pub fn platform_workspace(ws: &str) -> String {
    format!("WS#{ws}")
}
pub const PLATFORM_WORKSPACE_PREFIX: &str = "WS#";
pub fn heartbeat(name: &str) -> String {
    format!("HEARTBEAT#{name}")
}
pub const HEARTBEAT_PREFIX: &str = "HEARTBEAT#";
pub fn throttle(scope: &str, key: &str) -> String {
    format!("THROTTLE#{scope}#{key}")
}
pub fn throttle_window(start: i64) -> String {
    format!("WINDOW#{start}")
}

// ---- Telegram bots and updates -------------------------------------------------

/// The webhook's route partition of a bot (a platform item).
pub fn bot_route(bot_id: i64) -> String {
    format!("TGBOT#{bot_id}")
}
pub fn bot(bot_id: i64) -> String {
    format!("BOT#{bot_id}")
}
pub const BOT_PREFIX: &str = "BOT#";
pub fn bot_menu(bot_id: i64) -> String {
    format!("BOTMENU#{bot_id}")
}
/// An update's idempotency record (its own partition: written once per
/// update, never queried).
pub fn update(ws: &str, bot_id: i64, update_id: i64) -> String {
    format!("WS#{ws}#UPD#{bot_id}#{update_id}")
}

// ---- Inbox -------------------------------------------------------------------------

pub fn conversation(bot_id: i64, chat_id: i64) -> String {
    format!("CONV#{bot_id}#{chat_id}")
}
/// A conversation's own partition: its messages and its scenario session.
pub fn conversation_pk(ws: &str, bot_id: i64, chat_id: i64) -> String {
    format!("WS#{ws}#CONV#{bot_id}#{chat_id}")
}
/// A message, sorted by Telegram's date then id; a button press has no id
/// of its own and is keyed by its update (`dedup`).
pub fn message(at_ms: i64, message_id: i64, dedup: Option<&str>) -> String {
    match dedup {
        Some(d) => format!("MSG#{at_ms:013}#{d}"),
        None => format!("MSG#{at_ms:013}#{message_id:010}"),
    }
}
pub const MESSAGE_PREFIX: &str = "MSG#";
/// GSI1 partition: the Inbox across all bots.
pub fn inbox(ws: &str) -> String {
    format!("WS#{ws}#INBOX")
}
/// GSI2 partition: the Inbox of one bot.
pub fn inbox_of_bot(ws: &str, bot_id: i64) -> String {
    format!("WS#{ws}#INBOX#{bot_id}")
}
/// GSI1/GSI2 sort key: newest last message first.
pub fn inbox_sort(last_ms: i64, bot_id: i64, chat_id: i64) -> String {
    format!("{last_ms:013}#{bot_id}#{chat_id}")
}
/// A private note in a conversation's timeline (sorted with its messages).
pub fn note(at_ms: i64, id: &str) -> String {
    format!("MSG#{at_ms:013}#note{id}")
}
/// SK of the workspace's Inbox counters.
pub const INBOX_COUNT: &str = "INBOXCOUNT";
/// A canned reply, by its shortcut.
pub fn canned(shortcut: &str) -> String {
    format!("CANNED#{shortcut}")
}
pub const CANNED_PREFIX: &str = "CANNED#";
/// A segment (a saved contact filter), by its id.
pub fn segment(id: &str) -> String {
    format!("SEGMENT#{id}")
}
pub const SEGMENT_PREFIX: &str = "SEGMENT#";
/// A contact CSV export, by its id.
pub fn contact_export(id: &str) -> String {
    format!("CEXPORT#{id}")
}
pub fn contact(bot_id: i64, user_id: i64) -> String {
    format!("CONTACT#{bot_id}#{user_id}")
}
/// A contact: one per person per workspace (the Telegram user id).
pub fn person(user_id: i64) -> String {
    format!("PERSON#{user_id}")
}
pub const PERSON_PREFIX: &str = "PERSON#";
/// GSI1 partition: contacts by last activity.
pub fn contacts_index(ws: &str) -> String {
    format!("WS#{ws}#CONTACTS")
}
/// GSI1 sort key of a contact: newest activity first.
pub fn contacts_sort(last_active_ms: i64, user_id: i64) -> String {
    format!("{last_active_ms:013}#{user_id}")
}
/// The partition of a tag's contacts.
pub fn contact_tag(ws: &str, tag: &str) -> String {
    format!("WS#{ws}#CTAG#{tag}")
}
/// The partition of the contact search index.
pub fn contact_search(ws: &str) -> String {
    format!("WS#{ws}#CSEARCH")
}
/// A search index entry: a token (letters and digits only) and whose it is.
pub fn contact_search_entry(token: &str, user_id: i64) -> String {
    format!("{token}#{user_id}")
}
pub fn request(id: &str) -> String {
    format!("REQUEST#{id}")
}
pub const REQUEST_PREFIX: &str = "REQUEST#";
/// One Mini App lead per buyer, car and day.
pub fn miniapp_lead(bot_id: i64, user_id: i64, listing_id: &str, day: i64) -> String {
    format!("MINIAPP#{bot_id}#{user_id}#{listing_id}#{day}")
}

// ---- stock and parser ----------------------------------------------------------

pub fn listing(id: &str) -> String {
    format!("LISTING#{id}")
}
pub const LISTING_PREFIX: &str = "LISTING#";
pub fn mapping(domain: &str, path_prefix: Option<&str>) -> String {
    match path_prefix {
        Some(p) => format!("MAPPING#{domain}#{p}"),
        None => format!("MAPPING#{domain}"),
    }
}
pub const MAPPING_PREFIX: &str = "MAPPING#";
pub fn stock_import(id: &str) -> String {
    format!("IMPORT#{id}")
}
/// Partition of one import's report parts.
pub fn stock_import_report(ws: &str, id: &str) -> String {
    format!("WS#{ws}#IMPORT#{id}")
}
pub fn import_part(part: u32) -> String {
    format!("PART#{part:05}")
}
pub fn feed_source(source_key: &str) -> String {
    format!("FEEDSOURCE#{source_key}")
}
/// Hashed: a row key is the feed's text (a VIN, the source's own id).
pub fn feed_car(source_key: &str, row_key: &str) -> String {
    format!("FEEDCAR#{}", crate::util::sha256_hex(&format!("{source_key}\n{row_key}")))
}
/// Telegram's `file_id` of a car photo, per bot (a file_id belongs to one bot).
pub fn telegram_photo(bot_id: i64, url_sha256: &str) -> String {
    format!("TGPHOTO#{bot_id}#{url_sha256}")
}

// ---- file store ------------------------------------------------------------------------

pub fn file(file_id: &str) -> String {
    format!("FILE#{file_id}")
}
/// The S3 key of a stored file's bytes as uploaded.
pub fn file_object(ws: &str, file_id: &str) -> String {
    format!("{ws}/{file_id}/original")
}
/// The S3 key of a resized variant (`w320.jpg`, `w1280.jpg`).
pub fn file_variant_object(ws: &str, file_id: &str, variant: &str) -> String {
    format!("{ws}/{file_id}/{variant}")
}

// ---- scenarios -----------------------------------------------------------------------

pub fn scenario(id: &str) -> String {
    format!("SCENARIO#{id}")
}
pub const SCENARIO_PREFIX: &str = "SCENARIO#";
/// A scenario's own partition: versions and counters.
pub fn scenario_pk(ws: &str, id: &str) -> String {
    format!("WS#{ws}#SCENARIO#{id}")
}
pub fn version(v: u32) -> String {
    format!("V#{v:06}")
}
pub const VERSION_PREFIX: &str = "V#";
pub const STATS_PREFIX: &str = "STATS#";
pub const SPLIT_PREFIX: &str = "SPLIT#";
pub fn node_stats(v: u32, node: &str) -> String {
    format!("STATS#{v:06}#{node}")
}
pub fn node_stats_prefix(v: u32) -> String {
    format!("STATS#{v:06}#")
}
pub fn split(v: u32, node: &str, branch: usize) -> String {
    format!("SPLIT#{v:06}#{node}#{branch}")
}
pub fn split_prefix(v: u32) -> String {
    format!("SPLIT#{v:06}#")
}

// ---- work due later ----------------------------------------------------------------

pub fn due_minute(minute: i64) -> String {
    format!("DUE#{minute}")
}
pub fn due_job(ws: &str, key: &str) -> String {
    format!("JOB#{ws}#{key}")
}
pub const DUE_JOB_PREFIX: &str = "JOB#";

// ---- notifications -----------------------------------------------------------------

/// A member's own partition in a workspace: notifications and their counter.
pub fn user_pk(ws: &str, email: &str) -> String {
    format!("WS#{ws}#USER#{email}")
}
pub fn notification(id: &str) -> String {
    format!("NOTE#{id}")
}
pub const NOTIFICATION_PREFIX: &str = "NOTE#";
/// SK of a member's unread counter.
pub const NOTIFICATION_COUNT: &str = "NOTECOUNT";
/// GSI1 partition: a member's unread notifications (sparse).
pub fn unread_notifications(ws: &str, email: &str) -> String {
    format!("WS#{ws}#USER#{email}#UNREAD")
}
pub fn telegram_link(email: &str) -> String {
    format!("TGLINK#{email}")
}
pub const TELEGRAM_LINK_PREFIX: &str = "TGLINK#";
/// Reverse of a link: the Telegram user `tg_user` on `bot_id` is a member.
pub fn telegram_staff(bot_id: i64, tg_user: i64) -> String {
    format!("TGSTAFF#{bot_id}#{tg_user}")
}
pub fn link_token(token_sha256: &str) -> String {
    format!("TGLINKTOKEN#{token_sha256}")
}

/// The message search partition of a word (sharded by its first character,
/// so one busy workspace's words spread over many partitions).
pub fn message_search(ws: &str, word: &str) -> String {
    format!("WS#{ws}#MSEARCH#{}", word.chars().next().unwrap_or('_'))
}
pub fn message_search_entry(word: &str, bot_id: i64, chat_id: i64) -> String {
    format!("{word}#{bot_id}#{chat_id}")
}
