//! `tg-webhook`: where Telegram delivers a bot's updates. Checks the secret
//! header in constant time, claims the update id (so a retry is never
//! processed twice), puts it on the FIFO updates queue (one group per
//! bot+chat keeps a chat's order) and answers at once; the update worker
//! does the rest.
//!
//! Two round trips per update: the claim (a conditional put) and the
//! enqueue. The bot's route is kept warm per instance for at most
//! [`ROUTE_FRESH_MS`], so a disconnected bot stops being accepted within it;
//! a secret that does not match a warm route is checked once more against
//! storage (a bot reconnected meanwhile has a new secret).
//!
//! A duplicate delivery is answered 2xx, never 5xx (Telegram slows down bots
//! whose webhook fails): if a worker took or finished the update, there is
//! nothing to do; if the first delivery is still queueing it — or died right
//! after its claim — this one queues it too, under the same FIFO
//! deduplication id, so it is on the queue once whichever survives (and the
//! worker's own claim keeps it processed once even past SQS's five-minute
//! deduplication window).

use cartie_apikit::ops::WebhookOp;
use cartie_apikit::{authorize, http::no_content, ApiError, App, Body, Request, Response};
use cartie_bot::QueuedUpdate;
use cartie_store::inbox::{BotRoute, Claim};
use cartie_store::util;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use subtle::ConstantTimeEq;

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// How long an instance trusts a bot's route it has read.
pub const ROUTE_FRESH_MS: i64 = 30_000;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<WebhookOp>(app, &req).await {
        Ok(ctx) => match ctx.op {
            WebhookOp::TelegramWebhook { bot_id } => ingest(app, bot_id, &req).await,
        },
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

/// Routes read recently, by bot, with when they were read (the clock's ms).
static ROUTES: LazyLock<Mutex<HashMap<i64, (BotRoute, i64)>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn warm_route(bot_id: i64) -> Option<BotRoute> {
    let now = util::now_ms();
    let routes = ROUTES.lock().ok()?;
    routes.get(&bot_id).filter(|(_, at)| now - at < ROUTE_FRESH_MS && now >= *at).map(|(r, _)| r.clone())
}

async fn read_route(app: &App, bot_id: i64) -> Result<Option<BotRoute>, ApiError> {
    let route = app.store.bot_route(bot_id).await?;
    if let Ok(mut routes) = ROUTES.lock() {
        match &route {
            Some(r) => {
                if routes.len() > 50_000 {
                    routes.clear(); // crude and rare: an instance sees few bots
                }
                routes.insert(bot_id, (r.clone(), util::now_ms()));
            }
            None => {
                routes.remove(&bot_id);
            }
        }
    }
    Ok(route)
}

fn secret_matches(route: &BotRoute, given: &[u8]) -> bool {
    let given_hash = std::str::from_utf8(given).map(util::sha256_hex).unwrap_or_default();
    !given.is_empty() && bool::from(given_hash.as_bytes().ct_eq(route.secret_sha256.as_bytes()))
}

async fn ingest(app: &App, bot_id: i64, req: &Request) -> Result<Response<Body>, ApiError> {
    let given = req.headers().get(SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    let route = match warm_route(bot_id) {
        Some(r) if secret_matches(&r, given) => r,
        _ => match read_route(app, bot_id).await? {
            Some(r) if secret_matches(&r, given) => r,
            Some(_) => {
                tracing::warn!(bot_id, "webhook call with a wrong secret token");
                return Err(ApiError::unauthenticated("wrong secret token"));
            }
            None => return Err(ApiError::not_found("no such bot")),
        },
    };
    let body: &[u8] = req.body().as_ref();
    let (update_id, chat_id) = cartie_telegram::peek_update(body).map_err(|why| ApiError::bad_request(why).field("body"))?;
    let Some(chat_id) = chat_id else {
        return no_content(); // nothing Cartie handles: acknowledge so Telegram stops retrying
    };
    let ws = &route.workspace_id;
    if app.store.claim_update(ws, bot_id, update_id).await? == Claim::AlreadyDone {
        return no_content();
    }
    let text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("the body is not UTF-8").field("body"))?;
    let update = serde_json::value::RawValue::from_string(text.to_owned()).map_err(|e| ApiError::bad_request(e.to_string()).field("body"))?;
    let queued = QueuedUpdate { workspace_id: ws.clone(), bot_id, update_id, update };
    app.queues.send_fifo("updates", &QueuedUpdate::group(bot_id, chat_id), &QueuedUpdate::dedup_id(bot_id, update_id), &queued).await?;
    no_content()
}
