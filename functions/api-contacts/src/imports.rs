//! Contact CSV imports over HTTP: starting one checks the uploaded file
//! (a CSV whose header names a Telegram id, username or phone column) and
//! queues its first part; the jobs worker writes the contacts. The page
//! polls the import for its progress and per-row report.

use cartie_apikit::dto::*;
use cartie_apikit::{json, json_status, ApiError, App, Body, Response, StatusCode};
use cartie_domain::contact_import::{columns, identifies};
use cartie_domain::files::FilePurpose;
use cartie_domain::imports::{ImportCounts, ImportKind, ImportStatus};
use cartie_domain::jobs::Job;
use cartie_parser::feed::read_feed;
use cartie_store::imports::StockImport;
use cartie_store::util;

/// Report parts per page of `GET` (200 rows each).
const PARTS_PER_PAGE: i32 = 5;

pub async fn start(app: &App, ws: &str, by: &str, body: &StartContactImportRequest) -> Result<Response<Body>, ApiError> {
    let f = app.files.file(ws, &body.file_id).await?.ok_or_else(|| ApiError::invalid("file_id", "no such uploaded file in your workspace"))?;
    if f.purpose != FilePurpose::ContactList {
        return Err(ApiError::invalid("file_id", "this file was not uploaded as a contact list"));
    }
    if !f.is_ready() {
        return Err(ApiError::invalid("file_id", "this file has not finished uploading"));
    }
    let table = read_feed(&app.files.read(&f, None).await?).map_err(|e| ApiError::invalid("file_id", e.to_string()))?;
    if !identifies(&columns(&table.columns)) {
        return Err(ApiError::invalid("file_id", "the first row must name a column of Telegram ids, usernames or phones (e.g. telegram_id, username, phone)"));
    }
    let now = util::now_ms();
    let import = StockImport {
        workspace_id: ws.into(),
        id: util::new_id(),
        source: "contacts".into(),
        source_key: "contacts".into(),
        file_id: f.id.clone(),
        file_name: f.name.clone(),
        kind: ImportKind::Contacts,
        mapping: Default::default(),
        currency: None,
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
    app.queues.send("jobs", &Job::ImportContacts { workspace_id: ws.into(), import_id: import.id.clone(), part: 0 }).await?;
    json_status(StatusCode::CREATED, &FeedImportView::of(import, vec![], None))
}

pub async fn get(app: &App, ws: &str, id: &str, query: &FeedImportQuery) -> Result<Response<Body>, ApiError> {
    let from = match query.cursor.as_deref() {
        Some(c) => c.parse::<u32>().map_err(|_| ApiError::invalid("cursor", "must be a next_cursor this import gave"))?,
        None => 0,
    };
    let import = app
        .store
        .stock_import(ws, id)
        .await?
        .filter(|i| i.kind == ImportKind::Contacts)
        .ok_or_else(|| ApiError::not_found("no such import in your workspace").field("import_id"))?;
    let (rows, next) = app.store.import_report(ws, id, from, PARTS_PER_PAGE).await?;
    json(&FeedImportView::of(import, rows, next.map(|n| n.to_string())))
}
