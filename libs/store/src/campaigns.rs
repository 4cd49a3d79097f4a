//! Campaigns and their recipients.
//!
//! | PK                     | SK                     | item                                         |
//! |------------------------|------------------------|----------------------------------------------|
//! | `WS#{ws}`              | `CAMPAIGN#{id}`        | the campaign: message, audience, bots, status, plan, counters |
//! | `WS#{ws}#CAMP#{id}`    | `CHUNK#{bot}#{n:06}`   | ≤ 100 recipients of one bot, one outcome letter each, `done`/`claimed` |
//! | `WS#{ws}`              | `BOTPACE#{bot}`        | live sends of the bot so far (a counter the campaign sender reads to yield) |
//!
//! Recipients live in their campaign's own partition, out of the
//! workspace's hot one, a hundred per item: a snapshot of 20,000 costs 200
//! items (8 BatchWriteItem calls).
//!
//! Exactly once. A sender owns a chunk through `claimed`: before sending
//! recipients `[i, i+k)` it moves `claimed` from `i` to `i+k` — in the same
//! transaction that records the outcomes of the previous batch (`done = i`)
//! and adds them to the campaign's counters (which also checks the campaign
//! is still running). So one storage call covers k recipients. A sender
//! that dies leaves `claimed > done`: whoever takes the chunk next marks
//! `[done, claimed)` *unknown* — maybe sent, never sent again — and goes
//! on. A redelivered chunk whose sender is alive cannot double-send either:
//! every write is conditional on `claimed` being what the writer set.

use crate::inbox::Page;
use crate::{cursor, decode, encode, keys, util, Item, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, ReturnValue, TransactWriteItem, Update, WriteRequest};
use cartie_domain::campaigns::{CampaignContent, CampaignStatus, Outcome, QuietHours};
use cartie_domain::segments::Audience;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Recipients per chunk item.
pub const CHUNK_SIZE: usize = 100;
/// How long a live send waits while a campaign of its bot is sending: a
/// little more than between two of the campaign's records.
pub const LIVE_GIVE_WAY_MS: u64 = 650;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Campaign {
    pub workspace_id: String,
    pub id: String,
    pub name: String,
    pub content: CampaignContent,
    /// The segment it was aimed at (`None`: every contact).
    #[serde(default)]
    pub segment_id: Option<String>,
    /// The segment's filter, copied when the campaign starts.
    #[serde(default)]
    pub audience: Audience,
    pub bot_ids: Vec<i64>,
    /// Bots that send with `allow_paid_broadcast` (up to 1,000 msg/s).
    #[serde(default)]
    pub paid_bot_ids: Vec<i64>,
    pub time_zone: String,
    /// A scheduled start: the wall-clock time as the dealer gave it, and
    /// the instant it is in `time_zone`.
    #[serde(default)]
    pub send_at_local: Option<String>,
    #[serde(default)]
    pub send_at_ms: Option<i64>,
    #[serde(default)]
    pub quiet_hours: Option<QuietHours>,
    pub status: CampaignStatus,
    pub created_by: String,
    pub created_at_ms: i64,
    #[serde(default)]
    pub updated_at_ms: i64,
    /// Snapshot progress: the next step and where the contact list goes on.
    #[serde(default)]
    pub plan_step: u32,
    #[serde(default)]
    pub plan_cursor: Option<String>,
    /// Chunks written per bot (bot id as text).
    #[serde(default)]
    pub chunks: BTreeMap<String, u32>,
    /// The chunk each bot is at.
    #[serde(default)]
    pub at_chunk: BTreeMap<String, u32>,
    /// A string set, grown with ADD (absent until the first bot is done).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub bots_done: BTreeSet<String>,
    /// Telegram's `file_id`s of the media, per bot (a file_id belongs to
    /// one bot): uploaded by the first send, re-sent after.
    #[serde(default)]
    pub file_ids: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub sent: u64,
    #[serde(default)]
    pub failed: u64,
    #[serde(default)]
    pub blocked: u64,
    #[serde(default)]
    pub unknown: u64,
    #[serde(default)]
    pub started_at_ms: Option<i64>,
    #[serde(default)]
    pub finished_at_ms: Option<i64>,
    /// Time spent running before the current run (pauses left out), and
    /// when the current run began: the rate counts running time only.
    #[serde(default)]
    pub active_ms: i64,
    #[serde(default)]
    pub running_since_ms: Option<i64>,
    pub rev: u64,
}

impl Campaign {
    pub fn processed(&self) -> u64 {
        self.sent + self.failed + self.blocked + self.unknown
    }
    pub fn pending(&self) -> u64 {
        self.total.saturating_sub(self.processed())
    }
    /// Running time so far, in ms.
    pub fn running_ms(&self, now_ms: i64) -> i64 {
        self.active_ms + self.running_since_ms.map_or(0, |s| (now_ms - s).max(0))
    }
    pub fn is_paid(&self, bot_id: i64) -> bool {
        self.paid_bot_ids.contains(&bot_id)
    }
}

/// One recipient as snapshotted: their chat, the name the report shows and
/// the variables the message uses.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Recipient {
    #[serde(rename = "c")]
    pub chat_id: i64,
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "v", default)]
    pub vars: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Chunk {
    pub workspace_id: String,
    pub campaign_id: String,
    pub bot_id: i64,
    pub n: u32,
    pub recipients: Vec<Recipient>,
    /// One [`Outcome`] letter per recipient.
    pub outcomes: String,
    /// Recipients recorded, and claimed by a sender (`claimed ≥ done`).
    pub done: u32,
    pub claimed: u32,
    /// Why a send failed, by recipient index.
    #[serde(default)]
    pub errors: BTreeMap<String, String>,
}

impl Chunk {
    pub fn new(ws: &str, campaign_id: &str, bot_id: i64, n: u32, recipients: Vec<Recipient>) -> Chunk {
        let outcomes = std::iter::repeat_n(Outcome::Pending.letter(), recipients.len()).collect();
        Chunk { workspace_id: ws.into(), campaign_id: campaign_id.into(), bot_id, n, recipients, outcomes, done: 0, claimed: 0, errors: BTreeMap::new() }
    }
    pub fn len(&self) -> u32 {
        self.recipients.len() as u32
    }
    pub fn is_empty(&self) -> bool {
        self.recipients.is_empty()
    }
    pub fn outcome(&self, i: usize) -> Outcome {
        self.outcomes.chars().nth(i).map_or(Outcome::Pending, Outcome::from_letter)
    }
}

/// Counters a record adds to the campaign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub sent: u64,
    pub failed: u64,
    pub blocked: u64,
    pub unknown: u64,
}

impl Tally {
    pub fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Sent => self.sent += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Blocked => self.blocked += 1,
            Outcome::Unknown => self.unknown += 1,
            Outcome::Pending => {}
        }
    }
    pub fn is_zero(&self) -> bool {
        *self == Tally::default()
    }
}

/// A sender's record of its chunk: outcomes so far and its next claim.
pub struct Record<'a> {
    pub chunk: &'a Chunk,
    /// `claimed` as this sender last wrote it (or read it).
    pub expect_claimed: u32,
    pub done: u32,
    pub claimed: u32,
    pub outcomes: &'a str,
    pub errors: &'a BTreeMap<String, String>,
    pub tally: Tally,
    /// Only while the campaign is running (else the record is written and
    /// the answer is [`Recorded::Stopped`]).
    pub while_running: bool,
    /// The chunk is finished: the bot moves on to chunk `n + 1`.
    pub finished: bool,
    /// The bot's live-send count as the sender last saw it, and until when
    /// live sends should give the campaign a moment (see `note_live_send`):
    /// the record fails as [`Recorded::LiveChanged`] when live sends came.
    pub pace: Option<(u64, i64)>,
}

#[derive(Debug, PartialEq)]
pub enum Recorded {
    Ok,
    /// The campaign is no longer running (paused, cancelled): nothing was
    /// claimed, so the sender stops.
    Stopped,
    /// Another sender took the chunk over: this one stops at once.
    LostClaim,
    /// Live sends came since the sender last looked: nothing was written;
    /// it reads the count, gives way, and records again.
    LiveChanged,
}

fn campaign_sk(id: &str) -> String {
    format!("CAMPAIGN#{id}")
}
pub fn chunk_pk(ws: &str, campaign_id: &str) -> String {
    format!("WS#{ws}#CAMP#{campaign_id}")
}
fn chunk_sk(bot_id: i64, n: u32) -> String {
    format!("CHUNK#{bot_id}#{n:06}")
}
fn pace_sk(bot_id: i64) -> String {
    format!("BOTPACE#{bot_id}")
}
fn n(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}
fn key(pk: String, sk: String) -> Item {
    HashMap::from([("PK".to_string(), AttributeValue::S(pk)), ("SK".to_string(), AttributeValue::S(sk))])
}
fn is_condition_failed<E: aws_sdk_dynamodb::error::ProvideErrorMetadata>(e: &aws_sdk_dynamodb::error::SdkError<E>) -> bool {
    e.as_service_error().and_then(|x| x.code()) == Some("ConditionalCheckFailedException")
}

impl Store {
    pub async fn create_campaign(&self, c: &Campaign) -> Result<(), StoreError> {
        self.put_at_rev(&keys::ws(&c.workspace_id), &campaign_sk(&c.id), c, None).await
    }

    pub async fn campaign(&self, ws: &str, id: &str) -> Result<Option<Campaign>, StoreError> {
        self.get_as(&keys::ws(ws), &campaign_sk(id)).await
    }

    /// Newest first, a page at a time (one Query).
    pub async fn campaigns(&self, ws: &str, limit: i32, after: Option<&str>) -> Result<Page<Campaign>, StoreError> {
        let start = match after {
            Some(c) => Some(key(keys::ws(ws), campaign_sk(&cursor::decode_id(c)?))),
            None => None,
        };
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", s(&keys::ws(ws)))
            .expression_attribute_values(":p", s("CAMPAIGN#"))
            .scan_index_forward(false)
            .limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let items: Vec<Campaign> = out.items.unwrap_or_default().into_iter().map(decode).collect::<Result<_, _>>()?;
        let next = out.last_evaluated_key.filter(|k| !k.is_empty()).and_then(|_| items.last().map(|c| cursor::encode_id(&c.id)));
        Ok(Page { items, next })
    }

    /// Writes `next` over the campaign if it is still at `current.rev`
    /// (edits, status changes, plan steps); `Conflict` when it changed.
    pub async fn replace_campaign(&self, current: &Campaign, next: Campaign) -> Result<Campaign, StoreError> {
        let next = Campaign { rev: current.rev + 1, updated_at_ms: util::now_ms(), ..next };
        self.put_at_rev(&keys::ws(&current.workspace_id), &campaign_sk(&current.id), &next, Some(current.rev)).await?;
        Ok(next)
    }

    /// Moves a running campaign's status (pause, resume, cancel) with one
    /// conditional update that leaves its counters alone (senders add to
    /// them meanwhile). `Conflict` when it is not in one of `from`.
    pub async fn set_campaign_status(&self, ws: &str, id: &str, from: &[CampaignStatus], to: CampaignStatus) -> Result<Campaign, StoreError> {
        let now = util::now_ms();
        let names = HashMap::from([("#st".to_string(), "status".to_string())]);
        let mut values =
            HashMap::from([(":to".to_string(), s(to.as_str())), (":now".to_string(), AttributeValue::N(now.to_string())), (":one".to_string(), n(1))]);
        let allowed: Vec<String> = from
            .iter()
            .enumerate()
            .map(|(i, f)| {
                values.insert(format!(":f{i}"), s(f.as_str()));
                format!(":f{i}")
            })
            .collect();
        // The rate counts running time only: a run's start is kept, and
        // when it ends its length is added to `active_ms` (below).
        let expr = match to {
            CampaignStatus::Running => "SET #st = :to, updated_at_ms = :now, running_since_ms = :now ADD rev :one",
            CampaignStatus::Paused | CampaignStatus::Cancelled | CampaignStatus::Finished => {
                "SET #st = :to, updated_at_ms = :now REMOVE running_since_ms ADD rev :one"
            }
            _ => "SET #st = :to, updated_at_ms = :now ADD rev :one",
        };
        let out = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), campaign_sk(id))))
            .update_expression(expr)
            .condition_expression(format!("attribute_exists(PK) AND #st IN ({})", allowed.join(", ")))
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        let old: Campaign = match out {
            Ok(o) => decode(o.attributes.unwrap_or_default())?,
            Err(e) if is_condition_failed(&e) => return Err(StoreError::Conflict("the campaign is not in a state that allows this".into())),
            Err(e) => return Err(StoreError::aws(e)),
        };
        // The running time of the run that just ended.
        if let (Some(since), CampaignStatus::Paused | CampaignStatus::Cancelled | CampaignStatus::Finished) = (old.running_since_ms, to) {
            self.ddb
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key(keys::ws(ws), campaign_sk(id))))
                .update_expression("ADD active_ms :d")
                .expression_attribute_values(":d", AttributeValue::N((now - since).max(0).to_string()))
                .send()
                .await
                .map_err(StoreError::aws)?;
        }
        self.campaign(ws, id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn delete_campaign(&self, ws: &str, id: &str) -> Result<(), StoreError> {
        self.delete_existing(&keys::ws(ws), &campaign_sk(id)).await
    }

    /// Writes a snapshot's chunks (25 per BatchWriteItem). Chunks are
    /// written before the campaign runs, so a step that runs twice writes
    /// the same chunks again before any of them is sent.
    pub async fn put_chunks(&self, chunks: &[Chunk]) -> Result<(), StoreError> {
        let mut writes = Vec::with_capacity(chunks.len());
        for c in chunks {
            let mut item = encode(c)?;
            item.insert("PK".into(), s(&chunk_pk(&c.workspace_id, &c.campaign_id)));
            item.insert("SK".into(), s(&chunk_sk(c.bot_id, c.n)));
            writes.push(WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().map_err(StoreError::aws)?).build());
        }
        self.batch_write(writes).await
    }

    pub async fn chunk(&self, ws: &str, campaign_id: &str, bot_id: i64, n: u32) -> Result<Option<Chunk>, StoreError> {
        self.get_as(&chunk_pk(ws, campaign_id), &chunk_sk(bot_id, n)).await
    }

    /// A page of a campaign's chunks in order (bot, then number).
    pub async fn chunks(&self, ws: &str, campaign_id: &str, limit: i32, after: Option<&str>) -> Result<Page<Chunk>, StoreError> {
        let pk = chunk_pk(ws, campaign_id);
        let start = cursor::start_key(after, "PK", &pk)?;
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", s(&pk))
            .expression_attribute_values(":p", s("CHUNK#"))
            .limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let items = out.items.unwrap_or_default().into_iter().map(decode).collect::<Result<Vec<Chunk>, _>>()?;
        Ok(Page { items, next: out.last_evaluated_key.and_then(|k| cursor::encode_key(&k)) })
    }

    /// Records a sender's progress on its chunk and its next claim, and
    /// adds the outcomes to the campaign's counters: one transaction.
    pub async fn record_chunk(&self, r: Record<'_>) -> Result<Recorded, StoreError> {
        let c = r.chunk;
        let errors: HashMap<String, AttributeValue> = r.errors.iter().map(|(k, v)| (k.clone(), s(v))).collect();
        let chunk_update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(chunk_pk(&c.workspace_id, &c.campaign_id), chunk_sk(c.bot_id, c.n))))
            // Names through placeholders: several are DynamoDB reserved words.
            .update_expression("SET #done = :d, #claimed = :c, #outcomes = :o, #errors = :e")
            .condition_expression("#claimed = :expect")
            .expression_attribute_names("#done", "done")
            .expression_attribute_names("#claimed", "claimed")
            .expression_attribute_names("#outcomes", "outcomes")
            .expression_attribute_names("#errors", "errors")
            .expression_attribute_values(":d", n(u64::from(r.done)))
            .expression_attribute_values(":c", n(u64::from(r.claimed)))
            .expression_attribute_values(":o", s(r.outcomes))
            .expression_attribute_values(":e", AttributeValue::M(errors))
            .expression_attribute_values(":expect", n(u64::from(r.expect_claimed)))
            .build()
            .map_err(StoreError::aws)?;
        let t = r.tally;
        let mut expr = "ADD #sent :s, #failed :f, #blocked :b, #unknown :u".to_string();
        let mut camp = Update::builder()
            .table_name(&self.table)
            .expression_attribute_names("#sent", "sent")
            .expression_attribute_names("#failed", "failed")
            .expression_attribute_names("#blocked", "blocked")
            .expression_attribute_names("#unknown", "unknown")
            .set_key(Some(key(keys::ws(&c.workspace_id), campaign_sk(&c.campaign_id))))
            .expression_attribute_values(":s", n(t.sent))
            .expression_attribute_values(":f", n(t.failed))
            .expression_attribute_values(":b", n(t.blocked))
            .expression_attribute_values(":u", n(t.unknown));
        if r.finished {
            expr = format!("SET at_chunk.#bot = :next {expr}");
            camp = camp.expression_attribute_names("#bot", c.bot_id.to_string()).expression_attribute_values(":next", n(u64::from(c.n) + 1));
        }
        if r.while_running {
            camp = camp
                .condition_expression("#st = :running")
                .expression_attribute_names("#st", "status")
                .expression_attribute_values(":running", s(CampaignStatus::Running.as_str()));
        }
        let camp = camp.update_expression(expr).build().map_err(StoreError::aws)?;
        let mut items = vec![TransactWriteItem::builder().update(chunk_update).build(), TransactWriteItem::builder().update(camp).build()];
        if let Some((seen, busy_until)) = r.pace {
            // The pace item: the sender says it is busy, and finds out in
            // the same request whether live sends came (no extra read).
            let pace = Update::builder()
                .table_name(&self.table)
                .set_key(Some(key(keys::ws(&c.workspace_id), pace_sk(c.bot_id))))
                .update_expression("SET busy_until_ms = :busy")
                .condition_expression("attribute_not_exists(live) OR live = :seen")
                .expression_attribute_values(":busy", AttributeValue::N(busy_until.to_string()))
                .expression_attribute_values(":seen", n(seen))
                .build()
                .map_err(StoreError::aws)?;
            items.push(TransactWriteItem::builder().update(pace).build());
        }
        // A transaction that meets another on the campaign item is
        // cancelled as a conflict: tried again a few times.
        for attempt in 0..5 {
            match self.ddb.transact_write_items().set_transact_items(Some(items.clone())).send().await {
                Ok(_) => return Ok(Recorded::Ok),
                Err(e) => {
                    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
                    if let Some(TransactWriteItemsError::TransactionCanceledException(x)) = e.as_service_error() {
                        let codes: Vec<Option<&str>> = x.cancellation_reasons().iter().map(|r| r.code()).collect();
                        if codes.first().copied().flatten() == Some("ConditionalCheckFailed") {
                            return Ok(Recorded::LostClaim);
                        }
                        if codes.get(1).copied().flatten() == Some("ConditionalCheckFailed") {
                            return Ok(Recorded::Stopped);
                        }
                        if codes.get(2).copied().flatten() == Some("ConditionalCheckFailed") {
                            return Ok(Recorded::LiveChanged);
                        }
                        if attempt < 4 {
                            tokio::time::sleep(std::time::Duration::from_millis(20 * (attempt + 1))).await;
                            continue;
                        }
                    }
                    return Err(StoreError::aws(e));
                }
            }
        }
        Err(StoreError::Contended("the campaign kept changing".into()))
    }

    /// Remembers the media's `file_id`s for a bot (uploaded once per bot).
    pub async fn set_campaign_file_ids(&self, ws: &str, id: &str, bot_id: i64, file_ids: &[String]) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), campaign_sk(id))))
            .update_expression("SET file_ids.#bot = :ids")
            .expression_attribute_names("#bot", bot_id.to_string())
            .expression_attribute_values(":ids", AttributeValue::L(file_ids.iter().map(|f| s(f)).collect()))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// A bot sent its last chunk. When every bot with recipients is done
    /// (and the campaign still runs), the campaign is finished: returns it
    /// then, once (the update that finishes it is conditional).
    pub async fn finish_campaign_bot(&self, ws: &str, id: &str, bot_id: i64) -> Result<Option<Campaign>, StoreError> {
        let out = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), campaign_sk(id))))
            .update_expression("ADD bots_done :b")
            .expression_attribute_values(":b", AttributeValue::Ss(vec![bot_id.to_string()]))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let c: Campaign = decode(out.attributes.unwrap_or_default())?;
        let all = c.chunks.iter().filter(|(_, n)| **n > 0).all(|(b, _)| c.bots_done.contains(b));
        if !all || c.status != CampaignStatus::Running {
            return Ok(None);
        }
        match self.set_campaign_status(ws, id, &[CampaignStatus::Running], CampaignStatus::Finished).await {
            Ok(done) => {
                self.ddb
                    .update_item()
                    .table_name(&self.table)
                    .set_key(Some(key(keys::ws(ws), campaign_sk(id))))
                    .update_expression("SET finished_at_ms = :now")
                    .expression_attribute_values(":now", AttributeValue::N(util::now_ms().to_string()))
                    .send()
                    .await
                    .map_err(StoreError::aws)?;
                Ok(Some(done))
            }
            Err(StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Counts one live send of the bot (a reply, a scenario message) before
    /// it goes. Returns until when a campaign of the bot is sending (none:
    /// no campaign): the live send then waits [`LIVE_GIVE_WAY_MS`], in which
    /// the campaign's next record sees the count and leaves it a slot.
    pub async fn note_live_send(&self, ws: &str, bot_id: i64) -> Result<Option<i64>, StoreError> {
        let out = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::ws(ws), pace_sk(bot_id))))
            .update_expression("ADD live :one")
            .expression_attribute_values(":one", n(1))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(StoreError::aws)?;
        let busy = out.attributes.and_then(|a| a.get("busy_until_ms").and_then(|v| v.as_n().ok()).and_then(|v| v.parse::<i64>().ok()));
        Ok(busy.filter(|b| *b > util::now_ms()))
    }

    /// The bot's live sends so far (a counter that only grows).
    pub async fn live_sends(&self, ws: &str, bot_id: i64) -> Result<u64, StoreError> {
        Ok(self.get(&keys::ws(ws), &pace_sk(bot_id)).await?.and_then(|it| it.get("live").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok())).unwrap_or(0))
    }
}
