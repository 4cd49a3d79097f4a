//! Messages on the `jobs` queue. One enum so the producer and the worker
//! cannot disagree on a shape; unknown kinds fail to parse and go to the DLQ.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Sent by the scheduler each tick; the worker records that it ran, so
    /// `/api/health/deep` shows the whole schedule -> queue -> worker path
    /// is alive.
    Heartbeat { sent_at_ms: i64 },
}
