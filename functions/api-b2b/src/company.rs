//! The company card and partnerships: invite by slug (an invitation the
//! other side sent is accepted instead), accept, decline, remove. Both
//! sides' records move together in one transaction.

use cartie_apikit::dto::{CompanyProfile, CompanyView, PartnerList, PartnerView};
use cartie_apikit::http::no_content;
use cartie_apikit::ops::B2bOp;
use cartie_apikit::{json, json_status, ApiError, App, Body, Ctx, Response, StatusCode};
use cartie_domain::jobs::Job;
use cartie_domain::notify::{Event, Notice, Recipients};
use cartie_domain::partners::{PartnerStatus, Partnership};
use cartie_domain::Role;
use cartie_platform::matching::company_name;
use cartie_store::{util, Store, StoreError};

/// A workspace's card as partners see it (its name when the card has none).
pub async fn card(app: &App, ws: &str) -> Result<(String, CompanyProfile), ApiError> {
    let w = app.store.workspace(ws).await?.ok_or_else(|| ApiError::not_found("no such company"))?;
    let mut p = app.store.company(ws).await?.unwrap_or_default();
    if p.name.is_empty() {
        p.name = w.name;
    }
    Ok((w.slug, p))
}

pub async fn get(app: &App, ctx: &Ctx<B2bOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let (slug, profile) = card(app, ws).await?;
    json(&CompanyView { slug, workspace_id: ws.into(), profile })
}

pub async fn save(app: &App, ctx: &Ctx<B2bOp>, body: &CompanyProfile) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let p = body.clone().checked()?;
    if let Some(logo) = &p.logo_file_id {
        // Only an image of this workspace's file store.
        let f = app.files.file(ws, logo).await?.ok_or_else(|| ApiError::invalid("logo_file_id", "no such uploaded file"))?;
        if !f.content_type.as_deref().is_some_and(|c| c.starts_with("image/")) {
            return Err(ApiError::invalid("logo_file_id", "must be an image"));
        }
    }
    app.store.save_company(ws, &p).await?;
    get(app, ctx).await
}

async fn view(app: &App, p: &Partnership) -> Result<PartnerView, ApiError> {
    let (slug, profile) = card(app, &p.partner_id).await?;
    Ok(PartnerView {
        partner_id: p.partner_id.clone(),
        slug,
        status: p.status,
        profile,
        invited_by: p.invited_by.clone(),
        updated_at: util::rfc3339(p.updated_at_ms),
    })
}

pub async fn partners(app: &App, ctx: &Ctx<B2bOp>) -> Result<Response<Body>, ApiError> {
    let mut items = Vec::new();
    for p in app.store.partnerships(ctx.ws()?).await? {
        items.push(view(app, &p).await?);
    }
    // Invitations to answer first, then partners by name.
    items.sort_by_key(|v| (v.status != PartnerStatus::Pending, v.profile.name.to_lowercase()));
    json(&PartnerList { items })
}

fn conflict(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(_) => ApiError::conflict("the partnership changed meanwhile; reload"),
        other => other.into(),
    }
}

pub async fn invite(app: &App, ctx: &Ctx<B2bOp>, slug: &str) -> Result<Response<Body>, ApiError> {
    let me = ctx.ws()?;
    let by = ctx.caller()?.email.clone();
    let slug = slug.trim().trim_start_matches('@').to_lowercase();
    if slug.is_empty() {
        return Err(ApiError::invalid("slug", "enter the other company's slug (from their invite link)"));
    }
    let other = app.store.workspace_by_slug(&slug).await?.ok_or_else(|| ApiError::invalid("slug", "no company uses this slug"))?;
    if other.id == me {
        return Err(ApiError::invalid("slug", "this is your own company"));
    }
    if let Some(before) = app.store.partnership(me, &other.id).await? {
        match before.status {
            PartnerStatus::Active => return Err(ApiError::conflict("you are partners already")),
            // Sent before: the same invitation stands (a retried click).
            PartnerStatus::Invited => return json_status(StatusCode::CREATED, &view(app, &before).await?),
            // They invited us: inviting them back is accepting.
            PartnerStatus::Pending => return answer(app, ctx, &other.id, true).await,
            PartnerStatus::Declined => {}
        }
    }
    let mine = Store::partnership_now(me, &other.id, PartnerStatus::Invited, &by);
    let theirs = Store::partnership_now(&other.id, me, PartnerStatus::Pending, &by);
    app.store.set_partnership(&mine, &theirs, None).await.map_err(conflict)?;
    let name = company_name(app, me).await?;
    cartie_platform::notify::notify(
        app,
        Event {
            id: format!("partner-invite-{me}-{}-{}", other.id, mine.updated_at_ms),
            workspace_id: other.id.clone(),
            at_ms: mine.updated_at_ms,
            notice: Notice::PartnerInvitation { invitation_id: me.into(), partner: name },
            recipients: Recipients::MembersAtLeast { role: Role::Admin },
            actor: Some(by),
        },
    )
    .await?;
    json_status(StatusCode::CREATED, &view(app, &mine).await?)
}

pub async fn answer(app: &App, ctx: &Ctx<B2bOp>, partner_id: &str, accept: bool) -> Result<Response<Body>, ApiError> {
    let me = ctx.ws()?;
    let p = app.store.partnership(me, partner_id).await?.ok_or_else(|| ApiError::not_found("no invitation from this company"))?;
    let to = if accept { PartnerStatus::Active } else { PartnerStatus::Declined };
    if p.status == to {
        return json(&view(app, &p).await?); // answered before: the same answer
    }
    if p.status != PartnerStatus::Pending {
        return Err(ApiError::conflict("there is no invitation from this company to answer"));
    }
    let mine = Store::partnership_now(me, partner_id, to, &p.invited_by);
    let theirs = Store::partnership_now(partner_id, me, to, &p.invited_by);
    app.store.set_partnership(&mine, &theirs, Some(PartnerStatus::Pending)).await.map_err(conflict)?;
    if accept {
        // Each side's shared live requests now see the other's stock.
        for ws in [me, partner_id] {
            for r in app.store.live_requests(ws, true).await? {
                app.queues.send("jobs", &Job::MatchRequest { workspace_id: ws.into(), request_id: r.id }).await?;
            }
        }
    }
    json(&view(app, &mine).await?)
}

pub async fn remove(app: &App, ctx: &Ctx<B2bOp>, partner_id: &str) -> Result<Response<Body>, ApiError> {
    let me = ctx.ws()?;
    app.store.partnership(me, partner_id).await?.ok_or_else(|| ApiError::not_found("no such partner"))?;
    app.store.remove_partnership(me, partner_id).await.map_err(conflict)?;
    // Matches with the other's cars are filtered out on read from now on.
    no_content()
}
