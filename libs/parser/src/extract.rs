//! Extraction: turns the HTML of a vehicle page into every variable we can
//! detect, each with where it came from and how sure we are.
//!
//! Sources, strongest first: schema.org JSON-LD, microdata (`itemprop`),
//! OpenGraph / meta tags, then heuristics on the visible text (label/value
//! pairs such as `Kilometerstand | 70.000 km`, prices with a currency,
//! mileages with a unit, VINs, years, the make and model in the title).
//!
//! Pure: no I/O, never panics on any input.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::makes::{canonical_make, find_make};
use crate::util::{
    clip, currency_iso, first_year, format_amount, parse_amount, plausible_year, squash,
};
use crate::vin::{check_vin, normalize_vin, VinCheck};

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
    fn rank(self) -> u8 {
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
                    let better = d.confidence > b.confidence
                        || (d.confidence == b.confidence && d.source.rank() < b.source.rank());
                    Some(if better { d } else { b })
                }
            };
        }
        best
    }

    /// One value per field (see [`Extraction::best_of`]).
    pub fn best(&self) -> BTreeMap<Field, Detected> {
        Field::ALL
            .iter()
            .filter_map(|f| self.best_of(*f).map(|d| (*f, d.clone())))
            .collect()
    }

    /// The best value of a field, if any.
    pub fn value(&self, field: Field) -> Option<&str> {
        self.best_of(field).map(|d| d.value.as_str())
    }
}

/// Extracts every detectable variable from `html`. `url` is the page address,
/// used to make photo URLs absolute and to read currency hints from the
/// domain; an unparseable `url` only loses those hints.
pub fn extract(html: &str, url: &str) -> Extraction {
    let doc = Html::parse_document(html);
    let page_url = Url::parse(url).ok();
    let base = base_url(&doc, page_url.as_ref());
    let tld = page_url
        .as_ref()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.rsplit('.').next().unwrap_or("").to_lowercase())
        })
        .unwrap_or_default();
    let mut c = Collector::new(tld, base);

    json_ld(&doc, &mut c);
    microdata(&doc, &mut c);
    meta(&doc, &mut c);
    text_heuristics(&doc, &mut c);
    gallery_photos(&doc, &mut c);

    Extraction {
        detected: c.detected,
        photos: c.photos,
    }
}

// ---------------------------------------------------------------------------
// Collector: normalises and de-duplicates what the passes find.

struct Collector {
    detected: Vec<Detected>,
    photos: Vec<String>,
    tld: String,
    base: Option<Url>,
}

impl Collector {
    fn new(tld: String, base: Option<Url>) -> Self {
        Collector {
            detected: Vec::new(),
            photos: Vec::new(),
            tld,
            base,
        }
    }

    /// Normalises `raw` for `field` and records it. Returns false when the
    /// value was not usable.
    fn push(&mut self, field: Field, raw: &str, source: Source, confidence: f32) -> bool {
        let Some(value) = normalize(field, raw, &self.tld) else {
            return false;
        };
        let confidence = confidence.clamp(0.0, 1.0);
        if let Some(existing) = self
            .detected
            .iter_mut()
            .find(|d| d.field == field && d.source == source && d.value == value)
        {
            if confidence > existing.confidence {
                existing.confidence = confidence;
            }
            return true;
        }
        self.detected.push(Detected {
            field,
            value,
            source,
            confidence,
        });
        true
    }

    fn photo(&mut self, raw: &str) {
        if self.photos.len() >= 40 {
            return;
        }
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with("data:") || raw.len() > 2048 {
            return;
        }
        let joined = match &self.base {
            Some(b) => b.join(raw).ok(),
            None => Url::parse(raw).ok(),
        };
        let Some(u) = joined else { return };
        if u.scheme() != "http" && u.scheme() != "https" {
            return;
        }
        let lower = u.path().to_lowercase();
        if lower.ends_with(".svg")
            || [
                "logo",
                "icon",
                "sprite",
                "placeholder",
                "blank.",
                "pixel",
                "spacer",
            ]
            .iter()
            .any(|w| lower.contains(w))
        {
            return;
        }
        let s = u.to_string();
        if !self.photos.contains(&s) {
            self.photos.push(s);
        }
    }
}

fn normalize(field: Field, raw: &str, tld: &str) -> Option<String> {
    let s = squash(raw);
    if s.is_empty() {
        return None;
    }
    let out = match field {
        Field::Make => match canonical_make(&s) {
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
        Field::Currency => currency_iso(&s, tld)?.to_string(),
        Field::Mileage => {
            let v = parse_amount(&s)?;
            if !(0.0..=5_000_000.0).contains(&v) {
                return None;
            }
            format!("{}", v.round() as i64)
        }
        Field::MileageUnit => mileage_unit(&s)?.to_string(),
        Field::Vin => {
            let v = normalize_vin(&s);
            if !check_vin(&v).is_well_formed() {
                return None;
            }
            v
        }
        Field::Fuel | Field::Transmission | Field::Body | Field::Color => {
            // schema.org enumerations come as URLs: keep the last segment.
            let s = if s.starts_with("http") {
                s.rsplit('/').next().unwrap_or("").to_string()
            } else {
                s
            };
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

/// `km` / `mi` from a unit code or word.
fn mileage_unit(s: &str) -> Option<&'static str> {
    let l = s.trim().trim_end_matches('.').to_lowercase();
    match l.as_str() {
        "km" | "kmt" | "kms" | "kilometer" | "kilometers" | "kilometre" | "kilometres" | "км"
        | "tkm" => Some("km"),
        "mi" | "smi" | "mile" | "miles" | "mls" => Some("mi"),
        _ => None,
    }
}

fn sel(css: &'static str, cell: &'static OnceLock<Option<Selector>>) -> Option<&'static Selector> {
    cell.get_or_init(|| Selector::parse(css).ok()).as_ref()
}

macro_rules! selector {
    ($css:expr) => {{
        static CELL: OnceLock<Option<Selector>> = OnceLock::new();
        sel($css, &CELL)
    }};
}

fn base_url(doc: &Html, page: Option<&Url>) -> Option<Url> {
    let href = selector!("base[href]")
        .and_then(|s| doc.select(s).next())
        .and_then(|e| e.attr("href"));
    match (page, href) {
        (Some(p), Some(h)) => p.join(h).ok().or_else(|| Some(p.clone())),
        (Some(p), None) => Some(p.clone()),
        (None, Some(h)) => Url::parse(h).ok(),
        (None, None) => None,
    }
}

// ---------------------------------------------------------------------------
// JSON-LD

fn json_ld(doc: &Html, c: &mut Collector) {
    let Some(scripts) = selector!("script") else {
        return;
    };
    for script in doc.select(scripts) {
        let is_ld = script
            .attr("type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
        if !is_ld {
            continue;
        }
        let text: String = script.text().collect();
        if let Some(v) = parse_json_lenient(&text) {
            walk_ld(&v, c, 0);
        }
    }
}

fn parse_json_lenient(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        return Some(v);
    }
    // Common breakage: HTML comments / CDATA around the JSON, raw newlines
    // inside strings, a trailing semicolon.
    let cleaned: String = t
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim()
        .trim_end_matches(';')
        .chars()
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect();
    serde_json::from_str::<Value>(&cleaned).ok()
}

fn types_of(map: &Map<String, Value>) -> Vec<String> {
    let strip = |s: &str| s.rsplit(['/', ':']).next().unwrap_or(s).to_lowercase();
    match map.get("@type") {
        Some(Value::String(s)) => vec![strip(s)],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(strip).collect(),
        _ => Vec::new(),
    }
}

const VEHICLE_TYPES: &[&str] = &[
    "car",
    "vehicle",
    "motorcycle",
    "motorizedbicycle",
    "busorcoach",
];
const PRODUCT_TYPES: &[&str] = &["product", "individualproduct", "someproducts"];

fn walk_ld(v: &Value, c: &mut Collector, depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                walk_ld(item, c, depth + 1);
            }
        }
        Value::Object(map) => {
            let types = types_of(map);
            let has = |list: &[&str]| types.iter().any(|t| list.contains(&t.as_str()));
            // Lists of other cars (related listings, search results) and
            // breadcrumbs only add noise.
            if has(&["itemlist", "breadcrumblist", "searchresultspage"]) {
                return;
            }
            if has(VEHICLE_TYPES) {
                ld_vehicle(map, c, 0.95);
            } else if has(PRODUCT_TYPES) {
                ld_vehicle(map, c, 0.85);
            } else if has(&["offer", "aggregateoffer"]) {
                ld_offer(map, c, 0.9);
            }
            for (k, child) in map {
                if k != "@context" {
                    walk_ld(child, c, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Text of a JSON-LD value: a string, a number, or an object's name/value.
fn ld_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(m) => ["name", "@value", "value"]
            .iter()
            .find_map(|k| m.get(*k).and_then(ld_text)),
        Value::Array(a) => a.iter().find_map(ld_text),
        _ => None,
    }
}

fn ld_vehicle(map: &Map<String, Value>, c: &mut Collector, conf: f32) {
    let get = |k: &str| map.get(k).and_then(ld_text);
    if let Some(name) = get("name") {
        c.push(Field::Title, &name, Source::JsonLd, conf - 0.05);
    }
    for (key, delta) in [("brand", 0.0), ("manufacturer", -0.02)] {
        if let Some(make) = get(key) {
            c.push(Field::Make, &make, Source::JsonLd, conf + delta);
        }
    }
    if let Some(model) = get("model") {
        c.push(Field::Model, &model, Source::JsonLd, conf);
    }
    for (key, delta) in [
        ("vehicleModelDate", 0.0),
        ("modelDate", 0.0),
        ("modelYear", 0.0),
        ("vehicleModelYear", 0.0),
        ("productionDate", -0.1),
        ("releaseDate", -0.1),
        ("dateVehicleFirstRegistered", -0.12),
    ] {
        if let Some(y) = get(key) {
            c.push(Field::Year, &y, Source::JsonLd, conf + delta);
        }
    }
    if let Some(m) = map.get("mileageFromOdometer") {
        ld_mileage(m, c, conf);
    }
    for key in ["vehicleIdentificationNumber", "vin"] {
        if let Some(v) = get(key) {
            c.push(Field::Vin, &v, Source::JsonLd, conf);
        }
    }
    if let Some(f) = get("fuelType") {
        c.push(Field::Fuel, &f, Source::JsonLd, conf);
    }
    if let Some(engine) = map.get("vehicleEngine") {
        let engines: Vec<&Value> = match engine {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for e in engines {
            if let Some(f) = e.get("fuelType").and_then(ld_text) {
                c.push(Field::Fuel, &f, Source::JsonLd, conf - 0.02);
            }
        }
    }
    if let Some(t) = get("vehicleTransmission") {
        c.push(Field::Transmission, &t, Source::JsonLd, conf);
    }
    if let Some(b) = get("bodyType") {
        c.push(Field::Body, &b, Source::JsonLd, conf);
    }
    if let Some(col) = get("color") {
        c.push(Field::Color, &col, Source::JsonLd, conf);
    }
    if let Some(d) = map.get("description").and_then(Value::as_str) {
        c.push(Field::Description, d, Source::JsonLd, conf - 0.05);
    }
    if let Some(img) = map.get("image") {
        ld_images(img, c);
    }
    if let Some(offers) = map.get("offers") {
        let list: Vec<&Value> = match offers {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for o in list {
            if let Value::Object(om) = o {
                ld_offer(om, c, conf);
            }
        }
    }
}

fn ld_offer(map: &Map<String, Value>, c: &mut Collector, conf: f32) {
    let mut found = false;
    for key in ["price", "lowPrice"] {
        if let Some(p) = map.get(key).and_then(ld_text) {
            if c.push(Field::Price, &p, Source::JsonLd, conf) {
                found = true;
                break;
            }
        }
    }
    if let Some(cur) = map.get("priceCurrency").and_then(ld_text) {
        c.push(Field::Currency, &cur, Source::JsonLd, conf);
    }
    if !found {
        if let Some(spec) = map.get("priceSpecification") {
            let specs: Vec<&Value> = match spec {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for s in specs {
                if let Value::Object(sm) = s {
                    if let Some(p) = sm.get("price").and_then(ld_text) {
                        c.push(Field::Price, &p, Source::JsonLd, conf);
                    }
                    if let Some(cur) = sm.get("priceCurrency").and_then(ld_text) {
                        c.push(Field::Currency, &cur, Source::JsonLd, conf);
                    }
                }
            }
        }
    }
}

fn ld_mileage(v: &Value, c: &mut Collector, conf: f32) {
    let (value, unit) = match v {
        Value::Object(m) => {
            let value = m.get("value").and_then(ld_text);
            let unit = m
                .get("unitCode")
                .and_then(ld_text)
                .or_else(|| m.get("unitText").and_then(ld_text));
            (value, unit)
        }
        other => (ld_text(other), None),
    };
    let Some(value) = value else { return };
    if c.push(Field::Mileage, &value, Source::JsonLd, conf) {
        let unit = unit
            .as_deref()
            .and_then(mileage_unit)
            .or_else(|| unit_in_text(&value));
        if let Some(u) = unit {
            c.push(Field::MileageUnit, u, Source::JsonLd, conf);
        }
    }
}

fn unit_in_text(s: &str) -> Option<&'static str> {
    let l = s.to_lowercase();
    if l.contains("km") || l.contains("км") {
        Some("km")
    } else if l.contains("mi") {
        Some("mi")
    } else {
        None
    }
}

fn ld_images(v: &Value, c: &mut Collector) {
    match v {
        Value::String(s) => c.photo(s),
        Value::Array(a) => {
            for item in a {
                ld_images(item, c);
            }
        }
        Value::Object(m) => {
            for k in ["contentUrl", "url"] {
                if let Some(s) = m.get(k).and_then(Value::as_str) {
                    c.photo(s);
                    break;
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Microdata

fn item_value(el: &ElementRef) -> String {
    if let Some(v) = el.attr("content") {
        return v.to_string();
    }
    let attr = match el.value().name() {
        "a" | "link" | "area" => "href",
        "img" | "source" | "video" | "audio" | "embed" | "iframe" => "src",
        "data" | "meter" => "value",
        "time" => "datetime",
        _ => "",
    };
    if !attr.is_empty() {
        if let Some(v) = el.attr(attr) {
            return v.to_string();
        }
    }
    squash(&el.text().collect::<String>())
}

/// itemtype of the item that owns this property (nearest itemscope ancestor).
fn owner_type(el: &ElementRef) -> Option<String> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.attr("itemscope").is_some())
        .map(|a| a.attr("itemtype").unwrap_or("").to_lowercase())
}

fn vehicle_scope(t: &str) -> bool {
    [
        "car",
        "vehicle",
        "product",
        "offer",
        "automobile",
        "motorcycle",
        "pricespecification",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// Value of the first descendant property `prop` inside `el`.
fn child_prop(el: &ElementRef, prop: &str) -> Option<String> {
    el.descendent_elements()
        .skip(1)
        .find(|d| {
            d.attr("itemprop")
                .is_some_and(|p| p.split_whitespace().any(|x| x == prop))
        })
        .map(|d| item_value(&d))
}

fn microdata(doc: &Html, c: &mut Collector) {
    let Some(props) = selector!("[itemprop]") else {
        return;
    };
    let conf = 0.85;
    for el in doc.select(props) {
        let Some(owner) = owner_type(&el) else {
            continue;
        };
        if !vehicle_scope(&owner) {
            continue;
        }
        let nested = el.attr("itemscope").is_some();
        let names: Vec<String> = el
            .attr("itemprop")
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        for name in names {
            let value = || item_value(&el);
            match name.as_str() {
                "name" => {
                    c.push(Field::Title, &value(), Source::Microdata, conf - 0.05);
                }
                "brand" | "manufacturer" => {
                    let v = if nested {
                        child_prop(&el, "name")
                    } else {
                        Some(value())
                    };
                    if let Some(v) = v {
                        c.push(Field::Make, &v, Source::Microdata, conf);
                    }
                }
                "model" => {
                    let v = if nested {
                        child_prop(&el, "name")
                    } else {
                        Some(value())
                    };
                    if let Some(v) = v {
                        c.push(Field::Model, &v, Source::Microdata, conf);
                    }
                }
                "vehicleModelDate"
                | "modelDate"
                | "productionDate"
                | "releaseDate"
                | "dateVehicleFirstRegistered" => {
                    c.push(Field::Year, &value(), Source::Microdata, conf - 0.05);
                }
                "mileageFromOdometer" => {
                    let (v, unit) = if nested {
                        (
                            child_prop(&el, "value"),
                            child_prop(&el, "unitCode").or_else(|| child_prop(&el, "unitText")),
                        )
                    } else {
                        (Some(value()), None)
                    };
                    if let Some(v) = v {
                        if c.push(Field::Mileage, &v, Source::Microdata, conf) {
                            let u = unit
                                .as_deref()
                                .and_then(mileage_unit)
                                .or_else(|| unit_in_text(&v));
                            if let Some(u) = u {
                                c.push(Field::MileageUnit, u, Source::Microdata, conf);
                            }
                        }
                    }
                }
                "vehicleIdentificationNumber" => {
                    c.push(Field::Vin, &value(), Source::Microdata, conf);
                }
                "fuelType" => {
                    c.push(Field::Fuel, &value(), Source::Microdata, conf);
                }
                "vehicleTransmission" => {
                    c.push(Field::Transmission, &value(), Source::Microdata, conf);
                }
                "bodyType" => {
                    c.push(Field::Body, &value(), Source::Microdata, conf);
                }
                "color" => {
                    c.push(Field::Color, &value(), Source::Microdata, conf);
                }
                "description" => {
                    c.push(Field::Description, &value(), Source::Microdata, conf - 0.1);
                }
                "price" | "lowPrice" => {
                    let v = value();
                    c.push(Field::Price, &v, Source::Microdata, conf);
                    if let Some(cur) = currency_near(&v, &c.tld.clone()) {
                        c.push(Field::Currency, cur, Source::Microdata, conf - 0.1);
                    }
                }
                "priceCurrency" => {
                    c.push(Field::Currency, &value(), Source::Microdata, conf);
                }
                "image" => {
                    if nested {
                        if let Some(u) =
                            child_prop(&el, "contentUrl").or_else(|| child_prop(&el, "url"))
                        {
                            c.photo(&u);
                        }
                    } else {
                        c.photo(&value());
                    }
                }
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------
// OpenGraph / meta

fn meta(doc: &Html, c: &mut Collector) {
    if let Some(metas) = selector!("meta[content]") {
        for m in doc.select(metas) {
            let key = m
                .attr("property")
                .or_else(|| m.attr("name"))
                .unwrap_or("")
                .to_ascii_lowercase();
            let content = m.attr("content").unwrap_or("");
            match key.as_str() {
                "og:title" => {
                    c.push(Field::Title, content, Source::Meta, 0.6);
                }
                "og:description" => {
                    c.push(Field::Description, content, Source::Meta, 0.35);
                }
                "description" => {
                    c.push(Field::Description, content, Source::Meta, 0.3);
                }
                "og:image" | "og:image:url" | "og:image:secure_url" | "twitter:image" => {
                    c.photo(content);
                }
                "product:price:amount" | "og:price:amount" | "product:price" => {
                    c.push(Field::Price, content, Source::Meta, 0.75);
                }
                "product:price:currency" | "og:price:currency" => {
                    c.push(Field::Currency, content, Source::Meta, 0.75);
                }
                "product:brand" => {
                    c.push(Field::Make, content, Source::Meta, 0.7);
                }
                _ => {}
            }
        }
    }
    if let Some(title) = selector!("title").and_then(|s| doc.select(s).next()) {
        let t: String = title.text().collect();
        c.push(Field::Title, &t, Source::Meta, 0.5);
    }
}

// ---------------------------------------------------------------------------
// Text heuristics

const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "iframe", "select", "option",
];

/// Visible text, one text node per line, capped to keep the regexes cheap.
fn visible_text(doc: &Html) -> String {
    let mut out = String::new();
    let mut stack = vec![doc.tree.root()];
    while let Some(node) = stack.pop() {
        if out.len() > 300_000 {
            break;
        }
        match node.value() {
            Node::Element(e) if SKIP_TAGS.contains(&e.name()) => continue,
            Node::Text(t) => {
                let s = t.trim();
                if !s.is_empty() {
                    out.push_str(s);
                    out.push('\n');
                }
            }
            _ => {}
        }
        // Push children in reverse so they pop in document order.
        let children: Vec<_> = node.children().collect();
        for ch in children.into_iter().rev() {
            stack.push(ch);
        }
    }
    out
}

fn text_heuristics(doc: &Html, c: &mut Collector) {
    // Headline: usually "Make Model trim" and often the year.
    let h1 = selector!("h1")
        .and_then(|s| doc.select(s).next())
        .map(|e| squash(&e.text().collect::<Vec<_>>().join(" ")))
        .filter(|s| !s.is_empty());
    if let Some(h) = &h1 {
        c.push(Field::Title, h, Source::Text, 0.7);
    }

    label_pairs(doc, c);

    // A description block.
    let desc_sel = selector!(
        "[class*=description], [id*=description], [class*=Description], [data-testid*=description], [itemprop=description], #postingbody"
    );
    if let Some(s) = desc_sel {
        if let Some(d) = doc
            .select(s)
            .map(|e| own_text(&e))
            .find(|t| t.chars().count() > 40)
        {
            c.push(Field::Description, &d, Source::Text, 0.5);
        }
    }

    let text = visible_text(doc);
    free_text(&text, c);

    // Make / model / year from the titles we have, best title first.
    let mut titles: Vec<(String, f32)> = Vec::new();
    if let Some(h) = h1 {
        titles.push((h, 0.55));
    }
    let mut others: Vec<&Detected> = c
        .detected
        .iter()
        .filter(|d| d.field == Field::Title && d.source != Source::Text)
        .collect();
    others.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    for d in others {
        titles.push((d.value.clone(), 0.5));
    }
    for (i, (t, conf)) in titles.iter().enumerate() {
        let conf = conf - 0.02 * i.min(5) as f32;
        if let Some((make, end)) = find_make(t) {
            c.push(Field::Make, make, Source::Text, conf);
            if let Some(model) = model_after(&t[end..]) {
                c.push(Field::Model, &model, Source::Text, conf - 0.1);
            }
        }
        if let Some(y) = first_year(t) {
            c.push(Field::Year, &y.to_string(), Source::Text, conf - 0.1);
        }
    }
}

/// The model is the word after the make: "Golf", "i4", "CR-V", "F-150";
/// two words for "Model 3", "Grand Cherokee", "C 300".
fn model_after(rest: &str) -> Option<String> {
    let clean = |w: &str| {
        w.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '-' && ch != '+')
            .trim_matches('-')
            .to_string()
    };
    let mut words = rest
        .split(|ch: char| ch.is_whitespace() || ch == '|' || ch == ',' || ch == '/')
        .filter(|w| !w.trim().is_empty());
    let first = clean(words.next()?);
    if first.is_empty() || first.chars().count() > 25 {
        return None;
    }
    let lower = first.to_lowercase();
    const STOP: &[&str] = &[
        "for",
        "für",
        "fur",
        "in",
        "de",
        "van",
        "voor",
        "à",
        "a",
        "z",
        "с",
        "в",
        "used",
        "new",
        "gebraucht",
        "occasion",
        "te",
        "koop",
        "sale",
        "kaufen",
        "sprzedam",
        "продажа",
        "-",
    ];
    if STOP.contains(&lower.as_str()) {
        return None;
    }
    if let Ok(n) = first.parse::<i32>() {
        if plausible_year(n) {
            return None;
        }
    }
    let joins_next = first.chars().count() == 1
        || [
            "model", "grand", "range", "serie", "series", "classe", "class", "rav",
        ]
        .contains(&lower.as_str());
    if joins_next {
        if let Some(next) = words.next().map(clean).filter(|w| !w.is_empty()) {
            let next_is_year = next.parse::<i32>().is_ok_and(plausible_year);
            if !next_is_year && next.chars().count() <= 20 {
                return Some(format!("{first} {next}"));
            }
        }
    }
    Some(first)
}

/// Maps a label ("Kilometerstand", "Год выпуска:", "Mileage") to a field.
fn label_field(label: &str) -> Option<Field> {
    let l = label
        .trim()
        .trim_end_matches([':', '：'])
        .trim()
        .to_lowercase();
    // Labels are words: "$500 price drop" or "2018" are values, not labels.
    if l.is_empty() || l.chars().count() > 40 || l.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let any = |words: &[&str]| words.iter().any(|w| l.contains(w));
    let exact = |words: &[&str]| words.iter().any(|w| l == *w);
    if any(&[
        "interior",
        "innen",
        "салон",
        "wnętrz",
        "intérieur",
        "interieur",
        "verbrauch",
        "consumption",
        "расход",
        "zużycie",
        "consommation",
    ]) {
        return None;
    }
    if any(&[
        "vin",
        "fahrgestell",
        "chassis",
        "identification number",
        "numer nadwozia",
        "vin-код",
    ]) || exact(&["fin"])
    {
        return Some(Field::Vin);
    }
    if any(&[
        "mileage",
        "odometer",
        "kilometerstand",
        "laufleistung",
        "km-stand",
        "kilométrage",
        "kilometrage",
        "przebieg",
        "пробег",
        "走行距離",
        "tachimetro",
        "kilometraje",
        "kilometerstand",
        "miles",
        "km stand",
        "стан пробега",
    ]) {
        return Some(Field::Mileage);
    }
    if any(&[
        "year",
        "baujahr",
        "erstzulassung",
        "first registration",
        "rok produkcji",
        "год выпуска",
        "bouwjaar",
        "année",
        "årsmodell",
        "年式",
        "anno",
        "año",
        "первая регистрация",
        "registration",
        "model year",
        "rok",
    ]) || exact(&["ez", "год", "jaar", "år", "reg"])
    {
        return Some(Field::Year);
    }
    if any(&[
        "transmission",
        "getriebe",
        "skrzynia",
        "коробка",
        "boîte",
        "boite",
        "transmissie",
        "växellåda",
        "gearbox",
        "ミッション",
        "cambio",
        "trasmissione",
        "кпп",
    ]) {
        return Some(Field::Transmission);
    }
    if any(&[
        "fuel",
        "kraftstoff",
        "paliwo",
        "топливо",
        "carburant",
        "brandstof",
        "drivmedel",
        "燃料",
        "alimentazione",
        "combustible",
        "тип двигателя",
        "energie",
        "énergie",
    ]) {
        return Some(Field::Fuel);
    }
    if any(&[
        "body",
        "karosserie",
        "nadwozi",
        "кузов",
        "carrosserie",
        "carroceria",
        "carrocería",
        "kategorie",
        "ボディタイプ",
        "bodytype",
        "typ",
    ]) {
        return Some(Field::Body);
    }
    if any(&[
        "colour", "color", "farbe", "kolor", "цвет", "couleur", "kleur", "färg", "色", "colore",
    ]) {
        return Some(Field::Color);
    }
    if any(&[
        "price",
        "preis",
        "cena",
        "цена",
        "prix",
        "prijs",
        "pris",
        "価格",
        "支払総額",
        "prezzo",
        "precio",
        "стоимость",
    ]) {
        return Some(Field::Price);
    }
    if exact(&[
        "make",
        "marke",
        "marka",
        "brand",
        "марка",
        "merk",
        "märke",
        "marque",
        "manufacturer",
        "hersteller",
        "メーカー",
        "marca",
        "marka pojazdu",
    ]) {
        return Some(Field::Make);
    }
    if exact(&[
        "model",
        "modell",
        "модель",
        "modèle",
        "modelo",
        "modello",
        "model pojazdu",
        "車種",
    ]) {
        return Some(Field::Model);
    }
    None
}

/// Records a value found next to a label.
fn push_labelled(c: &mut Collector, field: Field, value: &str) {
    let value = squash(value);
    if value.is_empty() || value.chars().count() > 120 {
        return;
    }
    let conf = 0.65;
    match field {
        Field::Price => {
            if contains_any(&value, MONTHLY_WORDS) {
                return;
            }
            if let Some((amount, cur)) = price_in(&value, &c.tld.clone()) {
                if c.push(Field::Price, &amount, Source::Text, conf) {
                    if let Some(cur) = cur {
                        c.push(Field::Currency, cur, Source::Text, conf);
                    }
                }
            }
        }
        Field::Mileage => {
            if let Some((km, unit)) = mileage_in(&value) {
                if c.push(Field::Mileage, &km, Source::Text, conf) {
                    if let Some(u) = unit {
                        c.push(Field::MileageUnit, u, Source::Text, conf);
                    }
                }
            }
        }
        Field::Vin => {
            let v = normalize_vin(&value);
            match check_vin(&v) {
                VinCheck::Valid => {
                    c.push(Field::Vin, &v, Source::Text, 0.75);
                }
                VinCheck::CheckDigitMismatch { .. } => {
                    c.push(Field::Vin, &v, Source::Text, 0.65);
                }
                VinCheck::Invalid { .. } => {}
            }
        }
        Field::Make => {
            let make = canonical_make(&value).map(str::to_string).unwrap_or(value);
            c.push(Field::Make, &make, Source::Text, conf);
        }
        other => {
            c.push(other, &value, Source::Text, conf);
        }
    }
}

const BLOCK_TAGS: &[&str] = &[
    "li", "ul", "ol", "div", "p", "tr", "td", "th", "dd", "dt", "dl", "table", "tbody", "section",
    "article", "br",
];

fn own_text(el: &ElementRef) -> String {
    squash(&el.text().collect::<Vec<_>>().join(" "))
}

fn next_element_sibling<'a>(el: &ElementRef<'a>) -> Option<ElementRef<'a>> {
    el.next_siblings().find_map(ElementRef::wrap)
}

/// Label/value pairs: `<dt>Mileage</dt><dd>85,000 mi</dd>`, table rows,
/// `<li><span>Пробег</span><span>85 000 км</span></li>`, `Label: value`.
fn label_pairs(doc: &Html, c: &mut Collector) {
    let Some(body) = selector!("body").and_then(|s| doc.select(s).next()) else {
        return;
    };
    let mut seen = 0usize;
    for el in body.descendent_elements() {
        seen += 1;
        if seen > 20_000 {
            break;
        }
        let name = el.value().name();
        if SKIP_TAGS.contains(&name) {
            continue;
        }
        // Cheap size guard before building the text.
        if el.descendent_elements().nth(6).is_some() {
            continue;
        }
        let text = own_text(&el);
        if text.is_empty() || text.chars().count() > 140 {
            continue;
        }
        // "Label: value" inside one element (not a container of such lines).
        let container = el
            .child_elements()
            .any(|ch| BLOCK_TAGS.contains(&ch.value().name()));
        if container {
            continue;
        }
        if let Some((label, value)) = text.split_once([':', '：']) {
            if let Some(field) = label_field(label) {
                if !value.trim().is_empty() {
                    push_labelled(c, field, value);
                    continue;
                }
            }
        }
        // A pure label followed by its value element.
        if let Some(field) = label_field(&text) {
            let mut cur = el;
            for _ in 0..3 {
                if let Some(sib) = next_element_sibling(&cur) {
                    let mut v = own_text(&sib);
                    // "2.0" followed by a unit element ("万km", "mi.").
                    if let Some(unit) = next_element_sibling(&sib).map(|u| own_text(&u)) {
                        let short = !unit.is_empty() && unit.chars().count() <= 6;
                        if short
                            && !unit.chars().any(|ch| ch.is_ascii_digit())
                            && v.chars()
                                .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == ',')
                        {
                            v = format!("{v} {unit}");
                        }
                    }
                    if !v.is_empty() && label_field(&v).is_none() {
                        push_labelled(c, field, &v);
                    }
                    break;
                }
                match cur.parent().and_then(ElementRef::wrap) {
                    Some(p) if own_text(&p) == text => cur = p,
                    _ => break,
                }
            }
        }
    }
}

fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

macro_rules! regex {
    ($re:expr) => {{
        static CELL: OnceLock<Option<Regex>> = OnceLock::new();
        re(&CELL, $re)
    }};
}

const NUM: &str =
    r"(\d{1,3}(?:[ .,\x{a0}\x{202f}']\d{3})+(?:[.,]\d{1,2})?|\d{1,9}(?:[.,]\d{1,2})?)";

fn price_prefix_re() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)(€|US\$|C\$|A\$|\$|£|₽|₴|¥|(?-u:\b)(?:CHF|EUR|USD|GBP|RUB|PLN|UAH|SEK|NOK|DKK|CZK|JPY|CAD|AUD|AED))\s?{NUM}"
        ))
        .ok()
    })
    .as_ref()
}

fn price_suffix_re() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(&format!(
            r"(?i){NUM}\s?(万円|€|\$|£|₽|₴|円|zł|руб\.?|р\.|грн|kč|(?:zl|kr|EUR|USD|GBP|RUB|PLN|UAH|SEK|NOK|DKK|CHF|CZK|JPY|CAD|AUD|AED)(?-u:\b))"
        ))
        .ok()
    })
    .as_ref()
}

/// A price with its currency inside a short string ("€ 24.990", "24 990 zł").
fn price_in(s: &str, tld: &str) -> Option<(String, Option<&'static str>)> {
    let mut found: Option<(usize, f64, Option<&'static str>)> = None;
    for (re, num_idx, cur_idx) in [(price_prefix_re(), 2, 1), (price_suffix_re(), 1, 2)] {
        let Some(re) = re else { continue };
        if let Some(cap) = re.captures(s) {
            let (Some(whole), Some(n), Some(cur)) =
                (cap.get(0), cap.get(num_idx), cap.get(cur_idx))
            else {
                continue;
            };
            let Some(mut amount) = parse_amount(n.as_str()) else {
                continue;
            };
            if cur.as_str() == "万円" {
                amount *= 10_000.0;
            }
            let iso = currency_iso(cur.as_str(), tld);
            if found.as_ref().is_none_or(|f| whole.start() < f.0) {
                found = Some((whole.start(), amount, iso));
            }
        }
    }
    match found {
        Some((_, amount, cur)) if amount > 0.0 => Some((format_amount(amount), cur)),
        _ => {
            // A bare number next to a price label.
            let amount = parse_amount(s)?;
            if amount >= 100.0 {
                Some((format_amount(amount), currency_near(s, tld)))
            } else {
                None
            }
        }
    }
}

/// A currency symbol or code anywhere in a short string.
fn currency_near(s: &str, tld: &str) -> Option<&'static str> {
    let re =
        regex!(r"(?i)(万円|€|\$|£|₽|₴|¥|円|zł|руб|грн|kč|(?-u:\b)(?:[A-Za-z]{3}|kr)(?-u:\b))")?;
    re.find_iter(s).find_map(|m| currency_iso(m.as_str(), tld))
}

/// A mileage with its unit inside a short string ("85 000 km", "2.0万km").
fn mileage_in(s: &str) -> Option<(String, Option<&'static str>)> {
    if let Some(cap) = regex!(r"(\d+(?:[.,]\d+)?)\s?万\s?(?:km|キロ)").and_then(|r| r.captures(s))
    {
        let n = cap.get(1)?.as_str().replace(',', ".");
        let v: f64 = n.parse().ok()?;
        return Some((format!("{}", (v * 10_000.0).round() as i64), Some("km")));
    }
    let amount = parse_amount(s)?;
    if !(0.0..=5_000_000.0).contains(&amount) {
        return None;
    }
    let lower = s.to_lowercase();
    let unit = if lower.contains("km") || lower.contains("км") || lower.contains("kilom") {
        Some("km")
    } else if lower.contains("mi") {
        Some("mi")
    } else {
        None
    };
    Some((format!("{}", amount.round() as i64), unit))
}

/// Up to `n` characters before byte offset `at`.
fn before(text: &str, at: usize, n: usize) -> &str {
    let at = at.min(text.len());
    let head = text.get(..at).unwrap_or("");
    let start = head
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    head.get(start..).unwrap_or("")
}

/// Up to `n` characters after byte offset `at`.
fn after(text: &str, at: usize, n: usize) -> &str {
    let tail = text.get(at.min(text.len())..).unwrap_or("");
    let end = tail
        .char_indices()
        .nth(n)
        .map(|(i, _)| i)
        .unwrap_or(tail.len());
    tail.get(..end).unwrap_or("")
}

fn contains_any(hay: &str, words: &[&str]) -> bool {
    let l = hay.to_lowercase();
    words.iter().any(|w| l.contains(w))
}

const PRICE_WORDS: &[&str] = &[
    "price",
    "preis",
    "cena",
    "цена",
    "prix",
    "prijs",
    "pris",
    "価格",
    "prezzo",
    "precio",
    "asking",
    "стоимость",
    "kaufpreis",
    "vraagprijs",
];
const MONTHLY_WORDS: &[&str] = &[
    "/mo", "mtl", "monat", "month", "/m", "mes", "мес", "mies", "p.m.", "rate", "/月", "per week",
    "/wk",
];
const MILEAGE_WORDS: &[&str] = &[
    "mileage",
    "odometer",
    "kilometerstand",
    "laufleistung",
    "km-stand",
    "kilométrage",
    "przebieg",
    "пробег",
    "走行距離",
    "kilometraje",
    "miles",
];
const RANGE_WORDS: &[&str] = &[
    "reichweite",
    "range",
    "wltp",
    "autonomie",
    "zasięg",
    "запас хода",
    "radius",
    "bereik",
    "verbrauch",
    "consumption",
];
const VIN_WORDS: &[&str] = &[
    "vin",
    "fin",
    "fahrgestell",
    "chassis",
    "identification",
    "vin-код",
    "номер кузова",
];
const YEAR_RE: &str = r"(?i)(model year|year|baujahr|erstzulassung|(?-u:\b)ez(?-u:\b)|first registration|année|rok produkcji|год выпуска|bouwjaar|årsmodell|年式|(?-u:\b)anno(?-u:\b)|(?-u:\b)año|первая регистрация|registered|first reg)[^\d\n]{0,25}(?:\d{1,2}\s?[./-]\s?)?(\d{4})";

fn free_text(text: &str, c: &mut Collector) {
    let tld = c.tld.clone();

    // Prices with a currency.
    let mut prices: Vec<(usize, String, Option<&'static str>, f32)> = Vec::new();
    for (re, num_idx, cur_idx) in [(price_prefix_re(), 2, 1), (price_suffix_re(), 1, 2)] {
        let Some(re) = re else { continue };
        for cap in re.captures_iter(text) {
            let (Some(whole), Some(n), Some(cur)) =
                (cap.get(0), cap.get(num_idx), cap.get(cur_idx))
            else {
                continue;
            };
            let Some(mut amount) = parse_amount(n.as_str()) else {
                continue;
            };
            if cur.as_str() == "万円" {
                amount *= 10_000.0;
            }
            if !(100.0..=100_000_000.0).contains(&amount) {
                continue;
            }
            if contains_any(after(text, whole.end(), 14), MONTHLY_WORDS) {
                continue;
            }
            let mut conf = 0.45;
            if contains_any(before(text, whole.start(), 40), PRICE_WORDS) {
                conf += 0.1;
            }
            prices.push((
                whole.start(),
                format_amount(amount),
                currency_iso(cur.as_str(), &tld),
                conf,
            ));
        }
    }
    prices.sort_by_key(|p| p.0);
    let mut kept = 0;
    for (i, (_, amount, cur, conf)) in prices.iter().enumerate() {
        if kept >= 3 {
            break;
        }
        // The first price on the page is usually the asking price.
        let conf = if i == 0 { conf + 0.05 } else { *conf };
        if c.detected
            .iter()
            .any(|d| d.field == Field::Price && d.source == Source::Text && &d.value == amount)
        {
            continue;
        }
        if c.push(Field::Price, amount, Source::Text, conf) {
            kept += 1;
            if let Some(cur) = cur {
                c.push(Field::Currency, cur, Source::Text, conf);
            }
        }
    }

    // Mileages with a unit.
    if let Some(re) = regex!(
        r"(?i)(\d{1,3}(?:[ .,\x{a0}\x{202f}']\d{3})+|\d{1,7})\s?(kilometers|kilometres|kms|km|км|miles|mi)"
    ) {
        let mut kept = 0;
        for cap in re.captures_iter(text) {
            if kept >= 3 {
                break;
            }
            let (Some(whole), Some(n), Some(u)) = (cap.get(0), cap.get(1), cap.get(2)) else {
                continue;
            };
            let next = after(text, whole.end(), 3);
            if next.starts_with('/') || next.chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let prev = before(text, whole.start(), 30);
            if prev.ends_with('/') || prev.ends_with("/100 ") || contains_any(prev, RANGE_WORDS) {
                continue;
            }
            let Some(v) = parse_amount(n.as_str()) else {
                continue;
            };
            if v > 2_000_000.0 {
                continue;
            }
            let mut conf = 0.4;
            if contains_any(before(text, whole.start(), 40), MILEAGE_WORDS) {
                conf += 0.15;
            }
            let value = format!("{}", v.round() as i64);
            if c.push(Field::Mileage, &value, Source::Text, conf) {
                kept += 1;
                if let Some(unit) = mileage_unit(u.as_str()) {
                    c.push(Field::MileageUnit, unit, Source::Text, conf);
                }
            }
        }
    }
    if let Some(cap) = regex!(r"(\d+(?:\.\d+)?)\s?万\s?km").and_then(|r| r.captures(text)) {
        if let Some(v) = cap.get(1).and_then(|m| m.as_str().parse::<f64>().ok()) {
            let km = format!("{}", (v * 10_000.0).round() as i64);
            if c.push(Field::Mileage, &km, Source::Text, 0.5) {
                c.push(Field::MileageUnit, "km", Source::Text, 0.5);
            }
        }
    }

    // VINs: 17 characters without I/O/Q; a valid check digit or a VIN label.
    if let Some(re) = regex!(r"(?-u:\b)[A-HJ-NPR-Z0-9]{17}(?-u:\b)") {
        for m in re.find_iter(text).take(20) {
            let v = m.as_str();
            let digits = v.chars().filter(char::is_ascii_digit).count();
            if digits < 3 || digits == 17 {
                continue;
            }
            let labelled = contains_any(before(text, m.start(), 40), VIN_WORDS);
            let conf = match (check_vin(v), labelled) {
                (VinCheck::Valid, true) => 0.8,
                (VinCheck::Valid, false) => 0.55,
                (VinCheck::CheckDigitMismatch { .. }, true) => 0.6,
                _ => continue,
            };
            c.push(Field::Vin, v, Source::Text, conf);
        }
    }

    // Years next to a year label ("Baujahr 2014", "EZ 10/2012").
    if let Some(re) = regex!(YEAR_RE) {
        for cap in re.captures_iter(text).take(5) {
            if let Some(y) = cap.get(2) {
                if y.as_str().parse::<i32>().is_ok_and(plausible_year) {
                    c.push(Field::Year, y.as_str(), Source::Text, 0.55);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Photos from galleries

const GALLERY_WORDS: &[&str] = &[
    "gallery",
    "galerie",
    "slider",
    "carousel",
    "swiper",
    "photo",
    "foto",
    "fotorama",
    "lightbox",
    "slideshow",
    "thumbnails",
    "pictures",
    "images",
    "media-viewer",
    "image-viewer",
];

fn in_gallery(el: &ElementRef) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .take(6)
        .any(|a| {
            let class = a.attr("class").unwrap_or("");
            let id = a.attr("id").unwrap_or("");
            contains_any(class, GALLERY_WORDS) || contains_any(id, GALLERY_WORDS)
        })
}

fn gallery_photos(doc: &Html, c: &mut Collector) {
    let Some(imgs) = selector!("img, a[href], source[srcset]") else {
        return;
    };
    let mut urls = Vec::new();
    for el in doc.select(imgs) {
        if !in_gallery(&el) {
            continue;
        }
        let name = el.value().name();
        let candidate = match name {
            "a" => el
                .attr("href")
                .filter(|h| {
                    let l = h.to_lowercase();
                    [".jpg", ".jpeg", ".png", ".webp", ".avif"]
                        .iter()
                        .any(|e| l.contains(e))
                })
                .map(str::to_string),
            _ => [
                "data-src",
                "data-lazy-src",
                "data-original",
                "data-zoom-image",
                "src",
            ]
            .iter()
            .filter_map(|a| el.attr(a))
            .find(|v| !v.trim().is_empty() && !v.starts_with("data:"))
            .map(str::to_string)
            .or_else(|| {
                el.attr("srcset")
                    .and_then(|s| s.split(',').next())
                    .and_then(|s| s.split_whitespace().next())
                    .map(str::to_string)
            }),
        };
        if let Some(u) = candidate {
            let tiny = el
                .attr("width")
                .and_then(|w| w.parse::<u32>().ok())
                .is_some_and(|w| w < 40);
            if !tiny {
                urls.push(u);
            }
        }
    }
    for u in urls {
        c.photo(&u);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://dealer.example.com/cars/123";

    #[test]
    fn json_ld_car_with_offer_and_graph() {
        let html = r#"<html><head><script type="application/ld+json">
        {"@context":"https://schema.org","@graph":[{"@type":"Organization","name":"Dealer"},
         {"@type":["Product","Car"],"name":"2019 VW Golf 1.5 TSI","brand":{"@type":"Brand","name":"VW"},
          "model":"Golf","vehicleModelDate":"2019","vehicleIdentificationNumber":"1M8GDM9AXKP042788",
          "mileageFromOdometer":{"@type":"QuantitativeValue","value":"52300","unitCode":"SMI"},
          "fuelType":"https://schema.org/Gasoline","image":["/img/1.jpg","https://cdn.example.com/2.jpg"],
          "offers":{"@type":"Offer","price":"18,500.00","priceCurrency":"USD"}}]}
        </script></head><body></body></html>"#;
        let e = extract(html, URL);
        assert_eq!(e.value(Field::Make), Some("Volkswagen"));
        assert_eq!(e.value(Field::Model), Some("Golf"));
        assert_eq!(e.value(Field::Year), Some("2019"));
        assert_eq!(e.value(Field::Price), Some("18500"));
        assert_eq!(e.value(Field::Currency), Some("USD"));
        assert_eq!(e.value(Field::Mileage), Some("52300"));
        assert_eq!(e.value(Field::MileageUnit), Some("mi"));
        assert_eq!(e.value(Field::Vin), Some("1M8GDM9AXKP042788"));
        assert_eq!(e.value(Field::Fuel), Some("Gasoline"));
        assert_eq!(
            e.best_of(Field::Make).map(|d| d.source),
            Some(Source::JsonLd)
        );
        assert_eq!(
            e.photos,
            vec![
                "https://dealer.example.com/img/1.jpg",
                "https://cdn.example.com/2.jpg"
            ]
        );
    }

    #[test]
    fn json_ld_array_and_km() {
        let html = r#"<script type="application/ld+json">[{"@type":"Vehicle","manufacturer":"Mercedes",
          "model":{"name":"C 200"},"mileageFromOdometer":{"value":85000,"unitCode":"KMT"},
          "offers":[{"@type":"Offer","priceSpecification":{"price":24990,"priceCurrency":"EUR"}}]}]</script>"#;
        let e = extract(html, URL);
        assert_eq!(e.value(Field::Make), Some("Mercedes-Benz"));
        assert_eq!(e.value(Field::Model), Some("C 200"));
        assert_eq!(e.value(Field::Price), Some("24990"));
        assert_eq!(e.value(Field::Currency), Some("EUR"));
        assert_eq!(e.value(Field::MileageUnit), Some("km"));
    }

    #[test]
    fn microdata_car() {
        let html = r#"<div itemscope itemtype="https://schema.org/Car">
          <h2 itemprop="name">Škoda Octavia Combi</h2>
          <span itemprop="brand" itemscope itemtype="https://schema.org/Brand"><span itemprop="name">Skoda</span></span>
          <span itemprop="model">Octavia</span>
          <div itemprop="mileageFromOdometer" itemscope itemtype="https://schema.org/QuantitativeValue">
            <span itemprop="value">120000</span><meta itemprop="unitCode" content="KMT"></div>
          <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
            <span itemprop="price" content="11900">11 900 €</span><meta itemprop="priceCurrency" content="EUR"></div>
          <img itemprop="image" src="/p/1.jpg"></div>
          <div itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Autohaus</span></div>"#;
        let e = extract(html, URL);
        assert_eq!(e.value(Field::Make), Some("Škoda"));
        assert_eq!(e.value(Field::Model), Some("Octavia"));
        assert_eq!(e.value(Field::Price), Some("11900"));
        assert_eq!(e.value(Field::Currency), Some("EUR"));
        assert_eq!(e.value(Field::Mileage), Some("120000"));
        assert_eq!(e.value(Field::MileageUnit), Some("km"));
        assert!(!e.detected.iter().any(|d| d.value == "Autohaus"));
        assert_eq!(e.photos, vec!["https://dealer.example.com/p/1.jpg"]);
    }

    #[test]
    fn opengraph_meta() {
        let html = r#"<head><meta property="og:title" content="2017 Toyota RAV4 XLE">
          <meta property="product:price:amount" content="21995"><meta property="product:price:currency" content="USD">
          <meta property="og:image" content="https://img.example.com/a.jpg"></head>"#;
        let e = extract(html, URL);
        assert_eq!(e.value(Field::Price), Some("21995"));
        assert_eq!(e.value(Field::Currency), Some("USD"));
        assert_eq!(e.value(Field::Make), Some("Toyota"));
        assert_eq!(e.value(Field::Model), Some("RAV4"));
        assert_eq!(e.value(Field::Year), Some("2017"));
        assert_eq!(e.photos, vec!["https://img.example.com/a.jpg"]);
    }

    #[test]
    fn text_prices_in_many_styles() {
        for (html, price, cur) in [
            ("<p>Preis: € 24.990</p>", "24990", "EUR"),
            ("<p>Price 24,990 $</p>", "24990", "USD"),
            ("<p>USD 18 500</p>", "18500", "USD"),
            ("<p>Cena 45 900 zł</p>", "45900", "PLN"),
            ("<p>Цена 1 250 000 ₽</p>", "1250000", "RUB"),
            ("<p>£12,495</p>", "12495", "GBP"),
        ] {
            let e = extract(html, URL);
            assert_eq!(e.value(Field::Price), Some(price), "{html}");
            assert_eq!(e.value(Field::Currency), Some(cur), "{html}");
        }
    }

    #[test]
    fn monthly_rates_are_not_prices() {
        let e = extract("<p>ab 299 €/Monat</p>", URL);
        assert_eq!(e.value(Field::Price), None);
    }

    #[test]
    fn text_mileage_vin_year() {
        let html = "<ul><li>Mileage: 52,300 miles</li><li>VIN: 1M8GDM9AXKP042788</li><li>Baujahr 2014</li>\
                    <li>Verbrauch 5,1 l/100km</li><li>Höchstgeschwindigkeit 210 km/h</li></ul>";
        let e = extract(html, URL);
        assert_eq!(e.value(Field::Mileage), Some("52300"));
        assert_eq!(e.value(Field::MileageUnit), Some("mi"));
        assert_eq!(e.value(Field::Vin), Some("1M8GDM9AXKP042788"));
        assert_eq!(e.value(Field::Year), Some("2014"));
        let e = extract("<p>85 000 km</p>", URL);
        assert_eq!(e.value(Field::Mileage), Some("85000"));
        assert_eq!(e.value(Field::MileageUnit), Some("km"));
    }

    #[test]
    fn unlabelled_random_ids_are_not_vins() {
        // Fails the check digit and has no VIN label nearby.
        let e = extract("<p>ref WP0ZZZY1ZNSA75297</p>", URL);
        assert_eq!(e.value(Field::Vin), None);
        let e = extract("<p>FIN: WP0ZZZY1ZNSA75297</p>", URL);
        assert_eq!(e.value(Field::Vin), Some("WP0ZZZY1ZNSA75297"));
    }

    #[test]
    fn label_value_pairs() {
        let html = "<dl><dt>Kilometerstand</dt><dd>70.000 km</dd><dt>Erstzulassung</dt><dd>10/2012</dd>\
                    <dt>Getriebe</dt><dd>Automatik</dd><dt>Kraftstoff</dt><dd>Benzin</dd><dt>Farbe</dt><dd>Blau</dd></dl>\
                    <table><tr><th>Марка</th><td>Тойота</td></tr><tr><th>Модель</th><td>Camry</td></tr></table>";
        let e = extract(html, URL);
        assert_eq!(e.value(Field::Mileage), Some("70000"));
        assert_eq!(e.value(Field::Year), Some("2012"));
        assert_eq!(e.value(Field::Transmission), Some("Automatik"));
        assert_eq!(e.value(Field::Fuel), Some("Benzin"));
        assert_eq!(e.value(Field::Color), Some("Blau"));
        assert_eq!(e.value(Field::Make), Some("Toyota"));
        assert_eq!(e.value(Field::Model), Some("Camry"));
    }

    #[test]
    fn gallery_photos_are_absolute_and_deduplicated() {
        let html = r#"<div class="vehicle-gallery"><img src="/a.jpg"><img data-src="/b.jpg" src="data:image/gif;base64,AAA">
            <img src="/a.jpg"><img src="/logo.png"></div><img src="/unrelated.jpg">"#;
        let e = extract(html, URL);
        assert_eq!(
            e.photos,
            vec![
                "https://dealer.example.com/a.jpg",
                "https://dealer.example.com/b.jpg"
            ]
        );
    }

    #[test]
    fn model_after_make() {
        assert_eq!(model_after(" Golf VI Cabriolet").as_deref(), Some("Golf"));
        assert_eq!(
            model_after(" Model 3 Long Range").as_deref(),
            Some("Model 3")
        );
        assert_eq!(model_after(" für € 34.990"), None);
        assert_eq!(model_after(" 2019"), None);
        assert_eq!(model_after(" CR-V EX").as_deref(), Some("CR-V"));
    }

    #[test]
    fn garbage_never_panics() {
        for html in ["", "<", "<<<>>>", "<script type=application/ld+json>{{{</script>", "\u{0}\u{ffff}",
            "<script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]</script>",
            "<div itemscope itemprop=brand itemtype=Car>", "€ 9999999999999999999999", "VIN: ÄÖÜ"] {
            let _ = extract(html, "not a url");
            let _ = extract(html, "");
        }
    }
}
