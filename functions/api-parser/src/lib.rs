//! `api-parser`: paste a car page URL, see what it says, map it, import it.
//! The fetch is SSRF-safe (see `cartie-parser`); a refusal answers 4xx
//! naming `url`. A mapping saved for a site's domain is applied to the next
//! preview of that site, so the second import needs no mapping step.
//! Stock feeds (a dealer's CSV or XML export) are imported in bulk
//! ([`feeds`]).

pub mod feeds;

use cartie_apikit::dto::{DetectedView, DraftView, ListingView, MappingList, MappingRule, MappingView, ParserPreview, PhotoLink};
use cartie_apikit::ops::ParserOp;
use cartie_apikit::{authorize, http::no_content, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::inventory::{check_listing, Fuel, MileageUnit, Photo, Transmission};
use cartie_parser::{DomainMapping, FetchLimits, Field, ListingDraft, Rule};
use cartie_store::{util, StoreError};

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<ParserOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<ParserOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match &ctx.op {
        ParserOp::ParserPreview { body } => preview(app, ws, &with_scheme(&body.url)).await,
        ParserOp::ListMappings {} => {
            let mut list = Vec::new();
            for m in app.store.mappings(ws).await? {
                match serde_json::from_str::<DomainMapping>(&m.mapping_json) {
                    Ok(dm) => list.push(mapping_view(&dm, m.updated_at_ms)),
                    // Shown as missing rather than failing the page; logged so it is seen.
                    Err(e) => tracing::error!(error = %e, domain = %m.domain, "a stored parser mapping does not parse"),
                }
            }
            json(&MappingList { mappings: list })
        }
        ParserOp::SaveMapping { body } => {
            let domain = cartie_parser::domain_of(&body.url).ok_or_else(|| ApiError::invalid("url", "must be a page address like https://site.com/car/123"))?;
            let mut rules = Vec::new();
            for (i, r) in body.rules.iter().enumerate() {
                rules.push(rule(i, r)?);
            }
            let path_prefix = path_prefix(body.path_prefix.as_deref())?;
            let dm = DomainMapping { domain: domain.clone(), path_prefix: path_prefix.clone(), rules };
            let text = serde_json::to_string(&dm).map_err(|e| ApiError::internal(e.to_string()))?;
            let stored = app.store.put_mapping(ws, &domain, path_prefix.as_deref(), text).await?;
            json(&mapping_view(&dm, stored.updated_at_ms))
        }
        ParserOp::DeleteMapping { domain, query } => {
            let prefix = path_prefix(query.path_prefix.as_deref())?;
            app.store.delete_mapping(ws, domain, prefix.as_deref()).await.map_err(|e| match e {
                StoreError::NotFound => ApiError::not_found("no mapping for this site"),
                other => other.into(),
            })?;
            no_content()
        }
        ParserOp::ParserImport { body: input } => {
            if input.source_url.as_deref().map(str::trim).unwrap_or_default().is_empty() {
                return Err(ApiError::invalid("source_url", "an import keeps the page it came from"));
            }
            let (car, warnings) = check_listing(input, util::this_year())?;
            // An import brings the page's photo addresses; uploads are added in Inventory.
            if let Some(i) = car.photos.iter().position(|p| p.file_id().is_some()) {
                return Err(ApiError::invalid(format!("photos[{i}]"), "an import takes photo addresses; add uploaded photos in Inventory"));
            }
            let l = app.store.create_listing(ws, car).await?;
            // New stock meets open requests (own and partners'), off the request path.
            app.queues.send("jobs", &cartie_domain::jobs::Job::MatchCar { workspace_id: ws.into(), car_id: l.id.clone() }).await?;
            let links = l.car.photos.iter().map(|p| match p {
                Photo::Url(u) => Some(PhotoLink { thumb: u.clone(), full: u.clone() }),
                Photo::Uploaded { .. } => None,
            });
            json_status(StatusCode::CREATED, &ListingView::new(&l, warnings, links.collect()))
        }
        ParserOp::PreviewFeed { body } => feeds::preview(app, ws, body).await,
        ParserOp::StartFeedImport { body } => feeds::start(app, ws, &ctx.caller()?.email, body).await,
        ParserOp::GetFeedImport { import_id, query } => feeds::get(app, ws, import_id, query).await,
    }
}

/// Dealers paste `autoria.com/...` without `https://`: add it, as a
/// browser's address bar would.
fn with_scheme(url: &str) -> String {
    let url = url.trim();
    if url.contains("://") || url.is_empty() {
        url.to_string()
    } else {
        format!("https://{}", url.trim_start_matches('/'))
    }
}

/// `/auto/` style: starts with `/`, no spaces, at most 200 characters;
/// empty or `/` means the whole site.
fn path_prefix(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    let p = raw.map(str::trim).unwrap_or_default();
    if p.is_empty() || p == "/" {
        return Ok(None);
    }
    if !p.starts_with('/') || p.len() > 200 || p.chars().any(|c| c.is_whitespace() || c == '?' || c == '#') {
        return Err(ApiError::invalid("path_prefix", "must be the start of a page path, like /cars/ (no spaces, ? or #)"));
    }
    Ok(Some(p.to_string()))
}

fn field(i: usize, name: &str, s: &str) -> Result<Field, ApiError> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| ApiError::invalid(format!("rules[{i}].{name}"), "is not a field the parser knows"))
}

fn rule(i: usize, r: &MappingRule) -> Result<Rule, ApiError> {
    let set = [r.from.is_some(), r.selector.is_some(), r.fixed.is_some()].iter().filter(|b| **b).count();
    if set != 1 {
        return Err(ApiError::invalid(format!("rules[{i}]"), "give exactly one of from, selector or fixed"));
    }
    if let Some(sel) = &r.selector {
        if scraper::Selector::parse(sel).is_err() || sel.len() > 300 {
            return Err(ApiError::invalid(format!("rules[{i}].selector"), "is not a valid CSS selector"));
        }
    }
    Ok(Rule {
        field: field(i, "field", &r.field)?,
        from: match &r.from {
            Some(f) => Some(field(i, "from", f)?),
            None => None,
        },
        selector: r.selector.clone(),
        fixed: r.fixed.clone(),
    })
}

fn name(f: Field) -> String {
    serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn mapping_view(dm: &DomainMapping, at_ms: i64) -> MappingView {
    MappingView {
        domain: dm.domain.clone(),
        path_prefix: dm.path_prefix.clone(),
        rules: dm
            .rules
            .iter()
            .map(|r| MappingRule { field: name(r.field), from: r.from.map(name), selector: r.selector.clone(), fixed: r.fixed.clone() })
            .collect(),
        updated_at: util::rfc3339(at_ms),
    }
}

async fn preview(app: &App, ws: &str, url: &str) -> Result<Response<Body>, ApiError> {
    let limits = FetchLimits { allowed_hosts_for_tests: app.parser_allow_hosts.clone(), ..FetchLimits::default() };
    let page = cartie_parser::fetch(url, &limits).await.map_err(|e| {
        let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
        ApiError::new(status, e.code(), e.to_string()).field("url")
    })?;
    let domain = cartie_parser::domain_of(&page.url).unwrap_or_default();
    // The most specific mapping that fits this page: the longest path
    // prefix, else the whole-site one.
    let mapping = app
        .store
        .mappings_of_domain(ws, &domain)
        .await?
        .iter()
        .filter_map(|m| serde_json::from_str::<DomainMapping>(&m.mapping_json).ok())
        .filter(|dm| dm.applies_to(&page.url))
        .max_by_key(|dm| dm.path_prefix.as_ref().map_or(0, String::len));
    let extraction = cartie_parser::extract(&page.html, &page.url);
    let draft = cartie_parser::apply(mapping.as_ref(), &extraction, &page.html, &page.url);
    let detected = extraction
        .detected
        .iter()
        .map(|d| DetectedView {
            field: name(d.field),
            value: d.value.clone(),
            source: serde_json::to_value(d.source).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            confidence: d.confidence,
        })
        .collect();
    json(&ParserPreview {
        url: page.url.clone(),
        domain,
        mapping_applied: mapping.is_some(),
        detected,
        warnings: draft.warnings.clone(),
        draft: draft_view(&draft),
    })
}

fn draft_view(d: &ListingDraft) -> DraftView {
    let lower = |s: &Option<String>| s.as_deref().map(str::to_lowercase).unwrap_or_default();
    let fuel = match lower(&d.fuel).as_str() {
        s if s.contains("diesel") => Some(Fuel::Diesel),
        s if s.contains("hybrid") => Some(Fuel::Hybrid),
        s if s.contains("electric") || s.contains("elektro") => Some(Fuel::Electric),
        s if s.contains("lpg") || s.contains("gas") && !s.contains("gasoline") => Some(Fuel::Lpg),
        s if s.contains("petrol") || s.contains("gasoline") || s.contains("benzin") => Some(Fuel::Petrol),
        "" => None,
        _ => Some(Fuel::Other),
    };
    let transmission = match lower(&d.transmission).as_str() {
        s if s.contains("auto") => Some(Transmission::Automatic),
        s if s.contains("manu") || s.contains("schalt") => Some(Transmission::Manual),
        _ => None,
    };
    DraftView {
        make: d.make.clone(),
        model: d.model.clone(),
        year: d.year,
        price: d.price.map(|p| p.round() as i64),
        currency: d.currency.clone(),
        mileage: d.mileage.map(|m| m.min(i64::MAX as u64) as i64),
        mileage_unit: d.mileage_unit.map(|u| match u {
            cartie_parser::MileageUnit::Km => MileageUnit::Km,
            cartie_parser::MileageUnit::Mi => MileageUnit::Mi,
        }),
        vin: d.vin.clone(),
        fuel,
        transmission,
        body: d.body.clone(),
        color: d.color.clone(),
        description: d.description.clone(),
        photos: d.photos.iter().take(30).cloned().collect(),
        source_url: d.source_url.clone(),
    }
}
