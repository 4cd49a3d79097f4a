//! Control routes under `/sandbox/` (JSON) and the chat page.

use axum::{
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{Sandbox, UserMessage};

fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(json!({"error": msg.into()}))).into_response()
}

fn no_bot(bot_id: i64) -> Response {
    error(StatusCode::NOT_FOUND, format!("no bot {bot_id}"))
}

pub(crate) async fn page() -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(include_str!("page.html"))).into_response()
}

pub(crate) async fn list_bots(State(sb): State<Sandbox>) -> Json<Value> {
    let st = sb.lock();
    let bots: Vec<Value> = st
        .bots
        .values()
        .map(|b| {
            json!({
                "id": b.info.id,
                "token": b.info.token,
                "username": b.info.username,
                "first_name": b.info.first_name,
                "webhook_url": b.webhook.as_ref().map(|w| w.url.clone()),
                "per_second": b.per_second,
                "chat_burst": b.chat_burst,
                "chat_per_second": b.chat_per_second,
                "paid_eligible": b.paid_eligible,
                "paid_per_second": b.paid_per_second,
                "chats": b.chats.len(),
                "menu_button": b.menu_default.clone(),
            })
        })
        .collect();
    Json(Value::Array(bots))
}

#[derive(Deserialize)]
pub(crate) struct NewBot {
    username: String,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    token: Option<String>,
}

pub(crate) async fn create_bot(State(sb): State<Sandbox>, Json(b): Json<NewBot>) -> Response {
    let username = b.username.trim().trim_start_matches('@').to_owned();
    if username.is_empty() || !username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return error(StatusCode::BAD_REQUEST, "username: letters, digits and _ only");
    }
    let first_name = b.first_name.filter(|f| !f.trim().is_empty()).unwrap_or_else(|| username.clone());
    match b.token {
        Some(t) => match sb.create_bot_with_token(&username, &first_name, &t) {
            Ok(info) => (StatusCode::CREATED, Json(info)).into_response(),
            Err(e) => error(StatusCode::BAD_REQUEST, e),
        },
        None => (StatusCode::CREATED, Json(sb.create_bot(&username, &first_name))).into_response(),
    }
}

pub(crate) async fn user_sends(State(sb): State<Sandbox>, Path(bot_id): Path<i64>, Json(msg): Json<UserMessage>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    match sb.user_sends(bot_id, msg).await {
        Ok(d) => Json(d).into_response(),
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

#[derive(Deserialize)]
pub(crate) struct OutboxQuery {
    chat_id: Option<i64>,
}

pub(crate) async fn outbox(State(sb): State<Sandbox>, Path(bot_id): Path<i64>, Query(q): Query<OutboxQuery>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    Json(sb.outbox(bot_id, q.chat_id)).into_response()
}

#[derive(Deserialize)]
pub(crate) struct Limits {
    per_second: Option<u32>,
    chat_burst: Option<u32>,
    chat_per_second: Option<f64>,
    paid_eligible: Option<bool>,
    paid_per_second: Option<u32>,
}

pub(crate) async fn limits(State(sb): State<Sandbox>, Path(bot_id): Path<i64>, Json(l): Json<Limits>) -> Response {
    let (burst, rate, eligible, paid_rate) = {
        let st = sb.lock();
        let Some(b) = st.bots.get(&bot_id) else { return no_bot(bot_id) };
        (b.chat_burst, b.chat_per_second, b.paid_eligible, b.paid_per_second)
    };
    if let Some(ps) = l.per_second {
        sb.set_rate_limit(bot_id, ps);
    }
    if l.chat_burst.is_some() || l.chat_per_second.is_some() {
        sb.set_chat_rate_limit(bot_id, l.chat_burst.unwrap_or(burst), l.chat_per_second.unwrap_or(rate));
    }
    if l.paid_eligible.is_some() || l.paid_per_second.is_some() {
        sb.set_paid_broadcasts(bot_id, l.paid_eligible.unwrap_or(eligible), l.paid_per_second.unwrap_or(paid_rate));
    }
    let st = sb.lock();
    match st.bots.get(&bot_id) {
        Some(b) => Json(json!({
            "per_second": b.per_second,
            "chat_burst": b.chat_burst,
            "chat_per_second": b.chat_per_second,
            "paid_eligible": b.paid_eligible,
            "paid_per_second": b.paid_per_second,
        }))
        .into_response(),
        None => no_bot(bot_id),
    }
}

#[derive(Deserialize)]
pub(crate) struct Blocked {
    blocked: bool,
}

pub(crate) async fn block(State(sb): State<Sandbox>, Path((bot_id, user_id)): Path<(i64, i64)>, Json(b): Json<Blocked>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    sb.block(bot_id, user_id, b.blocked);
    Json(json!({"bot_id": bot_id, "user_id": user_id, "blocked": b.blocked})).into_response()
}

pub(crate) async fn chats(State(sb): State<Sandbox>, Path(bot_id): Path<i64>) -> Response {
    let st = sb.lock();
    let Some(b) = st.bots.get(&bot_id) else { return no_bot(bot_id) };
    let list: Vec<Value> = b
        .chats
        .iter()
        .map(|(id, c)| {
            json!({
                "chat_id": id,
                "user": c.user,
                "blocked": b.blocked.contains(id),
                "messages": c.entries.len(),
                "last_at_ms": c.entries.last().map(|e| e.at_ms),
            })
        })
        .collect();
    Json(Value::Array(list)).into_response()
}

#[derive(Deserialize)]
pub(crate) struct NewChats {
    users: Vec<crate::UserRef>,
}

/// Buyers who talked to the bot before: their chats exist, nothing is sent.
pub(crate) async fn create_chats(State(sb): State<Sandbox>, Path(bot_id): Path<i64>, Json(n): Json<NewChats>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    match sb.create_chats(bot_id, &n.users) {
        Ok(created) => Json(json!({ "created": created })).into_response(),
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

pub(crate) async fn deliveries(State(sb): State<Sandbox>, Path(bot_id): Path<i64>) -> Response {
    match sb.deliveries(bot_id) {
        Some(d) => Json(d).into_response(),
        None => no_bot(bot_id),
    }
}

pub(crate) async fn reset_deliveries(State(sb): State<Sandbox>, Path(bot_id): Path<i64>) -> Response {
    if !sb.reset_deliveries(bot_id) {
        return no_bot(bot_id);
    }
    match sb.deliveries(bot_id) {
        Some(d) => Json(d).into_response(),
        None => no_bot(bot_id),
    }
}

pub(crate) async fn transcript(State(sb): State<Sandbox>, Path((bot_id, chat_id)): Path<(i64, i64)>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    match sb.transcript(bot_id, chat_id) {
        Some(t) => Json(t).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no chat {chat_id} with bot {bot_id}")),
    }
}

pub(crate) async fn webhook(State(sb): State<Sandbox>, Path(bot_id): Path<i64>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    Json(sb.webhook(bot_id)).into_response()
}

#[derive(Deserialize)]
pub(crate) struct WebAppQuery {
    user_id: i64,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    username: Option<String>,
    /// Epoch seconds; defaults to now (tests pass an old one to see it refused).
    #[serde(default)]
    auth_date: Option<i64>,
}

/// `initData` for this bot's Mini App as opened by a user, so the local
/// stack and tests can open the showcase the way Telegram would.
pub(crate) async fn webapp(State(sb): State<Sandbox>, Path(bot_id): Path<i64>, Query(q): Query<WebAppQuery>) -> Response {
    let user = crate::UserRef {
        id: q.user_id,
        first_name: q.first_name.unwrap_or_else(|| "Buyer".into()),
        last_name: None,
        username: q.username,
        language_code: None,
    };
    match sb.webapp_init_data(bot_id, &user, q.auth_date) {
        Some(d) => Json(json!({ "init_data": d })).into_response(),
        None => no_bot(bot_id),
    }
}

/// `POST /sandbox/api/bots/{bot_id}/channels` (a [`crate::NewChannel`]):
/// 201 with the new channel's [`crate::ChannelInfo`].
pub(crate) async fn create_channel(State(sb): State<Sandbox>, Path(bot_id): Path<i64>, Json(spec): Json<crate::NewChannel>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    match sb.create_channel_with(bot_id, spec) {
        Ok(id) => match sb.channel(id) {
            Some(info) => (StatusCode::CREATED, Json(info)).into_response(),
            None => no_channel(id),
        },
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

fn no_channel(chat_id: i64) -> Response {
    error(StatusCode::NOT_FOUND, format!("no channel {chat_id}"))
}

/// `GET /sandbox/api/bots/{bot_id}/channels`: the channels the bot was ever added to.
pub(crate) async fn bot_channels(State(sb): State<Sandbox>, Path(bot_id): Path<i64>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    Json(sb.bot_channels(bot_id)).into_response()
}

/// `PUT /sandbox/api/bots/{bot_id}/channels/{chat_id}` (a
/// [`crate::ChatMembership`]): adds the bot, changes its rights, or removes it.
pub(crate) async fn set_membership(State(sb): State<Sandbox>, Path((bot_id, chat_id)): Path<(i64, i64)>, Json(m): Json<crate::ChatMembership>) -> Response {
    membership_answer(&sb, bot_id, chat_id, sb.set_channel_membership(chat_id, bot_id, m))
}

/// `DELETE /sandbox/api/bots/{bot_id}/channels/{chat_id}`: the bot is removed (`left`).
pub(crate) async fn remove_from_channel(State(sb): State<Sandbox>, Path((bot_id, chat_id)): Path<(i64, i64)>) -> Response {
    membership_answer(&sb, bot_id, chat_id, sb.remove_from_channel(chat_id, bot_id))
}

fn membership_answer(sb: &Sandbox, bot_id: i64, chat_id: i64, r: Result<(), String>) -> Response {
    if !sb.lock().bots.contains_key(&bot_id) {
        return no_bot(bot_id);
    }
    match (r, sb.channel(chat_id)) {
        (Ok(()), Some(info)) => Json(info).into_response(),
        _ => no_channel(chat_id),
    }
}

/// `GET /sandbox/api/channels/{chat_id}`.
pub(crate) async fn channel(State(sb): State<Sandbox>, Path(chat_id): Path<i64>) -> Response {
    match sb.channel(chat_id) {
        Some(info) => Json(info).into_response(),
        None => no_channel(chat_id),
    }
}

/// `GET /sandbox/api/channels/{chat_id}/posts`: every message, oldest first.
pub(crate) async fn channel_posts(State(sb): State<Sandbox>, Path(chat_id): Path<i64>) -> Response {
    match sb.channel_posts(chat_id) {
        Some(posts) => Json(posts).into_response(),
        None => no_channel(chat_id),
    }
}

fn clock_json(sb: &Sandbox) -> Json<Value> {
    Json(json!({"now": sb.clock_now(), "offset_seconds": sb.clock_offset().as_secs()}))
}

/// `GET /sandbox/api/clock`: `{now, offset_seconds}`.
pub(crate) async fn clock(State(sb): State<Sandbox>) -> Json<Value> {
    clock_json(&sb)
}

#[derive(Deserialize)]
pub(crate) struct Advance {
    seconds: u64,
}

/// `POST /sandbox/api/clock/advance {seconds}`: moves the sandbox clock forward.
pub(crate) async fn advance_clock(State(sb): State<Sandbox>, Json(a): Json<Advance>) -> Json<Value> {
    sb.advance_clock(std::time::Duration::from_secs(a.seconds));
    clock_json(&sb)
}
