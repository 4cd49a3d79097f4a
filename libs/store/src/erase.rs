//! Erasing a contact: a buyer's right to be forgotten. Everything stored
//! about the person goes, in steps a queue can retry, and the counters that
//! counted them move back:
//!
//! 1. [`Store::start_erasing`] (the API, at once): the contact is marked
//!    `erasing` and leaves the activity index, so lists, the contact page and
//!    audiences stop showing it from that moment.
//! 2. [`Store::erase_step`] (the jobs worker, repeated until `Done`): per bot
//!    the buyer wrote to, the conversation's messages, notes and scenario
//!    session (the `WS#{ws}#CONV#{bot}#{user}` partition, in pages), the
//!    conversation itself with the Inbox counters it counted in (one
//!    transaction guarded by its `rev`, so a retry never subtracts twice)
//!    and its words in the Inbox search index,
//!    the per-bot contact item and the Mini App leads; the team's
//!    notifications about their chats (with the unread counters); the tag and search
//!    index entries; the link from their car requests (the requests stay:
//!    they are the dealer's, and hold nothing about the person once
//!    unlinked); and last the contact item itself, so a retried step still
//!    knows the bots.
//!
//! Every delete is of a fixed key or of what a query finds now, so running a
//! step twice, or after a crash halfway, deletes what is left and nothing
//! else. A buyer who writes again after the erasure is a new contact.

use crate::contacts::ContactRecord;
use crate::inbox::Conversation;
use crate::triage::rev_condition;
use crate::{keys, Item, Store, StoreError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, DeleteRequest, TransactWriteItem, WriteRequest};
use cartie_domain::contacts::Channel;

/// Items deleted per step at most (then the step says `More`).
pub const ERASE_BATCH: usize = 500;

/// Where an erasure stands after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EraseProgress {
    /// Something is left: run another step.
    More,
    /// Nothing about the person is stored any more.
    Done,
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}
fn key(pk: &str, sk: &str) -> Item {
    [("PK".to_string(), s(pk)), ("SK".to_string(), s(sk))].into()
}

impl Store {
    /// Marks a contact as being erased and takes it out of the activity
    /// index. `NotFound` when there is no such contact; a contact already
    /// being erased is fine (the request was repeated).
    pub async fn start_erasing(&self, ws: &str, user_id: i64) -> Result<(), StoreError> {
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(&keys::ws(ws), &keys::person(user_id))))
            .condition_expression("attribute_exists(PK)")
            .update_expression("SET erasing = :t REMOVE GSI1PK, GSI1SK")
            .expression_attribute_values(":t", AttributeValue::Bool(true))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Err(StoreError::NotFound),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// One step of erasing a contact (see the module doc). A contact that
    /// is gone, or not being erased, is `Done` without touching anything.
    pub async fn erase_step(&self, ws: &str, user_id: i64) -> Result<EraseProgress, StoreError> {
        let Some(c) = self.contact_record(ws, user_id).await? else { return Ok(EraseProgress::Done) };
        if !c.erasing {
            return Ok(EraseProgress::Done);
        }
        for ch in c.channels() {
            if let Channel::Bot(bot) = ch {
                if self.erase_chat(ws, bot, user_id).await? == EraseProgress::More {
                    return Ok(EraseProgress::More);
                }
            }
        }
        let chats: Vec<(i64, i64)> = c.channels().into_iter().filter_map(|ch| if let Channel::Bot(b) = ch { Some((b, user_id)) } else { None }).collect();
        self.forget_conversation_notices(ws, &chats).await?;
        self.erase_indexes(&c).await?;
        for id in &c.open_requests {
            self.unlink_request(ws, id).await?;
        }
        self.ddb.delete_item().table_name(&self.table).set_key(Some(key(&keys::ws(ws), &keys::person(user_id)))).send().await.map_err(StoreError::aws)?;
        Ok(EraseProgress::Done)
    }

    /// A buyer's chat with one bot: its partition (a page of at most
    /// [`ERASE_BATCH`] items per step), then the conversation with its
    /// counters, the per-bot contact and the Mini App leads.
    async fn erase_chat(&self, ws: &str, bot: i64, user: i64) -> Result<EraseProgress, StoreError> {
        if self.delete_partition_page(&keys::conversation_pk(ws, bot, user), ERASE_BATCH).await? {
            return Ok(EraseProgress::More);
        }
        if let Some(conv) = self.conversation(ws, bot, user).await? {
            self.delete_keys(Store::message_word_keys(ws, &conv)).await?;
        }
        self.delete_conversation(ws, bot, user).await?;
        let mut rest = vec![key(&keys::ws(ws), &keys::contact(bot, user))];
        rest.extend(self.query_prefix(&keys::ws(ws), &format!("MINIAPP#{bot}#{user}#")).await?.into_iter().take(ERASE_BATCH));
        self.delete_keys(rest).await?;
        Ok(EraseProgress::Done)
    }

    /// Deletes the conversation and takes it out of the Inbox counters in one
    /// transaction, guarded by its `rev` (read again if it moved).
    async fn delete_conversation(&self, ws: &str, bot: i64, user: i64) -> Result<(), StoreError> {
        for _ in 0..5 {
            let Some(conv) = self.conversation(ws, bot, user).await? else { return Ok(()) };
            let mut d = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key(&keys::ws(ws), &keys::conversation(bot, user))))
                .condition_expression(format!("attribute_exists(PK) AND {}", rev_condition(conv.rev)));
            if conv.rev > 0 {
                d = d.expression_attribute_values(":oldrev", AttributeValue::N(conv.rev.to_string()));
            }
            let mut tx = self.ddb.transact_write_items().transact_items(TransactWriteItem::builder().delete(d.build().map_err(StoreError::aws)?).build());
            if let Some(w) = self.counter_write(ws, &counts_removed(&conv))? {
                tx = tx.transact_items(w);
            }
            match tx.send().await {
                Ok(_) => return Ok(()),
                Err(e) if matches!(e.as_service_error(), Some(TransactWriteItemsError::TransactionCanceledException(_))) => continue,
                Err(e) => return Err(StoreError::aws(e)),
            }
        }
        Err(StoreError::Contended("the conversation kept changing; try again".into()))
    }

    /// The contact's tag and search index entries.
    async fn erase_indexes(&self, c: &ContactRecord) -> Result<(), StoreError> {
        let ws = &c.workspace_id;
        let mut keys_: Vec<Item> = c.tags.iter().map(|t| key(&keys::contact_tag(ws, t), &keys::person(c.user_id))).collect();
        keys_.extend(c.search_tokens.iter().map(|t| key(&keys::contact_search(ws), &keys::contact_search_entry(t, c.user_id))));
        self.delete_keys(keys_).await
    }

    /// A request keeps its facts but no longer points at the buyer's chat
    /// (nor does its live copy, which partners' matching reads).
    async fn unlink_request(&self, ws: &str, id: &str) -> Result<(), StoreError> {
        for pk in [keys::ws(ws), format!("{}#OPENREQS", keys::ws(ws))] {
            let res = self
                .ddb
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key(&pk, &keys::request(id))))
                .condition_expression("attribute_exists(PK)")
                .update_expression("REMOVE conversation")
                .send()
                .await;
            match res {
                Ok(_) => {}
                Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => {}
                Err(e) => return Err(StoreError::aws(e)),
            }
        }
        Ok(())
    }

    pub(crate) async fn delete_keys(&self, items: Vec<Item>) -> Result<(), StoreError> {
        let mut writes = Vec::with_capacity(items.len());
        for item in items {
            let k: Item = item.into_iter().filter(|(name, _)| name == "PK" || name == "SK").collect();
            writes.push(WriteRequest::builder().delete_request(DeleteRequest::builder().set_key(Some(k)).build().map_err(StoreError::aws)?).build());
        }
        self.batch_write(writes).await
    }

    /// Deletes up to `limit` items of partition `pk` (one Query of keys,
    /// then batch deletes); `false` when it was empty already. Callers loop
    /// or step to empty a partition.
    pub(crate) async fn delete_partition_page(&self, pk: &str, limit: usize) -> Result<bool, StoreError> {
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(pk))
            .projection_expression("PK, SK")
            .limit(limit as i32)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let items = out.items.unwrap_or_default();
        if items.is_empty() {
            return Ok(false);
        }
        self.delete_keys(items).await?;
        Ok(true)
    }
}

/// What a conversation counted in, taken back.
fn counts_removed(c: &Conversation) -> std::collections::BTreeMap<String, i64> {
    if c.rev == 0 {
        return Default::default();
    }
    crate::triage::counted_in(c).into_iter().map(|a| (a, -1)).collect()
}
