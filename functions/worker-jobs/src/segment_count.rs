//! One step of counting a segment: up to [`PAGES_PER_STEP`] pages of the
//! contact list under the segment's filter (as of the instant the count was
//! asked), the partial count recorded, then the next step queued. A step
//! whose run or number the segment has moved past does nothing, except
//! queue the next step again when it is the one just recorded (its job may
//! have been lost between the record and the send).

use cartie_bot::BotError;
use cartie_domain::jobs::Job;
use cartie_platform::Services;
use cartie_store::contacts::ContactFilter;
use cartie_store::segments::{CountProgress, Segment};

/// Contact list pages read per step (100 contacts each): a step stays far
/// inside a Lambda's time, and a large workspace is counted in many.
pub const PAGES_PER_STEP: usize = 20;
const PAGE: i32 = 100;

pub async fn run(svc: &Services, ws: &str, segment_id: &str, run: u64, step: u32) -> Result<(), BotError> {
    let Some(seg) = svc.store.segment(ws, segment_id).await? else {
        return Ok(());
    };
    if !seg.counting || seg.run != run || seg.step != step {
        if seg.counting && seg.run == run && seg.step == step + 1 {
            next(svc, &seg).await?;
        }
        return Ok(());
    }
    let filter = ContactFilter::of(&seg.audience, None, seg.run_at_ms);
    let mut partial = seg.partial;
    let mut cursor = seg.cursor.clone();
    for _ in 0..PAGES_PER_STEP {
        let page = svc.store.contacts(ws, &filter, PAGE, cursor.as_deref()).await?;
        partial += page.items.len() as u64;
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    let progress = match cursor {
        Some(cursor) => CountProgress::More { step: step + 1, partial, cursor },
        None => CountProgress::Done { count: partial },
    };
    let more = matches!(progress, CountProgress::More { .. });
    if svc.store.record_count_step(&seg, progress).await? && more {
        next(svc, &Segment { step: step + 1, ..seg }).await?;
    }
    Ok(())
}

async fn next(svc: &Services, seg: &Segment) -> Result<(), BotError> {
    let job = Job::CountSegment { workspace_id: seg.workspace_id.clone(), segment_id: seg.id.clone(), run: seg.run, step: seg.step };
    svc.queues.send("jobs", &job).await?;
    Ok(())
}
