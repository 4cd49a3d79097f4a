//! `api-miniapp`: the public Telegram Mini App showcase of a workspace's
//! available stock, chosen by the workspace's slug, and the "I'm interested"
//! lead. Browsing needs no login (it is a shop window); acting for a buyer
//! needs Telegram's signed `initData`, checked against the workspace's bots,
//! so nobody can post a lead in someone else's name.
//!
//! Uploaded photos are shown through presigned GET links to their resized
//! variants, signed for each answer and valid for about an hour: the
//! bucket stays private, a link opens one photo of a car on sale and no
//! other file, and the originals (which may carry the camera's GPS
//! position) never reach buyers. A public-read prefix would have made
//! every variant readable forever by anyone who once saw its address,
//! including photos of cars sold or withdrawn since.

use cartie_apikit::dto::{InterestRequest, InterestView, PhotoLink, Showcase, ShowcaseCar};
use cartie_apikit::ops::MiniappOp;
use cartie_apikit::photos::{Audience, PhotoLinks};
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::contacts::Channel;
use cartie_domain::inbox::{Message, MessageKind};
use cartie_domain::inventory::{ListingInput, ListingStatus};
use cartie_domain::Language;
use cartie_store::inbox::{Recorded, Recording};
use cartie_store::inventory::{Listing, ListingFilter};
use cartie_store::util;
use cartie_telegram::webapp::{check_init_data, InitDataError, WebAppUser};
use cartie_telegram::Reply;

/// How long an `initData` is accepted after Telegram issued it. Telegram
/// re-signs it every time the Mini App opens, so a day is generous.
pub const INIT_DATA_MAX_AGE_SECS: i64 = 24 * 3600;
const PAGE: usize = 20;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<MiniappOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<MiniappOp>) -> Result<Response<Body>, ApiError> {
    let slug = match &ctx.op {
        MiniappOp::Showcase { slug, .. } | MiniappOp::ShowcaseCar { slug, .. } | MiniappOp::ShowInterest { slug, .. } => slug.to_lowercase(),
    };
    let ws = app.store.workspace_by_slug(&slug).await?.ok_or_else(|| ApiError::not_found("no such showcase"))?;
    match &ctx.op {
        MiniappOp::Showcase { query: q, .. } => {
            let short = |s: &Option<String>| s.as_deref().map(|s| s.chars().take(60).collect::<String>());
            let f = ListingFilter {
                q: short(&q.q),
                make: short(&q.make),
                year: (q.year_min, None),
                price: (None, q.price_max),
                status: Some(ListingStatus::Available),
                ..ListingFilter::default()
            };
            let page = app.store.listings(&ws.id, &f, PAGE, q.cursor.as_deref()).await?;
            let makes = app.store.available_makes(&ws.id).await?;
            let cars: Vec<&ListingInput> = page.items.iter().map(|l| &l.car).collect();
            // A list shows each car's cover only.
            let links = PhotoLinks::of_cars(&app.files, &ws.id, &cars, true, Audience::Buyers).await?;
            let mut items = Vec::with_capacity(page.items.len());
            for l in &page.items {
                items.push(car(l, &links, true).await?);
            }
            json(&Showcase { company: ws.name.clone(), slug, makes, items, next_cursor: page.next })
        }
        MiniappOp::ShowcaseCar { id, .. } => {
            let l = available(app, &ws.id, id).await?;
            let links = PhotoLinks::of_cars(&app.files, &ws.id, &[&l.car], false, Audience::Buyers).await?;
            json(&car(&l, &links, false).await?)
        }
        MiniappOp::ShowInterest { body, .. } => interest(app, &ws.id, body).await,
    }
}

/// A car as buyers see it; its photos that can be shown (`cover_only`: the first).
async fn car(l: &Listing, links: &PhotoLinks<'_>, cover_only: bool) -> Result<ShowcaseCar, ApiError> {
    let c = &l.car;
    let photos = if cover_only { &c.photos[..c.photos.len().min(1)] } else { &c.photos[..] };
    let shown: Vec<PhotoLink> = links.links(photos).await?.into_iter().flatten().collect();
    Ok(ShowcaseCar {
        id: l.id.clone(),
        make: c.make.clone(),
        model: c.model.clone(),
        year: c.year,
        price: c.price,
        currency: c.currency.clone(),
        mileage: c.mileage,
        mileage_unit: c.mileage_unit,
        fuel: c.fuel,
        transmission: c.transmission,
        body: c.body.clone(),
        color: c.color.clone(),
        description: c.description.clone(),
        photos: shown.iter().map(|p| p.full.clone()).collect(),
        thumbs: shown.into_iter().map(|p| p.thumb).collect(),
    })
}

/// Only cars on sale are in the shop window; others answer 404.
async fn available(app: &App, ws: &str, id: &str) -> Result<Listing, ApiError> {
    match app.store.listing(ws, id).await? {
        Some(l) if l.car.status == ListingStatus::Available => Ok(l),
        _ => Err(ApiError::not_found("this car is no longer on sale").field("listing_id")),
    }
}

/// Which of the workspace's bots signed `init_data`, and for whom.
async fn buyer(app: &App, ws: &str, init_data: &str) -> Result<(cartie_store::inbox::BotRecord, String, WebAppUser), ApiError> {
    let now = util::now_ms() / 1000;
    let mut stale = false;
    for bot in app.store.bots(ws).await? {
        let Ok(token) = app.data_key.open(&bot.token_sealed) else { continue };
        match check_init_data(init_data, &token, now, INIT_DATA_MAX_AGE_SECS) {
            Ok(user) => return Ok((bot, token, user)),
            Err(InitDataError::Stale) => stale = true,
            Err(_) => {}
        }
    }
    let message = if stale {
        "this Mini App session is too old: reopen the showcase from the bot"
    } else {
        "Telegram's initData is missing or not signed by this dealer's bot"
    };
    Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_init_data", message).field("init_data"))
}

async fn interest(app: &App, ws: &str, body: &InterestRequest) -> Result<Response<Body>, ApiError> {
    let (bot, token, user) = buyer(app, ws, &body.init_data).await?;
    let listing = available(app, ws, body.listing_id.trim()).await?;
    let title = format!("{} {} {}", listing.car.year, listing.car.make, listing.car.model);
    // One lead per buyer, car and day: pressing twice (or a retried request)
    // must not fill the Inbox with copies. The marker keeps the first
    // attempt's time, so a retry after a crash records that same message.
    let day = util::now_ms() / 86_400_000;
    let marker = cartie_store::keys::miniapp_lead(bot.bot_id, user.person.id, &listing.id, day);
    let (first, at_ms) = app.store.once(&cartie_store::keys::ws(ws), &marker, util::now_ms(), 2 * 86_400).await?;
    // Written as the buyer would, in their Telegram's language.
    let lang = user.person.language();
    let price = cartie_domain::inventory::format_price(listing.car.price, &listing.car.currency);
    let lead = Message {
        text: Some(match lang {
            Language::En => format!("🚗 I'm interested in the {title} — {price} (from the Mini App, car {})", listing.id),
            Language::Uk => format!("🚗 Мене цікавить {title} — {price} (з Mini App, авто {})", listing.id),
        }),
        ..Message::incoming(bot.bot_id, user.person.id, MessageKind::Text, at_ms, Some(user.person.clone()))
    };
    let dedup = format!("miniapp-{}", listing.id);
    let how = Recording { contact: Some(&user.person), dedup: Some(&dedup), channel: Some(Channel::MiniApp), ..Recording::default() };
    let (recorded, _) = app.store.record_message_with(ws, &lead, how).await?;
    let created = first || matches!(recorded, Recorded::New(_));
    // On the contact too (an idempotent set, so also on a retry).
    let interest = cartie_store::contacts::Interest { title: title.clone(), at_ms };
    app.store.add_contact_interest(ws, user.person.id, &listing.id, &interest).await?;
    if matches!(recorded, Recorded::New(_)) {
        app.store.upsert_contact(ws, bot.bot_id, &user.person, Some("miniapp"), None).await?;
        // Best effort: a buyer who never started the bot cannot be written to
        // first (Telegram answers 403); the lead is in the Inbox regardless.
        let thanks = match lang {
            Language::En => format!("Thanks! We got your interest in the {title}. A manager will write to you here shortly."),
            Language::Uk => format!("Дякуємо! Ми отримали ваш інтерес до {title}. Менеджер незабаром напише вам тут."),
        };
        match app.telegram.send(&token, bot.bot_id, user.person.id, &Reply::text(thanks)).await {
            Ok(sent) => {
                app.store.record_message(ws, &Message { sent_by: Some("Mini App".into()), ..sent }, None, None).await?;
            }
            Err(e) => tracing::info!(bot_id = bot.bot_id, error = %e, "could not confirm the Mini App lead in Telegram"),
        }
    }
    let message = match (created, lang) {
        (true, Language::En) => format!("Thanks! The dealer got your request about the {title} and will write to you in Telegram."),
        (true, Language::Uk) => format!("Дякуємо! Дилер отримав ваш запит щодо {title} і напише вам у Telegram."),
        (false, Language::En) => format!("You already asked about the {title} today; the dealer will write to you in Telegram."),
        (false, Language::Uk) => format!("Ви вже питали про {title} сьогодні; дилер напише вам у Telegram."),
    };
    json_status(StatusCode::CREATED, &InterestView { created, message })
}
