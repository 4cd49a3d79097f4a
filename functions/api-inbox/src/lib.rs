//! `api-inbox`: every conversation across the workspace's bots, message
//! history, replies of every Telegram media kind (uploaded multipart, or a
//! `file_id` Telegram already has — never a URL for Telegram to fetch),
//! read marks, assignment to a manager (which notifies the assignee), and
//! "create request" from a chat.

use bytes::Bytes;
use cartie_apikit::dto::*;
use cartie_apikit::http::{json_etag, no_content};
use cartie_apikit::ops::{ConversationId, InboxOp};
use cartie_apikit::{authorize, json, json_status, parse_json, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::inbox::{self, Message, MessageKind};
use cartie_domain::validate;
use cartie_platform::notify::{notify, Event, Notice, Recipients};
use cartie_store::inbox::{conversation_id, message_sk, CarRequest, Conversation, Recorded};
use cartie_store::{util, StoreError};
use cartie_telegram::{Media, Reply, TgError};
use std::collections::HashMap;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<InboxOp>(app, &req).await {
        Ok(ctx) => route(app, ctx, &req).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<InboxOp>, req: &Request) -> Result<Response<Body>, ApiError> {
    match &ctx.op {
        InboxOp::ListConversations { query } => list_conversations(app, &ctx, req, query).await,
        InboxOp::GetConversation { conversation_id: id } => {
            let c = conversation(app, &ctx, id.bot_id, id.chat_id).await?;
            json(&view(&c, &bot_names(app, ctx.ws()?).await?))
        }
        InboxOp::AssignConversation { conversation_id, body } => assign(app, &ctx, *conversation_id, body).await,
        InboxOp::ReleaseConversation { conversation_id: id } => {
            conversation(app, &ctx, id.bot_id, id.chat_id).await?;
            app.store.set_handoff(ctx.ws()?, id.bot_id, id.chat_id, None).await.map_err(no_conversation)?;
            let c = conversation(app, &ctx, id.bot_id, id.chat_id).await?;
            json(&view(&c, &bot_names(app, ctx.ws()?).await?))
        }
        InboxOp::MarkRead { conversation_id: id } => {
            app.store.mark_read(ctx.ws()?, id.bot_id, id.chat_id).await.map_err(no_conversation)?;
            no_content()
        }
        InboxOp::ListMessages { conversation_id, query } => list_messages(app, &ctx, req, *conversation_id, query).await,
        InboxOp::SendReply { conversation_id } => send_reply(app, &ctx, req, *conversation_id).await,
        InboxOp::CreateRequestFromChat { conversation_id, body } => create_request(app, &ctx, *conversation_id, body).await,
        InboxOp::DownloadFile { bot_id, file_id } => download(app, &ctx, *bot_id, file_id).await,
        InboxOp::ListRequests {} => json(&CarRequestList { requests: app.store.requests(ctx.ws()?).await?.iter().map(CarRequestView::from).collect() }),
    }
}

/// A conditional write found no conversation: 404. Any other storage
/// failure stays a storage failure (never a "not found").
fn no_conversation(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("no such conversation"),
        other => other.into(),
    }
}

async fn conversation(app: &App, ctx: &Ctx<InboxOp>, bot: i64, chat: i64) -> Result<Conversation, ApiError> {
    app.store.conversation(ctx.ws()?, bot, chat).await?.ok_or_else(|| ApiError::not_found("no such conversation"))
}

async fn bot_names(app: &App, ws: &str) -> Result<HashMap<i64, String>, ApiError> {
    Ok(app.store.bots(ws).await?.into_iter().map(|b| (b.bot_id, b.username)).collect())
}

fn view(c: &Conversation, bots: &HashMap<i64, String>) -> ConversationView {
    ConversationView {
        id: conversation_id(c.bot_id, c.chat_id),
        bot_id: c.bot_id,
        bot_username: bots.get(&c.bot_id).cloned(),
        chat_id: c.chat_id,
        contact: c.contact.clone(),
        last_message_at: util::rfc3339(c.last_message_at_ms),
        preview: c.preview.clone(),
        last_direction: c.last_direction,
        unread: c.unread,
        assignee: c.assignee.clone(),
        blocked: c.blocked,
        handoff_until: c.handoff_until_ms.filter(|t| *t > util::now_ms()).map(|t| util::rfc3339(t.min(253_402_300_799_000))),
    }
}

fn message_view(m: Message) -> MessageView {
    let dedup = (m.kind == MessageKind::Callback).then(|| format!("cb{}", m.seq));
    MessageView { key: message_sk(&m, dedup.as_deref()), at: util::rfc3339(m.at_ms), message: m }
}

async fn list_conversations(app: &App, ctx: &Ctx<InboxOp>, req: &Request, q: &ConversationQuery) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let page = app.store.conversations(ws, q.bot()?, q.limit(30)? as i32, q.cursor.as_deref()).await?;
    let bots = bot_names(app, ws).await?;
    json_etag(req, &ConversationPage { items: page.items.iter().map(|c| view(c, &bots)).collect(), next_cursor: page.next })
}

async fn list_messages(app: &App, ctx: &Ctx<InboxOp>, req: &Request, id: ConversationId, q: &PageQuery) -> Result<Response<Body>, ApiError> {
    let (bot, chat) = (id.bot_id, id.chat_id);
    conversation(app, ctx, bot, chat).await?;
    let page = app.store.messages(ctx.ws()?, bot, chat, q.limit(50)? as i32, q.cursor.as_deref()).await?;
    json_etag(req, &MessagePage { items: page.items.into_iter().map(message_view).collect(), next_cursor: page.next })
}

async fn assign(app: &App, ctx: &Ctx<InboxOp>, id: ConversationId, body: &AssignRequest) -> Result<Response<Body>, ApiError> {
    let (bot, chat) = (id.bot_id, id.chat_id);
    let ws = ctx.ws()?;
    let assignee = match body.assignee.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(e) => {
            let email = validate::email("assignee", e)?;
            if app.store.member(ws, &email).await?.is_none() {
                return Err(ApiError::invalid("assignee", "is not a member of this workspace"));
            }
            Some(email)
        }
        None => None,
    };
    let before = app.store.assign(ws, bot, chat, assignee.as_deref()).await.map_err(no_conversation)?;
    let caller = ctx.caller()?;
    // "Assigned to you" for the new assignee, unless they took it themselves.
    if let Some(to) = assignee.as_deref().filter(|a| before.assignee.as_deref() != Some(*a) && *a != caller.email) {
        let event = Event {
            id: util::new_id(),
            workspace_id: ws.into(),
            at_ms: util::now_ms(),
            notice: Notice::LeadAssigned { bot_id: bot, chat_id: chat, buyer: before.contact.display_name(), by: caller.name.clone() },
            recipients: Recipients::User { email: to.into() },
            actor: Some(caller.email.clone()),
        };
        // The assignment stands either way; a lost notice is logged, not a failed request.
        if let Err(e) = notify(app, event).await {
            tracing::error!(error = %e, "the assignment notification was not queued");
        }
    }
    let c = Conversation { assignee, ..before };
    json(&view(&c, &bot_names(app, ws).await?))
}

/// A reply as the request carries it: JSON, or multipart with a `file` part.
struct ReplyInput {
    body: SendReplyRequest,
    upload: Option<(Bytes, String, Option<String>)>,
}

async fn read_reply(req: &Request) -> Result<ReplyInput, ApiError> {
    let ct = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if !ct.starts_with("multipart/form-data") {
        return Ok(ReplyInput { body: parse_json(req)?, upload: None });
    }
    let boundary = multer::parse_boundary(&ct).map_err(|_| ApiError::bad_request("multipart body without a boundary").field("body"))?;
    let bytes = Bytes::copy_from_slice(req.body().as_ref());
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut upload = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(ApiError::bad_request(format!("unreadable multipart body: {e}")).field("body")),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("file").to_string();
            let mime = field.content_type().map(|m| m.to_string());
            let data = field.bytes().await.map_err(|e| ApiError::bad_request(format!("unreadable file: {e}")).field("file"))?;
            upload = Some((data, file_name, mime));
        } else {
            let text = field.text().await.map_err(|_| ApiError::bad_request("unreadable form field").field(name.clone()))?;
            fields.insert(name, text);
        }
    }
    let kind_s = fields.get("kind").cloned().unwrap_or_default();
    let kind = MessageKind::parse(&kind_s)
        .ok_or_else(|| ApiError::invalid("kind", "must be one of text, photo, video, audio, voice, document, animation, sticker, video_note"))?;
    let reply_to = match fields.get("reply_to").filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse().map_err(|_| ApiError::invalid("reply_to", "must be a message id"))?),
        None => None,
    };
    Ok(ReplyInput {
        body: SendReplyRequest {
            kind,
            text: fields.get("text").cloned(),
            caption: fields.get("caption").cloned().filter(|c| !c.is_empty()),
            file_id: fields.get("file_id").cloned().filter(|c| !c.is_empty()),
            reply_to,
        },
        upload,
    })
}

async fn send_reply(app: &App, ctx: &Ctx<InboxOp>, req: &Request, id: ConversationId) -> Result<Response<Body>, ApiError> {
    let (bot_id, chat_id) = (id.bot_id, id.chat_id);
    let ws = ctx.ws()?;
    conversation(app, ctx, bot_id, chat_id).await?;
    let input = read_reply(req).await?;
    let b = input.body;
    inbox::check_reply(b.kind, b.text.as_deref(), b.caption.as_deref(), input.upload.as_ref().map(|u| u.0.len()))?;
    let media = match (&input.upload, &b.file_id) {
        _ if b.kind == MessageKind::Text => None,
        (Some((bytes, name, _)), _) => {
            if b.kind == MessageKind::Voice && !inbox::is_ogg_opus(bytes) {
                return Err(ApiError::invalid("file", "a voice message must be OGG/Opus, or Telegram shows it as a music file"));
            }
            Some(Media::Upload { bytes: bytes.clone(), file_name: name.clone() })
        }
        (None, Some(id)) => Some(Media::FileId(id.clone())),
        (None, None) => return Err(ApiError::invalid("file", format!("a {} needs a file upload or a file_id", b.kind.as_str()))),
    };
    let bot = app.store.bot(ws, bot_id).await?.ok_or_else(|| ApiError::conflict("this conversation's bot is no longer connected"))?;
    let token = app.data_key.open(&bot.token_sealed).map_err(ApiError::internal)?;
    let reply = Reply { kind: b.kind, text: b.text.clone(), caption: b.caption.clone(), media, reply_markup: None, reply_to: b.reply_to };
    let sent = app.telegram.send(&token, bot_id, chat_id, &reply).await;
    if let Err(TgError::Blocked) = &sent {
        app.store.set_blocked(ws, bot_id, chat_id, true).await?;
    }
    let sent = sent.map_err(|e| match e {
        TgError::Blocked => ApiError::new(StatusCode::CONFLICT, "blocked", "the buyer blocked this bot: the message was not delivered"),
        TgError::RetryAfter(s) => {
            let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("Telegram asks to wait {s} s before sending more"));
            e.retry_after = Some(i64::from(s));
            e
        }
        TgError::InvalidToken => ApiError::new(StatusCode::CONFLICT, "bot_token_revoked", "Telegram no longer accepts this bot's token; reconnect the bot"),
        TgError::Refused(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "telegram_refused", m).field("file"),
        TgError::Network(m) => ApiError::new(StatusCode::BAD_GATEWAY, "telegram_unreachable", m),
    })?;
    let sent = Message { sent_by: Some(ctx.caller()?.email.clone()), ..sent };
    let seq = match app.store.record_message(ws, &sent, None, None).await? {
        Recorded::New(seq) => seq,
        Recorded::Duplicate(seq) => seq.unwrap_or(0),
    };
    json_status(StatusCode::CREATED, &message_view(Message { seq, ..sent }))
}

const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

async fn create_request(app: &App, ctx: &Ctx<InboxOp>, id: ConversationId, body: &CreateCarRequest) -> Result<Response<Body>, ApiError> {
    let (bot, chat) = (id.bot_id, id.chat_id);
    conversation(app, ctx, bot, chat).await?;
    let make = validate::name("make", &body.make, 40)?;
    let model = match body.model.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) => Some(validate::name("model", m, 60)?),
        None => None,
    };
    for (field, y) in [("year_from", body.year_from), ("year_to", body.year_to)] {
        if let Some(y) = y {
            if !(1950..=2100).contains(&y) {
                return Err(ApiError::invalid(field, "must be a year between 1950 and 2100"));
            }
        }
    }
    if let (Some(a), Some(b)) = (body.year_from, body.year_to) {
        if a > b {
            return Err(ApiError::invalid("year_to", "must not be before year_from"));
        }
    }
    if body.budget.is_some_and(|b| b <= 0) {
        return Err(ApiError::invalid("budget", "must be a positive amount"));
    }
    let currency = body.currency.clone().unwrap_or_else(|| "EUR".into()).trim().to_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|c| c.is_ascii_uppercase()) {
        return Err(ApiError::invalid("currency", "must be a 3-letter ISO code like EUR or USD"));
    }
    let priority = body.priority.clone().unwrap_or_else(|| "normal".into());
    if !PRIORITIES.contains(&priority.as_str()) {
        return Err(ApiError::invalid("priority", "must be one of low, normal, high, urgent"));
    }
    let r = CarRequest {
        workspace_id: ctx.ws()?.into(),
        id: util::new_id(),
        make,
        model,
        year_from: body.year_from,
        year_to: body.year_to,
        budget: body.budget,
        currency,
        priority,
        status: "open".into(),
        conversation: Some(conversation_id(bot, chat)),
        created_by: ctx.caller()?.email.clone(),
        created_at_ms: util::now_ms(),
    };
    app.store.create_request(&r).await?;
    json_status(StatusCode::CREATED, &CarRequestView::from(&r))
}

async fn download(app: &App, ctx: &Ctx<InboxOp>, bot_id: i64, file_id: &str) -> Result<Response<Body>, ApiError> {
    let bot = app.store.bot(ctx.ws()?, bot_id).await?.ok_or_else(|| ApiError::not_found("no such bot"))?;
    let token = app.data_key.open(&bot.token_sealed).map_err(ApiError::internal)?;
    let (bytes, path) = app.telegram.download(&token, file_id).await.map_err(|e| match e {
        TgError::Refused(_) => ApiError::not_found("Telegram has no such file for this bot"),
        other => ApiError::new(StatusCode::BAD_GATEWAY, "telegram_error", other.to_string()),
    })?;
    let ct = sniff(&bytes).unwrap_or_else(|| by_extension(&path));
    Response::builder()
        .header("content-type", ct)
        .header("cache-control", "private, max-age=86400")
        .body(Body::Binary(bytes))
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// The type from the file's first bytes, when they say.
fn sniff(b: &[u8]) -> Option<&'static str> {
    Some(match b {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [b'O', b'g', b'g', b'S', ..] => "audio/ogg",
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        [0x1A, 0x45, 0xDF, 0xA3, ..] => "video/webm",
        [_, _, _, _, b'f', b't', b'y', b'p', ..] => "video/mp4",
        [b'I', b'D', b'3', ..] => "audio/mpeg",
        _ => return None,
    })
}

fn by_extension(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or_default().to_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "mp4" => "video/mp4",
        "oga" | "ogg" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "webm" => "video/webm",
        "tgs" => "application/x-tgsticker",
        _ => "application/octet-stream",
    }
}
