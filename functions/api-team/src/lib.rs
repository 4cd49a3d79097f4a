//! `api-team`: the workspace's own company profile, team (members, roles,
//! invites) and dashboard. Every call works on the caller's workspace from
//! the token; a member of another workspace is simply not found.

use cartie_apikit::dto::{
    BotLeads, CampaignDelivery, ChangeRoleRequest, CreateInviteRequest, Dashboard, DayStats, InviteView, Kpi, MemberView, MoneyTotal, PasswordResetView, Team,
    WorkspaceView,
};
use cartie_apikit::ops::TeamOp;
use cartie_apikit::{authorize, http::no_content, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::{team, validate, Role};
use cartie_store::team::Member;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<TeamOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<TeamOp>) -> Result<Response<Body>, ApiError> {
    match &ctx.op {
        TeamOp::Dashboard {} => dashboard(app, &ctx).await,
        TeamOp::GetWorkspace {} => json(&WorkspaceView::from(&workspace(app, ctx.ws()?).await?)),
        TeamOp::UpdateWorkspace { body } => {
            if body.name.is_none() && body.time_zone.is_none() {
                return Err(ApiError::invalid("body", "give a name or a time_zone to change"));
            }
            let name = body.name.as_deref().map(|n| validate::name("name", n, 80)).transpose()?;
            let zone = body.time_zone.as_deref().map(|z| cartie_domain::locale::time_zone("time_zone", z)).transpose()?;
            if let Some(name) = name {
                app.store.rename_workspace(ctx.ws()?, &name).await?;
            }
            if let Some(zone) = zone {
                app.store.set_time_zone(ctx.ws()?, &zone).await?;
            }
            json(&WorkspaceView::from(&workspace(app, ctx.ws()?).await?))
        }
        TeamOp::Team {} => {
            let ws = ctx.ws()?;
            let show_invites = ctx.caller()?.role.at_least(Role::Admin);
            let mut members: Vec<MemberView> = app.store.members(ws).await?.iter().map(MemberView::from).collect();
            members.sort_by(|a, b| b.role.cmp(&a.role).then(a.name.cmp(&b.name)));
            let invites = if show_invites { app.store.invites(ws).await?.iter().map(|i| InviteView::new(i, None)).collect() } else { vec![] };
            json(&Team { members, invites })
        }
        TeamOp::CreateInvite { body } => create_invite(app, &ctx, body).await,
        TeamOp::RevokeInvite { invite_id } => {
            app.store.revoke_invite(ctx.ws()?, invite_id).await.map_err(|e| match e {
                cartie_store::StoreError::NotFound => ApiError::not_found("no such invite"),
                other => other.into(),
            })?;
            no_content()
        }
        TeamOp::ChangeRole { email, body } => change_role(app, &ctx, email, body).await,
        TeamOp::RemoveMember { email } => remove_member(app, &ctx, email).await,
        TeamOp::ResetMemberPassword { email } => {
            let m = target(app, &ctx, email).await?;
            team::may_reset_password(ctx.caller()?.role, m.role)?;
            let (token, reset) = app.store.create_password_reset(&m.email, &ctx.caller()?.email).await?;
            tracing::info!(email = %m.email, by = %ctx.caller()?.email, "password reset link issued");
            json_status(StatusCode::CREATED, &PasswordResetView::new(&token, &reset))
        }
    }
}

async fn workspace(app: &App, ws: &str) -> Result<cartie_store::team::Workspace, ApiError> {
    app.store.workspace(ws).await?.ok_or_else(|| ApiError::not_found("workspace not found"))
}

/// The key figures, each a link to the page, tab and filter it counts.
/// Read from counters kept as things happen (Inbox counts, `STATS`, the
/// day items) and from small bounded reads (the newest campaigns, the
/// posts due in the calendar's range): a constant number of items however
/// big the workspace grows.
async fn dashboard(app: &App, ctx: &Ctx<TeamOp>) -> Result<Response<Body>, ApiError> {
    use cartie_domain::calendar::PostStatus;
    use cartie_domain::campaigns::CampaignStatus;
    use cartie_domain::tg_accounts::AccountState;
    let ws = ctx.ws()?;
    let w = workspace(app, ws).await?;
    let members = app.store.members(ws).await?.len() as i64;
    let invites = app.store.invites(ws).await?.len() as i64;
    let bots = app.store.bots(ws).await?.len() as i64;
    let accounts = app.store.tg_accounts(ws).await?.iter().filter(|a| a.state == AccountState::Online).count() as i64;
    let inbox = app.store.inbox_counters(ws, &ctx.caller()?.email).await?;
    let totals = app.store.totals(ws).await?;
    let days = app.store.days(ws, 30).await?;
    let leads_today = days.last().map(|d| d.leads).unwrap_or(0);
    let leads_week: i64 = days.iter().rev().take(7).map(|d| d.leads).sum();
    // Active campaigns are among the newest: one page of 50.
    let recent = app.store.campaigns(ws, 50, None).await?.items;
    let active = |s: CampaignStatus| matches!(s, CampaignStatus::Scheduled | CampaignStatus::Starting | CampaignStatus::Running | CampaignStatus::Paused);
    let campaigns_active = recent.iter().filter(|c| active(c.status)).count() as i64;
    let now = cartie_store::util::now_ms();
    let scheduled = app.store.posts_between(ws, now, now + 30 * 86_400_000, 500).await?.iter().filter(|p| p.status == PostStatus::Scheduled).count() as i64;
    let kpi = |key: &str, label: &str, value: i64, link: &str| Kpi { key: key.into(), label: label.into(), value, link: link.into() };
    json(&Dashboard {
        workspace: WorkspaceView::from(&w),
        kpis: vec![
            kpi("leads_today", "New leads today", leads_today, "/contacts?active_days=1"),
            kpi("leads_week", "New leads, 7 days", leads_week, "/contacts?active_days=7"),
            kpi("unread_conversations", "Unread conversations", inbox.unread, "/inbox?unread=1"),
            kpi("open_conversations", "Open conversations", inbox.open, "/inbox?status=open"),
            kpi("conversations", "Conversations", inbox.total, "/inbox"),
            kpi("active_campaigns", "Active campaigns", campaigns_active, "/campaigns?status=active"),
            kpi("scheduled_posts", "Scheduled posts, 30 days", scheduled, "/calendar?view=list&status=scheduled"),
            kpi("open_requests", "Open requests", totals.requests_live, "/requests?status=open"),
            kpi("new_offers", "Offers to answer", totals.offers_new, "/requests?status=offers"),
            kpi("stock", "Cars on sale", totals.stock_available, "/inventory?status=available"),
            kpi("bots", "Connected bots", bots, "/telegram"),
            kpi("accounts_online", "Telegram accounts online", accounts, "/telegram?tab=accounts"),
            kpi("team_members", "Team members", members, "/settings?tab=team"),
            kpi("pending_invites", "Pending invites", invites, "/settings?tab=team"),
        ],
        stock_value: totals.stock_value.into_iter().map(|(currency, amount)| MoneyTotal { currency, amount }).collect(),
        days: days
            .into_iter()
            .map(|d| DayStats {
                day: d.day,
                leads: d.leads,
                leads_by_bot: d.leads_by_bot.into_iter().map(|(bot_id, leads)| BotLeads { bot_id, leads }).collect(),
                messages_in: d.messages_in,
                messages_out: d.messages_out,
            })
            .collect(),
        campaigns: recent
            .iter()
            .filter(|c| c.status != CampaignStatus::Draft)
            .take(10)
            .map(|c| CampaignDelivery {
                id: c.id.clone(),
                name: c.name.clone(),
                status: c.status.as_str().into(),
                sent: c.sent,
                failed: c.failed + c.blocked + c.unknown,
                total: c.total,
            })
            .collect(),
    })
}

async fn create_invite(app: &App, ctx: &Ctx<TeamOp>, body: &CreateInviteRequest) -> Result<Response<Body>, ApiError> {
    let email = validate::email("email", &body.email)?;
    let caller = ctx.caller()?;
    team::may_invite(caller.role, body.role)?;
    if app.store.login(&email).await?.is_some() {
        return Err(ApiError::conflict("this e-mail already has an account").field("email"));
    }
    let ws = ctx.ws()?;
    if app.store.invites(ws).await?.iter().any(|i| i.email == email) {
        return Err(ApiError::conflict("this e-mail already has a pending invite; revoke it first").field("email"));
    }
    let (inv, token) = app.store.create_invite(ws, &email, body.role, &caller.email).await?;
    json_status(StatusCode::CREATED, &InviteView::new(&inv, Some(&token)))
}

async fn target(app: &App, ctx: &Ctx<TeamOp>, email: &str) -> Result<Member, ApiError> {
    let email = email.trim().to_lowercase();
    app.store.member(ctx.ws()?, &email).await?.ok_or_else(|| ApiError::not_found("no such member in this workspace"))
}

async fn change_role(app: &App, ctx: &Ctx<TeamOp>, email: &str, body: &ChangeRoleRequest) -> Result<Response<Body>, ApiError> {
    let m = target(app, ctx, email).await?;
    let owners = workspace(app, ctx.ws()?).await?.owners as usize;
    team::may_change_role(ctx.caller()?.role, m.role, body.role, owners)?;
    if m.role != body.role {
        app.store.change_role(&m.workspace_id, &m.email, m.role, body.role).await?;
    }
    json(&MemberView::from(&Member { role: body.role, ..m }))
}

async fn remove_member(app: &App, ctx: &Ctx<TeamOp>, email: &str) -> Result<Response<Body>, ApiError> {
    let m = target(app, ctx, email).await?;
    let owners = workspace(app, ctx.ws()?).await?.owners as usize;
    team::may_remove(ctx.caller()?.role, m.role, owners)?;
    app.store.remove_member(&m.workspace_id, &m.email, m.role).await?;
    no_content()
}
