//! The dealer's stock: `WS#{ws}` / `LISTING#{id}` (ULID ids, so the sort key
//! orders newest first). Listing a workspace's stock is a Query on its own
//! partition with the filters as a filter expression; `search` holds the
//! lower-cased words the free-text box matches.

use crate::inbox::Page;
use crate::stats::Deltas;
use crate::{decode, encode, keys, util, Item, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use cartie_domain::inventory::{ListingInput, ListingStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Listing {
    pub workspace_id: String,
    pub id: String,
    #[serde(flatten)]
    pub car: ListingInput,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Filters of the inventory list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ListingFilter {
    pub q: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub year: (Option<i32>, Option<i32>),
    pub price: (Option<i64>, Option<i64>),
    pub mileage: (Option<i64>, Option<i64>),
    pub status: Option<ListingStatus>,
}

impl ListingFilter {
    /// What a scenario's stock search looks for: cars on sale only.
    pub fn for_search(q: &cartie_domain::scenario::SearchQuery) -> ListingFilter {
        ListingFilter {
            make: q.make.clone(),
            model: q.model.clone(),
            year: (q.year_min, None),
            price: (None, q.budget_max),
            status: Some(ListingStatus::Available),
            ..ListingFilter::default()
        }
    }
}

fn search_text(c: &ListingInput) -> String {
    let mut parts = vec![c.make.clone(), c.model.clone(), c.year.to_string()];
    parts.extend(c.vin.clone());
    parts.extend(c.color.clone());
    parts.extend(c.body.clone());
    parts.join(" ").to_lowercase()
}

fn listing_item(l: &Listing) -> Result<Item, StoreError> {
    let mut item = encode(l)?;
    item.insert("PK".into(), AttributeValue::S(keys::ws(&l.workspace_id)));
    item.insert("SK".into(), AttributeValue::S(keys::listing(&l.id)));
    item.insert("search".into(), AttributeValue::S(search_text(&l.car)));
    item.insert("make_lc".into(), AttributeValue::S(l.car.make.to_lowercase()));
    item.insert("model_lc".into(), AttributeValue::S(l.car.model.to_lowercase()));
    Ok(item)
}

impl Store {
    pub async fn create_listing(&self, ws: &str, car: ListingInput) -> Result<Listing, StoreError> {
        self.create_listing_with_id(ws, &util::new_id(), car).await
    }

    /// [`Store::create_listing`] with an id chosen before (from `util::new_id`),
    /// for callers that attach things to the car first.
    pub async fn create_listing_with_id(&self, ws: &str, id: &str, car: ListingInput) -> Result<Listing, StoreError> {
        let now = util::now_ms();
        let l = Listing { workspace_id: ws.into(), id: id.into(), car, created_at_ms: now, updated_at_ms: now };
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(listing_item(&l)?))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(StoreError::aws)?;
        self.write_counted(ws, TransactWriteItem::builder().put(put).build(), Deltas::of_car(Some(&l.car), 1), "the car exists already").await?;
        Ok(l)
    }

    /// A listing write and the stock counters it moves, in one transaction.
    async fn write_counted(&self, ws: &str, write: TransactWriteItem, d: Deltas, meaning: &'static str) -> Result<(), StoreError> {
        let mut steps = vec![(write, meaning)];
        if let Some(c) = self.totals_write(ws, &d)? {
            steps.push((c, meaning));
        }
        self.transact(steps).await
    }

    pub async fn listing(&self, ws: &str, id: &str) -> Result<Option<Listing>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::listing(id)).await
    }

    /// Replaces a listing's fields; `NotFound` if it does not exist here.
    pub async fn replace_listing(&self, ws: &str, id: &str, car: ListingInput) -> Result<Listing, StoreError> {
        let old = self.listing(ws, id).await?.ok_or(StoreError::NotFound)?;
        let l = Listing { car, updated_at_ms: util::now_ms(), ..old.clone() };
        // Only over the version read: the counters move by what changed.
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(listing_item(&l)?))
            .condition_expression("updated_at_ms = :was")
            .expression_attribute_values(":was", AttributeValue::N(old.updated_at_ms.to_string()))
            .build()
            .map_err(StoreError::aws)?;
        let d = Deltas::between(Deltas::of_car(Some(&old.car), 1), Deltas::of_car(Some(&l.car), 1));
        self.write_counted(ws, TransactWriteItem::builder().put(put).build(), d, "the car changed meanwhile; reload it").await?;
        Ok(l)
    }

    pub async fn delete_listing(&self, ws: &str, id: &str) -> Result<(), StoreError> {
        let old = self.listing(ws, id).await?.ok_or(StoreError::NotFound)?;
        let del = Delete::builder()
            .table_name(&self.table)
            .key("PK", AttributeValue::S(keys::ws(ws)))
            .key("SK", AttributeValue::S(keys::listing(id)))
            .condition_expression("updated_at_ms = :was")
            .expression_attribute_values(":was", AttributeValue::N(old.updated_at_ms.to_string()))
            .build()
            .map_err(StoreError::aws)?;
        self.write_counted(ws, TransactWriteItem::builder().delete(del).build(), Deltas::of_car(Some(&old.car), -1), "the car changed meanwhile; reload it")
            .await
    }

    /// Newest first. DynamoDB applies `limit` before the filter, so a page
    /// is read until `limit` matches are found or the stock ends.
    pub async fn listings(&self, ws: &str, f: &ListingFilter, limit: usize, cursor: Option<&str>) -> Result<Page<Listing>, StoreError> {
        let pk = keys::ws(ws);
        let mut start: Option<Item> = match cursor {
            Some(c) => {
                let id = crate::cursor::decode_id(c)?;
                Some([("PK".to_string(), AttributeValue::S(pk.clone())), ("SK".to_string(), AttributeValue::S(keys::listing(&id)))].into())
            }
            None => None,
        };
        let mut conds: Vec<&str> = Vec::new();
        let mut vals: HashMap<String, AttributeValue> = HashMap::new();
        let mut names: HashMap<String, String> = HashMap::new();
        let mut add = |cond: &'static str, name: &str, v: AttributeValue| {
            conds.push(cond);
            vals.insert(name.into(), v);
        };
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            for (i, word) in q.to_lowercase().split_whitespace().take(3).enumerate() {
                let c: &'static str = ["contains(#search, :q0)", "contains(#search, :q1)", "contains(#search, :q2)"][i];
                add(c, &format!(":q{i}"), AttributeValue::S(word.into()));
            }
        }
        if let Some(m) = &f.make {
            add("make_lc = :make", ":make", AttributeValue::S(m.trim().to_lowercase()));
        }
        if let Some(m) = &f.model {
            add("begins_with(model_lc, :model)", ":model", AttributeValue::S(m.trim().to_lowercase()));
        }
        let num = |n: i64| AttributeValue::N(n.to_string());
        if let Some(v) = f.year.0 {
            add("#year >= :ymin", ":ymin", num(v.into()));
        }
        if let Some(v) = f.year.1 {
            add("#year <= :ymax", ":ymax", num(v.into()));
        }
        if let Some(v) = f.price.0 {
            add("price >= :pmin", ":pmin", num(v));
        }
        if let Some(v) = f.price.1 {
            add("price <= :pmax", ":pmax", num(v));
        }
        if let Some(v) = f.mileage.0 {
            add("mileage >= :mmin", ":mmin", num(v));
        }
        if let Some(v) = f.mileage.1 {
            add("mileage <= :mmax", ":mmax", num(v));
        }
        if let Some(s) = f.status {
            let text = serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            add("#status = :status", ":status", AttributeValue::S(text));
        }
        if conds.iter().any(|c| c.contains("#year")) {
            names.insert("#year".into(), "year".into());
        }
        if conds.iter().any(|c| c.contains("#search")) {
            names.insert("#search".into(), "search".into());
        }
        if conds.iter().any(|c| c.contains("#status")) {
            names.insert("#status".into(), "status".into());
        }
        let filter = (!conds.is_empty()).then(|| conds.join(" AND "));
        let mut items: Vec<Listing> = Vec::new();
        loop {
            let out = self
                .ddb
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND begins_with(SK, :l)")
                .expression_attribute_values(":pk", AttributeValue::S(pk.clone()))
                .expression_attribute_values(":l", AttributeValue::S(keys::LISTING_PREFIX.into()))
                .set_expression_attribute_values(Some({
                    let mut v = vals.clone();
                    v.insert(":pk".into(), AttributeValue::S(pk.clone()));
                    v.insert(":l".into(), AttributeValue::S(keys::LISTING_PREFIX.into()));
                    v
                }))
                .set_expression_attribute_names((!names.is_empty()).then(|| names.clone()))
                .set_filter_expression(filter.clone())
                .scan_index_forward(false)
                .limit((limit - items.len()).max(1) as i32 * 4)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(StoreError::aws)?;
            for it in out.items.unwrap_or_default() {
                items.push(decode(it)?);
                if items.len() == limit {
                    let next = items.last().map(|l| crate::cursor::encode_id(&l.id));
                    return Ok(Page { items, next });
                }
            }
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(Page { items, next: None }),
            }
        }
    }
}

/// A site's saved parser mapping: `WS#{ws}` / `MAPPING#{domain}` for the
/// whole site, `MAPPING#{domain}#{path_prefix}` for pages under a path.
/// Stored as the parser's own JSON so storage does not depend on the parser
/// crate. Access: the preview Queries `MAPPING#{domain}` and keeps the
/// mappings of exactly that domain (the prefix also matches longer domains).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredMapping {
    pub workspace_id: String,
    pub domain: String,
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// `cartie_parser::DomainMapping` as JSON.
    pub mapping_json: String,
    pub updated_at_ms: i64,
}

use keys::mapping as mapping_sk;

impl Store {
    pub async fn put_mapping(&self, ws: &str, domain: &str, path_prefix: Option<&str>, mapping_json: String) -> Result<StoredMapping, StoreError> {
        let m = StoredMapping {
            workspace_id: ws.into(),
            domain: domain.into(),
            path_prefix: path_prefix.map(str::to_string),
            mapping_json,
            updated_at_ms: util::now_ms(),
        };
        let mut item = encode(&m)?;
        item.insert("PK".into(), AttributeValue::S(keys::ws(ws)));
        item.insert("SK".into(), AttributeValue::S(mapping_sk(domain, path_prefix)));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(m)
    }

    /// Every mapping of `domain`: the whole-site one and the per-path ones.
    pub async fn mappings_of_domain(&self, ws: &str, domain: &str) -> Result<Vec<StoredMapping>, StoreError> {
        let all: Vec<StoredMapping> =
            self.query_prefix(&keys::ws(ws), &keys::mapping(domain, None)).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        Ok(all.into_iter().filter(|m| m.domain == domain).collect())
    }

    pub async fn mappings(&self, ws: &str) -> Result<Vec<StoredMapping>, StoreError> {
        self.query_prefix(&keys::ws(ws), keys::MAPPING_PREFIX).await?.into_iter().map(decode).collect()
    }

    pub async fn delete_mapping(&self, ws: &str, domain: &str, path_prefix: Option<&str>) -> Result<(), StoreError> {
        self.delete_existing(&keys::ws(ws), &mapping_sk(domain, path_prefix)).await
    }

    /// Telegram's `file_id` of a stock photo this bot uploaded before
    /// (`WS#{ws}` / `TGPHOTO#{bot}#{sha256(url)}`): a file id belongs to one bot.
    pub async fn telegram_photo(&self, ws: &str, bot_id: i64, url: &str) -> Result<Option<String>, StoreError> {
        let it = self.get(&keys::ws(ws), &keys::telegram_photo(bot_id, &util::sha256_hex(url))).await?;
        Ok(it.and_then(|i| i.get("file_id").and_then(|v| v.as_s().ok()).cloned()))
    }

    pub async fn remember_telegram_photo(&self, ws: &str, bot_id: i64, url: &str, file_id: &str) -> Result<(), StoreError> {
        self.ddb
            .put_item()
            .table_name(&self.table)
            .item("PK", AttributeValue::S(keys::ws(ws)))
            .item("SK", AttributeValue::S(keys::telegram_photo(bot_id, &util::sha256_hex(url))))
            .item("workspace_id", AttributeValue::S(ws.into()))
            .item("url", AttributeValue::S(url.into()))
            .item("file_id", AttributeValue::S(file_id.into()))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// The makes of the available stock (for the Mini App's filter), sorted.
    /// Reads only the `make` and `status` attributes of the stock partition.
    pub async fn available_makes(&self, ws: &str) -> Result<Vec<String>, StoreError> {
        let mut makes = std::collections::BTreeSet::new();
        let mut start: Option<Item> = None;
        loop {
            let out = self
                .ddb
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND begins_with(SK, :sk)")
                .filter_expression("#status = :available")
                .projection_expression("make")
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":pk", AttributeValue::S(keys::ws(ws)))
                .expression_attribute_values(":sk", AttributeValue::S(keys::LISTING_PREFIX.into()))
                .expression_attribute_values(":available", AttributeValue::S("available".into()))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(StoreError::aws)?;
            for it in out.items() {
                if let Some(AttributeValue::S(m)) = it.get("make") {
                    makes.insert(m.clone());
                }
            }
            start = out.last_evaluated_key().cloned();
            if start.is_none() {
                return Ok(makes.into_iter().collect());
            }
        }
    }
}
