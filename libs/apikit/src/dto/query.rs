//! Query strings of the list routes, declared here so the route table
//! decodes them before a handler runs and OpenAPI lists them.

use crate::http::query::{number, text};
use crate::ApiError;
use serde::Deserialize;
use utoipa::IntoParams;

/// Items per page, when a list takes `?limit=`.
fn limit(given: Option<u32>, default: u32) -> Result<u32, ApiError> {
    match given {
        None => Ok(default),
        Some(n) if (1..=100).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid("limit", "must be a number from 1 to 100")),
    }
}

/// A page of a list: where it starts and how long it is.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    #[serde(default, deserialize_with = "text")]
    pub cursor: Option<String>,
    /// Items per page, 1 to 100.
    #[serde(default, deserialize_with = "number")]
    pub limit: Option<u32>,
}

impl PageQuery {
    pub fn limit(&self, default: u32) -> Result<u32, ApiError> {
        limit(self.limit, default)
    }
}

/// The Inbox list: all bots or one, a tab, a status, unread only; paginated.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ConversationQuery {
    /// Search: the buyer's name, username or phone, or words of the
    /// messages (by prefix; every word must match). Answers the first 100
    /// matches in the tab and status asked, newest first, without a cursor.
    #[serde(default, deserialize_with = "text")]
    pub q: Option<String>,
    /// A bot's id, or `all`.
    #[serde(default, deserialize_with = "text")]
    pub bot_id: Option<String>,
    /// `all` (the default), `mine` or `unassigned`.
    #[serde(default, deserialize_with = "text")]
    pub tab: Option<String>,
    /// `open`, `snoozed`, `resolved`, or `any` (the default).
    #[serde(default, deserialize_with = "text")]
    pub status: Option<String>,
    /// `true`: only conversations with unread messages.
    #[serde(default, deserialize_with = "text")]
    pub unread: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub cursor: Option<String>,
    /// Items per page, 1 to 100.
    #[serde(default, deserialize_with = "number")]
    pub limit: Option<u32>,
}

impl ConversationQuery {
    pub fn limit(&self, default: u32) -> Result<u32, ApiError> {
        limit(self.limit, default)
    }

    /// The tab asked for: `None` for all, else whose conversations.
    pub fn tab(&self) -> Result<Option<Tab>, ApiError> {
        match self.tab.as_deref() {
            None | Some("all") => Ok(None),
            Some("mine") => Ok(Some(Tab::Mine)),
            Some("unassigned") => Ok(Some(Tab::Unassigned)),
            Some(_) => Err(ApiError::invalid("tab", "must be all, mine or unassigned")),
        }
    }

    /// The status asked for, or `None` for any.
    pub fn status(&self) -> Result<Option<cartie_domain::inbox::ConversationStatus>, ApiError> {
        use cartie_domain::inbox::ConversationStatus as S;
        match self.status.as_deref() {
            None | Some("any") => Ok(None),
            Some("open") => Ok(Some(S::Open)),
            Some("snoozed") => Ok(Some(S::Snoozed)),
            Some("resolved") => Ok(Some(S::Resolved)),
            Some(_) => Err(ApiError::invalid("status", "must be open, snoozed, resolved or any")),
        }
    }

    pub fn unread_only(&self) -> Result<bool, ApiError> {
        match self.unread.as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(_) => Err(ApiError::invalid("unread", "must be true or false")),
        }
    }

    /// The one bot asked for, or `None` for all bots.
    pub fn bot(&self) -> Result<Option<i64>, ApiError> {
        match self.bot_id.as_deref().filter(|b| *b != "all") {
            None => Ok(None),
            Some(b) => b.parse().map(Some).map_err(|_| ApiError::invalid("bot_id", "must be a bot id or 'all'")),
        }
    }
}

/// An Inbox tab other than "All".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Assigned to the caller.
    Mine,
    /// Assigned to nobody.
    Unassigned,
}

/// Stock search and filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct InventoryQuery {
    /// Free text: make, model, VIN, description.
    #[serde(default, deserialize_with = "text")]
    pub q: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub make: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub model: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub year_min: Option<i32>,
    #[serde(default, deserialize_with = "number")]
    pub year_max: Option<i32>,
    #[serde(default, deserialize_with = "number")]
    pub price_min: Option<i64>,
    #[serde(default, deserialize_with = "number")]
    pub price_max: Option<i64>,
    #[serde(default, deserialize_with = "number")]
    pub mileage_min: Option<i64>,
    #[serde(default, deserialize_with = "number")]
    pub mileage_max: Option<i64>,
    /// available, reserved, sold or draft.
    #[serde(default, deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub cursor: Option<String>,
    /// Items per page, 1 to 100.
    #[serde(default, deserialize_with = "number")]
    pub limit: Option<u32>,
}

impl InventoryQuery {
    pub fn limit(&self, default: u32) -> Result<u32, ApiError> {
        limit(self.limit, default)
    }
}

/// The language of a list of texts.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct LanguageQuery {
    /// `en` (the default) or `uk`.
    #[serde(default)]
    pub lang: Option<cartie_domain::Language>,
}

/// Which saved mapping of a site.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct MappingQuery {
    /// The mapping's path prefix (e.g. `/auto/`); none for the whole site.
    #[serde(default, deserialize_with = "text")]
    pub path_prefix: Option<String>,
}

/// A page of an import's report.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FeedImportQuery {
    /// The `next_cursor` of the previous page.
    #[serde(default, deserialize_with = "text")]
    pub cursor: Option<String>,
}

/// Which published version's analytics.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct AnalyticsQuery {
    /// A version number; the current one when absent.
    #[serde(default, deserialize_with = "number")]
    pub version: Option<u32>,
}

/// The Mini App showcase's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ShowcaseQuery {
    #[serde(default, deserialize_with = "text")]
    pub make: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub q: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub price_max: Option<i64>,
    #[serde(default, deserialize_with = "number")]
    pub year_min: Option<i32>,
    #[serde(default, deserialize_with = "text")]
    pub cursor: Option<String>,
}

/// The contact list's search, filters and page.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ContactQuery {
    /// Free text: name, username or phone (words match by prefix).
    #[serde(default, deserialize_with = "text")]
    pub q: Option<String>,
    /// Only contacts who wrote to this bot (its id).
    #[serde(default, deserialize_with = "number")]
    pub bot_id: Option<i64>,
    #[serde(default, deserialize_with = "text")]
    pub tag: Option<String>,
    /// Telegram's language: `uk`, `en`, ...
    #[serde(default, deserialize_with = "text")]
    pub language: Option<String>,
    /// `true` or `false`: blocked the bot (`bot_id`), or any bot.
    #[serde(default, deserialize_with = "text")]
    pub blocked: Option<String>,
    /// `true` or `false`: sent /stop to the bot (`bot_id`), or any bot.
    #[serde(default, deserialize_with = "text")]
    pub unsubscribed: Option<String>,
    /// Wrote within this many days (1 to 3650).
    #[serde(default, deserialize_with = "number")]
    pub active_days: Option<u32>,
    /// Came from this deep link (the payload of their first `/start`, or `miniapp`).
    #[serde(default, deserialize_with = "text")]
    pub source: Option<String>,
    /// A scenario variable's name, compared by `var_op` with `var_value`.
    #[serde(default, deserialize_with = "text")]
    pub var: Option<String>,
    /// `eq`, `ne`, `contains`, `gt`, `lt`, `set` (the default), `unset`.
    #[serde(default, deserialize_with = "text")]
    pub var_op: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub var_value: Option<String>,
    /// `true` or `false`: has an open car request.
    #[serde(default, deserialize_with = "text")]
    pub open_request: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub cursor: Option<String>,
    /// Items per page, 1 to 100.
    #[serde(default, deserialize_with = "number")]
    pub limit: Option<u32>,
}

impl ContactQuery {
    pub fn limit(&self, default: u32) -> Result<u32, ApiError> {
        limit(self.limit, default)
    }
}

/// `true` / `false` of a query parameter, or its error.
pub fn flag(field: &str, v: Option<&str>) -> Result<Option<bool>, ApiError> {
    match v {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::invalid(field, "must be true or false")),
    }
}

/// A campaign's recipients: `?outcome=` (pending, sent, failed, blocked,
/// unknown) and paging (a page holds up to `limit` chunks' worth of
/// matches, so a page may be shorter than `limit` and still have a next).
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct RecipientQuery {
    #[serde(default, deserialize_with = "text")]
    pub outcome: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub cursor: Option<String>,
    /// Chunks of 100 recipients per page, 1 to 10 (default 2).
    #[serde(default, deserialize_with = "number")]
    pub limit: Option<u32>,
}

/// The calendar's range: posts due (or posted) from `from` to `to`
/// (RFC 3339, at most 62 days apart; default: this month around now),
/// optionally of one channel and one status.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PostQuery {
    #[serde(default, deserialize_with = "text")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub to: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub channel_id: Option<String>,
    /// `draft` lists the drafts (no time yet).
    #[serde(default, deserialize_with = "text")]
    pub status: Option<String>,
}
