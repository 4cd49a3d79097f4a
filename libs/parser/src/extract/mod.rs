//! Extraction: turns the HTML of a vehicle page into every variable we can
//! detect, each with where it came from and how sure we are.
//!
//! Sources, strongest first: schema.org JSON-LD, microdata (`itemprop`),
//! OpenGraph / meta tags, then heuristics on the visible text (label/value
//! pairs such as `Kilometerstand | 70.000 km`, prices with a currency,
//! mileages with a unit, VINs, years, the make and model in the title).
//!
//! Files by concern: [`jsonld`], [`microdata`], [`meta`], [`labels`]
//! (spec tables, read through the vocabularies in `data/`),
//! [`breadcrumbs`] (the make and model in the site's trail), [`text`]
//! (prices, mileages, VINs, years and titles in the visible text) and
//! [`gallery`] (photos). [`collector`] normalises what they find and
//! [`agreement`] lowers the confidence of values that sources disagree on.
//!
//! Pure: no I/O, never panics on any input. No site is named here: sites
//! differ through general rules, the vocabularies and the dealer's saved
//! mappings (a test scans these sources for host names).

mod agreement;
mod breadcrumbs;
mod collector;
mod distance;
mod gallery;
mod jsonld;
mod labels;
mod meta;
mod microdata;
mod photos;
mod prescan;
mod text;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};
use url::Url;

use collector::Collector;
use prescan::ScriptKind;

/// An inventory field the parser can detect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Make,
    Model,
    Year,
    Price,
    /// ISO 4217 code.
    Currency,
    Mileage,
    /// `km` or `mi`.
    MileageUnit,
    Vin,
    Fuel,
    Transmission,
    Body,
    Color,
    Description,
    Title,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Make,
        Field::Model,
        Field::Year,
        Field::Price,
        Field::Currency,
        Field::Mileage,
        Field::MileageUnit,
        Field::Vin,
        Field::Fuel,
        Field::Transmission,
        Field::Body,
        Field::Color,
        Field::Description,
        Field::Title,
    ];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Make => "make",
            Field::Model => "model",
            Field::Year => "year",
            Field::Price => "price",
            Field::Currency => "currency",
            Field::Mileage => "mileage",
            Field::MileageUnit => "mileage_unit",
            Field::Vin => "vin",
            Field::Fuel => "fuel",
            Field::Transmission => "transmission",
            Field::Body => "body",
            Field::Color => "color",
            Field::Description => "description",
            Field::Title => "title",
        }
    }
}

/// Where a detected value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    JsonLd,
    Microdata,
    Meta,
    Text,
}

impl Source {
    /// Lower is stronger.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Source::JsonLd => 0,
            Source::Microdata => 1,
            Source::Meta => 2,
            Source::Text => 3,
        }
    }
}

/// One detected variable. `value` is normalised: prices and mileages are
/// plain numbers (`24990`), currencies ISO codes, years four digits, makes
/// canonical where the built-in list knows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detected {
    pub field: Field,
    pub value: String,
    pub source: Source,
    /// 0.0 ..= 1.0
    pub confidence: f32,
}

/// Everything detected on one page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub detected: Vec<Detected>,
    /// Absolute http(s) photo URLs, best first, without duplicates.
    pub photos: Vec<String>,
}

impl Extraction {
    /// The best candidate for one field: highest confidence, then the
    /// stronger source, then the one found first.
    pub fn best_of(&self, field: Field) -> Option<&Detected> {
        let mut best: Option<&Detected> = None;
        for d in self.detected.iter().filter(|d| d.field == field) {
            best = match best {
                None => Some(d),
                Some(b) => {
                    let better = d.confidence > b.confidence || (d.confidence == b.confidence && d.source.rank() < b.source.rank());
                    Some(if better { d } else { b })
                }
            };
        }
        best
    }

    /// One value per field (see [`Extraction::best_of`]).
    pub fn best(&self) -> BTreeMap<Field, Detected> {
        Field::ALL.iter().filter_map(|f| self.best_of(*f).map(|d| (*f, d.clone()))).collect()
    }

    /// The best value of a field, if any.
    pub fn value(&self, field: Field) -> Option<&str> {
        self.best_of(field).map(|d| d.value.as_str())
    }
}

/// Extracts every detectable variable from `html`. `url` is the page address,
/// used to make photo URLs absolute and to read the site's country (for `$`,
/// `kr` and a price without a currency); an unparseable `url` only loses
/// those hints.
pub fn extract(html: &str, url: &str) -> Extraction {
    let slim = prescan::slim(html);
    read_page(&Html::parse_document(&slim.html), &slim.scripts, url)
}

/// Reads a page's tree and its inline scripts (taken out by the pre-scan).
fn read_page(doc: &Html, scripts: &[(ScriptKind, &str)], url: &str) -> Extraction {
    let ld: Vec<serde_json::Value> = scripts.iter().filter(|(k, _)| *k == ScriptKind::LdJson).filter_map(|(_, t)| jsonld::parse_json_lenient(t)).collect();
    // Inline state; a script of megabytes is a bundle, not a listing's state.
    let inline: Vec<&str> = scripts.iter().filter(|(k, t)| *k == ScriptKind::Inline && t.len() <= 4_000_000).map(|(_, t)| *t).collect();
    let page_url = Url::parse(url).ok();
    let base = base_url(doc, page_url.as_ref());
    let country = page_url.as_ref().and_then(|u| u.host_str().map(country_of_host)).unwrap_or_default();
    let mut c = Collector::new(country, base);
    c.lang = doc.root_element().attr("lang").unwrap_or("").trim().to_lowercase();

    jsonld::read(&ld, &mut c);
    microdata::read(doc, &mut c);
    meta::read(doc, &mut c);
    labels::read(doc, &mut c);
    breadcrumbs::read(doc, &ld, &mut c);
    text::read(doc, &mut c);
    gallery::read(doc, &inline, &mut c);
    c.default_currency();
    c.default_mileage_unit();
    c.tidy_models();
    agreement::weigh(&mut c.detected);

    Extraction { detected: c.detected, photos: c.photos.into_urls() }
}

/// The country part of a host: its top-level domain ("pl" for a Polish
/// host, "uk" for a British one; generic domains name no country).
fn country_of_host(host: &str) -> String {
    let tld = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
    tld.to_lowercase()
}

pub(crate) fn sel(css: &'static str, cell: &'static OnceLock<Option<Selector>>) -> Option<&'static Selector> {
    cell.get_or_init(|| Selector::parse(css).ok()).as_ref()
}

/// A CSS selector compiled once.
macro_rules! selector {
    ($css:expr) => {{
        static CELL: std::sync::OnceLock<Option<scraper::Selector>> = std::sync::OnceLock::new();
        $crate::extract::sel($css, &CELL)
    }};
}
pub(crate) use selector;

fn base_url(doc: &Html, page: Option<&Url>) -> Option<Url> {
    let href = selector!("base[href]").and_then(|s| doc.select(s).next()).and_then(|e| e.attr("href"));
    match (page, href) {
        (Some(p), Some(h)) => p.join(h).ok().or_else(|| Some(p.clone())),
        (Some(p), None) => Some(p.clone()),
        (None, Some(h)) => Url::parse(h).ok(),
        (None, None) => None,
    }
}

/// Collapses runs of whitespace to single spaces and trims.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `hay` contains any of `words` (lower-cased).
pub(crate) fn contains_any(hay: &str, words: &[&str]) -> bool {
    let l = hay.to_lowercase();
    words.iter().any(|w| l.contains(w))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_listings;
#[cfg(test)]
mod tests_rules;
