//! Contacts: one item per person per workspace (identity: the Telegram user
//! id), its channels, per-bot blocked / unsubscribed marks, tags, and the
//! two index partitions a contact list page is served from. Keys (also in
//! keys.rs):
//!
//! | PK                          | SK                    | item                                           |
//! |-----------------------------|-----------------------|------------------------------------------------|
//! | `WS#{ws}`                   | `PERSON#{user}`       | the contact (GSI1: by last activity)           |
//! | `WS#{ws}#CTAG#{tag}`        | `PERSON#{user}`       | tag index entry (keys only)                    |
//! | `WS#{ws}#CSEARCH`           | `{token}#{user}`      | search index entry: a name/username/phone word |
//!
//! GSI1 of the contact: `WS#{ws}#CONTACTS` / `{last_active_ms:013}#{user}`.
//!
//! Access patterns (each page: ONE indexed condition, then a bounded
//! post-filter in code over at most `limit` items, so a page may come back
//! short with a cursor to continue):
//! - list, newest activity first (optionally "active since"): Query GSI1
//!   `WS#{ws}#CONTACTS` (and `GSI1SK >= {since}`), Limit n.
//! - a tag: Query `WS#{ws}#CTAG#{tag}`, Limit n, then one BatchGetItem.
//! - a search: Query `WS#{ws}#CSEARCH` begins_with(SK, longest word), Limit
//!   n, then one BatchGetItem; the other words are checked on the contacts.
//! - one contact: GetItem `WS#{ws}/PERSON#{user}`.
//!
//! Erasing a contact (a buyer's right to be forgotten) is in `erase.rs`.
//!
//! Writes that touch a contact are idempotent: a buyer's message moves the
//! contact inside the message's own transaction (which fails as a whole
//! for a redelivered message), channels and marks are string sets changed
//! with ADD / DELETE, index entries are puts and deletes of fixed keys.
//!
//! Search write amplification: a contact is indexed under at most
//! [`cartie_domain::contacts::MAX_TOKENS`] (8) tokens. Indexing reads the
//! contact (1 GetItem) and, only when its tokens changed, writes the
//! difference (1 BatchWriteItem of ≤ 16 puts/deletes) and the token list
//! (1 UpdateItem). It runs in the updates worker (off the webhook's ack
//! path) for a buyer's first message to a bot or a changed Telegram name,
//! on a shared phone, and on an edit; a plain message adds no call.

use crate::inbox::Page;
use crate::{decode, keys, Item, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, DeleteRequest, KeysAndAttributes, PutRequest, TransactWriteItem, Update, WriteRequest};
use cartie_domain::contacts::{language_of, search_terms, search_tokens, Channel};
use cartie_domain::inbox::{Message, Person};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// A contact as stored.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
pub struct ContactRecord {
    pub workspace_id: String,
    pub user_id: i64,
    /// Their Telegram profile as last seen (`None` for one known only by phone).
    #[serde(default)]
    pub person: Option<Person>,
    /// The dealer's own name for them (edited on the contact page).
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Telegram's language, first part ("uk", "en").
    #[serde(default)]
    pub language: Option<String>,
    /// The deep-link payload of their first `/start`, or "miniapp".
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub tags: BTreeSet<String>,
    /// [`Channel`]s as text (`bot:{id}`, `miniapp`, `account:{id}`).
    #[serde(default)]
    pub channels: BTreeSet<String>,
    /// Bot ids (as text) the buyer blocked.
    #[serde(default)]
    pub blocked: BTreeSet<String>,
    /// Bot ids (as text) the buyer sent `/stop` to.
    #[serde(default)]
    pub unsubscribed: BTreeSet<String>,
    /// They asked for no offers from any of the dealer's bots (also those
    /// connected later), until a `/start`.
    #[serde(default)]
    pub unsubscribed_all: bool,
    /// The tokens the search index holds for this contact.
    #[serde(default)]
    pub search_tokens: BTreeSet<String>,
    #[serde(default)]
    pub first_seen_ms: i64,
    #[serde(default)]
    pub last_active_ms: i64,
    /// What the scenarios collected about them, over all bots (the latest
    /// value of each name wins).
    #[serde(default)]
    pub vars: std::collections::BTreeMap<String, String>,
    /// Ids of their car requests still open.
    #[serde(default)]
    pub open_requests: BTreeSet<String>,
    /// Cars they showed interest in from the Mini App, by listing id.
    #[serde(default)]
    pub interests: std::collections::BTreeMap<String, Interest>,
    /// Being erased (see `erase.rs`): shown nowhere from the moment it is asked.
    #[serde(default)]
    pub erasing: bool,
    /// The import row (`{import_id}#{row}`) that last wrote it, and what
    /// that row did (see `contact_imports.rs`).
    #[serde(default)]
    pub import_row: Option<String>,
    #[serde(default)]
    pub import_outcome: Option<cartie_domain::imports::RowOutcome>,
}

impl ContactRecord {
    /// Known only from an import (never wrote to a bot, an account or the
    /// Mini App): no bot can write to them until they start one.
    pub fn reachable(&self) -> bool {
        !self.channels.is_empty()
    }
    pub fn channels(&self) -> Vec<Channel> {
        self.channels.iter().filter_map(|c| c.parse().ok()).collect()
    }
    pub fn blocked_on(&self, bot_id: i64) -> bool {
        self.blocked.contains(&bot_id.to_string())
    }
    pub fn unsubscribed_from(&self, bot_id: i64) -> bool {
        self.unsubscribed_all || self.unsubscribed.contains(&bot_id.to_string())
    }
    /// What the search index should hold for this contact now.
    pub fn wanted_tokens(&self) -> BTreeSet<String> {
        search_tokens(self.person.as_ref(), self.name.as_deref(), self.phone.as_deref())
    }
    /// The name the dealer sees: theirs, else Telegram's, else the phone.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.person.as_ref().map(Person::display_name).filter(|n| !n.trim().is_empty()))
            .or_else(|| self.person.as_ref().and_then(|p| p.username.as_ref()).map(|u| format!("@{u}")))
            .or_else(|| self.phone.clone())
            .unwrap_or_else(|| self.user_id.to_string())
    }
}

/// A car a buyer showed interest in (the Mini App's "I'm interested").
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Default)]
pub struct Interest {
    /// "2020 BMW X5" as the car was then.
    pub title: String,
    /// The latest time they asked about it.
    pub at_ms: i64,
}

/// What a contact list is filtered by. The first of `q`, `tag`, else the
/// activity index serves the page; the rest is checked on each contact.
#[derive(Debug, Clone, Default)]
pub struct ContactFilter {
    pub q: Option<String>,
    pub bot: Option<i64>,
    pub tag: Option<String>,
    pub language: Option<String>,
    /// With `bot`: blocked on that bot; without: on any bot.
    pub blocked: Option<bool>,
    /// With `bot`: unsubscribed from that bot; without: from any bot.
    pub unsubscribed: Option<bool>,
    pub active_since_ms: Option<i64>,
    /// The deep-link payload they first came with (exact).
    pub source: Option<String>,
    pub variable: Option<cartie_domain::segments::VarCondition>,
    pub open_request: Option<bool>,
}

impl ContactFilter {
    /// The filter of an audience (checked), with a search text, as of
    /// `at_ms` (where a "last active within N days" window ends).
    pub fn of(audience: &cartie_domain::segments::Audience, q: Option<String>, at_ms: i64) -> ContactFilter {
        ContactFilter {
            q,
            bot: audience.bot_id,
            tag: audience.tag.clone(),
            language: audience.language.clone(),
            blocked: audience.blocked,
            unsubscribed: audience.unsubscribed,
            active_since_ms: audience.active_days.map(|d| at_ms - i64::from(d) * 86_400_000),
            source: audience.source.clone(),
            variable: audience.variable.clone(),
            open_request: audience.open_request,
        }
    }

    pub fn matches(&self, c: &ContactRecord) -> bool {
        if c.erasing {
            return false;
        }
        if let Some(b) = self.bot {
            if !c.channels.contains(&Channel::Bot(b).to_string()) {
                return false;
            }
        }
        let marked = |set: &BTreeSet<String>| match self.bot {
            Some(b) => set.contains(&b.to_string()),
            None => !set.is_empty(),
        };
        if self.blocked.is_some_and(|want| marked(&c.blocked) != want) {
            return false;
        }
        if self.unsubscribed.is_some_and(|want| (c.unsubscribed_all || marked(&c.unsubscribed)) != want) {
            return false;
        }
        if self.tag.as_ref().is_some_and(|t| !c.tags.contains(t)) {
            return false;
        }
        if self.language.as_ref().is_some_and(|l| c.language.as_ref() != Some(l)) {
            return false;
        }
        if self.active_since_ms.is_some_and(|t| c.last_active_ms < t) {
            return false;
        }
        if self.source.as_ref().is_some_and(|s| c.source.as_ref() != Some(s)) {
            return false;
        }
        if self.variable.as_ref().is_some_and(|v| !v.matches(c.vars.get(&v.name).map(String::as_str))) {
            return false;
        }
        if self.open_request.is_some_and(|want| c.open_requests.is_empty() == want) {
            return false;
        }
        if let Some(q) = &self.q {
            let tokens = c.wanted_tokens();
            if !search_terms(q).iter().all(|term| tokens.iter().any(|t| t.starts_with(term.as_str()))) {
                return false;
            }
        }
        true
    }
}

/// A change the dealer makes on the contact page (`None`: unchanged;
/// `Some(None)`: cleared).
#[derive(Debug, Clone, Default)]
pub struct ContactEdit {
    pub name: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub tags: Option<BTreeSet<String>>,
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}
fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
fn ss(values: impl IntoIterator<Item = String>) -> AttributeValue {
    AttributeValue::Ss(values.into_iter().collect())
}
fn contact_key(ws: &str, user_id: i64) -> Item {
    [("PK".to_string(), s(&keys::ws(ws))), ("SK".to_string(), s(&keys::person(user_id)))].into()
}
fn is_conditional(e: &(impl aws_sdk_dynamodb::error::ProvideErrorMetadata + ?Sized)) -> bool {
    e.code() == Some("ConditionalCheckFailedException")
}

/// The user id at the end of an index entry's sort key (`…#{user}`).
fn user_of_sk(sk: &str) -> Option<i64> {
    sk.rsplit('#').next()?.parse().ok()
}

impl Store {
    /// The write that moves a buyer's contact for their message, as one
    /// item of the message's transaction (so a redelivered message, whose
    /// transaction fails, changes nothing): their profile, last activity,
    /// the channel, a blocked mark cleared (they wrote, so they have not
    /// blocked the bot), `/stop` unsubscribes from this bot and `/start`
    /// subscribes again.
    pub(crate) fn contact_touch(&self, ws: &str, msg: &Message, person: &Person, channel: Channel) -> Result<TransactWriteItem, StoreError> {
        let bot = ss([msg.bot_id.to_string()]);
        let command = msg.text.as_deref().map(str::trim).and_then(|t| t.split_whitespace().next()).map(|c| c.split('@').next().unwrap_or(c));
        let (add_unsub, del_unsub) = match command {
            Some("/stop") => (", unsubscribed :bot", ""),
            Some("/start") => ("", ", unsubscribed :bot REMOVE unsubscribed_all"),
            _ => ("", ""),
        };
        let expr = format!(
            "SET workspace_id = :ws, user_id = :u, person = :p, #lang = :lang, last_active_ms = :at, first_seen_ms = if_not_exists(first_seen_ms, :at), \
             vars = if_not_exists(vars, :novars), interests = if_not_exists(interests, :novars), \
             GSI1PK = :gpk, GSI1SK = :gsk ADD channels :ch{add_unsub} DELETE blocked :bot{del_unsub}"
        );
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(contact_key(ws, person.id)))
            .update_expression(expr)
            .expression_attribute_names("#lang", "language")
            .expression_attribute_values(":ws", s(ws))
            .expression_attribute_values(":u", n(person.id))
            .expression_attribute_values(":p", AttributeValue::M(crate::encode(person)?))
            .expression_attribute_values(":lang", language_of(person).map(|l| s(&l)).unwrap_or(AttributeValue::Null(true)))
            .expression_attribute_values(":at", n(msg.at_ms))
            .expression_attribute_values(":novars", AttributeValue::M(HashMap::new()))
            .expression_attribute_values(":gpk", s(&keys::contacts_index(ws)))
            .expression_attribute_values(":gsk", s(&keys::contacts_sort(msg.at_ms, person.id)))
            .expression_attribute_values(":ch", ss([channel.to_string()]))
            .expression_attribute_values(":bot", bot)
            .build()
            .map_err(StoreError::aws)?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// "Unsubscribe from all your bots": every bot of the workspace marked,
    /// and `unsubscribed_all` for bots connected later. Nothing happens for
    /// a person who is not a contact; pressing twice changes nothing.
    pub async fn unsubscribe_everywhere(&self, ws: &str, user_id: i64, bots: &[i64]) -> Result<(), StoreError> {
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(contact_key(ws, user_id)))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":t", AttributeValue::Bool(true));
        let mut expr = "SET unsubscribed_all = :t".to_string();
        if !bots.is_empty() {
            expr.push_str(" ADD unsubscribed :b");
            u = u.expression_attribute_values(":b", ss(bots.iter().map(|b| b.to_string())));
        }
        match u.update_expression(expr).send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(is_conditional) => Ok(()),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Marks (or clears) "blocked" for one bot on a contact; nothing
    /// happens for a person who is not a contact.
    pub async fn set_contact_blocked(&self, ws: &str, bot_id: i64, user_id: i64, blocked: bool) -> Result<(), StoreError> {
        self.mark_contact_set(ws, user_id, "blocked", blocked, &bot_id.to_string()).await
    }

    /// Adds (`on`) or deletes one value of a string-set attribute of a
    /// contact: idempotent, and nothing for a person who is not a contact.
    async fn mark_contact_set(&self, ws: &str, user_id: i64, attr: &str, on: bool, value: &str) -> Result<(), StoreError> {
        let op = if on { "ADD" } else { "DELETE" };
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(contact_key(ws, user_id)))
            .condition_expression("attribute_exists(PK)")
            .update_expression(format!("{op} #set :v"))
            .expression_attribute_names("#set", attr)
            .expression_attribute_values(":v", ss([value.to_string()]))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(is_conditional) => Ok(()),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Fills in what a contact's first `/start`, a shared phone or the Mini
    /// App tell: the source (first one kept), the phone (a shared one
    /// replaces the old), and the Mini App channel.
    pub(crate) async fn contact_details(&self, ws: &str, user_id: i64, source: Option<&str>, phone: Option<&str>, miniapp: bool) -> Result<(), StoreError> {
        let mut expr = vec!["#src = if_not_exists(#src, :src)".to_string()];
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(contact_key(ws, user_id)))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#src", "source")
            .expression_attribute_values(":src", source.map(s).unwrap_or(AttributeValue::Null(true)));
        if let Some(p) = phone {
            expr.push("phone = :ph".into());
            u = u.expression_attribute_values(":ph", s(p));
        }
        let mut update = format!("SET {}", expr.join(", "));
        if miniapp {
            update.push_str(" ADD channels :ma");
            u = u.expression_attribute_values(":ma", ss([Channel::MiniApp.to_string()]));
        }
        match u.update_expression(update).send().await {
            Ok(_) => {}
            Err(e) if e.as_service_error().is_some_and(is_conditional) => return Ok(()),
            Err(e) => return Err(StoreError::aws(e)),
        }
        // A new phone is searchable; a Mini App buyer may have no bot chat
        // (whose first message would index them).
        if phone.is_some() || miniapp {
            self.index_contact(ws, user_id).await?;
        }
        Ok(())
    }

    /// Sets scenario variables on the contact (one UpdateItem; names go
    /// through placeholders, they are the dealer's words). A contact stored
    /// before contacts kept variables has no map yet: it gets these as its
    /// map. Nothing happens for a person who is not a contact.
    pub(crate) async fn set_person_vars(&self, ws: &str, user_id: i64, vars: &std::collections::BTreeMap<String, String>) -> Result<(), StoreError> {
        let vars: Vec<(&String, &String)> = vars.iter().take(50).collect();
        if vars.is_empty() {
            return Ok(());
        }
        let mut u = self.ddb.update_item().table_name(&self.table).set_key(Some(contact_key(ws, user_id))).condition_expression("attribute_exists(vars)");
        let mut sets = Vec::new();
        for (i, (k, v)) in vars.iter().enumerate() {
            sets.push(format!("vars.#k{i} = :v{i}"));
            u = u.expression_attribute_names(format!("#k{i}"), *k).expression_attribute_values(format!(":v{i}"), s(v));
        }
        match u.update_expression(format!("SET {}", sets.join(", "))).send().await {
            Ok(_) => return Ok(()),
            Err(e) if e.as_service_error().is_some_and(is_conditional) => {}
            Err(e) => return Err(StoreError::aws(e)),
        }
        let whole = vars.into_iter().map(|(k, v)| (k.clone(), s(v))).collect();
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(contact_key(ws, user_id)))
            .condition_expression("attribute_exists(PK) AND attribute_not_exists(vars)")
            .update_expression("SET vars = :all")
            .expression_attribute_values(":all", AttributeValue::M(whole))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            // Not a contact, or the map appeared meanwhile (a concurrent
            // step: the retry of this step sets the keys).
            Err(e) if e.as_service_error().is_some_and(is_conditional) => Ok(()),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Records the buyer's interest in a car on their contact (one
    /// UpdateItem; asking again about the same car moves its time). A
    /// contact stored before contacts kept interests gets the map now.
    pub async fn add_contact_interest(&self, ws: &str, user_id: i64, listing_id: &str, interest: &Interest) -> Result<(), StoreError> {
        let value = AttributeValue::M(crate::encode(interest)?);
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(contact_key(ws, user_id)))
            .condition_expression("attribute_exists(interests)")
            .update_expression("SET interests.#l = :i")
            .expression_attribute_names("#l", listing_id)
            .expression_attribute_values(":i", value.clone())
            .send()
            .await;
        match res {
            Ok(_) => return Ok(()),
            Err(e) if e.as_service_error().is_some_and(is_conditional) => {}
            Err(e) => return Err(StoreError::aws(e)),
        }
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(contact_key(ws, user_id)))
            .condition_expression("attribute_exists(PK) AND attribute_not_exists(interests)")
            .update_expression("SET interests = :all")
            .expression_attribute_values(":all", AttributeValue::M(HashMap::from([(listing_id.to_string(), value)])))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(is_conditional) => Ok(()),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Marks a car request open on the buyer's contact (an idempotent set
    /// add; nothing for a person who is not a contact) or, `open: false`,
    /// no longer open.
    pub async fn mark_contact_request(&self, ws: &str, user_id: i64, request_id: &str, open: bool) -> Result<(), StoreError> {
        self.mark_contact_set(ws, user_id, "open_requests", open, request_id).await
    }

    pub async fn contact_record(&self, ws: &str, user_id: i64) -> Result<Option<ContactRecord>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::person(user_id)).await
    }

    /// Brings the search index in line with the contact: puts the tokens it
    /// lacks, deletes the ones it no longer has, remembers the set. Reads
    /// the contact once; writes only when the tokens changed.
    pub async fn index_contact(&self, ws: &str, user_id: i64) -> Result<(), StoreError> {
        let Some(c) = self.contact_record(ws, user_id).await? else { return Ok(()) };
        let wanted = c.wanted_tokens();
        if wanted == c.search_tokens {
            return Ok(());
        }
        let pk = keys::contact_search(ws);
        let mut writes: Vec<WriteRequest> = Vec::new();
        for t in wanted.difference(&c.search_tokens) {
            let item: Item = [("PK".to_string(), s(&pk)), ("SK".to_string(), s(&keys::contact_search_entry(t, user_id)))].into();
            writes.push(WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().map_err(StoreError::aws)?).build());
        }
        for t in c.search_tokens.difference(&wanted) {
            let key: Item = [("PK".to_string(), s(&pk)), ("SK".to_string(), s(&keys::contact_search_entry(t, user_id)))].into();
            writes.push(WriteRequest::builder().delete_request(DeleteRequest::builder().set_key(Some(key)).build().map_err(StoreError::aws)?).build());
        }
        self.batch_write(writes).await?;
        let mut u = self.ddb.update_item().table_name(&self.table).set_key(Some(contact_key(ws, user_id)));
        u = if wanted.is_empty() {
            u.update_expression("REMOVE search_tokens")
        } else {
            u.update_expression("SET search_tokens = :t").expression_attribute_values(":t", ss(wanted))
        };
        u.send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    /// Writes in chunks of 25 (BatchWriteItem's limit), retrying what
    /// DynamoDB hands back unprocessed.
    pub async fn batch_write(&self, writes: Vec<WriteRequest>) -> Result<(), StoreError> {
        for chunk in writes.chunks(25) {
            let mut pending = chunk.to_vec();
            for _ in 0..5 {
                let out = self.ddb.batch_write_item().request_items(self.table.clone(), pending).send().await.map_err(StoreError::aws)?;
                pending = out.unprocessed_items.and_then(|mut m| m.remove(&self.table)).unwrap_or_default();
                if pending.is_empty() {
                    break;
                }
            }
            if !pending.is_empty() {
                return Err(StoreError::Contended("DynamoDB kept some writes unprocessed; try again".into()));
            }
        }
        Ok(())
    }

    /// Items by key with BatchGetItem (at most 100 keys, consistent),
    /// retrying what DynamoDB hands back unprocessed; missing ones are left
    /// out, the rest come in no particular order.
    pub(crate) async fn batch_get(&self, keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
        let mut keys_left: Vec<Item> = keys.into_iter().take(100).collect();
        let mut found = Vec::new();
        for _ in 0..5 {
            if keys_left.is_empty() {
                break;
            }
            let ka = KeysAndAttributes::builder().set_keys(Some(keys_left)).consistent_read(true).build().map_err(StoreError::aws)?;
            let out = self.ddb.batch_get_item().request_items(self.table.clone(), ka).send().await.map_err(StoreError::aws)?;
            found.extend(out.responses.and_then(|mut r| r.remove(&self.table)).unwrap_or_default());
            keys_left = out.unprocessed_keys.and_then(|mut m| m.remove(&self.table)).map(|k| k.keys).unwrap_or_default();
        }
        Ok(found)
    }

    /// Contacts by user id, in the order asked, with one BatchGetItem (at
    /// most 100 ids); ids that are no contact are left out.
    async fn contacts_by_id(&self, ws: &str, ids: &[i64]) -> Result<Vec<ContactRecord>, StoreError> {
        let items = self.batch_get(ids.iter().map(|id| contact_key(ws, *id)).collect()).await?;
        let mut found: HashMap<i64, ContactRecord> = HashMap::new();
        for item in items {
            let c: ContactRecord = decode(item)?;
            found.insert(c.user_id, c);
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// A contact's open car requests, newest first (one BatchGetItem).
    pub async fn contact_requests(&self, c: &ContactRecord) -> Result<Vec<crate::inbox::CarRequest>, StoreError> {
        let keys =
            c.open_requests.iter().map(|id| [("PK".to_string(), s(&keys::ws(&c.workspace_id))), ("SK".to_string(), s(&keys::request(id)))].into()).collect();
        let mut v: Vec<crate::inbox::CarRequest> = self.batch_get(keys).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        v.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(v)
    }

    /// One page of contacts matching `filter`: one indexed query of at most
    /// `limit` entries (see the module doc), then the other conditions.
    pub async fn contacts(&self, ws: &str, filter: &ContactFilter, limit: i32, cursor: Option<&str>) -> Result<Page<ContactRecord>, StoreError> {
        let terms = filter.q.as_deref().map(search_terms).unwrap_or_default();
        let (index, pk_attr, pk) = if !terms.is_empty() {
            (None, "PK", keys::contact_search(ws))
        } else if let Some(tag) = &filter.tag {
            (None, "PK", keys::contact_tag(ws, tag))
        } else {
            (Some("GSI1"), "GSI1PK", keys::contacts_index(ws))
        };
        let start = crate::cursor::start_key(cursor, pk_attr, &pk)?;
        let mut q = self
            .ddb
            .query()
            .table_name(&self.table)
            .set_index_name(index.map(String::from))
            .expression_attribute_names("#pk", pk_attr)
            .expression_attribute_values(":pk", s(&pk))
            .limit(limit)
            .set_exclusive_start_key(start);
        q = match (index, terms.first()) {
            (Some(_), _) => match filter.active_since_ms {
                Some(since) => q
                    .key_condition_expression("#pk = :pk AND GSI1SK >= :since")
                    .expression_attribute_values(":since", s(&keys::contacts_sort(since, 0)))
                    .scan_index_forward(false),
                None => q.key_condition_expression("#pk = :pk").scan_index_forward(false),
            },
            (None, Some(term)) => q.key_condition_expression("#pk = :pk AND begins_with(SK, :t)").expression_attribute_values(":t", s(term)),
            (None, None) => q.key_condition_expression("#pk = :pk AND begins_with(SK, :t)").expression_attribute_values(":t", s(keys::PERSON_PREFIX)),
        };
        let out = q.send().await.map_err(StoreError::aws)?;
        let next = out.last_evaluated_key.as_ref().and_then(crate::cursor::encode_key);
        let items = out.items.unwrap_or_default();
        let found: Vec<ContactRecord> = match index {
            Some(_) => items.into_iter().map(decode).collect::<Result<_, _>>()?,
            None => {
                let mut ids: Vec<i64> = Vec::new();
                for it in &items {
                    if let Some(id) = it.get("SK").and_then(|v| v.as_s().ok()).and_then(|sk| user_of_sk(sk)) {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                }
                self.contacts_by_id(ws, &ids).await?
            }
        };
        Ok(Page { items: found.into_iter().filter(|c| filter.matches(c)).collect(), next })
    }

    /// The dealer's change to a contact: name, phone, tags (index entries
    /// follow). `NotFound` for a person who is no contact of this workspace.
    pub async fn edit_contact(&self, ws: &str, user_id: i64, edit: &ContactEdit) -> Result<ContactRecord, StoreError> {
        let old = self.contact_record(ws, user_id).await?.ok_or(StoreError::NotFound)?;
        let mut sets = Vec::new();
        let mut removes = Vec::new();
        let mut u = self.ddb.update_item().table_name(&self.table).set_key(Some(contact_key(ws, user_id))).condition_expression("attribute_exists(PK)");
        for (attr, value) in [("name", &edit.name), ("phone", &edit.phone)] {
            match value {
                Some(Some(v)) => {
                    sets.push(format!("#{attr} = :{attr}"));
                    u = u.expression_attribute_names(format!("#{attr}"), attr).expression_attribute_values(format!(":{attr}"), s(v));
                }
                Some(None) => {
                    removes.push(format!("#{attr}"));
                    u = u.expression_attribute_names(format!("#{attr}"), attr);
                }
                None => {}
            }
        }
        if let Some(tags) = &edit.tags {
            if tags.is_empty() {
                removes.push("tags".into());
            } else {
                sets.push("tags = :tags".into());
                u = u.expression_attribute_values(":tags", ss(tags.iter().cloned()));
            }
        }
        if !sets.is_empty() || !removes.is_empty() {
            let mut expr = String::new();
            if !sets.is_empty() {
                expr.push_str(&format!("SET {} ", sets.join(", ")));
            }
            if !removes.is_empty() {
                expr.push_str(&format!("REMOVE {}", removes.join(", ")));
            }
            u.update_expression(expr).send().await.map_err(|e| {
                if e.as_service_error().is_some_and(is_conditional) {
                    StoreError::NotFound
                } else {
                    StoreError::aws(e)
                }
            })?;
        }
        if let Some(tags) = &edit.tags {
            let added: Vec<String> = tags.difference(&old.tags).cloned().collect();
            let removed: Vec<String> = old.tags.difference(tags).cloned().collect();
            self.write_tag_entries(ws, &[user_id], &added, &removed).await?;
        }
        self.index_contact(ws, user_id).await?;
        self.contact_record(ws, user_id).await?.ok_or(StoreError::NotFound)
    }

    /// Adds and removes tags on a selection of contacts (ids that are no
    /// contact of this workspace are skipped). Answers how many changed.
    pub async fn tag_contacts(&self, ws: &str, ids: &[i64], add: &BTreeSet<String>, remove: &BTreeSet<String>) -> Result<usize, StoreError> {
        let add: Vec<String> = add.difference(remove).cloned().collect();
        let remove: Vec<String> = remove.iter().cloned().collect();
        let mut changed = Vec::new();
        for id in ids {
            let mut parts = Vec::new();
            let mut u = self.ddb.update_item().table_name(&self.table).set_key(Some(contact_key(ws, *id))).condition_expression("attribute_exists(PK)");
            if !add.is_empty() {
                parts.push("ADD tags :add");
                u = u.expression_attribute_values(":add", ss(add.iter().cloned()));
            }
            if !remove.is_empty() {
                parts.push("DELETE tags :rm");
                u = u.expression_attribute_values(":rm", ss(remove.iter().cloned()));
            }
            if parts.is_empty() {
                break;
            }
            match u.update_expression(parts.join(" ")).send().await {
                Ok(_) => changed.push(*id),
                Err(e) if e.as_service_error().is_some_and(is_conditional) => {}
                Err(e) => return Err(StoreError::aws(e)),
            }
        }
        self.write_tag_entries(ws, &changed, &add, &remove).await?;
        Ok(changed.len())
    }

    pub(crate) async fn write_tag_entries(&self, ws: &str, ids: &[i64], add: &[String], remove: &[String]) -> Result<(), StoreError> {
        let mut writes = Vec::new();
        for id in ids {
            for t in add {
                let item: Item = [("PK".to_string(), s(&keys::contact_tag(ws, t))), ("SK".to_string(), s(&keys::person(*id)))].into();
                writes.push(WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().map_err(StoreError::aws)?).build());
            }
            for t in remove {
                let key: Item = [("PK".to_string(), s(&keys::contact_tag(ws, t))), ("SK".to_string(), s(&keys::person(*id)))].into();
                writes.push(WriteRequest::builder().delete_request(DeleteRequest::builder().set_key(Some(key)).build().map_err(StoreError::aws)?).build());
            }
        }
        self.batch_write(writes).await
    }

    /// The variables the workspace's scenarios collected about a person,
    /// per bot (the per-bot items of [`Store::upsert_contact`]), merged.
    pub async fn contact_vars(&self, ws: &str, user_id: i64, bots: &[i64]) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        let mut vars = std::collections::BTreeMap::new();
        for b in bots.iter().take(20) {
            if let Some(c) = self.contact(ws, *b, user_id).await? {
                vars.extend(c.vars);
            }
        }
        Ok(vars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> ContactRecord {
        ContactRecord {
            user_id: 5,
            person: Some(Person {
                id: 5,
                first_name: "Ann".into(),
                last_name: Some("Koval".into()),
                username: Some("annk".into()),
                language_code: Some("uk".into()),
            }),
            phone: Some("+380671234567".into()),
            language: Some("uk".into()),
            tags: ["vip".to_string()].into(),
            channels: ["bot:1".to_string(), "bot:2".to_string(), "miniapp".to_string()].into(),
            blocked: ["1".to_string()].into(),
            last_active_ms: 1_000,
            ..ContactRecord::default()
        }
    }

    #[test]
    fn filters_are_per_bot_for_blocked_and_unsubscribed() {
        let c = contact();
        let f = |f: ContactFilter| f.matches(&c);
        assert!(!f(ContactFilter { bot: Some(1), blocked: Some(false), ..Default::default() }), "blocked on bot 1");
        assert!(f(ContactFilter { bot: Some(2), blocked: Some(false), ..Default::default() }), "reachable on bot 2");
        assert!(f(ContactFilter { blocked: Some(true), ..Default::default() }), "blocked on some bot");
        assert!(!f(ContactFilter { bot: Some(3), ..Default::default() }), "never wrote to bot 3");
        assert!(f(ContactFilter { unsubscribed: Some(false), ..Default::default() }));
        assert!(f(ContactFilter { q: Some("koval 067".into()), tag: Some("vip".into()), language: Some("uk".into()), ..Default::default() }));
        assert!(!f(ContactFilter { q: Some("ann petrenko".into()), ..Default::default() }));
        assert!(!f(ContactFilter { active_since_ms: Some(2_000), ..Default::default() }));
        assert_eq!(user_of_sk("ann#5"), Some(5));
        assert_eq!(c.display_name(), "Ann Koval");
    }
}
