//! `/stop`: the buyer unsubscribes from this bot's offers (the contact's
//! mark is set by the message's own write, `contacts::contact_touch`); the
//! bot confirms in their language and offers one more button, "from all
//! your bots", whose press unsubscribes them from every bot of the dealer
//! (today's and those connected later). `/start` on a bot subscribes them
//! again to that bot and lifts "all". Campaigns leave unsubscribed contacts
//! out automatically (the audience filters `unsubscribed=false`).

use crate::outbound::Chat;
use crate::BotError;
use cartie_domain::inbox::{Message, MessageKind};
use cartie_domain::Language;
use cartie_platform::Services;
use cartie_telegram::{Reply, TgError};

/// The callback data of the "from all bots" button (the `cartie:` prefix is
/// Cartie's own; a scenario's buttons never use it).
pub const ALL_BOTS: &str = "cartie:unsubscribe_all";

/// The command of a text message (`/stop@MyBot` → `/stop`).
fn command(msg: &Message) -> Option<&str> {
    let t = msg.text.as_deref()?.split_whitespace().next()?;
    Some(t.split('@').next().unwrap_or(t))
}

pub fn is_stop(msg: &Message) -> bool {
    msg.kind == MessageKind::Text && command(msg) == Some("/stop")
}

pub fn is_all_bots_press(msg: &Message) -> bool {
    msg.kind == MessageKind::Callback && msg.callback_data.as_deref() == Some(ALL_BOTS)
}

fn texts(lang: Language) -> (&'static str, &'static str, &'static str) {
    match lang {
        Language::Uk => (
            "Готово: цей бот більше не надсилатиме вам пропозицій. Надішліть /start, щоб підписатися знову.",
            "Відписатися від усіх наших ботів",
            "Готово: жоден з наших ботів більше не надсилатиме вам пропозицій. /start у будь-якому з них підпише вас знову.",
        ),
        _ => (
            "Done: this bot will send you no more offers. Send /start to subscribe again.",
            "Unsubscribe from all our bots",
            "Done: none of our bots will send you offers any more. /start in any of them subscribes you again.",
        ),
    }
}

/// Confirms `/stop` with the "all bots" button.
pub async fn on_stop(svc: &Services, ws: &str, msg: &Message) -> Result<(), BotError> {
    let lang = msg.from.as_ref().map(|p| p.language()).unwrap_or_default();
    let (done, button, _) = texts(lang);
    let markup = serde_json::json!({ "inline_keyboard": [[{ "text": button, "callback_data": ALL_BOTS }]] });
    send(svc, ws, msg, Reply { reply_markup: Some(markup), ..Reply::text(done) }).await
}

/// The "all bots" press: every bot's mark, and "all" for bots to come.
pub async fn on_all_bots(svc: &Services, ws: &str, msg: &Message) -> Result<(), BotError> {
    let Some(person) = msg.from.as_ref() else { return Ok(()) };
    let bots: Vec<i64> = svc.store.bots(ws).await?.into_iter().map(|b| b.bot_id).collect();
    svc.store.unsubscribe_everywhere(ws, person.id, &bots).await?;
    let (_, _, all) = texts(person.language());
    send(svc, ws, msg, Reply::text(all)).await
}

async fn send(svc: &Services, ws: &str, msg: &Message, reply: Reply) -> Result<(), BotError> {
    let Some(bot) = svc.store.bot(ws, msg.bot_id).await? else { return Ok(()) };
    let token = svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?;
    let chat = Chat { svc, ws, bot_id: msg.bot_id, chat_id: msg.chat_id, token, sent_by: "Unsubscribe" };
    match chat.send(&reply).await {
        Ok(_) => Ok(()),
        Err(TgError::Blocked) => Ok(svc.store.set_blocked(ws, msg.bot_id, msg.chat_id, true).await?),
        Err(TgError::Refused(why)) => {
            tracing::warn!(reason = %why, chat = msg.chat_id, "unsubscribe confirmation refused by Telegram");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
