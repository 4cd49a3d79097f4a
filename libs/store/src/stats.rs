//! The dashboard's counters, kept as things happen (never counted at read
//! time): each is an `ADD` inside the same transaction as the write it
//! counts, so a retried write that finds its work done counts nothing.
//!
//! | PK             | SK             | item |
//! |----------------|----------------|------|
//! | `WS#{ws}`      | `STATS`        | totals now: `stock_available`, `stock_value_{CUR}`, `requests_live`, `offers_new` |
//! | `WS#{ws}#DAY`  | `{yyyy-mm-dd}` | one UTC day: `leads`, `leads_bot_{id}`, `messages_in`, `messages_out` |
//!
//! The dashboard reads one `STATS` item and one BatchGet of 30 days,
//! whatever the size of the workspace.

use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use cartie_domain::inventory::{ListingInput, ListingStatus};
use std::collections::HashMap;

use crate::{keys, util, Item, Store, StoreError};

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn day_pk(ws: &str) -> String {
    format!("{}#DAY", keys::ws(ws))
}

/// `yyyy-mm-dd` of an instant (UTC).
pub fn day_of(ms: i64) -> String {
    util::rfc3339(ms).get(..10).unwrap_or("1970-01-01").to_string()
}

/// Amounts to add to named counters (negative to take away).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Deltas(pub Vec<(String, i64)>);

impl Deltas {
    pub fn add(mut self, name: impl Into<String>, by: i64) -> Deltas {
        if by != 0 {
            self.0.push((name.into(), by));
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What a car counts for: on sale, and its price in its currency.
    pub fn of_car(car: Option<&ListingInput>, sign: i64) -> Deltas {
        match car.filter(|c| c.status == ListingStatus::Available) {
            Some(c) => {
                let cur: String = c.currency.chars().filter(char::is_ascii_alphabetic).take(3).collect();
                Deltas::default().add("stock_available", sign).add(format!("stock_value_{}", cur.to_uppercase()), sign * c.price.max(0))
            }
            None => Deltas::default(),
        }
    }

    /// `after - before`, by name.
    pub fn between(before: Deltas, after: Deltas) -> Deltas {
        let mut sum: HashMap<String, i64> = HashMap::new();
        for (k, v) in before.0 {
            *sum.entry(k).or_default() -= v;
        }
        for (k, v) in after.0 {
            *sum.entry(k).or_default() += v;
        }
        let mut out: Vec<(String, i64)> = sum.into_iter().filter(|(_, v)| *v != 0).collect();
        out.sort();
        Deltas(out)
    }
}

/// The totals now.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Totals {
    pub stock_available: i64,
    /// By currency.
    pub stock_value: Vec<(String, i64)>,
    pub requests_live: i64,
    pub offers_new: i64,
}

/// One day's activity.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Day {
    pub day: String,
    pub leads: i64,
    pub leads_by_bot: Vec<(i64, i64)>,
    pub messages_in: i64,
    pub messages_out: i64,
}

fn num(item: &Item, name: &str) -> i64 {
    item.get(name).and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

impl Store {
    fn add_write(&self, pk: String, sk: String, d: &Deltas) -> Result<Option<TransactWriteItem>, StoreError> {
        if d.is_empty() {
            return Ok(None);
        }
        let mut expr = Vec::new();
        let mut names = HashMap::new();
        let mut values = HashMap::new();
        for (i, (k, v)) in d.0.iter().enumerate() {
            expr.push(format!("#c{i} :c{i}"));
            names.insert(format!("#c{i}"), k.clone());
            values.insert(format!(":c{i}"), AttributeValue::N(v.to_string()));
        }
        let u = Update::builder()
            .table_name(&self.table)
            .key("PK", s(pk))
            .key("SK", s(sk))
            .update_expression(format!("ADD {}", expr.join(", ")))
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(StoreError::aws)?;
        Ok(Some(TransactWriteItem::builder().update(u).build()))
    }

    /// The `STATS` update for a transaction (None when nothing changes).
    pub(crate) fn totals_write(&self, ws: &str, d: &Deltas) -> Result<Option<TransactWriteItem>, StoreError> {
        self.add_write(keys::ws(ws), "STATS".into(), d)
    }

    /// The day item's update for a transaction.
    pub(crate) fn day_write(&self, ws: &str, at_ms: i64, d: &Deltas) -> Result<Option<TransactWriteItem>, StoreError> {
        self.add_write(day_pk(ws), day_of(at_ms), d)
    }

    /// Counts the totals again from the data and stores them (for
    /// workspaces whose data predates the counters: a migration). Safe to
    /// run twice; writes that land meanwhile may need another run.
    pub async fn recount_totals(&self, ws: &str) -> Result<Totals, StoreError> {
        let mut d = Deltas::default();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.listings(ws, &crate::inventory::ListingFilter::default(), 200, cursor.as_deref()).await?;
            for l in &page.items {
                d.0.extend(Deltas::of_car(Some(&l.car), 1).0);
            }
            match page.next {
                Some(n) => cursor = Some(n),
                None => break,
            }
        }
        let live = self.live_requests(ws, false).await?;
        d = d.add("requests_live", live.len() as i64);
        for r in &live {
            let waiting = self.offers(ws, &r.id, None).await?.iter().filter(|o| o.status == cartie_domain::partners::OfferStatus::Sent).count();
            d = d.add("offers_new", waiting as i64);
        }
        let summed = Deltas::between(Deltas::default(), d);
        let mut item: Item = summed.0.iter().map(|(k, v)| (k.clone(), AttributeValue::N(v.to_string()))).collect();
        for name in ["stock_available", "requests_live", "offers_new"] {
            item.entry(name.to_string()).or_insert_with(|| AttributeValue::N("0".into()));
        }
        item.insert("PK".into(), s(keys::ws(ws)));
        item.insert("SK".into(), s("STATS"));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        self.totals(ws).await
    }

    pub async fn totals(&self, ws: &str) -> Result<Totals, StoreError> {
        let item = self.get(&keys::ws(ws), "STATS").await?.unwrap_or_default();
        let mut stock_value: Vec<(String, i64)> = item
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("stock_value_")?.to_string(), v.as_n().ok()?.parse().ok()?)))
            .filter(|(_, v): &(String, i64)| *v != 0)
            .collect();
        stock_value.sort();
        Ok(Totals {
            stock_available: num(&item, "stock_available"),
            stock_value,
            requests_live: num(&item, "requests_live"),
            offers_new: num(&item, "offers_new"),
        })
    }

    /// The last `n` UTC days up to today, oldest first (days without
    /// activity are zeros): one BatchGet.
    pub async fn days(&self, ws: &str, n: usize) -> Result<Vec<Day>, StoreError> {
        let today = util::now_ms();
        let names: Vec<String> = (0..n as i64).rev().map(|i| day_of(today - i * 86_400_000)).collect();
        let keys = names.iter().map(|d| Item::from([("PK".to_string(), s(day_pk(ws))), ("SK".to_string(), s(d.clone()))])).collect();
        let items = self.batch_get(keys).await?;
        let mut by_day: HashMap<String, Item> = HashMap::new();
        for it in items {
            if let Some(sk) = it.get("SK").and_then(|v| v.as_s().ok()).cloned() {
                by_day.insert(sk, it);
            }
        }
        Ok(names
            .into_iter()
            .map(|day| {
                let it = by_day.remove(&day).unwrap_or_default();
                let mut leads_by_bot: Vec<(i64, i64)> =
                    it.iter().filter_map(|(k, v)| Some((k.strip_prefix("leads_bot_")?.parse().ok()?, v.as_n().ok()?.parse().ok()?))).collect();
                leads_by_bot.sort();
                Day { leads: num(&it, "leads"), messages_in: num(&it, "messages_in"), messages_out: num(&it, "messages_out"), leads_by_bot, day }
            })
            .collect())
    }
}
