//! Spec tables: label/value pairs (`<dt>`/`<dd>`, table rows, list items
//! with two spans, "Label: value" in one element, classifieds attribute
//! groups), the label's field looked up in the vocabularies.

use scraper::{ElementRef, Html};

use super::collector::Collector;
use super::distance::{mileage_in, unit_of_label};
use super::text::{contains_any, price_in, MONTHLY_WORDS, PER_YEAR_WORDS, SKIP_TAGS};
use super::{selector, squash, Field, Source};
use crate::util::first_year;
use crate::vin::{check_vin, normalize_vin, VinCheck};
use crate::vocab::label_field;

/// Records a value found next to a label.
fn push_labelled(c: &mut Collector, field: Field, label: &str, value: &str) {
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
            if let Some((amount, cur)) = price_in(&value, &c.country.clone()) {
                if c.push(Field::Price, &amount, Source::Text, conf) {
                    if let Some(cur) = cur {
                        c.push(Field::Currency, cur, Source::Text, conf);
                    }
                }
            }
        }
        Field::Mileage => {
            // "Less than 9,000 miles per year": a rate, not the odometer.
            if contains_any(&value, PER_YEAR_WORDS) {
                return;
            }
            let mil = c.mil();
            if let Some((value, unit)) = mileage_in(&value, unit_of_label(label, mil), mil) {
                // With its unit, 0 is a new car's odometer ("0 km"); alone,
                // an empty field.
                let raw = match unit {
                    Some(u) => format!("{value} {u}"),
                    None => value.to_string(),
                };
                if c.push(Field::Mileage, &raw, Source::Text, conf) {
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
        Field::Year => {
            // "10/2012", "2019 (68 reg)", "MG 4 2023": the year in the value.
            if let Some(y) = first_year(&value) {
                c.push(Field::Year, &y.to_string(), Source::Text, conf);
            }
        }
        other => {
            c.push(other, &value, Source::Text, conf);
        }
    }
}

/// The field a short text names when it is a label: labels hold no
/// numbers ("Less than 9,000 miles per year" is a sentence, not a label).
fn label_of(text: &str) -> Option<Field> {
    let mut run = 0;
    for ch in text.chars() {
        run = if ch.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 3 {
            return None;
        }
    }
    label_field(text)
}

const BLOCK_TAGS: &[&str] = &["li", "ul", "ol", "div", "p", "tr", "td", "th", "dd", "dt", "dl", "table", "tbody", "section", "article", "br"];

pub(crate) fn own_text(el: &ElementRef) -> String {
    squash(&el.text().collect::<Vec<_>>().join(" "))
}

fn next_element_sibling<'a>(el: &ElementRef<'a>) -> Option<ElementRef<'a>> {
    el.next_siblings().find_map(ElementRef::wrap)
}

/// Label/value pairs: `<dt>Mileage</dt><dd>85,000 mi</dd>`, table rows,
/// `<li><span>Пробег</span><span>85 000 км</span></li>`, `Label: value`.
pub(crate) fn read(doc: &Html, c: &mut Collector) {
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
        let container = el.child_elements().any(|ch| BLOCK_TAGS.contains(&ch.value().name()));
        if container {
            continue;
        }
        if let Some((label, value)) = text.split_once([':', '：']) {
            if let Some(field) = label_of(label) {
                if !value.trim().is_empty() {
                    push_labelled(c, field, label, value);
                    continue;
                }
            }
        }
        // A label written as the element's own text with its value in the
        // last child: `<li>Kilometerstand<span>68.000 km</span></li>`.
        if let Some(last) = el.child_elements().last() {
            let direct = squash(&el.children().filter_map(|n| n.value().as_text().map(|t| t.to_string())).collect::<Vec<_>>().join(" "));
            if !direct.is_empty() && direct.chars().count() <= 40 {
                if let Some(field) = label_of(&direct) {
                    let v = own_text(&last);
                    if !v.is_empty() && label_field(&v).is_none() {
                        push_labelled(c, field, &direct, &v);
                        continue;
                    }
                }
            }
        }
        // A pure label followed by its value element.
        if let Some(field) = label_of(&text) {
            let mut cur = el;
            for _ in 0..3 {
                if let Some(sib) = next_element_sibling(&cur) {
                    let mut v = own_text(&sib);
                    // "2.0" followed by a unit element ("万km", "mi.").
                    if let Some(unit) = next_element_sibling(&sib).map(|u| own_text(&u)) {
                        let short = !unit.is_empty() && unit.chars().count() <= 6;
                        if short && !unit.chars().any(|ch| ch.is_ascii_digit()) && v.chars().all(|ch| ch.is_ascii_digit() || ch == '.' || ch == ',') {
                            v = format!("{v} {unit}");
                        }
                    }
                    if !v.is_empty() && label_field(&v).is_none() {
                        push_labelled(c, field, &text, &v);
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
