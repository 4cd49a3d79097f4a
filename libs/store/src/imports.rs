//! Stock feed imports: the import's record (progress and counts), its
//! report in parts, each source's remembered column mapping, and which car
//! each row key of a source made, so importing the same feed again updates
//! those cars instead of adding new ones.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::AttributeValue;
use cartie_domain::imports::{ImportCounts, ImportStatus, RowReport};
use serde::{Deserialize, Serialize};

use crate::{decode, encode, keys, util, Store, StoreError};

/// Field name → the feed's column name.
pub type ColumnMapping = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockImport {
    pub workspace_id: String,
    pub id: String,
    /// The source's name as the dealer wrote it.
    pub source: String,
    pub source_key: String,
    pub file_id: String,
    pub file_name: String,
    /// Cars or contacts (imports written before contacts had one: cars).
    #[serde(default)]
    pub kind: cartie_domain::imports::ImportKind,
    pub mapping: ColumnMapping,
    /// The currency of rows that state none.
    #[serde(default)]
    pub currency: Option<String>,
    pub status: ImportStatus,
    pub total_rows: u32,
    /// The first part whose report is not recorded yet.
    pub next_part: u32,
    #[serde(flatten)]
    pub counts: ImportCounts,
    #[serde(default)]
    pub error: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A source's remembered mapping, offered for its next feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedSource {
    pub workspace_id: String,
    pub source: String,
    pub mapping: ColumnMapping,
    #[serde(default)]
    pub currency: Option<String>,
    pub updated_at_ms: i64,
}

/// The car a row key of a source made, and what the row said last (a
/// hash), so an unchanged row leaves the car alone. `import_id` and `row`
/// say which import and row wrote it last: a part run again finds its own
/// rows and reports them as before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedCarRecord {
    pub workspace_id: String,
    pub listing_id: String,
    pub row_hash: String,
    pub import_id: String,
    pub row: u32,
    pub outcome: cartie_domain::imports::RowOutcome,
}

#[derive(Serialize, Deserialize)]
struct Part {
    rows: Vec<RowReport>,
}

impl Store {
    pub async fn create_stock_import(&self, i: &StockImport) -> Result<(), StoreError> {
        let mut item = encode(i)?;
        item.insert("PK".into(), AttributeValue::S(keys::ws(&i.workspace_id)));
        item.insert("SK".into(), AttributeValue::S(keys::stock_import(&i.id)));
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

    pub async fn stock_import(&self, ws: &str, id: &str) -> Result<Option<StockImport>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::stock_import(id)).await
    }

    /// Records part `part`'s report and adds it to the counts, once: a part
    /// recorded before (a job delivered twice) is not counted again
    /// (answers `false`). `last` marks the import done.
    pub async fn record_import_part(&self, ws: &str, id: &str, part: u32, rows: &[RowReport], last: bool) -> Result<bool, StoreError> {
        let mut item = encode(&Part { rows: rows.to_vec() })?;
        item.insert("PK".into(), AttributeValue::S(keys::stock_import_report(ws, id)));
        item.insert("SK".into(), AttributeValue::S(keys::import_part(part)));
        item.insert("workspace_id".into(), AttributeValue::S(ws.into()));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        let c = ImportCounts::of(rows);
        let n = |v: u32| AttributeValue::N(v.to_string());
        let status = if last { ImportStatus::Done } else { ImportStatus::Running };
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(keys::ws(ws)))
            .key("SK", AttributeValue::S(keys::stock_import(id)))
            .condition_expression("next_part = :part")
            .update_expression("SET next_part = :next, #status = :status, updated_at_ms = :now ADD created :c, updated :u, unchanged :s, rejected :r")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":part", n(part))
            .expression_attribute_values(":next", n(part + 1))
            .expression_attribute_values(":status", encode_status(status)?)
            .expression_attribute_values(":now", AttributeValue::N(util::now_ms().to_string()))
            .expression_attribute_values(":c", n(c.created))
            .expression_attribute_values(":u", n(c.updated))
            .expression_attribute_values(":s", n(c.unchanged))
            .expression_attribute_values(":r", n(c.rejected))
            .send()
            .await;
        match res {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_conditional_check_failed_exception()) => Ok(false),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Stops an import that cannot go on, saying why.
    pub async fn fail_stock_import(&self, ws: &str, id: &str, why: &str) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(keys::ws(ws)))
            .key("SK", AttributeValue::S(keys::stock_import(id)))
            .condition_expression("attribute_exists(PK)")
            .update_expression("SET #status = :status, #error = :error, updated_at_ms = :now")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#error", "error")
            .expression_attribute_values(":status", encode_status(ImportStatus::Failed)?)
            .expression_attribute_values(":error", AttributeValue::S(why.into()))
            .expression_attribute_values(":now", AttributeValue::N(util::now_ms().to_string()))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// Report rows from part `from` on, at most `max_parts` parts; the part
    /// to ask for next when there are more.
    pub async fn import_report(&self, ws: &str, id: &str, from: u32, max_parts: i32) -> Result<(Vec<RowReport>, Option<u32>), StoreError> {
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND SK >= :from")
            .expression_attribute_values(":pk", AttributeValue::S(keys::stock_import_report(ws, id)))
            .expression_attribute_values(":from", AttributeValue::S(keys::import_part(from)))
            .limit(max_parts)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let items = out.items.unwrap_or_default();
        let next = out.last_evaluated_key.map(|_| from + items.len() as u32);
        let mut rows = Vec::new();
        for item in items {
            rows.extend(decode::<Part>(item)?.rows);
        }
        Ok((rows, next))
    }

    pub async fn feed_source(&self, ws: &str, source_key: &str) -> Result<Option<FeedSource>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::feed_source(source_key)).await
    }

    pub async fn put_feed_source(&self, ws: &str, source_key: &str, s: &FeedSource) -> Result<(), StoreError> {
        let mut item = encode(s)?;
        item.insert("PK".into(), AttributeValue::S(keys::ws(ws)));
        item.insert("SK".into(), AttributeValue::S(keys::feed_source(source_key)));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    pub async fn feed_car(&self, ws: &str, source_key: &str, row_key: &str) -> Result<Option<FeedCarRecord>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::feed_car(source_key, row_key)).await
    }

    pub async fn put_feed_car(&self, ws: &str, source_key: &str, row_key: &str, r: &FeedCarRecord) -> Result<(), StoreError> {
        let mut item = encode(r)?;
        item.insert("PK".into(), AttributeValue::S(keys::ws(ws)));
        item.insert("SK".into(), AttributeValue::S(keys::feed_car(source_key, row_key)));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }
}

fn encode_status(s: ImportStatus) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}
