//! Offers between partners. The partner side reads a shared request only
//! through the store's partner check and sees its own matching cars and
//! its own offers, never another partner's; the requester accepts one
//! offer (the request is won, the others closed and their partners told)
//! or declines it. One offer per car: sending it again changes nothing.

use cartie_apikit::dto::{CarRequestView, CommentView, MatchView, NewOfferRequest, OfferView, PartnerRequestList, PartnerRequestSummary, PartnerRequestView};
use cartie_apikit::ops::B2bOp;
use cartie_apikit::{json, json_status, ApiError, App, Body, Ctx, Response, StatusCode};
use cartie_domain::inventory::ListingStatus;
use cartie_domain::notify::{Event, Notice, Recipients};
use cartie_domain::partners::{check_comment, check_offer_price, CarSummary, OfferStatus, RequestChange, RequestStatus};
use cartie_domain::Role;
use cartie_platform::matching::company_name;
use cartie_store::requests::{CarRequest, Offer, OfferComment};
use cartie_store::{util, StoreError};

use crate::requests::{conflict, detail, request};

fn hidden(e: StoreError) -> ApiError {
    match e {
        // Not a partner, or not shared: the same answer as "no such request".
        StoreError::NotFound => ApiError::not_found("no such request"),
        other => other.into(),
    }
}

async fn notify(app: &App, ws: &str, id: String, notice: Notice, recipients: Recipients, actor: &str) -> Result<(), ApiError> {
    let event = Event { id, workspace_id: ws.into(), at_ms: util::now_ms(), notice, recipients, actor: Some(actor.into()) };
    cartie_platform::notify::notify(app, event).await?;
    Ok(())
}

fn author(r: &CarRequest) -> Recipients {
    if r.created_by.contains('@') {
        Recipients::User { email: r.created_by.clone() }
    } else {
        Recipients::MembersAtLeast { role: Role::Manager }
    }
}

pub async fn partner_requests(app: &App, ctx: &Ctx<B2bOp>) -> Result<Response<Body>, ApiError> {
    let me = ctx.ws()?;
    let mut items = Vec::new();
    for p in app.store.active_partners(me).await? {
        let name = company_name(app, &p).await?;
        for r in app.store.partner_requests(me, &p).await.map_err(hidden)? {
            items.push(PartnerRequestSummary { partner_id: p.clone(), partner_name: name.clone(), request: CarRequestView::for_partner(&r) });
        }
    }
    items.sort_by(|a, b| b.request.id.cmp(&a.request.id));
    json(&PartnerRequestList { items })
}

async fn partner_view(app: &App, me: &str, owner: &str, id: &str) -> Result<PartnerRequestView, ApiError> {
    let v = app.store.partner_view(me, owner, id).await.map_err(hidden)?;
    let mine = company_name(app, me).await?;
    let owner_name = company_name(app, owner).await?;
    let mut my_offers = Vec::new();
    for o in &v.my_offers {
        let comments = app.store.offer_comments(owner, id, &o.id).await?;
        let comments = comments.iter().map(|c| CommentView::new(c, me, if c.from_ws == me { mine.clone() } else { owner_name.clone() })).collect();
        my_offers.push(OfferView::new(o, comments));
    }
    Ok(PartnerRequestView {
        partner_id: owner.into(),
        partner_name: owner_name,
        request: CarRequestView::for_partner(&v.request),
        my_matches: v.my_matches.iter().map(|m| MatchView::new(m, me, None)).collect(),
        my_offers,
    })
}

pub async fn partner_request(app: &App, ctx: &Ctx<B2bOp>, owner: &str, id: &str) -> Result<Response<Body>, ApiError> {
    json(&partner_view(app, ctx.ws()?, owner, id).await?)
}

pub async fn send(app: &App, ctx: &Ctx<B2bOp>, owner: &str, id: &str, body: &NewOfferRequest) -> Result<Response<Body>, ApiError> {
    let me = ctx.ws()?;
    let by = ctx.caller()?.email.clone();
    let v = app.store.partner_view(me, owner, id).await.map_err(hidden)?;
    if !v.request.status.is_live() {
        return Err(ApiError::conflict("this request is closed: it takes no more offers"));
    }
    let car = app.store.listing(me, body.car_id.trim()).await?.ok_or_else(|| ApiError::invalid("car_id", "no such car in your stock"))?;
    if car.car.status != ListingStatus::Available {
        return Err(ApiError::invalid("car_id", "this car is not for sale (sold, reserved or a draft)"));
    }
    let (price, currency) = check_offer_price(body.price, body.currency.as_deref().unwrap_or(&car.car.currency))?;
    let comment = match body.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(c) => Some(check_comment(c)?),
        None => None,
    };
    let now = util::now_ms();
    let from_name = company_name(app, me).await?;
    let offer = Offer {
        request_ws: owner.into(),
        request_id: id.into(),
        id: util::new_id(),
        from_ws: me.into(),
        from_name: from_name.clone(),
        car_id: car.id.clone(),
        car: CarSummary::of(&car.car),
        price,
        currency,
        status: OfferStatus::Sent,
        created_by: by.clone(),
        created_at_ms: now,
        updated_at_ms: now,
    };
    let (stored, fresh) = app.store.create_offer(&v.request, &offer).await.map_err(conflict)?;
    if fresh {
        if let Some(text) = comment {
            app.store
                .add_offer_comment(owner, id, &OfferComment { offer_id: stored.id.clone(), from_ws: me.into(), author: by.clone(), text, at_ms: now })
                .await?;
        }
        let notice = Notice::OfferReceived { request_id: id.into(), request: v.request.label(), partner: from_name };
        notify(app, owner, format!("offer-{}", stored.id), notice, author(&v.request), &by).await?;
    }
    json_status(if fresh { StatusCode::CREATED } else { StatusCode::OK }, &partner_view(app, me, owner, id).await?)
}

async fn own_offer(app: &App, ws: &str, request_id: &str, offer_id: &str) -> Result<(CarRequest, Offer), ApiError> {
    let r = request(app, ws, request_id).await?;
    let o = app.store.offers(ws, request_id, None).await?.into_iter().find(|o| o.id == offer_id).ok_or_else(|| ApiError::not_found("no such offer"))?;
    Ok((r, o))
}

pub async fn answer(app: &App, ctx: &Ctx<B2bOp>, request_id: &str, offer_id: &str, accept: bool) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let by = ctx.caller()?.email.clone();
    let (r, o) = own_offer(app, ws, request_id, offer_id).await?;
    let to = if accept { OfferStatus::Accepted } else { OfferStatus::Declined };
    if o.status == to {
        return json(&detail(app, &r).await?); // answered before: the same answer
    }
    if o.status != OfferStatus::Sent {
        return Err(ApiError::conflict("this offer was answered already"));
    }
    let me = company_name(app, ws).await?;
    if accept {
        if !r.status.is_live() {
            return Err(ApiError::conflict("this request is closed: reopen it to accept an offer"));
        }
        let change = RequestChange::OfferAccepted { partner: o.from_name.clone() };
        let won = CarRequest { status: RequestStatus::Won, accepted_offer: Some(o.id.clone()), ..r.clone() };
        app.store.answer_offer(&o, to, Some((&r, won, &by, change))).await.map_err(conflict)?;
        // The others are closed and their partners told (each once: a
        // retry finds them closed already).
        for other in app.store.offers(ws, request_id, None).await?.into_iter().filter(|x| x.id != o.id && x.status == OfferStatus::Sent) {
            app.store.answer_offer(&other, OfferStatus::Closed, None).await?;
            let notice =
                Notice::OfferAnswered { partner_id: ws.into(), request_id: request_id.into(), request: r.label(), partner: me.clone(), accepted: false };
            notify(app, &other.from_ws, format!("offer-closed-{}", other.id), notice, Recipients::User { email: other.created_by.clone() }, &by).await?;
        }
    } else {
        let change = RequestChange::OfferDeclined { partner: o.from_name.clone() };
        app.store.answer_offer(&o, to, Some((&r, r.clone(), &by, change))).await.map_err(conflict)?;
    }
    let notice = Notice::OfferAnswered { partner_id: ws.into(), request_id: request_id.into(), request: r.label(), partner: me, accepted: accept };
    notify(app, &o.from_ws, format!("offer-answer-{}", o.id), notice, Recipients::User { email: o.created_by.clone() }, &by).await?;
    json(&detail(app, &request(app, ws, request_id).await?).await?)
}

pub async fn comment_own(app: &App, ctx: &Ctx<B2bOp>, request_id: &str, offer_id: &str, text: &str) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let text = check_comment(text)?;
    let (r, o) = own_offer(app, ws, request_id, offer_id).await?;
    let c = OfferComment { offer_id: o.id.clone(), from_ws: ws.into(), author: ctx.caller()?.email.clone(), text, at_ms: util::now_ms() };
    app.store.add_offer_comment(ws, request_id, &c).await?;
    json_status(StatusCode::CREATED, &detail(app, &r).await?)
}

pub async fn comment_partner(app: &App, ctx: &Ctx<B2bOp>, owner: &str, request_id: &str, offer_id: &str, text: &str) -> Result<Response<Body>, ApiError> {
    let me = ctx.ws()?;
    let text = check_comment(text)?;
    let v = app.store.partner_view(me, owner, request_id).await.map_err(hidden)?;
    let o = v.my_offers.iter().find(|o| o.id == offer_id).ok_or_else(|| ApiError::not_found("no such offer"))?;
    let c = OfferComment { offer_id: o.id.clone(), from_ws: me.into(), author: ctx.caller()?.email.clone(), text, at_ms: util::now_ms() };
    app.store.add_offer_comment(owner, request_id, &c).await?;
    json_status(StatusCode::CREATED, &partner_view(app, me, owner, request_id).await?)
}
