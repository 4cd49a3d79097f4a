//! `worker-jobs`: consumes the `jobs` queue. Reports failures per message
//! (`ReportBatchItemFailures`), so one bad message is retried alone and, after
//! `maxReceiveCount`, lands in the DLQ; the rest of the batch is not redone.
//! Every job must be safe to run twice (SQS delivers at least once).

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use cartie_domain::jobs::Job;
use cartie_apikit::Services;
use cartie_store::util;

pub async fn handler(svc: &Services, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let id = message.message_id.clone().unwrap_or_default();
        if let Err(why) = handle(svc, &message).await {
            tracing::warn!(message_id = %id, error = %why, "job failed; SQS will retry it");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

async fn handle(svc: &Services, message: &SqsMessage) -> Result<(), String> {
    let body = message.body.as_deref().unwrap_or_default();
    let job: Job = serde_json::from_str(body).map_err(|e| format!("not a job: {e}"))?;
    match job {
        // Idempotent: a heartbeat only overwrites "last seen".
        Job::Heartbeat { sent_at_ms } => {
            let lag = (util::now_ms() - sent_at_ms).max(0);
            svc.store.beat("jobs-worker", &format!("queue lag {lag} ms")).await.map_err(|e| e.to_string())
        }
        // Idempotent: the session remembers the timer it answered.
        Job::ScenarioTimer { workspace_id, bot_id, chat_id, token, due_ms } => {
            worker_updates::scenario::on_timer(svc, &workspace_id, bot_id, chat_id, token, due_ms).await
        }
    }
}
