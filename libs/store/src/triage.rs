//! Inbox triage: a conversation's status (open / snoozed until a time /
//! resolved), who has it and whether it is unread, with the workspace's
//! Inbox counters moved in the same transaction; private notes; the team's
//! canned replies.
//!
//! | PK                              | SK                         | item                                 |
//! |---------------------------------|----------------------------|--------------------------------------|
//! | `WS#{ws}`                       | `INBOXCOUNT`               | the Inbox counters (see below)       |
//! | `WS#{ws}#CONV#{bot}#{chat}`     | `MSG#{at_ms:013}#note{id}` | a private note (in the timeline)     |
//! | `WS#{ws}`                       | `CANNED#{shortcut}`        | a canned reply                       |
//!
//! **Counters, not counting.** `INBOXCOUNT` holds numbers per view:
//! `total` (every conversation), `open`, `snoozed`, `resolved`, `unread`
//! (conversations with unread messages, whatever their status),
//! `unassigned` (open, nobody's) and `mine#{email}` (open, that member's).
//! Every write that changes a conversation's status, assignee or unread
//! count computes what the conversation contributed before and after
//! ([`counter_changes`]) and ADDs the difference to the counters in the
//! same transaction, guarded by the conversation's `rev` (moved by each such
//! write), so a retry or a race cannot count twice. A message adds no SDK
//! call: the counter update rides in the message's own transaction, and
//! only when something counted changed (a second unread message does not
//! touch the counters, which keeps the item cool).
//!
//! Access patterns: the counts are one GetItem; a view's list is a Query of
//! the Inbox index (GSI1, or GSI2 for one bot) newest first with the view's
//! conditions checked on the items read, at most [`LIST_ROUNDS`] reads of
//! [`LIST_READ`] items per page (a page may come back short, with a cursor
//! to go on); canned replies are a Query `WS#{ws}` begins_with `CANNED#`
//! (at most [`CANNED_MAX`]); notes come with the messages (Query
//! `WS#{ws}#CONV#…` begins_with `MSG#`).

use crate::cursor::encode_key as encode_cursor;
use crate::inbox::{Conversation, Page};
use crate::{decode, encode, keys, util, Item, Store, StoreError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use cartie_domain::inbox::{ConversationStatus, Message};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Index items read per round of a filtered list.
pub const LIST_READ: i32 = 100;
/// Rounds of reading a filtered list may take for one page.
pub const LIST_ROUNDS: usize = 3;
/// Canned replies a workspace may keep.
pub const CANNED_MAX: usize = 200;

/// The Inbox counters of a workspace as one member sees them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InboxCounts {
    pub total: i64,
    pub open: i64,
    pub snoozed: i64,
    pub resolved: i64,
    pub unread: i64,
    pub unassigned: i64,
    pub mine: i64,
}

/// Which conversations a list shows (all `None`/false: every one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    pub status: Option<ConversationStatus>,
    pub assignee: Option<Assignee>,
    pub unread_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    /// Assigned to this member.
    Member(String),
    Nobody,
}

impl View {
    pub fn is_everything(&self) -> bool {
        *self == View::default()
    }

    pub fn shows(&self, c: &Conversation) -> bool {
        self.status.is_none_or(|s| s == c.status)
            && match &self.assignee {
                None => true,
                Some(Assignee::Nobody) => c.assignee.is_none(),
                Some(Assignee::Member(m)) => c.assignee.as_deref() == Some(m.as_str()),
            }
            && (!self.unread_only || c.unread > 0)
    }
}

/// The counter attributes a conversation adds one to.
pub(crate) fn counted_in(c: &Conversation) -> Vec<String> {
    let mut v = vec!["total".to_string(), c.status.as_str().to_string()];
    if c.unread > 0 {
        v.push("unread".into());
    }
    if c.status == ConversationStatus::Open {
        v.push(match &c.assignee {
            None => "unassigned".into(),
            Some(a) => mine(a),
        });
    }
    v
}

fn mine(email: &str) -> String {
    format!("mine#{email}")
}

/// What the counters move by when a conversation goes from `before` (none:
/// new, or written before the counters existed) to `after`.
pub fn counter_changes(before: Option<&Conversation>, after: &Conversation) -> BTreeMap<String, i64> {
    let mut d: BTreeMap<String, i64> = BTreeMap::new();
    for a in before.filter(|b| b.rev > 0).map(counted_in).unwrap_or_default() {
        *d.entry(a).or_default() -= 1;
    }
    for a in counted_in(after) {
        *d.entry(a).or_default() += 1;
    }
    d.retain(|_, v| *v != 0);
    d
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

/// The conversation's `rev` is still `rev` (the lock of counted writes).
pub(crate) fn rev_condition(rev: u64) -> &'static str {
    if rev == 0 {
        "attribute_not_exists(rev)"
    } else {
        "rev = :oldrev"
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CannedReply {
    pub workspace_id: String,
    /// Typed after `/` in the composer; unique in the workspace.
    pub shortcut: String,
    pub text: String,
    pub updated_by: String,
    pub updated_at_ms: i64,
}

impl Store {
    /// The counters' write for these changes, as one step of a transaction;
    /// `None` when nothing counted changed.
    pub(crate) fn counter_write(&self, ws: &str, changes: &BTreeMap<String, i64>) -> Result<Option<TransactWriteItem>, StoreError> {
        if changes.is_empty() {
            return Ok(None);
        }
        let mut u = Update::builder().table_name(&self.table).set_key(Some(key(keys::ws(ws), keys::INBOX_COUNT.into())));
        let mut adds = Vec::new();
        // Names go through placeholders: `mine#{email}` is not a plain name.
        for (i, (attr, delta)) in changes.iter().enumerate() {
            adds.push(format!("#c{i} :c{i}"));
            u = u.expression_attribute_names(format!("#c{i}"), attr).expression_attribute_values(format!(":c{i}"), n(delta));
        }
        let u = u.update_expression(format!("ADD {}", adds.join(", "))).build().map_err(StoreError::aws)?;
        Ok(Some(TransactWriteItem::builder().update(u).build()))
    }

    /// The Inbox counters, with `email`'s own "mine" (one GetItem).
    pub async fn inbox_counters(&self, ws: &str, email: &str) -> Result<InboxCounts, StoreError> {
        let item = self.get(&keys::ws(ws), keys::INBOX_COUNT).await?.unwrap_or_default();
        // A counter is never below zero for the team, whatever happened to it.
        let get = |a: &str| item.get(a).and_then(|v| v.as_n().ok()).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0).max(0);
        Ok(InboxCounts {
            total: get("total"),
            open: get("open"),
            snoozed: get("snoozed"),
            resolved: get("resolved"),
            unread: get("unread"),
            unassigned: get("unassigned"),
            mine: get(&mine(email)),
        })
    }

    /// Changes a conversation's status, assignee or unread count with
    /// `change` (given it as it is; `None`: nothing to do) and moves the
    /// counters with it, in one transaction guarded by `rev`. Answers the
    /// conversation before and after. `NotFound` when there is none.
    pub async fn change_conversation<F>(&self, ws: &str, bot_id: i64, chat_id: i64, change: F) -> Result<(Conversation, Conversation), StoreError>
    where
        F: Fn(&Conversation) -> Option<Conversation>,
    {
        for _ in 0..5 {
            let before = self.conversation(ws, bot_id, chat_id).await?.ok_or(StoreError::NotFound)?;
            let Some(mut after) = change(&before) else { return Ok((before.clone(), before)) };
            after.rev = before.rev + 1;
            let mut u = Update::builder()
                .table_name(&self.table)
                .set_key(Some(key(keys::ws(ws), keys::conversation(bot_id, chat_id))))
                .condition_expression(format!("attribute_exists(PK) AND {}", rev_condition(before.rev)))
                .expression_attribute_names("#st", "status")
                .expression_attribute_values(":st", s(after.status.as_str()))
                .expression_attribute_values(":u", n(after.unread))
                .expression_attribute_values(":rev", n(after.rev));
            if before.rev > 0 {
                u = u.expression_attribute_values(":oldrev", n(before.rev));
            }
            let mut sets = vec!["#st = :st", "unread = :u", "rev = :rev"];
            let mut removes = Vec::new();
            match &after.assignee {
                Some(a) => {
                    sets.push("assignee = :a");
                    u = u.expression_attribute_values(":a", s(a));
                }
                None => removes.push("assignee"),
            }
            match after.snoozed_until_ms {
                Some(t) => {
                    sets.push("snoozed_until_ms = :sn");
                    u = u.expression_attribute_values(":sn", n(t));
                }
                None => removes.push("snoozed_until_ms"),
            }
            let mut expr = format!("SET {}", sets.join(", "));
            if !removes.is_empty() {
                expr.push_str(&format!(" REMOVE {}", removes.join(", ")));
            }
            let conv_write = TransactWriteItem::builder().update(u.update_expression(expr).build().map_err(StoreError::aws)?).build();
            let mut tx = self.ddb.transact_write_items().transact_items(conv_write);
            if let Some(w) = self.counter_write(ws, &counter_changes(Some(&before), &after))? {
                tx = tx.transact_items(w);
            }
            match tx.send().await {
                Ok(_) => return Ok((before, after)),
                // Someone moved it meanwhile (or the counters were busy): read again.
                Err(e) if matches!(e.as_service_error(), Some(TransactWriteItemsError::TransactionCanceledException(_))) => continue,
                Err(e) => return Err(StoreError::aws(e)),
            }
        }
        Err(StoreError::Contended("the conversation kept changing; try again".into()))
    }

    /// Assigns the conversation to `assignee` (or nobody); answers it as it
    /// was before, so the caller knows whose it was.
    pub async fn assign(&self, ws: &str, bot_id: i64, chat_id: i64, assignee: Option<&str>) -> Result<Conversation, StoreError> {
        let (before, _) = self
            .change_conversation(ws, bot_id, chat_id, |c| {
                (c.assignee.as_deref() != assignee || c.rev == 0).then(|| Conversation { assignee: assignee.map(str::to_string), ..c.clone() })
            })
            .await?;
        Ok(before)
    }

    /// Everything read: one read when there was nothing unread.
    pub async fn mark_read(&self, ws: &str, bot_id: i64, chat_id: i64) -> Result<(), StoreError> {
        self.change_conversation(ws, bot_id, chat_id, |c| (c.unread > 0 || c.rev == 0).then(|| Conversation { unread: 0, ..c.clone() })).await?;
        Ok(())
    }

    /// Sets the status (a snooze with its wake-up time); answers the
    /// conversation after.
    pub async fn set_status(
        &self,
        ws: &str,
        bot_id: i64,
        chat_id: i64,
        status: ConversationStatus,
        snoozed_until_ms: Option<i64>,
    ) -> Result<Conversation, StoreError> {
        let until = snoozed_until_ms.filter(|_| status == ConversationStatus::Snoozed);
        let (_, after) = self
            .change_conversation(ws, bot_id, chat_id, |c| {
                (c.status != status || c.snoozed_until_ms != until || c.rev == 0).then(|| Conversation { status, snoozed_until_ms: until, ..c.clone() })
            })
            .await?;
        Ok(after)
    }

    /// A snooze's time came: open the conversation again, unless it was
    /// changed since (opened, resolved, snoozed to another time). `true`
    /// when it opened now.
    pub async fn wake(&self, ws: &str, bot_id: i64, chat_id: i64, until_ms: i64) -> Result<bool, StoreError> {
        let (before, after) = self
            .change_conversation(ws, bot_id, chat_id, |c| {
                (c.status == ConversationStatus::Snoozed && c.snoozed_until_ms == Some(until_ms)).then(|| Conversation {
                    status: ConversationStatus::Open,
                    snoozed_until_ms: None,
                    ..c.clone()
                })
            })
            .await?;
        Ok(before.status != after.status)
    }

    /// Puts a conversation written before the counters existed into them
    /// (a migration step; nothing for one counted already).
    pub async fn count_conversation(&self, ws: &str, bot_id: i64, chat_id: i64) -> Result<(), StoreError> {
        self.change_conversation(ws, bot_id, chat_id, |c| (c.rev == 0).then(|| c.clone())).await.map(|_| ())
    }

    /// One page of a view of the Inbox, newest first. Reads the Inbox index
    /// (all bots, or one) and keeps what the view shows: at most
    /// [`LIST_ROUNDS`] reads, so a rare view may answer a short page (even an
    /// empty one) with a cursor to go on.
    pub async fn conversations_in_view(
        &self,
        ws: &str,
        bot_id: Option<i64>,
        view: &View,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Page<Conversation>, StoreError> {
        let (index, pk_attr, sk_attr, pk) = match bot_id {
            Some(b) => ("GSI2", "GSI2PK", "GSI2SK", keys::inbox_of_bot(ws, b)),
            None => ("GSI1", "GSI1PK", "GSI1SK", keys::inbox(ws)),
        };
        // A cursor from another workspace or bot is not ours to follow.
        let mut start = crate::cursor::start_key(cursor, pk_attr, &pk)?;
        let filtered = !view.is_everything();
        let read = if filtered { LIST_READ } else { i32::try_from(limit).unwrap_or(LIST_READ) };
        let mut items = Vec::new();
        for _ in 0..LIST_ROUNDS {
            let out = self
                .ddb
                .query()
                .table_name(&self.table)
                .index_name(index)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", pk_attr)
                .expression_attribute_values(":pk", s(&pk))
                .scan_index_forward(false)
                .limit(read)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(StoreError::aws)?;
            for raw in out.items.unwrap_or_default() {
                let at: Item = ["PK", "SK", pk_attr, sk_attr].iter().filter_map(|a| Some((a.to_string(), raw.get(*a)?.clone()))).collect();
                let c: Conversation = decode(raw)?;
                if view.shows(&c) {
                    items.push(c);
                    if items.len() == limit {
                        // The page is full: go on right after this item.
                        return Ok(Page { items, next: encode_cursor(&at) });
                    }
                }
            }
            match out.last_evaluated_key.filter(|k| !k.is_empty()) {
                Some(k) => start = Some(k),
                None => return Ok(Page { items, next: None }),
            }
        }
        Ok(Page { items, next: start.as_ref().and_then(encode_cursor) })
    }

    // ---- private notes ---------------------------------------------------------

    /// Adds a private note to the conversation's timeline. It is not a
    /// message: the conversation's position, preview and counters stay.
    pub async fn add_note(&self, ws: &str, bot_id: i64, chat_id: i64, author: &str, text: &str) -> Result<Message, StoreError> {
        let id = util::new_id();
        let note = Message::note(bot_id, chat_id, util::now_ms(), &id, author, text);
        let mut item = encode(&note)?;
        item.insert("PK".into(), s(&keys::conversation_pk(ws, bot_id, chat_id)));
        item.insert("SK".into(), s(&keys::note(note.at_ms, &id)));
        item.insert("workspace_id".into(), s(ws));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(note)
    }

    // ---- canned replies ---------------------------------------------------------

    pub async fn canned_replies(&self, ws: &str) -> Result<Vec<CannedReply>, StoreError> {
        self.query_prefix(&keys::ws(ws), keys::CANNED_PREFIX).await?.into_iter().map(decode).collect()
    }

    /// Adds a new canned reply (`Conflict` when its shortcut is taken) or
    /// changes an existing one's text (`NotFound` when there is none): a
    /// shortcut is the reply's id, so no write reaches another's by name.
    /// Refuses a new one past [`CANNED_MAX`].
    pub async fn save_canned_reply(&self, r: &CannedReply, new: bool) -> Result<(), StoreError> {
        if new && self.canned_replies(&r.workspace_id).await?.len() >= CANNED_MAX {
            return Err(StoreError::Invalid(format!("a workspace keeps at most {CANNED_MAX} canned replies")));
        }
        let mut item = encode(r)?;
        item.insert("PK".into(), s(&keys::ws(&r.workspace_id)));
        item.insert("SK".into(), s(&keys::canned(&r.shortcut)));
        let cond = if new { "attribute_not_exists(PK)" } else { "attribute_exists(PK)" };
        let res = self.ddb.put_item().table_name(&self.table).set_item(Some(item)).condition_expression(cond).send().await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => {
                Err(if new { StoreError::Conflict(format!("/{} is taken", r.shortcut)) } else { StoreError::NotFound })
            }
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Deletes a canned reply; `NotFound` when there is none.
    pub async fn delete_canned_reply(&self, ws: &str, shortcut: &str) -> Result<(), StoreError> {
        let res = self
            .ddb
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), keys::canned(shortcut))))
            .condition_expression("attribute_exists(PK)")
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Err(StoreError::NotFound),
            Err(e) => Err(StoreError::aws(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartie_domain::inbox::{Direction, Person};

    fn conv(status: ConversationStatus, assignee: Option<&str>, unread: u32, rev: u64) -> Conversation {
        Conversation {
            workspace_id: "w".into(),
            bot_id: 1,
            chat_id: 2,
            contact: Person { id: 2, first_name: "Ann".into(), last_name: None, username: None, language_code: None },
            last_message_at_ms: 0,
            preview: String::new(),
            last_direction: Direction::In,
            unread,
            assignee: assignee.map(str::to_string),
            seq: 1,
            created_at_ms: 0,
            blocked: false,
            handoff_until_ms: None,
            status,
            snoozed_until_ms: None,
            rev,
            search_words: Default::default(),
        }
    }

    fn changes(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn a_new_unread_conversation_counts_everywhere_it_shows() {
        let c = conv(ConversationStatus::Open, None, 1, 1);
        assert_eq!(counter_changes(None, &c), changes(&[("open", 1), ("total", 1), ("unassigned", 1), ("unread", 1)]));
    }

    #[test]
    fn resolving_moves_it_out_of_the_open_views() {
        let before = conv(ConversationStatus::Open, Some("a@x"), 0, 3);
        let after = conv(ConversationStatus::Resolved, Some("a@x"), 0, 4);
        assert_eq!(counter_changes(Some(&before), &after), changes(&[("mine#a@x", -1), ("open", -1), ("resolved", 1)]));
    }

    #[test]
    fn a_second_unread_message_changes_no_counter() {
        let before = conv(ConversationStatus::Open, None, 1, 3);
        let after = conv(ConversationStatus::Open, None, 2, 4);
        assert!(counter_changes(Some(&before), &after).is_empty());
    }

    #[test]
    fn a_conversation_from_before_the_counters_is_added_once() {
        let legacy = conv(ConversationStatus::Open, None, 2, 0);
        let counted = conv(ConversationStatus::Open, None, 2, 1);
        assert_eq!(counter_changes(Some(&legacy), &counted), changes(&[("open", 1), ("total", 1), ("unassigned", 1), ("unread", 1)]));
    }

    #[test]
    fn views_show_what_they_say() {
        let mine = View { status: Some(ConversationStatus::Open), assignee: Some(Assignee::Member("a@x".into())), unread_only: false };
        assert!(mine.shows(&conv(ConversationStatus::Open, Some("a@x"), 0, 1)));
        assert!(!mine.shows(&conv(ConversationStatus::Open, Some("b@x"), 0, 1)));
        assert!(!mine.shows(&conv(ConversationStatus::Resolved, Some("a@x"), 0, 1)));
        let unread = View { unread_only: true, ..View::default() };
        assert!(!unread.shows(&conv(ConversationStatus::Open, None, 0, 1)));
        assert!(unread.shows(&conv(ConversationStatus::Snoozed, None, 3, 1)));
    }
}
