//! Imports of a file's rows (a stock feed, a contact list): what happened
//! to each row and how far an import is.
//! Reading the feed is `cartie-parser`'s (`feed`); storing is the store's.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Rows of a feed handled by one job (one part of the report): small
/// enough that a part finishes well within a worker's time limit.
pub const ROWS_PER_PART: usize = 200;

/// Longest name of a feed source ("Autoria export", "dealer-site.xml").
pub const MAX_SOURCE: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Waiting for the worker, or between parts.
    Running,
    /// Every row has its outcome.
    Done,
    /// The feed could not be read any more (deleted, expired): the rows
    /// done so far stay.
    Failed,
}

/// What a file's rows become.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Cars in stock (a dealer's stock feed).
    #[default]
    Stock,
    /// Contacts (a CSV of buyers).
    Contacts,
}

/// What an import did with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// A new car in stock.
    Created,
    /// The car (contact) from an earlier import of this source, or already
    /// known, with new details.
    Updated,
    /// The car (contact) as it was: nothing new in the row.
    Unchanged,
    /// Not imported: `field` and `message` say why.
    Rejected,
}

/// One row of the report. `row` counts the feed's cars from 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RowReport {
    pub row: u32,
    pub outcome: RowOutcome,
    /// The car's key within the source (`vin:…` or `id:…`), once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing_id: Option<String>,
    /// The contact a row of a contact import made or updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    /// The field a rejected row is refused for (`year`, `vin`, `price`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Rows so far, by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportCounts {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub rejected: u32,
}

impl ImportCounts {
    pub fn of(rows: &[RowReport]) -> ImportCounts {
        let mut c = ImportCounts::default();
        for r in rows {
            match r.outcome {
                RowOutcome::Created => c.created += 1,
                RowOutcome::Updated => c.updated += 1,
                RowOutcome::Unchanged => c.unchanged += 1,
                RowOutcome::Rejected => c.rejected += 1,
            }
        }
        c
    }

    pub fn done(&self) -> u32 {
        self.created + self.updated + self.unchanged + self.rejected
    }
}

/// A source's name as its key: trimmed, lower-case, 1 to [`MAX_SOURCE`]
/// characters, so "Autoria " and "autoria" are one source.
pub fn source_key(name: &str) -> Result<String, crate::FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_SOURCE || name.chars().any(char::is_control) {
        return Err(crate::FieldError::new("source", format!("must name the feed's source in 1 to {MAX_SOURCE} characters")));
    }
    Ok(name.to_lowercase())
}
