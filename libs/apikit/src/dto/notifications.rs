//! The notification centre's JSON shapes: the list, the bell's counter,
//! and a member's linked Telegram with their per-kind preferences.

use cartie_domain::notify::{Notice, NoticeKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NotificationView {
    /// Used to mark it read.
    pub id: String,
    /// What happened: a `kind` and its `params`. The app writes the text in
    /// the reader's language from these.
    pub notice: Notice,
    /// Where it leads in the app (a path: `/inbox/{conversation}`, ...).
    pub link: String,
    /// When it happened (RFC 3339).
    pub at: String,
    pub read: bool,
    /// A copy went to the member's Telegram.
    pub sent_to_telegram: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NotificationPage {
    /// Newest first.
    pub items: Vec<NotificationView>,
    pub next_cursor: Option<String>,
    /// Unread notifications in all (not only on this page).
    pub unread: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct UnreadCount {
    pub unread: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NotificationBot {
    pub bot_id: i64,
    pub username: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramLinkView {
    /// The workspace's bot that sends to this account.
    pub bot_id: i64,
    /// `None` when that bot has been disconnected since.
    pub bot_username: Option<String>,
    pub telegram_name: String,
    pub telegram_username: Option<String>,
    pub linked_at: String,
    /// Telegram refused to deliver (the bot was blocked or disconnected):
    /// nothing arrives until the member links again.
    pub broken: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramSettings {
    /// The workspace's bots a member can link through.
    pub bots: Vec<NotificationBot>,
    /// The member's linked Telegram account, if any.
    pub link: Option<TelegramLinkView>,
    /// Every kind of notification, in display order.
    pub kinds: Vec<NoticeKind>,
    /// The kinds that also go to Telegram.
    pub telegram: Vec<NoticeKind>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct StartTelegramLinkRequest {
    /// Which of the workspace's bots to link through.
    pub bot_id: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramLinkStart {
    /// `https://t.me/<bot>?start=<one-time token>`: opening it and pressing
    /// Start links the Telegram account.
    pub url: String,
    pub bot_username: String,
    /// The link stops working then (RFC 3339).
    pub expires_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NotificationPreferences {
    /// The kinds that should also go to Telegram; the rest stay in the app.
    pub telegram: Vec<NoticeKind>,
}
