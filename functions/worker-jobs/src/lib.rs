//! `worker-jobs`: consumes the `jobs` queue. Reports failures per message
//! (`ReportBatchItemFailures`), so one bad message is retried alone and, after
//! `maxReceiveCount`, lands in the DLQ; the rest of the batch is not redone.
//! Every job must be safe to run twice (SQS delivers at least once).
//! Jobs: heartbeats, scenario timers, resumed updates, and car photos'
//! resized variants ([`variants`]), snoozed conversations waking up, stock
//! feed imports ([`stock_import`]), segment counts ([`segment_count`]), contact CSV exports ([`contact_export`]).

pub mod bulk_tag;
pub mod campaign_plan;
pub mod contact_export;
pub mod contact_import;
pub mod segment_count;
pub mod stock_import;
pub mod variants;

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use cartie_bot::{BotError, QueuedUpdate};
use cartie_domain::jobs::Job;
use cartie_platform::consumer::{settle, Parked, Settled};
use cartie_platform::Services;
use cartie_store::erase::EraseProgress;
use cartie_store::util;

pub async fn handler(svc: &Services, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let body = message.body.as_deref().unwrap_or_default();
        let job = serde_json::from_str::<Job>(body).map_err(|e| BotError::Malformed(e.to_string()));
        let result = match &job {
            Ok(job) => handle(svc, job).await,
            Err(e) => Err(BotError::Malformed(e.to_string())),
        };
        let park = || {
            let job = job.as_ref().ok()?;
            Some(Parked { workspace_id: workspace_of(job)?, key: format!("JOB#{}", util::sha256_hex(body)), job: body.to_string() })
        };
        if settle(svc, "jobs", &message, result, park).await == Settled::Retry {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = message.message_id.clone().unwrap_or_default();
            response.batch_item_failures.push(failure);
        }
    }
    response
}

/// The workspace a job works for (where a parked job is filed).
fn workspace_of(job: &Job) -> Option<String> {
    match job {
        Job::Heartbeat { .. } => None,
        Job::ScenarioTimer { workspace_id, .. } => Some(workspace_id.clone()),
        Job::ResumeUpdate { update } => serde_json::from_str::<QueuedUpdate>(update).ok().map(|q| q.workspace_id),
        Job::MakeVariants { workspace_id, .. } => Some(workspace_id.clone()),
        Job::Notify { event } => Some(event.workspace_id.clone()),
        Job::WakeConversation { workspace_id, .. } => Some(workspace_id.clone()),
        Job::ImportStock { workspace_id, .. } => Some(workspace_id.clone()),
        Job::SendPasswordReset { workspace_id, .. } => Some(workspace_id.clone()),
        Job::CountSegment { workspace_id, .. } => Some(workspace_id.clone()),
        Job::ExportContacts { workspace_id, .. } => Some(workspace_id.clone()),
        Job::EraseContact { workspace_id, .. } => Some(workspace_id.clone()),
        Job::ImportContacts { workspace_id, .. } => Some(workspace_id.clone()),
        Job::TagContacts { workspace_id, .. } => Some(workspace_id.clone()),
        Job::StartCampaign { workspace_id, .. } | Job::PlanCampaign { workspace_id, .. } => Some(workspace_id.clone()),
        Job::PublishPost { workspace_id, .. } | Job::AutoDeletePost { workspace_id, .. } | Job::CarSold { workspace_id, .. } => Some(workspace_id.clone()),
        Job::MatchRequest { workspace_id, .. } | Job::MatchCar { workspace_id, .. } | Job::ExpireRequest { workspace_id, .. } => Some(workspace_id.clone()),
    }
}

async fn handle(svc: &Services, job: &Job) -> Result<(), BotError> {
    match job {
        // Idempotent: a heartbeat only overwrites "last seen".
        Job::Heartbeat { sent_at_ms } => {
            let lag = (util::now_ms() - sent_at_ms).max(0);
            Ok(svc.store.beat("jobs-worker", &format!("queue lag {lag} ms")).await?)
        }
        // Idempotent: the session remembers the timer it answered.
        Job::ScenarioTimer { workspace_id, bot_id, chat_id, token, due_ms } => {
            cartie_bot::scenario::on_timer(svc, workspace_id, *bot_id, *chat_id, *token, *due_ms).await
        }
        // Idempotent: the update's own records say what is left.
        Job::ResumeUpdate { update } => {
            let q: QueuedUpdate = serde_json::from_str(update).map_err(|e| BotError::Malformed(e.to_string()))?;
            cartie_bot::update::process(svc, &q).await
        }
        // Idempotent: it writes the same objects and the same list again.
        Job::MakeVariants { workspace_id, file_id } => variants::make(svc, workspace_id, file_id).await,
        // Idempotent: notifications are keyed by the event's id, and each
        // Telegram copy is marked sent on its notification.
        Job::Notify { event } => cartie_bot::notify::deliver(svc, event).await,
        // Idempotent: it opens the conversation only while it is still
        // snoozed until this very time.
        Job::WakeConversation { workspace_id, bot_id, chat_id, until_ms } => wake(svc, workspace_id, *bot_id, *chat_id, *until_ms).await,
        // Idempotent: a part records its report once, and a row remembers
        // which import and row wrote its car last.
        Job::ImportStock { workspace_id, import_id, part } => stock_import::run(svc, workspace_id, import_id, *part).await,
        // At least once: a redelivery sends the same link again (never a
        // different one), which the member can ignore.
        Job::SendPasswordReset { workspace_id, email, token_sealed } => cartie_bot::notify::send_password_reset(svc, workspace_id, email, token_sealed).await,
        // Idempotent: a step is recorded under the segment's rev, once.
        Job::CountSegment { workspace_id, segment_id, run, step } => segment_count::run(svc, workspace_id, segment_id, *run, *step).await,
        // Idempotent: a part is written once and the export moves under its rev.
        Job::ExportContacts { workspace_id, export_id, step } => contact_export::run(svc, workspace_id, export_id, *step).await,
        // Idempotent: a part is recorded once; rows remember what they did.
        Job::ImportContacts { workspace_id, import_id, part } => contact_import::run(svc, workspace_id, import_id, *part).await,
        // Idempotent: a step is recorded once; tags are set adds and deletes.
        Job::TagContacts { workspace_id, bulk_id, step } => bulk_tag::run(svc, workspace_id, bulk_id, *step).await,
        // Idempotent: it starts only a campaign still scheduled for this time.
        Job::StartCampaign { workspace_id, campaign_id, at_ms } => start_campaign(svc, workspace_id, campaign_id, *at_ms).await,
        // Idempotent: a step is recorded once under the campaign's rev.
        Job::PlanCampaign { workspace_id, campaign_id, step } => campaign_plan::run(svc, workspace_id, campaign_id, *step).await,
        // At most once: the post is claimed by its version before it is sent.
        Job::PublishPost { workspace_id, post_id, due_ms } => cartie_bot::posts::publish(svc, workspace_id, post_id, *due_ms).await,
        // Idempotent: a deleted post is left alone; "already deleted" is done.
        Job::AutoDeletePost { workspace_id, post_id, at_ms } => cartie_bot::posts::auto_delete(svc, workspace_id, post_id, *at_ms).await,
        // Idempotent: each post records its sold action once.
        Job::CarSold { workspace_id, car_id } => cartie_bot::posts::car_sold(svc, workspace_id, car_id).await,
        // Idempotent: matches are put by car, notices keyed by the match.
        Job::MatchRequest { workspace_id, request_id } => Ok(cartie_platform::matching::match_request(svc, workspace_id, request_id).await?),
        Job::MatchCar { workspace_id, car_id } => Ok(cartie_platform::matching::match_car(svc, workspace_id, car_id).await?),
        // Idempotent: a request that is no longer live (or was moved) is left.
        Job::ExpireRequest { workspace_id, request_id, deadline } => {
            Ok(cartie_platform::matching::expire_request(svc, workspace_id, request_id, deadline).await?)
        }
        // Idempotent: each step deletes what is left (erase.rs).
        Job::EraseContact { workspace_id, user_id } => {
            if svc.store.erase_step(workspace_id, *user_id).await? == EraseProgress::More {
                svc.queues.send("jobs", job).await?;
            }
            Ok(())
        }
    }
}

/// A scheduled campaign's time came (a leg of a long wait that arrives
/// early is scheduled on). One rescheduled, edited or started since is left.
async fn start_campaign(svc: &Services, ws: &str, id: &str, at_ms: i64) -> Result<(), BotError> {
    use cartie_domain::campaigns::CampaignStatus;
    if at_ms - util::now_ms() > 1000 {
        let job = Job::StartCampaign { workspace_id: ws.into(), campaign_id: id.into(), at_ms };
        return Ok(cartie_platform::later::schedule(svc, ws, &cartie_platform::campaigns::start_key(id, at_ms), at_ms, &job).await?);
    }
    let Some(c) = svc.store.campaign(ws, id).await? else { return Ok(()) };
    if c.status != CampaignStatus::Scheduled || c.send_at_ms != Some(at_ms) {
        return Ok(());
    }
    match cartie_platform::campaigns::begin(svc, &c).await {
        Ok(_) | Err(cartie_store::StoreError::Conflict(_)) => Ok(()),
        // Its segment was deleted: it stays scheduled, shown as not started.
        Err(cartie_store::StoreError::NotFound) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// A snooze is over: the conversation opens (a leg of a long snooze that
/// arrives early is scheduled on; a conversation gone since is fine).
async fn wake(svc: &Services, ws: &str, bot_id: i64, chat_id: i64, until_ms: i64) -> Result<(), BotError> {
    if until_ms - util::now_ms() > 1000 {
        let job = Job::WakeConversation { workspace_id: ws.into(), bot_id, chat_id, until_ms };
        return Ok(cartie_platform::later::schedule(svc, ws, &cartie_domain::jobs::wake_key(bot_id, chat_id, until_ms), until_ms, &job).await?);
    }
    match svc.store.wake(ws, bot_id, chat_id, until_ms).await {
        Ok(_) | Err(cartie_store::StoreError::NotFound) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
