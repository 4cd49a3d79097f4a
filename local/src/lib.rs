//! The local runtime: every function's handler behind one HTTP port (routed
//! by the same route table as API Gateway), SQS pollers that call the
//! workers like Lambda event source mappings do, the scheduler's ticker, the
//! built web app, and the demo seed. It runs the same handler code the
//! Lambdas run; nothing here is a second implementation of a route.

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use axum::extract::ConnectInfo;
use axum::response::IntoResponse;
use cartie_apikit::http::ClientIp;
use cartie_apikit::routes::{lookup, Function, Lookup};
use cartie_apikit::{ApiError, App, Body, StatusCode};
use cartie_store::team::{Login, Workspace};
use cartie_store::{util, Store};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// API Gateway's payload limit.
const MAX_BODY: usize = 10 * 1024 * 1024;

/// Calls the function that owns the request's route, as API Gateway would.
pub async fn dispatch(app: &App, req: lambda_http::Request) -> lambda_http::Response<Body> {
    let function = match lookup(req.method(), req.uri().path()) {
        Lookup::Found(route, _) => route.function(),
        Lookup::MethodNotAllowed => {
            return ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this path does not take that method").into_response()
        }
        Lookup::NotFound => return ApiError::not_found("no such route").into_response(),
    };
    match function {
        Function::ApiSystem => api_system::handler(app, req).await,
        Function::ApiAuth => api_auth::handler(app, req).await,
        Function::ApiAdmin => api_admin::handler(app, req).await,
        Function::ApiTeam => api_team::handler(app, req).await,
        Function::ApiTelegram => api_telegram::handler(app, req).await,
        Function::ApiInbox => api_inbox::handler(app, req).await,
        Function::ApiInventory => api_inventory::handler(app, req).await,
        Function::ApiParser => api_parser::handler(app, req).await,
        Function::ApiScenarios => api_scenarios::handler(app, req).await,
        Function::ApiMiniapp => api_miniapp::handler(app, req).await,
        Function::ApiFiles => api_files::handler(app, req).await,
        Function::ApiNotifications => api_notifications::handler(app, req).await,
        Function::ApiContacts => api_contacts::handler(app, req).await,
        Function::ApiCampaigns => api_campaigns::handler(app, req).await,
        Function::ApiCalendar => api_calendar::handler(app, req).await,
        Function::ApiB2b => api_b2b::handler(app, req).await,
        Function::TgWebhook => tg_webhook::handler(app, req).await,
    }
}

/// The whole HTTP surface: `/api/*` through [`dispatch`], everything else
/// from the built web app with `index.html` for deep links.
pub fn router(app: App, web_dir: Option<PathBuf>) -> axum::Router {
    let app_for_tick = app.clone();
    let api = axum::routing::any(move |req: axum::extract::Request| {
        let app = app.clone();
        async move {
            match to_lambda(req).await {
                Ok(req) => to_axum(dispatch(&app, req).await),
                Err(too_large) => too_large,
            }
        }
    });
    let tick_app = app_for_tick.clone();
    let tick = axum::routing::post(move || {
        let app = tick_app.clone();
        async move { tick_now(&app).await }
    });
    let mut r = axum::Router::new().route("/api/{*rest}", api.clone()).route("/tg/{*rest}", api).route("/local/tick", tick);
    if let Some(dir) = web_dir {
        let index = dir.join("index.html");
        r = r.fallback_service(tower_http::services::ServeDir::new(dir).fallback(tower_http::services::ServeFile::new(index)));
    }
    r
}

async fn to_lambda(req: axum::extract::Request) -> Result<lambda_http::Request, axum::response::Response> {
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| to_axum(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "the body is over 10 MB").field("body").into_response()))?;
    let body = if bytes.is_empty() { Body::Empty } else { Body::Binary(bytes.to_vec()) };
    let mut req = http::Request::from_parts(parts, body);
    if let Some(ip) = ip {
        req.extensions_mut().insert(ClientIp(ip));
    }
    Ok(req)
}

fn to_axum(res: lambda_http::Response<Body>) -> axum::response::Response {
    let (parts, body) = res.into_parts();
    let body = match body {
        Body::Empty => axum::body::Body::empty(),
        Body::Text(s) => axum::body::Body::from(s),
        Body::Binary(b) => axum::body::Body::from(b),
        _ => axum::body::Body::empty(),
    };
    axum::response::Response::from_parts(parts, body)
}

/// The queue consumers, as Lambda event source mappings wire them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    /// `jobs` -> worker-jobs
    Jobs,
    /// `updates` (FIFO) -> worker-updates
    Updates,
    /// `campaigns` (FIFO, a group per bot) -> worker-campaigns
    Campaigns,
}

impl Worker {
    fn queue(self) -> &'static str {
        match self {
            Worker::Jobs => "jobs",
            Worker::Updates => "updates",
            Worker::Campaigns => "campaigns",
        }
    }
}

/// One receive -> handle -> delete round on a queue, as Lambda's event
/// source mapping does: messages the handler reports as failed are left to
/// reappear after their visibility timeout (and reach the DLQ after
/// `maxReceiveCount`). Returns how many messages were received.
pub async fn poll_once(app: &App, worker: Worker, wait_secs: i32) -> Result<usize, String> {
    let url = app.queues.url(worker.queue()).await.map_err(|e| e.to_string())?;
    let out = app
        .aws
        .sqs
        .receive_message()
        .queue_url(&url)
        // Lambda takes campaign chunks one per invocation (BatchSize 1), so
        // each bot's sender runs on its own.
        .max_number_of_messages(if worker == Worker::Campaigns { 1 } else { 10 })
        .wait_time_seconds(wait_secs)
        .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::MessageGroupId)
        .send()
        .await
        .map_err(|e| cartie_store::StoreError::aws(e).to_string())?;
    let messages = out.messages.unwrap_or_default();
    if messages.is_empty() {
        return Ok(0);
    }
    let event = sqs_event(&messages);
    let response = handle(app, worker, event).await;
    let failed: HashSet<String> = response.batch_item_failures.into_iter().map(|f| f.item_identifier).collect();
    for m in &messages {
        if failed.contains(m.message_id.as_deref().unwrap_or_default()) {
            continue;
        }
        if let Some(handle) = &m.receipt_handle {
            app.aws.sqs.delete_message().queue_url(&url).receipt_handle(handle).send().await.map_err(|e| cartie_store::StoreError::aws(e).to_string())?;
        }
    }
    Ok(messages.len())
}

/// Received SQS messages as the event Lambda would pass.
pub fn sqs_event(messages: &[aws_sdk_sqs::types::Message]) -> SqsEvent {
    let mut event = SqsEvent::default();
    for m in messages {
        let mut rec = SqsMessage::default();
        rec.message_id = m.message_id.clone();
        rec.receipt_handle = m.receipt_handle.clone();
        rec.body = m.body.clone();
        rec.event_source = Some("aws:sqs".into());
        // Lambda passes the FIFO group as the `MessageGroupId` attribute.
        if let Some(g) = m.attributes.as_ref().and_then(|a| a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::MessageGroupId)) {
            rec.attributes.insert("MessageGroupId".into(), g.clone());
        }
        event.records.push(rec);
    }
    event
}

/// Hands a batch to the worker, as Lambda does.
pub async fn handle(app: &App, worker: Worker, event: SqsEvent) -> aws_lambda_events::event::sqs::SqsBatchResponse {
    match worker {
        Worker::Jobs => worker_jobs::handler(&app.services, event).await,
        Worker::Updates => worker_updates::handler(&app.services, event).await,
        Worker::Campaigns => worker_campaigns::handler(&app.services, event).await,
    }
}

/// Runs a queue's poller until the process ends.
pub async fn poll_forever(app: App, worker: Worker) {
    loop {
        if let Err(e) = poll_once(&app, worker, 1).await {
            tracing::warn!(?worker, error = %e, "poller: receive failed; retrying");
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }
}

/// `POST /local/tick` (the local runtime only, never deployed): runs the
/// scheduler now, as EventBridge's next tick would, and the jobs it queued,
/// so a developer need not wait for the minute.
async fn tick_now(app: &App) -> axum::response::Response {
    let moved = scheduler::move_due(&app.store, &app.queues, util::now_ms()).await;
    match moved {
        Ok(moved) => {
            let mut ran = 0;
            while let Ok(n @ 1..) = poll_once(app, Worker::Jobs, 0).await {
                ran += n;
            }
            axum::Json(serde_json::json!({ "moved": moved, "jobs_run": ran })).into_response()
        }
        Err(e) => to_axum(ApiError::from(e).into_response()),
    }
}

/// Ticks the scheduler every `every` (EventBridge's job on AWS).
pub async fn tick_forever(app: App, every: Duration) {
    let mut interval = tokio::time::interval(every);
    loop {
        interval.tick().await;
        if let Err(e) = scheduler::tick(&app.store, &app.queues).await {
            tracing::warn!(error = %e, "scheduler tick failed");
        }
    }
}

pub const DEMO_EMAIL: &str = "demo@cartie.local";
pub const DEMO_SLUG: &str = "demo-motors";

/// Seeds the demo workspace "Demo Motors" with an owner account, or resets
/// the owner's password if the workspace exists. Returns the password.
pub async fn seed_demo(store: &Store, password: Option<String>) -> Result<String, String> {
    let password = password.unwrap_or_else(|| util::random_token()[..16].to_string());
    let hash = cartie_apikit::auth::hash_password(&password).map_err(|e| e.message)?;
    if store.workspace_by_slug(DEMO_SLUG).await.map_err(|e| e.to_string())?.is_some() {
        store.set_password_hash(DEMO_EMAIL, &hash).await.map_err(|e| e.to_string())?;
        return Ok(password);
    }
    let now = util::now_ms();
    let w = Workspace {
        id: util::new_id(),
        name: "Demo Motors".into(),
        slug: DEMO_SLUG.into(),
        owners: 1,
        created_at_ms: now,
        time_zone: Some("Europe/Kyiv".into()),
    };
    let owner = Login {
        email: DEMO_EMAIL.into(),
        name: "Demo Owner".into(),
        password_hash: hash,
        workspace_id: Some(w.id.clone()),
        superadmin: false,
        created_at_ms: now,
        language: None,
        password_changed_at_ms: None,
    };
    store.create_workspace_with_owner(&w, &owner).await.map_err(|e| e.to_string())?;
    Ok(password)
}

/// Connects a bot to the demo workspace through the real API route (so the
/// webhook is registered exactly as a user's click would).
pub async fn connect_demo_bot(app: &App, demo_password: &str, token: &str) -> Result<(), String> {
    let call = |method: &str, path: &str, auth: Option<String>, body: serde_json::Value| {
        let mut b = http::Request::builder().method(method).uri(path).header("content-type", "application/json");
        if let Some(t) = auth {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        b.body(Body::Text(body.to_string())).map_err(|e| e.to_string())
    };
    let res = dispatch(app, call("POST", "/api/auth/login", None, serde_json::json!({"email": DEMO_EMAIL, "password": demo_password}))?).await;
    let login: serde_json::Value = serde_json::from_slice(res.body().as_ref()).map_err(|e| e.to_string())?;
    let session = login["token"].as_str().ok_or("demo login failed")?.to_string();
    let res = dispatch(app, call("POST", "/api/bots", Some(session), serde_json::json!({"token": token}))?).await;
    if !res.status().is_success() {
        return Err(format!("connecting the demo bot failed: {}", String::from_utf8_lossy(res.body().as_ref())));
    }
    Ok(())
}
