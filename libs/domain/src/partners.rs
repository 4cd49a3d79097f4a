//! B2B between dealers: a workspace's public company card, partnerships
//! between two workspaces, car requests (what a buyer wants) with their
//! life cycle, and partners' offers on them. Pure: the records and the
//! rules; what a partner may read is enforced by `cartie-store`, matching
//! cars to requests is [`crate::b2b`].

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::b2b::Wanted;
use crate::inventory::{Fuel, Transmission};
use crate::FieldError;

/// A workspace's public card, the one thing partners see of it besides
/// shared requests and matching cars.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompanyProfile {
    /// Shown name (the workspace's name when empty).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// A Telegram @username or t.me link to reach the company.
    #[serde(default)]
    pub telegram: Option<String>,
    /// A file-store id of the logo (an uploaded image).
    #[serde(default)]
    pub logo_file_id: Option<String>,
    #[serde(default)]
    pub about: Option<String>,
}

fn text(field: &str, v: Option<String>, max: usize) -> Result<Option<String>, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > max => Err(FieldError::new(field, format!("must be at most {max} characters"))),
        Some(s) if s.chars().any(|c| c.is_control() && c != '\n') => Err(FieldError::new(field, "must not contain control characters")),
        Some(s) => Ok(Some(s.to_string())),
    }
}

impl CompanyProfile {
    pub fn checked(self) -> Result<CompanyProfile, FieldError> {
        let name = text("name", Some(self.name), 80)?.unwrap_or_default();
        let phone = text("phone", self.phone, 32)?;
        if let Some(p) = &phone {
            if !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) || p.chars().filter(char::is_ascii_digit).count() < 5 {
                return Err(FieldError::new("phone", "must be a phone number like +380 67 123 4567"));
            }
        }
        let telegram = text("telegram", self.telegram, 64)?
            .map(|t| {
                let t = t.trim_start_matches("https://").trim_start_matches("t.me/").trim_start_matches('@').to_string();
                if t.len() >= 4 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    Ok(format!("@{t}"))
                } else {
                    Err(FieldError::new("telegram", "must be a Telegram @username or a t.me link"))
                }
            })
            .transpose()?;
        let logo_file_id = text("logo_file_id", self.logo_file_id, 64)?;
        Ok(CompanyProfile {
            name,
            city: text("city", self.city, 80)?,
            region: text("region", self.region, 80)?,
            address: text("address", self.address, 200)?,
            phone,
            telegram,
            logo_file_id,
            about: text("about", self.about, 1000)?,
        })
    }
}

/// Where a partnership stands, seen from one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartnerStatus {
    /// We invited them; they have not answered.
    Invited,
    /// They invited us; we have not answered.
    Pending,
    Active,
    /// They (or we) said no; either side may invite again.
    Declined,
}

/// One side's record of a partnership with another workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partnership {
    pub workspace_id: String,
    pub partner_id: String,
    pub status: PartnerStatus,
    /// Who started it (an e-mail of the inviting workspace).
    pub invited_by: String,
    pub updated_at_ms: i64,
}

/// A request's life: a draft is the team's own; open (and shared) it is
/// matched and partners may offer; the first offer makes it `offers`; it
/// ends won (an offer accepted or a car found), lost or expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Draft,
    Open,
    Offers,
    Won,
    Lost,
    Expired,
}

impl RequestStatus {
    /// Still looking for a car: matched, offered on.
    pub fn is_live(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::Offers)
    }

    /// Whether a dealer may move a request from `self` to `to` by hand.
    /// (`offers` is reached by an offer; a closed request may be reopened.)
    pub fn may_become(self, to: RequestStatus) -> Result<(), FieldError> {
        use RequestStatus::*;
        let ok = match (self, to) {
            (a, b) if a == b => true,
            (_, Offers) => false,
            (Draft, Open | Lost) => true,
            (Open | Offers, Won | Lost | Expired | Draft) => true,
            (Won | Lost | Expired, Open) => true,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(FieldError::new("status", format!("a {} request cannot become {}", self.word(), to.word())))
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            RequestStatus::Draft => "draft",
            RequestStatus::Open => "open",
            RequestStatus::Offers => "offers",
            RequestStatus::Won => "won",
            RequestStatus::Lost => "lost",
            RequestStatus::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

/// What a request asks for beyond the car: who it is for, by when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RequestDetails {
    #[serde(default)]
    pub region: Option<String>,
    /// A date (`2026-12-31`) after which the buyer no longer waits.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub priority: Priority,
}

impl RequestDetails {
    pub fn checked(self) -> Result<RequestDetails, FieldError> {
        let deadline = text("deadline", self.deadline, 10)?;
        if let Some(d) = &deadline {
            d.parse::<jiff::civil::Date>().map_err(|_| FieldError::new("deadline", "must be a date like 2026-12-31"))?;
        }
        Ok(RequestDetails { region: text("region", self.region, 80)?, deadline, notes: text("notes", self.notes, 2000)?, priority: self.priority })
    }
}

/// The instant a request's deadline day ends (midnight after it) in
/// `time_zone`: when it expires if still open. None without a deadline.
pub fn deadline_end_ms(deadline: Option<&str>, time_zone: &str) -> Option<i64> {
    let day: jiff::civil::Date = deadline?.parse().ok()?;
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let next = day.tomorrow().ok()?;
    Some(next.to_zoned(tz).ok()?.timestamp().as_millisecond())
}

/// What changed in a request, for its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestChange {
    Created,
    /// The criteria or details were edited (the names of the fields).
    Edited {
        fields: Vec<String>,
    },
    Status {
        from: RequestStatus,
        to: RequestStatus,
    },
    OfferReceived {
        partner: String,
    },
    OfferAccepted {
        partner: String,
    },
    OfferDeclined {
        partner: String,
    },
}

/// The fields of `after` that differ from `before` (for the history).
pub fn changed_fields(before: &Wanted, after: &Wanted, d0: &RequestDetails, d1: &RequestDetails) -> Vec<String> {
    let mut f = Vec::new();
    let mut check = |name: &str, changed: bool| {
        if changed {
            f.push(name.to_string());
        }
    };
    check("make", before.make != after.make);
    check("model", before.model != after.model);
    check("year_from", before.year_from != after.year_from);
    check("year_to", before.year_to != after.year_to);
    check("budget", before.budget != after.budget || before.currency != after.currency);
    check("max_mileage_km", before.max_mileage_km != after.max_mileage_km);
    check("fuel", before.fuel != after.fuel);
    check("transmission", before.transmission != after.transmission);
    check("body", before.body != after.body);
    check("color", before.color != after.color);
    check("region", d0.region != d1.region);
    check("deadline", d0.deadline != d1.deadline);
    check("notes", d0.notes != d1.notes);
    check("priority", d0.priority != d1.priority);
    f
}

/// Where an offer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    Sent,
    Accepted,
    Declined,
    /// Another offer was accepted, or the request closed.
    Closed,
}

/// The car an offer or a match is about, as the requester sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CarSummary {
    pub make: String,
    pub model: String,
    pub year: i32,
    pub price: i64,
    pub currency: String,
    pub mileage_km: i64,
    #[serde(default)]
    pub fuel: Option<Fuel>,
    #[serde(default)]
    pub transmission: Option<Transmission>,
    /// The cover photo's address when it is on the web (uploaded photos
    /// stay in the owner's file store).
    #[serde(default)]
    pub photo_url: Option<String>,
}

impl CarSummary {
    pub fn of(car: &crate::inventory::ListingInput) -> CarSummary {
        let km = match car.mileage_unit {
            crate::inventory::MileageUnit::Km => car.mileage,
            crate::inventory::MileageUnit::Mi => (car.mileage as f64 * 1.609_344).round() as i64,
        };
        CarSummary {
            make: car.make.clone(),
            model: car.model.clone(),
            year: car.year,
            price: car.price,
            currency: car.currency.clone(),
            mileage_km: km,
            fuel: car.fuel,
            transmission: car.transmission,
            photo_url: car.photos.iter().find_map(|p| match p {
                crate::inventory::Photo::Url(u) => Some(u.clone()),
                _ => None,
            }),
        }
    }

    pub fn label(&self) -> String {
        format!("{} {} {}", self.make, self.model, self.year)
    }
}

/// A B2B price for an offer: positive, in whole currency units.
pub fn check_offer_price(price: i64, currency: &str) -> Result<(i64, String), FieldError> {
    if !(1..=100_000_000).contains(&price) {
        return Err(FieldError::new("price", "must be between 1 and 100 000 000"));
    }
    let c = currency.trim().to_uppercase();
    if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
        return Err(FieldError::new("currency", "must be a 3-letter code like EUR"));
    }
    Ok((price, c))
}

/// A comment in an offer's thread: 1-2000 characters.
pub fn check_comment(raw: &str) -> Result<String, FieldError> {
    text("text", Some(raw.to_string()), 2000)?.ok_or_else(|| FieldError::new("text", "write a comment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_request_reopens_but_offers_come_only_from_an_offer() {
        use RequestStatus::*;
        assert!(Draft.may_become(Open).is_ok());
        assert!(Open.may_become(Won).is_ok());
        assert!(Won.may_become(Open).is_ok());
        assert_eq!(Open.may_become(Offers).unwrap_err().field, "status");
        assert!(Draft.may_become(Won).is_err());
        assert!(Expired.may_become(Won).is_err());
    }

    #[test]
    fn a_profile_keeps_a_telegram_username_and_refuses_a_bad_phone() {
        let p = CompanyProfile { name: " Auto Lviv ".into(), telegram: Some("https://t.me/auto_lviv".into()), ..Default::default() }.checked().unwrap();
        assert_eq!((p.name.as_str(), p.telegram.as_deref()), ("Auto Lviv", Some("@auto_lviv")));
        let e = CompanyProfile { phone: Some("call me".into()), ..Default::default() }.checked().unwrap_err();
        assert_eq!(e.field, "phone");
        let e = CompanyProfile { telegram: Some("@a b".into()), ..Default::default() }.checked().unwrap_err();
        assert_eq!(e.field, "telegram");
    }

    #[test]
    fn a_deadline_must_be_a_date() {
        assert!(RequestDetails { deadline: Some("2026-12-31".into()), ..Default::default() }.checked().is_ok());
        assert_eq!(RequestDetails { deadline: Some("soon".into()), ..Default::default() }.checked().unwrap_err().field, "deadline");
    }

    #[test]
    fn a_deadline_ends_at_the_next_local_midnight() {
        // 2027-01-31 ends at 2027-02-01 00:00 in Kyiv (UTC+2): 22:00 UTC.
        assert_eq!(deadline_end_ms(Some("2027-01-31"), "Europe/Kyiv"), Some(1_801_432_800_000));
        assert_eq!(deadline_end_ms(None, "Europe/Kyiv"), None);
        assert_eq!(deadline_end_ms(Some("not a date"), "UTC"), None);
    }

    proptest::proptest! {
        /// Any input to the checks is accepted or refused naming a field, never a panic.
        #[test]
        fn the_checks_never_panic(a in ".{0,300}", b in ".{0,80}", n in proptest::num::i64::ANY) {
            let p = CompanyProfile { name: a.clone(), phone: Some(b.clone()), telegram: Some(b.clone()), about: Some(a.clone()), ..Default::default() };
            if let Err(e) = p.checked() { proptest::prop_assert!(!e.field.is_empty()); }
            let d = RequestDetails { deadline: Some(b.clone()), notes: Some(a.clone()), region: Some(b.clone()), ..Default::default() };
            if let Err(e) = d.checked() { proptest::prop_assert!(!e.field.is_empty()); }
            let _ = check_offer_price(n, &b);
            let _ = check_comment(&a);
            let _ = deadline_end_ms(Some(&b), &a);
        }
    }

    #[test]
    fn an_offer_needs_a_price_and_a_currency_code() {
        assert_eq!(check_offer_price(24_000, "eur").unwrap(), (24_000, "EUR".to_string()));
        assert_eq!(check_offer_price(0, "EUR").unwrap_err().field, "price");
        assert_eq!(check_offer_price(10, "euro").unwrap_err().field, "currency");
        assert_eq!(check_comment("  ").unwrap_err().field, "text");
    }
}
