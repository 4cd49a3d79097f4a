//! Cartie's storage: the single DynamoDB table (key design and access
//! patterns in [`keys`]), the SQS queues, the file store on S3 ([`files`]),
//! and the idempotent bootstrap that creates them on a local endpoint.
//! Every tenant item's key and every object key starts with its workspace
//! id. No HTTP and no business rules here: those live in
//! `cartie-apikit` and `cartie-domain`.

pub mod accounts;
pub mod bootstrap;
pub mod bulk_tags;
pub mod calendar;
pub mod campaigns;
pub mod clock;
pub mod config;
pub mod contact_exports;
pub mod contact_imports;
pub mod contacts;
pub mod cursor;
pub mod due;
pub mod erase;
pub mod error;
pub mod files;
pub mod imports;
pub mod inbox;
pub mod inbox_search;
pub mod inventory;
pub mod keys;
pub mod merge;
pub mod notifications;
pub mod partners;
pub mod queue;
pub mod requests;
pub mod scenarios;
pub mod sealed;
pub mod segments;
pub mod stats;
pub mod system;
pub mod team;
pub mod tg_accounts;
pub mod throttle;
pub mod triage;
pub mod util;

pub use config::{Aws, CallCounter, Settings};
pub use error::StoreError;
pub use queue::Queues;

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// The single table. Cheap to clone (the SDK client is an `Arc`).
#[derive(Clone)]
pub struct Store {
    pub ddb: aws_sdk_dynamodb::Client,
    pub table: String,
}

pub type Item = HashMap<String, AttributeValue>;

impl Store {
    pub fn new(aws: &Aws, settings: &Settings) -> Store {
        Store { ddb: aws.dynamodb.clone(), table: settings.table.clone() }
    }

    /// Reads one item by key, or `None`.
    pub async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let out = self
            .ddb
            .get_item()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(pk.to_string()))
            .key("SK", AttributeValue::S(sk.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(out.item)
    }

    /// Reads one item and decodes it.
    pub async fn get_as<T: serde::de::DeserializeOwned>(&self, pk: &str, sk: &str) -> Result<Option<T>, StoreError> {
        match self.get(pk, sk).await? {
            Some(item) => Ok(Some(decode(item)?)),
            None => Ok(None),
        }
    }

    /// Deletes an item; `NotFound` if there was none (so another workspace's
    /// key, which never exists under this one's partition, is "not found").
    pub async fn delete_existing(&self, pk: &str, sk: &str) -> Result<(), StoreError> {
        let res = self
            .ddb
            .delete_item()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(pk.to_string()))
            .key("SK", AttributeValue::S(sk.to_string()))
            .condition_expression("attribute_exists(PK)")
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Err(StoreError::NotFound),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Puts `value` under (`pk`, `sk`): a new item (`rev` None: none may
    /// exist yet) or over the stored one if its `rev` attribute is still
    /// `rev`. A failed condition is `Conflict`: another write came first.
    /// Records that move by optimistic versions (segments, exports) go
    /// through here.
    pub async fn put_at_rev<T: serde::Serialize>(&self, pk: &str, sk: &str, value: &T, rev: Option<u64>) -> Result<(), StoreError> {
        let mut item = encode(value)?;
        item.insert("PK".into(), AttributeValue::S(pk.to_string()));
        item.insert("SK".into(), AttributeValue::S(sk.to_string()));
        let put = self.ddb.put_item().table_name(&self.table).set_item(Some(item));
        let put = match rev {
            None => put.condition_expression("attribute_not_exists(PK)"),
            Some(r) => put.condition_expression("rev = :rev").expression_attribute_values(":rev", AttributeValue::N(r.to_string())),
        };
        match put.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Err(StoreError::Conflict("changed meanwhile".into())),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Claims a one-time marker: stores `value` under (`pk`, `sk`) unless it
    /// exists, expiring after `ttl_secs`. Returns the value that wins: ours
    /// when we were first, the stored one otherwise. Callers key retried
    /// work by it (e.g. the timestamp of a lead), so a retry redoes the same
    /// work rather than new work.
    pub async fn once(&self, pk: &str, sk: &str, value: i64, ttl_secs: i64) -> Result<(bool, i64), StoreError> {
        let expires = util::now_ms() / 1000 + ttl_secs;
        let res = self
            .ddb
            .put_item()
            .table_name(&self.table)
            .item("PK", AttributeValue::S(pk.into()))
            .item("SK", AttributeValue::S(sk.into()))
            .item("value", AttributeValue::N(value.to_string()))
            .item(keys::TTL_ATTRIBUTE, AttributeValue::N(expires.to_string()))
            .condition_expression("attribute_not_exists(PK) OR #ttl < :now")
            .expression_attribute_names("#ttl", keys::TTL_ATTRIBUTE)
            .expression_attribute_values(":now", AttributeValue::N((util::now_ms() / 1000).to_string()))
            .send()
            .await;
        match res {
            Ok(_) => Ok((true, value)),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_conditional_check_failed_exception()) => {
                let stored = self.get(pk, sk).await?.and_then(|it| it.get("value").and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()));
                Ok((false, stored.unwrap_or(value)))
            }
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// All items of a partition whose sort key starts with `prefix` (all of
    /// them for ""), following pagination. Only for partitions that stay small (a team, a ledger).
    pub async fn query_prefix(&self, pk: &str, prefix: &str) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let q = self.ddb.query().table_name(&self.table).expression_attribute_values(":pk", AttributeValue::S(pk.to_string()));
            // An empty prefix is the whole partition (DynamoDB refuses an empty `begins_with`).
            let q = match prefix {
                "" => q.key_condition_expression("PK = :pk"),
                p => q.key_condition_expression("PK = :pk AND begins_with(SK, :p)").expression_attribute_values(":p", AttributeValue::S(p.to_string())),
            };
            let out = q.set_exclusive_start_key(start.take()).send().await.map_err(StoreError::aws)?;
            items.extend(out.items.unwrap_or_default());
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        Ok(items)
    }
}

/// One write of a transaction, and what its failed condition means to a
/// user ("slug is already taken").
pub(crate) type Step = (aws_sdk_dynamodb::types::TransactWriteItem, &'static str);

impl Store {
    /// Runs the writes as one transaction. A failed condition becomes a
    /// `Conflict` carrying the step's meaning; anything else is an AWS error.
    pub(crate) async fn transact(&self, steps: Vec<Step>) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
        let (items, meanings): (Vec<_>, Vec<_>) = steps.into_iter().unzip();
        match self.ddb.transact_write_items().set_transact_items(Some(items)).send().await {
            Ok(_) => Ok(()),
            Err(e) => {
                if let Some(TransactWriteItemsError::TransactionCanceledException(c)) = e.as_service_error() {
                    if let Some(i) = c.cancellation_reasons().iter().position(|r| r.code() == Some("ConditionalCheckFailed")) {
                        return Err(StoreError::Conflict(meanings[i].to_string()));
                    }
                }
                Err(StoreError::aws(e))
            }
        }
    }
}

/// Decodes a raw item into a record type.
pub fn decode<T: serde::de::DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Encodes a record type into a raw item.
pub fn encode<T: serde::Serialize>(value: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}
