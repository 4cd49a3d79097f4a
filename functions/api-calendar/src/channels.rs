//! Connecting a channel or group to a bot: Telegram is asked what the chat
//! is and what the bot may do there, and the dealer is told what is
//! missing in plain words.

use cartie_apikit::dto::{ChannelList, ChannelView, ConnectChannelRequest};
use cartie_apikit::{json, json_status, ApiError, App, Body, Response, StatusCode};
use cartie_domain::calendar::{PostChannel, SlotTime};
use cartie_store::util;
use cartie_telegram::TgError;

/// A channel as the API shows it, with its next free slot times (`next`).
pub fn view(c: &PostChannel, bot_username: Option<String>, next: &[SlotTime]) -> ChannelView {
    ChannelView {
        id: c.id,
        bot_id: c.bot_id,
        bot_username,
        title: c.title.clone(),
        username: c.username.clone(),
        kind: if c.group { "group".into() } else { "channel".into() },
        rights: c.rights,
        problems: c.rights.problems(),
        connected_at: util::rfc3339(c.connected_at_ms),
        slots: c.slots.clone(),
        slot_time_zone: c.slot_time_zone.clone(),
        next_slots: next.iter().map(crate::slots::view).collect(),
    }
}

pub async fn list(app: &App, ws: &str) -> Result<Response<Body>, ApiError> {
    let bots = app.store.bots(ws).await?;
    let mut items = app.store.post_channels(ws).await?;
    items.sort_by_key(|c| c.title.to_lowercase());
    // The calendar is read once, and only when some channel has slots.
    let busy = if items.iter().any(|c| !c.slots.is_empty()) { Some(crate::slots::Busy::load(app, ws).await?) } else { None };
    let mut out = Vec::with_capacity(items.len());
    for c in &items {
        let next = match &busy {
            Some(b) => b.free(c, None, crate::slots::SHOWN)?,
            None => vec![],
        };
        out.push(view(c, bots.iter().find(|b| b.bot_id == c.bot_id).map(|b| b.username.clone()), &next));
    }
    json(&ChannelList { items: out })
}

pub async fn connect(app: &App, ws: &str, body: &ConnectChannelRequest) -> Result<Response<Body>, ApiError> {
    let chat = body.chat.trim();
    if chat.is_empty() || chat.chars().count() > 64 {
        return Err(ApiError::invalid("chat", "write the channel's @username or its id"));
    }
    let bot = app.store.bot(ws, body.bot_id).await?.ok_or_else(|| ApiError::invalid("bot_id", "no such bot in your workspace"))?;
    let token = app.data_key.open(&bot.token_sealed).map_err(ApiError::internal)?;
    let refused = |e: TgError, what: &str| match e {
        TgError::Refused(m) => ApiError::invalid("chat", format!("{what} ({m})")),
        TgError::InvalidToken => ApiError::invalid("bot_id", "Telegram no longer accepts this bot's token; reconnect the bot"),
        other => ApiError::new(StatusCode::BAD_GATEWAY, "telegram_unreachable", other.to_string()),
    };
    let info = app
        .telegram
        .chat_info(&token, chat)
        .await
        .map_err(|e| refused(e, "Telegram does not know this channel, or the bot is not in it: add the bot to the channel as an administrator first"))?;
    let rights =
        app.telegram.bot_rights(&token, info.id, bot.bot_id, info.group).await.map_err(|e| refused(e, "Telegram did not say what the bot may do there"))?;
    if !rights.post {
        let e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bot_not_admin",
            format!("@{} is not an administrator of {} allowed to post messages: add it in the channel's settings → Administrators", bot.username, info.title),
        );
        return Err(e.field("chat"));
    }
    let existing = app.store.post_channel(ws, info.id).await?;
    let c = PostChannel {
        workspace_id: ws.into(),
        id: info.id,
        bot_id: bot.bot_id,
        title: info.title,
        username: info.username,
        group: info.group,
        rights,
        connected_at_ms: util::now_ms(),
        // Connected again: the slots it had stay.
        slots: existing.as_ref().map(|e| e.slots.clone()).unwrap_or_default(),
        slot_time_zone: existing.and_then(|e| e.slot_time_zone),
    };
    app.store.save_post_channel(&c).await?;
    let next = if c.slots.is_empty() { vec![] } else { crate::slots::Busy::load(app, ws).await?.free(&c, None, crate::slots::SHOWN)? };
    json_status(StatusCode::CREATED, &view(&c, Some(bot.username), &next))
}
