//! Telegram user accounts in the table: the account record the page shows,
//! the lease that makes exactly one host hold an account, the hosts'
//! heartbeats, the commands the API addresses to a host and their results,
//! the account's sealed grammers session, its cached peers and its
//! followed channels.
//!
//! | PK                          | SK                          | item |
//! |-----------------------------|-----------------------------|------|
//! | `WS#{ws}`                   | `TGACCOUNT#{id}`            | the account (state, phone, names; no secret) |
//! | `TGHOSTS`                   | `ACCOUNT#{ws}#{id}`         | its lease: holder, until, fencing token, wanted online |
//! | `TGHOSTS`                   | `HOST#{host}`               | a host's heartbeat |
//! | `TGHOST#{host}`             | `CMD#{ms:013}#{cmd}`        | a command for that host (TTL 10 min) |
//! | `WS#{ws}#TGACCOUNT#{id}`    | `RESULT#{cmd}`              | a command's outcome (TTL 1 h) |
//! | `WS#{ws}#TGACCOUNT#{id}`    | `SESSION`                   | the grammers session, sealed with the data key |
//! | `WS#{ws}#TGACCOUNT#{id}`    | `PEER#{peer}`               | a cached peer (id, access hash, name) |
//! | `WS#{ws}#TGACCOUNT#{id}`    | `CHANNEL#{channel}`         | a followed channel or group, source flag |
//! | `WS#{ws}#TGACCOUNT#{id}`    | `POST#{channel}#{msg}`      | a channel post's way into a draft car |
//!
//! `TGHOSTS` is platform data like `TGBOT#`: the hosts must find every
//! account before they know its workspace; its items carry only ids.
//!
//! Fencing: every write a host makes for an account (session, peers,
//! state, Inbox messages) is one transaction with a check that the lease
//! is still the host's, with the same token, and not expired. A host that
//! was paused past its lease wakes up to refused writes.

use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Put, ReturnValue, TransactWriteItem, Update};
use cartie_domain::tg_accounts::{AccountState, CommandResult, FollowedChannel, HostCommand, TelegramAccount};
use serde::{Deserialize, Serialize};

use crate::{decode, encode, keys, util, Item, Store, StoreError};

const HOSTS: &str = "TGHOSTS";
const COMMAND_TTL_SECS: i64 = 600;
const RESULT_TTL_SECS: i64 = 3600;

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn account_sk(id: &str) -> String {
    format!("TGACCOUNT#{id}")
}

fn lease_sk(ws: &str, id: &str) -> String {
    format!("ACCOUNT#{ws}#{id}")
}

/// The account's own partition (session, peers, channels, results).
pub fn account_pk(ws: &str, id: &str) -> String {
    format!("{}#TGACCOUNT#{id}", keys::ws(ws))
}

/// An account's lease as the hosts see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lease {
    pub workspace_id: String,
    pub account_id: String,
    pub holder: Option<String>,
    #[serde(default)]
    pub lease_until_ms: i64,
    #[serde(default)]
    pub fence: u64,
    /// Logged in: the hosts keep it online.
    #[serde(default)]
    pub wanted: bool,
}

impl Lease {
    pub fn free(&self, now_ms: i64) -> bool {
        self.holder.is_none() || self.lease_until_ms <= now_ms
    }
}

/// Proof that a host holds an account's lease: attached to its writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    pub workspace_id: String,
    pub account_id: String,
    pub host: String,
    pub token: u64,
}

/// A host's heartbeat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostBeat {
    pub host: String,
    pub alive_until_ms: i64,
    #[serde(default)]
    pub accounts: u32,
}

/// A command waiting for its host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedCommand {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub command: HostCommand,
    pub at_ms: i64,
    #[serde(skip)]
    pub sk: String,
}

impl Store {
    fn fence_check(&self, f: &Fence) -> Result<TransactWriteItem, StoreError> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .key("PK", s(HOSTS))
            .key("SK", s(lease_sk(&f.workspace_id, &f.account_id)))
            .condition_expression("holder = :h AND fence = :f AND lease_until_ms > :now")
            .expression_attribute_values(":h", s(&f.host))
            .expression_attribute_values(":f", n(f.token))
            .expression_attribute_values(":now", n(util::now_ms()))
            .build()
            .map_err(StoreError::aws)?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }

    /// The fence's check as a transaction item, for writes made elsewhere
    /// (the Inbox's message transaction).
    pub fn fence_item(&self, f: &Fence) -> Result<TransactWriteItem, StoreError> {
        self.fence_check(f)
    }

    /// One write under a fence: refused (`Conflict`) when the lease is no
    /// longer the host's.
    async fn fenced(&self, f: Option<&Fence>, write: TransactWriteItem) -> Result<(), StoreError> {
        let mut steps = vec![(write, "the account changed meanwhile")];
        if let Some(f) = f {
            steps.push((self.fence_check(f)?, LEASE_LOST));
        }
        self.transact(steps).await
    }

    fn put_item(&self, item: Item) -> Result<TransactWriteItem, StoreError> {
        Ok(TransactWriteItem::builder().put(Put::builder().table_name(&self.table).set_item(Some(item)).build().map_err(StoreError::aws)?).build())
    }

    // ---- accounts -------------------------------------------------------

    /// A new account (a login just started), with its lease item (not wanted
    /// online until the login finishes).
    pub async fn create_tg_account(&self, a: &TelegramAccount) -> Result<(), StoreError> {
        let mut item = encode(a)?;
        item.insert("PK".into(), s(keys::ws(&a.workspace_id)));
        item.insert("SK".into(), s(account_sk(&a.id)));
        let lease = Lease { workspace_id: a.workspace_id.clone(), account_id: a.id.clone(), holder: None, lease_until_ms: 0, fence: 0, wanted: false };
        let mut l = encode(&lease)?;
        l.insert("PK".into(), s(HOSTS));
        l.insert("SK".into(), s(lease_sk(&a.workspace_id, &a.id)));
        self.transact(vec![(self.put_item(item)?, "the account exists"), (self.put_item(l)?, "the account exists")]).await
    }

    pub async fn tg_account(&self, ws: &str, id: &str) -> Result<Option<TelegramAccount>, StoreError> {
        self.get_as(&keys::ws(ws), &account_sk(id)).await
    }

    /// The workspace's accounts (a handful: one Query).
    pub async fn tg_accounts(&self, ws: &str) -> Result<Vec<TelegramAccount>, StoreError> {
        self.query_prefix(&keys::ws(ws), "TGACCOUNT#").await?.into_iter().map(decode).collect()
    }

    /// The account whose Telegram user id is `tg_user_id` (Inbox
    /// conversations through an account carry it as their line).
    pub async fn tg_account_by_user(&self, ws: &str, tg_user_id: i64) -> Result<Option<TelegramAccount>, StoreError> {
        Ok(self.tg_accounts(ws).await?.into_iter().find(|a| a.tg_user_id == Some(tg_user_id)))
    }

    /// Replaces the account record (state changes), under the host's fence
    /// when a host writes it.
    pub async fn save_tg_account(&self, a: &TelegramAccount, fence: Option<&Fence>) -> Result<(), StoreError> {
        let mut item = encode(a)?;
        item.insert("PK".into(), s(keys::ws(&a.workspace_id)));
        item.insert("SK".into(), s(account_sk(&a.id)));
        let put = Put::builder().table_name(&self.table).set_item(Some(item)).condition_expression("attribute_exists(PK)").build().map_err(StoreError::aws)?;
        self.fenced(fence, TransactWriteItem::builder().put(put).build()).await.map_err(|e| match e {
            StoreError::Conflict(m) if m != LEASE_LOST => StoreError::NotFound,
            other => other,
        })
    }

    /// Marks whether the hosts keep the account online.
    pub async fn set_tg_wanted(&self, ws: &str, id: &str, wanted: bool) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(HOSTS))
            .key("SK", s(lease_sk(ws, id)))
            .update_expression("SET wanted = :w")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":w", AttributeValue::Bool(wanted))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// Forgets an account: its record, lease, session, peers and channels.
    pub async fn delete_tg_account(&self, ws: &str, id: &str) -> Result<(), StoreError> {
        self.delete_existing(&keys::ws(ws), &account_sk(id)).await?;
        let _ = self.ddb.delete_item().table_name(&self.table).key("PK", s(HOSTS)).key("SK", s(lease_sk(ws, id))).send().await.map_err(StoreError::aws)?;
        while self.delete_partition_page(&account_pk(ws, id), 100).await? {}
        Ok(())
    }

    // ---- leases and hosts -----------------------------------------------

    /// One page (up to 500) of every account's lease, for hosts looking for
    /// accounts to hold. A Query of one partition, never a Scan.
    pub async fn tg_leases(&self, cursor: Option<Item>) -> Result<(Vec<Lease>, Option<Item>), StoreError> {
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", s(HOSTS))
            .expression_attribute_values(":p", s("ACCOUNT#"))
            .consistent_read(true)
            .limit(500)
            .set_exclusive_start_key(cursor)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let leases = out.items.unwrap_or_default().into_iter().map(decode).collect::<Result<Vec<Lease>, _>>()?;
        Ok((leases, out.last_evaluated_key.filter(|k| !k.is_empty())))
    }

    pub async fn tg_lease(&self, ws: &str, id: &str) -> Result<Option<Lease>, StoreError> {
        self.get_as(HOSTS, &lease_sk(ws, id)).await
    }

    /// Takes a free (or expired) lease: the answer is the new fence, or
    /// `None` when another host holds it.
    pub async fn acquire_tg_lease(&self, ws: &str, id: &str, host: &str, lease_ms: i64) -> Result<Option<Fence>, StoreError> {
        let now = util::now_ms();
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(HOSTS))
            .key("SK", s(lease_sk(ws, id)))
            .update_expression("SET holder = :h, lease_until_ms = :until ADD fence :one")
            .condition_expression("attribute_exists(PK) AND (attribute_not_exists(holder) OR lease_until_ms <= :now)")
            .expression_attribute_values(":h", s(host))
            .expression_attribute_values(":until", n(now + lease_ms))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":one", n(1))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match res {
            Ok(out) => {
                let token = out.attributes.as_ref().and_then(|a| a.get("fence")).and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
                Ok(Some(Fence { workspace_id: ws.into(), account_id: id.into(), host: host.into(), token }))
            }
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Ok(None),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Extends a held lease; `false` when it is no longer this host's.
    pub async fn renew_tg_lease(&self, f: &Fence, lease_ms: i64) -> Result<bool, StoreError> {
        let now = util::now_ms();
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(HOSTS))
            .key("SK", s(lease_sk(&f.workspace_id, &f.account_id)))
            .update_expression("SET lease_until_ms = :until")
            .condition_expression("holder = :h AND fence = :f AND lease_until_ms > :now")
            .expression_attribute_values(":h", s(&f.host))
            .expression_attribute_values(":f", n(f.token))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":until", n(now + lease_ms))
            .send()
            .await;
        applied(res)
    }

    /// Gives a lease up (a clean shutdown, a logout): another host may take
    /// it at once.
    pub async fn release_tg_lease(&self, f: &Fence) -> Result<(), StoreError> {
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(HOSTS))
            .key("SK", s(lease_sk(&f.workspace_id, &f.account_id)))
            .update_expression("REMOVE holder SET lease_until_ms = :zero")
            .condition_expression("holder = :h AND fence = :f")
            .expression_attribute_values(":h", s(&f.host))
            .expression_attribute_values(":f", n(f.token))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await;
        // Not ours any more: nothing to give up.
        applied(res).map(|_| ())
    }

    pub async fn host_heartbeat(&self, beat: &HostBeat) -> Result<(), StoreError> {
        let mut item = encode(beat)?;
        item.insert("PK".into(), s(HOSTS));
        item.insert("SK".into(), s(format!("HOST#{}", beat.host)));
        item.insert(keys::TTL_ATTRIBUTE.into(), n(beat.alive_until_ms / 1000 + 3600));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    /// Hosts whose heartbeat is current, fewest accounts first.
    pub async fn live_hosts(&self) -> Result<Vec<HostBeat>, StoreError> {
        let now = util::now_ms();
        let mut hosts: Vec<HostBeat> = self
            .query_prefix(HOSTS, "HOST#")
            .await?
            .into_iter()
            .map(decode)
            .collect::<Result<Vec<HostBeat>, _>>()?
            .into_iter()
            .filter(|h| h.alive_until_ms > now)
            .collect();
        hosts.sort_by_key(|h| (h.accounts, h.host.clone()));
        Ok(hosts)
    }

    // ---- commands ---------------------------------------------------------

    /// Queues a command for `host`; answers its id (the result's key).
    pub async fn send_host_command(&self, host: &str, ws: &str, account_id: &str, command: &HostCommand) -> Result<String, StoreError> {
        let now = util::now_ms();
        let id = util::new_id();
        let q =
            QueuedCommand { id: id.clone(), workspace_id: ws.into(), account_id: account_id.into(), command: command.clone(), at_ms: now, sk: String::new() };
        let mut item = encode(&q)?;
        item.insert("PK".into(), s(format!("TGHOST#{host}")));
        item.insert("SK".into(), s(format!("CMD#{now:013}#{id}")));
        item.insert(keys::TTL_ATTRIBUTE.into(), n(now / 1000 + COMMAND_TTL_SECS));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(id)
    }

    /// The host's waiting commands, oldest first (at most 100 a poll).
    pub async fn host_commands(&self, host: &str) -> Result<Vec<QueuedCommand>, StoreError> {
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", s(format!("TGHOST#{host}")))
            .expression_attribute_values(":p", s("CMD#"))
            .consistent_read(true)
            .limit(100)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let now_secs = util::now_secs();
        let mut cmds = Vec::new();
        for item in out.items.unwrap_or_default() {
            let sk = item.get("SK").and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
            let expired = item.get(keys::TTL_ATTRIBUTE).and_then(|v| v.as_n().ok()).and_then(|v| v.parse::<i64>().ok()).is_some_and(|t| t < now_secs);
            match decode::<QueuedCommand>(item) {
                Ok(c) if !expired => cmds.push(QueuedCommand { sk, ..c }),
                // A command nobody can read (or too old to matter) is dropped, not retried forever.
                _ => self
                    .ddb
                    .delete_item()
                    .table_name(&self.table)
                    .key("PK", s(format!("TGHOST#{host}")))
                    .key("SK", s(sk))
                    .send()
                    .await
                    .map_err(StoreError::aws)
                    .map(|_| ())?,
            }
        }
        Ok(cmds)
    }

    /// Writes a command's outcome and removes the command, in one
    /// transaction (a host that dies before this runs it again).
    pub async fn finish_host_command(&self, host: &str, c: &QueuedCommand, result: &CommandResult) -> Result<(), StoreError> {
        let mut item = encode(result)?;
        item.insert("PK".into(), s(account_pk(&c.workspace_id, &c.account_id)));
        item.insert("SK".into(), s(format!("RESULT#{}", c.id)));
        item.insert(keys::TTL_ATTRIBUTE.into(), n(util::now_secs() + RESULT_TTL_SECS));
        let delete = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .key("PK", s(format!("TGHOST#{host}")))
            .key("SK", s(&c.sk))
            .build()
            .map_err(StoreError::aws)?;
        self.transact(vec![(self.put_item(item)?, "result"), (TransactWriteItem::builder().delete(delete).build(), "command")]).await
    }

    pub async fn command_result(&self, ws: &str, account_id: &str, command_id: &str) -> Result<Option<CommandResult>, StoreError> {
        self.get_as(&account_pk(ws, account_id), &format!("RESULT#{command_id}")).await
    }

    // ---- session, peers, channels, posts ------------------------------------

    /// The sealed session (`None` for an account that never connected).
    pub async fn tg_session(&self, ws: &str, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.get(&account_pk(ws, id), "SESSION").await?.and_then(|i| i.get("sealed").and_then(|v| v.as_s().ok()).cloned()))
    }

    pub async fn save_tg_session(&self, ws: &str, id: &str, sealed: &str, fence: Option<&Fence>) -> Result<(), StoreError> {
        let mut item = Item::new();
        item.insert("PK".into(), s(account_pk(ws, id)));
        item.insert("SK".into(), s("SESSION"));
        item.insert("sealed".into(), s(sealed));
        item.insert("saved_at_ms".into(), n(util::now_ms()));
        self.fenced(fence, self.put_item(item)?).await
    }

    /// Cached peers as stored (JSON), every one.
    pub async fn tg_peers(&self, ws: &str, id: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.query_prefix(&account_pk(ws, id), "PEER#").await?.into_iter().filter_map(|i| i.get("peer").and_then(|v| v.as_s().ok()).cloned()).collect())
    }

    pub async fn save_tg_peer(&self, f: &Fence, peer_id: i64, json: &str) -> Result<(), StoreError> {
        let mut item = Item::new();
        item.insert("PK".into(), s(account_pk(&f.workspace_id, &f.account_id)));
        item.insert("SK".into(), s(format!("PEER#{peer_id}")));
        item.insert("peer".into(), s(json));
        self.fenced(Some(f), self.put_item(item)?).await
    }

    pub async fn tg_channels(&self, ws: &str, id: &str) -> Result<Vec<FollowedChannel>, StoreError> {
        self.query_prefix(&account_pk(ws, id), "CHANNEL#").await?.into_iter().map(decode).collect()
    }

    /// Stores the followed channels as listed now, keeping each one's
    /// source flag; channels no longer followed are removed.
    pub async fn save_tg_channels(&self, f: &Fence, listed: &[FollowedChannel]) -> Result<(), StoreError> {
        let (ws, id) = (&f.workspace_id, &f.account_id);
        let old = self.tg_channels(ws, id).await?;
        for c in listed {
            let source = old.iter().any(|o| o.id == c.id && o.source);
            let mut item = encode(&FollowedChannel { source, ..c.clone() })?;
            item.insert("PK".into(), s(account_pk(ws, id)));
            item.insert("SK".into(), s(format!("CHANNEL#{}", c.id)));
            self.fenced(Some(f), self.put_item(item)?).await?;
        }
        for gone in old.iter().filter(|o| !listed.iter().any(|c| c.id == o.id)) {
            self.ddb
                .delete_item()
                .table_name(&self.table)
                .key("PK", s(account_pk(ws, id)))
                .key("SK", s(format!("CHANNEL#{}", gone.id)))
                .send()
                .await
                .map_err(StoreError::aws)?;
        }
        Ok(())
    }

    /// Marks a followed channel as a stock source (or not) and moves the
    /// account's count; `NotFound` for a channel it does not follow.
    pub async fn set_tg_channel_source(&self, ws: &str, id: &str, channel_id: i64, source: bool) -> Result<FollowedChannel, StoreError> {
        let current: FollowedChannel = self.get_as(&account_pk(ws, id), &format!("CHANNEL#{channel_id}")).await?.ok_or(StoreError::NotFound)?;
        if current.source == source {
            return Ok(current);
        }
        let flag = Update::builder()
            .table_name(&self.table)
            .key("PK", s(account_pk(ws, id)))
            .key("SK", s(format!("CHANNEL#{channel_id}")))
            .update_expression("SET #src = :v")
            .condition_expression("#src = :old")
            .expression_attribute_names("#src", "source")
            .expression_attribute_values(":v", AttributeValue::Bool(source))
            .expression_attribute_values(":old", AttributeValue::Bool(current.source))
            .build()
            .map_err(StoreError::aws)?;
        let count = Update::builder()
            .table_name(&self.table)
            .key("PK", s(keys::ws(ws)))
            .key("SK", s(account_sk(id)))
            .update_expression("ADD sources :d")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":d", n(if source { 1 } else { -1 }))
            .build()
            .map_err(StoreError::aws)?;
        self.transact(vec![
            (TransactWriteItem::builder().update(flag).build(), "the channel changed meanwhile"),
            (TransactWriteItem::builder().update(count).build(), "no such account"),
        ])
        .await?;
        Ok(FollowedChannel { source, ..current })
    }

    /// Whether a channel is a source (one read per post).
    pub async fn tg_channel(&self, ws: &str, id: &str, channel_id: i64) -> Result<Option<FollowedChannel>, StoreError> {
        self.get_as(&account_pk(ws, id), &format!("CHANNEL#{channel_id}")).await
    }

    /// Where a channel post stands on its way into a draft car.
    pub async fn tg_post(&self, f: &Fence, channel_id: i64, message_id: i64) -> Result<Option<PostProgress>, StoreError> {
        self.get_as(&account_pk(&f.workspace_id, &f.account_id), &format!("POST#{channel_id}#{message_id}")).await
    }

    /// Records a post's progress (its stored photo, then done), fenced.
    pub async fn save_tg_post(&self, f: &Fence, channel_id: i64, message_id: i64, p: &PostProgress) -> Result<(), StoreError> {
        let mut item = encode(p)?;
        item.insert("PK".into(), s(account_pk(&f.workspace_id, &f.account_id)));
        item.insert("SK".into(), s(format!("POST#{channel_id}#{message_id}")));
        self.fenced(Some(f), self.put_item(item)?).await
    }
}

/// A channel post's progress into a draft car. Each step is idempotent and
/// recorded, so a post delivered again (a restart's catch-up) finishes what
/// was left and adds nothing twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostProgress {
    pub listing_id: String,
    /// The post's photo, once copied into the file store.
    pub file_id: Option<String>,
    #[serde(default)]
    pub done: bool,
}

/// Whether a conditional UpdateItem applied (`false`: its condition failed).
fn applied(
    res: Result<
        aws_sdk_dynamodb::operation::update_item::UpdateItemOutput,
        aws_sdk_dynamodb::error::SdkError<aws_sdk_dynamodb::operation::update_item::UpdateItemError>,
    >,
) -> Result<bool, StoreError> {
    match res {
        Ok(_) => Ok(true),
        Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Ok(false),
        Err(e) => Err(StoreError::aws(e)),
    }
}

/// The conflict a fenced write reports when the lease is gone.
pub const LEASE_LOST: &str = "this host no longer holds the account";

/// Whether an account in this state is one a login step can act on.
pub fn in_login(state: AccountState) -> bool {
    matches!(state, AccountState::AwaitingCode | AccountState::AwaitingPassword | AccountState::NeedsLogin)
}
