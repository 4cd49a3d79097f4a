//! The notification centre's items: each member's notifications and unread
//! counter, their linked Telegram account (with which kinds also go there),
//! and the one-time tokens that link one. Keys (see also keys.rs):
//!
//! | PK                        | SK                          | item                                         |
//! |---------------------------|-----------------------------|----------------------------------------------|
//! | `WS#{ws}#USER#{email}`    | `NOTE#{at_ms:013}-{hash}`   | a notification (GSI1 while unread)           |
//! | `WS#{ws}#USER#{email}`    | `NOTECOUNT`                 | the member's unread counter                  |
//! | `WS#{ws}`                 | `TGLINK#{email}`            | the member's linked Telegram + preferences   |
//! | `WS#{ws}`                 | `TGSTAFF#{bot}#{tg_user}`   | that Telegram user on that bot is a member   |
//! | `WS#{ws}`                 | `TGLINKTOKEN#{sha256(tok)}` | a one-time "Link Telegram" token, TTL 10 min |
//!
//! Access patterns: the list = Query `WS#{ws}#USER#{email}` begins_with
//! `NOTE#` newest first (cursor = LastEvaluatedKey); the bell = GetItem
//! `NOTECOUNT` (a counter moved in the same transaction as each write and
//! read mark, never a count); "mark all read" = Query GSI1
//! `WS#{ws}#USER#{email}#UNREAD` (a sparse index: only unread notifications
//! carry `GSI1PK`); delivery = Query `WS#{ws}` begins_with `TGLINK#` for the
//! team's links; the `/start` of a link = GetItem of its token.

use crate::cursor::{decode_key, encode_key};
use crate::inbox::Page;
use crate::{decode, encode, keys, util, Item, Store, StoreError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, CancellationReason, Delete, Put, ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update};
use cartie_domain::notify::{Notice, NoticeKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// A "Link Telegram" link works this long.
pub const LINK_TOKEN_TTL_SECS: i64 = 10 * 60;
/// Read marks per transaction when marking everything read (DynamoDB takes 100 writes).
const READ_BATCH: usize = 25;

/// One notification of one member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub workspace_id: String,
    pub email: String,
    /// See [`notification_id`].
    pub id: String,
    /// The event it came from (its idempotency key).
    pub event_id: String,
    pub at_ms: i64,
    pub notice: Notice,
    pub read_at_ms: Option<i64>,
    /// When its Telegram copy went out (so a retried delivery skips it).
    #[serde(default)]
    pub telegram_sent_at_ms: Option<i64>,
}

/// `{at_ms:013}-{hash of the event id}`: newest first by sort key, URL-safe,
/// and the same event always gives the same id, so a second delivery of an
/// event finds the first one's notification.
pub fn notification_id(at_ms: i64, event_id: &str) -> String {
    format!("{:013}-{}", at_ms.max(0), &util::sha256_hex(event_id)[..20])
}

/// What writing a notification found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// Written now, and counted unread.
    New,
    /// Written by an earlier delivery of the same event.
    Existing { telegram_sent: bool },
}

/// A member's linked Telegram account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelegramLink {
    pub workspace_id: String,
    pub email: String,
    /// The workspace's bot that sends to them.
    pub bot_id: i64,
    /// Their Telegram user id (also the private chat's id).
    pub telegram_user_id: i64,
    pub telegram_name: String,
    pub telegram_username: Option<String>,
    pub linked_at_ms: i64,
    /// Telegram refused a send (they blocked the bot): nothing is sent
    /// until they link again.
    #[serde(default)]
    pub broken_at_ms: Option<i64>,
    /// Kinds they do not want in Telegram (so kinds added later arrive by default).
    #[serde(default)]
    pub muted: BTreeSet<NoticeKind>,
}

/// A pending "Link Telegram" token (only its hash is the key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkToken {
    pub workspace_id: String,
    pub email: String,
    pub bot_id: i64,
    /// Epoch seconds; also the TTL attribute.
    pub expires_at: i64,
}

/// How redeeming a link token ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOutcome {
    Linked,
    /// Unknown, already used, expired, or for another bot.
    TokenInvalid,
    /// That Telegram account is linked to another member.
    TakenByAnother,
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}
fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
fn key(pk: String, sk: String) -> HashMap<String, AttributeValue> {
    [("PK".to_string(), AttributeValue::S(pk)), ("SK".to_string(), AttributeValue::S(sk))].into()
}
fn with_key(mut item: Item, pk: String, sk: String) -> Item {
    item.insert("PK".into(), AttributeValue::S(pk));
    item.insert("SK".into(), AttributeValue::S(sk));
    item
}

/// The reasons of a cancelled transaction, or the error when it failed otherwise.
fn cancellation<R>(e: aws_sdk_dynamodb::error::SdkError<TransactWriteItemsError, R>) -> Result<Vec<CancellationReason>, StoreError>
where
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match e.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(c)) => Ok(c.cancellation_reasons().to_vec()),
        _ => Err(StoreError::aws(e)),
    }
}

fn failed(reasons: &[CancellationReason], i: usize) -> bool {
    reasons.get(i).and_then(|r| r.code()) == Some("ConditionalCheckFailed")
}

impl Store {
    // ---- notifications ---------------------------------------------------------

    /// Writes a notification and counts it unread, in one transaction; a
    /// second write of the same one (same event) changes nothing.
    pub async fn deliver_notification(&self, note: &Notification) -> Result<Delivered, StoreError> {
        let pk = keys::user_pk(&note.workspace_id, &note.email);
        let mut item = with_key(encode(note)?, pk.clone(), keys::notification(&note.id));
        item.insert("GSI1PK".into(), s(&keys::unread_notifications(&note.workspace_id, &note.email)));
        item.insert("GSI1SK".into(), s(&note.id));
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK)")
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .build()
            .map_err(StoreError::aws)?;
        let count = self.unread_delta(&note.workspace_id, &note.email, 1)?;
        match self.ddb.transact_write_items().transact_items(TransactWriteItem::builder().put(put).build()).transact_items(count).send().await {
            Ok(_) => Ok(Delivered::New),
            Err(e) => {
                let reasons = cancellation(e)?;
                if !failed(&reasons, 0) {
                    return Err(StoreError::Contended("the unread counter kept changing; try again".into()));
                }
                let old = reasons.first().and_then(|r| r.item());
                let telegram_sent =
                    old.is_some_and(|i| i.contains_key("telegram_sent_at_ms") && !matches!(i.get("telegram_sent_at_ms"), Some(AttributeValue::Null(_))));
                Ok(Delivered::Existing { telegram_sent })
            }
        }
    }

    /// The counter's move, as one write of a transaction.
    fn unread_delta(&self, ws: &str, email: &str, delta: i64) -> Result<TransactWriteItem, StoreError> {
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::user_pk(ws, email), keys::NOTIFICATION_COUNT.into())))
            .update_expression("ADD unread :d SET workspace_id = :ws")
            .expression_attribute_values(":d", n(delta))
            .expression_attribute_values(":ws", s(ws))
            .build()
            .map_err(StoreError::aws)?;
        Ok(TransactWriteItem::builder().update(u).build())
    }

    /// Deletes every member's notifications about these conversations (a
    /// buyer being erased), taking the unread ones off the unread counters
    /// in the same transaction. Safe to repeat: what is gone is not counted
    /// again (the delete of an unread one is conditional on it being unread).
    pub async fn forget_conversation_notices(&self, ws: &str, conversations: &[(i64, i64)]) -> Result<(), StoreError> {
        for m in self.members(ws).await? {
            let pk = keys::user_pk(ws, &m.email);
            let notes: Vec<Notification> = self.query_prefix(&pk, keys::NOTIFICATION_PREFIX).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
            for note in notes.iter().filter(|n| n.notice.conversation().is_some_and(|c| conversations.contains(&c))) {
                let k = key(pk.clone(), keys::notification(&note.id));
                if note.read_at_ms.is_none() {
                    let d = Delete::builder()
                        .table_name(&self.table)
                        .set_key(Some(k.clone()))
                        .condition_expression("attribute_exists(GSI1PK)")
                        .build()
                        .map_err(StoreError::aws)?;
                    let tx = self
                        .ddb
                        .transact_write_items()
                        .transact_items(TransactWriteItem::builder().delete(d).build())
                        .transact_items(self.unread_delta(ws, &m.email, -1)?);
                    match tx.send().await {
                        Ok(_) => continue,
                        // Read (or deleted) meanwhile: delete it without counting.
                        Err(e) => {
                            cancellation(e)?;
                        }
                    }
                }
                self.ddb.delete_item().table_name(&self.table).set_key(Some(k)).send().await.map_err(StoreError::aws)?;
            }
        }
        Ok(())
    }

    /// A member's notifications, newest first.
    pub async fn notifications(&self, ws: &str, email: &str, limit: i32, cursor: Option<&str>) -> Result<Page<Notification>, StoreError> {
        let pk = keys::user_pk(ws, email);
        let start = match cursor {
            Some(c) => {
                let k = decode_key(c)?;
                // Another member's (or workspace's) cursor is not ours to follow.
                let sk_ok = k.get("SK").and_then(|v| v.as_s().ok()).is_some_and(|sk| sk.starts_with(keys::NOTIFICATION_PREFIX));
                if k.get("PK").and_then(|v| v.as_s().ok()) != Some(&pk) || !sk_ok || k.len() != 2 {
                    return Err(StoreError::Invalid("cursor".into()));
                }
                Some(k)
            }
            None => None,
        };
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", s(&pk))
            .expression_attribute_values(":p", s(keys::NOTIFICATION_PREFIX))
            .scan_index_forward(false)
            .limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let items = out.items.unwrap_or_default().into_iter().map(decode).collect::<Result<Vec<Notification>, _>>()?;
        Ok(Page { items, next: out.last_evaluated_key.as_ref().and_then(encode_key) })
    }

    /// The member's unread counter (0 before their first notification).
    pub async fn unread_notifications(&self, ws: &str, email: &str) -> Result<u32, StoreError> {
        let item = self.get(&keys::user_pk(ws, email), keys::NOTIFICATION_COUNT).await?;
        let count: i64 = item.and_then(|i| i.get("unread")?.as_n().ok()?.parse().ok()).unwrap_or(0);
        Ok(count.clamp(0, i64::from(u32::MAX)) as u32)
    }

    /// Marks one notification read and moves the counter with it; `false`
    /// when it was read already. `NotFound` for an id the member does not have.
    pub async fn mark_notification_read(&self, ws: &str, email: &str, id: &str) -> Result<bool, StoreError> {
        let u = self.read_mark(ws, email, id)?;
        let tx = self.ddb.transact_write_items().transact_items(u).transact_items(self.unread_delta(ws, email, -1)?);
        match tx.send().await {
            Ok(_) => Ok(true),
            Err(e) => {
                let reasons = cancellation(e)?;
                if !failed(&reasons, 0) {
                    return Err(StoreError::Contended("the unread counter kept changing; try again".into()));
                }
                match reasons.first().and_then(|r| r.item()) {
                    Some(old) if !old.is_empty() => Ok(false),
                    _ => Err(StoreError::NotFound),
                }
            }
        }
    }

    /// The write that marks one unread notification read (and takes it off
    /// the unread index), refused when it is missing or read.
    fn read_mark(&self, ws: &str, email: &str, id: &str) -> Result<TransactWriteItem, StoreError> {
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::user_pk(ws, email), keys::notification(id))))
            .update_expression("SET read_at_ms = :now REMOVE GSI1PK, GSI1SK")
            .condition_expression("attribute_exists(PK) AND attribute_exists(GSI1PK)")
            .expression_attribute_values(":now", n(util::now_ms()))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .build()
            .map_err(StoreError::aws)?;
        Ok(TransactWriteItem::builder().update(u).build())
    }

    /// Marks every unread notification of the member read, a batch per
    /// transaction (counter included), following the unread index. Returns
    /// how many it marked. A batch that meets one read meanwhile falls back
    /// to marking its notifications one by one.
    pub async fn mark_all_notifications_read(&self, ws: &str, email: &str) -> Result<u32, StoreError> {
        let index_pk = keys::unread_notifications(ws, email);
        let mut marked = 0u32;
        // Bounded: each round marks what the index showed or finds it read.
        for _ in 0..400 {
            let out = self
                .ddb
                .query()
                .table_name(&self.table)
                .index_name("GSI1")
                .key_condition_expression("GSI1PK = :pk")
                .expression_attribute_values(":pk", s(&index_pk))
                .limit(READ_BATCH as i32)
                .send()
                .await
                .map_err(StoreError::aws)?;
            let ids: Vec<String> = out.items.unwrap_or_default().iter().filter_map(|i| i.get("GSI1SK")?.as_s().ok().cloned()).collect();
            if ids.is_empty() {
                break;
            }
            let mut tx = self.ddb.transact_write_items();
            for id in &ids {
                tx = tx.transact_items(self.read_mark(ws, email, id)?);
            }
            tx = tx.transact_items(self.unread_delta(ws, email, -(ids.len() as i64))?);
            match tx.send().await {
                Ok(_) => marked += ids.len() as u32,
                Err(e) => {
                    cancellation(e)?;
                    // The index lags, or someone marked one meanwhile: one by one.
                    for id in &ids {
                        match self.mark_notification_read(ws, email, id).await {
                            Ok(true) => marked += 1,
                            Ok(false) | Err(StoreError::NotFound) => {}
                            Err(e) => return Err(e),
                        }
                    }
                }
            }
        }
        Ok(marked)
    }

    /// Remembers that the notification's Telegram copy went out.
    pub async fn set_notification_telegram_sent(&self, ws: &str, email: &str, id: &str) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::user_pk(ws, email), keys::notification(id))))
            .update_expression("SET telegram_sent_at_ms = :now")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":now", n(util::now_ms()))
            .send()
            .await
            .map_err(
                |e| if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) { StoreError::NotFound } else { StoreError::aws(e) },
            )?;
        Ok(())
    }

    // ---- linked Telegram accounts ----------------------------------------------

    /// A new one-time token linking `email`'s Telegram through `bot_id`.
    /// Returns the token (shown once, in the deep link) and its expiry
    /// (epoch seconds); only its SHA-256 is stored.
    pub async fn create_link_token(&self, ws: &str, email: &str, bot_id: i64) -> Result<(String, i64), StoreError> {
        // 24 random bytes: 32 characters, inside Telegram's 64 for a start payload.
        let token = base64_url(&util::random_bytes::<24>());
        let t = LinkToken { workspace_id: ws.into(), email: email.into(), bot_id, expires_at: util::now_secs() + LINK_TOKEN_TTL_SECS };
        let item = with_key(encode(&t)?, keys::ws(ws), keys::link_token(&util::sha256_hex(&token)));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok((token, t.expires_at))
    }

    /// The pending token behind `token` (expired ones included: the caller
    /// decides, and learns whose it was to answer in their language).
    pub async fn link_token(&self, ws: &str, token: &str) -> Result<Option<LinkToken>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::link_token(&util::sha256_hex(token))).await
    }

    /// Redeems `token` for `link`, in one transaction: the token is used up
    /// (refused when used, expired or for another bot), the link and its
    /// reverse pointer written (refused when that Telegram account belongs
    /// to another member), and the member's earlier Telegram account, if
    /// another, let go.
    pub async fn redeem_link_token(&self, token: &str, link: &TelegramLink, previous: Option<&TelegramLink>) -> Result<LinkOutcome, StoreError> {
        let ws = &link.workspace_id;
        let now = util::now_secs();
        let del_token = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::link_token(&util::sha256_hex(token)))))
            .condition_expression("attribute_exists(PK) AND expires_at > :now AND bot_id = :bot AND email = :email")
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":bot", n(link.bot_id))
            .expression_attribute_values(":email", s(&link.email))
            .build()
            .map_err(StoreError::aws)?;
        let put_link = Put::builder().table_name(&self.table).set_item(Some(with_key(encode(link)?, keys::ws(ws), keys::telegram_link(&link.email)))).build();
        let pointer: Item = [("email".to_string(), s(&link.email)), ("workspace_id".to_string(), s(ws))].into();
        let put_pointer = Put::builder()
            .table_name(&self.table)
            .set_item(Some(with_key(pointer, keys::ws(ws), keys::telegram_staff(link.bot_id, link.telegram_user_id))))
            .condition_expression("attribute_not_exists(PK) OR email = :email")
            .expression_attribute_values(":email", s(&link.email))
            .build();
        let mut tx = self
            .ddb
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().delete(del_token).build())
            .transact_items(TransactWriteItem::builder().put(put_link.map_err(StoreError::aws)?).build())
            .transact_items(TransactWriteItem::builder().put(put_pointer.map_err(StoreError::aws)?).build());
        if let Some(p) = previous.filter(|p| (p.bot_id, p.telegram_user_id) != (link.bot_id, link.telegram_user_id)) {
            let d = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key(keys::ws(ws), keys::telegram_staff(p.bot_id, p.telegram_user_id))))
                .build()
                .map_err(StoreError::aws)?;
            tx = tx.transact_items(TransactWriteItem::builder().delete(d).build());
        }
        match tx.send().await {
            Ok(_) => Ok(LinkOutcome::Linked),
            Err(e) => {
                let reasons = cancellation(e)?;
                if failed(&reasons, 0) {
                    Ok(LinkOutcome::TokenInvalid)
                } else if failed(&reasons, 2) {
                    Ok(LinkOutcome::TakenByAnother)
                } else {
                    Err(StoreError::Contended("the link changed meanwhile; try again".into()))
                }
            }
        }
    }

    pub async fn telegram_link(&self, ws: &str, email: &str) -> Result<Option<TelegramLink>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::telegram_link(email)).await
    }

    /// Every member's link (a team-sized query).
    pub async fn telegram_links(&self, ws: &str) -> Result<Vec<TelegramLink>, StoreError> {
        self.query_prefix(&keys::ws(ws), keys::TELEGRAM_LINK_PREFIX).await?.into_iter().map(decode).collect()
    }

    /// Forgets the member's linked Telegram (`NotFound` when none).
    pub async fn unlink_telegram(&self, ws: &str, email: &str) -> Result<(), StoreError> {
        let link = self.telegram_link(ws, email).await?.ok_or(StoreError::NotFound)?;
        let del_link = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::telegram_link(email))))
            .condition_expression("telegram_user_id = :u AND bot_id = :b")
            .expression_attribute_values(":u", n(link.telegram_user_id))
            .expression_attribute_values(":b", n(link.bot_id))
            .build()
            .map_err(StoreError::aws)?;
        let del_pointer = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::telegram_staff(link.bot_id, link.telegram_user_id))))
            .build()
            .map_err(StoreError::aws)?;
        self.transact(vec![
            (TransactWriteItem::builder().delete(del_link).build(), "the Telegram link changed meanwhile; reload"),
            (TransactWriteItem::builder().delete(del_pointer).build(), "the Telegram link changed meanwhile; reload"),
        ])
        .await
    }

    /// Sets which kinds stay out of the member's Telegram (`NotFound` when
    /// they have not linked one).
    pub async fn set_telegram_muted(&self, ws: &str, email: &str, muted: &BTreeSet<NoticeKind>) -> Result<(), StoreError> {
        let list = muted.iter().map(|k| encode_kind(*k)).collect::<Result<Vec<_>, _>>()?;
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::telegram_link(email))))
            .update_expression("SET muted = :m")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":m", AttributeValue::L(list))
            .send()
            .await
            .map_err(
                |e| if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) { StoreError::NotFound } else { StoreError::aws(e) },
            )?;
        Ok(())
    }

    /// Telegram refused to deliver to the link (blocked bot, deleted
    /// account): keep it, flagged, so the member sees it and links again.
    pub async fn mark_telegram_link_broken(&self, ws: &str, email: &str, telegram_user_id: i64) -> Result<(), StoreError> {
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::telegram_link(email))))
            .update_expression("SET broken_at_ms = :now")
            .condition_expression("telegram_user_id = :u")
            .expression_attribute_values(":now", n(util::now_ms()))
            .expression_attribute_values(":u", n(telegram_user_id))
            .send()
            .await;
        match res {
            // Unlinked or linked to another account meanwhile: nothing to flag.
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Ok(()),
            other => other.map(|_| ()).map_err(StoreError::aws),
        }
    }

    /// The member whose linked Telegram is `telegram_user_id` on `bot_id`.
    pub async fn staff_on_telegram(&self, ws: &str, bot_id: i64, telegram_user_id: i64) -> Result<Option<String>, StoreError> {
        let item = self.get(&keys::ws(ws), &keys::telegram_staff(bot_id, telegram_user_id)).await?;
        Ok(item.and_then(|i| i.get("email")?.as_s().ok().cloned()))
    }

    /// The language a person chose for Cartie; English until they choose.
    pub async fn login_language(&self, email: &str) -> Result<cartie_domain::locale::Language, StoreError> {
        Ok(self.login(email).await?.and_then(|l| l.language).unwrap_or_default())
    }
}

fn encode_kind(k: NoticeKind) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(k).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_time_and_repeat_for_the_same_event() {
        let a = notification_id(1_700_000_000_000, "assign:1");
        assert_eq!(a, notification_id(1_700_000_000_000, "assign:1"));
        assert_ne!(a, notification_id(1_700_000_000_000, "assign:2"));
        assert!(notification_id(999, "x") < notification_id(1_000, "x"));
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
