//! `api-inventory`: the dealer's stock — list with search and filters
//! (cursor-paginated, newest first), add, edit, delete. Every car is checked
//! by `cartie_domain::inventory::check_listing` (VIN shape and check digit,
//! years, currency, URLs) before it is stored.
//!
//! Photos are addresses or uploads from the file store (`api-files`). An
//! upload is looked up under the caller's workspace and must be a ready car
//! photo; it then belongs to this car (one car per photo), and is deleted
//! with the car or when the car drops it. Answers carry short-lived links
//! to show uploaded photos (a page of cars: the cover only).

use cartie_apikit::dto::{InventoryQuery, ListingPage, ListingView};
use cartie_apikit::ops::InventoryOp;
use cartie_apikit::photos::{Audience, PhotoLinks};
use cartie_apikit::{authorize, http::no_content, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::inventory::{check_listing, ListingInput, ListingStatus, Photo, Warning};
use cartie_domain::jobs::Job;
use cartie_store::inventory::{Listing, ListingFilter};
use cartie_store::{util, StoreError};

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
            let cars: Vec<&ListingInput> = page.items.iter().map(|l| &l.car).collect();
            let links = PhotoLinks::of_cars(&app.files, ws, &cars, true, Audience::Team).await?;
            let mut items = Vec::with_capacity(page.items.len());
            for l in &page.items {
                items.push(ListingView::new(l, vec![], links.links(&l.car.photos[..l.car.photos.len().min(1)]).await?));
            }
            json(&ListingPage { items, next_cursor: page.next })
        }
        InventoryOp::CreateListing { body } => {
            let (car, warnings) = check_listing(body, util::this_year())?;
            let id = util::new_id();
            attach_photos(app, ws, &id, &car.photos, &[]).await?;
            let l = app.store.create_listing_with_id(ws, &id, car).await?;
            match_car(app, ws, &id).await?;
            json_status(StatusCode::CREATED, &view(app, ws, &l, warnings).await?)
        }
        InventoryOp::GetListing { id } => {
            let l = app.store.listing(ws, id).await?.ok_or_else(|| ApiError::not_found("no such car in your stock"))?;
            let warnings = check_listing(&l.car, util::this_year()).map(|(_, w)| w).unwrap_or_default();
            json(&view(app, ws, &l, warnings).await?)
        }
        InventoryOp::UpdateListing { id, body } => {
            let (car, warnings) = check_listing(body, util::this_year())?;
            let old = app.store.listing(ws, id).await?.ok_or_else(|| ApiError::not_found("no such car in your stock"))?;
            attach_photos(app, ws, id, &car.photos, &old.car.photos).await?;
            let l = app.store.replace_listing(ws, id, car).await.map_err(not_found)?;
            let dropped: Vec<&Photo> = old.car.photos.iter().filter(|p| !l.car.photos.contains(p)).collect();
            forget_photos(app, ws, id, dropped).await;
            // Sold now: its channel posts are marked or deleted (the jobs worker, within a minute).
            if l.car.status == ListingStatus::Sold && old.car.status != ListingStatus::Sold {
                app.queues.send("jobs", &Job::CarSold { workspace_id: ws.into(), car_id: id.clone() }).await?;
            }
            match_car(app, ws, id).await?;
            json(&view(app, ws, &l, warnings).await?)
        }
        InventoryOp::DeleteListing { id } => {
            let old = app.store.listing(ws, id).await?;
            app.store.delete_listing(ws, id).await.map_err(not_found)?;
            if let Some(old) = old {
                forget_photos(app, ws, id, old.car.photos.iter().collect()).await;
            }
            // Gone from stock: its channel posts are treated as sold.
            app.queues.send("jobs", &Job::CarSold { workspace_id: ws.into(), car_id: id.clone() }).await?;
            match_car(app, ws, id).await?;
            no_content()
        }
    }
}

/// New or changed stock is matched against open requests (own and
/// partners'), off the request path; a car gone or sold loses its matches.
async fn match_car(app: &App, ws: &str, id: &str) -> Result<(), ApiError> {
    app.queues.send("jobs", &Job::MatchCar { workspace_id: ws.into(), car_id: id.into() }).await?;
    Ok(())
}

async fn view(app: &App, ws: &str, l: &Listing, warnings: Vec<Warning>) -> Result<ListingView, ApiError> {
    let links = PhotoLinks::of_cars(&app.files, ws, &[&l.car], false, Audience::Team).await?;
    Ok(ListingView::new(l, warnings, links.links(&l.car.photos).await?))
}

/// Makes each uploaded photo this car's. Refuses (naming `photos[i]`) one
/// that is not a ready car photo of this workspace — another workspace's
/// id is simply not found here — or that belongs to another car. Photos
/// the car already had (`kept`) are its own already.
async fn attach_photos(app: &App, ws: &str, listing_id: &str, photos: &[Photo], kept: &[Photo]) -> Result<(), ApiError> {
    for (i, p) in photos.iter().enumerate() {
        let Some(file_id) = p.file_id().filter(|_| !kept.contains(p)) else { continue };
        let field = format!("photos[{i}]");
        match app.files.attach(ws, file_id, listing_id, None).await {
            Ok(()) => continue,
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let f = app.files.file(ws, file_id).await?;
        let owner = match f {
            Some(f) if f.is_ready() && f.purpose == cartie_domain::files::FilePurpose::CarPhoto => f.attached_to,
            Some(f) if !f.is_ready() => return Err(ApiError::invalid(field, "this photo has not finished uploading")),
            _ => return Err(ApiError::invalid(field, "no such uploaded photo in your workspace")),
        };
        let Some(owner) = owner.filter(|o| o != listing_id) else { continue };
        // A photo whose car is gone (a save that failed half-way) is free again.
        if app.store.listing(ws, &owner).await?.is_some() {
            return Err(ApiError::invalid(field, "this photo belongs to another car"));
        }
        app.files.attach(ws, file_id, listing_id, Some(&owner)).await.map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::invalid(format!("photos[{i}]"), "this photo belongs to another car"),
            other => other.into(),
        })?;
    }
    Ok(())
}

/// Deletes the uploads a car no longer shows (best effort: the car is
/// saved; a photo left behind only costs storage).
async fn forget_photos(app: &App, ws: &str, listing_id: &str, photos: Vec<&Photo>) {
    let ids: Vec<&str> = photos.iter().filter_map(|p| p.file_id()).collect();
    if ids.is_empty() {
        return;
    }
    let files = match app.files.files(ws, &ids).await {
        Ok(f) => f,
        Err(e) => return tracing::warn!(error = %e, "dropped photos not read; left in the store"),
    };
    for f in files.values().filter(|f| f.attached_to.as_deref() == Some(listing_id)) {
        if let Err(e) = app.files.delete(f).await {
            tracing::warn!(file_id = %f.id, error = %e, "a dropped photo was not deleted");
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
