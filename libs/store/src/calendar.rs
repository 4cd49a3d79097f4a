//! The content calendar in the table: channels connected to bots, post
//! templates, posts, the calendar's time index and each car's posts.
//!
//! | PK                        | SK                     | item |
//! |---------------------------|------------------------|------|
//! | `WS#{ws}`                 | `PCHANNEL#{chat}`      | a channel or group a bot posts to (and its posting slots) |
//! | `WS#{ws}`                 | `PTEMPLATE#{id}`       | a post template |
//! | `WS#{ws}`                 | `CPOST#{id}`           | a post (GSI1: `WS#{ws}#CALENDAR` / `{due_ms:013}#{id}`, drafts `DRAFT#{id}`) |
//! | `WS#{ws}#CARPOSTS#{car}`  | `CPOST#{id}`           | a car's posts (keys only) |
//! | `WS#{ws}`                 | `CALSETTINGS`          | sold action, label, conflict window |
//!
//! Access patterns: the calendar's range is one GSI1 Query between two
//! instants (paged); a channel's neighbours for the conflict warning are
//! the same Query over the window; a sold car's posts are one Query of its
//! partition; a post moves by optimistic `rev`.

use aws_sdk_dynamodb::types::AttributeValue;
use cartie_domain::calendar::{ChannelPost, PostChannel, PostingSlot, SoldAction};
use cartie_domain::campaigns::CampaignContent;
use serde::{Deserialize, Serialize};

use crate::{decode, encode, keys, util, Item, Store, StoreError};

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

/// A post template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostTemplate {
    pub workspace_id: String,
    pub id: String,
    pub name: String,
    pub content: CampaignContent,
    pub updated_at_ms: i64,
}

/// The workspace's calendar settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarSettings {
    pub sold_action: SoldAction,
    pub sold_label: String,
    pub conflict_window_minutes: u32,
}

impl Default for CalendarSettings {
    fn default() -> CalendarSettings {
        CalendarSettings { sold_action: SoldAction::Edit, sold_label: "SOLD".into(), conflict_window_minutes: 60 }
    }
}

fn calendar_pk(ws: &str) -> String {
    format!("{}#CALENDAR", keys::ws(ws))
}

fn car_posts_pk(ws: &str, car: &str) -> String {
    format!("{}#CARPOSTS#{car}", keys::ws(ws))
}

fn post_item(p: &ChannelPost) -> Result<Item, StoreError> {
    let mut item = encode(p)?;
    item.insert("PK".into(), s(keys::ws(&p.workspace_id)));
    item.insert("SK".into(), s(format!("CPOST#{}", p.id)));
    item.insert("GSI1PK".into(), s(calendar_pk(&p.workspace_id)));
    let sort = match p.due_ms.or(p.posted_at_ms) {
        Some(ms) => format!("{ms:013}#{}", p.id),
        None => format!("DRAFT#{}", p.id),
    };
    item.insert("GSI1SK".into(), s(sort));
    Ok(item)
}

impl Store {
    // ---- channels -----------------------------------------------------------

    pub async fn save_post_channel(&self, c: &PostChannel) -> Result<(), StoreError> {
        let mut item = encode(c)?;
        item.insert("PK".into(), s(keys::ws(&c.workspace_id)));
        item.insert("SK".into(), s(format!("PCHANNEL#{}", c.id)));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    pub async fn post_channel(&self, ws: &str, id: i64) -> Result<Option<PostChannel>, StoreError> {
        self.get_as(&keys::ws(ws), &format!("PCHANNEL#{id}")).await
    }

    /// The workspace's channels (a handful: one Query).
    pub async fn post_channels(&self, ws: &str) -> Result<Vec<PostChannel>, StoreError> {
        self.query_prefix(&keys::ws(ws), "PCHANNEL#").await?.into_iter().map(decode).collect()
    }

    /// Sets a channel's weekly posting slots and their zone, leaving the
    /// rest of it as it is; `NotFound` when it is not connected (any more).
    pub async fn set_post_channel_slots(&self, ws: &str, id: i64, slots: &[PostingSlot], time_zone: &str) -> Result<(), StoreError> {
        let slots: AttributeValue = serde_dynamo::to_attribute_value(slots).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(keys::ws(ws)))
            .key("SK", s(format!("PCHANNEL#{id}")))
            .update_expression("SET #slots = :slots, #tz = :tz")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#slots", "slots")
            .expression_attribute_names("#tz", "slot_time_zone")
            .expression_attribute_values(":slots", slots)
            .expression_attribute_values(":tz", s(time_zone))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => Err(StoreError::NotFound),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    pub async fn delete_post_channel(&self, ws: &str, id: i64) -> Result<(), StoreError> {
        self.delete_existing(&keys::ws(ws), &format!("PCHANNEL#{id}")).await
    }

    // ---- templates ------------------------------------------------------------

    pub async fn save_post_template(&self, t: &PostTemplate) -> Result<(), StoreError> {
        let mut item = encode(t)?;
        item.insert("PK".into(), s(keys::ws(&t.workspace_id)));
        item.insert("SK".into(), s(format!("PTEMPLATE#{}", t.id)));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    pub async fn post_template(&self, ws: &str, id: &str) -> Result<Option<PostTemplate>, StoreError> {
        self.get_as(&keys::ws(ws), &format!("PTEMPLATE#{id}")).await
    }

    pub async fn post_templates(&self, ws: &str) -> Result<Vec<PostTemplate>, StoreError> {
        self.query_prefix(&keys::ws(ws), "PTEMPLATE#").await?.into_iter().map(decode).collect()
    }

    pub async fn delete_post_template(&self, ws: &str, id: &str) -> Result<(), StoreError> {
        self.delete_existing(&keys::ws(ws), &format!("PTEMPLATE#{id}")).await
    }

    // ---- settings -------------------------------------------------------------

    pub async fn calendar_settings(&self, ws: &str) -> Result<CalendarSettings, StoreError> {
        Ok(self.get_as(&keys::ws(ws), "CALSETTINGS").await?.unwrap_or_default())
    }

    pub async fn save_calendar_settings(&self, ws: &str, c: &CalendarSettings) -> Result<(), StoreError> {
        let mut item = encode(c)?;
        item.insert("PK".into(), s(keys::ws(ws)));
        item.insert("SK".into(), s("CALSETTINGS"));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    // ---- posts ------------------------------------------------------------------

    /// A new post (and its place among its car's posts).
    pub async fn create_post(&self, p: &ChannelPost) -> Result<(), StoreError> {
        let put = aws_sdk_dynamodb::types::Put::builder()
            .table_name(&self.table)
            .set_item(Some(post_item(p)?))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(StoreError::aws)?;
        let mut steps = vec![(aws_sdk_dynamodb::types::TransactWriteItem::builder().put(put).build(), "the post exists")];
        if let Some(car) = &p.car_id {
            let link = aws_sdk_dynamodb::types::Put::builder()
                .table_name(&self.table)
                .item("PK", s(car_posts_pk(&p.workspace_id, car)))
                .item("SK", s(format!("CPOST#{}", p.id)))
                .build()
                .map_err(StoreError::aws)?;
            steps.push((aws_sdk_dynamodb::types::TransactWriteItem::builder().put(link).build(), "the post exists"));
        }
        self.transact(steps).await
    }

    pub async fn post(&self, ws: &str, id: &str) -> Result<Option<ChannelPost>, StoreError> {
        self.get_as(&keys::ws(ws), &format!("CPOST#{id}")).await
    }

    /// Replaces a post if it is still at `p.rev` (the stored one moves to
    /// `rev + 1`); `Conflict` when it changed meanwhile.
    pub async fn save_post(&self, p: &ChannelPost) -> Result<ChannelPost, StoreError> {
        let next = ChannelPost { rev: p.rev + 1, updated_at_ms: util::now_ms(), ..p.clone() };
        let res = self
            .ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(post_item(&next)?))
            .condition_expression("attribute_exists(PK) AND rev = :rev")
            .expression_attribute_values(":rev", AttributeValue::N(p.rev.to_string()))
            .send()
            .await;
        match res {
            Ok(_) => Ok(next),
            Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => {
                Err(StoreError::Conflict("the post changed meanwhile; reload it".into()))
            }
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    pub async fn delete_post_record(&self, p: &ChannelPost) -> Result<(), StoreError> {
        self.delete_existing(&keys::ws(&p.workspace_id), &format!("CPOST#{}", p.id)).await?;
        if let Some(car) = &p.car_id {
            self.ddb
                .delete_item()
                .table_name(&self.table)
                .key("PK", s(car_posts_pk(&p.workspace_id, car)))
                .key("SK", s(format!("CPOST#{}", p.id)))
                .send()
                .await
                .map_err(StoreError::aws)?;
        }
        Ok(())
    }

    /// Posts due (or posted) between two instants, oldest first; at most
    /// `limit` (the calendar shows a month: a few hundred at most).
    pub async fn posts_between(&self, ws: &str, from_ms: i64, to_ms: i64, limit: usize) -> Result<Vec<ChannelPost>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let res = self
                .ddb
                .query()
                .table_name(&self.table)
                .index_name("GSI1")
                .key_condition_expression("GSI1PK = :pk AND GSI1SK BETWEEN :a AND :b")
                .expression_attribute_values(":pk", s(calendar_pk(ws)))
                .expression_attribute_values(":a", s(format!("{:013}", from_ms.max(0))))
                .expression_attribute_values(":b", s(format!("{:013}~", to_ms.max(0))))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(StoreError::aws)?;
            for item in res.items.unwrap_or_default() {
                out.push(decode::<ChannelPost>(item)?);
            }
            match res.last_evaluated_key {
                Some(k) if !k.is_empty() && out.len() < limit => start = Some(k),
                _ => break,
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Drafts (no time yet), newest first.
    pub async fn draft_posts(&self, ws: &str) -> Result<Vec<ChannelPost>, StoreError> {
        let res = self
            .ddb
            .query()
            .table_name(&self.table)
            .index_name("GSI1")
            .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :d)")
            .expression_attribute_values(":pk", s(calendar_pk(ws)))
            .expression_attribute_values(":d", s("DRAFT#"))
            .scan_index_forward(false)
            .limit(200)
            .send()
            .await
            .map_err(StoreError::aws)?;
        res.items.unwrap_or_default().into_iter().map(decode).collect()
    }

    /// The ids of a car's posts.
    pub async fn car_post_ids(&self, ws: &str, car: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .query_prefix(&car_posts_pk(ws, car), "CPOST#")
            .await?
            .into_iter()
            .filter_map(|i| i.get("SK").and_then(|v| v.as_s().ok()).and_then(|sk| sk.strip_prefix("CPOST#")).map(str::to_string))
            .collect())
    }
}
