//! One step of tagging every contact a filter holds: up to
//! [`PAGES_PER_STEP`] pages of the list under the filter tagged, the job
//! moved on under its `rev`, the next step queued (see
//! `cartie_store::bulk_tags`).

use cartie_bot::BotError;
use cartie_domain::jobs::Job;
use cartie_platform::Services;
use cartie_store::bulk_tags::BulkTag;
use cartie_store::contacts::ContactFilter;

/// Contact list pages per step (100 contacts each).
pub const PAGES_PER_STEP: usize = 10;
const PAGE: i32 = 100;

pub async fn run(svc: &Services, ws: &str, id: &str, step: u32) -> Result<(), BotError> {
    let Some(job) = svc.store.bulk_tag(ws, id).await? else { return Ok(()) };
    if job.done || job.step != step {
        // Recorded before; its successor's job may have been lost.
        if !job.done && job.step == step + 1 {
            next(svc, &job).await?;
        }
        return Ok(());
    }
    let filter = ContactFilter::of(&job.audience, job.q.clone(), job.run_at_ms);
    let (add, remove) = (job.add.clone(), job.remove.clone());
    let (mut seen, mut changed, mut cursor) = (job.seen, job.changed, job.cursor.clone());
    for _ in 0..PAGES_PER_STEP {
        let page = svc.store.contacts(ws, &filter, PAGE, cursor.as_deref()).await?;
        // Only the contacts it changes are written (and counted).
        let ids: Vec<i64> = page.items.iter().filter(|c| !add.is_subset(&c.tags) || remove.iter().any(|t| c.tags.contains(t))).map(|c| c.user_id).collect();
        if !ids.is_empty() {
            changed += svc.store.tag_contacts(ws, &ids, &add, &remove).await? as u64;
        }
        seen += page.items.len() as u64;
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    let moved = BulkTag { step: step + 1, done: cursor.is_none(), cursor, seen, changed, ..job.clone() };
    if svc.store.advance_bulk_tag(&job, moved.clone()).await? && !moved.done {
        next(svc, &moved).await?;
    }
    Ok(())
}

async fn next(svc: &Services, job: &BulkTag) -> Result<(), BotError> {
    svc.queues.send("jobs", &Job::TagContacts { workspace_id: job.workspace_id.clone(), bulk_id: job.id.clone(), step: job.step }).await?;
    Ok(())
}
