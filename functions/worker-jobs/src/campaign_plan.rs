//! One step of snapshotting a campaign's audience: up to
//! [`PAGES_PER_STEP`] pages of the contact list under the campaign's
//! filter, each contact given to the first of the campaign's bots that can
//! reach them (not blocked, not unsubscribed, not a placeholder from an
//! import), written as chunks of 100 recipients. The step is recorded under
//! the campaign's `rev`; the last one sets the campaign running and puts
//! each bot's first chunk on the campaigns queue (group = the bot).
//!
//! Safe to run twice: chunks are numbered from the recorded state, so a
//! step that ran but was not recorded writes the same chunks again — and
//! no chunk is sent before the last step is recorded.

use cartie_bot::BotError;
use cartie_domain::campaigns::CampaignStatus;
use cartie_domain::jobs::{Job, SendChunk};
use cartie_platform::Services;
use cartie_store::campaigns::{Campaign, Chunk, Recipient, CHUNK_SIZE};
use cartie_store::contacts::{ContactFilter, ContactRecord};
use cartie_store::{util, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// Contact list pages per step.
pub const PAGES_PER_STEP: usize = 10;
/// Contacts per page: 500 from the activity index (the contacts come with
/// the page); 100 through a tag's entries (then fetched by id, 100 at most).
const PAGE: i32 = 500;
const PAGE_BY_TAG: i32 = 100;

pub async fn run(svc: &Services, ws: &str, id: &str, step: u32) -> Result<(), BotError> {
    let Some(c) = svc.store.campaign(ws, id).await? else { return Ok(()) };
    if c.status != CampaignStatus::Starting || c.plan_step != step {
        // Recorded before; what it queued next may have been lost.
        if c.plan_step == step + 1 {
            match c.status {
                CampaignStatus::Starting => next_step(svc, &c).await?,
                CampaignStatus::Running => launch(svc, &c).await?,
                _ => {}
            }
        }
        return Ok(());
    }
    let filter = ContactFilter::of(&c.audience, None, c.started_at_ms.unwrap_or_else(util::now_ms));
    let wanted = c.content.variables();
    let mut picked: BTreeMap<i64, Vec<Recipient>> = BTreeMap::new();
    let mut cursor = c.plan_cursor.clone();
    let mut added = 0u64;
    let size = if c.audience.tag.is_some() { PAGE_BY_TAG } else { PAGE };
    for _ in 0..PAGES_PER_STEP {
        let page = svc.store.contacts(ws, &filter, size, cursor.as_deref()).await?;
        for contact in &page.items {
            if let Some(bot) = bot_for(&c, contact) {
                picked.entry(bot).or_default().push(recipient(contact, &wanted));
                added += 1;
            }
        }
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    let mut counts = c.chunks.clone();
    let mut chunks = Vec::new();
    for (bot, list) in picked {
        let n = counts.entry(bot.to_string()).or_insert(0);
        for part in list.chunks(CHUNK_SIZE) {
            chunks.push(Chunk::new(ws, id, bot, *n, part.to_vec()));
            *n += 1;
        }
    }
    svc.store.put_chunks(&chunks).await?;
    let done = cursor.is_none();
    let now = util::now_ms();
    let moved = Campaign {
        plan_step: step + 1,
        plan_cursor: cursor,
        chunks: counts,
        total: c.total + added,
        status: if done { CampaignStatus::Running } else { CampaignStatus::Starting },
        running_since_ms: if done { Some(now) } else { None },
        ..c.clone()
    };
    match svc.store.replace_campaign(&c, moved).await {
        Ok(next) if done => launch(svc, &next).await,
        Ok(next) => next_step(svc, &next).await,
        // Cancelled meanwhile, or another run of this step came first.
        Err(StoreError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

async fn next_step(svc: &Services, c: &Campaign) -> Result<(), BotError> {
    svc.queues.send("jobs", &Job::PlanCampaign { workspace_id: c.workspace_id.clone(), campaign_id: c.id.clone(), step: c.plan_step }).await?;
    Ok(())
}

/// Puts each bot's first chunk on the campaigns queue; a campaign nobody
/// can receive is finished at once.
async fn launch(svc: &Services, c: &Campaign) -> Result<(), BotError> {
    let mut any = false;
    for (bot, n) in &c.chunks {
        let Ok(bot_id) = bot.parse::<i64>() else { continue };
        if *n == 0 {
            continue;
        }
        any = true;
        let chunk = c.at_chunk.get(bot).copied().unwrap_or(0);
        let msg = SendChunk { workspace_id: c.workspace_id.clone(), campaign_id: c.id.clone(), bot_id, chunk };
        svc.queues.send_fifo("campaigns", &bot_id.to_string(), &format!("{}:{bot_id}:{chunk}", c.id), &msg).await?;
    }
    if !any {
        match svc.store.set_campaign_status(&c.workspace_id, &c.id, &[CampaignStatus::Running], CampaignStatus::Finished).await {
            Ok(done) => cartie_bot::campaign::finished(svc, &done).await?,
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The first of the campaign's bots that may write to the contact.
fn bot_for(c: &Campaign, contact: &ContactRecord) -> Option<i64> {
    // Imported placeholders (negative ids) have no Telegram chat yet.
    if contact.user_id <= 0 || contact.erasing {
        return None;
    }
    c.bot_ids.iter().copied().find(|b| contact.channels.contains(&format!("bot:{b}")) && !contact.blocked_on(*b) && !contact.unsubscribed_from(*b))
}

/// What the message needs of the contact: their name for the report and
/// the variables the text uses.
fn recipient(contact: &ContactRecord, wanted: &BTreeSet<String>) -> Recipient {
    let mut vars = BTreeMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            if wanted.contains(k) {
                vars.insert(k.to_string(), v);
            }
        }
    };
    let p = contact.person.as_ref();
    put("first_name", p.map(|p| p.first_name.clone()).or_else(|| contact.name.clone()));
    put("last_name", p.and_then(|p| p.last_name.clone()));
    put("username", p.and_then(|p| p.username.clone()));
    put("name", Some(contact.display_name()));
    put("phone", contact.phone.clone());
    // What the scenarios collected, under names the profile does not use.
    for (k, v) in &contact.vars {
        if !matches!(k.as_str(), "first_name" | "last_name" | "username" | "name" | "phone") {
            put(k, Some(v.clone()));
        }
    }
    Recipient { chat_id: contact.user_id, name: contact.display_name(), vars }
}
