//! `api-system`: health, deep health, version and the OpenAPI document.
//! Public routes only; answers must stay cheap because monitors poll them.

use cartie_apikit::dto::{DeepHealth, Health, HealthCheck, HeartbeatView, Version};
use cartie_apikit::ops::SystemOp;
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_store::util;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<SystemOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<SystemOp>) -> Result<Response<Body>, ApiError> {
    match ctx.op {
        SystemOp::Health {} => json(&Health { status: "ok".into() }),
        SystemOp::HealthDeep {} => deep(app).await,
        SystemOp::Version {} => {
            json(&Version { git_sha: app.build.git_sha.into(), build_time: app.build.build_time.clone(), schema_version: app.build.schema_version })
        }
        SystemOp::Openapi {} => Response::builder()
            .header("content-type", "application/json")
            .body(Body::Text(cartie_apikit::openapi::json()))
            .map_err(|e| ApiError::internal(e.to_string())),
    }
}

/// 200 when DynamoDB and SQS answer and the ledger is at the version this
/// code expects; 503 naming the failing part otherwise. The first generation
/// crash-looped on schema drift; this reports it instead.
async fn deep(app: &App) -> Result<Response<Body>, ApiError> {
    let mut checks = Vec::new();
    let ddb = app.store.ping().await;
    checks.push(HealthCheck {
        name: "dynamodb".into(),
        ok: ddb.is_ok(),
        detail: match &ddb {
            Ok(()) => format!("table {} answers", app.settings.table),
            Err(e) => e.to_string(),
        },
    });
    let sqs = app.queues.url("jobs").await;
    checks.push(HealthCheck {
        name: "sqs".into(),
        ok: sqs.is_ok(),
        detail: match &sqs {
            Ok(_) => "jobs queue answers".into(),
            Err(e) => e.to_string(),
        },
    });
    let expected = app.build.schema_version;
    let (ok, detail) = match app.store.ledger().await {
        Ok(l) if l.version == expected => (true, format!("ledger at version {expected}")),
        Ok(l) if l.version < expected => (false, format!("ledger at version {}, code expects {expected}: run the migrations", l.version)),
        Ok(l) => (false, format!("ledger at version {}, newer than this code ({expected}): an old build is serving", l.version)),
        Err(e) => (false, format!("cannot read the ledger: {e}")),
    };
    checks.push(HealthCheck { name: "migrations".into(), ok, detail });
    let now = util::now_ms();
    let heartbeats = app
        .store
        .heartbeats()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|h| HeartbeatView { name: h.name, at: util::rfc3339(h.at_ms), age_secs: (now - h.at_ms) / 1000, detail: h.detail })
        .collect();
    let healthy = checks.iter().all(|c| c.ok);
    let body = DeepHealth { status: if healthy { "ok" } else { "failing" }.into(), checks, heartbeats };
    json_status(if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, &body)
}
