//! B2B requests' background work. Matching, off the request path (the jobs worker runs it): a request
//! that opens or changes is matched against its workspace's stock and —
//! when shared — every active partner's; a car that is added or changes
//! is matched against its workspace's live requests and the shared live
//! requests of its partners. The rule itself is `cartie_domain::b2b`.
//!
//! Both are safe to run twice: a match is put under (request, car), a car
//! that no longer matches has its match deleted, and the owner hears of a
//! match once (the notice's id is the match's).

use cartie_domain::b2b::{self, MIN_SCORE};
use cartie_domain::inventory::ListingStatus;
use cartie_domain::jobs::Job;
use cartie_domain::notify::{Event, Notice, Recipients};
use cartie_domain::partners::{deadline_end_ms, CarSummary, RequestChange, RequestStatus};
use cartie_domain::Role;
use cartie_store::inventory::{Listing, ListingFilter};
use cartie_store::requests::{CarRequest, RequestMatch};
use cartie_store::{util, StoreError};
use std::collections::HashSet;

use crate::Services;

/// Cars read per page while matching a request.
const PAGE: usize = 200;

/// The name partners know a workspace by: its company card, else its name.
pub async fn company_name(svc: &Services, ws: &str) -> Result<String, StoreError> {
    if let Some(c) = svc.store.company(ws).await?.filter(|c| !c.name.is_empty()) {
        return Ok(c.name);
    }
    Ok(svc.store.workspace(ws).await?.map(|w| w.name).unwrap_or_else(|| ws.to_string()))
}

fn found(r: &CarRequest, car_ws: &str, l: &Listing, result: b2b::CarMatch) -> RequestMatch {
    RequestMatch {
        request_ws: r.workspace_id.clone(),
        request_id: r.id.clone(),
        car_ws: car_ws.into(),
        car_id: l.id.clone(),
        car: CarSummary::of(&l.car),
        result,
        found_at_ms: util::now_ms(),
    }
}

/// After a request is saved: match it (when live) and have it expire when
/// its deadline day is over.
pub async fn after_save(svc: &Services, r: &CarRequest) -> Result<(), StoreError> {
    if !r.status.is_live() {
        return Ok(());
    }
    svc.queues.send("jobs", &Job::MatchRequest { workspace_id: r.workspace_id.clone(), request_id: r.id.clone() }).await?;
    let Some(deadline) = &r.details.deadline else { return Ok(()) };
    // The workspace's zone is read only for a request with a deadline.
    let zone = svc.store.workspace(&r.workspace_id).await?.and_then(|w| w.time_zone).unwrap_or_else(|| "UTC".into());
    if let Some(due) = deadline_end_ms(Some(deadline), &zone) {
        let job = Job::ExpireRequest { workspace_id: r.workspace_id.clone(), request_id: r.id.clone(), deadline: deadline.clone() };
        crate::later::schedule(svc, &r.workspace_id, &format!("expire-{}-{deadline}", r.id), due, &job).await?;
    }
    Ok(())
}

/// A request whose deadline day is over expires, if it still waits for a
/// car and still has that deadline.
pub async fn expire_request(svc: &Services, ws: &str, id: &str, deadline: &str) -> Result<(), StoreError> {
    let Some(r) = svc.store.request(ws, id).await? else { return Ok(()) };
    if !r.status.is_live() || r.details.deadline.as_deref() != Some(deadline) {
        return Ok(());
    }
    let zone = svc.store.workspace(ws).await?.and_then(|w| w.time_zone).unwrap_or_else(|| "UTC".into());
    if deadline_end_ms(Some(deadline), &zone).is_some_and(|end| util::now_ms() < end) {
        // Early (a queue's delay is rounded): again at the right minute.
        return after_save(svc, &r).await;
    }
    let change = RequestChange::Status { from: r.status, to: RequestStatus::Expired };
    match svc.store.save_request(&r, CarRequest { status: RequestStatus::Expired, ..r.clone() }, "Cartie", Some(change)).await {
        // Changed meanwhile: the change scheduled its own job.
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Matches one request against every stock it may see; stale matches go.
pub async fn match_request(svc: &Services, ws: &str, request_id: &str) -> Result<(), StoreError> {
    let Some(r) = svc.store.request(ws, request_id).await? else { return Ok(()) };
    let before: HashSet<(String, String)> = svc.store.request_matches(ws, request_id, None).await?.into_iter().map(|m| (m.car_ws, m.car_id)).collect();
    let mut now = HashSet::new();
    if r.status.is_live() {
        let mut stocks = vec![ws.to_string()];
        if r.shared {
            stocks.extend(svc.store.active_partners(ws).await?);
        }
        let on_sale = ListingFilter { status: Some(ListingStatus::Available), ..ListingFilter::default() };
        for stock in stocks {
            let mut cursor = None;
            loop {
                let page = svc.store.listings(&stock, &on_sale, PAGE, cursor.as_deref()).await?;
                for l in &page.items {
                    if let Some(m) = b2b::match_car(&r.wanted, &l.car).filter(|m| m.score >= MIN_SCORE) {
                        svc.store.put_match(&found(&r, &stock, l, m)).await?;
                        now.insert((stock.clone(), l.id.clone()));
                    }
                }
                match page.next {
                    Some(n) => cursor = Some(n),
                    None => break,
                }
            }
        }
    }
    for (car_ws, car_id) in before.difference(&now) {
        svc.store.delete_match(ws, request_id, car_ws, car_id).await?;
    }
    svc.store.mark_matched(ws, request_id).await
}

/// Matches one car (of `ws`) against the live requests it may answer:
/// its own workspace's, and its partners' shared ones.
pub async fn match_car(svc: &Services, ws: &str, car_id: &str) -> Result<(), StoreError> {
    let car = svc.store.listing(ws, car_id).await?;
    let mut targets: Vec<CarRequest> = svc.store.live_requests(ws, false).await?;
    for p in svc.store.active_partners(ws).await? {
        targets.extend(svc.store.live_requests(&p, true).await?);
    }
    let mut seller: Option<String> = None;
    for r in targets {
        let result = car.as_ref().and_then(|l| b2b::match_car(&r.wanted, &l.car).map(|m| (l, m))).filter(|(_, m)| m.score >= MIN_SCORE);
        let Some((l, m)) = result else {
            svc.store.delete_match(&r.workspace_id, &r.id, ws, car_id).await?;
            continue;
        };
        let m = found(&r, ws, l, m);
        // Notified before the match is stored: a job that dies between the
        // two notifies again on its retry (the same notice id, delivered once).
        if svc.store.match_exists(&r.workspace_id, &r.id, ws, car_id).await? {
            svc.store.put_match(&m).await?;
            continue;
        }
        let partner = if r.workspace_id == ws {
            None
        } else {
            if seller.is_none() {
                seller = Some(company_name(svc, ws).await?);
            }
            seller.clone()
        };
        let recipients =
            if r.created_by.contains('@') { Recipients::User { email: r.created_by.clone() } } else { Recipients::MembersAtLeast { role: Role::Manager } };
        let event = Event {
            // One notice per match, however often the job runs.
            id: format!("match-{}-{}-{}", r.id, ws, car_id),
            workspace_id: r.workspace_id.clone(),
            at_ms: util::now_ms(),
            notice: Notice::MatchFound { request_id: r.id.clone(), request: r.label(), car: m.car.label(), partner },
            recipients,
            actor: None,
        };
        crate::notify::notify(svc, event).await?;
        svc.store.put_match(&m).await?;
    }
    Ok(())
}
