//! Bots, webhook idempotency records, conversations, messages, contacts and
//! B2B requests. Keys (see also keys.rs):
//!
//! | PK                                   | SK                       | item                                  |
//! |--------------------------------------|--------------------------|---------------------------------------|
//! | `WS#{ws}`                            | `BOT#{bot_id}`           | connected bot (token sealed)          |
//! | `TGBOT#{bot_id}`                     | `ROUTE`                  | webhook route: ws + secret fingerprint|
//! | `WS#{ws}#UPD#{bot_id}#{update_id}`   | `UPD`                    | idempotency record, TTL 24 h          |
//! | `WS#{ws}`                            | `CONV#{bot_id}#{chat}`   | conversation (GSI1 all bots, GSI2 one)|
//! | `WS#{ws}#CONV#{bot_id}#{chat}`       | `MSG#{at_ms}#{msg_id}`   | a message                             |
//! | `WS#{ws}`                            | `CONTACT#{bot_id}#{user}`| a buyer who wrote to a bot            |
//! | `WS#{ws}`                            | `REQUEST#{id}`           | a B2B car request                     |
//!
//! Access patterns: Inbox list = Query GSI1 `WS#{ws}#INBOX` (or GSI2
//! `WS#{ws}#INBOX#{bot}`) newest first, cursor = LastEvaluatedKey; history =
//! Query `WS#{ws}#CONV#..` newest first; webhook = GetItem `TGBOT#{bot}`
//! then a conditional put of the update record.

use crate::{decode, encode, keys, util, Item, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update};
use cartie_domain::botmenu::BotMenu;
use cartie_domain::inbox::{ConversationStatus, Direction, Message, Person};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Telegram keeps retrying an update for at most 24 h.
pub const UPDATE_TTL_SECS: i64 = 24 * 3600;
/// How long a claimed update may stay in progress before another attempt
/// may take it over (the first one is presumed dead).
pub const IN_PROGRESS_MS: i64 = 30_000;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BotRecord {
    pub workspace_id: String,
    pub bot_id: i64,
    pub username: String,
    pub first_name: String,
    /// The bot token, sealed (see `sealed.rs`).
    pub token_sealed: String,
    pub webhook_url: String,
    pub auto_reply: Option<String>,
    /// The auto-reply for buyers whose Telegram is in Ukrainian.
    #[serde(default)]
    pub auto_reply_uk: Option<String>,
    pub connected_by: String,
    pub connected_at_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BotRoute {
    pub workspace_id: String,
    pub bot_id: i64,
    /// SHA-256 of the webhook secret; compared in constant time.
    pub secret_sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Conversation {
    pub workspace_id: String,
    pub bot_id: i64,
    pub chat_id: i64,
    pub contact: Person,
    pub last_message_at_ms: i64,
    pub preview: String,
    pub last_direction: Direction,
    pub unread: u32,
    pub assignee: Option<String>,
    /// Messages recorded so far; also the optimistic lock of the conversation.
    pub seq: u64,
    pub created_at_ms: i64,
    /// The buyer blocked the bot (learnt from a refused send); cleared when
    /// they write again.
    #[serde(default)]
    pub blocked: bool,
    /// A scenario handed the buyer to a person: the bot stays quiet until
    /// this time (epoch ms; `i64::MAX` = until a manager releases it).
    #[serde(default)]
    pub handoff_until_ms: Option<i64>,
    /// Open, snoozed or resolved (see `triage.rs`).
    #[serde(default)]
    pub status: ConversationStatus,
    /// When a snoozed conversation opens again (epoch ms).
    #[serde(default)]
    pub snoozed_until_ms: Option<i64>,
    /// Moves with every write that changes what the Inbox counters count
    /// (status, assignee, unread); the lock of those writes. 0: written
    /// before the counters existed, so not in them yet.
    #[serde(default)]
    pub rev: u64,
    /// The words of its messages in the Inbox search index (written with
    /// the message that brought each; never encoded from here).
    #[serde(default, skip_serializing)]
    pub search_words: std::collections::BTreeSet<String>,
}

impl Conversation {
    pub fn handed_off(&self, now_ms: i64) -> bool {
        self.handoff_until_ms.is_some_and(|t| t > now_ms)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contact {
    pub workspace_id: String,
    pub bot_id: i64,
    pub user_id: i64,
    pub person: Person,
    /// The deep-link payload of their first `/start`, if any.
    pub source: Option<String>,
    pub phone: Option<String>,
    pub first_seen_ms: i64,
    /// What scenarios learnt about them (`make`, `budget`, ...).
    #[serde(default)]
    pub vars: std::collections::BTreeMap<String, String>,
}

pub use crate::requests::CarRequest;

/// Where an update stands (the Powertools idempotency design, two stages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UpdateStatus {
    /// The webhook claimed it and queued it (or is queueing it).
    InProgress,
    /// Written by earlier builds (the webhook marked its enqueue); read as
    /// `InProgress`.
    Queued,
    /// A worker is storing it and running the bot's reaction.
    Processing,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This caller owns the step now.
    Mine,
    /// Someone did this step already: acknowledge, do nothing.
    AlreadyDone,
    /// Someone is doing it right now: retry later.
    Busy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// Stored now, at this position of the conversation.
    New(u64),
    /// It was stored before (a redelivery), at this position when known.
    Duplicate(Option<u64>),
}

/// How to record a message (see [`Store::record_message_with`]).
#[derive(Debug, Default, Clone)]
pub struct Recording<'a> {
    /// The buyer, known from incoming messages.
    pub contact: Option<&'a Person>,
    /// Keys a message without an id of its own (a button press).
    pub dedup: Option<&'a str>,
    /// The conversation as the caller just read it, which saves a read
    /// (`Some(None)`: there is none yet). `None`: read it.
    pub seen: Option<Option<Conversation>>,
    /// Marks this update done in the same transaction (bot, update id),
    /// for updates that need nothing after being stored.
    pub done_update: Option<(i64, i64)>,
    /// How the buyer reached the dealer, for their contact (default: the
    /// message's bot).
    pub channel: Option<cartie_domain::contacts::Channel>,
    /// A user-account host's lease: the write is refused (`Conflict`) when
    /// the host no longer holds the account.
    pub fence: Option<&'a crate::tg_accounts::Fence>,
}

/// One page and where the next starts.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredMenu {
    workspace_id: String,
    bot_id: i64,
    menu: BotMenu,
    applied_at_ms: Option<i64>,
}

/// A failed condition `attribute_exists(PK)` means the item is not there.
fn conditional_not_found<
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
>(
    e: aws_sdk_dynamodb::error::SdkError<E, R>,
) -> StoreError {
    if e.as_service_error().and_then(|x| x.code()) == Some("ConditionalCheckFailedException") {
        StoreError::NotFound
    } else {
        StoreError::aws(e)
    }
}

pub fn conversation_id(bot_id: i64, chat_id: i64) -> String {
    format!("{bot_id}:{chat_id}")
}

/// `"{bot}:{chat}"` back into numbers; `None` for anything else.
pub fn parse_conversation_id(id: &str) -> Option<(i64, i64)> {
    let (b, c) = id.split_once(':')?;
    Some((b.parse().ok()?, c.parse().ok()?))
}

use keys::{conversation as conv_sk, conversation_pk as messages_pk, inbox_sort, update as update_pk};

/// A message's sort key (see [`keys::message`]).
pub fn message_sk(m: &Message, dedup: Option<&str>) -> String {
    keys::message(m.at_ms, m.message_id, dedup)
}

use crate::cursor::encode_key as encode_cursor;

impl Store {
    // ---- bots -------------------------------------------------------------

    /// Connects a bot to a workspace. A bot belongs to one workspace at a
    /// time: connecting one that another workspace holds is a conflict.
    pub async fn connect_bot(&self, bot: &BotRecord, secret_sha256: &str) -> Result<(), StoreError> {
        let route = BotRoute { workspace_id: bot.workspace_id.clone(), bot_id: bot.bot_id, secret_sha256: secret_sha256.into() };
        let route_put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(with_key(encode(&route)?, keys::bot_route(bot.bot_id), keys::ROUTE.into())))
            .condition_expression("attribute_not_exists(PK) OR workspace_id = :ws")
            .expression_attribute_values(":ws", s(&bot.workspace_id))
            .build()
            .map_err(StoreError::aws)?;
        let bot_put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(with_key(encode(bot)?, keys::ws(&bot.workspace_id), keys::bot(bot.bot_id))))
            .build()
            .map_err(StoreError::aws)?;
        self.transact(vec![
            (TransactWriteItem::builder().put(route_put).build(), "this bot is connected to another workspace; disconnect it there first"),
            (TransactWriteItem::builder().put(bot_put).build(), "bot changed meanwhile"),
        ])
        .await
    }

    pub async fn bots(&self, ws: &str) -> Result<Vec<BotRecord>, StoreError> {
        self.query_prefix(&keys::ws(ws), keys::BOT_PREFIX).await?.into_iter().map(decode).collect()
    }

    pub async fn bot(&self, ws: &str, bot_id: i64) -> Result<Option<BotRecord>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::bot(bot_id)).await
    }

    pub async fn bot_route(&self, bot_id: i64) -> Result<Option<BotRoute>, StoreError> {
        self.get_as(&keys::bot_route(bot_id), keys::ROUTE).await
    }

    pub async fn disconnect_bot(&self, ws: &str, bot_id: i64) -> Result<(), StoreError> {
        let del_route = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::bot_route(bot_id), keys::ROUTE.into())))
            .condition_expression("workspace_id = :ws")
            .expression_attribute_values(":ws", s(ws))
            .build()
            .map_err(StoreError::aws)?;
        let del_bot = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::bot(bot_id))))
            .condition_expression("attribute_exists(PK)")
            .build()
            .map_err(StoreError::aws)?;
        self.transact(vec![
            (TransactWriteItem::builder().delete(del_route).build(), "bot not found"),
            (TransactWriteItem::builder().delete(del_bot).build(), "bot not found"),
        ])
        .await
    }

    /// A bot's saved menu (`WS#{ws}` / `BOTMENU#{bot}`) and when Telegram
    /// last accepted it.
    pub async fn bot_menu(&self, ws: &str, bot_id: i64) -> Result<Option<(BotMenu, Option<i64>)>, StoreError> {
        let stored: Option<StoredMenu> = self.get_as(&keys::ws(ws), &keys::bot_menu(bot_id)).await?;
        Ok(stored.map(|m| (m.menu, m.applied_at_ms)))
    }

    pub async fn save_bot_menu(&self, ws: &str, bot_id: i64, menu: &BotMenu, applied_at_ms: Option<i64>) -> Result<(), StoreError> {
        let stored = StoredMenu { workspace_id: ws.into(), bot_id, menu: menu.clone(), applied_at_ms };
        let item = with_key(encode(&stored)?, keys::ws(ws), keys::bot_menu(bot_id));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    /// Sets (or with `None` turns off) the bot's auto-reply in `lang`.
    pub async fn set_auto_reply(&self, ws: &str, bot_id: i64, lang: cartie_domain::Language, text: Option<&str>) -> Result<(), StoreError> {
        let attr = match lang {
            cartie_domain::Language::En => "auto_reply",
            cartie_domain::Language::Uk => "auto_reply_uk",
        };
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::bot(bot_id))))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#a", attr);
        u = match text {
            Some(t) => u.update_expression("SET #a = :t").expression_attribute_values(":t", s(t)),
            None => u.update_expression("REMOVE #a"),
        };
        u.send().await.map_err(|e| {
            if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) {
                StoreError::NotFound
            } else {
                StoreError::aws(e)
            }
        })?;
        Ok(())
    }

    // ---- idempotency of updates ---------------------------------------------

    async fn update_status_of(&self, pk: &str, failed_item: Option<Item>) -> Result<(Option<UpdateStatus>, i64), StoreError> {
        let item = match failed_item {
            Some(i) if !i.is_empty() => Some(i),
            _ => self.get(pk, keys::UPDATE).await?,
        };
        let Some(item) = item else { return Ok((None, 0)) };
        let status = item.get("status").and_then(|v| v.as_s().ok()).and_then(|v| serde_json::from_value(serde_json::Value::String(v.clone())).ok());
        let until = item.get("in_progress_until_ms").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok((status, until))
    }

    /// The webhook's claim on an update (one conditional put, which also
    /// answers the stored record when it fails): the first delivery gets
    /// `Mine`; a redelivery of one a worker took or finished gets
    /// `AlreadyDone`; one arriving while the first delivery may still be
    /// queueing it (or died doing so) gets `Busy`: the caller queues it too,
    /// under the same FIFO deduplication id, so it is on the queue exactly
    /// once whichever of the two deliveries survives. A record past its
    /// expiry is taken over.
    pub async fn claim_update(&self, ws: &str, bot_id: i64, update_id: i64) -> Result<Claim, StoreError> {
        let now = util::now_ms();
        let pk = update_pk(ws, bot_id, update_id);
        let res = self
            .ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(with_key(
                [
                    ("status".to_string(), s("IN_PROGRESS")),
                    ("in_progress_until_ms".to_string(), n(now + IN_PROGRESS_MS)),
                    (keys::TTL_ATTRIBUTE.to_string(), n(now / 1000 + UPDATE_TTL_SECS)),
                ]
                .into(),
                pk.clone(),
                keys::UPDATE.into(),
            )))
            .condition_expression("attribute_not_exists(PK) OR expires_at < :now_s")
            .expression_attribute_values(":now_s", n(now / 1000))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match res {
            Ok(_) => Ok(Claim::Mine),
            Err(e) => {
                let failed = e.as_service_error().filter(|x| x.is_conditional_check_failed_exception()).map(|x| match x {
                    aws_sdk_dynamodb::operation::put_item::PutItemError::ConditionalCheckFailedException(c) => c.item.clone().unwrap_or_default(),
                    _ => Item::new(),
                });
                let Some(failed) = failed else { return Err(StoreError::aws(e)) };
                match self.update_status_of(&pk, Some(failed)).await?.0 {
                    Some(UpdateStatus::InProgress) | Some(UpdateStatus::Queued) | None => Ok(Claim::Busy),
                    Some(UpdateStatus::Processing) | Some(UpdateStatus::Done) => Ok(Claim::AlreadyDone),
                }
            }
        }
    }

    /// Moves an update to `to`; with `expect`, only from those states.
    async fn set_update_status(
        &self,
        ws: &str,
        bot_id: i64,
        update_id: i64,
        to: &str,
        cond: &str,
        vals: Vec<(&str, AttributeValue)>,
    ) -> Result<bool, StoreError> {
        let now = util::now_ms();
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(update_pk(ws, bot_id, update_id), keys::UPDATE.into())))
            .update_expression("SET #st = :to, in_progress_until_ms = :until, expires_at = if_not_exists(expires_at, :exp)")
            .condition_expression(cond)
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":to", s(to))
            .expression_attribute_values(":until", n(now + IN_PROGRESS_MS))
            .expression_attribute_values(":exp", n(now / 1000 + UPDATE_TTL_SECS));
        for (k, v) in vals {
            u = u.expression_attribute_values(k, v);
        }
        match u.send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Ok(false),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// The worker's claim: an update on the queue is processed by one worker
    /// at a time, and never again once done.
    pub async fn claim_processing(&self, ws: &str, bot_id: i64, update_id: i64) -> Result<Claim, StoreError> {
        let now = util::now_ms();
        let ok = self
            .set_update_status(
                ws,
                bot_id,
                update_id,
                "PROCESSING",
                "attribute_not_exists(PK) OR #st IN (:inprog, :queued) OR (#st = :proc AND in_progress_until_ms < :now_ms)",
                vec![(":inprog", s("IN_PROGRESS")), (":queued", s("QUEUED")), (":proc", s("PROCESSING")), (":now_ms", n(now))],
            )
            .await?;
        if ok {
            return Ok(Claim::Mine);
        }
        match self.update_status_of(&update_pk(ws, bot_id, update_id), None).await?.0 {
            Some(UpdateStatus::Done) => Ok(Claim::AlreadyDone),
            _ => Ok(Claim::Busy),
        }
    }

    pub async fn mark_update_done(&self, ws: &str, bot_id: i64, update_id: i64) -> Result<(), StoreError> {
        self.set_update_status(ws, bot_id, update_id, "DONE", "attribute_exists(PK)", vec![]).await.map(|_| ())
    }

    pub async fn update_status(&self, ws: &str, bot_id: i64, update_id: i64) -> Result<Option<UpdateStatus>, StoreError> {
        Ok(self.update_status_of(&update_pk(ws, bot_id, update_id), None).await?.0)
    }

    // ---- conversations and messages ------------------------------------------

    pub async fn conversation(&self, ws: &str, bot_id: i64, chat_id: i64) -> Result<Option<Conversation>, StoreError> {
        self.get_as(&keys::ws(ws), &conv_sk(bot_id, chat_id)).await
    }

    /// Stores a message and moves its conversation (position, preview,
    /// unread count) in one transaction. A message stored before is a
    /// `Duplicate` and changes nothing, so a redelivered update cannot count
    /// twice. `contact` is the buyer (known from incoming messages).
    pub async fn record_message(&self, ws: &str, msg: &Message, contact: Option<&Person>, dedup: Option<&str>) -> Result<Recorded, StoreError> {
        self.record_message_with(ws, msg, Recording { contact, dedup, ..Recording::default() }).await.map(|(r, _)| r)
    }

    /// [`Store::record_message`] with options, also answering the
    /// conversation as it was before the write (so the worker learns of a
    /// hand-off without a second read).
    pub async fn record_message_with(&self, ws: &str, msg: &Message, how: Recording<'_>) -> Result<(Recorded, Option<Conversation>), StoreError> {
        let mut seen_first = how.seen;
        for _ in 0..5 {
            let conv = match seen_first.take() {
                Some(c) => c,
                None => self.conversation(ws, msg.bot_id, msg.chat_id).await?,
            };
            let seen = conv.clone();
            let new_words = crate::inbox_search::new_words(msg, conv.as_ref());
            // Index entries first (idempotent puts): a crash after them only
            // leaves entries a retry writes again, never a message unfound.
            self.index_message_words(ws, msg.bot_id, msg.chat_id, &new_words).await?;
            let old_seq = conv.as_ref().map(|c| c.seq).unwrap_or(0);
            let seq = old_seq + 1;
            let stored = Message { seq, ..msg.clone() };
            let mut item = with_key(encode(&stored)?, messages_pk(ws, msg.bot_id, msg.chat_id), message_sk(msg, how.dedup));
            item.insert("workspace_id".into(), s(ws));
            let put_msg = Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(PK)")
                .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                .build()
                .map_err(StoreError::aws)?;
            // A buyer's first message in a private chat is a lead; every
            // message counts for its day (the dashboard's charts).
            let incoming = msg.direction == Direction::In;
            let day = crate::stats::Deltas::default()
                .add(if incoming { "messages_in" } else { "messages_out" }, 1)
                .add("leads", i64::from(incoming && conv.is_none() && msg.chat_id > 0))
                .add(format!("leads_bot_{}", msg.bot_id), i64::from(incoming && conv.is_none() && msg.chat_id > 0));
            let day_write = self.day_write(ws, if msg.at_ms > 0 { msg.at_ms } else { util::now_ms() }, &day)?;
            let conv_writes = self.conversation_write(ws, msg, how.contact, conv, &new_words)?;
            let mut tx = self.ddb.transact_write_items().transact_items(TransactWriteItem::builder().put(put_msg).build());
            for w in conv_writes {
                tx = tx.transact_items(w);
            }
            if let Some((bot_id, update_id)) = how.done_update {
                tx = tx.transact_items(self.update_done_write(ws, bot_id, update_id)?);
            }
            // The buyer's contact moves with their message (a private chat:
            // the chat is the person), in the same transaction: no extra call,
            // and nothing for a redelivered message.
            if let Some(p) = how.contact.filter(|p| msg.direction == Direction::In && msg.chat_id > 0 && p.id == msg.chat_id) {
                let channel = how.channel.unwrap_or(cartie_domain::contacts::Channel::Bot(msg.bot_id));
                tx = tx.transact_items(self.contact_touch(ws, msg, p, channel)?);
            }
            if let Some(w) = day_write {
                tx = tx.transact_items(w);
            }
            // The fence stays last: its failure is told apart by position.
            if let Some(f) = how.fence {
                tx = tx.transact_items(self.fence_item(f)?);
            }
            match tx.send().await {
                Ok(_) => return Ok((Recorded::New(seq), seen)),
                Err(e) => {
                    let reasons = match e.as_service_error() {
                        Some(aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(c)) => {
                            c.cancellation_reasons().to_vec()
                        }
                        _ => return Err(StoreError::aws(e)),
                    };
                    if how.fence.is_some() && reasons.last().is_some_and(|r| r.code() == Some("ConditionalCheckFailed")) {
                        return Err(StoreError::Conflict(crate::tg_accounts::LEASE_LOST.into()));
                    }
                    if let Some(first) = reasons.first().filter(|r| r.code() == Some("ConditionalCheckFailed")) {
                        // The message is stored already: answer where it stands.
                        let stored_seq = first.item().and_then(|i| i.get("seq")).and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok());
                        let stored_seq = match stored_seq {
                            Some(q) => Some(q),
                            None => self
                                .get(&messages_pk(ws, msg.bot_id, msg.chat_id), &message_sk(msg, how.dedup))
                                .await?
                                .and_then(|i| i.get("seq")?.as_n().ok()?.parse().ok()),
                        };
                        return Ok((Recorded::Duplicate(stored_seq), seen));
                    }
                    // The conversation moved meanwhile: read it again and retry.
                    continue;
                }
            }
        }
        Err(StoreError::Contended("the conversation kept changing; try again".into()))
    }

    /// The writes that move a conversation for a new message (or create
    /// it), with the Inbox counters when what they count changed: a
    /// buyer's message opens a snoozed or resolved conversation and makes
    /// it unread.
    fn conversation_write(
        &self,
        ws: &str,
        msg: &Message,
        contact: Option<&Person>,
        conv: Option<Conversation>,
        new_words: &[String],
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        // The message is the conversation's next one (the caller's `seq`).
        let old_seq = conv.as_ref().map(|c| c.seq).unwrap_or(0);
        let seq = old_seq + 1;
        let incoming = msg.direction == Direction::In;
        let last = conv.as_ref().map(|c| c.last_message_at_ms.max(msg.at_ms)).unwrap_or(msg.at_ms);
        Ok(match conv {
            None => {
                let person = contact.cloned().or_else(|| msg.from.clone()).unwrap_or(Person {
                    id: msg.chat_id,
                    first_name: "Buyer".into(),
                    last_name: None,
                    username: None,
                    language_code: None,
                });
                let c = Conversation {
                    workspace_id: ws.into(),
                    bot_id: msg.bot_id,
                    chat_id: msg.chat_id,
                    contact: person,
                    last_message_at_ms: last,
                    preview: msg.preview(),
                    last_direction: msg.direction,
                    unread: u32::from(incoming),
                    assignee: None,
                    seq,
                    created_at_ms: util::now_ms(),
                    blocked: false,
                    handoff_until_ms: None,
                    status: ConversationStatus::Open,
                    snoozed_until_ms: None,
                    rev: 1,
                    search_words: Default::default(),
                };
                let counters = self.counter_write(ws, &crate::triage::counter_changes(None, &c))?;
                let mut it = with_key(encode(&c)?, keys::ws(ws), conv_sk(msg.bot_id, msg.chat_id));
                it.insert("GSI1PK".into(), s(&keys::inbox(ws)));
                it.insert("GSI1SK".into(), s(&inbox_sort(last, msg.bot_id, msg.chat_id)));
                it.insert("GSI2PK".into(), s(&keys::inbox_of_bot(ws, msg.bot_id)));
                it.insert("GSI2SK".into(), s(&inbox_sort(last, msg.bot_id, msg.chat_id)));
                if !new_words.is_empty() {
                    it.insert("search_words".into(), AttributeValue::Ss(new_words.to_vec()));
                }
                let p = Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(it))
                    .condition_expression("attribute_not_exists(PK)")
                    .build()
                    .map_err(StoreError::aws)?;
                [Some(TransactWriteItem::builder().put(p).build()), counters].into_iter().flatten().collect()
            }
            Some(before) => {
                let after = Conversation {
                    unread: before.unread + u32::from(incoming),
                    status: if incoming { ConversationStatus::Open } else { before.status },
                    snoozed_until_ms: before.snoozed_until_ms.filter(|_| !incoming),
                    rev: before.rev + 1,
                    ..before.clone()
                };
                let counters = self.counter_write(ws, &crate::triage::counter_changes(Some(&before), &after))?;
                let mut expr =
                    "SET seq = :seq, last_message_at_ms = :last, preview = :pv, last_direction = :dir, GSI1SK = :sort, GSI2SK = :sort, unread = unread + :inc, rev = :rev"
                        .to_string();
                let mut u = Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key(keys::ws(ws), conv_sk(msg.bot_id, msg.chat_id))))
                    .condition_expression(format!("seq = :old AND {}", crate::triage::rev_condition(before.rev)))
                    .expression_attribute_values(":rev", n(after.rev))
                    .expression_attribute_values(":seq", n(seq))
                    .expression_attribute_values(":old", n(old_seq))
                    .expression_attribute_values(":last", n(last))
                    .expression_attribute_values(":pv", s(&msg.preview()))
                    .expression_attribute_values(":dir", s(if incoming { "in" } else { "out" }))
                    .expression_attribute_values(":sort", s(&inbox_sort(last, msg.bot_id, msg.chat_id)))
                    .expression_attribute_values(":inc", n(u32::from(incoming)));
                if before.rev > 0 {
                    u = u.expression_attribute_values(":oldrev", n(before.rev));
                }
                if incoming {
                    // A buyer who writes has not blocked the bot (any more),
                    // and their conversation needs someone again.
                    expr.push_str(", blocked = :no, #st = :open");
                    u = u
                        .expression_attribute_values(":no", AttributeValue::Bool(false))
                        .expression_attribute_names("#st", "status")
                        .expression_attribute_values(":open", s(ConversationStatus::Open.as_str()));
                    if let Some(p) = contact {
                        expr.push_str(", contact = :contact");
                        u = u.expression_attribute_values(":contact", AttributeValue::M(encode(p)?));
                    }
                    expr.push_str(" REMOVE snoozed_until_ms");
                }
                if !new_words.is_empty() {
                    expr.push_str(" ADD search_words :words");
                    u = u.expression_attribute_values(":words", AttributeValue::Ss(new_words.to_vec()));
                }
                let conv = TransactWriteItem::builder().update(u.update_expression(expr).build().map_err(StoreError::aws)?).build();
                [Some(conv), counters].into_iter().flatten().collect()
            }
        })
    }

    /// The update record set to done, as one write of a transaction.
    fn update_done_write(&self, ws: &str, bot_id: i64, update_id: i64) -> Result<TransactWriteItem, StoreError> {
        let now = util::now_ms();
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(update_pk(ws, bot_id, update_id), keys::UPDATE.into())))
            .update_expression("SET #st = :done, expires_at = if_not_exists(expires_at, :exp)")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":done", s("DONE"))
            .expression_attribute_values(":exp", n(now / 1000 + UPDATE_TTL_SECS))
            .build()
            .map_err(StoreError::aws)?;
        Ok(TransactWriteItem::builder().update(u).build())
    }

    /// Applies a buyer's edit to the stored message; `false` if Cartie never
    /// stored the original (then the caller records it as new).
    pub async fn edit_message(&self, ws: &str, msg: &Message) -> Result<bool, StoreError> {
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(messages_pk(ws, msg.bot_id, msg.chat_id), message_sk(msg, None))))
            .condition_expression("attribute_exists(PK)")
            .update_expression("SET edited_at_ms = :e, #t = :t, caption = :c")
            .expression_attribute_names("#t", "text")
            .expression_attribute_values(":e", n(msg.edited_at_ms.unwrap_or_else(util::now_ms)));
        u = u
            .expression_attribute_values(":t", msg.text.as_deref().map(s).unwrap_or(AttributeValue::Null(true)))
            .expression_attribute_values(":c", msg.caption.as_deref().map(s).unwrap_or(AttributeValue::Null(true)));
        match u.send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Ok(false),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Conversations newest first, across all bots or one.
    pub async fn conversations(&self, ws: &str, bot_id: Option<i64>, limit: i32, cursor: Option<&str>) -> Result<Page<Conversation>, StoreError> {
        let limit = usize::try_from(limit).unwrap_or(1).max(1);
        self.conversations_in_view(ws, bot_id, &crate::triage::View::default(), limit, cursor).await
    }

    /// A conversation's messages, newest first.
    pub async fn messages(&self, ws: &str, bot_id: i64, chat_id: i64, limit: i32, cursor: Option<&str>) -> Result<Page<Message>, StoreError> {
        let pk = messages_pk(ws, bot_id, chat_id);
        let start = crate::cursor::start_key(cursor, "PK", &pk)?;
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :m)")
            .expression_attribute_values(":pk", s(&pk))
            .expression_attribute_values(":m", s(keys::MESSAGE_PREFIX))
            .scan_index_forward(false)
            .limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let items = out.items.unwrap_or_default().into_iter().map(decode).collect::<Result<Vec<Message>, _>>()?;
        Ok(Page { items, next: out.last_evaluated_key.as_ref().and_then(encode_cursor) })
    }

    async fn update_conversation(&self, ws: &str, bot_id: i64, chat_id: i64, expr: &str, vals: Vec<(&str, AttributeValue)>) -> Result<(), StoreError> {
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), conv_sk(bot_id, chat_id))))
            .condition_expression("attribute_exists(PK)")
            .update_expression(expr);
        for (k, v) in vals {
            u = u.expression_attribute_values(k, v);
        }
        match u.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Err(StoreError::NotFound),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Flags (or with `None` releases) a hand-off to a person.
    pub async fn set_handoff(&self, ws: &str, bot_id: i64, chat_id: i64, until_ms: Option<i64>) -> Result<(), StoreError> {
        match until_ms {
            Some(t) => self.update_conversation(ws, bot_id, chat_id, "SET handoff_until_ms = :t", vec![(":t", AttributeValue::N(t.to_string()))]).await,
            None => self.update_conversation(ws, bot_id, chat_id, "REMOVE handoff_until_ms", vec![]).await,
        }
    }

    /// Marks (or clears) a blocked bot on the conversation and, for a
    /// private chat (the chat id is the buyer's user id), on the contact.
    pub async fn set_blocked(&self, ws: &str, bot_id: i64, chat_id: i64, blocked: bool) -> Result<(), StoreError> {
        if chat_id > 0 {
            self.set_contact_blocked(ws, bot_id, chat_id, blocked).await?;
        }
        self.update_conversation(ws, bot_id, chat_id, "SET blocked = :b", vec![(":b", AttributeValue::Bool(blocked))]).await
    }

    // ---- contacts and requests -----------------------------------------------

    /// Records a buyer the first time they write; later calls keep the
    /// first source (where they came from) and fill in a shared phone.
    /// Keeps the variables a scenario collected on the contact (merged
    /// over earlier ones). Nothing happens for a contact not seen yet.
    pub async fn set_contact_vars(&self, ws: &str, bot_id: i64, user_id: i64, vars: &std::collections::BTreeMap<String, String>) -> Result<(), StoreError> {
        if vars.is_empty() {
            return Ok(());
        }
        let contact = key(keys::ws(ws), keys::contact(bot_id, user_id));
        let ignore_missing = |r: Result<(), StoreError>| match r {
            Err(StoreError::NotFound) => Ok(()),
            other => other,
        };
        // DynamoDB cannot create a map and set its keys in one expression:
        // first make sure the map exists, then set the keys.
        let first = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(contact.clone()))
            .condition_expression("attribute_exists(PK)")
            .update_expression("SET vars = if_not_exists(vars, :empty)")
            .expression_attribute_values(":empty", AttributeValue::M(HashMap::new()))
            .send()
            .await;
        ignore_missing(first.map(|_| ()).map_err(conditional_not_found))?;
        let mut u = self.ddb.update_item().table_name(&self.table).set_key(Some(contact)).condition_expression("attribute_exists(PK)");
        let mut sets = Vec::new();
        // Names go through placeholders: they are the dealer's words.
        for (i, (k, v)) in vars.iter().enumerate().take(50) {
            sets.push(format!("vars.#k{i} = :v{i}"));
            u = u.expression_attribute_names(format!("#k{i}"), k).expression_attribute_values(format!(":v{i}"), s(v));
        }
        let res = u.update_expression(format!("SET {}", sets.join(", "))).send().await;
        ignore_missing(res.map(|_| ()).map_err(conditional_not_found))?;
        // The contact (one per person) keeps them too, for the list's
        // variable filter.
        self.set_person_vars(ws, user_id, vars).await
    }

    pub async fn upsert_contact(&self, ws: &str, bot_id: i64, person: &Person, source: Option<&str>, phone: Option<&str>) -> Result<(), StoreError> {
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::contact(bot_id, person.id))))
            .update_expression(
                "SET workspace_id = :ws, bot_id = :b, user_id = :u, person = :p, first_seen_ms = if_not_exists(first_seen_ms, :now), #src = if_not_exists(#src, :src), phone = if_not_exists(phone, :ph)",
            )
            .expression_attribute_names("#src", "source")
            .expression_attribute_values(":ws", s(ws))
            .expression_attribute_values(":b", n(bot_id))
            .expression_attribute_values(":u", n(person.id))
            .expression_attribute_values(":p", AttributeValue::M(encode(person)?))
            .expression_attribute_values(":now", n(util::now_ms()))
            .expression_attribute_values(":src", source.map(s).unwrap_or(AttributeValue::Null(true)))
            .expression_attribute_values(":ph", phone.map(s).unwrap_or(AttributeValue::Null(true)));
        if phone.is_some() {
            // A phone shared now replaces nothing but fills an empty one.
            u = u.update_expression(
                "SET workspace_id = :ws, bot_id = :b, user_id = :u, person = :p, first_seen_ms = if_not_exists(first_seen_ms, :now), #src = if_not_exists(#src, :src), phone = :ph",
            );
        }
        u.send().await.map_err(StoreError::aws)?;
        self.contact_details(ws, person.id, source, phone, source == Some("miniapp")).await
    }

    pub async fn contact(&self, ws: &str, bot_id: i64, user_id: i64) -> Result<Option<Contact>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::contact(bot_id, user_id)).await
    }
}
