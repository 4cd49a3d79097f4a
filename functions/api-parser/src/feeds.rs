//! Stock feed imports: preview an uploaded feed with the mapping offered,
//! start an import (the mapping is remembered per source; the rows are
//! imported by `worker-jobs`, a part at a time), read its progress and
//! report. The feed is read again here to refuse a bad file or mapping
//! before anything is queued.

use cartie_apikit::dto::{FeedImportQuery, FeedImportView, FeedPreview, FeedPreviewRequest, StartFeedImportRequest};
use cartie_apikit::{json, json_status, ApiError, App, Body, Response, StatusCode};
use cartie_domain::files::FilePurpose;
use cartie_domain::imports::{source_key, ImportCounts, ImportKind, ImportStatus};
use cartie_domain::jobs::Job;
use cartie_parser::feed::{check_mapping, guess_mapping, read_feed, FeedTable, MAPPED_FIELDS};
use cartie_store::files::StoredFile;
use cartie_store::imports::{FeedSource, StockImport};
use cartie_store::util;

/// Rows shown in a preview.
const SAMPLE_ROWS: usize = 5;
/// Report parts per page of `GET` (200 rows each).
const PARTS_PER_PAGE: i32 = 5;

/// The uploaded feed of this workspace, read into a table.
async fn feed(app: &App, ws: &str, file_id: &str) -> Result<(StoredFile, FeedTable), ApiError> {
    let f = app.files.file(ws, file_id).await?.ok_or_else(|| ApiError::invalid("file_id", "no such uploaded file in your workspace"))?;
    if f.purpose != FilePurpose::StockFeed {
        return Err(ApiError::invalid("file_id", "this file was not uploaded as a stock feed"));
    }
    if !f.is_ready() {
        return Err(ApiError::invalid("file_id", "this file has not finished uploading"));
    }
    let bytes = app.files.read(&f, None).await?;
    let table = read_feed(&bytes).map_err(|e| ApiError::invalid("file_id", e.to_string()))?;
    Ok((f, table))
}

pub async fn preview(app: &App, ws: &str, body: &FeedPreviewRequest) -> Result<Response<Body>, ApiError> {
    let key = source_key(&body.source)?;
    let (_, table) = feed(app, ws, &body.file_id).await?;
    let saved = app.store.feed_source(ws, &key).await?;
    // A remembered mapping fits only if the feed still has its columns.
    let fits = saved.as_ref().filter(|s| check_mapping(&s.mapping, Some(&table.columns)).is_ok());
    let (mapping, remembered) = match fits {
        Some(s) => (s.mapping.clone(), true),
        None => (guess_mapping(&table.columns), false),
    };
    json(&FeedPreview {
        source: body.source.trim().to_string(),
        rows: table.rows.len() as u32,
        sample: table.rows.iter().take(SAMPLE_ROWS).cloned().collect(),
        columns: table.columns,
        mapping,
        remembered,
        currency: saved.and_then(|s| s.currency),
        fields: MAPPED_FIELDS.iter().map(|f| f.to_string()).collect(),
    })
}

pub async fn start(app: &App, ws: &str, by: &str, body: &StartFeedImportRequest) -> Result<Response<Body>, ApiError> {
    let key = source_key(&body.source)?;
    let currency = match body.currency.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(
            cartie_domain::values::currency_iso(c, "")
                .ok_or_else(|| ApiError::invalid("currency", "must be a currency code like EUR, USD or UAH"))?
                .to_string(),
        ),
        None => None,
    };
    let (f, table) = feed(app, ws, &body.file_id).await?;
    check_mapping(&body.mapping, Some(&table.columns))?;
    for needed in ["make", "model", "year", "price"] {
        if !body.mapping.contains_key(needed) {
            return Err(ApiError::invalid(format!("mapping.{needed}"), "choose the column that holds it"));
        }
    }
    if !body.mapping.contains_key("vin") && !body.mapping.contains_key("id") {
        return Err(ApiError::invalid("mapping.id", "choose the column of the VIN or of the source's own id, so importing again updates the cars"));
    }
    let now = util::now_ms();
    let source = body.source.trim().to_string();
    let saved = FeedSource { workspace_id: ws.into(), source: source.clone(), mapping: body.mapping.clone(), currency: currency.clone(), updated_at_ms: now };
    app.store.put_feed_source(ws, &key, &saved).await?;
    let import = StockImport {
        workspace_id: ws.into(),
        id: util::new_id(),
        source,
        source_key: key,
        file_id: f.id.clone(),
        file_name: f.name.clone(),
        kind: ImportKind::Stock,
        mapping: body.mapping.clone(),
        currency,
        status: ImportStatus::Running,
        total_rows: table.rows.len() as u32,
        next_part: 0,
        counts: ImportCounts::default(),
        error: None,
        created_by: by.into(),
        created_at_ms: now,
        updated_at_ms: now,
    };
    app.store.create_stock_import(&import).await?;
    app.queues.send("jobs", &Job::ImportStock { workspace_id: ws.into(), import_id: import.id.clone(), part: 0 }).await?;
    json_status(StatusCode::CREATED, &FeedImportView::of(import, vec![], None))
}

pub async fn get(app: &App, ws: &str, id: &str, query: &FeedImportQuery) -> Result<Response<Body>, ApiError> {
    let from = match query.cursor.as_deref() {
        Some(c) => c.parse::<u32>().map_err(|_| ApiError::invalid("cursor", "must be a next_cursor this import gave"))?,
        None => 0,
    };
    let import =
        app.store.stock_import(ws, id).await?.filter(|i| i.kind == ImportKind::Stock).ok_or_else(|| ApiError::not_found("no such import in your workspace"))?;
    let (rows, next) = app.store.import_report(ws, id, from, PARTS_PER_PAGE).await?;
    json(&FeedImportView::of(import, rows, next.map(|n| n.to_string())))
}
