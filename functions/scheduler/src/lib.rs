//! `scheduler`: run by EventBridge every minute (locally, by the dev
//! runtime's ticker). It finds due work and queues it; it never does slow
//! work itself:
//! - a heartbeat through the jobs queue, so an operator sees in
//!   `/api/health/deep` that schedule -> queue -> worker is alive;
//! - jobs due later than SQS can delay (scenario delays over 15 minutes),
//!   kept in minute buckets (`cartie_store::due`) and queued when due.
//!
//! Later modules add due channel posts and scheduled campaigns here.

use cartie_domain::jobs::Job;
use cartie_store::due::minute;
use cartie_store::{util, Queues, Store, StoreError};

/// At most this many minutes are caught up in one tick after an outage, so
/// a tick stays short; the next ticks take the rest.
const CATCH_UP_MINUTES: i64 = 120;

/// Minute buckets read at the same time while catching up.
const READ_AT_ONCE: usize = 16;

pub async fn tick(store: &Store, queues: &Queues) -> Result<(), StoreError> {
    store.beat("scheduler", "tick").await?;
    queues.send("jobs", &Job::Heartbeat { sent_at_ms: util::now_ms() }).await?;
    move_due(store, queues, util::now_ms()).await.map(|_| ())
}

/// Queues every job due up to `now_ms`'s minute, each with the SQS delay
/// left until its exact time; returns how many. A crash between queuing and
/// deleting queues a job again on the next tick, which its worker ignores.
pub async fn move_due(store: &Store, queues: &Queues, now_ms: i64) -> Result<usize, StoreError> {
    let now = minute(now_ms);
    let from = match store.scheduler_cursor().await? {
        Some(c) => c + 1,
        None => now - 1,
    };
    let until = now.min(from + CATCH_UP_MINUTES - 1);
    let mut moved = 0;
    // Minutes are read a batch at a time (most are empty), then queued in
    // order; the cursor moves past a batch once all its jobs are queued (a
    // crash re-queues a batch, which the jobs' workers take in their stride).
    let minutes: Vec<i64> = (from..=until).collect();
    for batch in minutes.chunks(READ_AT_ONCE) {
        let read = futures_util::future::join_all(batch.iter().map(|m| store.due_in_minute(*m))).await;
        for due in read {
            for d in due? {
                let delay = ((d.due_ms - now_ms).max(0) / 1000).min(900) as u32;
                let job: Job = match serde_json::from_str(&d.job) {
                    Ok(j) => j,
                    Err(e) => {
                        tracing::error!(error = %e, sk = %d.sk, "a due job does not parse; dropped");
                        store.remove_due(&d).await?;
                        continue;
                    }
                };
                queues.send_delayed("jobs", &job, delay).await?;
                store.remove_due(&d).await?;
                moved += 1;
            }
        }
        if let Some(last) = batch.last() {
            store.set_scheduler_cursor(*last).await?;
        }
    }
    Ok(moved)
}
