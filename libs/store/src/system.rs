//! Platform bookkeeping: the migration ledger and worker heartbeats.

use crate::{decode, encode, keys, util, Store, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Ledger {
    /// Highest migration applied; 0 on a new table.
    pub version: u32,
    pub applied: Vec<AppliedMigration>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AppliedMigration {
    pub version: u32,
    pub name: String,
    pub applied_at_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Heartbeat {
    pub name: String,
    pub at_ms: i64,
    pub detail: String,
}

impl Store {
    pub async fn ledger(&self) -> Result<Ledger, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            version: u32,
            #[serde(default)]
            applied: Vec<AppliedMigration>,
        }
        Ok(self.get_as::<Row>(keys::SYSTEM, keys::MIGRATIONS).await?.map(|r| Ledger { version: r.version, applied: r.applied }).unwrap_or_default())
    }

    /// Records migration `version` as applied, only if the ledger stands at
    /// `version - 1`: two deploys migrating at once cannot both record it.
    pub async fn record_migration(&self, version: u32, name: &str) -> Result<(), StoreError> {
        let entry = encode(&AppliedMigration { version, name: name.to_string(), applied_at_ms: util::now_ms() })?;
        let mut req = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(keys::SYSTEM.into()))
            .key("SK", AttributeValue::S(keys::MIGRATIONS.into()))
            .update_expression("SET version = :v, applied = list_append(if_not_exists(applied, :empty), :entry)")
            .expression_attribute_values(":v", AttributeValue::N(version.to_string()))
            .expression_attribute_values(":empty", AttributeValue::L(vec![]))
            .expression_attribute_values(":entry", AttributeValue::L(vec![AttributeValue::M(entry)]));
        req = if version <= 1 {
            req.condition_expression("attribute_not_exists(version)")
        } else {
            req.condition_expression("version = :prev").expression_attribute_values(":prev", AttributeValue::N((version - 1).to_string()))
        };
        match req.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_conditional_check_failed_exception()) => {
                Err(StoreError::Conflict(format!("ledger is not at version {}", version.saturating_sub(1))))
            }
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    pub async fn beat(&self, name: &str, detail: &str) -> Result<(), StoreError> {
        let mut item = encode(&Heartbeat { name: name.into(), at_ms: util::now_ms(), detail: detail.into() })?;
        item.insert("PK".into(), AttributeValue::S(keys::SYSTEM.into()));
        item.insert("SK".into(), AttributeValue::S(keys::heartbeat(name)));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    pub async fn heartbeats(&self) -> Result<Vec<Heartbeat>, StoreError> {
        self.query_prefix(keys::SYSTEM, keys::HEARTBEAT_PREFIX).await?.into_iter().map(decode).collect()
    }

    /// Cheapest call that proves the table answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.ddb.describe_table().table_name(&self.table).send().await.map_err(StoreError::aws)?;
        Ok(())
    }
}
