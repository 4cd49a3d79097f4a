//! The team's own car requests: write, edit, move through their states;
//! each change is kept in the request's history and, while it is live,
//! queues matching (the jobs worker finds the cars).

use cartie_apikit::dto::{CarRequestList, CarRequestView, CommentView, HistoryView, MatchView, OfferView, RequestDetailView, RequestInput};
use cartie_apikit::ops::B2bOp;
use cartie_apikit::{json, json_status, ApiError, App, Body, Ctx, Response, StatusCode};
use cartie_domain::b2b::Wanted;
use cartie_domain::partners::{changed_fields, RequestChange, RequestDetails, RequestStatus};
use cartie_platform::matching::company_name;
use cartie_store::requests::CarRequest;
use cartie_store::{util, StoreError};
use std::collections::HashMap;

pub async fn request(app: &App, ws: &str, id: &str) -> Result<CarRequest, ApiError> {
    app.store.request(ws, id).await?.ok_or_else(|| ApiError::not_found("no such request"))
}

pub fn conflict(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(_) => ApiError::conflict("the request changed meanwhile; reload it"),
        other => other.into(),
    }
}

/// The criteria and details a body describes, checked.
fn read(body: &RequestInput) -> Result<(Wanted, RequestDetails), ApiError> {
    let wanted = Wanted {
        make: body.make.clone(),
        model: body.model.clone(),
        year_from: body.year_from,
        year_to: body.year_to,
        budget: body.budget,
        currency: body.currency.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| "EUR".into()),
        max_mileage_km: body.max_mileage_km,
        fuel: body.fuel,
        transmission: body.transmission,
        body: body.body.clone(),
        color: body.color.clone(),
    }
    .checked()?;
    let details =
        RequestDetails { region: body.region.clone(), deadline: body.deadline.clone(), notes: body.notes.clone(), priority: body.priority.unwrap_or_default() }
            .checked()?;
    Ok((wanted, details))
}

/// The buyer's conversation, `{bot}:{chat}`, when it exists in this workspace.
async fn buyer(app: &App, ws: &str, raw: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let bad = || ApiError::invalid("conversation", "no such conversation: pick the buyer's chat");
    let (bot, chat) = raw.split_once(':').ok_or_else(bad)?;
    let (bot, chat): (i64, i64) = (bot.parse().map_err(|_| bad())?, chat.parse().map_err(|_| bad())?);
    app.store.conversation(ws, bot, chat).await?.ok_or_else(bad)?;
    Ok(Some(cartie_store::inbox::conversation_id(bot, chat)))
}

/// Matching and the deadline, queued after each save of a live request.
pub async fn queue_matching(app: &App, r: &CarRequest) -> Result<(), ApiError> {
    Ok(cartie_platform::matching::after_save(app, r).await?)
}

/// A request with its matches (without cars of former partners), offers
/// with their threads, and history.
pub async fn detail(app: &App, r: &CarRequest) -> Result<RequestDetailView, ApiError> {
    let ws = &r.workspace_id;
    let partners = app.store.active_partners(ws).await?;
    let mut names: HashMap<String, String> = HashMap::new();
    for p in &partners {
        names.insert(p.clone(), company_name(app, p).await?);
    }
    let matches = app
        .store
        .request_matches(ws, &r.id, None)
        .await?
        .iter()
        .filter(|m| &m.car_ws == ws || (r.shared && partners.contains(&m.car_ws)))
        .map(|m| MatchView::new(m, ws, names.get(&m.car_ws).cloned()))
        .collect();
    let me = company_name(app, ws).await?;
    let mut offers = Vec::new();
    for o in app.store.offers(ws, &r.id, None).await? {
        let comments = app.store.offer_comments(ws, &r.id, &o.id).await?;
        let comments = comments.iter().map(|c| CommentView::new(c, ws, if &c.from_ws == ws { me.clone() } else { o.from_name.clone() })).collect();
        offers.push(OfferView::new(&o, comments));
    }
    let history = app.store.request_history(ws, &r.id).await?.iter().map(HistoryView::from).collect();
    Ok(RequestDetailView { request: CarRequestView::from(r), matches, offers, history })
}

pub async fn list(app: &App, ctx: &Ctx<B2bOp>) -> Result<Response<Body>, ApiError> {
    json(&CarRequestList { requests: app.store.requests(ctx.ws()?).await?.iter().map(CarRequestView::from).collect() })
}

pub async fn get(app: &App, ctx: &Ctx<B2bOp>, id: &str) -> Result<Response<Body>, ApiError> {
    let r = request(app, ctx.ws()?, id).await?;
    json(&detail(app, &r).await?)
}

pub async fn create(app: &App, ctx: &Ctx<B2bOp>, body: &RequestInput) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let (wanted, details) = read(body)?;
    let status = match body.status.unwrap_or(RequestStatus::Open) {
        s @ (RequestStatus::Open | RequestStatus::Draft) => s,
        _ => return Err(ApiError::invalid("status", "a new request is open or a draft")),
    };
    let mut r = CarRequest::new(ws, util::new_id(), wanted, details, status, &ctx.caller()?.email);
    r.shared = body.shared.unwrap_or(true);
    r.conversation = buyer(app, ws, body.conversation.as_deref()).await?;
    app.store.create_request(&r).await?;
    queue_matching(app, &r).await?;
    json_status(StatusCode::CREATED, &detail(app, &r).await?)
}

pub async fn update(app: &App, ctx: &Ctx<B2bOp>, id: &str, body: &RequestInput) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let old = request(app, ws, id).await?;
    let (wanted, details) = read(body)?;
    let mut fields = changed_fields(&old.wanted, &wanted, &old.details, &details);
    let shared = body.shared.unwrap_or(old.shared);
    if shared != old.shared {
        fields.push("shared".into());
    }
    let conversation = match body.conversation.as_deref() {
        Some(c) => buyer(app, ws, Some(c)).await?,
        None => old.conversation.clone(),
    };
    if conversation != old.conversation {
        fields.push("conversation".into());
    }
    if fields.is_empty() {
        return json(&detail(app, &old).await?);
    }
    let next = CarRequest { wanted, details, shared, conversation, ..old.clone() };
    let saved = app.store.save_request(&old, next, &ctx.caller()?.email, Some(RequestChange::Edited { fields })).await.map_err(conflict)?;
    queue_matching(app, &saved).await?;
    json(&detail(app, &saved).await?)
}

pub async fn set_status(app: &App, ctx: &Ctx<B2bOp>, id: &str, to: RequestStatus) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let old = request(app, ws, id).await?;
    old.status.may_become(to)?;
    if old.status == to {
        return json(&detail(app, &old).await?);
    }
    // Reopening a request that had offers goes back to showing them.
    let to = if to == RequestStatus::Open && old.offers > 0 && old.accepted_offer.is_none() { RequestStatus::Offers } else { to };
    let next = CarRequest { status: to, ..old.clone() };
    let saved = app.store.save_request(&old, next, &ctx.caller()?.email, Some(RequestChange::Status { from: old.status, to })).await.map_err(conflict)?;
    queue_matching(app, &saved).await?;
    json(&detail(app, &saved).await?)
}
