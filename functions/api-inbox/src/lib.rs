//! `api-inbox`: every conversation across the workspace's bots, message
//! history, replies of every Telegram media kind, read marks, assignment to
//! a manager (which notifies the assignee), and "create request" from a chat.
//! Triage ([`triage`]): tabs and counters, open / snoozed / resolved,
//! private notes, canned replies, a phone saved from a message.
//!
//! A reply's file is a file of the workspace's file store (`upload_id`:
//! uploaded by the browser straight to S3 through `api-files`, up to
//! Telegram's 50 MB — API Gateway's 10 MB request limit never applies),
//! streamed from S3 into Telegram's multipart request; or a `file_id`
//! Telegram already has. Never a URL for Telegram to fetch.

use cartie_apikit::dto::*;
use cartie_apikit::http::{json_etag, no_content};
use cartie_apikit::ops::{ConversationId, InboxOp};
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::b2b::Wanted;
use cartie_domain::files::{is_active_content, sniff, FilePurpose};
use cartie_domain::inbox::{self, Direction, Message, MessageKind};
use cartie_domain::jobs::Job;
use cartie_domain::partners::{Priority, RequestDetails, RequestStatus};
use cartie_domain::validate;
use cartie_platform::notify::{notify, Event, Notice, Recipients};
use cartie_store::files::StoredFile;
use cartie_store::inbox::{conversation_id, message_sk, CarRequest, Conversation, Recorded};
use cartie_store::{util, StoreError};
use cartie_telegram::{Media, OnceReader, Reply, TgError};
use std::collections::HashMap;

mod triage;

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
            let phone = app.store.contact(ctx.ws()?, id.bot_id, c.contact.id).await?.and_then(|k| k.phone);
            json(&ConversationView { phone, ..view(&c, &bot_names(app, ctx.ws()?).await?) })
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
        InboxOp::SendReply { conversation_id, body } => send_reply(app, &ctx, *conversation_id, body).await,
        InboxOp::CreateRequestFromChat { conversation_id, body } => create_request(app, &ctx, *conversation_id, body).await,
        InboxOp::DraftRequestFromChat { conversation_id } => draft_request(app, &ctx, *conversation_id).await,
        InboxOp::DownloadFile { bot_id, file_id } => download(app, &ctx, *bot_id, file_id).await,
        InboxOp::InboxCounts {} => triage::counts(app, &ctx).await,
        InboxOp::SetConversationStatus { conversation_id, body } => triage::set_status(app, &ctx, *conversation_id, body).await,
        InboxOp::AddNote { conversation_id, body } => triage::add_note(app, &ctx, *conversation_id, body).await,
        InboxOp::SavePhone { conversation_id, body } => triage::save_phone(app, &ctx, *conversation_id, body).await,
        InboxOp::ListCannedReplies {} => triage::canned_replies(app, &ctx).await,
        InboxOp::CreateCannedReply { body } => triage::create_canned_reply(app, &ctx, body).await,
        InboxOp::UpdateCannedReply { shortcut, body } => triage::update_canned_reply(app, &ctx, shortcut, body).await,
        InboxOp::DeleteCannedReply { shortcut } => triage::delete_canned_reply(app, &ctx, shortcut).await,
    }
}

/// A conditional write found no conversation: 404. Any other storage
/// failure stays a storage failure (never a "not found").
pub(crate) fn no_conversation(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("no such conversation"),
        other => other.into(),
    }
}

pub(crate) async fn conversation(app: &App, ctx: &Ctx<InboxOp>, bot: i64, chat: i64) -> Result<Conversation, ApiError> {
    app.store.conversation(ctx.ws()?, bot, chat).await?.ok_or_else(|| ApiError::not_found("no such conversation"))
}

/// The names of the workspace's lines: its bots, and its Telegram accounts
/// (keyed by the account's user id, as their conversations are). Two reads.
pub(crate) async fn bot_names(app: &App, ws: &str) -> Result<HashMap<i64, (String, ConversationVia)>, ApiError> {
    let mut names: HashMap<i64, (String, ConversationVia)> =
        app.store.bots(ws).await?.into_iter().map(|b| (b.bot_id, (b.username, ConversationVia::Bot))).collect();
    for a in app.store.tg_accounts(ws).await? {
        if let Some(line) = a.tg_user_id {
            names.insert(line, (a.label(), ConversationVia::Account));
        }
    }
    Ok(names)
}

pub(crate) fn view(c: &Conversation, bots: &HashMap<i64, (String, ConversationVia)>) -> ConversationView {
    let line = bots.get(&c.bot_id);
    ConversationView {
        id: conversation_id(c.bot_id, c.chat_id),
        bot_id: c.bot_id,
        bot_username: line.map(|l| l.0.clone()),
        via: line.map(|l| l.1).unwrap_or(ConversationVia::Bot),
        chat_id: c.chat_id,
        contact: c.contact.clone(),
        last_message_at: util::rfc3339(c.last_message_at_ms),
        preview: c.preview.clone(),
        last_direction: c.last_direction,
        unread: c.unread,
        assignee: c.assignee.clone(),
        blocked: c.blocked,
        handoff_until: c.handoff_until_ms.filter(|t| *t > util::now_ms()).map(|t| util::rfc3339(t.min(253_402_300_799_000))),
        status: c.status,
        snoozed_until: c.snoozed_until_ms.map(util::rfc3339),
        phone: None,
    }
}

pub(crate) fn message_view(m: Message) -> MessageView {
    let key = match &m.note_id {
        Some(id) => cartie_store::keys::note(m.at_ms, id),
        None => {
            let dedup = (m.kind == MessageKind::Callback).then(|| format!("cb{}", m.seq));
            message_sk(&m, dedup.as_deref())
        }
    };
    MessageView { key, at: util::rfc3339(m.at_ms), message: m }
}

async fn list_conversations(app: &App, ctx: &Ctx<InboxOp>, req: &Request, q: &ConversationQuery) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let view_of = triage::view_of(ctx, q)?;
    // A search: the first matches across the view, newest first, no cursor.
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.chars().count() > 100 {
            return Err(ApiError::invalid("q", "at most 100 characters"));
        }
        let found = app.store.search_conversations(ws, text, q.bot()?).await?;
        let bots = bot_names(app, ws).await?;
        let items = found.iter().filter(|c| view_of.shows(c)).map(|c| view(c, &bots)).collect();
        return json_etag(req, &ConversationPage { items, next_cursor: None });
    }
    let page = app.store.conversations_in_view(ws, q.bot()?, &view_of, q.limit(30)? as usize, q.cursor.as_deref()).await?;
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

/// The stored file a reply sends: a ready file of this workspace (another
/// workspace's id is not found), of a type Telegram shows as `kind`.
async fn attachment(app: &App, ws: &str, upload_id: &str, kind: MessageKind) -> Result<StoredFile, ApiError> {
    let f = app.files.file(ws, upload_id.trim()).await?.ok_or_else(|| ApiError::invalid("upload_id", "no such uploaded file in your workspace"))?;
    if !f.is_ready() {
        return Err(ApiError::invalid("upload_id", "this file has not finished uploading"));
    }
    if f.purpose == FilePurpose::Export {
        return Err(ApiError::invalid("upload_id", "an export cannot be sent to a buyer"));
    }
    inbox::check_attachment(kind, f.content_type.as_deref().unwrap_or("application/octet-stream"))?;
    Ok(f)
}

async fn send_reply(app: &App, ctx: &Ctx<InboxOp>, id: ConversationId, b: &SendReplyRequest) -> Result<Response<Body>, ApiError> {
    let (bot_id, chat_id) = (id.bot_id, id.chat_id);
    let ws = ctx.ws()?;
    conversation(app, ctx, bot_id, chat_id).await?;
    let upload_id = b.upload_id.as_deref().filter(|u| !u.trim().is_empty() && b.kind != MessageKind::Text);
    let stored = match upload_id {
        Some(u) => Some(attachment(app, ws, u, b.kind).await?),
        None => None,
    };
    let size = stored.as_ref().map(|f| usize::try_from(f.size).unwrap_or(usize::MAX));
    inbox::check_reply(b.kind, b.text.as_deref(), b.caption.as_deref(), size).map_err(|e| match e.field.as_str() {
        "file" => ApiError::invalid("upload_id", e.message),
        _ => e.into(),
    })?;
    // A conversation through one of the dealer's Telegram accounts: its host sends.
    if app.store.bot(ws, bot_id).await?.is_none() {
        if let Some(account) = app.store.tg_account_by_user(ws, bot_id).await? {
            return account_reply(app, ctx, &account, chat_id, b, stored.as_ref()).await;
        }
    }
    let media = match (stored, &b.file_id) {
        _ if b.kind == MessageKind::Text => None,
        (Some(f), _) => Some(Media::Stream { reader: OnceReader::new(app.files.reader(&f).await?), file_name: f.name.clone() }),
        (None, Some(id)) => Some(Media::FileId(id.clone())),
        (None, None) => return Err(ApiError::invalid("upload_id", format!("a {} needs an uploaded file (upload_id) or a file_id", b.kind.as_str()))),
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
        TgError::Refused(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "telegram_refused", m).field("upload_id"),
        TgError::Network(m) => ApiError::new(StatusCode::BAD_GATEWAY, "telegram_unreachable", m),
    })?;
    let sent = Message { sent_by: Some(ctx.caller()?.email.clone()), ..sent };
    let seq = match app.store.record_message(ws, &sent, None, None).await? {
        Recorded::New(seq) => seq,
        Recorded::Duplicate(seq) => seq.unwrap_or(0),
    };
    json_status(StatusCode::CREATED, &message_view(Message { seq, ..sent }))
}

/// A reply sent as one of the dealer's Telegram accounts: text, a photo or
/// a document from the file store, handed to the host holding the account,
/// which sends it and stores it in the conversation.
async fn account_reply(
    app: &App,
    ctx: &Ctx<InboxOp>,
    account: &cartie_domain::tg_accounts::TelegramAccount,
    chat_id: i64,
    b: &SendReplyRequest,
    stored: Option<&StoredFile>,
) -> Result<Response<Body>, ApiError> {
    use cartie_apikit::hosts::{ask, Addressee};
    use cartie_domain::tg_accounts::{HostCommand, OutgoingFile};
    // Photos go as photos; any other uploaded file (a video, a PDF, audio) as a document.
    let file = match (b.kind, stored) {
        (MessageKind::Text, _) => None,
        (MessageKind::Sticker | MessageKind::Location | MessageKind::Contact | MessageKind::Callback | MessageKind::Other, _) => {
            return Err(ApiError::invalid("kind", format!("a Telegram account sends text and files, not a {}", b.kind.as_str())))
        }
        (kind, Some(f)) => Some(OutgoingFile { file_id: f.id.clone(), name: f.name.clone(), as_photo: kind == MessageKind::Photo }),
        (_, None) => return Err(ApiError::invalid("upload_id", "an account sends files uploaded to Cartie (upload_id)")),
    };
    let text = if b.kind == MessageKind::Text { b.text.clone() } else { b.caption.clone() };
    let command = HostCommand::SendMessage { chat_id, text, file, sent_by: ctx.caller()?.email.clone() };
    let result = ask(app, ctx.ws()?, &account.id, &command, Addressee::Holder).await?;
    let sent: Message = result
        .sent
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or_else(|| ApiError::internal("the account service answered without the sent message"))?;
    json_status(StatusCode::CREATED, &message_view(sent))
}

/// Messages of the buyer's read for a request draft (the newest).
const DRAFT_MESSAGES: i32 = 30;

/// "Create request" filled in from the buyer's recent words: one read of
/// the newest messages, nothing written.
async fn draft_request(app: &App, ctx: &Ctx<InboxOp>, id: ConversationId) -> Result<Response<Body>, ApiError> {
    conversation(app, ctx, id.bot_id, id.chat_id).await?;
    let page = app.store.messages(ctx.ws()?, id.bot_id, id.chat_id, DRAFT_MESSAGES, None).await?;
    let mut msgs: Vec<_> = page.items.iter().filter(|m| m.direction == Direction::In).collect();
    msgs.sort_by_key(|m| std::cmp::Reverse((m.at_ms, m.seq)));
    let texts: Vec<&str> = msgs.iter().filter_map(|m| m.text.as_deref().or(m.caption.as_deref())).collect();
    let d = cartie_domain::request_draft::draft(&texts, util::this_year() + 1);
    json(&RequestDraftView {
        make: d.make,
        model: d.model,
        year_from: d.year_from,
        year_to: d.year_to,
        budget: d.budget,
        currency: d.currency.map(String::from),
        quote: d.quote,
    })
}

async fn create_request(app: &App, ctx: &Ctx<InboxOp>, id: ConversationId, body: &CreateCarRequest) -> Result<Response<Body>, ApiError> {
    let (bot, chat) = (id.bot_id, id.chat_id);
    conversation(app, ctx, bot, chat).await?;
    let priority = match body.priority.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => Priority::Normal,
        Some("low") => Priority::Low,
        Some("normal") => Priority::Normal,
        Some("high") => Priority::High,
        Some("urgent") => Priority::Urgent,
        Some(_) => return Err(ApiError::invalid("priority", "must be one of low, normal, high, urgent")),
    };
    let wanted = Wanted {
        make: body.make.clone(),
        model: body.model.clone(),
        year_from: body.year_from,
        year_to: body.year_to,
        budget: body.budget,
        currency: body.currency.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| "EUR".into()),
        max_mileage_km: None,
        fuel: None,
        transmission: None,
        body: None,
        color: None,
    }
    .checked()?;
    let details = RequestDetails { priority, ..RequestDetails::default() };
    let mut r = CarRequest::new(ctx.ws()?, util::new_id(), wanted, details, RequestStatus::Open, &ctx.caller()?.email);
    r.conversation = Some(conversation_id(bot, chat));
    // Made for partners: shared, and matched off the request path.
    r.shared = true;
    app.store.create_request(&r).await?;
    app.queues.send("jobs", &Job::MatchRequest { workspace_id: r.workspace_id.clone(), request_id: r.id.clone() }).await?;
    json_status(StatusCode::CREATED, &CarRequestView::from(&r))
}

async fn download(app: &App, ctx: &Ctx<InboxOp>, bot_id: i64, file_id: &str) -> Result<Response<Body>, ApiError> {
    // Media of a conversation through a Telegram account: the host copied it into the file store.
    if let Some(stored_id) = file_id.strip_prefix("store:") {
        let f =
            app.files.file(ctx.ws()?, stored_id).await?.filter(|f| f.purpose == FilePurpose::ChatMedia).ok_or_else(|| ApiError::not_found("no such file"))?;
        let bytes = app.files.read(&f, None).await?;
        let ct = sniff(&bytes).filter(|t| !is_active_content(t)).unwrap_or("application/octet-stream");
        return Response::builder()
            .header("content-type", ct)
            .header("cache-control", "private, max-age=86400")
            .body(Body::Binary(bytes))
            .map_err(|e| ApiError::internal(e.to_string()));
    }
    let bot = app.store.bot(ctx.ws()?, bot_id).await?.ok_or_else(|| ApiError::not_found("no such bot"))?;
    let token = app.data_key.open(&bot.token_sealed).map_err(ApiError::internal)?;
    let (bytes, path) = app.telegram.download(&token, file_id).await.map_err(|e| match e {
        TgError::Refused(_) => ApiError::not_found("Telegram has no such file for this bot"),
        other => ApiError::new(StatusCode::BAD_GATEWAY, "telegram_error", other.to_string()),
    })?;
    // Never a type that renders (HTML, SVG): those are served as bytes.
    let ct = sniff(&bytes).filter(|t| !is_active_content(t)).unwrap_or_else(|| by_extension(&path));
    Response::builder()
        .header("content-type", ct)
        .header("cache-control", "private, max-age=86400")
        .body(Body::Binary(bytes))
        .map_err(|e| ApiError::internal(e.to_string()))
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
