//! Starting a campaign, from the API ("send now") or the scheduler (its
//! time came): the audience is fixed from its segment, the campaign moves
//! to `starting`, and the jobs worker snapshots the recipients.

use crate::Services;
use cartie_domain::campaigns::CampaignStatus;
use cartie_domain::jobs::Job;
use cartie_domain::segments::Audience;
use cartie_store::campaigns::Campaign;
use cartie_store::{util, StoreError};

/// Starts `c` (a draft or a scheduled campaign). `Conflict` when it
/// changed meanwhile or is not startable; `NotFound` when its segment is gone.
pub async fn begin(svc: &Services, c: &Campaign) -> Result<Campaign, StoreError> {
    if !c.status.editable() {
        return Err(StoreError::Conflict("the campaign has started already".into()));
    }
    let audience = match &c.segment_id {
        Some(id) => svc.store.segment(&c.workspace_id, id).await?.ok_or(StoreError::NotFound)?.audience,
        None => Audience::default(),
    };
    let now = util::now_ms();
    let next = Campaign {
        status: CampaignStatus::Starting,
        audience,
        started_at_ms: Some(now),
        plan_step: 0,
        plan_cursor: None,
        chunks: c.bot_ids.iter().map(|b| (b.to_string(), 0)).collect(),
        at_chunk: c.bot_ids.iter().map(|b| (b.to_string(), 0)).collect(),
        ..c.clone()
    };
    let started = svc.store.replace_campaign(c, next).await?;
    svc.queues.send("jobs", &Job::PlanCampaign { workspace_id: c.workspace_id.clone(), campaign_id: c.id.clone(), step: 0 }).await?;
    Ok(started)
}

/// The due bucket's key of a campaign's scheduled start.
pub fn start_key(campaign_id: &str, at_ms: i64) -> String {
    format!("CAMPAIGN#{campaign_id}#{at_ms}")
}
