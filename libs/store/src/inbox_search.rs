//! Inbox search: conversations found by the buyer's name, username or
//! phone (the contacts' search index) and by the words of their messages.
//!
//! | PK                               | SK                    | item (keys only)                          |
//! |----------------------------------|-----------------------|-------------------------------------------|
//! | `WS#{ws}#MSEARCH#{first char}`   | `{word}#{bot}#{chat}` | some message of that chat has that word   |
//!
//! **Writes.** One entry per (word, conversation), not per message: a
//! message adds entries only for the words its conversation has not had
//! yet (the conversation keeps its words, `search_words`, in the same
//! transaction as the message), at most 30 per message and 500 per
//! conversation. So a chat's first messages cost one BatchWriteItem each
//! (≤ 25 puts; a 30-word message two), and later messages that repeat
//! known words cost nothing. The entries are written before the message's
//! transaction (idempotent puts), by whoever records the message: the
//! updates worker for a buyer's message (off the webhook's ack path), the
//! API for a manager's reply. The partition is sharded by the word's first
//! character, so one workspace's writes spread over dozens of partitions.
//!
//! **Reads.** A search reads, whatever the workspace's size: the contacts
//! index (one query and one batch read, see `contacts.rs`), one query per
//! search word (at most 3, the longest; each `begins_with`, so words match
//! by prefix; a conversation must have every word), and one batch read of
//! at most 100 conversations. Results are the first 100 matches, newest
//! activity first; no cursor (a search is narrowed by more words).

use crate::contacts::ContactFilter;
use crate::inbox::Conversation;
use crate::{keys, Item, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use cartie_domain::contacts::Channel;
use cartie_domain::inbox::{search_words, Message, MAX_SEARCH_WORDS_PER_CONVERSATION};
use std::collections::BTreeSet;

/// At most this many conversations come back from a search.
pub const SEARCH_RESULTS: usize = 100;
/// Index entries read per search word.
const PER_WORD: i32 = 200;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}
fn key(pk: String, sk: String) -> Item {
    [("PK".to_string(), AttributeValue::S(pk)), ("SK".to_string(), AttributeValue::S(sk))].into()
}

/// The words of `msg` its conversation has not had yet (within its cap).
pub(crate) fn new_words(msg: &Message, conv: Option<&Conversation>) -> Vec<String> {
    let text = [msg.text.as_deref(), msg.caption.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    if text.trim().is_empty() {
        return Vec::new();
    }
    let empty = BTreeSet::new();
    let have = conv.map(|c| &c.search_words).unwrap_or(&empty);
    let room = MAX_SEARCH_WORDS_PER_CONVERSATION.saturating_sub(have.len());
    search_words(&text).difference(have).take(room).cloned().collect()
}

impl Store {
    /// Puts the index entries of a conversation's new words.
    pub(crate) async fn index_message_words(&self, ws: &str, bot_id: i64, chat_id: i64, words: &[String]) -> Result<(), StoreError> {
        let mut writes = Vec::with_capacity(words.len());
        for w in words {
            let item = key(keys::message_search(ws, w), keys::message_search_entry(w, bot_id, chat_id));
            writes.push(WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().map_err(StoreError::aws)?).build());
        }
        self.batch_write(writes).await
    }

    /// The index keys of a conversation's words (to erase them).
    pub(crate) fn message_word_keys(ws: &str, c: &Conversation) -> Vec<Item> {
        c.search_words.iter().map(|w| key(keys::message_search(ws, w), keys::message_search_entry(w, c.bot_id, c.chat_id))).collect()
    }

    /// Conversations whose buyer's name, username or phone, or whose
    /// messages, match `q` (see the module doc), newest activity first,
    /// only `bot_id`'s when given.
    pub async fn search_conversations(&self, ws: &str, q: &str, bot_id: Option<i64>) -> Result<Vec<Conversation>, StoreError> {
        let mut found: BTreeSet<(i64, i64)> = BTreeSet::new();
        // The buyer: the contacts' own index.
        let people = self.contacts(ws, &ContactFilter { q: Some(q.to_string()), bot: bot_id, ..Default::default() }, 100, None).await?;
        for c in &people.items {
            for ch in c.channels() {
                if let Channel::Bot(b) = ch {
                    found.insert((b, c.user_id));
                }
            }
        }
        // The messages: every search word must be in the conversation.
        // The index's own words of the query (a word it cannot hold, like
        // "a", would match nothing), the longest first.
        let mut terms: Vec<String> = search_words(q).into_iter().collect();
        terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
        terms.truncate(3);
        let mut by_text: Option<BTreeSet<(i64, i64)>> = None;
        for t in &terms {
            let out = self
                .ddb
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND begins_with(SK, :w)")
                .expression_attribute_values(":pk", s(&keys::message_search(ws, t)))
                .expression_attribute_values(":w", s(t))
                .limit(PER_WORD)
                .send()
                .await
                .map_err(StoreError::aws)?;
            let chats: BTreeSet<(i64, i64)> = out
                .items
                .unwrap_or_default()
                .iter()
                .filter_map(|i| i.get("SK")?.as_s().ok().cloned())
                .filter_map(|sk| {
                    let mut parts = sk.rsplitn(3, '#');
                    let chat = parts.next()?.parse().ok()?;
                    let bot = parts.next()?.parse().ok()?;
                    Some((bot, chat))
                })
                .collect();
            by_text = Some(match by_text {
                None => chats,
                Some(prev) => prev.intersection(&chats).copied().collect(),
            });
        }
        found.extend(by_text.unwrap_or_default());
        let keys_: Vec<Item> = found
            .into_iter()
            .filter(|(b, _)| bot_id.is_none_or(|want| want == *b))
            .take(SEARCH_RESULTS)
            .map(|(b, c)| key(keys::ws(ws), keys::conversation(b, c)))
            .collect();
        let mut convs: Vec<Conversation> = self.batch_get(keys_).await?.into_iter().map(crate::decode).collect::<Result<_, _>>()?;
        convs.sort_by_key(|c| std::cmp::Reverse(c.last_message_at_ms));
        Ok(convs)
    }
}
