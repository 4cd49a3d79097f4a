//! Contact exports: a CSV of the contacts an audience holds, written by the
//! jobs worker in parts off the request path, then put in the file store.
//!
//! | PK                       | SK               | item                                        |
//! |--------------------------|------------------|---------------------------------------------|
//! | `WS#{ws}`                | `CEXPORT#{id}`   | the export: audience, progress, the file    |
//! | `WS#{ws}#CEXPORT#{id}`   | `PART#{step:05}` | one part's CSV lines and where the list goes on |
//!
//! Both expire after a week (TTL), as the file does. A part is written once
//! (a redelivered step finds it and goes on from what it recorded, so the
//! rows of a part and the cursor after it always agree); the export moves
//! under a condition on its `rev`, so a step runs its course once.

use crate::{decode, keys, util, Store, StoreError};
use cartie_domain::segments::Audience;
use serde::{Deserialize, Serialize};

/// A week, in seconds: how long an export and its file are kept.
const KEEP_SECS: i64 = 7 * 86_400;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    Running,
    Done,
    Failed,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContactExport {
    pub workspace_id: String,
    pub id: String,
    pub audience: Audience,
    pub status: ExportStatus,
    /// Rows in the parts recorded so far (all of them once done).
    pub rows: u64,
    /// The next part to write, and where the contact list goes on.
    pub step: u32,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub file_id: Option<String>,
    pub file_name: String,
    pub created_by: String,
    pub created_at_ms: i64,
    pub rev: u64,
    pub expires_at: i64,
}

impl ContactExport {
    pub fn new(ws: &str, audience: Audience, by: &str) -> ContactExport {
        let now = util::now_ms();
        ContactExport {
            workspace_id: ws.into(),
            id: util::new_id(),
            audience,
            status: ExportStatus::Running,
            rows: 0,
            step: 0,
            cursor: None,
            file_id: None,
            file_name: format!("contacts-{}.csv", &util::rfc3339(now)[..10]),
            created_by: by.into(),
            created_at_ms: now,
            rev: 0,
            expires_at: now / 1000 + KEEP_SECS,
        }
    }
}

/// One part: its CSV lines (no header), how many, and the contact list's
/// cursor after it (`None`: the last part).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExportPart {
    pub csv: String,
    pub rows: u64,
    #[serde(default)]
    pub next: Option<String>,
    pub expires_at: i64,
}

fn part_pk(ws: &str, id: &str) -> String {
    format!("{}#CEXPORT#{id}", keys::ws(ws))
}

impl Store {
    pub async fn create_contact_export(&self, e: &ContactExport) -> Result<(), StoreError> {
        self.put_contact_export(e, None).await
    }

    pub async fn contact_export(&self, ws: &str, id: &str) -> Result<Option<ContactExport>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::contact_export(id)).await
    }

    /// Writes `next` over the export if that is still at `next.rev - 1`;
    /// `Ok(false)` when another run of the step came first.
    pub async fn advance_contact_export(&self, current: &ContactExport, next: ContactExport) -> Result<bool, StoreError> {
        let next = ContactExport { rev: current.rev + 1, ..next };
        match self.put_contact_export(&next, Some(current.rev)).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub async fn export_part(&self, ws: &str, id: &str, step: u32) -> Result<Option<ExportPart>, StoreError> {
        self.get_as(&part_pk(ws, id), &format!("PART#{step:05}")).await
    }

    /// Records a part once; when it was recorded before, the earlier one
    /// stands and is returned.
    pub async fn put_export_part(&self, ws: &str, id: &str, step: u32, part: &ExportPart) -> Result<ExportPart, StoreError> {
        match self.put_at_rev(&part_pk(ws, id), &format!("PART#{step:05}"), part, None).await {
            Ok(()) => Ok(part.clone()),
            Err(StoreError::Conflict(_)) => self.export_part(ws, id, step).await?.ok_or_else(|| StoreError::Corrupt("an export part vanished".into())),
            Err(e) => Err(e),
        }
    }

    /// Every part of an export, in order.
    pub async fn export_parts(&self, ws: &str, id: &str) -> Result<Vec<ExportPart>, StoreError> {
        self.query_prefix(&part_pk(ws, id), "PART#").await?.into_iter().map(decode).collect()
    }

    async fn put_contact_export(&self, e: &ContactExport, rev: Option<u64>) -> Result<(), StoreError> {
        self.put_at_rev(&keys::ws(&e.workspace_id), &keys::contact_export(&e.id), e, rev).await
    }
}
