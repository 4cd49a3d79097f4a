//! One queued update, start to finish: store the buyer's message on its
//! conversation, run the bot's reaction (its scenarios, else the plain
//! auto-reply), mark the update done.
//!
//! At least once, safely. A plain message that needs no reaction (most of
//! a conversation) is stored and marked done in one transaction, so it
//! costs a conversation read and one write. One that may need a reaction
//! (a first message, `/start`, a shared phone, a bot with scenarios) is
//! claimed first, so two workers never react twice; a redelivery of a
//! finished update changes nothing and sends nothing again. Only a crash
//! between a send and its record can repeat that one message.
//!
//! A buyer's first message also raises a "new lead" notification (one
//! queued event; first messages only). A `/start cartie_<token>` is not a
//! buyer at all: it is a Cartie user linking their Telegram (`link`).

use crate::menu::{menu_keyboard, start_payload};
use crate::outbound::Chat;
use crate::{link, notify, scenario, unsubscribe, BotError, QueuedUpdate};
use cartie_domain::inbox::{Direction, Message, MessageKind};
use cartie_platform::Services;
use cartie_store::inbox::{Claim, Recorded, Recording};
use cartie_store::util;
use cartie_telegram::{parse_update, Inbound, Reply, TgError};

/// Processes one update the webhook queued.
pub async fn process(svc: &Services, q: &QueuedUpdate) -> Result<(), BotError> {
    let (ws, bot_id, update_id) = (q.workspace_id.as_str(), q.bot_id, q.update_id);
    let parsed = parse_update(bot_id, q.update.get().as_bytes(), util::now_ms()).map_err(BotError::Malformed)?;
    match parsed.inbound {
        // Boxed: the reactions are deep futures, kept off the caller's stack.
        Inbound::Message(msg) => Box::pin(on_message(svc, ws, msg, update_id)).await,
        Inbound::Edited(msg) => {
            if claim(svc, ws, bot_id, update_id).await? {
                if !svc.store.edit_message(ws, &msg).await? {
                    svc.store.record_message(ws, &msg, msg.from.as_ref(), None).await?;
                }
                svc.store.mark_update_done(ws, bot_id, update_id).await?;
            }
            Ok(())
        }
        Inbound::Callback { callback_id, message } => {
            if !claim(svc, ws, bot_id, update_id).await? {
                return Ok(());
            }
            let dedup = format!("cb{update_id}");
            let how = Recording { contact: message.from.as_ref(), dedup: Some(&dedup), ..Recording::default() };
            let (_, conversation) = svc.store.record_message_with(ws, &message, how).await?;
            let handed_off = conversation.is_some_and(|c| c.handed_off(util::now_ms()));
            let all_bots = unsubscribe::is_all_bots_press(&message);
            if let Some(bot) = svc.store.bot(ws, bot_id).await? {
                let token = svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?;
                // Stops the button's spinner; failing that is cosmetic.
                if let Err(e) = svc.telegram.answer_callback(&token, &callback_id).await {
                    tracing::info!(error = %e, "answerCallbackQuery failed");
                }
            }
            if all_bots {
                Box::pin(unsubscribe::on_all_bots(svc, ws, &message)).await?;
            } else {
                Box::pin(scenario::on_message(svc, ws, &message, update_id, handed_off)).await?;
            }
            Ok(svc.store.mark_update_done(ws, bot_id, update_id).await?)
        }
        // Telegram tells the bot it was blocked (or unblocked): the contact
        // is marked for this bot only; their other bots still reach them.
        Inbound::BotBlocked { chat_id, blocked, .. } => {
            if claim(svc, ws, bot_id, update_id).await? {
                match svc.store.set_blocked(ws, bot_id, chat_id, blocked).await {
                    // No conversation yet: the contact (if any) is marked all the same.
                    Ok(()) | Err(cartie_store::StoreError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
                svc.store.mark_update_done(ws, bot_id, update_id).await?;
            }
            Ok(())
        }
        Inbound::Ignored => Ok(svc.store.mark_update_done(ws, bot_id, update_id).await?),
    }
}

/// This worker's claim on the update: `false` when it is done already.
async fn claim(svc: &Services, ws: &str, bot_id: i64, update_id: i64) -> Result<bool, BotError> {
    match svc.store.claim_processing(ws, bot_id, update_id).await? {
        Claim::Mine => Ok(true),
        Claim::AlreadyDone => Ok(false),
        Claim::Busy => Err(BotError::Busy(update_id)),
    }
}

async fn on_message(svc: &Services, ws: &str, msg: Message, update_id: i64) -> Result<(), BotError> {
    let (bot_id, chat_id) = (msg.bot_id, msg.chat_id);
    let start = start_payload(&msg);
    // The one hook before the buyer's path: `/start cartie_<token>` is a
    // Cartie user linking their own Telegram (see `link`), not a buyer, so
    // it makes no conversation, lead, scenario run or auto-reply.
    if let Some(payload) = start.as_ref().and_then(|p| p.as_deref()).filter(|p| link::is_link(p)) {
        if claim(svc, ws, bot_id, update_id).await? {
            Box::pin(link::on_start(svc, ws, &msg, payload)).await?;
            svc.store.mark_update_done(ws, bot_id, update_id).await?;
        }
        return Ok(());
    }
    let conversation = svc.store.conversation(ws, bot_id, chat_id).await?;
    let handed_off = conversation.as_ref().is_some_and(|c| c.handed_off(util::now_ms()));
    // A shared contact card is the buyer's phone.
    let phone = (msg.kind == MessageKind::Contact).then(|| msg.contact_phone.clone()).flatten();
    let person = msg.from.clone();
    let scenarios = !handed_off && scenario::has_scenarios(svc, ws, bot_id).await?;
    let stop = unsubscribe::is_stop(&msg);
    let reacts = scenarios || start.is_some() || conversation.is_none() || phone.is_some() || stop;
    if !reacts {
        let how = Recording { contact: person.as_ref(), seen: Some(conversation.clone()), done_update: Some((bot_id, update_id)), ..Recording::default() };
        if let Recorded::New(_) = svc.store.record_message_with(ws, &msg, how).await?.0 {
            return index_contact(svc, ws, &msg, conversation.as_ref()).await;
        }
        // A redelivery: whatever its first attempt left undone is finished below.
    }
    if !claim(svc, ws, bot_id, update_id).await? {
        return Ok(());
    }
    let how = Recording { contact: person.as_ref(), seen: Some(conversation.clone()), ..Recording::default() };
    let seq = match svc.store.record_message_with(ws, &msg, how).await?.0 {
        Recorded::New(seq) => Some(seq),
        Recorded::Duplicate(seq) => seq,
    };
    index_contact(svc, ws, &msg, conversation.as_ref()).await?;
    // A buyer's first message is a new lead (raised again, harmlessly, by a
    // redelivery: the event's id is the conversation's), before any answer,
    // so a rate-limited greeting does not hold it back.
    if seq == Some(1) && msg.direction == Direction::In {
        Box::pin(notify::new_lead(svc, ws, &msg)).await?;
    }
    // `/stop` is answered by Cartie, never by a scenario or the greeting.
    if stop {
        Box::pin(unsubscribe::on_stop(svc, ws, &msg)).await?;
        return Ok(svc.store.mark_update_done(ws, bot_id, update_id).await?);
    }
    // Scenarios keep their own record of what they answered, so they also
    // run for a redelivered message whose first attempt died before answering.
    let handled = Box::pin(scenario::on_message(svc, ws, &msg, update_id, handed_off)).await?;
    let greet = start.is_some() || seq == Some(1);
    if let Some(p) = person.as_ref().filter(|_| greet || phone.is_some()) {
        svc.store.upsert_contact(ws, bot_id, p, start.clone().flatten().as_deref(), phone.as_deref()).await?;
    }
    if greet && !handled {
        Box::pin(auto_reply(svc, ws, &msg)).await?;
    }
    Ok(svc.store.mark_update_done(ws, bot_id, update_id).await?)
}

/// The contact search index follows the buyer's Telegram name: it is
/// brought in line on their first message to a bot and when their name or
/// username changed (a plain message in a known conversation costs nothing).
async fn index_contact(svc: &Services, ws: &str, msg: &Message, seen: Option<&cartie_store::inbox::Conversation>) -> Result<(), BotError> {
    let Some(p) = msg.from.as_ref().filter(|p| p.id == msg.chat_id && msg.direction == Direction::In) else { return Ok(()) };
    let known = seen.is_some_and(|c| c.contact.first_name == p.first_name && c.contact.last_name == p.last_name && c.contact.username == p.username);
    if !known {
        svc.store.index_contact(ws, p.id).await?;
    }
    Ok(())
}

/// The plain auto-reply rule, when no scenario answered: greet on `/start`
/// or on a buyer's first message, with the bot menu's keyboard.
async fn auto_reply(svc: &Services, ws: &str, msg: &Message) -> Result<(), BotError> {
    let Some(bot) = svc.store.bot(ws, msg.bot_id).await? else { return Ok(()) };
    // In the buyer's language when the dealer wrote one for it.
    let in_their_language = match msg.from.as_ref().map(|p| p.language()) {
        Some(cartie_domain::Language::Uk) => bot.auto_reply_uk.clone(),
        _ => None,
    };
    let Some(text) = in_their_language.or_else(|| bot.auto_reply.clone()) else { return Ok(()) };
    let token = svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?;
    let keyboard = menu_keyboard(svc, ws, msg.bot_id).await?;
    let chat = Chat { svc, ws, bot_id: msg.bot_id, chat_id: msg.chat_id, token, sent_by: "Auto-reply" };
    match chat.send(&Reply { reply_markup: keyboard, ..Reply::text(text) }).await {
        Ok(_) => Ok(()),
        Err(TgError::Blocked) => Ok(svc.store.set_blocked(ws, msg.bot_id, msg.chat_id, true).await?),
        Err(TgError::Refused(why)) => {
            tracing::warn!(reason = %why, chat = msg.chat_id, "auto-reply refused by Telegram");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
