//! Work due at a time further away than SQS can delay (15 minutes): kept in
//! minute buckets that the scheduler (EventBridge, every minute) moves to
//! the jobs queue when their minute comes.
//!
//! | PK              | SK                          | item                          |
//! |-----------------|-----------------------------|-------------------------------|
//! | `DUE#{minute}`  | `JOB#{ws}#{key}`            | the job (JSON), its due time  |
//! | `SYSTEM`        | `SCHEDULER_CURSOR`          | the last minute moved         |
//!
//! A platform partition (the scheduler does not know workspaces in
//! advance); each item names its workspace and its job carries it.
//! Access patterns: Put when scheduled; the scheduler Queries `DUE#{m}` for
//! each minute since its cursor, queues the jobs, deletes them, moves the
//! cursor. Queuing twice is harmless: every job is idempotent.

use crate::{keys, Store, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;

/// Minutes since the epoch.
pub fn minute(ms: i64) -> i64 {
    ms.div_euclid(60_000)
}

/// One due job, as the scheduler reads it back.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub minute: i64,
    pub sk: String,
    pub due_ms: i64,
    pub job: String,
}

impl Store {
    /// Keeps `job` (JSON) until `due_ms`; `key` makes a repeated schedule of
    /// the same thing one item.
    pub async fn schedule_due(&self, ws: &str, key: &str, due_ms: i64, job: &str) -> Result<(), StoreError> {
        let m = minute(due_ms);
        self.ddb
            .put_item()
            .table_name(&self.table)
            .item("PK", AttributeValue::S(keys::due_minute(m)))
            .item("SK", AttributeValue::S(keys::due_job(ws, key)))
            .item("workspace_id", AttributeValue::S(ws.into()))
            .item("due_ms", AttributeValue::N(due_ms.to_string()))
            .item("job", AttributeValue::S(job.into()))
            // Kept a week past due in case the scheduler is down that long.
            .item(keys::TTL_ATTRIBUTE, AttributeValue::N((due_ms / 1000 + 7 * 86_400).to_string()))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    pub async fn due_in_minute(&self, m: i64) -> Result<Vec<Due>, StoreError> {
        let items = self.query_prefix(&keys::due_minute(m), keys::DUE_JOB_PREFIX).await?;
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            let due = || -> Option<Due> {
                Some(Due {
                    minute: m,
                    sk: it.get("SK")?.as_s().ok()?.clone(),
                    due_ms: it.get("due_ms")?.as_n().ok()?.parse().ok()?,
                    job: it.get("job")?.as_s().ok()?.clone(),
                })
            };
            match due() {
                Some(d) => out.push(d),
                None => return Err(StoreError::Corrupt(format!("a due item of minute {m} lacks its job or time: {:?}", it.get("SK")))),
            }
        }
        Ok(out)
    }

    pub async fn remove_due(&self, d: &Due) -> Result<(), StoreError> {
        self.ddb
            .delete_item()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(keys::due_minute(d.minute)))
            .key("SK", AttributeValue::S(d.sk.clone()))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// The last minute the scheduler moved (`None` on its first run).
    pub async fn scheduler_cursor(&self) -> Result<Option<i64>, StoreError> {
        Ok(self.get(keys::SYSTEM, keys::SCHEDULER_CURSOR).await?.and_then(|it| it.get("minute")?.as_n().ok()?.parse().ok()))
    }

    pub async fn set_scheduler_cursor(&self, m: i64) -> Result<(), StoreError> {
        self.ddb
            .put_item()
            .table_name(&self.table)
            .item("PK", AttributeValue::S(keys::SYSTEM.into()))
            .item("SK", AttributeValue::S(keys::SCHEDULER_CURSOR.into()))
            .item("minute", AttributeValue::N(m.to_string()))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }
}
