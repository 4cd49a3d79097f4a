//! `api-files`: the file store's API. A browser declares an upload
//! (purpose, name, type, size — checked against the purpose's limits),
//! PUTs the bytes straight to S3 through the presigned URL it gets, then
//! completes it: the stored object's size and its type by content (its
//! first bytes, read with a ranged GET) are checked, and the file becomes
//! ready. A car photo's resized variants are then made by the jobs worker.
//! Files are read through short-lived presigned GET links. No file's bytes
//! pass through this function.
//!
//! It is a function of its own because every module that takes files
//! (Inventory's photos, Inbox attachments, the exports other modules
//! write) shares it, and only it may sign uploads (IAM: `s3:PutObject`).
//! Attaching a file to something (a car, a reply) is that module's route;
//! it looks the file up under the caller's workspace like this one does.

use cartie_apikit::dto::{FileStatusView, FileView, StartUploadRequest, UploadTarget, UploadView};
use cartie_apikit::ops::FilesOp;
use cartie_apikit::{authorize, http::no_content, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::files::{check_upload, FilePurpose, Variant};
use cartie_domain::jobs::Job;
use cartie_store::files::{Completion, FileStatus, StoredFile};
use cartie_store::util;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<FilesOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<FilesOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match &ctx.op {
        FilesOp::StartUpload { body } => start(app, &ctx, body).await,
        FilesOp::CompleteUpload { file_id } => complete(app, ws, file_id).await,
        FilesOp::GetFile { file_id } => {
            let f = file(app, ws, file_id).await?;
            json(&view(app, &f).await?)
        }
        FilesOp::DeleteFile { file_id } => {
            let f = file(app, ws, file_id).await?;
            app.files.delete(&f).await?;
            no_content()
        }
    }
}

/// A file of the caller's workspace: another workspace's id is not found
/// here, so nothing can be signed for it.
async fn file(app: &App, ws: &str, id: &str) -> Result<StoredFile, ApiError> {
    app.files.file(ws, id).await?.ok_or_else(|| ApiError::not_found("no such file in your workspace").field("file_id"))
}

async fn start(app: &App, ctx: &Ctx<FilesOp>, body: &StartUploadRequest) -> Result<Response<Body>, ApiError> {
    let name = check_upload(body.purpose, &body.file_name, &body.content_type, body.size)?;
    let (f, target) = app.files.start_upload(ctx.ws()?, body.purpose, &name, &body.content_type, body.size, &ctx.caller()?.email).await?;
    let upload =
        UploadTarget { method: "PUT".into(), url: target.url, headers: target.headers.into_iter().collect(), expires_at: util::rfc3339(target.expires_at_ms) };
    json_status(StatusCode::CREATED, &UploadView { file: view(app, &f).await?, upload })
}

async fn complete(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    // Look it up first: a malformed or foreign id is a 404 naming the file.
    file(app, ws, id).await?;
    let f = match app.files.complete(ws, id).await? {
        Completion::Ready(f) => f,
        Completion::NotUploaded => {
            return Err(
                ApiError::new(StatusCode::CONFLICT, "not_uploaded", "the file's bytes have not arrived: PUT them to the upload URL first").field("file_id")
            )
        }
        Completion::Refused(e) => return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "file_refused", e.message).field(e.field)),
    };
    // Again on every completion until they exist: the job is idempotent, and
    // a lost message must not leave a photo without its variants.
    if f.purpose == FilePurpose::CarPhoto && f.variants.len() < Variant::ALL.len() {
        app.queues.send("jobs", &Job::MakeVariants { workspace_id: ws.into(), file_id: f.id.clone() }).await?;
    }
    json(&view(app, &f).await?)
}

async fn view(app: &App, f: &StoredFile) -> Result<FileView, ApiError> {
    let ready = f.is_ready();
    let (download_url, thumb_url, large_url) = if ready {
        let shows = |v: Variant| f.variants.contains(&v).then_some(v);
        let (thumb, large) = if f.purpose == FilePurpose::CarPhoto {
            (Some(app.files.show_url(f, shows(Variant::Thumb)).await?), Some(app.files.show_url(f, shows(Variant::Large)).await?))
        } else {
            (None, None)
        };
        (Some(app.files.download_url(f).await?), thumb, large)
    } else {
        (None, None, None)
    };
    Ok(FileView {
        id: f.id.clone(),
        purpose: f.purpose,
        name: f.name.clone(),
        content_type: f.content_type.clone(),
        size: f.size,
        status: match f.status {
            FileStatus::Pending => FileStatusView::Pending,
            FileStatus::Ready => FileStatusView::Ready,
        },
        variants: f.variants.clone(),
        created_at: util::rfc3339(f.created_at_ms),
        expires_at: f.expires_at.map(|s| util::rfc3339(s * 1000)),
        download_url,
        thumb_url,
        large_url,
    })
}
