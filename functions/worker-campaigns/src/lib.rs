//! `worker-campaigns`: consumes the `campaigns` FIFO queue, one chunk of a
//! campaign's recipients per message, grouped by bot (so one bot's chunks
//! are sent one at a time, whatever the number of instances). The sending
//! is `cartie_bot::campaign`. A chunk that must wait (Telegram's
//! `retry_after`, quiet hours) is postponed on the queue, keeping the
//! bot's place; a redelivered chunk never sends anyone twice.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use cartie_bot::BotError;
use cartie_domain::jobs::SendChunk;
use cartie_platform::consumer::{settle, Settled, MAX_POSTPONE_SECS};
use cartie_platform::Services;

pub async fn handler(svc: &Services, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let body = message.body.as_deref().unwrap_or_default();
        let result = match serde_json::from_str::<SendChunk>(body) {
            Ok(chunk) => cartie_bot::campaign::send_chunk(svc, &chunk).await,
            Err(e) => Err(BotError::Malformed(e.to_string())),
        };
        // Waits longer than the usual postponement (a night of quiet hours,
        // an hours-long `retry_after`) keep the message on the queue too
        // (SQS allows 12 hours), so the bot keeps its place.
        if let (Err(BotError::RetryAfter(secs)), Some(receipt)) = (&result, message.receipt_handle.as_deref()) {
            if *secs > MAX_POSTPONE_SECS && svc.queues.postpone("campaigns", receipt, *secs).await.is_ok() {
                response.batch_item_failures.push(failure(&message.message_id));
                continue;
            }
        }
        if settle(svc, "campaigns", &message, result, || None).await == Settled::Retry {
            response.batch_item_failures.push(failure(&message.message_id));
        }
    }
    response
}

fn failure(id: &Option<String>) -> BatchItemFailure {
    let mut f = BatchItemFailure::default();
    f.item_identifier = id.clone().unwrap_or_default();
    f
}
