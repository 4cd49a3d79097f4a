//! The collector: every pass pushes raw values here; they are normalised
//! (canonical makes and models, plain numbers, ISO currencies, canonical
//! fuels and gearboxes) and de-duplicated per source.

use cartie_dictionary::Dictionary;
use cartie_domain::values::{currency_for_country, currency_iso, format_amount, parse_amount};
use url::Url;

use super::gallery::PhotoSet;
use super::{squash, Detected, Field, Source};
use crate::util::{clip, first_year};
use crate::vin::{check_vin, normalize_vin};
use crate::vocab::canonical_value;

pub(crate) struct Collector {
    pub detected: Vec<Detected>,
    pub photos: PhotoSet,
    /// The site's country (top-level domain), may be empty.
    pub country: String,
    pub base: Option<Url>,
}

impl Collector {
    pub fn new(country: String, base: Option<Url>) -> Self {
        Collector { detected: Vec::new(), photos: PhotoSet::default(), country, base }
    }

    /// Normalises `raw` for `field` and records it. Returns false when the
    /// value was not usable.
    pub fn push(&mut self, field: Field, raw: &str, source: Source, confidence: f32) -> bool {
        let Some(value) = normalize(field, raw, &self.country) else {
            return false;
        };
        let confidence = confidence.clamp(0.0, 1.0);
        if let Some(existing) = self.detected.iter_mut().find(|d| d.field == field && d.source == source && d.value == value) {
            if confidence > existing.confidence {
                existing.confidence = confidence;
            }
            return true;
        }
        self.detected.push(Detected { field, value, source, confidence });
        true
    }

    /// A photo URL as written on the page (relative, protocol-relative...).
    pub fn photo(&mut self, raw: &str) {
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with("data:") || raw.len() > 2048 {
            return;
        }
        let joined = match &self.base {
            Some(b) => b.join(raw).ok(),
            None => Url::parse(raw).ok(),
        };
        if let Some(u) = joined {
            self.photos.add(u);
        }
    }

    /// A page that states a price but no currency is priced in its
    /// country's currency (a weak guess: any currency on the page wins).
    pub fn default_currency(&mut self) {
        let has_price = self.detected.iter().any(|d| d.field == Field::Price);
        let has_currency = self.detected.iter().any(|d| d.field == Field::Currency);
        if has_price && !has_currency {
            if let Some(cur) = currency_for_country(&self.country) {
                self.push(Field::Currency, cur, Source::Meta, 0.2);
            }
        }
    }

    /// Models written with their make ("MG 4", "Toyota Camry") lose it,
    /// and models the dictionary knows get its spelling ("rav 4" → RAV4).
    pub fn tidy_models(&mut self) {
        let Some(make) = self.best(Field::Make).map(str::to_string) else {
            return;
        };
        let dict = Dictionary::builtin();
        for d in self.detected.iter_mut().filter(|d| d.field == Field::Model) {
            let tidy = match dict.canonical_model(&make, &d.value) {
                Some(known) => known.to_string(),
                None => squash(dict.without_make(&make, &d.value)),
            };
            if !tidy.is_empty() {
                d.value = tidy;
            }
        }
    }

    /// The best value found so far for `field`, if any.
    pub fn best(&self, field: Field) -> Option<&str> {
        self.detected.iter().filter(|d| d.field == field).max_by(|a, b| a.confidence.total_cmp(&b.confidence)).map(|d| d.value.as_str())
    }
}

pub(crate) fn normalize(field: Field, raw: &str, country: &str) -> Option<String> {
    let s = squash(raw);
    if s.is_empty() {
        return None;
    }
    let dict = Dictionary::builtin();
    let out = match field {
        Field::Make => match dict.canonical_make(&s) {
            Some(m) => m.to_string(),
            None => {
                if s.chars().count() > 40 || !s.chars().any(char::is_alphabetic) {
                    return None;
                }
                s
            }
        },
        Field::Model => {
            if s.chars().count() > 60 {
                return None;
            }
            s
        }
        Field::Year => first_year(&s)?.to_string(),
        Field::Price => {
            let v = parse_amount(&s)?;
            if v <= 0.0 {
                return None;
            }
            format_amount(v)
        }
        Field::Currency => currency_iso(&s, country)?.to_string(),
        Field::Mileage => {
            let v = parse_amount(&s)?;
            if !(0.0..=5_000_000.0).contains(&v) {
                return None;
            }
            // An empty odometer field reads 0: unknown, not a new car,
            // unless the page writes a unit next to it ("0 km").
            let has_unit = s.chars().any(char::is_alphabetic);
            if v == 0.0 && !has_unit {
                return None;
            }
            format!("{}", v.round() as i64)
        }
        Field::MileageUnit => super::text::mileage_unit(&s)?.to_string(),
        Field::Vin => {
            let v = normalize_vin(&s);
            if !check_vin(&v).is_well_formed() {
                return None;
            }
            v
        }
        Field::Fuel | Field::Transmission => {
            // schema.org enumerations come as URLs: keep the last segment.
            let s = if s.starts_with("http") { s.rsplit('/').next().unwrap_or("").to_string() } else { s };
            match canonical_value(field, &s) {
                Some(v) => v.to_string(),
                None => return None,
            }
        }
        Field::Body | Field::Color => {
            let s = if s.starts_with("http") { s.rsplit('/').next().unwrap_or("").to_string() } else { s };
            if s.is_empty() || s.chars().count() > 60 {
                return None;
            }
            s
        }
        Field::Description => clip(raw.trim(), 5000),
        Field::Title => clip(&s, 300),
    };
    Some(out)
}
