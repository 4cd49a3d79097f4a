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

/// The Inbox list: all bots or one, paginated.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ConversationQuery {
    /// A bot's id, or `all`.
    #[serde(default, deserialize_with = "text")]
    pub bot_id: Option<String>,
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

    /// The one bot asked for, or `None` for all bots.
    pub fn bot(&self) -> Result<Option<i64>, ApiError> {
        match self.bot_id.as_deref().filter(|b| *b != "all") {
            None => Ok(None),
            Some(b) => b.parse().map(Some).map_err(|_| ApiError::invalid("bot_id", "must be a bot id or 'all'")),
        }
    }
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
