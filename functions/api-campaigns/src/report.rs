//! What a campaign did, per recipient (a page filtered by outcome, the
//! whole CSV), and the test send to the caller's own Telegram.

use cartie_apikit::dto::*;
use cartie_apikit::{ApiError, App, Body, Response};
use cartie_domain::campaigns::{personalise, Outcome};
use cartie_domain::csv;
use cartie_store::campaigns::{Campaign, Chunk};
use cartie_store::StoreError;
use cartie_telegram::campaign::{markup, Post};
use cartie_telegram::{Media, TgError};
use std::collections::BTreeMap;

/// Chunks read per CSV query page (DynamoDB's 1 MB page holds more).
const CSV_PAGE: i32 = 100;

fn outcome(raw: Option<&str>) -> Result<Option<Outcome>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .map(Some)
            .ok_or_else(|| ApiError::invalid("outcome", "must be pending, sent, failed, blocked or unknown")),
    }
}

fn rows(chunk: &Chunk, only: Option<Outcome>) -> impl Iterator<Item = CampaignRecipientView> + '_ {
    chunk.recipients.iter().enumerate().filter_map(move |(i, r)| {
        let o = chunk.outcome(i);
        (only.is_none() || only == Some(o)).then(|| CampaignRecipientView {
            user_id: r.chat_id,
            name: r.name.clone(),
            bot_id: chunk.bot_id,
            outcome: o,
            error: chunk.errors.get(&i.to_string()).cloned(),
        })
    })
}

/// One Query of up to `limit` chunks (100 recipients each), filtered.
pub async fn recipients(app: &App, ws: &str, id: &str, q: &RecipientQuery) -> Result<CampaignRecipientPage, ApiError> {
    let only = outcome(q.outcome.as_deref())?;
    let limit = match q.limit {
        None => 2,
        Some(n @ 1..=10) => n,
        Some(_) => return Err(ApiError::invalid("limit", "must be a number from 1 to 10")),
    };
    let page = app.store.chunks(ws, id, limit as i32, q.cursor.as_deref()).await.map_err(|e| match e {
        StoreError::Invalid(_) => ApiError::invalid("cursor", "is not a cursor of this list"),
        other => other.into(),
    })?;
    let items = page.items.iter().flat_map(|c| rows(c, only)).collect();
    Ok(CampaignRecipientPage { items, next_cursor: page.next })
}

/// Every recipient as CSV (name, Telegram id, bot, outcome, reason).
pub async fn csv(app: &App, c: &Campaign) -> Result<Response<Body>, ApiError> {
    let mut out = csv::line(&["name", "telegram_id", "bot_id", "outcome", "reason"]);
    let mut cursor: Option<String> = None;
    loop {
        let page = app.store.chunks(&c.workspace_id, &c.id, CSV_PAGE, cursor.as_deref()).await?;
        for chunk in &page.items {
            for r in rows(chunk, None) {
                out.push_str(&csv::line(&[r.name, r.user_id.to_string(), r.bot_id.to_string(), r.outcome.as_str().to_string(), r.error.unwrap_or_default()]));
            }
        }
        match page.next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    let name: String = c.name.chars().map(|ch| if ch.is_ascii_alphanumeric() || ch == '-' { ch } else { '_' }).collect();
    Response::builder()
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", format!("attachment; filename=\"campaign-{name}.csv\""))
        .body(Body::Text(out))
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// Sends the message to the caller's linked Telegram, through the bot
/// they linked with, filled with their own name.
pub async fn test_send(app: &App, c: &Campaign, email: &str) -> Result<String, ApiError> {
    let link = app
        .store
        .telegram_link(&c.workspace_id, email)
        .await?
        .filter(|l| l.broken_at_ms.is_none())
        .ok_or_else(|| ApiError::conflict("link your Telegram first (Settings → Notifications) to get test sends").field("telegram"))?;
    let bot = app
        .store
        .bot(&c.workspace_id, link.bot_id)
        .await?
        .ok_or_else(|| ApiError::conflict("the bot your Telegram is linked with is gone").field("telegram"))?;
    let token = app.data_key.open(&bot.token_sealed).map_err(ApiError::internal)?;
    let mut files = Vec::with_capacity(c.content.media.len());
    for m in &c.content.media {
        let f = app.files.file(&c.workspace_id, &m.upload_id).await?.ok_or_else(|| ApiError::invalid("content.media", "an uploaded file is gone"))?;
        files.push((m.kind, Media::Upload { bytes: app.files.read(&f, None).await?.into(), file_name: f.name.clone() }));
    }
    let first = link.telegram_name.split_whitespace().next().unwrap_or_default().to_string();
    let vars: BTreeMap<String, String> = [("first_name".to_string(), first), ("name".to_string(), link.telegram_name.clone())].into();
    let post = Post { text: personalise(&c.content.text, &vars, !files.is_empty()), files, markup: markup(&c.content), paid: false };
    app.telegram.send_post(&token, bot.bot_id, link.telegram_user_id, &post).await.map_err(|e| match e {
        TgError::Blocked => ApiError::conflict("you blocked the bot your Telegram is linked with").field("telegram"),
        TgError::RetryAfter(s) => ApiError::new(cartie_apikit::StatusCode::TOO_MANY_REQUESTS, "telegram_busy", format!("Telegram asks to wait {s} s")),
        other => ApiError::new(cartie_apikit::StatusCode::BAD_GATEWAY, "telegram_error", other.to_string()),
    })?;
    Ok(link.telegram_username.map(|u| format!("@{u}")).unwrap_or(link.telegram_name))
}
