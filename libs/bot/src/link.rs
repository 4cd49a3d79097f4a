//! A Cartie user links their own Telegram account to their login, so
//! notifications can reach them there. Settings → Notifications shows a
//! deep link `https://t.me/<bot>?start=cartie_<token>`; pressing Start in
//! Telegram sends `/start cartie_<token>` to the workspace's bot, and the
//! update worker hands it here before anything else (see `update.rs`):
//! it is a member, not a buyer, so no conversation, contact, lead,
//! scenario or auto-reply comes of it.
//!
//! The token is one-time (redeemed in one transaction that deletes it),
//! short-lived (`LINK_TOKEN_TTL_SECS`), bound to one bot, and stored only
//! as a hash. The bot answers in the member's language.

use crate::outbound::send_with_short_wait;
use crate::BotError;
use cartie_domain::inbox::Message;
use cartie_domain::notify::{link_token, Language, LinkReply};
use cartie_platform::Services;
use cartie_store::notifications::{LinkOutcome, TelegramLink};
use cartie_store::util;
use cartie_telegram::{Reply, TgError};

/// Whether a `/start` payload is a link (and so for [`on_start`]).
pub fn is_link(payload: &str) -> bool {
    link_token(payload).is_some()
}

/// Redeems the link token of `/start cartie_<token>` for the sender's
/// Telegram account and answers them. Safe to run again for the same
/// update: the token is gone by then, and a sender already linked hears so.
pub async fn on_start(svc: &Services, ws: &str, msg: &Message, payload: &str) -> Result<(), BotError> {
    let (Some(token), Some(sender)) = (link_token(payload), msg.from.as_ref()) else { return Ok(()) };
    let pending = svc.store.link_token(ws, token).await?;
    let (reply, lang) = match pending {
        Some(t) => {
            let lang = language(svc, &t.email).await?;
            let member = svc.store.member(ws, &t.email).await?;
            let usable = t.expires_at > util::now_secs() && t.bot_id == msg.bot_id;
            let reply = match member.filter(|_| usable) {
                None => LinkReply::Invalid,
                Some(member) => {
                    let previous = svc.store.telegram_link(ws, &t.email).await?;
                    let link = TelegramLink {
                        workspace_id: ws.into(),
                        email: t.email.clone(),
                        bot_id: msg.bot_id,
                        telegram_user_id: sender.id,
                        telegram_name: sender.display_name(),
                        telegram_username: sender.username.clone(),
                        linked_at_ms: util::now_ms(),
                        broken_at_ms: None,
                        muted: previous.as_ref().map(|p| p.muted.clone()).unwrap_or_default(),
                    };
                    match svc.store.redeem_link_token(token, &link, previous.as_ref()).await? {
                        LinkOutcome::Linked => LinkReply::Linked { name: member.name },
                        LinkOutcome::TokenInvalid => LinkReply::Invalid,
                        LinkOutcome::TakenByAnother => LinkReply::TakenByAnother,
                    }
                }
            };
            (reply, Some(lang))
        }
        // Used (or never issued). A sender whose account is linked already
        // is most likely this update's own retry: tell them it worked.
        None => match svc.store.staff_on_telegram(ws, msg.bot_id, sender.id).await? {
            Some(email) => {
                let name = svc.store.member(ws, &email).await?.map(|m| m.name).unwrap_or(email.clone());
                (LinkReply::Linked { name }, Some(language(svc, &email).await?))
            }
            None => (LinkReply::Invalid, None),
        },
    };
    // Whose token it was is unknown: say it in both languages.
    let text = match lang {
        Some(l) => reply.text(l),
        None => format!("{}\n\n{}", reply.text(Language::En), reply.text(Language::Uk)),
    };
    let Some(bot) = svc.store.bot(ws, msg.bot_id).await? else { return Ok(()) };
    let bot_token = svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?;
    match send_with_short_wait(svc, &bot_token, msg.bot_id, msg.chat_id, &Reply::text(text)).await {
        Ok(_) | Err(TgError::Blocked) => Ok(()),
        Err(TgError::Refused(why)) => {
            tracing::warn!(reason = %why, "the link answer was refused");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

async fn language(svc: &Services, email: &str) -> Result<Language, BotError> {
    Ok(svc.store.login_language(email).await?)
}
