//! Bot scenarios and the buyers moving through them.
//!
//! | PK                           | SK                       | item                                  |
//! |------------------------------|--------------------------|---------------------------------------|
//! | `WS#{ws}`                    | `SCENARIO#{id}`          | name, bots, draft (JSON), revision, published version |
//! | `WS#{ws}#SCENARIO#{id}`      | `V#{version:06}`         | a published version (JSON), immutable |
//! | `WS#{ws}#SCENARIO#{id}`      | `STATS#{version:06}#{node}` | entered / completed counters       |
//! | `WS#{ws}#SCENARIO#{id}`      | `SPLIT#{version:06}#{node}#{branch}` | A/B picks               |
//! | `WS#{ws}#CONV#{bot}#{chat}`  | `SESSION`                | the buyer's session + its outbox      |
//!
//! Access patterns:
//! 1. Scenario list / a bot's published scenarios: Query `WS#{ws}` begins_with `SCENARIO#`.
//! 2. Editor: GetItem the scenario; autosave is a conditional Put on `revision`.
//! 3. Publish: one transaction puts `V#{n+1}` (must not exist) and moves the
//!    scenario's `published_version` from n (so two publishes cannot both win).
//! 4. A buyer's message: GetItem `SESSION` in the conversation's partition,
//!    then GetItem the pinned version `V#{v}`.
//! 5. Analytics: Query `WS#{ws}#SCENARIO#{id}` begins_with `STATS#{v}` / `SPLIT#{v}`.
//!
//! Drafts and versions are stored as JSON strings: the graph is read and
//! written whole, never queried inside, and a string keeps DynamoDB from
//! rejecting empty sets or reshaping numbers.

use crate::{decode, encode, keys, Item, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScenarioRecord {
    pub workspace_id: String,
    pub id: String,
    pub name: String,
    /// Bots it runs on; empty = all of the workspace's bots.
    pub bot_ids: Vec<i64>,
    /// The draft graph as JSON.
    pub draft: String,
    pub revision: u64,
    pub published_version: Option<u32>,
    /// The draft revision that was published last (unpublished changes = it differs).
    pub published_revision: Option<u64>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

impl ScenarioRecord {
    pub fn has_unpublished_changes(&self) -> bool {
        self.published_revision != Some(self.revision)
    }
    pub fn runs_on(&self, bot_id: i64) -> bool {
        self.bot_ids.is_empty() || self.bot_ids.contains(&bot_id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VersionRecord {
    pub workspace_id: String,
    pub scenario_id: String,
    pub version: u32,
    /// The graph as JSON.
    pub scenario: String,
    pub published_at_ms: i64,
    pub published_by: String,
    pub nodes: u32,
}

/// A buyer's place in a scenario (the engine's session as JSON), the last
/// input applied (so a redelivered update or timer is applied once), and
/// the effects still to perform (an outbox: a worker that dies mid-way
/// leaves them for the retry, which performs only the rest).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct SessionRecord {
    pub session: Option<String>,
    pub last_input: String,
    pub pending: Vec<String>,
    pub done: usize,
    pub rev: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeCount {
    pub node: String,
    pub entered: u64,
    pub completed: u64,
}

use keys::{conversation_pk as session_pk, scenario as scenario_sk, scenario_pk, version as version_sk};
fn with_key(mut item: Item, pk: String, sk: String) -> Item {
    item.insert("PK".into(), AttributeValue::S(pk));
    item.insert("SK".into(), AttributeValue::S(sk));
    item
}
fn num(it: &Item, name: &str) -> u64 {
    it.get(name).and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()).unwrap_or(0)
}
fn conditional_failed<E: aws_sdk_dynamodb::error::ProvideErrorMetadata>(e: &E) -> bool {
    e.code() == Some("ConditionalCheckFailedException")
}

impl Store {
    pub async fn create_scenario(&self, r: &ScenarioRecord) -> Result<(), StoreError> {
        let item = with_key(encode(r)?, keys::ws(&r.workspace_id), scenario_sk(&r.id));
        self.ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    pub async fn scenario(&self, ws: &str, id: &str) -> Result<Option<ScenarioRecord>, StoreError> {
        self.get_as(&keys::ws(ws), &scenario_sk(id)).await
    }

    pub async fn scenarios(&self, ws: &str) -> Result<Vec<ScenarioRecord>, StoreError> {
        self.query_prefix(&keys::ws(ws), keys::SCENARIO_PREFIX).await?.into_iter().map(decode).collect()
    }

    /// Saves the draft. With `expected`, only over that revision (someone
    /// else's newer save is a `Conflict`); the stored revision goes up by one.
    pub async fn save_scenario_draft(&self, r: &ScenarioRecord, expected: Option<u64>) -> Result<ScenarioRecord, StoreError> {
        let current = self.scenario(&r.workspace_id, &r.id).await?.ok_or(StoreError::NotFound)?;
        if expected.is_some_and(|e| e != current.revision) {
            return Err(StoreError::Conflict("someone else saved this scenario meanwhile; reload it to see their changes".into()));
        }
        let next = ScenarioRecord {
            revision: current.revision + 1,
            published_version: current.published_version,
            published_revision: current.published_revision,
            created_at_ms: current.created_at_ms,
            ..r.clone()
        };
        let item = with_key(encode(&next)?, keys::ws(&r.workspace_id), scenario_sk(&r.id));
        let res = self
            .ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("revision = :rev")
            .expression_attribute_values(":rev", AttributeValue::N(current.revision.to_string()))
            .send()
            .await;
        match res {
            Ok(_) => Ok(next),
            Err(e) if e.as_service_error().is_some_and(conditional_failed) => {
                Err(StoreError::Conflict("someone else saved this scenario meanwhile; reload it to see their changes".into()))
            }
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Deletes a scenario with its versions and counters. Conversations in
    /// flight on it end at their next message (their version is gone).
    pub async fn delete_scenario(&self, ws: &str, id: &str) -> Result<(), StoreError> {
        self.delete_existing(&keys::ws(ws), &scenario_sk(id)).await?;
        let mut items = Vec::new();
        for prefix in [keys::VERSION_PREFIX, keys::STATS_PREFIX, keys::SPLIT_PREFIX] {
            items.extend(self.query_prefix(&scenario_pk(ws, id), prefix).await?);
        }
        for it in items {
            if let (Some(AttributeValue::S(pk)), Some(AttributeValue::S(sk))) = (it.get("PK"), it.get("SK")) {
                self.ddb
                    .delete_item()
                    .table_name(&self.table)
                    .key("PK", AttributeValue::S(pk.clone()))
                    .key("SK", AttributeValue::S(sk.clone()))
                    .send()
                    .await
                    .map_err(StoreError::aws)?;
            }
        }
        Ok(())
    }

    /// Publishes `v` (made from the draft at `revision`) as the scenario's
    /// next version; `v.version` is chosen here.
    pub async fn publish_scenario(&self, v: &VersionRecord, revision: u64) -> Result<u32, StoreError> {
        let (ws, id) = (v.workspace_id.as_str(), v.scenario_id.as_str());
        let current = self.scenario(ws, id).await?.ok_or(StoreError::NotFound)?;
        let version = current.published_version.unwrap_or(0) + 1;
        let v = VersionRecord { version, ..v.clone() };
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(with_key(encode(&v)?, scenario_pk(ws, id), version_sk(version))))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(StoreError::aws)?;
        let mut upd = Update::builder()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(keys::ws(ws)))
            .key("SK", AttributeValue::S(scenario_sk(id)))
            .update_expression("SET published_version = :v, published_revision = :r")
            .expression_attribute_values(":v", AttributeValue::N(version.to_string()))
            .expression_attribute_values(":r", AttributeValue::N(revision.to_string()));
        upd = match current.published_version {
            Some(old) => upd.condition_expression("published_version = :old").expression_attribute_values(":old", AttributeValue::N(old.to_string())),
            None => upd
                .condition_expression("attribute_exists(PK) AND (attribute_not_exists(published_version) OR attribute_type(published_version, :null))")
                .expression_attribute_values(":null", AttributeValue::S("NULL".into())),
        };
        let res = self
            .ddb
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put).build())
            .transact_items(TransactWriteItem::builder().update(upd.build().map_err(StoreError::aws)?).build())
            .send()
            .await;
        match res {
            Ok(_) => Ok(version),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_transaction_canceled_exception()) => {
                Err(StoreError::Conflict("the scenario was published meanwhile; try again".into()))
            }
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    pub async fn scenario_versions(&self, ws: &str, id: &str) -> Result<Vec<VersionRecord>, StoreError> {
        let mut v: Vec<VersionRecord> =
            self.query_prefix(&scenario_pk(ws, id), keys::VERSION_PREFIX).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        v.sort_by_key(|x| std::cmp::Reverse(x.version));
        Ok(v)
    }

    pub async fn scenario_version(&self, ws: &str, id: &str, version: u32) -> Result<Option<VersionRecord>, StoreError> {
        self.get_as(&scenario_pk(ws, id), &version_sk(version)).await
    }

    /// Adds to the per-node counters of a version (one UpdateItem ADD per node).
    pub async fn count_nodes(&self, ws: &str, id: &str, version: u32, entered: &[String], completed: &[String]) -> Result<(), StoreError> {
        let mut nodes: Vec<&String> = entered.iter().chain(completed).collect();
        nodes.sort();
        nodes.dedup();
        for node in nodes {
            let e = entered.iter().filter(|n| *n == node).count();
            let c = completed.iter().filter(|n| *n == node).count();
            self.ddb
                .update_item()
                .table_name(&self.table)
                .key("PK", AttributeValue::S(scenario_pk(ws, id)))
                .key("SK", AttributeValue::S(keys::node_stats(version, node)))
                .update_expression("ADD entered :e, completed :c SET node = :n, workspace_id = :ws")
                .expression_attribute_values(":e", AttributeValue::N(e.to_string()))
                .expression_attribute_values(":c", AttributeValue::N(c.to_string()))
                .expression_attribute_values(":n", AttributeValue::S(node.clone()))
                .expression_attribute_values(":ws", AttributeValue::S(ws.into()))
                .send()
                .await
                .map_err(StoreError::aws)?;
        }
        Ok(())
    }

    pub async fn count_split(&self, ws: &str, id: &str, version: u32, node: &str, branch: usize) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(scenario_pk(ws, id)))
            .key("SK", AttributeValue::S(keys::split(version, node, branch)))
            .update_expression("ADD picked :one SET node = :n, branch = :b, workspace_id = :ws")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":n", AttributeValue::S(node.into()))
            .expression_attribute_values(":b", AttributeValue::N(branch.to_string()))
            .expression_attribute_values(":ws", AttributeValue::S(ws.into()))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// (per-node counts, (node, branch, picked) of splits) of one version.
    pub async fn scenario_stats(&self, ws: &str, id: &str, version: u32) -> Result<(Vec<NodeCount>, Vec<(String, u32, u64)>), StoreError> {
        let nodes = self
            .query_prefix(&scenario_pk(ws, id), &keys::node_stats_prefix(version))
            .await?
            .iter()
            .map(|it| NodeCount {
                node: it.get("node").and_then(|v| v.as_s().ok()).cloned().unwrap_or_default(),
                entered: num(it, "entered"),
                completed: num(it, "completed"),
            })
            .collect();
        let splits = self
            .query_prefix(&scenario_pk(ws, id), &keys::split_prefix(version))
            .await?
            .iter()
            .map(|it| (it.get("node").and_then(|v| v.as_s().ok()).cloned().unwrap_or_default(), num(it, "branch") as u32, num(it, "picked")))
            .collect();
        Ok((nodes, splits))
    }

    pub async fn scenario_session(&self, ws: &str, bot_id: i64, chat_id: i64) -> Result<SessionRecord, StoreError> {
        Ok(self.get_as(&session_pk(ws, bot_id, chat_id), keys::SESSION).await?.unwrap_or_default())
    }

    /// Stores `rec` over revision `rec.rev - 1` (0 = none yet). `Conflict`
    /// when another worker moved the session meanwhile (the caller retries).
    pub async fn save_scenario_session(&self, ws: &str, bot_id: i64, chat_id: i64, rec: &SessionRecord) -> Result<(), StoreError> {
        let mut item = with_key(encode(rec)?, session_pk(ws, bot_id, chat_id), keys::SESSION.into());
        item.insert("workspace_id".into(), AttributeValue::S(ws.into()));
        let mut put = self.ddb.put_item().table_name(&self.table).set_item(Some(item));
        put = if rec.rev <= 1 {
            put.condition_expression("attribute_not_exists(PK)")
        } else {
            put.condition_expression("rev = :old").expression_attribute_values(":old", AttributeValue::N((rec.rev - 1).to_string()))
        };
        match put.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(conditional_failed) => Err(StoreError::Conflict("the buyer's session moved meanwhile".into())),
            Err(e) => Err(StoreError::aws(e)),
        }
    }
}
