//! What the webhook puts on the updates queue.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// One Telegram update, claimed by the webhook, waiting for a worker.
#[derive(Debug, Serialize, Deserialize)]
pub struct QueuedUpdate {
    pub workspace_id: String,
    pub bot_id: i64,
    pub update_id: i64,
    /// The update exactly as Telegram sent it (kept raw: the webhook never
    /// parses more of it than it needs).
    pub update: Box<RawValue>,
}

impl QueuedUpdate {
    /// The SQS FIFO group: one per bot and chat, so a chat's updates stay
    /// in order and different chats run in parallel.
    pub fn group(bot_id: i64, chat_id: i64) -> String {
        format!("{bot_id}:{chat_id}")
    }

    /// The SQS deduplication id: the same update queued twice within five
    /// minutes is one message.
    pub fn dedup_id(bot_id: i64, update_id: i64) -> String {
        format!("{bot_id}:{update_id}")
    }
}
