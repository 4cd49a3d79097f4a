//! schema.org JSON-LD: `Car`/`Vehicle`/`Product` items with their offers,
//! anywhere in a script (arrays, `@graph`, nested), skipping lists of other
//! cars and breadcrumbs.

use serde_json::{Map, Value};

use super::collector::Collector;
use super::distance::{mileage_unit, unit_in_text};
use super::{Field, Source};

/// Reads every `application/ld+json` script (parsed once by the caller).
pub(crate) fn read(ld: &[Value], c: &mut Collector) {
    for v in ld {
        walk_ld(v, c, 0);
    }
}

pub(crate) fn parse_json_lenient(text: &str) -> Option<Value> {
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

const VEHICLE_TYPES: &[&str] = &["car", "vehicle", "motorcycle", "motorizedbicycle", "busorcoach"];
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
        Value::Object(m) => ["name", "@value", "value"].iter().find_map(|k| m.get(*k).and_then(ld_text)),
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
            let unit = m.get("unitCode").and_then(ld_text).or_else(|| m.get("unitText").and_then(ld_text));
            (value, unit)
        }
        other => (ld_text(other), None),
    };
    let Some(value) = value else { return };
    if c.push(Field::Mileage, &value, Source::JsonLd, conf) {
        let unit = unit.as_deref().and_then(mileage_unit).or_else(|| unit_in_text(&value));
        if let Some(u) = unit {
            c.push(Field::MileageUnit, u, Source::JsonLd, conf);
        }
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
