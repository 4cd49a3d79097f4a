//! Key design of the single table `cartie` (`PK`, `SK`, both strings) and its
//! access patterns. Read this before adding an item type.
//!
//! Tenant data always lives under `PK = WS#{workspace_id}`, so a query can
//! never reach another workspace by accident: the workspace id comes from the
//! caller's verified token, never from the request path or body.
//!
//! | PK                          | SK                   | item                                   |
//! |-----------------------------|----------------------|----------------------------------------|
//! | `WS#{ws}`                   | `PROFILE`            | workspace profile (name, slug, owners) |
//! | `WS#{ws}`                   | `MEMBER#{email}`     | a member: role, name, joined           |
//! | `WS#{ws}`                   | `INVITE#{invite_id}` | pending invite, TTL `expires_at`       |
//! | `USER#{email}`              | `LOGIN`              | login identity: password hash, ws id   |
//! | `INVITETOKEN#{sha256(tok)}` | `INVITE`             | token -> (ws, invite); TTL             |
//! | `SLUG#{slug}`               | `WORKSPACE`          | slug -> ws (unique slugs, Mini App)    |
//! | `PLATFORM`                  | `WS#{ws}`            | the superadmin's list of workspaces    |
//! | `SYSTEM`                    | `MIGRATIONS`         | migration ledger                       |
//! | `SYSTEM`                    | `HEARTBEAT#{name}`   | last run of a scheduled/queued worker  |
//! | `THROTTLE#{scope}#{key}`    | `WINDOW#{start}`     | login failure counter, TTL             |
//! | `WS#{ws}`                   | `BOTMENU#{bot}`      | a bot's menu (commands, button, keyboard) |
//! | `WS#{ws}`                   | `MINIAPP#{bot}#{user}#{car}#{day}` | one Mini App lead per buyer, car and day (TTL) |
//!
//! Inbox items are described in `inbox.rs`, stock in `inventory.rs`,
//! scenarios and buyers' sessions in `scenarios.rs`, work due later than
//! SQS can delay (`DUE#{minute}`) in `due.rs`.
//!
//! Platform items (`USER`, `INVITETOKEN`, `SLUG`, `PLATFORM`, `SYSTEM`,
//! `THROTTLE`) hold no tenant data beyond a workspace id; they exist because
//! a login or an invite link arrives before anyone knows the workspace.
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
//!
//! `GSI1` (`GSI1PK`, `GSI1SK`) is an overloaded index for access by a second
//! key (it starts empty; later modules write the attributes they need).
//! `expires_at` (epoch seconds) is the TTL attribute; TTL deletes lazily (up
//! to days late, never on moto), so readers compare it themselves.

pub const PROFILE: &str = "PROFILE";
pub const LOGIN: &str = "LOGIN";
pub const SYSTEM: &str = "SYSTEM";
pub const MIGRATIONS: &str = "MIGRATIONS";
pub const PLATFORM: &str = "PLATFORM";
pub const TTL_ATTRIBUTE: &str = "expires_at";

pub fn ws(ws: &str) -> String {
    format!("WS#{ws}")
}
pub fn member(email: &str) -> String {
    format!("MEMBER#{email}")
}
pub fn invite(invite_id: &str) -> String {
    format!("INVITE#{invite_id}")
}
pub fn user(email: &str) -> String {
    format!("USER#{email}")
}
pub fn invite_token(token_hash: &str) -> String {
    format!("INVITETOKEN#{token_hash}")
}
pub fn slug(slug: &str) -> String {
    format!("SLUG#{slug}")
}
pub fn heartbeat(name: &str) -> String {
    format!("HEARTBEAT#{name}")
}
pub fn throttle(scope: &str, key: &str) -> String {
    format!("THROTTLE#{scope}#{key}")
}
