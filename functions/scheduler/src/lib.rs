//! `scheduler`: run by EventBridge every minute (locally, by the dev
//! runtime's ticker). It finds due work and queues it; it never does slow
//! work itself. Today: a heartbeat through the jobs queue, so an operator
//! sees in `/api/health/deep` that schedule -> queue -> worker is alive.
//! Later modules add due channel posts, delayed scenario steps and
//! scheduled campaigns here.

use cartie_domain::jobs::Job;
use cartie_store::{util, Queues, Store, StoreError};

pub async fn tick(store: &Store, queues: &Queues) -> Result<(), StoreError> {
    store.beat("scheduler", "tick").await?;
    queues.send("jobs", &Job::Heartbeat { sent_at_ms: util::now_ms() }).await
}
