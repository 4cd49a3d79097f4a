//! `api-team`: the workspace's own company profile, team (members, roles,
//! invites) and dashboard. Every call works on the caller's workspace from
//! the token; a member of another workspace is simply not found.

use cartie_apikit::dto::{ChangeRoleRequest, CreateInviteRequest, Dashboard, InviteView, Kpi, MemberView, PasswordResetView, Team, WorkspaceView};
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

async fn dashboard(app: &App, ctx: &Ctx<TeamOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let w = workspace(app, ws).await?;
    let members = app.store.members(ws).await?.len() as i64;
    let invites = app.store.invites(ws).await?.len() as i64;
    let bots = app.store.bots(ws).await?.len() as i64;
    // Counters, not counting: one read however big the Inbox is.
    let inbox = app.store.inbox_counters(ws, &ctx.caller()?.email).await?;
    let (conversations, unread) = (inbox.total, inbox.unread);
    json(&Dashboard {
        workspace: WorkspaceView::from(&w),
        kpis: vec![
            Kpi { key: "unread_conversations".into(), label: "Unread conversations".into(), value: unread, link: "/inbox?unread=1".into() },
            Kpi { key: "conversations".into(), label: "Conversations".into(), value: conversations, link: "/inbox".into() },
            Kpi { key: "bots".into(), label: "Connected bots".into(), value: bots, link: "/telegram".into() },
            Kpi { key: "team_members".into(), label: "Team members".into(), value: members, link: "/settings?tab=team".into() },
            Kpi { key: "pending_invites".into(), label: "Pending invites".into(), value: invites, link: "/settings?tab=team".into() },
        ],
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
