//! Delivers a notification event (queued by `cartie_platform::notify`):
//! one notification per recipient in the in-app centre, and a Telegram copy
//! to those who linked their Telegram and did not mute that kind, written
//! in each recipient's language.
//!
//! At least once, never twice: a notification's id comes from the event's,
//! so a second delivery finds the first one's notifications (and does not
//! count them again), and each Telegram copy is marked sent on its
//! notification, so a retry after a 429 sends only what did not go out.

use crate::outbound::send_with_short_wait;
use crate::BotError;
use cartie_domain::inbox::Message;
use cartie_domain::notify::{open_button, Event, Notice, Recipients};
use cartie_domain::Role;
use cartie_platform::Services;
use cartie_store::notifications::{notification_id, Delivered, Notification, TelegramLink};
use cartie_store::util;
use cartie_telegram::{Reply, TgError};
use std::collections::HashMap;

/// Writes `event` to each recipient's notifications and sends the Telegram copies.
pub async fn deliver(svc: &Services, event: &Event) -> Result<(), BotError> {
    let ws = event.workspace_id.as_str();
    let recipients = recipients(svc, event).await?;
    if recipients.is_empty() {
        return Ok(());
    }
    let links: HashMap<String, TelegramLink> = svc.store.telegram_links(ws).await?.into_iter().map(|l| (l.email.clone(), l)).collect();
    let id = notification_id(event.at_ms, &event.id);
    let kind = event.notice.kind();
    let mut tokens: HashMap<i64, Option<String>> = HashMap::new();
    for email in recipients {
        let note = Notification {
            workspace_id: ws.into(),
            email: email.clone(),
            id: id.clone(),
            event_id: event.id.clone(),
            at_ms: event.at_ms,
            notice: event.notice.clone(),
            read_at_ms: None,
            telegram_sent_at_ms: None,
        };
        if let Delivered::Existing { telegram_sent: true } = svc.store.deliver_notification(&note).await? {
            continue;
        }
        let Some(link) = links.get(&email).filter(|l| l.broken_at_ms.is_none() && !l.muted.contains(&kind)) else { continue };
        let token = match tokens.get(&link.bot_id) {
            Some(t) => t.clone(),
            None => {
                let t = match svc.store.bot(ws, link.bot_id).await? {
                    Some(bot) => Some(svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?),
                    None => None,
                };
                tokens.insert(link.bot_id, t.clone());
                t
            }
        };
        match token {
            Some(token) => send_copy(svc, &note, link, &token).await?,
            // The bot it was linked through is disconnected: the member links again.
            None => svc.store.mark_telegram_link_broken(ws, &email, link.telegram_user_id).await?,
        }
    }
    Ok(())
}

/// The e-mails of the members who hear of `event` (never its actor).
async fn recipients(svc: &Services, event: &Event) -> Result<Vec<String>, BotError> {
    let ws = event.workspace_id.as_str();
    let members = svc.store.members(ws).await?;
    let assignee = match &event.recipients {
        Recipients::ConversationAssignee { bot_id, chat_id } => svc.store.conversation(ws, *bot_id, *chat_id).await?.and_then(|c| c.assignee),
        _ => None,
    };
    let wanted = |email: &str, role: Role| match &event.recipients {
        Recipients::User { email: e } => e == email,
        Recipients::MembersAtLeast { role: min } => role.at_least(*min),
        Recipients::ConversationAssignee { .. } => assignee.as_deref() == Some(email),
    };
    Ok(members.into_iter().filter(|m| wanted(&m.email, m.role) && event.actor.as_deref() != Some(m.email.as_str())).map(|m| m.email).collect())
}

/// Sends one notification to a member's Telegram in their language. A
/// refusal that no retry mends (they blocked the bot) marks the link
/// broken; Telegram's `retry_after` goes back to the caller, which has the
/// whole job wait (`consumer::settle`) and resume where it stopped.
async fn send_copy(svc: &Services, note: &Notification, link: &TelegramLink, token: &str) -> Result<(), BotError> {
    let lang = svc.store.login_language(&note.email).await?;
    let mut reply = Reply::text(note.notice.telegram_text(lang));
    // A button opens the page in Cartie; Telegram takes only public https addresses.
    if let Some(base) = svc.public_url.as_deref().filter(|u| u.starts_with("https://")) {
        let url = format!("{base}{}", note.notice.link());
        reply.reply_markup = Some(serde_json::json!({ "inline_keyboard": [[{ "text": open_button(lang), "url": url }]] }));
    }
    match send_with_short_wait(svc, token, link.bot_id, link.telegram_user_id, &reply).await {
        Ok(_) => Ok(svc.store.set_notification_telegram_sent(&note.workspace_id, &note.email, &note.id).await?),
        Err(TgError::Blocked) => Ok(svc.store.mark_telegram_link_broken(&note.workspace_id, &note.email, link.telegram_user_id).await?),
        Err(TgError::Refused(why)) => {
            tracing::warn!(reason = %why, email = %note.email, "Telegram refused a notification copy");
            Ok(())
        }
        Err(TgError::InvalidToken) => {
            tracing::warn!(bot = link.bot_id, "the bot's token is revoked; notification copies wait for a reconnect");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// A buyer's first message to a bot is a new lead: every manager (and up)
/// hears of it. The event's id and time come from the conversation and the
/// message, so a redelivered first message raises the same event. A
/// member's own Telegram writing to the bot is not a lead.
pub async fn new_lead(svc: &Services, ws: &str, msg: &Message) -> Result<(), BotError> {
    let Some(buyer) = msg.from.as_ref() else { return Ok(()) };
    if svc.store.staff_on_telegram(ws, msg.bot_id, buyer.id).await?.is_some() {
        return Ok(());
    }
    let bot = svc.store.bot(ws, msg.bot_id).await?.map(|b| b.username).unwrap_or_default();
    let event = Event {
        id: format!("lead:{}:{}", msg.bot_id, msg.chat_id),
        workspace_id: ws.into(),
        at_ms: if msg.at_ms > 0 { msg.at_ms } else { util::now_ms() },
        notice: Notice::NewLead { bot_id: msg.bot_id, chat_id: msg.chat_id, buyer: buyer.display_name(), bot },
        recipients: Recipients::MembersAtLeast { role: Role::Manager },
        actor: None,
    };
    Ok(cartie_platform::notify::notify(svc, event).await?)
}

/// Sends a password reset link (asked for on the login page) to the
/// account's linked Telegram, in the account's language. The token was
/// minted by the API and arrives sealed; a redelivered job sends the same
/// link again. A link that no longer works (bot gone, bot blocked) is
/// marked broken, as for notifications; nothing else is told, on purpose.
pub async fn send_password_reset(svc: &Services, ws: &str, email: &str, token_sealed: &str) -> Result<(), BotError> {
    let token = svc.data_key.open(token_sealed).map_err(BotError::Sealed)?;
    let Some(link) = svc.store.telegram_link(ws, email).await?.filter(|l| l.broken_at_ms.is_none()) else { return Ok(()) };
    let Some(bot) = svc.store.bot(ws, link.bot_id).await? else {
        return Ok(svc.store.mark_telegram_link_broken(ws, email, link.telegram_user_id).await?);
    };
    let bot_token = svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?;
    let lang = svc.store.login_language(email).await?;
    let url = format!("{}/reset/{token}", svc.public_url.as_deref().unwrap_or_default());
    let reply = Reply::text(reset_text(lang, &url));
    match send_with_short_wait(svc, &bot_token, link.bot_id, link.telegram_user_id, &reply).await {
        Ok(_) => Ok(()),
        Err(TgError::Blocked) => Ok(svc.store.mark_telegram_link_broken(ws, email, link.telegram_user_id).await?),
        Err(TgError::Refused(why)) => {
            tracing::warn!(reason = %why, email, "Telegram refused a password reset link");
            Ok(())
        }
        Err(TgError::InvalidToken) => {
            tracing::warn!(bot = link.bot_id, "the bot's token is revoked; a password reset link could not be sent");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

fn reset_text(lang: cartie_domain::locale::Language, url: &str) -> String {
    match lang {
        cartie_domain::locale::Language::En => format!(
            "🔑 Someone (you, we hope) asked to reset your Cartie password. This link sets a new one; it works once, for 24 hours:\n{url}\n\nIf it was not you, ignore this message: your password stays as it is."
        ),
        cartie_domain::locale::Language::Uk => format!(
            "🔑 Хтось (сподіваємося, ви) попросив скинути ваш пароль у Cartie. Це посилання встановлює новий; воно діє один раз, протягом 24 годин:\n{url}\n\nЯкщо це були не ви, просто проігноруйте це повідомлення: пароль залишиться незмінним."
        ),
    }
}
