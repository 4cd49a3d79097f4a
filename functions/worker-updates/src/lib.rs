//! `worker-updates`: consumes the FIFO updates queue (one message group per
//! bot+chat, so a chat's messages are handled in order) and hands each
//! update to the bot runtime (`cartie-bot`).
//!
//! Chats are independent: a batch's message groups run concurrently, each
//! group's messages strictly in order. When a message fails (or must wait,
//! as Telegram asked) the rest of its group is reported failed too, because
//! a later message of a chat must not overtake an earlier one; other chats
//! are unaffected. A message no retry can mend goes to the dead-letter
//! queue and its chat goes on.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use cartie_bot::{BotError, QueuedUpdate};
use cartie_domain::jobs::Job;
use cartie_platform::consumer::{settle, Parked, Settled};
use cartie_platform::Services;

pub async fn handler(svc: &Services, event: SqsEvent) -> SqsBatchResponse {
    // Group by SQS message group, keeping the batch's order within each.
    let mut groups: Vec<(String, Vec<SqsMessage>)> = Vec::new();
    for message in event.records {
        let group = message.attributes.get("MessageGroupId").cloned().unwrap_or_default();
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push(message),
            None => groups.push((group, vec![message])),
        }
    }
    let failed = futures_util::future::join_all(groups.into_iter().map(|(_, list)| handle_group(svc, list))).await;
    let mut response = SqsBatchResponse::default();
    for id in failed.into_iter().flatten() {
        let mut f = BatchItemFailure::default();
        f.item_identifier = id;
        response.batch_item_failures.push(f);
    }
    response
}

/// One chat's messages in order; returns the ids to retry.
async fn handle_group(svc: &Services, list: Vec<SqsMessage>) -> Vec<String> {
    let mut failed: Vec<String> = Vec::new();
    for message in list {
        let id = message.message_id.clone().unwrap_or_default();
        if failed.is_empty() {
            let body = message.body.as_deref().unwrap_or_default();
            let result = match serde_json::from_str::<QueuedUpdate>(body) {
                Ok(q) => cartie_bot::update::process(svc, &q).await,
                Err(e) => Err(BotError::Malformed(e.to_string())),
            };
            let park = || parked(body);
            if settle(svc, "updates", &message, result, park).await == Settled::Done {
                continue;
            }
        }
        failed.push(id);
    }
    failed
}

/// An update Telegram made wait long: processed later by the jobs worker.
fn parked(body: &str) -> Option<Parked> {
    let q: QueuedUpdate = serde_json::from_str(body).ok()?;
    let job = serde_json::to_string(&Job::ResumeUpdate { update: body.to_string() }).ok()?;
    Some(Parked { workspace_id: q.workspace_id, key: format!("UPDATE#{}#{}", q.bot_id, q.update_id), job })
}
