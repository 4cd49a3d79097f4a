//! Stock feed imports: what a feed holds and the mapping offered for it,
//! starting an import, its progress and per-row report.

use cartie_domain::imports::{ImportCounts, ImportStatus, RowReport};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeedPreviewRequest {
    /// Where the feed comes from ("Autoria export", "my site's XML"): the
    /// mapping is remembered per source.
    pub source: String,
    /// The uploaded feed (`POST /api/files`, purpose `stock_feed`).
    pub file_id: String,
}

/// What a feed holds, with the mapping to import it by: the one
/// remembered for the source, else one guessed from the column names.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeedPreview {
    pub source: String,
    pub columns: Vec<String>,
    /// Car field → column.
    pub mapping: BTreeMap<String, String>,
    /// The mapping is the source's remembered one (not a guess).
    pub remembered: bool,
    /// The currency assumed for rows that state none (remembered).
    pub currency: Option<String>,
    /// How many cars the feed holds.
    pub rows: u32,
    /// The first rows, values in `columns` order.
    pub sample: Vec<Vec<String>>,
    /// The fields a mapping may name (`id` is the source's own id of a car).
    pub fields: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct StartFeedImportRequest {
    pub source: String,
    pub file_id: String,
    /// Car field → column; remembered for the source.
    pub mapping: BTreeMap<String, String>,
    /// ISO code assumed for rows that state no currency.
    #[serde(default)]
    pub currency: Option<String>,
}

/// An import's progress, counts and report (rows in feed order, paged by
/// `?cursor=`).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeedImportView {
    pub id: String,
    pub source: String,
    pub file_name: String,
    pub status: ImportStatus,
    pub total_rows: u32,
    /// Rows with an outcome so far.
    pub done_rows: u32,
    pub counts: ImportCounts,
    /// Why a failed import stopped.
    pub error: Option<String>,
    pub report: Vec<RowReport>,
    pub next_cursor: Option<String>,
    pub created_at: String,
}

impl FeedImportView {
    /// An import (stock feed or contact list) with a page of its report.
    pub fn of(i: cartie_store::imports::StockImport, report: Vec<RowReport>, next_cursor: Option<String>) -> FeedImportView {
        FeedImportView {
            id: i.id,
            source: i.source,
            file_name: i.file_name,
            status: i.status,
            total_rows: i.total_rows,
            done_rows: i.counts.done(),
            counts: i.counts,
            error: i.error,
            report,
            next_cursor,
            created_at: cartie_store::util::rfc3339(i.created_at_ms),
        }
    }
}
