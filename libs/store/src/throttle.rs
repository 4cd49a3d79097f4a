//! Fixed-window counters for throttling (login failures per account and per
//! IP). One item per window, incremented atomically, expired by TTL and by
//! the window key itself (a new window is a new item).

use crate::{keys, util, Store, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;

impl Store {
    fn window_start(window_secs: i64) -> i64 {
        let now = util::now_secs();
        now - now.rem_euclid(window_secs)
    }

    /// Hits recorded in the current window.
    pub async fn throttle_count(&self, scope: &str, key: &str, window_secs: i64) -> Result<u32, StoreError> {
        let start = Self::window_start(window_secs);
        let item = self.get(&keys::throttle(scope, key), &keys::throttle_window(start)).await?;
        Ok(item
            .and_then(|i| match i.get("hits") {
                Some(AttributeValue::N(n)) => n.parse().ok(),
                _ => None,
            })
            .unwrap_or(0))
    }

    /// Records one hit; returns the count in the current window. Also the
    /// seconds until the window ends, for `Retry-After`.
    pub async fn throttle_hit(&self, scope: &str, key: &str, window_secs: i64) -> Result<(u32, i64), StoreError> {
        let start = Self::window_start(window_secs);
        let out = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(keys::throttle(scope, key)))
            .key("SK", AttributeValue::S(keys::throttle_window(start)))
            .update_expression("ADD hits :one SET expires_at = :exp")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":exp", AttributeValue::N((start + 2 * window_secs).to_string()))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let hits = out
            .attributes
            .and_then(|a| match a.get("hits") {
                Some(AttributeValue::N(n)) => n.parse().ok(),
                _ => None,
            })
            .unwrap_or(1);
        Ok((hits, Self::retry_after(window_secs)))
    }

    pub fn retry_after(window_secs: i64) -> i64 {
        (Self::window_start(window_secs) + window_secs - util::now_secs()).max(1)
    }
}
