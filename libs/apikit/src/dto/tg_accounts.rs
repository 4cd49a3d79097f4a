//! Telegram user accounts: the dealer's own accounts the MTProto host keeps
//! online, their login steps and followed channels.

pub use cartie_domain::tg_accounts::AccountState as TelegramAccountState;
use cartie_domain::tg_accounts::{FollowedChannel, TelegramAccount};
use cartie_store::util;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConnectTelegramAccountRequest {
    /// With the country code: `+380 50 123 45 67`.
    pub phone: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramCodeRequest {
    /// The digits Telegram sent to the account's Telegram app.
    pub code: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramPasswordRequest {
    /// The two-step verification password; sealed on its way to the host
    /// and never stored.
    pub password: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramChannelSourceRequest {
    /// New posts of this channel become draft cars.
    pub source: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramAccountView {
    pub id: String,
    pub phone: String,
    pub first_name: Option<String>,
    pub username: Option<String>,
    /// Known once logged in; the Inbox line of its conversations.
    pub tg_user_id: Option<i64>,
    pub state: TelegramAccountState,
    /// Shown above the password field when `awaiting_password`.
    pub password_hint: Option<String>,
    /// RFC 3339, when `flood_wait`.
    pub flood_wait_until: Option<String>,
    pub last_error: Option<String>,
    pub state_changed_at: String,
    pub created_at: String,
    /// Channels whose posts become draft cars.
    pub sources: u32,
}

impl From<&TelegramAccount> for TelegramAccountView {
    fn from(a: &TelegramAccount) -> TelegramAccountView {
        TelegramAccountView {
            id: a.id.clone(),
            phone: a.phone.clone(),
            first_name: a.first_name.clone(),
            username: a.username.clone(),
            tg_user_id: a.tg_user_id,
            state: a.state,
            password_hint: a.password_hint.clone(),
            flood_wait_until: a.flood_wait_until_ms.map(util::rfc3339),
            last_error: a.last_error.clone(),
            state_changed_at: util::rfc3339(a.state_changed_at_ms),
            created_at: util::rfc3339(a.created_at_ms),
            sources: a.sources,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramAccountList {
    pub items: Vec<TelegramAccountView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TelegramChannelKind {
    Channel,
    Group,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramChannelView {
    pub id: i64,
    pub title: String,
    pub username: Option<String>,
    pub kind: TelegramChannelKind,
    pub source: bool,
}

impl From<&FollowedChannel> for TelegramChannelView {
    fn from(c: &FollowedChannel) -> TelegramChannelView {
        TelegramChannelView {
            id: c.id,
            title: c.title.clone(),
            username: c.username.clone(),
            kind: if c.group { TelegramChannelKind::Group } else { TelegramChannelKind::Channel },
            source: c.source,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TelegramChannelList {
    pub items: Vec<TelegramChannelView>,
}
