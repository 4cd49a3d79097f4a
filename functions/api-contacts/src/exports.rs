//! Contact CSV exports over HTTP: starting one only queues its first step
//! (the jobs worker writes the file off the request path); the page polls
//! the export and, once it is done, gets a short-lived download link.

use cartie_apikit::dto::*;
use cartie_apikit::{json, json_status, ApiError, App, Body, Response, StatusCode};
use cartie_domain::jobs::Job;
use cartie_store::contact_exports::{ContactExport, ExportStatus};
use cartie_store::util;

pub async fn start(app: &App, ws: &str, email: &str, body: &ContactExportRequest) -> Result<Response<Body>, ApiError> {
    let audience = body.filter.clone().checked("filter.")?;
    let exp = ContactExport::new(ws, audience, email);
    app.store.create_contact_export(&exp).await?;
    app.queues.send("jobs", &Job::ExportContacts { workspace_id: ws.into(), export_id: exp.id.clone(), step: 0 }).await?;
    json_status(StatusCode::CREATED, &view(app, &exp).await?)
}

pub async fn get(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let exp = app.store.contact_export(ws, id).await?.ok_or_else(|| ApiError::not_found("no such export").field("export_id"))?;
    json(&view(app, &exp).await?)
}

async fn view(app: &App, e: &ContactExport) -> Result<ContactExportView, ApiError> {
    let download_url = match (&e.status, &e.file_id) {
        (ExportStatus::Done, Some(file_id)) => match app.files.file(&e.workspace_id, file_id).await? {
            Some(f) => Some(app.files.download_url(&f).await?),
            None => None,
        },
        _ => None,
    };
    let status = match e.status {
        ExportStatus::Running => "running",
        ExportStatus::Done => "done",
        ExportStatus::Failed => "failed",
    };
    Ok(ContactExportView {
        id: e.id.clone(),
        status: status.into(),
        rows: e.rows,
        file_name: e.file_name.clone(),
        download_url,
        created_at: util::rfc3339(e.created_at_ms),
    })
}
