//! `api-inventory`: the dealer's stock — list with search and filters
//! (cursor-paginated, newest first), add, edit, delete. Every car is checked
//! by `cartie_domain::inventory::check_listing` (VIN shape and check digit,
//! years, currency, URLs) before it is stored.

use cartie_apikit::dto::{ListingPage, ListingView};
use cartie_apikit::{authorize, http::no_content, http::query, json, json_status, parse_json, ApiError, App, Body, Ctx, Function, Request, Response, StatusCode};
use cartie_domain::inventory::{check_listing, ListingInput, ListingStatus};
use cartie_store::inventory::ListingFilter;
use cartie_store::StoreError;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize(app, Function::ApiInventory, &req).await {
        Ok(ctx) => route(app, ctx, &req).await,
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

async fn route(app: &App, ctx: Ctx, req: &Request) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match ctx.route.op {
        "listInventory" => {
            let f = filter(req)?;
            let limit = match query(req, "limit") {
                None => 30,
                Some(s) => s.parse::<usize>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(|| ApiError::invalid("limit", "must be a number from 1 to 100"))?,
            };
            let page = app.store.listings(ws, &f, limit, query(req, "cursor").as_deref()).await?;
            json(&ListingPage { items: page.items.iter().map(|l| ListingView::new(l, vec![])).collect(), next_cursor: page.next })
        }
        "createListing" => {
            let input: ListingInput = parse_json(req)?;
            let (car, warnings) = check_listing(&input, cartie_store::util::this_year())?;
            let l = app.store.create_listing(ws, car).await?;
            json_status(StatusCode::CREATED, &ListingView::new(&l, warnings))
        }
        "getListing" => {
            let l = app.store.listing(ws, ctx.param("id")).await?.ok_or_else(|| ApiError::not_found("no such car in your stock"))?;
            let warnings = check_listing(&l.car, cartie_store::util::this_year()).map(|(_, w)| w).unwrap_or_default();
            json(&ListingView::new(&l, warnings))
        }
        "updateListing" => {
            let input: ListingInput = parse_json(req)?;
            let (car, warnings) = check_listing(&input, cartie_store::util::this_year())?;
            let l = app.store.replace_listing(ws, ctx.param("id"), car).await.map_err(not_found)?;
            json(&ListingView::new(&l, warnings))
        }
        "deleteListing" => {
            app.store.delete_listing(ws, ctx.param("id")).await.map_err(not_found)?;
            no_content()
        }
        other => Err(ApiError::internal(format!("route {other} is not handled by api-inventory"))),
    }
}

fn num<T: std::str::FromStr>(req: &Request, name: &str) -> Result<Option<T>, ApiError> {
    match query(req, name).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| ApiError::invalid(name, "must be a whole number")),
    }
}

fn filter(req: &Request) -> Result<ListingFilter, ApiError> {
    let text = |name: &str| query(req, name).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let status = match text("status") {
        Some(s) => Some(ListingStatus::parse(&s).ok_or_else(|| ApiError::invalid("status", "must be available, reserved, sold or draft"))?),
        None => None,
    };
    let f = ListingFilter {
        q: text("q"),
        make: text("make"),
        model: text("model"),
        year: (num(req, "year_min")?, num(req, "year_max")?),
        price: (num(req, "price_min")?, num(req, "price_max")?),
        mileage: (num(req, "mileage_min")?, num(req, "mileage_max")?),
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
