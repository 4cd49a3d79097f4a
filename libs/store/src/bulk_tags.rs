//! Tagging every contact a filter holds ("tag all 3,200 matching"): the
//! jobs worker walks the contact list under the filter in steps, tagging
//! each page, and records each step under the job's `rev`.
//!
//! | PK        | SK                | item                                          |
//! |-----------|-------------------|-----------------------------------------------|
//! | `WS#{ws}` | `CBULKTAG#{id}`   | the job: filter, tags, progress; TTL a week   |
//!
//! At least once: a step is recorded once (a second run of it finds the job
//! past it); a step that ran but whose record was lost runs again, which
//! changes nothing more (tags are set adds and deletes), so only the count
//! of contacts *changed* can come out lower than the work done, never the
//! tags wrong.

use crate::{keys, util, Store, StoreError};
use cartie_domain::segments::Audience;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const KEEP_SECS: i64 = 7 * 86_400;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BulkTag {
    pub workspace_id: String,
    pub id: String,
    pub audience: Audience,
    /// The list's search text, if the filter had one.
    #[serde(default)]
    pub q: Option<String>,
    pub add: BTreeSet<String>,
    pub remove: BTreeSet<String>,
    pub done: bool,
    /// Contacts the filter held so far, and how many of them changed.
    pub seen: u64,
    pub changed: u64,
    /// The next step, and where the contact list goes on.
    pub step: u32,
    #[serde(default)]
    pub cursor: Option<String>,
    /// "Active within N days" counts back from this instant.
    pub run_at_ms: i64,
    pub created_by: String,
    pub created_at_ms: i64,
    pub rev: u64,
    pub expires_at: i64,
}

impl BulkTag {
    pub fn new(ws: &str, audience: Audience, q: Option<String>, add: BTreeSet<String>, remove: BTreeSet<String>, by: &str) -> BulkTag {
        let now = util::now_ms();
        BulkTag {
            workspace_id: ws.into(),
            id: util::new_id(),
            audience,
            q,
            add,
            remove,
            done: false,
            seen: 0,
            changed: 0,
            step: 0,
            cursor: None,
            run_at_ms: now,
            created_by: by.into(),
            created_at_ms: now,
            rev: 0,
            expires_at: now / 1000 + KEEP_SECS,
        }
    }
}

fn sk(id: &str) -> String {
    format!("CBULKTAG#{id}")
}

impl Store {
    pub async fn create_bulk_tag(&self, b: &BulkTag) -> Result<(), StoreError> {
        self.put_at_rev(&keys::ws(&b.workspace_id), &sk(&b.id), b, None).await
    }

    pub async fn bulk_tag(&self, ws: &str, id: &str) -> Result<Option<BulkTag>, StoreError> {
        self.get_as(&keys::ws(ws), &sk(id)).await
    }

    /// Writes `next` over the job if that is still at `current.rev`;
    /// `Ok(false)` when another run of the step came first.
    pub async fn advance_bulk_tag(&self, current: &BulkTag, next: BulkTag) -> Result<bool, StoreError> {
        let next = BulkTag { rev: current.rev + 1, ..next };
        match self.put_at_rev(&keys::ws(&current.workspace_id), &sk(&current.id), &next, Some(current.rev)).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
