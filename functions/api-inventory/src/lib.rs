//! `api-inventory`: the dealer's stock — list with search and filters
//! (cursor-paginated, newest first), add, edit, delete. Every car is checked
//! by `cartie_domain::inventory::check_listing` (VIN shape and check digit,
//! years, currency, URLs) before it is stored.

use cartie_apikit::dto::{InventoryQuery, ListingPage, ListingView};
use cartie_apikit::ops::InventoryOp;
use cartie_apikit::{authorize, http::no_content, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::inventory::{check_listing, ListingStatus};
use cartie_store::inventory::ListingFilter;
use cartie_store::StoreError;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<InventoryOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

fn not_found(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("no such car in your stock"),
        other => other.into(),
    }
}

async fn route(app: &App, ctx: Ctx<InventoryOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match &ctx.op {
        InventoryOp::ListInventory { query } => {
            let f = filter(query)?;
            let page = app.store.listings(ws, &f, query.limit(30)? as usize, query.cursor.as_deref()).await?;
            json(&ListingPage { items: page.items.iter().map(|l| ListingView::new(l, vec![])).collect(), next_cursor: page.next })
        }
        InventoryOp::CreateListing { body } => {
            let (car, warnings) = check_listing(body, cartie_store::util::this_year())?;
            let l = app.store.create_listing(ws, car).await?;
            json_status(StatusCode::CREATED, &ListingView::new(&l, warnings))
        }
        InventoryOp::GetListing { id } => {
            let l = app.store.listing(ws, id).await?.ok_or_else(|| ApiError::not_found("no such car in your stock"))?;
            let warnings = check_listing(&l.car, cartie_store::util::this_year()).map(|(_, w)| w).unwrap_or_default();
            json(&ListingView::new(&l, warnings))
        }
        InventoryOp::UpdateListing { id, body } => {
            let (car, warnings) = check_listing(body, cartie_store::util::this_year())?;
            let l = app.store.replace_listing(ws, id, car).await.map_err(not_found)?;
            json(&ListingView::new(&l, warnings))
        }
        InventoryOp::DeleteListing { id } => {
            app.store.delete_listing(ws, id).await.map_err(not_found)?;
            no_content()
        }
    }
}

fn filter(q: &InventoryQuery) -> Result<ListingFilter, ApiError> {
    let status = match &q.status {
        Some(s) => Some(ListingStatus::parse(s).ok_or_else(|| ApiError::invalid("status", "must be available, reserved, sold or draft"))?),
        None => None,
    };
    let f = ListingFilter {
        q: q.q.clone(),
        make: q.make.clone(),
        model: q.model.clone(),
        year: (q.year_min, q.year_max),
        price: (q.price_min, q.price_max),
        mileage: (q.mileage_min, q.mileage_max),
        status,
    };
    for (field, (lo, hi)) in [("year_max", (f.year.0.map(i64::from), f.year.1.map(i64::from))), ("price_max", f.price), ("mileage_max", f.mileage)] {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo > hi {
                return Err(ApiError::invalid(field, "must not be below the minimum"));
            }
        }
    }
    Ok(f)
}
