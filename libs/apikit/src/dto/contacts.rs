//! The contacts' JSON shapes: a contact in a list, its page, the dealer's
//! edits and bulk tag changes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a contact reaches the dealer.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactChannelView {
    /// `bot`, `miniapp` or `account` (a connected Telegram user account).
    pub kind: String,
    /// The bot's (or account's) id; none for the Mini App.
    pub id: Option<i64>,
    /// The bot's @username, when it is still connected.
    pub username: Option<String>,
    /// The buyer blocked this bot: nothing sent through it arrives.
    pub blocked: bool,
    /// The buyer sent /stop to this bot: no campaigns through it.
    pub unsubscribed: bool,
    /// The Inbox conversation with this bot (`{bot_id}:{user_id}`).
    pub conversation_id: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactView {
    /// The Telegram user id (the contact's identity in the workspace).
    pub id: String,
    /// The name the dealer sees (theirs if edited, else Telegram's).
    pub name: String,
    /// Telegram's first and last name.
    pub telegram_name: Option<String>,
    pub username: Option<String>,
    pub phone: Option<String>,
    /// Telegram's language (`uk`, `en`, ...).
    pub language: Option<String>,
    /// Where they first came from (a `/start` payload, `miniapp`).
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub channels: Vec<ContactChannelView>,
    pub first_seen_at: Option<String>,
    /// False for a contact known only from an import: no bot can write
    /// to them until they start one.
    /// They asked for no offers from any of the dealer's bots (`/stop`,
    /// then "from all bots"), until a `/start`.
    pub unsubscribed_all: bool,
    pub reachable: bool,
    pub last_active_at: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactPage {
    pub items: Vec<ContactView>,
    /// More may match: pass it as `?cursor=`. A page may be short (even
    /// empty) while a cursor remains: each page reads one bounded slice of
    /// an index and filters it.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactDetail {
    pub contact: ContactView,
    /// What the bot scenarios collected (`make`, `budget`, ...).
    pub variables: std::collections::BTreeMap<String, String>,
    /// Their open car requests, newest first.
    pub requests: Vec<super::CarRequestView>,
    /// Other contacts that may be the same person (the same phone, or an
    /// imported contact's username), to merge.
    pub duplicates: Vec<ContactView>,
    /// Cars they showed interest in from the Mini App, newest first.
    pub interests: Vec<ContactInterestView>,
    /// What happened with them, newest first: first contact, Mini App
    /// interests, requests, last activity.
    pub timeline: Vec<TimelineEvent>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactInterestView {
    pub listing_id: String,
    /// "2020 BMW X5" as the car was when they asked.
    pub title: String,
    pub at: String,
}

/// One entry of a contact's timeline.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TimelineEvent {
    pub at: String,
    pub kind: TimelineKind,
    /// What it was about: the deep link, the car, the request's make and
    /// model (as stored; the page words the event).
    pub detail: Option<String>,
    /// The car or request it is about, for a link.
    pub ref_id: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// First seen (with the deep link they came from).
    FirstSeen,
    /// "I'm interested" in a car from the Mini App.
    Interest,
    /// A car request was created for them.
    Request,
    /// Their latest message.
    LastActive,
}

/// A change on the contact page; absent fields stay as they are.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct UpdateContactRequest {
    /// The dealer's name for them; null goes back to Telegram's name.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// A phone number (stored in E.164); null clears it.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// The whole tag list (replaces the old one).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

/// Tags added to and removed from a selection of contacts.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TagContactsRequest {
    /// Contact ids (at most 100).
    pub ids: Vec<String>,
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub remove: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TagContactsResult {
    /// How many of the selected contacts were changed.
    pub changed: usize,
}

/// A segment's or an export's filter: the domain's audience as it is.
pub use cartie_domain::segments::Audience as SegmentFilter;

/// A saved filter of contacts: the audience a campaign sends to.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SegmentView {
    pub id: String,
    pub name: String,
    pub filter: SegmentFilter,
    /// How many contacts matched when last counted; none before the first
    /// count is done.
    pub count: Option<u64>,
    /// The moment `count` was true of.
    pub counted_at: Option<String>,
    /// A count is under way (the jobs worker makes it, off the request path).
    pub counting: bool,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SegmentList {
    pub items: Vec<SegmentView>,
    /// The most segments a workspace keeps.
    pub max: usize,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewSegmentRequest {
    /// 1-60 characters.
    pub name: String,
    #[serde(default)]
    pub filter: SegmentFilter,
}

/// A change to a segment; absent fields stay. A new filter starts a new count.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct UpdateSegmentRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub filter: Option<SegmentFilter>,
}

/// A CSV of the contacts a filter holds (the list's filters, without the
/// search text).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactExportRequest {
    #[serde(default)]
    pub filter: SegmentFilter,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactExportView {
    pub id: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// Contacts written so far (all of them once done).
    pub rows: u64,
    pub file_name: String,
    /// A short-lived link to the file, once done (ask again for a new one;
    /// the file is kept a week).
    pub download_url: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct StartContactImportRequest {
    /// The uploaded CSV (`POST /api/files`, purpose `contact_list`). Its
    /// header names the columns: `telegram_id`, `username`, `phone`,
    /// `name` (or `first_name`, `last_name`), `tags`, `language`, in
    /// English or Ukrainian; any other column becomes a variable.
    pub file_id: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MergeContactRequest {
    /// The other contact's id: it is folded into this one (or this one into
    /// it, when only it has chats) and erased.
    pub other_id: String,
}

/// Tag every contact a filter holds (not only a selection).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TagByFilterRequest {
    /// The list's filters (as a segment keeps them).
    #[serde(default)]
    pub filter: cartie_domain::segments::Audience,
    /// The list's search text, if any.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub remove: Vec<String>,
}

/// A "tag everyone matching" job: written in the background; poll it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct BulkTagView {
    pub id: String,
    pub done: bool,
    /// Contacts the filter held so far (all of them once done).
    pub seen: u64,
    /// How many of them this changed.
    pub changed: u64,
    pub add: Vec<String>,
    pub remove: Vec<String>,
    pub created_at: String,
}

impl From<&cartie_store::bulk_tags::BulkTag> for BulkTagView {
    fn from(b: &cartie_store::bulk_tags::BulkTag) -> BulkTagView {
        BulkTagView {
            id: b.id.clone(),
            done: b.done,
            seen: b.seen,
            changed: b.changed,
            add: b.add.iter().cloned().collect(),
            remove: b.remove.iter().cloned().collect(),
            created_at: cartie_store::util::rfc3339(b.created_at_ms),
        }
    }
}
