//! The Bot API: `/bot{token}/{method}` and `/file/bot{token}/{path}`.

use std::{sync::Arc, time::Instant};

use axum::{
    body::Body,
    extract::{Path, RawQuery, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::{json, Map, Value};
use tokio::sync::Semaphore;

use crate::{
    channels::{self, Access, ChatKind, ChatMembership, PostRec, Target, DELETE_WINDOW_SECS},
    media::{self, Info, MediaKind},
    params::{ok, strip_nulls, ApiErr, Params, Upload},
    state::{now_ms, rand_u64, Notice, Sender, State as World, TranscriptEntry, Webhook, MAX_DOWNLOAD},
    user::{animation_document, as_reply},
    Sandbox, SentMessage,
};

const MAX_TEXT: usize = 4096;
const MAX_CAPTION: usize = 1024;

/// Methods the sandbox answers, lower-cased (Telegram's method names are
/// case-insensitive), with their canonical spelling.
const METHODS: &[&str] = &[
    "getMe",
    "logOut",
    "close",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "getUpdates",
    "sendMessage",
    "sendPhoto",
    "sendVideo",
    "sendAudio",
    "sendVoice",
    "sendDocument",
    "sendAnimation",
    "sendSticker",
    "sendVideoNote",
    "sendMediaGroup",
    "sendChatAction",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "deleteMessage",
    "getChat",
    "getChatMember",
    "getChatAdministrators",
    "pinChatMessage",
    "unpinChatMessage",
    "unpinAllChatMessages",
    "leaveChat",
    "answerCallbackQuery",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setChatMenuButton",
    "getChatMenuButton",
    "getFile",
];

fn canonical(method: &str) -> Option<&'static str> {
    METHODS.iter().copied().find(|m| m.eq_ignore_ascii_case(method))
}

pub(crate) async fn bot_api(
    State(sb): State<Sandbox>,
    Path((token, method)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bot_id = match sb.lock().bot_by_token(&token) {
        Some(b) => b.info.id,
        None => return ApiErr::unauthorized().into_response(),
    };
    let Some(method) = canonical(&method) else {
        return ApiErr::not_found().into_response();
    };
    let p = match Params::read(&headers, query.as_deref(), body).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let result = match method {
        "getUpdates" => get_updates(&sb, bot_id, &p).await,
        _ => call(&sb, bot_id, method, &p),
    };
    match result {
        Ok(v) => ok(v),
        Err(e) => {
            tracing::debug!(bot_id, method, code = e.code, description = %e.description, "bot api error");
            e.into_response()
        }
    }
}

fn call(sb: &Sandbox, bot_id: i64, method: &'static str, p: &Params) -> Result<Value, ApiErr> {
    match method {
        "getMe" => with_bot(sb, bot_id, |b| Ok(b.me_json())),
        "logOut" | "close" => Ok(json!(true)),
        "setWebhook" => set_webhook(sb, bot_id, p),
        "deleteWebhook" => with_bot(sb, bot_id, |b| {
            b.webhook = None;
            if p.bool("drop_pending_updates") {
                b.pending.clear();
            }
            Ok(json!(true))
        }),
        "getWebhookInfo" => with_bot(sb, bot_id, |b| {
            let mut v = json!({
                "url": b.webhook.as_ref().map(|w| w.url.clone()).unwrap_or_default(),
                "has_custom_certificate": false,
                "pending_update_count": if b.webhook.is_some() { 0 } else { b.pending.len() },
            });
            if let (Some(w), Some(o)) = (&b.webhook, v.as_object_mut()) {
                o.insert("max_connections".into(), json!(w.max_connections));
                o.insert("ip_address".into(), json!("127.0.0.1"));
                if !w.allowed_updates.is_empty() {
                    o.insert("allowed_updates".into(), json!(w.allowed_updates));
                }
                if let Some((date, msg)) = &b.last_error {
                    o.insert("last_error_date".into(), json!(date));
                    o.insert("last_error_message".into(), json!(msg));
                }
            }
            Ok(v)
        }),
        "sendMessage" => {
            let text = p.str("text").filter(|t| !t.trim().is_empty()).ok_or_else(|| ApiErr::bad("message text is empty"))?;
            if text.chars().count() > MAX_TEXT {
                return Err(ApiErr::bad("message is too long"));
            }
            let entities = entities(p, "entities")?;
            let one = send(sb, bot_id, method, p, vec![Item::Text { text, entities }], false)?;
            Ok(one.into_iter().next().unwrap_or(Value::Null))
        }
        "sendPhoto" | "sendVideo" | "sendAudio" | "sendVoice" | "sendDocument" | "sendAnimation" | "sendSticker" | "sendVideoNote" => {
            let kind = match method {
                "sendPhoto" => MediaKind::Photo,
                "sendVideo" => MediaKind::Video,
                "sendAudio" => MediaKind::Audio,
                "sendVoice" => MediaKind::Voice,
                "sendDocument" => MediaKind::Document,
                "sendAnimation" => MediaKind::Animation,
                "sendSticker" => MediaKind::Sticker,
                _ => MediaKind::VideoNote,
            };
            let item = media_item(p, kind, &p.fields, kind.field())?;
            let one = send(sb, bot_id, method, p, vec![item], false)?;
            Ok(one.into_iter().next().unwrap_or(Value::Null))
        }
        "sendMediaGroup" => {
            let items = media_group(p)?;
            Ok(Value::Array(send(sb, bot_id, method, p, items, true)?))
        }
        "sendChatAction" => {
            p.chat_id_given()?;
            p.str("action").filter(|a| !a.is_empty()).ok_or_else(|| ApiErr::bad("action is empty"))?;
            let st = sb.lock();
            match channels::resolve(&st, bot_id, p)? {
                Target::Channel(id) => {
                    st.channels.get(&id).ok_or_else(ApiErr::chat_not_found)?.check_access(bot_id, Access::Write)?;
                }
                Target::Private(chat_id) => {
                    let b = st.bots.get(&bot_id).ok_or_else(ApiErr::unauthorized)?;
                    if !b.chats.contains_key(&chat_id) {
                        return Err(ApiErr::chat_not_found());
                    }
                    if b.blocked.contains(&chat_id) {
                        return Err(ApiErr::blocked());
                    }
                }
            }
            Ok(json!(true))
        }
        "editMessageText" | "editMessageCaption" | "editMessageReplyMarkup" => edit(sb, bot_id, method, p),
        "deleteMessage" => delete_message(sb, bot_id, p),
        "getChat" => get_chat(sb, bot_id, p),
        "getChatMember" => get_chat_member(sb, bot_id, p),
        "getChatAdministrators" => get_chat_administrators(sb, bot_id, p),
        "pinChatMessage" | "unpinChatMessage" | "unpinAllChatMessages" => pin(sb, bot_id, method, p),
        "leaveChat" => leave_chat(sb, bot_id, p),
        "answerCallbackQuery" => {
            let id = p.str("callback_query_id").filter(|s| !s.is_empty()).ok_or_else(|| ApiErr::bad("QUERY_ID_INVALID"))?;
            let text = p.str("text").unwrap_or_default();
            if text.chars().count() > 200 {
                return Err(ApiErr::bad("MESSAGE_TOO_LONG"));
            }
            let show_alert = p.bool("show_alert");
            with_bot(sb, bot_id, |b| {
                let too_old = || ApiErr::bad("query is too old and response timeout expired or query id is invalid");
                let rec = b.callbacks.get_mut(&id).ok_or_else(too_old)?;
                if rec.answered {
                    return Err(too_old());
                }
                rec.answered = true;
                let chat_id = rec.chat_id;
                if let Some(c) = b.chats.get_mut(&chat_id) {
                    c.notices.push(Notice { at_ms: now_ms(), kind: "callback_answer".into(), text, show_alert });
                }
                Ok(json!(true))
            })
        }
        "setMyCommands" => {
            let commands = p.json("commands")?.ok_or_else(|| ApiErr::bad("parameter \"commands\" is required"))?;
            let list = commands.as_array().ok_or_else(|| ApiErr::bad("can't parse commands JSON object"))?;
            if list.len() > 100 {
                return Err(ApiErr::bad("too many commands specified"));
            }
            let mut clean = Vec::new();
            for c in list {
                let cmd = c.get("command").and_then(Value::as_str).unwrap_or("");
                let desc = c.get("description").and_then(Value::as_str).unwrap_or("");
                let cmd_ok = !cmd.is_empty() && cmd.len() <= 32 && cmd.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !cmd_ok {
                    return Err(ApiErr::bad("BOT_COMMAND_INVALID"));
                }
                let n = desc.chars().count();
                if n == 0 || n > 256 {
                    return Err(ApiErr::bad("command description must be non-empty and at most 256 characters"));
                }
                clean.push(json!({"command": cmd, "description": desc}));
            }
            let key = commands_key(p)?;
            with_bot(sb, bot_id, |b| {
                b.commands.insert(key, Value::Array(clean));
                Ok(json!(true))
            })
        }
        "getMyCommands" => {
            let key = commands_key(p)?;
            with_bot(sb, bot_id, |b| Ok(b.commands.get(&key).cloned().unwrap_or_else(|| json!([]))))
        }
        "deleteMyCommands" => {
            let key = commands_key(p)?;
            with_bot(sb, bot_id, |b| {
                b.commands.remove(&key);
                Ok(json!(true))
            })
        }
        "setChatMenuButton" => {
            let chat_id = p.i64("chat_id")?;
            let button = p.json("menu_button")?.map(strip_nulls).unwrap_or_else(|| json!({"type": "default"}));
            match button.get("type").and_then(Value::as_str) {
                Some("default") | Some("commands") => {}
                Some("web_app") => {
                    let text_ok = button.get("text").and_then(Value::as_str).is_some_and(|t| !t.is_empty());
                    let url_ok = button
                        .get("web_app")
                        .and_then(|w| w.get("url"))
                        .and_then(Value::as_str)
                        .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"));
                    if !text_ok || !url_ok {
                        return Err(ApiErr::bad("can't parse menu button: web_app needs text and web_app.url"));
                    }
                }
                _ => return Err(ApiErr::bad("can't parse menu button JSON object")),
            }
            with_bot(sb, bot_id, |b| {
                match chat_id {
                    Some(c) => {
                        if !b.chats.contains_key(&c) {
                            return Err(ApiErr::chat_not_found());
                        }
                        b.menu_chats.insert(c, button);
                    }
                    None => b.menu_default = Some(button),
                }
                Ok(json!(true))
            })
        }
        "getChatMenuButton" => {
            let chat_id = p.i64("chat_id")?;
            with_bot(sb, bot_id, |b| {
                let chat_specific = chat_id.and_then(|c| b.menu_chats.get(&c)).cloned();
                Ok(chat_specific.or_else(|| b.menu_default.clone()).unwrap_or_else(|| json!({"type": "commands"})))
            })
        }
        "getFile" => {
            let file_id = p.str("file_id").filter(|s| !s.is_empty()).ok_or_else(|| ApiErr::bad("file_id is empty"))?;
            with_bot(sb, bot_id, |b| {
                let rec = b.files.get(&file_id).ok_or_else(|| ApiErr::bad("invalid file id"))?;
                let size = rec.bytes.len() as u64;
                if size > MAX_DOWNLOAD {
                    return Err(ApiErr::bad("file is too big"));
                }
                Ok(json!({
                    "file_id": rec.file_id,
                    "file_unique_id": rec.unique_id,
                    "file_size": size,
                    "file_path": rec.path,
                }))
            })
        }
        _ => Err(ApiErr::not_found()),
    }
}

fn with_bot<T>(sb: &Sandbox, bot_id: i64, f: impl FnOnce(&mut crate::state::BotState) -> Result<T, ApiErr>) -> Result<T, ApiErr> {
    let mut st = sb.lock();
    let b = st.bots.get_mut(&bot_id).ok_or_else(ApiErr::unauthorized)?;
    f(b)
}

fn commands_key(p: &Params) -> Result<String, ApiErr> {
    let scope = p.json("scope")?.map(strip_nulls).unwrap_or_else(|| json!({"type": "default"}));
    if scope.get("type").and_then(Value::as_str).is_none() {
        return Err(ApiErr::bad("can't parse BotCommandScope JSON object"));
    }
    let lang = p.str("language_code").unwrap_or_default();
    Ok(format!("{}|{lang}", serde_json::to_string(&scope).unwrap_or_default()))
}

fn valid_secret(s: &str) -> bool {
    (1..=256).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn set_webhook(sb: &Sandbox, bot_id: i64, p: &Params) -> Result<Value, ApiErr> {
    let url = p.str("url").unwrap_or_default().trim().to_owned();
    if url.is_empty() {
        return with_bot(sb, bot_id, |b| {
            b.webhook = None;
            if p.bool("drop_pending_updates") {
                b.pending.clear();
            }
            Ok(json!(true))
        });
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    if rest.is_none_or(|r| r.is_empty() || r.starts_with('/')) {
        return Err(ApiErr::bad("bad webhook: HTTPS url must be provided for webhook"));
    }
    let secret_token = p.str("secret_token").filter(|s| !s.is_empty());
    if let Some(s) = &secret_token {
        if !valid_secret(s) {
            return Err(ApiErr::bad("bad webhook: secret token contains unallowed characters"));
        }
    }
    let max_connections = p.u32("max_connections")?.unwrap_or(40);
    if !(1..=100).contains(&max_connections) {
        return Err(ApiErr::bad("bad webhook: max_connections must be between 1 and 100"));
    }
    let allowed = match p.json("allowed_updates")? {
        None => None,
        Some(Value::Array(a)) => Some(a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect::<Vec<_>>()),
        Some(_) => return Err(ApiErr::bad("can't parse allowed updates")),
    };
    with_bot(sb, bot_id, |b| {
        let allowed_updates = allowed.or_else(|| b.webhook.as_ref().map(|w| w.allowed_updates.clone())).unwrap_or_default();
        b.webhook = Some(Webhook { url, secret_token, max_connections, allowed_updates, permits: Arc::new(Semaphore::new(max_connections as usize)) });
        b.last_error = None;
        if p.bool("drop_pending_updates") {
            b.pending.clear();
        }
        Ok(())
    })?;
    crate::user::flush_pending(sb, bot_id);
    Ok(json!(true))
}

async fn get_updates(sb: &Sandbox, bot_id: i64, p: &Params) -> Result<Value, ApiErr> {
    let offset = p.i64("offset")?;
    let limit = p.i64("limit")?.unwrap_or(100).clamp(1, 100) as usize;
    let timeout = p.i64("timeout")?.unwrap_or(0).clamp(0, 50) as u64;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(timeout);
    loop {
        let notified = sb.inner.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let got = with_bot(sb, bot_id, |b| {
            if b.webhook.is_some() {
                return Err(ApiErr::new(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
            }
            match offset {
                Some(o) if o < 0 => {
                    let keep = o.unsigned_abs() as usize;
                    while b.pending.len() > keep {
                        b.pending.pop_front();
                    }
                }
                Some(o) => {
                    while b.pending.front().is_some_and(|u| u.get("update_id").and_then(Value::as_i64).unwrap_or(0) < o) {
                        b.pending.pop_front();
                    }
                }
                None => {}
            }
            Ok(b.pending.iter().take(limit).cloned().collect::<Vec<_>>())
        })?;
        if !got.is_empty() || tokio::time::Instant::now() >= deadline {
            return Ok(Value::Array(got));
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            continue;
        }
    }
}

/// Where a file comes from.
#[derive(Debug, Clone)]
enum Src {
    Upload(Upload),
    FileId(String),
}

#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
enum Item {
    Text { text: String, entities: Option<Value> },
    Media { kind: MediaKind, src: Src, info: Info, caption: Option<String>, extra: Map<String, Value> },
}

fn entities(p: &Params, name: &str) -> Result<Option<Value>, ApiErr> {
    match p.json(name)? {
        None => Ok(None),
        Some(Value::Array(a)) => {
            let ok = a.iter().all(|e| {
                e.get("type").and_then(Value::as_str).is_some()
                    && e.get("offset").and_then(Value::as_u64).is_some()
                    && e.get("length").and_then(Value::as_u64).is_some()
            });
            if !ok {
                return Err(ApiErr::bad(format!("can't parse {name} JSON object")));
            }
            Ok((!a.is_empty()).then(|| strip_nulls(Value::Array(a))))
        }
        Some(_) => Err(ApiErr::bad(format!("can't parse {name} JSON object"))),
    }
}

/// Resolves the file parameter `field` (in `fields`, a request's or one
/// InputMedia's): a direct upload, `attach://name`, or a file_id.
fn file_src(p: &Params, fields: &Map<String, Value>, field: &str, kind: MediaKind, top: bool) -> Result<Src, ApiErr> {
    let missing = || ApiErr::bad(format!("there is no {field} in the request"));
    if top {
        if let Some(u) = p.files.get(field) {
            return check_upload(u.clone(), kind).map(Src::Upload);
        }
    }
    let s = match fields.get(field) {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Null) | None => return Err(missing()),
        Some(_) => return Err(ApiErr::bad("wrong file identifier/HTTP URL specified")),
    };
    if s.is_empty() {
        return Err(missing());
    }
    if let Some(name) = s.strip_prefix("attach://") {
        let u = p.files.get(name).ok_or_else(|| ApiErr::bad(format!("file attach://{name} not found in the request")))?;
        return check_upload(u.clone(), kind).map(Src::Upload);
    }
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Err(ApiErr::bad("the sandbox refuses URL uploads; upload the file"));
    }
    Ok(Src::FileId(s))
}

fn check_upload(u: Upload, kind: MediaKind) -> Result<Upload, ApiErr> {
    if u.bytes.len() > kind.max_upload() {
        return Err(ApiErr::too_large());
    }
    if u.bytes.is_empty() {
        return Err(ApiErr::bad("file must be non-empty"));
    }
    Ok(u)
}

fn num(fields: &Map<String, Value>, name: &str) -> Option<u32> {
    match fields.get(name)? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
fn text_of(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
fn flag(fields: &Map<String, Value>, name: &str) -> bool {
    match fields.get(name) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true" || s == "1",
        _ => false,
    }
}

/// One media item from `fields` (the request's, or an InputMedia object).
fn media_item_from(p: &Params, kind: MediaKind, fields: &Map<String, Value>, field: &str, top: bool) -> Result<Item, ApiErr> {
    let src = file_src(p, fields, field, kind, top)?;
    let caption = text_of(fields, "caption").filter(|c| !c.is_empty() && kind.can_have_caption());
    if caption.as_ref().is_some_and(|c| c.chars().count() > MAX_CAPTION) {
        return Err(ApiErr::bad("message caption is too long"));
    }
    let mut info = Info {
        width: num(fields, "width"),
        height: num(fields, "height"),
        duration: num(fields, "duration"),
        length: num(fields, "length"),
        performer: text_of(fields, "performer"),
        title: text_of(fields, "title"),
        emoji: text_of(fields, "emoji"),
        ..Info::default()
    };
    if let Src::Upload(u) = &src {
        info.file_name = u.file_name.clone();
        info.mime_type = match kind {
            MediaKind::Photo => None,
            MediaKind::Voice if u.bytes.starts_with(b"OggS") => Some("audio/ogg".into()),
            _ => media::upload_mime(u.content_type.as_deref(), u.file_name.as_deref(), &u.bytes),
        };
        if info.mime_type.is_none() {
            info.mime_type = match kind {
                MediaKind::Video | MediaKind::Animation | MediaKind::VideoNote => Some("video/mp4".into()),
                MediaKind::Audio => Some("audio/mpeg".into()),
                MediaKind::Sticker => Some("image/webp".into()),
                MediaKind::Voice | MediaKind::Document => Some("application/octet-stream".into()),
                MediaKind::Photo => None,
            };
        }
        if matches!(kind, MediaKind::Voice | MediaKind::VideoNote | MediaKind::Sticker) {
            info.file_name = None;
        }
    }
    let mut extra = Map::new();
    if matches!(kind, MediaKind::Photo | MediaKind::Video | MediaKind::Animation) && flag(fields, "has_spoiler") {
        extra.insert("has_media_spoiler".into(), json!(true));
    }
    if flag(fields, "show_caption_above_media") && caption.is_some() {
        extra.insert("show_caption_above_media".into(), json!(true));
    }
    if let Some(e) = fields.get("caption_entities") {
        let parsed = match e {
            Value::String(s) => serde_json::from_str::<Value>(s).ok(),
            v => Some(v.clone()),
        };
        if let Some(Value::Array(a)) = parsed {
            if !a.is_empty() && caption.is_some() {
                extra.insert("caption_entities".into(), strip_nulls(Value::Array(a)));
            }
        }
    }
    Ok(Item::Media { kind, src, info, caption, extra })
}

fn media_item(p: &Params, kind: MediaKind, fields: &std::collections::HashMap<String, Value>, field: &str) -> Result<Item, ApiErr> {
    let map: Map<String, Value> = fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    media_item_from(p, kind, &map, field, true)
}

fn media_group(p: &Params) -> Result<Vec<Item>, ApiErr> {
    let media = p.json("media")?.ok_or_else(|| ApiErr::bad("parameter \"media\" is required"))?;
    let list = media.as_array().ok_or_else(|| ApiErr::bad("can't parse media JSON object"))?;
    if !(2..=10).contains(&list.len()) {
        return Err(ApiErr::bad("wrong number of media in the group: must be 2-10"));
    }
    let mut items = Vec::new();
    for m in list {
        let obj = m.as_object().ok_or_else(|| ApiErr::bad("can't parse InputMedia JSON object"))?;
        let kind = obj
            .get("type")
            .and_then(Value::as_str)
            .and_then(MediaKind::from_field)
            .filter(|k| matches!(k, MediaKind::Photo | MediaKind::Video | MediaKind::Audio | MediaKind::Document))
            .ok_or_else(|| ApiErr::bad("can't parse InputMedia: unsupported type"))?;
        items.push(media_item_from(p, kind, obj, "media", false)?);
    }
    let kinds: Vec<MediaKind> = items
        .iter()
        .filter_map(|i| match i {
            Item::Media { kind, .. } => Some(*kind),
            Item::Text { .. } => None,
        })
        .collect();
    let all = |k: MediaKind| kinds.iter().all(|x| *x == k);
    let visual = kinds.iter().all(|k| matches!(k, MediaKind::Photo | MediaKind::Video));
    if !(visual || all(MediaKind::Audio) || all(MediaKind::Document)) {
        return Err(ApiErr::bad("MEDIA_GROUP_MIXED: documents and audio can't be mixed with other types"));
    }
    Ok(items)
}

/// A validated `reply_markup`: `(inline keyboard for the Message, reply
/// keyboard kept for the chat page)`.
fn reply_markup(p: &Params) -> Result<(Option<Value>, Option<Value>), ApiErr> {
    let Some(m) = p.json("reply_markup")?.map(strip_nulls) else { return Ok((None, None)) };
    let bad = || ApiErr::bad("can't parse reply keyboard markup JSON object");
    let o = m.as_object().ok_or_else(bad)?;
    if let Some(rows) = o.get("inline_keyboard") {
        let rows = rows.as_array().ok_or_else(bad)?;
        for row in rows {
            for b in row.as_array().ok_or_else(bad)? {
                let text = b.get("text").and_then(Value::as_str).unwrap_or("");
                if text.is_empty() {
                    return Err(ApiErr::bad("BUTTON_TEXT_INVALID"));
                }
                let actions = [
                    "url",
                    "callback_data",
                    "web_app",
                    "login_url",
                    "switch_inline_query",
                    "switch_inline_query_current_chat",
                    "switch_inline_query_chosen_chat",
                    "copy_text",
                    "callback_game",
                    "pay",
                ];
                if !actions.iter().any(|a| b.get(*a).is_some()) {
                    return Err(ApiErr::bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"));
                }
                if let Some(d) = b.get("callback_data") {
                    let len = d.as_str().map(str::len).unwrap_or(0);
                    if !(1..=64).contains(&len) {
                        return Err(ApiErr::bad("BUTTON_DATA_INVALID"));
                    }
                }
                if let Some(u) = b.get("url") {
                    let u = u.as_str().unwrap_or("").to_ascii_lowercase();
                    if !(u.starts_with("https://") || u.starts_with("http://") || u.starts_with("tg://")) {
                        return Err(ApiErr::bad("BUTTON_URL_INVALID"));
                    }
                }
            }
        }
        return Ok((Some(m), None));
    }
    if o.contains_key("keyboard") || o.contains_key("remove_keyboard") || o.contains_key("force_reply") {
        return Ok((None, Some(m)));
    }
    Err(bad())
}

/// `(message_id, allow_sending_without_reply)` of the message replied to.
fn reply_target(p: &Params) -> Result<Option<(i64, bool)>, ApiErr> {
    if let Some(rp) = p.json("reply_parameters")? {
        let id = rp
            .get("message_id")
            .and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
            .ok_or_else(|| ApiErr::bad("can't parse reply parameters JSON object"))?;
        let allow = rp.get("allow_sending_without_reply").and_then(Value::as_bool).unwrap_or(false);
        return Ok(Some((id, allow)));
    }
    Ok(p.i64("reply_to_message_id")?.map(|id| (id, p.bool("allow_sending_without_reply"))))
}

/// Everything a send does once its parameters are valid: checks the chat
/// (and, in a channel or supergroup, the bot's place there), the block, the
/// reply target, reused files and the limits, then makes the messages,
/// records them and returns them.
fn send(sb: &Sandbox, bot_id: i64, method: &'static str, p: &Params, items: Vec<Item>, group: bool) -> Result<Vec<Value>, ApiErr> {
    // sendMediaGroup has no reply_markup parameter: Telegram ignores one.
    let (inline, keyboard) = if group { (None, None) } else { reply_markup(p)? };
    let reply = reply_target(p)?;
    let protect = p.bool("protect_content");
    let paid = p.bool("allow_paid_broadcast");
    let date = sb.clock_now();

    let mut st = sb.lock();
    let target = channels::resolve(&st, bot_id, p)?;
    let World { bots, channels, .. } = &mut *st;
    let bot = bots.get_mut(&bot_id).ok_or_else(ApiErr::unauthorized)?;
    if paid && !bot.paid_eligible {
        return Err(ApiErr::bad("paid broadcasts are not enabled for this bot"));
    }
    let chat_id = target.id();
    let mut channel = match target {
        Target::Channel(id) => {
            let ch = channels.get_mut(&id).ok_or_else(ApiErr::chat_not_found)?;
            ch.check_post(bot_id)?;
            Some(ch)
        }
        Target::Private(id) => {
            if !bot.chats.contains_key(&id) {
                return Err(ApiErr::chat_not_found());
            }
            if bot.blocked.contains(&id) {
                return Err(ApiErr::blocked());
            }
            None
        }
    };
    let reply_to = match reply {
        Some((id, allow)) => {
            let found = match &channel {
                Some(ch) => ch.live_post(id).map(|p| &p.message),
                None => bot.chats.get(&chat_id).and_then(|c| c.entry(id)).map(|e| &e.message),
            };
            match found {
                Some(m) => Some(as_reply(m)),
                None if allow => None,
                None => return Err(ApiErr::bad("message to be replied not found")),
            }
        }
        None => None,
    };
    for it in &items {
        if let Item::Media { kind, src: Src::FileId(id), .. } = it {
            bot.reuse_file(*kind, id)?;
        }
    }
    let now = Instant::now();
    let n = items.len() as u32;
    if let Err(e) = bot.check_rate_as(chat_id, n, paid, now) {
        if e.code == 429 {
            bot.deliveries.rejected_429 += 1;
        }
        return Err(e);
    }
    bot.use_rate(chat_id, n, now);

    let group_id = group.then(|| format!("{}", 10_000_000_000_000_000u64 + rand_u64() % 9_000_000_000_000_000));
    let at_ms = now_ms();
    let from = bot.user_json();
    let chat_json = match &channel {
        Some(ch) => ch.chat_json(),
        None => bot.chat_json(chat_id),
    };
    // Channel posts are signed by the channel; elsewhere the bot is `from`.
    let signed_by_channel = channel.as_ref().is_some_and(|c| c.kind == ChatKind::Channel);
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let mut m = Map::new();
        match it {
            Item::Text { text, entities } => {
                m.insert("text".into(), json!(text));
                if let Some(e) = entities {
                    m.insert("entities".into(), e);
                }
            }
            Item::Media { kind, src, info, caption, extra } => {
                let obj = match src {
                    Src::Upload(u) => bot.store_file(kind, u.bytes, info),
                    Src::FileId(id) => bot.reuse_file(kind, &id)?,
                };
                if kind == MediaKind::Animation {
                    m.insert("document".into(), animation_document(&obj));
                }
                m.insert(kind.field().into(), obj);
                if let Some(c) = caption {
                    m.insert("caption".into(), json!(c));
                }
                m.extend(extra);
            }
        }
        if let Some(g) = &group_id {
            m.insert("media_group_id".into(), json!(g));
        }
        if let Some(r) = &reply_to {
            m.insert("reply_to_message".into(), r.clone());
        }
        if let Some(k) = &inline {
            m.insert("reply_markup".into(), k.clone());
        }
        if protect {
            m.insert("has_protected_content".into(), json!(true));
        }
        let message_id = match channel.as_deref_mut() {
            Some(ch) => ch.take_message_id(),
            None => bot.chats.get_mut(&chat_id).ok_or_else(ApiErr::chat_not_found)?.take_message_id(),
        };
        m.insert("message_id".into(), json!(message_id));
        if signed_by_channel {
            m.insert("sender_chat".into(), chat_json.clone());
        } else {
            m.insert("from".into(), from.clone());
        }
        m.insert("chat".into(), chat_json.clone());
        m.insert("date".into(), json!(date));
        let message = Value::Object(m);
        match channel.as_deref_mut() {
            Some(ch) => ch.posts.push(PostRec {
                message_id,
                bot_id: Some(bot_id),
                message: message.clone(),
                at_ms,
                edits: 0,
                pinned: false,
                deleted: false,
                service: None,
            }),
            None => {
                let chat = bot.chats.get_mut(&chat_id).ok_or_else(ApiErr::chat_not_found)?;
                chat.entries.push(TranscriptEntry {
                    sender: Sender::Bot,
                    message_id,
                    message: message.clone(),
                    at_ms,
                    reply_keyboard: keyboard.clone(),
                    edited: false,
                    deleted: false,
                    pinned: false,
                });
            }
        }
        bot.outbox.push(SentMessage { method: method.to_owned(), chat_id, message: message.clone(), at_ms });
        out.push(message);
    }
    bot.deliveries.record(chat_id, out.len() as u64, paid, at_ms);
    Ok(out)
}

fn edit(sb: &Sandbox, bot_id: i64, method: &'static str, p: &Params) -> Result<Value, ApiErr> {
    if p.str("inline_message_id").is_some_and(|s| !s.is_empty()) {
        return Err(ApiErr::bad("MESSAGE_ID_INVALID: the sandbox has no inline messages"));
    }
    p.chat_id_given()?;
    let message_id = p.i64("message_id")?.ok_or_else(|| ApiErr::bad("message identifier is not specified"))?;
    let (inline, keyboard) = reply_markup(p)?;
    if keyboard.is_some() {
        return Err(ApiErr::bad("inline keyboard expected"));
    }
    let new_text = if method == "editMessageText" {
        let t = p.str("text").filter(|t| !t.trim().is_empty()).ok_or_else(|| ApiErr::bad("message text is empty"))?;
        if t.chars().count() > MAX_TEXT {
            return Err(ApiErr::bad("MESSAGE_TOO_LONG"));
        }
        Some(t)
    } else {
        None
    };
    let new_caption = if method == "editMessageCaption" {
        let c = p.str("caption").unwrap_or_default();
        if c.chars().count() > MAX_CAPTION {
            return Err(ApiErr::bad("message caption is too long"));
        }
        Some(c)
    } else {
        None
    };
    let mut new_entities = entities(p, if method == "editMessageCaption" { "caption_entities" } else { "entities" })?;
    let date = sb.clock_now();

    let mut st = sb.lock();
    let target = channels::resolve(&st, bot_id, p)?;
    let World { bots, channels, .. } = &mut *st;
    let bot = bots.get_mut(&bot_id).ok_or_else(ApiErr::unauthorized)?;
    let chat_id = target.id();
    let old = match target {
        Target::Channel(id) => {
            let ch = channels.get(&id).ok_or_else(ApiErr::chat_not_found)?;
            ch.check_access(bot_id, Access::Write)?;
            let post = ch.live_post(message_id).ok_or_else(|| ApiErr::bad("message to edit not found"))?;
            ch.check_edit(bot_id, post)?;
            post.message.clone()
        }
        Target::Private(id) => {
            let chat = bot.chats.get(&id).ok_or_else(ApiErr::chat_not_found)?;
            if bot.blocked.contains(&id) {
                return Err(ApiErr::blocked());
            }
            let entry = chat.entry(message_id).ok_or_else(|| ApiErr::bad("message to edit not found"))?;
            if entry.sender != Sender::Bot {
                return Err(ApiErr::bad("message can't be edited"));
            }
            entry.message.clone()
        }
    };
    let mut m = old.as_object().cloned().unwrap_or_default();
    if let Some(t) = new_text {
        if m.get("text").is_none() {
            return Err(ApiErr::bad("there is no text in the message to edit"));
        }
        m.insert("text".into(), json!(t));
        m.remove("entities");
        if let Some(e) = new_entities.take() {
            m.insert("entities".into(), e);
        }
    }
    if let Some(c) = new_caption {
        let has_media = MediaKind::ALL.iter().any(|k| k.can_have_caption() && m.contains_key(k.field()));
        if !has_media {
            return Err(ApiErr::bad("there is no caption in the message to edit"));
        }
        m.remove("caption_entities");
        if c.is_empty() {
            m.remove("caption");
        } else {
            m.insert("caption".into(), json!(c));
            if let Some(e) = new_entities.take() {
                m.insert("caption_entities".into(), e);
            }
        }
    }
    // As in Telegram, an edit without reply_markup removes the keyboard.
    match &inline {
        Some(k) => m.insert("reply_markup".into(), k.clone()),
        None => m.remove("reply_markup"),
    };
    m.remove("edit_date");
    let mut old_cmp = old.as_object().cloned().unwrap_or_default();
    old_cmp.remove("edit_date");
    if old_cmp == m {
        return Err(ApiErr::bad(NOT_MODIFIED));
    }
    m.insert("edit_date".into(), json!(date));
    let message = Value::Object(m);

    let now = Instant::now();
    bot.check_rate(chat_id, 1, now)?;
    bot.use_rate(chat_id, 1, now);
    let at_ms = now_ms();
    match target {
        Target::Channel(id) => {
            if let Some(post) = channels.get_mut(&id).and_then(|c| c.live_post_mut(message_id)) {
                post.message = message.clone();
                post.edits += 1;
            }
        }
        Target::Private(id) => {
            if let Some(e) = bot.chats.get_mut(&id).and_then(|c| c.entry_mut(message_id)) {
                e.message = message.clone();
                e.edited = true;
            }
        }
    }
    bot.outbox.push(SentMessage { method: method.to_owned(), chat_id, message: message.clone(), at_ms });
    Ok(message)
}

pub(crate) const NOT_MODIFIED: &str =
    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/// `deleteMessage`: in a channel or supergroup by the bot's rights and the
/// 48-hour window; in a private chat any message younger than 48 hours.
fn delete_message(sb: &Sandbox, bot_id: i64, p: &Params) -> Result<Value, ApiErr> {
    p.chat_id_given()?;
    let message_id = p.i64("message_id")?.ok_or_else(|| ApiErr::bad("message identifier is not specified"))?;
    let now = sb.clock_now();
    let mut st = sb.lock();
    let target = channels::resolve(&st, bot_id, p)?;
    let World { bots, channels, .. } = &mut *st;
    let bot = bots.get_mut(&bot_id).ok_or_else(ApiErr::unauthorized)?;
    match target {
        Target::Channel(id) => {
            let ch = channels.get_mut(&id).ok_or_else(ApiErr::chat_not_found)?;
            ch.check_access(bot_id, Access::Write)?;
            let post = ch.live_post(message_id).ok_or_else(|| ApiErr::bad("message to delete not found"))?;
            ch.check_delete(bot_id, post, now)?;
            if let Some(post) = ch.live_post_mut(message_id) {
                post.deleted = true;
                post.pinned = false;
            }
        }
        Target::Private(id) => {
            let chat = bot.chats.get_mut(&id).ok_or_else(ApiErr::chat_not_found)?;
            let e = chat.entry_mut(message_id).ok_or_else(|| ApiErr::bad("message to delete not found"))?;
            let date = e.message.get("date").and_then(Value::as_i64).unwrap_or(now);
            if now >= date + DELETE_WINDOW_SECS {
                return Err(ApiErr::bad("message can't be deleted for everyone"));
            }
            e.deleted = true;
            e.pinned = false;
        }
    }
    Ok(json!(true))
}

/// `getChat`: a channel or supergroup (by id or `@username`) or a private
/// chat, as `ChatFullInfo`.
fn get_chat(sb: &Sandbox, bot_id: i64, p: &Params) -> Result<Value, ApiErr> {
    let st = sb.lock();
    match channels::resolve(&st, bot_id, p)? {
        Target::Channel(id) => {
            let ch = st.channels.get(&id).ok_or_else(ApiErr::chat_not_found)?;
            ch.check_access(bot_id, Access::Read)?;
            Ok(ch.full_json())
        }
        Target::Private(id) => {
            let bot = st.bots.get(&bot_id).ok_or_else(ApiErr::unauthorized)?;
            let chat = bot.chats.get(&id).ok_or_else(ApiErr::chat_not_found)?;
            let mut v = bot.chat_json(id);
            if let Some(o) = v.as_object_mut() {
                if let Some(u) = &chat.user.username {
                    o.insert("active_usernames".into(), json!([u]));
                }
                if let Some(e) = chat.entries.iter().filter(|e| e.pinned && !e.deleted).max_by_key(|e| e.message_id) {
                    o.insert("pinned_message".into(), as_reply(&e.message));
                }
                o.insert("can_send_gift".into(), json!(true));
                o.insert(
                    "accepted_gift_types".into(),
                    json!({"unlimited_gifts": true, "limited_gifts": true, "unique_gifts": true, "premium_subscription": true, "gifts_from_channels": true}),
                );
                o.insert("max_reaction_count".into(), json!(11));
                o.insert("accent_color_id".into(), json!(0));
            }
            Ok(v)
        }
    }
}

/// `getChatMember`: the bot itself (any bot), the owner, or a person the
/// bot knows (`left`); others: `user not found`.
fn get_chat_member(sb: &Sandbox, bot_id: i64, p: &Params) -> Result<Value, ApiErr> {
    let user_id = p.i64("user_id").ok().flatten().filter(|u| *u > 0).ok_or_else(|| ApiErr::bad("invalid user_id specified"))?;
    let st = sb.lock();
    let target = channels::resolve(&st, bot_id, p)?;
    let bot = st.bots.get(&bot_id).ok_or_else(ApiErr::unauthorized)?;
    // A person this bot has met, as a User.
    let known_person =
        || st.bots.values().find_map(|b| b.chats.get(&user_id)).map(|c| channels::user_json(&c.user)).ok_or_else(|| ApiErr::bad("user not found"));
    match target {
        Target::Channel(id) => {
            let ch = st.channels.get(&id).ok_or_else(ApiErr::chat_not_found)?;
            let me = ch.check_access(bot_id, Access::Read)?;
            if user_id == bot_id {
                return Ok(ch.member_json(bot.user_json(), me));
            }
            if ch.kind == ChatKind::Channel && !matches!(me, ChatMembership::Administrator(_)) {
                return Err(ApiErr::bad("member list is inaccessible"));
            }
            if user_id == ch.owner.id {
                return Ok(ch.owner_json());
            }
            if let Some(other) = st.bots.get(&user_id) {
                return Ok(ch.member_json(other.user_json(), ch.membership(user_id)));
            }
            Ok(ch.member_json(known_person()?, ChatMembership::Left))
        }
        Target::Private(id) => {
            let chat = bot.chats.get(&id).ok_or_else(ApiErr::chat_not_found)?;
            if user_id == bot_id {
                return Ok(json!({"user": bot.user_json(), "status": "member"}));
            }
            if user_id == id {
                return Ok(json!({"user": channels::user_json(&chat.user), "status": "member"}));
            }
            Err(ApiErr::bad("user not found"))
        }
    }
}

/// `getChatAdministrators`: the owner, then the bots that administer it.
fn get_chat_administrators(sb: &Sandbox, bot_id: i64, p: &Params) -> Result<Value, ApiErr> {
    let st = sb.lock();
    let Target::Channel(id) = channels::resolve(&st, bot_id, p)? else {
        let bot = st.bots.get(&bot_id).ok_or_else(ApiErr::unauthorized)?;
        if !bot.chats.contains_key(&p.chat_id()?) {
            return Err(ApiErr::chat_not_found());
        }
        return Err(ApiErr::bad("there are no administrators in the private chat"));
    };
    let ch = st.channels.get(&id).ok_or_else(ApiErr::chat_not_found)?;
    let me = ch.check_access(bot_id, Access::Read)?;
    if ch.kind == ChatKind::Channel && !matches!(me, ChatMembership::Administrator(_)) {
        return Err(ApiErr::bad("member list is inaccessible"));
    }
    let mut admins = vec![ch.owner_json()];
    for (b, m) in &ch.members {
        if let (ChatMembership::Administrator(_), Some(other)) = (m, st.bots.get(b)) {
            admins.push(ch.member_json(other.user_json(), *m));
        }
    }
    Ok(Value::Array(admins))
}

/// `pinChatMessage`, `unpinChatMessage`, `unpinAllChatMessages`.
fn pin(sb: &Sandbox, bot_id: i64, method: &'static str, p: &Params) -> Result<Value, ApiErr> {
    p.chat_id_given()?;
    let message_id = p.i64("message_id")?.filter(|m| *m != 0);
    if method == "pinChatMessage" && message_id.is_none() {
        return Err(ApiErr::bad("message identifier is not specified"));
    }
    let date = sb.clock_now();
    let mut st = sb.lock();
    let target = channels::resolve(&st, bot_id, p)?;
    let World { bots, channels, .. } = &mut *st;
    let bot = bots.get_mut(&bot_id).ok_or_else(ApiErr::unauthorized)?;
    match target {
        Target::Channel(id) => {
            let ch = channels.get_mut(&id).ok_or_else(ApiErr::chat_not_found)?;
            ch.check_access(bot_id, Access::Write)?;
            match (method, message_id) {
                ("pinChatMessage", Some(mid)) => {
                    if ch.live_post(mid).is_none() {
                        return Err(ApiErr::bad("message to pin not found"));
                    }
                    ch.check_pin(bot_id)?;
                    ch.pin(bot_id, &bot.user_json(), mid, date, now_ms())?;
                }
                ("unpinChatMessage", _) => {
                    let mid = match message_id {
                        Some(mid) => ch.live_post(mid).map(|p| p.message_id),
                        None => ch.latest_pinned().map(|p| p.message_id),
                    }
                    .ok_or_else(|| ApiErr::bad("message to unpin not found"))?;
                    ch.check_pin(bot_id)?;
                    if let Some(post) = ch.live_post_mut(mid) {
                        post.pinned = false;
                    }
                }
                _ => {
                    ch.check_pin(bot_id)?;
                    for post in &mut ch.posts {
                        post.pinned = false;
                    }
                }
            }
        }
        Target::Private(id) => {
            let chat = bot.chats.get_mut(&id).ok_or_else(ApiErr::chat_not_found)?;
            if bot.blocked.contains(&id) {
                return Err(ApiErr::blocked());
            }
            match (method, message_id) {
                ("pinChatMessage", Some(mid)) => chat.entry_mut(mid).ok_or_else(|| ApiErr::bad("message to pin not found"))?.pinned = true,
                ("unpinChatMessage", _) => {
                    let mid = match message_id {
                        Some(mid) => chat.entry(mid).map(|e| e.message_id),
                        None => chat.entries.iter().filter(|e| e.pinned && !e.deleted).map(|e| e.message_id).max(),
                    }
                    .ok_or_else(|| ApiErr::bad("message to unpin not found"))?;
                    if let Some(e) = chat.entry_mut(mid) {
                        e.pinned = false;
                    }
                }
                _ => chat.entries.iter_mut().for_each(|e| e.pinned = false),
            }
        }
    }
    Ok(json!(true))
}

/// `leaveChat`: the bot leaves a channel or supergroup (status `left`).
fn leave_chat(sb: &Sandbox, bot_id: i64, p: &Params) -> Result<Value, ApiErr> {
    let mut st = sb.lock();
    match channels::resolve(&st, bot_id, p)? {
        Target::Channel(id) => {
            let ch = st.channels.get_mut(&id).ok_or_else(ApiErr::chat_not_found)?;
            ch.check_access(bot_id, Access::Read)?;
            if ch.membership(bot_id) == ChatMembership::Left {
                return Err(ApiErr::new(403, format!("Forbidden: bot is not a member of the {} chat", ch.kind.as_str())));
            }
            ch.members.insert(bot_id, ChatMembership::Left);
            Ok(json!(true))
        }
        Target::Private(id) => {
            let bot = st.bots.get(&bot_id).ok_or_else(ApiErr::unauthorized)?;
            if !bot.chats.contains_key(&id) {
                return Err(ApiErr::chat_not_found());
            }
            Err(ApiErr::bad("chat member status can't be changed in private chats"))
        }
    }
}

/// `GET /file/bot{token}/{file_path}`.
pub(crate) async fn file_download(State(sb): State<Sandbox>, Path((token, path)): Path<(String, String)>) -> Response {
    let found = {
        let mut st = sb.lock();
        let Some(bot) = st.bot_by_token(&token) else {
            return ApiErr::unauthorized().into_response();
        };
        let path = path.trim_start_matches('/');
        bot.paths
            .get(path)
            .and_then(|id| bot.files.get(id))
            .map(|r| (r.bytes.clone(), r.mime.clone().or_else(|| media::sniff_mime(&r.bytes).map(str::to_owned))))
    };
    match found {
        Some((bytes, mime)) if bytes.len() as u64 <= MAX_DOWNLOAD => {
            let mime = mime.unwrap_or_else(|| "application/octet-stream".to_owned());
            (StatusCode::OK, [(header::CONTENT_TYPE, mime)], bytes).into_response()
        }
        Some(_) => ApiErr::bad("file is too big").into_response(),
        None => ApiErr::not_found().into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{params::Upload, UserRef};

    fn params(v: Value) -> Params {
        Params { fields: v.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default(), ..Params::default() }
    }

    fn buyer(id: i64) -> UserRef {
        UserRef { id, first_name: format!("Buyer {id}"), ..UserRef::default() }
    }

    /// A sandbox with one bot and chats with users 1..=n.
    fn sandbox(n: i64) -> (Sandbox, i64) {
        let sb = Sandbox::new();
        let bot = sb.create_bot("shop_bot", "Shop").id;
        let users: Vec<UserRef> = (1..=n).map(buyer).collect();
        assert_eq!(sb.create_chats(bot, &users), Ok(n as usize));
        (sb, bot)
    }

    fn text(sb: &Sandbox, bot: i64, chat: i64, paid: bool) -> Result<Value, ApiErr> {
        call(sb, bot, "sendMessage", &params(json!({"chat_id": chat, "text": "new stock", "allow_paid_broadcast": paid})))
    }

    #[test]
    fn paid_broadcast_needs_an_eligible_bot() {
        let (sb, bot) = sandbox(2);
        let err = text(&sb, bot, 1, true).expect_err("not eligible");
        assert_eq!((err.code, err.description.as_str()), (400, "Bad Request: paid broadcasts are not enabled for this bot"));
        // Any send method, the flag in any of its spellings.
        let photo = call(&sb, bot, "sendPhoto", &params(json!({"chat_id": 1, "photo": "AgACnone", "allow_paid_broadcast": "true"})));
        assert_eq!(photo.expect_err("not eligible").description, "Bad Request: paid broadcasts are not enabled for this bot");
        text(&sb, bot, 1, false).expect("free sends work");
        call(&sb, bot, "sendMessage", &params(json!({"chat_id": 1, "text": "x", "allow_paid_broadcast": "false"}))).expect("false is free");

        sb.set_paid_broadcasts(bot, true, 1000);
        text(&sb, bot, 2, true).expect("eligible");
        let d = sb.deliveries(bot).expect("bot");
        assert_eq!((d.total, d.paid), (3, 1));
    }

    #[test]
    fn paid_sends_pass_the_free_cap_and_free_ones_then_wait() {
        let (sb, bot) = sandbox(200);
        sb.set_paid_broadcasts(bot, true, 1000);
        for chat in 1..=200 {
            text(&sb, bot, chat, true).expect("paid: 1000 a second");
        }
        let err = text(&sb, bot, 1, false).expect_err("free: the second already had 200 sends");
        assert_eq!((err.code, err.retry_after), (429, Some(1)));
        let d = sb.deliveries(bot).expect("bot");
        assert_eq!((d.total, d.paid, d.rejected_429, d.chats.len()), (200, 200, 1, 200));
    }

    #[test]
    fn deliveries_count_every_message_once() {
        let (sb, bot) = sandbox(3);
        let png = Upload { bytes: bytes::Bytes::from(crate::sample_png(40, 30)), file_name: Some("p.png".into()), content_type: Some("image/png".into()) };
        let mut p = params(json!({
            "chat_id": 2,
            "media": [{"type": "photo", "media": "attach://a"}, {"type": "photo", "media": "attach://b"}, {"type": "photo", "media": "attach://c"}],
        }));
        for name in ["a", "b", "c"] {
            p.files.insert(name.into(), png.clone());
        }
        let album = call(&sb, bot, "sendMediaGroup", &p).expect("album");
        assert_eq!(album.as_array().map(Vec::len), Some(3));
        text(&sb, bot, 1, false).expect("text");
        call(&sb, bot, "editMessageText", &params(json!({"chat_id": 1, "message_id": 1, "text": "edited"}))).expect("edit");

        // Failed sends count nothing.
        sb.block(bot, 3, true);
        let err = text(&sb, bot, 3, false).expect_err("blocked");
        assert_eq!((err.code, err.description.as_str()), (403, "Forbidden: bot was blocked by the user"));
        let err = text(&sb, bot, 99, false).expect_err("unknown");
        assert_eq!((err.code, err.description.as_str()), (400, "Bad Request: chat not found"));
        sb.set_rate_limit(bot, 1);
        text(&sb, bot, 1, false).expect("first of the new window");
        assert_eq!(text(&sb, bot, 1, false).expect_err("over").code, 429);
        assert_eq!(text(&sb, bot, 2, false).expect_err("over").code, 429);

        let d = sb.deliveries(bot).expect("bot");
        assert_eq!(d.bot_id, bot);
        assert_eq!(d.total, 5);
        assert_eq!(d.chats, [(1, 2), (2, 3)].into_iter().collect());
        assert_eq!(d.rejected_429, 2);
        assert_eq!(d.paid, 0);
        assert_eq!(d.per_second.iter().map(|(_, n)| n).sum::<u64>(), 5);
        assert!(d.per_second.windows(2).all(|w| w[0].0 < w[1].0));
        let (first, last) = (d.first_ms.expect("first"), d.last_ms.expect("last"));
        assert!(first <= last && last <= now_ms());
        assert_eq!(sb.outbox(bot, None).iter().filter(|m| m.method != "editMessageText").count() as u64, d.total, "matches the outbox");

        assert!(sb.reset_deliveries(bot));
        let d = sb.deliveries(bot).expect("bot");
        assert_eq!(d, crate::DeliveryCounts { bot_id: bot, ..Default::default() });
        assert!(!sb.reset_deliveries(bot + 1));
        assert!(sb.deliveries(bot + 1).is_none());
    }

    #[test]
    fn bulk_chats_are_silent_and_leave_existing_ones() {
        let (sb, bot) = sandbox(0);
        let ann = UserRef { id: 123, first_name: "Ann".into(), username: Some("ann".into()), language_code: Some("uk".into()), ..UserRef::default() };
        assert_eq!(sb.create_chats(bot, std::slice::from_ref(&ann)), Ok(1));
        text(&sb, bot, 123, false).expect("the chat exists");
        let many: Vec<UserRef> = (100..20_100).map(buyer).collect();
        let t = Instant::now();
        assert_eq!(sb.create_chats(bot, &many), Ok(19_999), "123 was there");
        assert!(t.elapsed().as_millis() < 1000, "{:?}", t.elapsed());

        let kept = sb.transcript(bot, 123).expect("ann");
        assert_eq!((kept.user, kept.messages.len()), (ann, 1));
        let fresh = sb.transcript(bot, 5_000).expect("new chat");
        assert!(fresh.messages.is_empty() && fresh.notices.is_empty());
        let st = sb.lock();
        let b = st.bots.get(&bot).expect("bot");
        assert!(b.pending.is_empty(), "no update for getUpdates");
        assert_eq!(b.next_update_id, 100_000_001);
        assert_eq!(b.chats.len(), 20_000);
        drop(st);
        assert_eq!(sb.create_chats(bot, &[buyer(0)]).map_err(|e| e.contains("users[0]")), Err(true));
        assert_eq!(sb.create_chats(bot, &[UserRef { id: 7, ..UserRef::default() }]).map_err(|e| e.contains("first_name")), Err(true));
        assert!(sb.create_chats(bot + 1, &[buyer(1)]).is_err());
    }
}
