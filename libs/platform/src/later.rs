//! Work for later: a job queued with the SQS delay when it is due within
//! 15 minutes, else kept in the scheduler's minute buckets
//! (`cartie_store::due`) until its minute. Every job must be safe to run
//! twice and check, when it runs, that it is still wanted and not early.

use crate::Services;
use cartie_domain::jobs::Job;
use cartie_store::{util, StoreError};

/// Runs `job` at `due_ms` (by the one clock); `key` makes a repeated
/// schedule of the same thing one bucket item.
pub async fn schedule(svc: &Services, ws: &str, key: &str, due_ms: i64, job: &Job) -> Result<(), StoreError> {
    let secs = ((due_ms - util::now_ms()).max(0) + 999) / 1000;
    if secs <= 900 {
        svc.queues.send_delayed("jobs", job, secs as u32).await
    } else {
        let job = serde_json::to_string(job).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        svc.store.schedule_due(ws, key, due_ms, &job).await
    }
}
