//! `api-notifications`: a member's notification centre — the list newest
//! first, the bell's unread counter, read marks — and their own Telegram
//! account: a one-time deep link to link it through one of the
//! workspace's bots, unlinking, and which kinds also go there. Everything
//! here is the caller's own: the workspace comes from the token and the
//! member is the token's, so nobody reads or marks another's notifications.
//! Notifications are written elsewhere (`cartie_bot::notify`, from events
//! other modules raise through `cartie_platform::notify`).

use cartie_apikit::dto::*;
use cartie_apikit::http::{json_etag, no_content};
use cartie_apikit::ops::NotificationsOp;
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::notify::{NoticeKind, LINK_PAYLOAD_PREFIX};
use cartie_store::notifications::{Notification, TelegramLink};
use cartie_store::{util, StoreError};
use std::collections::BTreeSet;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<NotificationsOp>(app, &req).await {
        Ok(ctx) => route(app, ctx, &req).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<NotificationsOp>, req: &Request) -> Result<Response<Body>, ApiError> {
    let (ws, email) = (ctx.ws()?, ctx.caller()?.email.as_str());
    match &ctx.op {
        NotificationsOp::ListNotifications { query } => {
            let page = app.store.notifications(ws, email, query.limit(20)? as i32, query.cursor.as_deref()).await?;
            let unread = app.store.unread_notifications(ws, email).await?;
            json_etag(req, &NotificationPage { items: page.items.into_iter().map(view).collect(), next_cursor: page.next, unread })
        }
        NotificationsOp::UnreadNotifications {} => json_etag(req, &UnreadCount { unread: app.store.unread_notifications(ws, email).await? }),
        NotificationsOp::MarkAllNotificationsRead {} => {
            app.store.mark_all_notifications_read(ws, email).await?;
            json(&UnreadCount { unread: app.store.unread_notifications(ws, email).await? })
        }
        NotificationsOp::MarkNotificationRead { id } => {
            if !is_notification_id(id) {
                return Err(no_notification());
            }
            app.store.mark_notification_read(ws, email, id).await.map_err(|e| match e {
                StoreError::NotFound => no_notification(),
                other => other.into(),
            })?;
            json(&UnreadCount { unread: app.store.unread_notifications(ws, email).await? })
        }
        NotificationsOp::GetTelegramSettings {} => json_etag(req, &settings(app, ws, email).await?),
        NotificationsOp::StartTelegramLink { body } => {
            let bot = app.store.bot(ws, body.bot_id).await?.ok_or_else(|| ApiError::invalid("bot_id", "is not a bot of this workspace"))?;
            let (token, expires_at) = app.store.create_link_token(ws, email, bot.bot_id).await?;
            let url = format!("https://t.me/{}?start={LINK_PAYLOAD_PREFIX}{token}", bot.username);
            json_status(StatusCode::CREATED, &TelegramLinkStart { url, bot_username: bot.username, expires_at: util::rfc3339(expires_at * 1000) })
        }
        NotificationsOp::UnlinkTelegram {} => {
            app.store.unlink_telegram(ws, email).await.map_err(|e| match e {
                StoreError::NotFound => ApiError::not_found("no Telegram account is linked"),
                other => other.into(),
            })?;
            no_content()
        }
        NotificationsOp::SaveNotificationPreferences { body } => {
            let wanted: BTreeSet<NoticeKind> = body.telegram.iter().copied().collect();
            let muted = NoticeKind::ALL.into_iter().filter(|k| !wanted.contains(k)).collect();
            app.store.set_telegram_muted(ws, email, &muted).await.map_err(|e| match e {
                StoreError::NotFound => ApiError::conflict("link a Telegram account first").field("telegram"),
                other => other.into(),
            })?;
            json(&settings(app, ws, email).await?)
        }
    }
}

fn no_notification() -> ApiError {
    ApiError::not_found("no such notification").field("id")
}

/// `{13 digits}-{20 hex}`, the shape of `notification_id`: anything else
/// names nothing and is not looked up.
fn is_notification_id(id: &str) -> bool {
    let Some((at, hash)) = id.split_once('-') else { return false };
    at.len() == 13 && at.bytes().all(|b| b.is_ascii_digit()) && hash.len() == 20 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

fn view(n: Notification) -> NotificationView {
    NotificationView {
        link: n.notice.link(),
        at: util::rfc3339(n.at_ms),
        read: n.read_at_ms.is_some(),
        sent_to_telegram: n.telegram_sent_at_ms.is_some(),
        id: n.id,
        notice: n.notice,
    }
}

async fn settings(app: &App, ws: &str, email: &str) -> Result<TelegramSettings, ApiError> {
    let bots: Vec<NotificationBot> = app.store.bots(ws).await?.into_iter().map(|b| NotificationBot { bot_id: b.bot_id, username: b.username }).collect();
    let link = app.store.telegram_link(ws, email).await?;
    let telegram = match &link {
        Some(l) => NoticeKind::ALL.into_iter().filter(|k| !l.muted.contains(k)).collect(),
        None => Vec::new(),
    };
    let link = link.map(|l: TelegramLink| TelegramLinkView {
        bot_username: bots.iter().find(|b| b.bot_id == l.bot_id).map(|b| b.username.clone()),
        bot_id: l.bot_id,
        telegram_name: l.telegram_name,
        telegram_username: l.telegram_username,
        linked_at: util::rfc3339(l.linked_at_ms),
        broken: l.broken_at_ms.is_some() || !bots.iter().any(|b| b.bot_id == l.bot_id),
    });
    Ok(TelegramSettings { bots, link, kinds: NoticeKind::ALL.to_vec(), telegram })
}

#[cfg(test)]
mod tests {
    #[test]
    fn notification_ids_are_checked_by_shape() {
        let id = cartie_store::notifications::notification_id(1_700_000_000_000, "e1");
        assert!(super::is_notification_id(&id));
        for bad in ["", "x", "1700000000000-", "1700000000000-zzzzzzzzzzzzzzzzzzzz", "170000000000-0123456789abcdef0123", "../../etc"] {
            assert!(!super::is_notification_id(bad), "{bad}");
        }
    }
}
