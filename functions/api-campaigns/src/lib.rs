//! `api-campaigns`: broadcasts. Compose (checked against Telegram's limits
//! when saved), pick a segment and bots, send now or schedule in a time
//! zone, then pause, resume or cancel while it runs and read its progress
//! and per-recipient report. Sending itself is the jobs worker (snapshot)
//! and `worker-campaigns` (the sender); this function only moves a
//! campaign's state and queues work. The workspace always comes from the
//! token.

mod report;

use cartie_apikit::dto::*;
use cartie_apikit::http::no_content;
use cartie_apikit::ops::CampaignsOp;
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::campaigns::{self, paid_estimate_stars, CampaignStatus, PAID_PER_SECOND};
use cartie_domain::jobs::{Job, SendChunk};
use cartie_domain::locale;
use cartie_store::campaigns::Campaign;
use cartie_store::{util, StoreError};

/// The most bots one campaign sends through.
const MAX_BOTS: usize = 10;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<CampaignsOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<CampaignsOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match &ctx.op {
        CampaignsOp::ListCampaigns { query } => {
            let page = app.store.campaigns(ws, query.limit(20)? as i32, query.cursor.as_deref()).await.map_err(bad_cursor)?;
            let mut items = Vec::with_capacity(page.items.len());
            let segments = app.store.segments(ws).await?;
            for c in &page.items {
                items.push(view(c, segments.iter().find(|s| Some(&s.id) == c.segment_id.as_ref())));
            }
            json(&CampaignList { items, next_cursor: page.next })
        }
        CampaignsOp::CreateCampaign { body } => {
            let now = util::now_ms();
            let draft = Campaign {
                workspace_id: ws.to_string(),
                id: util::new_id(),
                name: String::new(),
                content: Default::default(),
                segment_id: None,
                audience: Default::default(),
                bot_ids: vec![],
                paid_bot_ids: vec![],
                time_zone: "UTC".into(),
                send_at_local: None,
                send_at_ms: None,
                quiet_hours: None,
                status: CampaignStatus::Draft,
                created_by: ctx.caller()?.email.clone(),
                created_at_ms: now,
                updated_at_ms: now,
                plan_step: 0,
                plan_cursor: None,
                chunks: Default::default(),
                at_chunk: Default::default(),
                bots_done: Default::default(),
                file_ids: Default::default(),
                total: 0,
                sent: 0,
                failed: 0,
                blocked: 0,
                unknown: 0,
                started_at_ms: None,
                finished_at_ms: None,
                active_ms: 0,
                running_since_ms: None,
                rev: 0,
            };
            let c = checked(app, ws, draft, body).await?;
            app.store.create_campaign(&c).await?;
            schedule(app, &c).await?;
            json_status(StatusCode::CREATED, &detail(app, &c).await?)
        }
        CampaignsOp::GetCampaign { campaign_id } => json(&detail(app, &find(app, ws, campaign_id).await?).await?),
        CampaignsOp::UpdateCampaign { campaign_id, body } => {
            let old = find(app, ws, campaign_id).await?;
            if !old.status.editable() {
                return Err(ApiError::conflict("a campaign that has started cannot be changed; duplicate it instead").field("status"));
            }
            let next = checked(app, ws, old.clone(), body).await?;
            let c = app.store.replace_campaign(&old, next).await.map_err(changed)?;
            schedule(app, &c).await?;
            json(&detail(app, &c).await?)
        }
        CampaignsOp::DeleteCampaign { campaign_id } => {
            let c = find(app, ws, campaign_id).await?;
            if matches!(c.status, CampaignStatus::Starting | CampaignStatus::Running | CampaignStatus::Paused) {
                return Err(ApiError::conflict("cancel the campaign before deleting it").field("status"));
            }
            app.store.delete_campaign(ws, campaign_id).await.map_err(not_found)?;
            no_content()
        }
        CampaignsOp::SendCampaign { campaign_id } => {
            let c = find(app, ws, campaign_id).await?;
            if !c.status.editable() {
                return Err(ApiError::conflict("the campaign has started already").field("status"));
            }
            let started = cartie_platform::campaigns::begin(app, &c).await.map_err(|e| match e {
                StoreError::NotFound => ApiError::invalid("segment_id", "the campaign's segment was deleted; choose another"),
                other => changed(other),
            })?;
            json(&detail(app, &started).await?)
        }
        CampaignsOp::PauseCampaign { campaign_id } => {
            find(app, ws, campaign_id).await?;
            let c = app
                .store
                .set_campaign_status(ws, campaign_id, &[CampaignStatus::Running], CampaignStatus::Paused)
                .await
                .map_err(|e| state(e, "only a running campaign can be paused"))?;
            json(&detail(app, &c).await?)
        }
        CampaignsOp::ResumeCampaign { campaign_id } => {
            find(app, ws, campaign_id).await?;
            let c = app
                .store
                .set_campaign_status(ws, campaign_id, &[CampaignStatus::Paused], CampaignStatus::Running)
                .await
                .map_err(|e| state(e, "only a paused campaign can be resumed"))?;
            // Each unfinished bot's chunk goes back on the queue; a chunk
            // still being sent (paused a moment ago) is only taken over once
            // its sender let it go, and never sends anyone twice.
            for (bot, count) in &c.chunks {
                let (Ok(bot_id), Some(at)) = (bot.parse::<i64>(), c.at_chunk.get(bot)) else { continue };
                if *at >= *count || c.bots_done.contains(bot) {
                    continue;
                }
                let msg = SendChunk { workspace_id: ws.to_string(), campaign_id: c.id.clone(), bot_id, chunk: *at };
                app.queues.send_fifo("campaigns", bot, &format!("{}:{bot}:{at}:r{}", c.id, c.rev), &msg).await?;
            }
            json(&detail(app, &c).await?)
        }
        CampaignsOp::CancelCampaign { campaign_id } => {
            find(app, ws, campaign_id).await?;
            let from = [CampaignStatus::Draft, CampaignStatus::Scheduled, CampaignStatus::Starting, CampaignStatus::Running, CampaignStatus::Paused];
            let c = app
                .store
                .set_campaign_status(ws, campaign_id, &from, CampaignStatus::Cancelled)
                .await
                .map_err(|e| state(e, "the campaign has ended already"))?;
            json(&detail(app, &c).await?)
        }
        CampaignsOp::TestCampaign { campaign_id } => {
            let c = find(app, ws, campaign_id).await?;
            let sent_to = report::test_send(app, &c, &ctx.caller()?.email).await?;
            json(&CampaignTestResult { sent_to })
        }
        CampaignsOp::ListCampaignRecipients { campaign_id, query } => {
            find(app, ws, campaign_id).await?;
            json(&report::recipients(app, ws, campaign_id, query).await?)
        }
        CampaignsOp::CampaignReport { campaign_id } => {
            let c = find(app, ws, campaign_id).await?;
            report::csv(app, &c).await
        }
    }
}

/// The request checked and applied to `c` (a new draft, or one being edited).
async fn checked(app: &App, ws: &str, c: Campaign, body: &CampaignRequest) -> Result<Campaign, ApiError> {
    let name = campaigns::name(&body.name)?;
    let content = body.content.clone().checked()?;
    let time_zone = locale::time_zone("time_zone", &body.time_zone)?;
    if body.bot_ids.is_empty() || body.bot_ids.len() > MAX_BOTS {
        return Err(ApiError::invalid("bot_ids", format!("choose 1 to {MAX_BOTS} bots")));
    }
    let mut bot_ids: Vec<i64> = Vec::new();
    for id in &body.bot_ids {
        if app.store.bot(ws, *id).await?.is_none() {
            return Err(ApiError::invalid("bot_ids", format!("{id} is not one of your bots")));
        }
        if !bot_ids.contains(id) {
            bot_ids.push(*id);
        }
    }
    if let Some(id) = body.paid_bot_ids.iter().find(|b| !bot_ids.contains(b)) {
        return Err(ApiError::invalid("paid_bot_ids", format!("{id} is not among the campaign's bots")));
    }
    if let Some(id) = &body.segment_id {
        if app.store.segment(ws, id).await?.is_none() {
            return Err(ApiError::invalid("segment_id", "no such segment"));
        }
    }
    let quiet_hours = body.quiet_hours.map(|q| q.checked()).transpose()?;
    let send_at_ms = match body.send_at.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(local) => {
            let at = campaigns::local_to_ms("send_at", local, &time_zone)?;
            if at <= util::now_ms() {
                return Err(ApiError::invalid("send_at", "must be in the future (or send it now)"));
            }
            Some(at)
        }
        None => None,
    };
    for (i, m) in content.media.iter().enumerate() {
        let field = format!("content.media[{i}].upload_id");
        let f = app.files.file(ws, &m.upload_id).await?.ok_or_else(|| ApiError::invalid(&field, "no such uploaded file"))?;
        if !f.is_ready() || f.purpose == cartie_domain::files::FilePurpose::Export {
            return Err(ApiError::invalid(&field, "is not a finished upload"));
        }
        // Uploads are kept a week: a campaign must go out before its file goes.
        if let (Some(gone), Some(at)) = (f.expires_at, send_at_ms) {
            if at / 1000 >= gone {
                return Err(ApiError::invalid(&field, "this file is kept until a week after its upload; schedule the campaign before then or upload it again"));
            }
        }
        cartie_domain::inbox::check_attachment(m.kind, f.content_type.as_deref().unwrap_or("application/octet-stream"))
            .map_err(|e| ApiError::invalid(&field, e.message))?;
        cartie_domain::inbox::check_reply(m.kind, None, None, Some(f.size as usize)).map_err(|e| ApiError::invalid(&field, e.message))?;
    }
    Ok(Campaign {
        name,
        content,
        segment_id: body.segment_id.clone(),
        bot_ids,
        paid_bot_ids: body.paid_bot_ids.clone(),
        time_zone,
        send_at_local: send_at_ms.and(body.send_at.clone()),
        send_at_ms,
        quiet_hours,
        status: if send_at_ms.is_some() { CampaignStatus::Scheduled } else { CampaignStatus::Draft },
        ..c
    })
}

/// A scheduled campaign's start goes to the scheduler (the job checks, when
/// it runs, that the campaign is still scheduled for that very time).
async fn schedule(app: &App, c: &Campaign) -> Result<(), ApiError> {
    if let (CampaignStatus::Scheduled, Some(at)) = (c.status, c.send_at_ms) {
        let job = Job::StartCampaign { workspace_id: c.workspace_id.clone(), campaign_id: c.id.clone(), at_ms: at };
        cartie_platform::later::schedule(app, &c.workspace_id, &cartie_platform::campaigns::start_key(&c.id, at), at, &job).await?;
    }
    Ok(())
}

async fn find(app: &App, ws: &str, id: &str) -> Result<Campaign, ApiError> {
    app.store.campaign(ws, id).await?.ok_or_else(|| ApiError::not_found("no such campaign").field("campaign_id"))
}

async fn detail(app: &App, c: &Campaign) -> Result<CampaignView, ApiError> {
    let seg = match &c.segment_id {
        Some(id) => app.store.segment(&c.workspace_id, id).await?,
        None => None,
    };
    Ok(view(c, seg.as_ref()))
}

fn view(c: &Campaign, seg: Option<&cartie_store::segments::Segment>) -> CampaignView {
    let now = util::now_ms();
    let started = !c.status.editable();
    let audience_count = if started && c.status != CampaignStatus::Starting { Some(c.total) } else { seg.and_then(|s| s.count) };
    let running_ms = c.running_ms(now);
    let rate = if running_ms > 0 { c.processed() as f64 * 1000.0 / running_ms as f64 } else { 0.0 };
    let pending = if matches!(c.status, CampaignStatus::Running | CampaignStatus::Paused | CampaignStatus::Cancelled) { c.pending() } else { 0 };
    let eta = (c.status == CampaignStatus::Running && rate > 0.0).then(|| (pending as f64 / rate).ceil() as u64);
    let percent = match (c.processed() * 100).checked_div(c.total) {
        Some(p) => p as u32,
        None if c.status == CampaignStatus::Finished => 100,
        None => 0,
    };
    let stars = (!c.paid_bot_ids.is_empty()).then(|| paid_estimate_stars(audience_count.unwrap_or(0), PAID_PER_SECOND));
    CampaignView {
        id: c.id.clone(),
        name: c.name.clone(),
        content: c.content.clone(),
        segment_id: c.segment_id.clone(),
        segment_name: seg.map(|s| s.name.clone()),
        audience_count,
        bot_ids: c.bot_ids.clone(),
        paid_bot_ids: c.paid_bot_ids.clone(),
        stars_estimate: stars,
        time_zone: c.time_zone.clone(),
        send_at: c.send_at_local.clone(),
        send_at_utc: c.send_at_ms.map(util::rfc3339),
        quiet_hours: c.quiet_hours,
        status: c.status,
        progress: CampaignProgress {
            total: c.total,
            sent: c.sent,
            failed: c.failed,
            blocked: c.blocked,
            unknown: c.unknown,
            pending,
            percent: percent.min(100),
            rate_per_second: (rate * 10.0).round() / 10.0,
            eta_seconds: eta,
        },
        created_by: c.created_by.clone(),
        created_at: util::rfc3339(c.created_at_ms),
        started_at: c.started_at_ms.map(util::rfc3339),
        finished_at: c.finished_at_ms.map(util::rfc3339),
    }
}

fn not_found(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("no such campaign").field("campaign_id"),
        other => other.into(),
    }
}

fn changed(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(_) => ApiError::conflict("the campaign changed meanwhile; reload it").field("status"),
        other => other.into(),
    }
}

fn state(e: StoreError, why: &str) -> ApiError {
    match e {
        StoreError::Conflict(_) => ApiError::conflict(why).field("status"),
        other => not_found(other),
    }
}

fn bad_cursor(e: StoreError) -> ApiError {
    match e {
        StoreError::Invalid(_) => ApiError::invalid("cursor", "is not a cursor of this list"),
        other => other.into(),
    }
}
