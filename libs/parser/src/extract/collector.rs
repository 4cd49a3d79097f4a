//! The collector: every pass pushes raw values here; they are normalised
//! (canonical makes and models, plain numbers, ISO currencies, canonical
//! fuels and gearboxes) and de-duplicated per source.

use cartie_dictionary::Dictionary;
use cartie_domain::values::{currency_for_country, currency_iso, format_amount, parse_amount};
use url::Url;

use super::distance::Mil;
use super::photos::PhotoSet;
use super::{squash, Detected, Field, Source};
use crate::util::{clip, year_value};
use crate::vin::{check_vin, normalize_vin};
use crate::vocab::{canonical_value, family_word, is_version_string};

pub(crate) struct Collector {
    pub detected: Vec<Detected>,
    pub photos: PhotoSet,
    /// The page's share images (`og:image`, `twitter:image`): the main
    /// photo on most sites, a site-wide picture on some; the gallery pass
    /// decides (see `gallery::read`).
    pub share_photos: Vec<Url>,
    /// The site's country (top-level domain), may be empty.
    pub country: String,
    /// The page's language (`<html lang>`, lower case), may be empty.
    pub lang: String,
    pub base: Option<Url>,
}

impl Collector {
    pub fn new(country: String, base: Option<Url>) -> Self {
        Collector { detected: Vec::new(), photos: PhotoSet::default(), share_photos: Vec::new(), country, lang: String::new(), base }
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
        if let Some(u) = self.absolute(raw) {
            self.photos.add(u);
        }
    }

    /// A share image (`og:image`), kept aside for the gallery pass.
    pub fn share_photo(&mut self, raw: &str) {
        if let Some(u) = self.absolute(raw) {
            if !self.share_photos.contains(&u) {
                self.share_photos.push(u);
            }
        }
    }

    /// `raw` made absolute against the page, if it is a usable address.
    pub fn absolute(&self, raw: &str) -> Option<Url> {
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with("data:") || raw.len() > 2048 {
            return None;
        }
        match &self.base {
            Some(b) => b.join(raw).ok(),
            None => Url::parse(raw).ok(),
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

    /// A mileage written without a unit is in the unit of the site's
    /// country: miles in the US and the UK (by the domain, or an English
    /// page priced in dollars or pounds), kilometres elsewhere. A weak
    /// guess: any unit the page writes wins.
    pub fn default_mileage_unit(&mut self) {
        let has_mileage = self.detected.iter().any(|d| d.field == Field::Mileage);
        let has_unit = self.detected.iter().any(|d| d.field == Field::MileageUnit);
        if !has_mileage || has_unit {
            return;
        }
        let english = self.lang.is_empty() || self.lang.starts_with("en");
        let miles_currency = matches!(self.best(Field::Currency), Some("USD" | "GBP"));
        let miles = matches!(self.country.as_str(), "us" | "uk" | "gb") || (english && miles_currency);
        self.push(Field::MileageUnit, if miles { "mi" } else { "km" }, Source::Meta, 0.2);
    }

    /// Models written with their make ("MG 4", "Toyota Camry") lose it,
    /// and models the dictionary knows get its spelling ("rav 4" → RAV4,
    /// "Seria 5" → "5 Series"). A name that is only a series the
    /// dictionary does not know as a model ("Série X") is a family, not a
    /// model: a more precise name elsewhere on the page wins over it.
    pub fn tidy_models(&mut self) {
        let Some(make) = self.best(Field::Make).map(str::to_string) else {
            return;
        };
        let dict = Dictionary::builtin();
        for d in self.detected.iter_mut().filter(|d| d.field == Field::Model) {
            let known = dict.canonical_model(&make, &d.value).or_else(|| series_name(&d.value).and_then(|s| dict.canonical_model(&make, &s)));
            let version = is_version_string(&d.value);
            // A longer field ("8J TT COUPÉ", a version string) holding a
            // model the dictionary knows names that model.
            let inside = match known {
                None if version || d.value.split_whitespace().count() >= 3 => dict.model_in(&make, &d.value),
                _ => None,
            };
            let tidy = match (known, inside) {
                (Some(known), _) => known.to_string(),
                (None, Some(inside)) => {
                    d.confidence -= 0.05;
                    inside.to_string()
                }
                (None, None) => {
                    if d.value.split_whitespace().any(|w| family_word(w).is_some()) {
                        d.confidence = d.confidence.min(0.3);
                    }
                    // "2.0 MPFI GLS 16V": a version, not a model; the
                    // titles usually name the model.
                    if version {
                        d.confidence = d.confidence.min(0.25);
                    }
                    capitalised(&squash(dict.without_make(&make, &d.value)))
                }
            };
            if !tidy.is_empty() {
                d.value = tidy;
            }
        }
    }

    /// What a bare "mil" means on this page.
    pub fn mil(&self) -> Mil {
        Mil::of_page(&self.lang, &self.country)
    }

    /// The best value found so far for `field`, if any.
    pub fn best(&self, field: Field) -> Option<&str> {
        self.detected.iter().filter(|d| d.field == field).max_by(|a, b| a.confidence.total_cmp(&b.confidence)).map(|d| d.value.as_str())
    }
}

/// "Seria 5", "Série 3", "Klasa E", "E Klasse" in the dictionary's words:
/// "5 Series", "3 Series", "E Class".
fn series_name(model: &str) -> Option<String> {
    let words: Vec<&str> = model.split_whitespace().collect();
    match words.as_slice() {
        [a, b] => match (family_word(a), family_word(b)) {
            (Some(f), None) => Some(format!("{b} {f}")),
            (None, Some(f)) => Some(format!("{a} {f}")),
            _ => None,
        },
        _ => None,
    }
}

/// A model written all in lower case ("impala") with capitals ("Impala").
fn capitalised(model: &str) -> String {
    if model.chars().any(char::is_uppercase) {
        return model.to_string();
    }
    model
        .split(' ')
        .map(|w| {
            let mut ch = w.chars();
            match ch.next() {
                Some(f) => f.to_uppercase().chain(ch).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A make the dictionary knows at the start of a company name ("Kia
/// Motors" → Kia, "Toyota Motor Europe" → Toyota).
fn make_in_company_name(dict: &Dictionary, s: &str) -> Option<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=words.len().min(2)).rev().find_map(|n| dict.canonical_make(&words[..n].join(" ")).map(str::to_string))
}

pub(crate) fn normalize(field: Field, raw: &str, country: &str) -> Option<String> {
    let s = squash(raw);
    if s.is_empty() {
        return None;
    }
    let dict = Dictionary::builtin();
    let out = match field {
        Field::Make => match dict.canonical_make(&s).map(str::to_string).or_else(|| make_in_company_name(dict, &s)) {
            Some(m) => m,
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
        Field::Year => year_value(&s)?.to_string(),
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
        Field::MileageUnit => super::distance::mileage_unit(&s)?.to_string(),
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
