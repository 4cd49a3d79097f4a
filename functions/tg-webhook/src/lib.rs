//! `tg-webhook`: where Telegram delivers a bot's updates. Checks the secret
//! header in constant time, claims the update id (so a retry is never
//! processed twice), puts it on the FIFO updates queue (one group per
//! bot+chat keeps a chat's order) and answers at once; the update worker
//! does the rest.

use cartie_apikit::{authorize, http::no_content, ApiError, App, Body, Function, Request, Response, StatusCode};
use cartie_store::inbox::Claim;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// What the webhook puts on the updates queue.
#[derive(Debug, Serialize, Deserialize)]
pub struct QueuedUpdate {
    pub workspace_id: String,
    pub bot_id: i64,
    pub update_id: i64,
    /// The update exactly as Telegram sent it.
    pub update: serde_json::Value,
}

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize(app, Function::TgWebhook, &req).await {
        Ok(ctx) => ingest(app, ctx.param("bot_id"), &req).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn ingest(app: &App, bot_id: &str, req: &Request) -> Result<Response<Body>, ApiError> {
    let bot_id: i64 = bot_id.parse().map_err(|_| ApiError::not_found("no such bot"))?;
    let route = app.store.bot_route(bot_id).await?.ok_or_else(|| ApiError::not_found("no such bot"))?;
    let given = req.headers().get(SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    let given_hash = hex(&Sha256::digest(given));
    if !bool::from(given_hash.as_bytes().ct_eq(route.secret_sha256.as_bytes())) || given.is_empty() {
        tracing::warn!(bot_id, "webhook call with a wrong secret token");
        return Err(ApiError::unauthenticated("wrong secret token"));
    }
    let body: &[u8] = req.body().as_ref();
    let parsed = cartie_telegram::parse_update(bot_id, body, cartie_store::util::now_ms())
        .map_err(|why| ApiError::bad_request(why).field("body"))?;
    let Some(chat_id) = parsed.chat_id else {
        return no_content(); // nothing Cartie handles: acknowledge so Telegram stops retrying
    };
    let ws = &route.workspace_id;
    match app.store.claim_update(ws, bot_id, parsed.update_id).await? {
        Claim::AlreadyDone => return no_content(),
        Claim::Busy => {
            let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "this update is being processed; retry");
            e.retry_after = Some(5);
            return Err(e);
        }
        Claim::Mine => {}
    }
    let update: serde_json::Value = serde_json::from_slice(body).map_err(|e| ApiError::bad_request(e.to_string()).field("body"))?;
    let queued = QueuedUpdate { workspace_id: ws.clone(), bot_id, update_id: parsed.update_id, update };
    // Group per chat keeps its order; the dedup id makes a repeated send a no-op.
    app.queues
        .send_fifo("updates", &format!("{bot_id}:{chat_id}"), &format!("{bot_id}:{}", parsed.update_id), &queued)
        .await?;
    app.store.mark_update_queued(ws, bot_id, parsed.update_id).await?;
    no_content()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
