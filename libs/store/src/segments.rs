//! Segments: a team's saved contact filters, each with the count the jobs
//! worker last made of it and the instant that count was true of.
//!
//! | PK        | SK              | item                                         |
//! |-----------|-----------------|----------------------------------------------|
//! | `WS#{ws}` | `SEGMENT#{id}`  | name, audience, last count, the count under way |
//!
//! Access patterns: the list is Query `WS#{ws}` begins_with `SEGMENT#`
//! (at most [`MAX_SEGMENTS`], one page); one segment is GetItem.
//!
//! Counting never runs on the request path: asking for a count starts a
//! new *run* (the number goes up, the steps start at 0) and queues its
//! first step. Each step reads a few pages of the contact list under the
//! segment's filter and records the partial count and the list's cursor,
//! conditioned on the segment still being at that run and step (a `rev`
//! that every write moves). So a step delivered twice, or a step of a run
//! that an edit or a newer count replaced, changes nothing.

use crate::{decode, keys, util, Store, StoreError};
use cartie_domain::segments::{Audience, MAX_SEGMENTS};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Segment {
    pub workspace_id: String,
    pub id: String,
    pub name: String,
    pub audience: Audience,
    pub created_by: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// Moves with every write: the condition each write is made under.
    pub rev: u64,
    /// The last finished count, and the instant it was true of.
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    pub counted_at_ms: Option<i64>,
    /// The count asked for last (0: never asked).
    #[serde(default)]
    pub run: u64,
    /// A count is under way: its next step, the contacts counted so far,
    /// where the contact list goes on, the instant it counts as of.
    #[serde(default)]
    pub counting: bool,
    #[serde(default)]
    pub step: u32,
    #[serde(default)]
    pub partial: u64,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub run_at_ms: i64,
}

impl Segment {
    /// A new segment, its first count asked for (run 1, step 0).
    pub fn new(ws: &str, name: String, audience: Audience, created_by: &str) -> Segment {
        let now = util::now_ms();
        Segment {
            workspace_id: ws.into(),
            id: util::new_id(),
            name,
            audience,
            created_by: created_by.into(),
            created_at_ms: now,
            updated_at_ms: now,
            rev: 0,
            count: None,
            counted_at_ms: None,
            run: 1,
            counting: true,
            step: 0,
            partial: 0,
            cursor: None,
            run_at_ms: now,
        }
    }

    /// The same segment with a new count asked for as of now (the last
    /// finished count stays shown until the new one is done).
    pub fn recounted(self) -> Segment {
        Segment { run: self.run + 1, counting: true, step: 0, partial: 0, cursor: None, run_at_ms: util::now_ms(), ..self }
    }
}

/// What a count's step leaves behind.
pub enum CountProgress {
    /// More to read from `cursor`; the next step is `step`.
    More { step: u32, partial: u64, cursor: String },
    /// Done: the audience has `count` contacts as of the run's instant.
    Done { count: u64 },
}

impl Store {
    pub async fn segments(&self, ws: &str) -> Result<Vec<Segment>, StoreError> {
        let mut all: Vec<Segment> = self.query_prefix(&keys::ws(ws), keys::SEGMENT_PREFIX).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        all.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
        Ok(all)
    }

    pub async fn segment(&self, ws: &str, id: &str) -> Result<Option<Segment>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::segment(id)).await
    }

    /// Stores a new segment; refuses one past [`MAX_SEGMENTS`].
    pub async fn create_segment(&self, seg: &Segment) -> Result<(), StoreError> {
        if self.segments(&seg.workspace_id).await?.len() >= MAX_SEGMENTS {
            return Err(StoreError::Invalid(format!("a workspace keeps at most {MAX_SEGMENTS} segments")));
        }
        self.put_segment(seg, None).await
    }

    /// Writes `seg` over the stored one if that is still at `seg.rev`
    /// (its rev moves on); `Ok(false)` when another write came first, and
    /// `NotFound` when it is gone.
    pub async fn replace_segment(&self, seg: &Segment) -> Result<bool, StoreError> {
        let next = Segment { rev: seg.rev + 1, updated_at_ms: util::now_ms(), ..seg.clone() };
        match self.put_segment(&next, Some(seg.rev)).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict(_)) => match self.segment(&seg.workspace_id, &seg.id).await? {
                Some(_) => Ok(false),
                None => Err(StoreError::NotFound),
            },
            Err(e) => Err(e),
        }
    }

    /// Records a count's step (or its end), if the segment is still at
    /// that run and step; `Ok(false)` when it is not (done before, or
    /// replaced).
    pub async fn record_count_step(&self, seg: &Segment, progress: CountProgress) -> Result<bool, StoreError> {
        let next = match progress {
            CountProgress::More { step, partial, cursor } => Segment { step, partial, cursor: Some(cursor), rev: seg.rev + 1, ..seg.clone() },
            CountProgress::Done { count } => Segment {
                count: Some(count),
                counted_at_ms: Some(seg.run_at_ms),
                counting: false,
                step: seg.step + 1,
                partial: count,
                cursor: None,
                rev: seg.rev + 1,
                ..seg.clone()
            },
        };
        match self.put_segment(&next, Some(seg.rev)).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub async fn delete_segment(&self, ws: &str, id: &str) -> Result<(), StoreError> {
        self.delete_existing(&keys::ws(ws), &keys::segment(id)).await
    }

    async fn put_segment(&self, seg: &Segment, rev: Option<u64>) -> Result<(), StoreError> {
        self.put_at_rev(&keys::ws(&seg.workspace_id), &keys::segment(&seg.id), seg, rev).await
    }
}
