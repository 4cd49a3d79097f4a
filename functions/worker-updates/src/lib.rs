//! `worker-updates`: consumes the FIFO updates queue (one message group per
//! bot+chat, so a chat's messages are handled in order). For each update it
//! claims processing on the idempotency record, stores the contact,
//! conversation and message, runs the bot's reaction (its scenarios, see
//! `scenario`; else the plain auto-reply), and marks the update done.
//!
//! At least once, safely: a redelivered update that is done is skipped; one
//! whose message is already stored changes nothing and sends nothing again.
//! Chats are independent: a batch's message groups (bot+chat) run
//! concurrently, each group's messages strictly in order. On a failure the
//! rest of that group is reported failed too, because a later message of a
//! chat must not overtake an earlier one; other chats are unaffected.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use cartie_apikit::Services;
use cartie_domain::inbox::{Message, MessageKind};
use cartie_store::inbox::{Claim, Recorded};
use cartie_telegram::{parse_update, Inbound, Reply};
use tg_webhook::QueuedUpdate;

pub mod scenario;

pub async fn handler(svc: &Services, event: SqsEvent) -> SqsBatchResponse {
    // Group by SQS message group, keeping the batch's order within each.
    let mut groups: Vec<(String, Vec<SqsMessage>)> = Vec::new();
    for message in event.records {
        let group = message.attributes.get("MessageGroupId").cloned().unwrap_or_default();
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push(message),
            None => groups.push((group, vec![message])),
        }
    }
    let failed = futures_util::future::join_all(groups.into_iter().map(|(_, list)| handle_group(svc, list))).await;
    let mut response = SqsBatchResponse::default();
    for id in failed.into_iter().flatten() {
        let mut f = BatchItemFailure::default();
        f.item_identifier = id;
        response.batch_item_failures.push(f);
    }
    response
}

/// One chat's messages in order; returns the ids to retry.
async fn handle_group(svc: &Services, list: Vec<SqsMessage>) -> Vec<String> {
    let mut failed: Vec<String> = Vec::new();
    for message in list {
        let id = message.message_id.clone().unwrap_or_default();
        if failed.is_empty() {
            match handle(svc, &message).await {
                Ok(()) => continue,
                Err(why) => tracing::warn!(message_id = %id, error = %why, "update failed; it and the rest of its chat will be retried"),
            }
        }
        failed.push(id);
    }
    failed
}

async fn handle(svc: &Services, message: &SqsMessage) -> Result<(), String> {
    let q: QueuedUpdate = serde_json::from_str(message.body.as_deref().unwrap_or_default()).map_err(|e| format!("not a queued update: {e}"))?;
    let (ws, bot_id, update_id) = (q.workspace_id.as_str(), q.bot_id, q.update_id);
    match svc.store.claim_processing(ws, bot_id, update_id).await.map_err(|e| e.to_string())? {
        Claim::AlreadyDone => return Ok(()),
        Claim::Busy => return Err(format!("update {update_id} is being processed by another worker")),
        Claim::Mine => {}
    }
    let raw = serde_json::to_vec(&q.update).map_err(|e| e.to_string())?;
    let parsed = parse_update(bot_id, &raw, cartie_store::util::now_ms())?;
    match parsed.inbound {
        Inbound::Message(msg) => on_message(svc, ws, msg, update_id).await?,
        Inbound::Edited(msg) => {
            if !svc.store.edit_message(ws, &msg).await.map_err(|e| e.to_string())? {
                svc.store.record_message(ws, &msg, msg.from.as_ref(), None).await.map_err(|e| e.to_string())?;
            }
        }
        Inbound::Callback { callback_id, message } => {
            let dedup = format!("cb{update_id}");
            let (_, conversation) = svc.store.record_message_in(ws, &message, message.from.as_ref(), Some(&dedup)).await.map_err(|e| e.to_string())?;
            let handed_off = conversation.is_some_and(|c| c.handed_off(cartie_store::util::now_ms()));
            if let Some(token) = bot_token(svc, ws, bot_id).await? {
                // Stops the button's spinner; failing that is cosmetic.
                if let Err(e) = svc.telegram.answer_callback(&token, &callback_id).await {
                    tracing::info!(error = %e, "answerCallbackQuery failed");
                }
            }
            scenario::on_message(svc, ws, &message, update_id, handed_off).await?;
        }
        Inbound::Ignored => {}
    }
    svc.store.mark_update_done(ws, bot_id, update_id).await.map_err(|e| e.to_string())
}

async fn bot_token(svc: &Services, ws: &str, bot_id: i64) -> Result<Option<String>, String> {
    match svc.store.bot(ws, bot_id).await.map_err(|e| e.to_string())? {
        Some(b) => svc.data_key.open(&b.token_sealed).map(Some),
        None => Ok(None),
    }
}

/// The bot menu's persistent reply keyboard as Telegram `reply_markup`, if
/// the dealer set one; it comes with the bot's greeting.
pub async fn menu_keyboard(svc: &Services, ws: &str, bot_id: i64) -> Result<Option<serde_json::Value>, String> {
    let menu = svc.store.bot_menu(ws, bot_id).await.map_err(|e| e.to_string())?;
    Ok(menu.filter(|(m, _)| !m.keyboard.is_empty()).map(|(m, _)| {
        let rows: Vec<Vec<serde_json::Value>> = m.keyboard.iter().map(|r| r.iter().map(|l| serde_json::json!({ "text": l })).collect()).collect();
        serde_json::json!({ "keyboard": rows, "is_persistent": true, "resize_keyboard": true })
    }))
}

/// The `/start` deep-link payload, if this is a `/start` command.
pub fn start_payload(msg: &Message) -> Option<Option<String>> {
    let text = msg.text.as_deref()?.trim();
    let rest = text.strip_prefix("/start")?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let payload = rest.trim();
    Some((!payload.is_empty()).then(|| payload.to_string()))
}

async fn on_message(svc: &Services, ws: &str, msg: Message, update_id: i64) -> Result<(), String> {
    let person = msg.from.clone();
    let (recorded, conversation) = svc.store.record_message_in(ws, &msg, person.as_ref(), None).await.map_err(|e| e.to_string())?;
    // Scenarios keep their own record of what they answered (see
    // `scenario`), so they also run for a redelivered message whose first
    // attempt died before answering.
    let handed_off = conversation.is_some_and(|c| c.handed_off(cartie_store::util::now_ms()));
    let handled = scenario::on_message(svc, ws, &msg, update_id, handed_off).await?;
    let Recorded::New(seq) = recorded else {
        return Ok(()); // stored before: its greeting ran (or was lost with a crash), never twice
    };
    let start = start_payload(&msg);
    // A shared contact card is the buyer's phone.
    let phone = (msg.kind == MessageKind::Contact).then(|| msg.contact_phone.clone()).flatten();
    let greet = start.is_some() || seq == 1;
    if let Some(p) = person.as_ref().filter(|_| greet || phone.is_some()) {
        svc.store.upsert_contact(ws, msg.bot_id, p, start.clone().flatten().as_deref(), phone.as_deref()).await.map_err(|e| e.to_string())?;
    }
    if !greet || handled {
        return Ok(());
    }
    // The plain auto-reply rule, when no scenario answered: greet on /start
    // or on a buyer's first message.
    let Some(bot) = svc.store.bot(ws, msg.bot_id).await.map_err(|e| e.to_string())? else { return Ok(()) };
    let Some(text) = bot.auto_reply.clone() else { return Ok(()) };
    let token = svc.data_key.open(&bot.token_sealed)?;
    let keyboard = menu_keyboard(svc, ws, msg.bot_id).await?;
    let greeting = Reply { reply_markup: keyboard.clone(), ..Reply::text(text) };
    match svc.telegram.send(&token, msg.bot_id, msg.chat_id, &greeting).await {
        Ok(sent) => {
            svc.store.record_message(ws, &sent, None, None).await.map_err(|e| e.to_string())?;
        }
        Err(cartie_telegram::TgError::RetryAfter(s)) => {
            // Retrying the whole update would find the message stored and skip
            // the reply; wait the time Telegram asked for and try once more.
            tokio::time::sleep(std::time::Duration::from_secs(u64::from(s))).await;
            let sent = svc.telegram.send(&token, msg.bot_id, msg.chat_id, &greeting).await.map_err(|e| e.to_string())?;
            svc.store.record_message(ws, &sent, None, None).await.map_err(|e| e.to_string())?;
        }
        Err(e) => tracing::warn!(error = %e, chat = msg.chat_id, "auto-reply not delivered"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartie_domain::inbox::Direction;

    fn text(t: &str) -> Message {
        let raw = serde_json::json!({"message_id": 1, "date": 1, "chat": {"id": 5}, "text": t});
        cartie_telegram::inbound::message_from_json(1, &raw, Direction::In).unwrap()
    }

    #[test]
    fn start_payloads() {
        assert_eq!(start_payload(&text("/start")), Some(None));
        assert_eq!(start_payload(&text("/start fb-ad-42")), Some(Some("fb-ad-42".into())));
        assert_eq!(start_payload(&text("/started")), None);
        assert_eq!(start_payload(&text("hello")), None);
    }
}
