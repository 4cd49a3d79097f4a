//! B2B requests: a dealer posts the car a buyer wants ("a 2019–2021 RAV4
//! under 25k EUR, max 80 000 km, automatic") and Cartie ranks the cars in
//! its own and partner dealers' stock against it, saying for each why: what
//! was met, what was missed and by how much. Pure: no I/O.
//!
//! Scoring. A car starts at 100 and loses points per criterion:
//! - make and model (when asked) are hard filters, as is the status: a car
//!   of another make or model, or not `Available`, is no match at all;
//!   makes and models compare through the dictionary ("VW" = "Volkswagen",
//!   "Rav 4" = "RAV4"), unknown ones by their words;
//! - year: 10 points per year outside the range, at most 30;
//! - price (only when the car is priced in the request's currency): 2 points
//!   per started per cent over budget, at most 40; another currency is
//!   Unknown and costs 5 (no exchange rates here);
//! - mileage (miles converted to km): 1 point per started per cent over the
//!   maximum, at most 30;
//! - fuel and transmission: 10 when missed, body 6, colour 4; any of them
//!   the car does not state is Unknown and costs 2 (fuel, transmission) or
//!   1 (body, colour).
//!
//! The score is 100 minus the points, floored at 0; a car meeting every
//! criterion scores 100. [`rank`] keeps cars scoring at least [`MIN_SCORE`].

use cartie_dictionary::{normalise, Dictionary};
use serde::{Deserialize, Serialize};

use crate::inventory::{Fuel, ListingInput, ListingStatus, MileageUnit, Transmission};
use crate::FieldError;

/// Cars scoring less are not shown: about three criteria badly missed.
pub const MIN_SCORE: u8 = 50;

/// What a buyer wants (a request's criteria); every field but make optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Wanted {
    pub make: String,
    pub model: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// Whole units of `currency`.
    pub budget: Option<i64>,
    /// ISO 4217, e.g. EUR.
    pub currency: String,
    pub max_mileage_km: Option<i64>,
    pub fuel: Option<Fuel>,
    pub transmission: Option<Transmission>,
    pub body: Option<String>,
    pub color: Option<String>,
}

impl Wanted {
    /// Checks and normalises a request: the make and model canonical when
    /// the dictionary knows them (kept trimmed otherwise), the currency
    /// upper-cased, blank texts dropped. The error names the field.
    pub fn checked(self) -> Result<Wanted, FieldError> {
        let dict = Dictionary::builtin();
        let make = crate::validate::name("make", &self.make, 40)?;
        let make = dict.canonical_make(&make).map_or(make.clone(), str::to_string);
        let model = match self.model.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(m) => {
                let m = crate::validate::name("model", m, 60)?;
                Some(dict.canonical_model(&make, &m).map_or(m.clone(), str::to_string))
            }
        };
        for (field, year) in [("year_from", self.year_from), ("year_to", self.year_to)] {
            if year.is_some_and(|y| !(1950..=2100).contains(&y)) {
                return Err(FieldError::new(field, "must be between 1950 and 2100"));
            }
        }
        if let (Some(from), Some(to)) = (self.year_from, self.year_to) {
            if from > to {
                return Err(FieldError::new("year_to", "must not be before year_from"));
            }
        }
        if self.budget.is_some_and(|b| b <= 0) {
            return Err(FieldError::new("budget", "must be more than 0"));
        }
        let currency = self.currency.trim().to_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|c| c.is_ascii_uppercase()) {
            return Err(FieldError::new("currency", "must be a 3-letter ISO code like EUR or USD"));
        }
        if self.max_mileage_km.is_some_and(|m| m <= 0) {
            return Err(FieldError::new("max_mileage_km", "must be more than 0"));
        }
        Ok(Wanted { make, model, currency, body: short_text("body", self.body)?, color: short_text("color", self.color)?, ..self })
    }
}

fn short_text(field: &str, v: Option<String>) -> Result<Option<String>, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > 40 => Err(FieldError::new(field, "must be at most 40 characters")),
        Some(s) => Ok(Some(s.to_string())),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    Make,
    Model,
    Year,
    Price,
    Mileage,
    Fuel,
    Transmission,
    Body,
    Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchOutcome {
    Met,
    Missed,
    /// The car does not say (no fuel given), or it is priced in another
    /// currency than the budget.
    Unknown,
}

/// One criterion of the request against one car.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    pub criterion: Criterion,
    pub outcome: MatchOutcome,
    /// How far off, in the criterion's unit (years, currency units, km);
    /// None when met or unknown, and for fuel, transmission, body, colour.
    pub by: Option<i64>,
    /// English, for logs and as the UI's fallback: "2 000 km over",
    /// "1 year older", "1 500 EUR over budget", "diesel, not petrol".
    pub note: String,
}

/// How well a car fits a request, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CarMatch {
    /// 0..=100; 100 meets every criterion.
    pub score: u8,
    /// One per criterion the request states, in [`Criterion`] order.
    pub reasons: Vec<Reason>,
}

/// None when the car cannot be what was asked: another make, another model
/// (when a model was asked), or not for sale (any status but Available).
pub fn match_car(w: &Wanted, car: &ListingInput) -> Option<CarMatch> {
    if car.status != ListingStatus::Available {
        return None;
    }
    let dict = Dictionary::builtin();
    let make = dict.canonical_make(&w.make).unwrap_or(w.make.trim());
    let car_make = dict.canonical_make(&car.make).unwrap_or(car.make.trim());
    if words(make) != words(car_make) {
        return None;
    }
    let mut scored = vec![(reason(Criterion::Make, MatchOutcome::Met, None, car_make.to_string()), 0)];
    if let Some(model) = w.model.as_deref() {
        if !same_model(dict, make, model, &car.model) {
            return None;
        }
        scored.push((reason(Criterion::Model, MatchOutcome::Met, None, car.model.trim().to_string()), 0));
    }
    scored.extend(year(w, car.year));
    scored.extend(price(w, car));
    scored.extend(mileage(w, car));
    scored.extend(soft(Criterion::Fuel, w.fuel.map(fuel_name), car.fuel.map(fuel_name)));
    scored.extend(soft(Criterion::Transmission, w.transmission.map(transmission_name), car.transmission.map(transmission_name)));
    scored.extend(soft(Criterion::Body, w.body.as_deref(), car.body.as_deref()));
    scored.extend(soft(Criterion::Color, w.color.as_deref(), car.color.as_deref()));
    let points: u32 = scored.iter().map(|(_, p)| *p).sum();
    let score = 100u32.saturating_sub(points);
    Some(CarMatch { score: u8::try_from(score).unwrap_or(0), reasons: scored.into_iter().map(|(r, _)| r).collect() })
}

/// Every car that matches with score >= [`MIN_SCORE`], best first (ties:
/// cheaper first, then id ascending, so the order is stable).
pub fn rank<'a>(w: &Wanted, cars: impl IntoIterator<Item = (&'a str, &'a ListingInput)>) -> Vec<(&'a str, CarMatch)> {
    let mut out: Vec<(&str, i64, CarMatch)> =
        cars.into_iter().filter_map(|(id, car)| match_car(w, car).filter(|m| m.score >= MIN_SCORE).map(|m| (id, car.price, m))).collect();
    out.sort_by(|a, b| b.2.score.cmp(&a.2.score).then(a.1.cmp(&b.1)).then(a.0.cmp(b.0)));
    out.into_iter().map(|(id, _, m)| (id, m)).collect()
}

fn reason(criterion: Criterion, outcome: MatchOutcome, by: Option<i64>, note: String) -> Reason {
    Reason { criterion, outcome, by, note }
}

/// Normalised words: lower case, accents dropped, split on anything not a
/// letter or digit.
fn words(s: &str) -> Vec<String> {
    normalise(s).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// A model asked for matches a car's when the dictionary reads both as the
/// same model (the car's may be a longer version string: "RAV4 Hybrid
/// AWD"), or when the car's words start with the asked ones ("Corolla
/// Cross" for an unknown model "Corolla Cross", not plain "Corolla").
fn same_model(dict: &Dictionary, make: &str, asked: &str, car: &str) -> bool {
    if let Some(want) = dict.canonical_model(make, asked) {
        if dict.canonical_model(make, car).or_else(|| dict.model_in(make, car)) == Some(want) {
            return true;
        }
    }
    words(dict.without_make(make, car)).starts_with(&words(dict.without_make(make, asked)))
}

fn year(w: &Wanted, year: i32) -> Option<(Reason, u32)> {
    if w.year_from.is_none() && w.year_to.is_none() {
        return None;
    }
    let y = i64::from(year);
    let older = w.year_from.map_or(0, |f| i64::from(f) - y);
    let newer = w.year_to.map_or(0, |t| y - i64::from(t));
    let (off, word) = if older > 0 { (older, "older") } else { (newer, "newer") };
    if off <= 0 {
        let range = match (w.year_from, w.year_to) {
            (Some(f), Some(t)) if f == t => format!("{f}"),
            (Some(f), Some(t)) => format!("{f}–{t}"),
            (Some(f), None) => format!("{f} or newer"),
            (None, Some(t)) => format!("{t} or older"),
            (None, None) => String::new(),
        };
        return Some((reason(Criterion::Year, MatchOutcome::Met, None, format!("{year}, within {range}")), 0));
    }
    let note = format!("{} year{} {word}", thousands(off), if off == 1 { "" } else { "s" });
    Some((reason(Criterion::Year, MatchOutcome::Missed, Some(off), note), points(off.saturating_mul(10), 30)))
}

fn price(w: &Wanted, car: &ListingInput) -> Option<(Reason, u32)> {
    let budget = w.budget?;
    let (cur, want) = (car.currency.trim().to_uppercase(), w.currency.trim().to_uppercase());
    if cur != want {
        return Some((reason(Criterion::Price, MatchOutcome::Unknown, None, format!("priced in {cur}, budget in {want}")), 5));
    }
    let over = car.price.saturating_sub(budget);
    if over <= 0 {
        return Some((reason(Criterion::Price, MatchOutcome::Met, None, format!("{} {cur}, within budget", thousands(car.price))), 0));
    }
    let note = format!("{} {cur} over budget", thousands(over));
    Some((reason(Criterion::Price, MatchOutcome::Missed, Some(over), note), points(per_cent_over(over, budget).saturating_mul(2), 40)))
}

fn mileage(w: &Wanted, car: &ListingInput) -> Option<(Reason, u32)> {
    let max = w.max_mileage_km?;
    let km = match car.mileage_unit {
        MileageUnit::Km => car.mileage,
        // 1 mi = 1.609344 km, rounded to the nearest km; i128 cannot overflow.
        MileageUnit::Mi => i64::try_from((i128::from(car.mileage) * 1_609_344 + 500_000).div_euclid(1_000_000)).unwrap_or(i64::MAX),
    };
    let over = km.saturating_sub(max);
    if over <= 0 {
        let note = match car.mileage_unit {
            MileageUnit::Km => format!("{} km", thousands(km)),
            MileageUnit::Mi => format!("{} mi ({} km)", thousands(car.mileage), thousands(km)),
        };
        return Some((reason(Criterion::Mileage, MatchOutcome::Met, None, note), 0));
    }
    let note = format!("{} km over", thousands(over));
    Some((reason(Criterion::Mileage, MatchOutcome::Missed, Some(over), note), points(per_cent_over(over, max), 30)))
}

/// `over` as a per cent of `limit`, rounded up (any excess costs); a limit
/// of 0 or less (an unchecked request) counts as far over.
fn per_cent_over(over: i64, limit: i64) -> i64 {
    if limit <= 0 {
        return i64::MAX;
    }
    let (over, limit) = (i128::from(over), i128::from(limit));
    i64::try_from((over * 100 + limit - 1) / limit).unwrap_or(i64::MAX)
}

fn points(raw: i64, cap: u32) -> u32 {
    u32::try_from(raw.max(0)).map_or(cap, |p| p.min(cap))
}

/// Fuel, transmission, body, colour: met, missed or not stated.
fn soft(c: Criterion, asked: Option<&str>, given: Option<&str>) -> Option<(Reason, u32)> {
    let asked = asked.map(str::trim).filter(|s| !s.is_empty())?;
    let (missed, unknown, what) = match c {
        Criterion::Fuel => (10, 2, "fuel"),
        Criterion::Transmission => (10, 2, "transmission"),
        Criterion::Body => (6, 1, "body"),
        _ => (4, 1, "color"),
    };
    Some(match given.map(str::trim).filter(|s| !s.is_empty()) {
        None => (reason(c, MatchOutcome::Unknown, None, format!("{what} not given")), unknown),
        Some(g) if same_word(c, asked, g) => (reason(c, MatchOutcome::Met, None, g.to_string()), 0),
        Some(g) => (reason(c, MatchOutcome::Missed, None, format!("{g}, not {asked}")), missed),
    })
}

/// Words dealers use for the same body or colour; the first is the group's.
const BODY_SYNONYMS: &[&[&str]] = &[
    &["suv", "crossover", "cuv", "4x4", "offroader"],
    &["sedan", "saloon"],
    &["estate", "wagon", "stationwagon", "kombi", "touring"],
    &["hatchback", "hatch"],
    &["minivan", "mpv"],
    &["convertible", "cabriolet", "cabrio"],
    &["pickup", "pickuptruck"],
];
const COLOR_SYNONYMS: &[&[&str]] = &[&["grey", "gray"], &["silver", "silvergrey", "silvergray"]];

fn same_word(c: Criterion, a: &str, b: &str) -> bool {
    let table = match c {
        Criterion::Body => BODY_SYNONYMS,
        Criterion::Color => COLOR_SYNONYMS,
        _ => &[],
    };
    let key = |s: &str| {
        let k: String = words(s).concat();
        table.iter().find(|g| g.contains(&k.as_str())).and_then(|g| g.first()).map_or(k, |g| g.to_string())
    };
    key(a) == key(b)
}

fn fuel_name(f: Fuel) -> &'static str {
    match f {
        Fuel::Petrol => "petrol",
        Fuel::Diesel => "diesel",
        Fuel::Hybrid => "hybrid",
        Fuel::Electric => "electric",
        Fuel::Lpg => "LPG",
        Fuel::Other => "other fuel",
    }
}

fn transmission_name(t: Transmission) -> &'static str {
    match t {
        Transmission::Manual => "manual",
        Transmission::Automatic => "automatic",
    }
}

/// "12 345 678": a space between thousands.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Criterion as C;
    use MatchOutcome::{Met, Missed, Unknown};

    fn rav4_request() -> Wanted {
        Wanted {
            make: " toyota ".into(),
            model: Some("rav-4".into()),
            year_from: Some(2019),
            year_to: Some(2021),
            budget: Some(25_000),
            currency: "eur".into(),
            max_mileage_km: Some(80_000),
            fuel: None,
            transmission: Some(Transmission::Automatic),
            body: None,
            color: None,
        }
        .checked()
        .unwrap()
    }

    fn car(make: &str, model: &str, year: i32, price: i64, currency: &str, mileage: i64) -> ListingInput {
        ListingInput {
            make: make.into(),
            model: model.into(),
            year,
            price,
            currency: currency.into(),
            mileage,
            mileage_unit: MileageUnit::Km,
            vin: None,
            fuel: Some(Fuel::Hybrid),
            transmission: Some(Transmission::Automatic),
            body: Some("SUV".into()),
            color: Some("white".into()),
            photos: vec![],
            description: None,
            status: ListingStatus::Available,
            source_url: None,
        }
    }

    fn rav4(year: i32, price: i64, mileage: i64) -> ListingInput {
        car("Toyota", "RAV4", year, price, "EUR", mileage)
    }

    /// (criterion, outcome, by, note) — the whole reason, short to write.
    fn r(criterion: Criterion, outcome: MatchOutcome, by: Option<i64>, note: &str) -> Reason {
        Reason { criterion, outcome, by, note: note.into() }
    }

    #[test]
    fn requests_are_checked_and_canonicalised() {
        let w = rav4_request();
        assert_eq!((w.make.as_str(), w.model.as_deref(), w.currency.as_str()), ("Toyota", Some("RAV4"), "EUR"));
        let base = || Wanted { make: "Mercedes".into(), body: Some("  ".into()), color: Some(" Black ".into()), ..rav4_request() };
        let ok = Wanted { model: Some("Tesla Thing".into()), ..base() }.checked().unwrap();
        assert_eq!((ok.make.as_str(), ok.model.as_deref(), ok.body, ok.color.as_deref()), ("Mercedes-Benz", Some("Tesla Thing"), None, Some("Black")));
        let unknown = Wanted { make: "  Zastava ".into(), model: None, ..base() }.checked().unwrap();
        assert_eq!(unknown.make, "Zastava");
        for (bad, field) in [
            (Wanted { make: "  ".into(), ..base() }, "make"),
            (Wanted { year_from: Some(1949), ..base() }, "year_from"),
            (Wanted { year_to: Some(2101), ..base() }, "year_to"),
            (Wanted { year_from: Some(2022), year_to: Some(2021), ..base() }, "year_to"),
            (Wanted { budget: Some(0), ..base() }, "budget"),
            (Wanted { currency: "EURO".into(), ..base() }, "currency"),
            (Wanted { currency: "E1R".into(), ..base() }, "currency"),
            (Wanted { max_mileage_km: Some(-5), ..base() }, "max_mileage_km"),
            (Wanted { body: Some("x".repeat(41)), ..base() }, "body"),
            (Wanted { color: Some("x".repeat(41)), ..base() }, "color"),
        ] {
            assert_eq!(bad.checked().unwrap_err().field, field);
        }
    }

    #[test]
    fn the_rav4_request_ranks_the_stock_and_says_why() {
        let in_miles = ListingInput { mileage_unit: MileageUnit::Mi, ..rav4(2020, 24_500, 50_000) };
        let no_gearbox = ListingInput { transmission: None, ..rav4(2020, 24_200, 60_000) };
        let manual = ListingInput { transmission: Some(Transmission::Manual), ..rav4(2017, 21_000, 90_000) };
        let sold = ListingInput { status: ListingStatus::Sold, ..rav4(2020, 20_000, 10_000) };
        let reserved = ListingInput { status: ListingStatus::Reserved, ..rav4(2020, 20_000, 10_000) };
        let stock = vec![
            ("perfect", rav4(2020, 24_000, 60_000)),
            ("older", rav4(2018, 22_000, 60_000)),
            ("pricey", rav4(2020, 27_000, 60_000)),
            ("mileage", rav4(2020, 24_000, 82_000)),
            ("miles", in_miles),
            ("usd", car("Toyota", "RAV4", 2020, 24_000, "USD", 60_000)),
            ("spelled", car("TOYOTA ", "Rav 4 Hybrid", 2021, 23_500, "eur", 70_000)),
            ("no_gearbox", no_gearbox),
            ("manual", manual),
            ("far", rav4(2014, 35_000, 150_000)),
            ("corolla", car("Toyota", "Corolla", 2020, 20_000, "EUR", 40_000)),
            ("lexus", car("Lexus", "RX", 2020, 24_000, "EUR", 40_000)),
            ("sold", sold),
            ("reserved", reserved),
        ];
        let ranked = rank(&rav4_request(), stock.iter().map(|(id, c)| (*id, c)));
        let got: Vec<(&str, u8)> = ranked.iter().map(|(id, m)| (*id, m.score)).collect();
        assert_eq!(
            got,
            [
                ("spelled", 100),
                ("perfect", 100),
                ("miles", 99),
                ("no_gearbox", 98),
                ("mileage", 97),
                ("usd", 95),
                ("older", 90),
                ("pricey", 84),
                ("manual", 57),
            ]
        );

        let make_model = |model: &str| [r(C::Make, Met, None, "Toyota"), r(C::Model, Met, None, model)];
        let auto = r(C::Transmission, Met, None, "automatic");
        let year_ok = |y: &str| r(C::Year, Met, None, &format!("{y}, within 2019–2021"));
        let expected: Vec<(&str, Vec<Reason>)> = vec![
            (
                "spelled",
                [
                    make_model("Rav 4 Hybrid").to_vec(),
                    vec![year_ok("2021"), r(C::Price, Met, None, "23 500 EUR, within budget"), r(C::Mileage, Met, None, "70 000 km"), auto.clone()],
                ]
                .concat(),
            ),
            (
                "perfect",
                [
                    make_model("RAV4").to_vec(),
                    vec![year_ok("2020"), r(C::Price, Met, None, "24 000 EUR, within budget"), r(C::Mileage, Met, None, "60 000 km"), auto.clone()],
                ]
                .concat(),
            ),
            (
                "miles",
                [
                    make_model("RAV4").to_vec(),
                    vec![
                        year_ok("2020"),
                        r(C::Price, Met, None, "24 500 EUR, within budget"),
                        // 50 000 mi = 80 467 km.
                        r(C::Mileage, Missed, Some(467), "467 km over"),
                        auto.clone(),
                    ],
                ]
                .concat(),
            ),
            (
                "no_gearbox",
                [
                    make_model("RAV4").to_vec(),
                    vec![
                        year_ok("2020"),
                        r(C::Price, Met, None, "24 200 EUR, within budget"),
                        r(C::Mileage, Met, None, "60 000 km"),
                        r(C::Transmission, Unknown, None, "transmission not given"),
                    ],
                ]
                .concat(),
            ),
            (
                "mileage",
                [
                    make_model("RAV4").to_vec(),
                    vec![
                        year_ok("2020"),
                        r(C::Price, Met, None, "24 000 EUR, within budget"),
                        r(C::Mileage, Missed, Some(2_000), "2 000 km over"),
                        auto.clone(),
                    ],
                ]
                .concat(),
            ),
            (
                "usd",
                [
                    make_model("RAV4").to_vec(),
                    vec![year_ok("2020"), r(C::Price, Unknown, None, "priced in USD, budget in EUR"), r(C::Mileage, Met, None, "60 000 km"), auto.clone()],
                ]
                .concat(),
            ),
            (
                "older",
                [
                    make_model("RAV4").to_vec(),
                    vec![
                        r(C::Year, Missed, Some(1), "1 year older"),
                        r(C::Price, Met, None, "22 000 EUR, within budget"),
                        r(C::Mileage, Met, None, "60 000 km"),
                        auto.clone(),
                    ],
                ]
                .concat(),
            ),
            (
                "pricey",
                [
                    make_model("RAV4").to_vec(),
                    vec![year_ok("2020"), r(C::Price, Missed, Some(2_000), "2 000 EUR over budget"), r(C::Mileage, Met, None, "60 000 km"), auto.clone()],
                ]
                .concat(),
            ),
            (
                "manual",
                [
                    make_model("RAV4").to_vec(),
                    vec![
                        r(C::Year, Missed, Some(2), "2 years older"),
                        r(C::Price, Met, None, "21 000 EUR, within budget"),
                        r(C::Mileage, Missed, Some(10_000), "10 000 km over"),
                        r(C::Transmission, Missed, None, "manual, not automatic"),
                    ],
                ]
                .concat(),
            ),
        ];
        for ((id, m), (want_id, want)) in ranked.iter().zip(&expected) {
            assert_eq!((id, &m.reasons), (want_id, want));
        }
        assert_eq!(ranked.len(), expected.len());

        // Under MIN_SCORE but still a match, with every miss capped.
        let far = match_car(&rav4_request(), &stock[9].1).unwrap();
        assert_eq!(far.score, 0);
        let by: Vec<_> = far.reasons.iter().map(|r| (r.criterion, r.outcome, r.by)).collect();
        assert_eq!(by[2..5], [(C::Year, Missed, Some(5)), (C::Price, Missed, Some(10_000)), (C::Mileage, Missed, Some(70_000))]);
        for (id, c) in &stock[10..] {
            assert_eq!(match_car(&rav4_request(), c), None, "{id}");
        }
    }

    #[test]
    fn makes_bodies_and_colours_compare_loosely() {
        let w = Wanted {
            make: "VW".into(),
            model: None,
            year_from: Some(2019),
            year_to: None,
            budget: None,
            currency: "EUR".into(),
            max_mileage_km: None,
            fuel: Some(Fuel::Petrol),
            transmission: None,
            body: Some("suv".into()),
            color: Some("Gray".into()),
        };
        let tiguan = ListingInput {
            fuel: Some(Fuel::Petrol),
            body: Some(" Crossover ".into()),
            color: Some("grey".into()),
            ..car("Volkswagen", "Tiguan", 2019, 1, "EUR", 1)
        };
        let m = match_car(&w, &tiguan).unwrap();
        assert_eq!(m.score, 100);
        assert_eq!(
            m.reasons,
            [
                r(C::Make, Met, None, "Volkswagen"),
                r(C::Year, Met, None, "2019, within 2019 or newer"),
                r(C::Fuel, Met, None, "petrol"),
                r(C::Body, Met, None, "Crossover"),
                r(C::Color, Met, None, "grey"),
            ]
        );
        let passat = ListingInput { fuel: Some(Fuel::Diesel), body: Some("Sedan".into()), color: None, ..car("volkswagen", "Passat", 2020, 1, "EUR", 1) };
        let m = match_car(&w, &passat).unwrap();
        assert_eq!(m.score, 100 - 10 - 6 - 1);
        assert_eq!(
            m.reasons[2..],
            [r(C::Fuel, Missed, None, "diesel, not petrol"), r(C::Body, Missed, None, "Sedan, not suv"), r(C::Color, Unknown, None, "color not given")]
        );
        // Unknown makes and models compare by their words; a longer model is a version of it.
        let w = Wanted { make: "Zastava".into(), model: Some("Yugo 45".into()), year_from: None, fuel: None, body: None, color: None, ..w };
        assert!(match_car(&w, &car("ZASTAVA", "yugo-45 GV", 1988, 1, "EUR", 1)).is_some());
        assert!(match_car(&w, &car("Zastava", "Yugo", 1988, 1, "EUR", 1)).is_none());
        assert!(match_car(&w, &car("Zastava", "Yugo 55", 1988, 1, "EUR", 1)).is_none());
    }

    #[test]
    fn penalties_grow_with_distance() {
        let w = rav4_request();
        let score = |c: ListingInput| match_car(&w, &c).unwrap().score;
        assert!(score(rav4(2018, 1, 1)) > score(rav4(2016, 1, 1)));
        assert!(score(rav4(2022, 1, 1)) > score(rav4(2024, 1, 1)));
        assert!(score(rav4(2020, 26_250, 1)) > score(rav4(2020, 30_000, 1)));
        assert!(score(rav4(2020, 1, 84_000)) > score(rav4(2020, 1, 96_000)));
        assert_eq!(match_car(&w, &rav4(2023, 1, 1)).unwrap().reasons[2], r(C::Year, Missed, Some(2), "2 years newer"));
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1 234 567");
        assert_eq!(thousands(i64::MIN), "-9 223 372 036 854 775 808");
    }

    fn any_wanted() -> impl Strategy<Value = Wanted> {
        (
            prop_oneof![Just("Toyota".to_string()), Just("VW".to_string()), "\\PC{0,12}"],
            proptest::option::of(prop_oneof![Just("RAV4".to_string()), "\\PC{0,12}"]),
            (proptest::option::of(any::<i32>()), proptest::option::of(any::<i32>())),
            (proptest::option::of(any::<i64>()), prop_oneof![Just("EUR".to_string()), "\\PC{0,4}"], proptest::option::of(any::<i64>())),
            (proptest::option::of(0..6usize), proptest::option::of(any::<bool>())),
            (proptest::option::of("\\PC{0,12}"), proptest::option::of("\\PC{0,12}")),
        )
            .prop_map(|(make, model, (year_from, year_to), (budget, currency, max_mileage_km), (fuel, auto), (body, color))| Wanted {
                make,
                model,
                year_from,
                year_to,
                budget,
                currency,
                max_mileage_km,
                fuel: fuel.map(|i| [Fuel::Petrol, Fuel::Diesel, Fuel::Hybrid, Fuel::Electric, Fuel::Lpg, Fuel::Other][i]),
                transmission: auto.map(|a| if a { Transmission::Automatic } else { Transmission::Manual }),
                body,
                color,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn matching_never_panics(w in any_wanted(), model in "\\PC{0,12}", year in any::<i32>(), price in any::<i64>(), mileage in any::<i64>(), miles in any::<bool>(), cur in "\\PC{0,4}") {
            let mut c = car(&w.make, &model, year, price, &cur, mileage);
            c.mileage_unit = if miles { MileageUnit::Mi } else { MileageUnit::Km };
            if let Some(m) = match_car(&w, &c) {
                prop_assert!(m.score <= 100);
            }
            let cars = [("a", c.clone()), ("b", rav4(year, price, mileage))];
            let ranked = rank(&w, cars.iter().map(|(id, c)| (*id, c)));
            prop_assert!(ranked.windows(2).all(|p| p[0].1.score >= p[1].1.score));
        }

        #[test]
        fn a_car_meeting_every_criterion_scores_100(w in any_wanted(), year in 1950..=2100i32, price in 0..=100_000_000i64, mileage in 0..=5_000_000i64, miles in any::<bool>()) {
            let w = match w.checked() { Ok(w) => w, Err(_) => return Ok(()) };
            let year = year.clamp(w.year_from.unwrap_or(1950), w.year_to.unwrap_or(2100).max(w.year_from.unwrap_or(1950)));
            let mut c = car(&w.make, w.model.as_deref().unwrap_or("Anything"), year, price.min(w.budget.unwrap_or(i64::MAX)), &w.currency, mileage.min(w.max_mileage_km.unwrap_or(i64::MAX)));
            if miles {
                // Whole miles under the limit.
                c.mileage_unit = MileageUnit::Mi;
                c.mileage = c.mileage * 1_000_000 / 1_609_344;
            }
            c.fuel = w.fuel;
            c.transmission = w.transmission;
            c.body.clone_from(&w.body);
            c.color.clone_from(&w.color);
            let m = match_car(&w, &c).expect("the same make and model match");
            prop_assert_eq!(m.score, 100, "{:?}", m.reasons);
            prop_assert!(m.reasons.iter().all(|r| r.outcome == MatchOutcome::Met));
        }
    }
}
