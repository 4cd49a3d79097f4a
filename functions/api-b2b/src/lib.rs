//! `api-b2b`: dealers trading car requests. The company card partners see,
//! partnerships (invite by slug, accept, decline, remove), the team's car
//! requests with their matches, offers and history, and partners' shared
//! requests with the caller's own matching cars and offers.
//!
//! The workspace always comes from the token; another workspace's data is
//! read only through the store's partner checks (`cartie_store::partners`).
//! Matching runs in the jobs worker (`cartie_platform::matching`): this
//! function queues it and never waits for it.

mod company;
mod offers;
mod requests;

use cartie_apikit::ops::B2bOp;
use cartie_apikit::{authorize, ApiError, App, Body, Ctx, Response};

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<B2bOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

use cartie_apikit::Request;

async fn route(app: &App, ctx: Ctx<B2bOp>) -> Result<Response<Body>, ApiError> {
    match &ctx.op {
        B2bOp::GetCompany {} => company::get(app, &ctx).await,
        B2bOp::SaveCompany { body } => company::save(app, &ctx, body).await,
        B2bOp::ListPartners {} => company::partners(app, &ctx).await,
        B2bOp::InvitePartner { body } => company::invite(app, &ctx, &body.slug).await,
        B2bOp::AcceptPartner { partner_id } => company::answer(app, &ctx, partner_id, true).await,
        B2bOp::DeclinePartner { partner_id } => company::answer(app, &ctx, partner_id, false).await,
        B2bOp::RemovePartner { partner_id } => company::remove(app, &ctx, partner_id).await,
        B2bOp::ListRequests {} => requests::list(app, &ctx).await,
        B2bOp::CreateRequest { body } => requests::create(app, &ctx, body).await,
        B2bOp::GetRequest { request_id } => requests::get(app, &ctx, request_id).await,
        B2bOp::UpdateRequest { request_id, body } => requests::update(app, &ctx, request_id, body).await,
        B2bOp::SetRequestStatus { request_id, body } => requests::set_status(app, &ctx, request_id, body.status).await,
        B2bOp::AcceptOffer { request_id, offer_id } => offers::answer(app, &ctx, request_id, offer_id, true).await,
        B2bOp::DeclineOffer { request_id, offer_id } => offers::answer(app, &ctx, request_id, offer_id, false).await,
        B2bOp::CommentOffer { request_id, offer_id, body } => offers::comment_own(app, &ctx, request_id, offer_id, &body.text).await,
        B2bOp::ListPartnerRequests {} => offers::partner_requests(app, &ctx).await,
        B2bOp::GetPartnerRequest { partner_id, request_id } => offers::partner_request(app, &ctx, partner_id, request_id).await,
        B2bOp::SendOffer { partner_id, request_id, body } => offers::send(app, &ctx, partner_id, request_id, body).await,
        B2bOp::CommentPartnerOffer { partner_id, request_id, offer_id, body } => {
            offers::comment_partner(app, &ctx, partner_id, request_id, offer_id, &body.text).await
        }
    }
}
