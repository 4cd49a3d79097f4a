//! How a queue consumer settles one message after trying it, the same way
//! for every worker: done; a failure worth retrying (SQS redelivers it
//! after its visibility timeout, into the DLQ after `maxReceiveCount`); a
//! wait Telegram asked for (the message stays hidden that long, keeping its
//! place in a FIFO group, or for waits longer than a queue should hold it,
//! is parked in the scheduler's due buckets); or a failure no retry can
//! mend (straight to the dead-letter queue, logged, so it does not block
//! its chat five times over).

use crate::Services;
use aws_lambda_events::event::sqs::SqsMessage;
use cartie_store::util;

/// What a worker's error says about trying again.
pub trait WorkError: std::fmt::Display {
    fn retryable(&self) -> bool;
    /// A wait the far side asked for (Telegram's `retry_after`).
    fn wait_secs(&self) -> Option<u32>;
}

/// Waits up to this long keep the message hidden on its queue; longer ones
/// are parked in the scheduler's buckets.
pub const MAX_POSTPONE_SECS: u32 = 900;

/// Where a parked message goes: the workspace, a key unique to it, and the
/// job (JSON) the scheduler queues when the wait is over.
pub struct Parked {
    pub workspace_id: String,
    pub key: String,
    pub job: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Delete it from the queue.
    Done,
    /// Report it failed, so SQS delivers it again.
    Retry,
}

/// Settles `message` from `queue` after `result`. `park` says how to park
/// it when the wait is too long for the queue.
pub async fn settle<E: WorkError>(
    svc: &Services,
    queue: &'static str,
    message: &SqsMessage,
    result: Result<(), E>,
    park: impl FnOnce() -> Option<Parked>,
) -> Settled {
    let id = message.message_id.as_deref().unwrap_or_default();
    let Err(e) = result else { return Settled::Done };
    if let Some(secs) = e.wait_secs() {
        if secs <= MAX_POSTPONE_SECS {
            match message.receipt_handle.as_deref() {
                Some(receipt) => match svc.queues.postpone(queue, receipt, secs).await {
                    Ok(()) => tracing::info!(message_id = id, secs, "waiting as Telegram asked; the message comes back then"),
                    Err(err) => tracing::warn!(message_id = id, error = %err, "could not postpone; SQS retries after the visibility timeout"),
                },
                None => tracing::warn!(message_id = id, "no receipt handle to postpone with"),
            }
            return Settled::Retry;
        }
        if let Some(p) = park() {
            let due_ms = util::now_ms() + i64::from(secs) * 1000;
            match svc.store.schedule_due(&p.workspace_id, &p.key, due_ms, &p.job).await {
                Ok(()) => {
                    tracing::warn!(message_id = id, secs, "Telegram asks for a long wait; parked until then");
                    return Settled::Done;
                }
                Err(err) => tracing::warn!(message_id = id, error = %err, "could not park; SQS retries it"),
            }
        }
        return Settled::Retry;
    }
    if e.retryable() {
        tracing::warn!(message_id = id, error = %e, "failed; SQS will retry it");
        return Settled::Retry;
    }
    tracing::error!(message_id = id, error = %e, "failed for good; moved to the dead-letter queue");
    let group = message.attributes.get("MessageGroupId").map(String::as_str);
    match svc.queues.to_dead_letters(queue, message.body.as_deref().unwrap_or_default(), group).await {
        Ok(()) => Settled::Done,
        // Not even the DLQ answers: let SQS take it there after its retries.
        Err(err) => {
            tracing::warn!(message_id = id, error = %err, "could not reach the dead-letter queue");
            Settled::Retry
        }
    }
}
