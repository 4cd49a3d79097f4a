//! Segments over HTTP: saved contact filters with their last count. Asking
//! for a count (a new segment, a changed filter, "Count again") only queues
//! its first step; the jobs worker reads the contact list off the request
//! path and the page polls the segment until `counting` is false.

use cartie_apikit::dto::*;
use cartie_apikit::http::no_content;
use cartie_apikit::{json, json_status, ApiError, App, Body, Response, StatusCode};
use cartie_domain::jobs::Job;
use cartie_domain::segments::{self, Audience, MAX_SEGMENTS};
use cartie_store::segments::Segment;
use cartie_store::{util, StoreError};

pub async fn list(app: &App, ws: &str) -> Result<Response<Body>, ApiError> {
    let items = app.store.segments(ws).await?.iter().map(view).collect();
    json(&SegmentList { items, max: MAX_SEGMENTS })
}

pub async fn create(app: &App, ws: &str, email: &str, body: &NewSegmentRequest) -> Result<Response<Body>, ApiError> {
    let name = segments::name("name", &body.name)?;
    let audience = audience(&body.filter)?;
    let seg = Segment::new(ws, name, audience, email);
    app.store.create_segment(&seg).await.map_err(|e| match e {
        StoreError::Invalid(m) => ApiError::invalid("name", m),
        other => other.into(),
    })?;
    start_count(app, &seg).await?;
    json_status(StatusCode::CREATED, &view(&seg))
}

pub async fn get(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    json(&view(&find(app, ws, id).await?))
}

pub async fn update(app: &App, ws: &str, id: &str, body: &UpdateSegmentRequest) -> Result<Response<Body>, ApiError> {
    let name = body.name.as_deref().map(|n| segments::name("name", n)).transpose()?;
    let new_audience = body.filter.as_ref().map(audience).transpose()?;
    let old = find(app, ws, id).await?;
    let mut seg = Segment { name: name.unwrap_or_else(|| old.name.clone()), ..old.clone() };
    let recount = new_audience.as_ref().is_some_and(|a| *a != old.audience);
    if let Some(a) = new_audience {
        seg.audience = a;
    }
    if recount {
        // The old count was of another filter: it is not shown as this one's.
        seg = Segment { count: None, counted_at_ms: None, ..seg.recounted() };
    }
    write(app, &seg).await?;
    let seg = find(app, ws, id).await?;
    if recount {
        start_count(app, &seg).await?;
    }
    json(&view(&seg))
}

pub async fn delete(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    app.store.delete_segment(ws, id).await.map_err(not_found)?;
    no_content()
}

pub async fn recount(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let seg = find(app, ws, id).await?.recounted();
    write(app, &seg).await?;
    let seg = find(app, ws, id).await?;
    start_count(app, &seg).await?;
    json(&view(&seg))
}

/// The filter as the API took it, checked (errors name `filter.<field>`).
fn audience(f: &SegmentFilter) -> Result<Audience, ApiError> {
    Ok(f.clone().checked("filter.")?)
}

async fn find(app: &App, ws: &str, id: &str) -> Result<Segment, ApiError> {
    app.store.segment(ws, id).await?.ok_or_else(|| not_found(StoreError::NotFound))
}

/// Writes over the segment as it was read; a write that came meanwhile
/// wins and this one is refused (409), never merged blindly.
async fn write(app: &App, seg: &Segment) -> Result<(), ApiError> {
    match app.store.replace_segment(seg).await.map_err(not_found)? {
        true => Ok(()),
        false => Err(ApiError::conflict("the segment changed meanwhile; reload it")),
    }
}

async fn start_count(app: &App, seg: &Segment) -> Result<(), ApiError> {
    let job = Job::CountSegment { workspace_id: seg.workspace_id.clone(), segment_id: seg.id.clone(), run: seg.run, step: seg.step };
    app.queues.send("jobs", &job).await?;
    Ok(())
}

fn not_found(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("no such segment").field("segment_id"),
        other => other.into(),
    }
}

fn view(s: &Segment) -> SegmentView {
    SegmentView {
        id: s.id.clone(),
        name: s.name.clone(),
        filter: s.audience.clone(),
        count: s.count,
        counted_at: s.counted_at_ms.map(util::rfc3339),
        counting: s.counting,
        created_by: s.created_by.clone(),
        created_at: util::rfc3339(s.created_at_ms),
    }
}
