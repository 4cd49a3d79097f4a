//! B2B: the company card, partners, car requests with their matches,
//! offers and history, and what a partner sees of a shared request.

pub use cartie_domain::b2b::{CarMatch, Criterion, MatchOutcome, Reason};
use cartie_domain::inventory::{Fuel, Transmission};
pub use cartie_domain::partners::{CarSummary, CompanyProfile, OfferStatus, PartnerStatus, Priority, RequestChange, RequestStatus};
use cartie_store::requests::{CarRequest, Offer, OfferComment, RequestEvent, RequestMatch};
use cartie_store::util::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CompanyView {
    /// The workspace's slug: partners invite by it.
    pub slug: String,
    pub workspace_id: String,
    pub profile: CompanyProfile,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InvitePartnerRequest {
    /// The other company's slug (as in their invite link `/partners/connect/{slug}`).
    pub slug: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PartnerView {
    pub partner_id: String,
    pub slug: String,
    pub status: PartnerStatus,
    pub profile: CompanyProfile,
    pub invited_by: String,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PartnerList {
    pub items: Vec<PartnerView>,
}

/// A request as written: the car wanted, the details, who it is for.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RequestInput {
    pub make: String,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub year_from: Option<i32>,
    #[serde(default)]
    pub year_to: Option<i32>,
    #[serde(default)]
    pub budget: Option<i64>,
    /// ISO 4217 (default EUR).
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub max_mileage_km: Option<i64>,
    #[serde(default)]
    pub fuel: Option<Fuel>,
    #[serde(default)]
    pub transmission: Option<Transmission>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// A date, `2026-12-31`.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Partners see it and may offer (default true).
    #[serde(default)]
    pub shared: Option<bool>,
    /// `draft` or `open` (default) when creating; ignored on edit.
    #[serde(default)]
    pub status: Option<RequestStatus>,
    /// The buyer: their conversation, `{bot_id}:{chat_id}`.
    #[serde(default)]
    pub conversation: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RequestStatusRequest {
    pub status: RequestStatus,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CarRequestView {
    pub id: String,
    pub make: String,
    pub model: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub budget: Option<i64>,
    pub currency: String,
    pub max_mileage_km: Option<i64>,
    pub fuel: Option<Fuel>,
    pub transmission: Option<Transmission>,
    pub body: Option<String>,
    pub color: Option<String>,
    pub region: Option<String>,
    pub deadline: Option<String>,
    pub notes: Option<String>,
    pub priority: Priority,
    pub status: RequestStatus,
    pub shared: bool,
    /// The buyer's conversation (never shown to partners).
    pub conversation: Option<String>,
    /// Who wrote it (never shown to partners).
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub offers: u32,
    /// When matching last ran; null while it runs for the first time.
    pub matched_at: Option<String>,
}

impl From<&CarRequest> for CarRequestView {
    fn from(r: &CarRequest) -> CarRequestView {
        let w = &r.wanted;
        CarRequestView {
            id: r.id.clone(),
            make: w.make.clone(),
            model: w.model.clone(),
            year_from: w.year_from,
            year_to: w.year_to,
            budget: w.budget,
            currency: w.currency.clone(),
            max_mileage_km: w.max_mileage_km,
            fuel: w.fuel,
            transmission: w.transmission,
            body: w.body.clone(),
            color: w.color.clone(),
            region: r.details.region.clone(),
            deadline: r.details.deadline.clone(),
            notes: r.details.notes.clone(),
            priority: r.details.priority,
            status: r.status,
            shared: r.shared,
            conversation: r.conversation.clone(),
            created_by: r.created_by.clone(),
            created_at: rfc3339(r.created_at_ms),
            updated_at: rfc3339(r.updated_at_ms.max(r.created_at_ms)),
            offers: r.offers,
            matched_at: r.matched_at_ms.map(rfc3339),
        }
    }
}

impl CarRequestView {
    /// What a partner may see: no buyer, no author.
    pub fn for_partner(r: &CarRequest) -> CarRequestView {
        CarRequestView { conversation: None, created_by: String::new(), ..CarRequestView::from(r) }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CarRequestList {
    pub requests: Vec<CarRequestView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MatchView {
    pub car_id: String,
    /// The partner whose stock holds the car; null for your own stock.
    pub partner_id: Option<String>,
    pub partner_name: Option<String>,
    pub car: CarSummary,
    pub score: u8,
    pub reasons: Vec<Reason>,
    pub found_at: String,
}

impl MatchView {
    /// As `viewer` sees it: a car of another workspace names its partner.
    pub fn new(m: &RequestMatch, viewer: &str, partner_name: Option<String>) -> MatchView {
        let partner = (m.car_ws != viewer).then(|| m.car_ws.clone());
        MatchView {
            car_id: m.car_id.clone(),
            partner_name: partner.as_ref().and(partner_name),
            partner_id: partner,
            car: m.car.clone(),
            score: m.result.score,
            reasons: m.result.reasons.clone(),
            found_at: rfc3339(m.found_at_ms),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CommentView {
    pub author: String,
    pub company: String,
    /// Written by your side.
    pub mine: bool,
    pub text: String,
    pub at: String,
}

impl CommentView {
    pub fn new(c: &OfferComment, me: &str, company: String) -> CommentView {
        CommentView { author: c.author.clone(), company, mine: c.from_ws == me, text: c.text.clone(), at: rfc3339(c.at_ms) }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct OfferView {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub car_id: String,
    pub car: CarSummary,
    pub price: i64,
    pub currency: String,
    pub status: OfferStatus,
    pub created_at: String,
    pub comments: Vec<CommentView>,
}

impl OfferView {
    pub fn new(o: &Offer, comments: Vec<CommentView>) -> OfferView {
        OfferView {
            id: o.id.clone(),
            partner_id: o.from_ws.clone(),
            partner_name: o.from_name.clone(),
            car_id: o.car_id.clone(),
            car: o.car.clone(),
            price: o.price,
            currency: o.currency.clone(),
            status: o.status,
            created_at: rfc3339(o.created_at_ms),
            comments,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct HistoryView {
    pub at: String,
    pub by: String,
    pub change: RequestChange,
}

impl From<&RequestEvent> for HistoryView {
    fn from(e: &RequestEvent) -> HistoryView {
        HistoryView { at: rfc3339(e.at_ms), by: e.by.clone(), change: e.change.clone() }
    }
}

/// A request with everything about it, as its owner sees it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RequestDetailView {
    pub request: CarRequestView,
    /// Best first: your own cars and partners' (for a shared request).
    pub matches: Vec<MatchView>,
    pub offers: Vec<OfferView>,
    pub history: Vec<HistoryView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewOfferRequest {
    /// One of your cars (available).
    pub car_id: String,
    /// Your B2B price.
    pub price: i64,
    #[serde(default)]
    pub currency: Option<String>,
    /// A first comment in the offer's thread.
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CommentRequest {
    pub text: String,
}

/// A partner's shared request, as you see it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PartnerRequestView {
    pub partner_id: String,
    pub partner_name: String,
    pub request: CarRequestView,
    /// Your cars that match it, best first.
    pub my_matches: Vec<MatchView>,
    /// Your offers on it (never another partner's).
    pub my_offers: Vec<OfferView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PartnerRequestSummary {
    pub partner_id: String,
    pub partner_name: String,
    pub request: CarRequestView,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PartnerRequestList {
    pub items: Vec<PartnerRequestSummary>,
}
