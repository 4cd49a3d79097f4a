//! Triage of the Inbox: the views (tabs, status, unread) and their
//! counters, open / snoozed / resolved, private notes, the team's canned
//! replies and a phone saved from a message to the buyer's contact.

use crate::{bot_names, conversation, message_view, no_conversation, view};
use cartie_apikit::dto::*;
use cartie_apikit::http::no_content;
use cartie_apikit::ops::{ConversationId, InboxOp};
use cartie_apikit::{json, json_status, ApiError, App, Body, Ctx, Response, StatusCode};
use cartie_domain::inbox::{self, ConversationStatus};
use cartie_domain::jobs::{wake_key, Job};
use cartie_domain::values::phone;
use cartie_store::triage::{Assignee, CannedReply, View};
use cartie_store::{util, StoreError};

/// The longest a conversation may be snoozed.
const SNOOZE_MAX_MS: i64 = 366 * 86_400_000;

/// The list's view from its query: a tab is about the caller.
pub fn view_of(ctx: &Ctx<InboxOp>, q: &ConversationQuery) -> Result<View, ApiError> {
    let assignee = match q.tab()? {
        None => None,
        Some(Tab::Mine) => Some(Assignee::Member(ctx.caller()?.email.clone())),
        Some(Tab::Unassigned) => Some(Assignee::Nobody),
    };
    Ok(View { status: q.status()?, assignee, unread_only: q.unread_only()? })
}

pub async fn counts(app: &App, ctx: &Ctx<InboxOp>) -> Result<Response<Body>, ApiError> {
    let c = app.store.inbox_counters(ctx.ws()?, &ctx.caller()?.email).await?;
    json(&InboxCountsView { open: c.open, mine: c.mine, unassigned: c.unassigned, unread: c.unread, snoozed: c.snoozed, resolved: c.resolved, total: c.total })
}

pub async fn set_status(app: &App, ctx: &Ctx<InboxOp>, id: ConversationId, b: &SetStatusRequest) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let until = match b.status {
        ConversationStatus::Snoozed => {
            let raw = b.snoozed_until.as_deref().ok_or_else(|| ApiError::invalid("snoozed_until", "say until when to snooze"))?;
            let at = util::parse_rfc3339(raw).ok_or_else(|| ApiError::invalid("snoozed_until", "must be a time like 2026-05-01T09:00:00Z"))?;
            let now = util::now_ms();
            if at <= now {
                return Err(ApiError::invalid("snoozed_until", "must be in the future"));
            }
            if at > now + SNOOZE_MAX_MS {
                return Err(ApiError::invalid("snoozed_until", "must be within a year"));
            }
            Some(at)
        }
        _ => None,
    };
    let c = app.store.set_status(ws, id.bot_id, id.chat_id, b.status, until).await.map_err(no_conversation)?;
    if let Some(at) = until {
        // The wake-up checks the snooze is still this one, so a snooze
        // changed or ended meanwhile wakes nothing.
        let job = Job::WakeConversation { workspace_id: ws.into(), bot_id: id.bot_id, chat_id: id.chat_id, until_ms: at };
        cartie_platform::later::schedule(app, ws, &wake_key(id.bot_id, id.chat_id, at), at, &job).await?;
    }
    json(&view(&c, &bot_names(app, ws).await?))
}

pub async fn add_note(app: &App, ctx: &Ctx<InboxOp>, id: ConversationId, b: &NoteRequest) -> Result<Response<Body>, ApiError> {
    let text = inbox::check_note(&b.text)?;
    conversation(app, ctx, id.bot_id, id.chat_id).await?;
    let note = app.store.add_note(ctx.ws()?, id.bot_id, id.chat_id, &ctx.caller()?.email, &text).await?;
    json_status(StatusCode::CREATED, &message_view(note))
}

pub async fn save_phone(app: &App, ctx: &Ctx<InboxOp>, id: ConversationId, b: &SavePhoneRequest) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    // A number written nationally is read as Ukrainian ("067 …" is
    // +380 67 …); one of an unknown plan is kept as its digits.
    let number = phone::e164(&b.phone, "ua")
        .or_else(|| phone::normalise_phone(&b.phone))
        .ok_or_else(|| ApiError::invalid("phone", "is not a phone number (7 to 15 digits)"))?;
    let c = conversation(app, ctx, id.bot_id, id.chat_id).await?;
    app.store.upsert_contact(ws, id.bot_id, &c.contact, None, Some(&number)).await?;
    json(&ContactPhoneView { phone: number })
}

fn canned_view(r: &CannedReply) -> CannedReplyView {
    CannedReplyView { shortcut: r.shortcut.clone(), text: r.text.clone(), updated_by: r.updated_by.clone(), updated_at: util::rfc3339(r.updated_at_ms) }
}

pub async fn canned_replies(app: &App, ctx: &Ctx<InboxOp>) -> Result<Response<Body>, ApiError> {
    let mut items = app.store.canned_replies(ctx.ws()?).await?;
    items.sort_by(|a, b| a.shortcut.cmp(&b.shortcut));
    json(&CannedReplyList { items: items.iter().map(canned_view).collect() })
}

pub async fn create_canned_reply(app: &App, ctx: &Ctx<InboxOp>, b: &NewCannedReplyRequest) -> Result<Response<Body>, ApiError> {
    let shortcut = inbox::check_shortcut(&b.shortcut)?;
    let r = canned_reply(ctx, shortcut, &b.text)?;
    app.store.save_canned_reply(&r, true).await.map_err(|e| match e {
        StoreError::Invalid(m) => ApiError::invalid("shortcut", m),
        StoreError::Conflict(m) => ApiError::conflict(m).field("shortcut"),
        other => other.into(),
    })?;
    json_status(StatusCode::CREATED, &canned_view(&r))
}

pub async fn update_canned_reply(app: &App, ctx: &Ctx<InboxOp>, shortcut: &str, b: &CannedReplyRequest) -> Result<Response<Body>, ApiError> {
    let shortcut = inbox::check_shortcut(shortcut).map_err(|_| no_canned())?;
    let r = canned_reply(ctx, shortcut, &b.text)?;
    app.store.save_canned_reply(&r, false).await.map_err(|e| match e {
        StoreError::NotFound => no_canned(),
        other => other.into(),
    })?;
    json(&canned_view(&r))
}

fn canned_reply(ctx: &Ctx<InboxOp>, shortcut: String, text: &str) -> Result<CannedReply, ApiError> {
    let text = inbox::check_canned_text(text)?;
    Ok(CannedReply { workspace_id: ctx.ws()?.into(), shortcut, text, updated_by: ctx.caller()?.email.clone(), updated_at_ms: util::now_ms() })
}

fn no_canned() -> ApiError {
    ApiError::not_found("no such canned reply").field("shortcut")
}

pub async fn delete_canned_reply(app: &App, ctx: &Ctx<InboxOp>, shortcut: &str) -> Result<Response<Body>, ApiError> {
    let shortcut = inbox::check_shortcut(shortcut).map_err(|_| no_canned())?;
    app.store.delete_canned_reply(ctx.ws()?, &shortcut).await.map_err(|e| match e {
        StoreError::NotFound => no_canned(),
        other => other.into(),
    })?;
    no_content()
}
