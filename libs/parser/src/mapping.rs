//! Per-domain mappings: what a user told us about a site ("on this domain the
//! price is in `.price-box strong`", "use the detected title as the model",
//! "the currency is always PLN"), applied on top of an [`Extraction`] to get a
//! [`ListingDraft`] ready for the inventory.
//!
//! Pure: storage of mappings belongs to the caller.

use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::extract::{Extraction, Field};
use crate::util::{currency_iso, parse_amount, squash, year_value};
use crate::vin::{check_vin, normalize_vin, VinCheck};

/// One instruction for one inventory field. Exactly one of `selector`,
/// `from`, `fixed` is expected; when several are set the first that yields a
/// value wins, in that order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub field: Field,
    /// CSS selector; the first match's text (or `content`/`src`/`href`) is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// Take the best detected value of another field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Field>,
    /// A constant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
}

/// The saved mapping of one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainMapping {
    /// As returned by [`domain_of`].
    pub domain: String,
    /// Optional: only URLs whose path starts with this prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    pub rules: Vec<Rule>,
}

impl DomainMapping {
    /// Whether this mapping is meant for `url`.
    pub fn applies_to(&self, url: &str) -> bool {
        if domain_of(url).as_deref() != Some(self.domain.as_str()) {
            return false;
        }
        match (&self.path_prefix, Url::parse(url)) {
            (None, _) => true,
            (Some(prefix), Ok(u)) => u.path().starts_with(prefix.as_str()),
            (Some(_), Err(_)) => false,
        }
    }
}

/// `km` or `mi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MileageUnit {
    Km,
    Mi,
}

/// An inventory item as parsed from a page, before the user confirms it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListingDraft {
    pub make: Option<String>,
    pub model: Option<String>,
    pub year: Option<i32>,
    /// In major units of `currency`.
    pub price: Option<f64>,
    /// ISO 4217.
    pub currency: Option<String>,
    pub mileage: Option<u64>,
    pub mileage_unit: Option<MileageUnit>,
    pub vin: Option<String>,
    /// Set when `vin` is set.
    pub vin_check: Option<VinCheck>,
    pub fuel: Option<String>,
    pub transmission: Option<String>,
    pub body: Option<String>,
    pub color: Option<String>,
    pub description: Option<String>,
    pub title: Option<String>,
    pub photos: Vec<String>,
    pub source_url: String,
    /// Fields whose value came from a mapping rule (so the UI can say so).
    pub mapped_fields: Vec<Field>,
    /// Problems worth showing: a rule whose selector matched nothing, a VIN
    /// whose check digit does not match, ...
    pub warnings: Vec<String>,
}

/// Lower-case host without a leading `www.`; `None` for URLs without a host.
pub fn domain_of(url: &str) -> Option<String> {
    let u = Url::parse(url.trim()).ok()?;
    let host = u.host_str()?.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    if host.is_empty() {
        None
    } else {
        Some(host)
    }
}

/// Builds a draft from the extraction alone (no mapping).
pub fn draft(extraction: &Extraction, url: &str) -> ListingDraft {
    let mut d = ListingDraft { source_url: url.to_string(), photos: extraction.photos.clone(), ..Default::default() };
    for (field, det) in extraction.best() {
        if let Err(w) = set_field(&mut d, field, &det.value) {
            d.warnings.push(w);
        }
    }
    finish(&mut d);
    d
}

/// Applies `mapping` (if any) to an extraction of `html` fetched from `url`.
/// Rules override detected values; fields without a rule keep the best
/// detected value.
pub fn apply(mapping: Option<&DomainMapping>, extraction: &Extraction, html: &str, url: &str) -> ListingDraft {
    let mut d = draft(extraction, url);
    let Some(mapping) = mapping else { return d };
    let needs_doc = mapping.rules.iter().any(|r| r.selector.is_some());
    let doc = if needs_doc { Some(Html::parse_document(html)) } else { None };
    for rule in &mapping.rules {
        let mut value: Option<String> = None;
        if let (Some(css), Some(doc)) = (&rule.selector, &doc) {
            match Selector::parse(css) {
                Ok(sel) => {
                    value = doc.select(&sel).next().map(|el| {
                        el.attr("content")
                            .or_else(|| if el.value().name() == "img" { el.attr("src") } else { None })
                            .map(str::to_string)
                            .unwrap_or_else(|| squash(&el.text().collect::<Vec<_>>().join(" ")))
                    });
                    if value.is_none() {
                        d.warnings.push(format!("{}: selector `{css}` matched nothing", rule.field.as_str()));
                    }
                }
                Err(_) => d.warnings.push(format!("{}: `{css}` is not a valid CSS selector", rule.field.as_str())),
            }
        }
        if value.is_none() {
            if let Some(from) = rule.from {
                value = extraction.value(from).map(str::to_string);
            }
        }
        if value.is_none() {
            value = rule.fixed.clone();
        }
        let Some(v) = value else { continue };
        match set_field(&mut d, rule.field, &v) {
            Ok(()) => {
                if !d.mapped_fields.contains(&rule.field) {
                    d.mapped_fields.push(rule.field);
                }
            }
            Err(w) => d.warnings.push(w),
        }
    }
    finish(&mut d);
    d
}

/// Parses `raw` into the typed draft field.
pub(crate) fn set_field(d: &mut ListingDraft, field: Field, raw: &str) -> Result<(), String> {
    let text = squash(raw);
    let bad = |what: &str| format!("{}: cannot read {what} from {:?}", field.as_str(), crate::util::clip(&text, 60));
    if text.is_empty() {
        return Err(bad("a value"));
    }
    match field {
        Field::Make => d.make = Some(crate::makes::canonical_make(&text).map(str::to_string).unwrap_or(text)),
        Field::Model => d.model = Some(text),
        Field::Year => d.year = Some(year_value(&text).ok_or_else(|| bad("a year"))?),
        Field::Price => {
            let v = parse_amount(&text).filter(|v| *v > 0.0).ok_or_else(|| bad("a price"))?;
            d.price = Some(v);
            // "24 990 zł" carries its currency.
            if d.currency.is_none() {
                if let Some(cur) = text.split(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '.' || c == ',').find_map(|w| currency_iso(w, "")) {
                    d.currency = Some(cur.to_string());
                }
            }
        }
        Field::Currency => d.currency = Some(currency_iso(&text, "").ok_or_else(|| bad("a currency"))?.to_string()),
        Field::Mileage => {
            let v = parse_amount(&text).filter(|v| *v >= 0.0).ok_or_else(|| bad("a mileage"))?;
            d.mileage = Some(v.round() as u64);
            let l = text.to_lowercase();
            if l.contains("km") || l.contains("км") {
                d.mileage_unit = Some(MileageUnit::Km);
            } else if l.contains("mi") {
                d.mileage_unit = Some(MileageUnit::Mi);
            }
        }
        Field::MileageUnit => {
            let l = text.to_lowercase();
            d.mileage_unit = Some(if l.starts_with("mi") || l == "smi" {
                MileageUnit::Mi
            } else if l.starts_with("km") || l == "kmt" || l.starts_with("км") {
                MileageUnit::Km
            } else {
                return Err(bad("a mileage unit"));
            });
        }
        Field::Vin => {
            let v = normalize_vin(&text);
            let check = check_vin(&v);
            if let VinCheck::Invalid { reason } = &check {
                return Err(format!("vin: {reason}"));
            }
            d.vin = Some(v);
            d.vin_check = Some(check);
        }
        Field::Fuel => d.fuel = Some(text),
        Field::Transmission => d.transmission = Some(text),
        Field::Body => d.body = Some(text),
        Field::Color => d.color = Some(text),
        Field::Description => d.description = Some(raw.trim().to_string()),
        Field::Title => d.title = Some(text),
    }
    Ok(())
}

fn finish(d: &mut ListingDraft) {
    d.warnings.retain(|w| !w.starts_with("vin: check digit"));
    if let Some(VinCheck::CheckDigitMismatch { .. }) = d.vin_check {
        d.warnings.push("vin: check digit does not match (normal for VINs from outside North America)".to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;

    #[test]
    fn domains() {
        assert_eq!(domain_of("https://www.AutoScout24.de/angebote/x").as_deref(), Some("autoscout24.de"));
        assert_eq!(domain_of("http://cars.example.com:8080/a").as_deref(), Some("cars.example.com"));
        assert_eq!(domain_of("not a url"), None);
        assert_eq!(domain_of("file:///etc/passwd"), None);
    }

    #[test]
    fn applies_to_domain_and_prefix() {
        let m = DomainMapping { domain: "example.com".into(), path_prefix: Some("/cars/".into()), rules: vec![] };
        assert!(m.applies_to("https://www.example.com/cars/1"));
        assert!(!m.applies_to("https://www.example.com/bikes/1"));
        assert!(!m.applies_to("https://other.com/cars/1"));
    }

    #[test]
    fn rules_override_detection() {
        let html = r#"<html><head><title>Great car</title></head><body>
            <h1>Honda Civic 2015</h1><div class="box"><strong>  44 900 zł </strong></div>
            <span class="km">123 456 km</span><span class="trim">Sport</span></body></html>"#;
        let url = "https://www.otomoto.example/oferta/1";
        let e = extract(html, url);
        let mapping = DomainMapping {
            domain: "otomoto.example".into(),
            path_prefix: None,
            rules: vec![
                Rule { field: Field::Price, selector: Some(".box strong".into()), from: None, fixed: None },
                Rule { field: Field::Mileage, selector: Some(".km".into()), from: None, fixed: None },
                Rule { field: Field::Title, selector: None, from: Some(Field::Model), fixed: None },
                Rule { field: Field::Color, selector: Some(".missing".into()), from: None, fixed: Some("Red".into()) },
                Rule { field: Field::Body, selector: Some("[[bad".into()), from: None, fixed: None },
            ],
        };
        assert!(mapping.applies_to(url));
        let d = apply(Some(&mapping), &e, html, url);
        assert_eq!(d.price, Some(44900.0));
        assert_eq!(d.currency.as_deref(), Some("PLN"));
        assert_eq!(d.mileage, Some(123_456));
        assert_eq!(d.mileage_unit, Some(MileageUnit::Km));
        assert_eq!(d.make.as_deref(), Some("Honda"));
        assert_eq!(d.title.as_deref(), Some("Civic"));
        assert_eq!(d.color.as_deref(), Some("Red"));
        assert_eq!(d.year, Some(2015));
        assert_eq!(d.source_url, url);
        assert!(d.mapped_fields.contains(&Field::Price));
        assert!(d.warnings.iter().any(|w| w.contains(".missing")));
        assert!(d.warnings.iter().any(|w| w.contains("not a valid CSS selector")));
    }

    #[test]
    fn serde_round_trip() {
        let m = DomainMapping {
            domain: "example.com".into(),
            path_prefix: None,
            rules: vec![Rule { field: Field::MileageUnit, selector: None, from: None, fixed: Some("mi".into()) }],
        };
        let json = serde_json::to_string(&m).unwrap_or_default();
        assert_eq!(json, r#"{"domain":"example.com","rules":[{"field":"mileage_unit","fixed":"mi"}]}"#);
        let back: DomainMapping = serde_json::from_str(&json).unwrap_or_else(|_| m.clone());
        assert_eq!(back, m);
    }

    #[test]
    fn vin_mismatch_is_a_warning() {
        let e = extract("<p>FIN: WP0ZZZY1ZNSA75297</p>", "https://x.de/");
        let d = draft(&e, "https://x.de/");
        assert_eq!(d.vin.as_deref(), Some("WP0ZZZY1ZNSA75297"));
        assert!(matches!(d.vin_check, Some(VinCheck::CheckDigitMismatch { .. })));
        assert!(d.warnings.iter().any(|w| w.contains("check digit")));
    }
}
