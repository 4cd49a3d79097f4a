//! Channel posts: a car offered in a Telegram post is plain text with
//! entities ("🔥 BMW X5 2019, 3.0d, 85 000 км, автомат, 42 500 $"), not a
//! page. [`extract_post`] reads it with the same dictionary, vocabularies
//! and value parsers as pages, into the same [`Extraction`], so a draft car
//! from a channel goes through [`crate::draft`] and the per-source mapping
//! memory like one from a URL.
//!
//! Pure: no I/O, never panics on any input.

use cartie_dictionary::Dictionary;
use cartie_domain::values::{parse_mileage, parse_money, MileageUnit};
use serde::{Deserialize, Serialize};

use crate::extract::{Detected, Extraction, Field, Source};
use crate::util::{current_year, first_year};
use crate::vin::{check_vin, VinCheck};
use crate::vocab::{canonical_value, label_field};

/// A Telegram message entity, as the Bot API and MTProto give it: offsets
/// and lengths count UTF-16 code units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostEntity {
    /// `bold`, `hashtag`, `text_link`, `url`, `phone_number`, ...
    pub kind: String,
    pub offset: usize,
    pub length: usize,
    /// The target of a `text_link`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The text an entity covers (None when its range is outside the text).
pub fn entity_text<'a>(text: &'a str, e: &PostEntity) -> Option<&'a str> {
    let mut units = 0usize;
    let mut start = None;
    let end_units = e.offset.checked_add(e.length)?;
    for (i, c) in text.char_indices() {
        if units == e.offset && start.is_none() {
            start = Some(i);
        }
        if units == end_units {
            return text.get(start?..i);
        }
        units += c.len_utf16();
    }
    if units == end_units {
        return text.get(start.unwrap_or(text.len())..);
    }
    None
}

/// Everything a channel post says about the car it offers. `country` is the
/// channel's country (a top-level domain like "ua", may be empty): it
/// decides what `$` means and the currency of a bare price.
pub fn extract_post(text: &str, entities: &[PostEntity], country: &str) -> Extraction {
    let mut out = Post { detected: Vec::new() };
    let text = if text.len() > 20_000 {
        let mut end = 20_000;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    } else {
        text
    };
    let dict = Dictionary::builtin();
    let latest = current_year() + 1;

    // The first line is the headline; bold and hashtags often name the car.
    let headline = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    out.push(Field::Title, clean_line(headline), 0.7);
    let mut car_text: Vec<String> = vec![headline.to_string()];
    for e in entities {
        if matches!(e.kind.as_str(), "bold" | "hashtag" | "strong") {
            if let Some(t) = entity_text(text, e) {
                car_text.push(t.trim_start_matches('#').replace('_', " "));
            }
        }
    }
    car_text.push(text.to_string());
    for (i, t) in car_text.iter().enumerate() {
        let conf = if i + 1 == car_text.len() { 0.55 } else { 0.7 };
        if let Some(m) = dict.mentions(t).into_iter().next() {
            out.push(Field::Make, &m.make, conf);
            if let Some(model) = m.model {
                out.push(Field::Model, &model, conf);
            } else if let Some(model) = word_after(t, m.end) {
                out.push(Field::Model, &model, conf - 0.15);
            }
            break;
        }
    }

    for seg in segments(text) {
        let (label, value) = match seg.split_once([':', '：', '—', '-']) {
            Some((l, v)) if label_field(l).is_some() => (label_field(l), v.trim()),
            _ => (None, seg),
        };
        let labelled = 0.75;
        let loose = 0.55;
        match label {
            Some(Field::Year) => {
                if let Some(y) = first_year(value) {
                    out.push(Field::Year, &y.to_string(), labelled);
                }
            }
            Some(Field::Mileage) => out.mileage(value, labelled),
            Some(Field::Price) => out.price(value, country, labelled, true),
            Some(Field::Make) => {
                if let Some(m) = dict.canonical_make(value) {
                    out.push(Field::Make, m, labelled);
                }
            }
            Some(Field::Model) => out.push(Field::Model, value, labelled),
            Some(f @ (Field::Fuel | Field::Transmission)) => {
                if let Some(v) = canonical_value(f, value) {
                    out.push(f, v, labelled);
                }
            }
            Some(Field::Vin) => out.vin(value, labelled),
            _ => {
                // Unlabelled pieces: "2019", "85 000 км", "автомат", "42 500 $".
                if let Some(y) = lone_year(value, latest) {
                    out.push(Field::Year, &y.to_string(), loose);
                }
                if has_distance_unit(value) {
                    out.mileage(value, loose);
                }
                out.price(value, country, loose, false);
                for f in [Field::Fuel, Field::Transmission] {
                    if let Some(v) = canonical_value(f, value) {
                        out.push(f, v, loose);
                    }
                }
                out.vin(value, 0.5);
            }
        }
    }
    if let Some(y) = first_year(headline) {
        out.push(Field::Year, &y.to_string(), 0.6);
    }
    out.push(Field::Description, text.trim(), 0.6);
    Extraction { detected: out.detected, photos: Vec::new() }
}

struct Post {
    detected: Vec<Detected>,
}

impl Post {
    fn push(&mut self, field: Field, value: &str, confidence: f32) {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > 5000 {
            return;
        }
        if let Some(d) = self.detected.iter_mut().find(|d| d.field == field && d.value == value) {
            d.confidence = d.confidence.max(confidence);
            return;
        }
        self.detected.push(Detected { field, value: value.to_string(), source: Source::Text, confidence });
    }

    fn mileage(&mut self, s: &str, conf: f32) {
        if let Some(m) = parse_mileage(s) {
            if m.value == 0 && m.unit.is_none() {
                return;
            }
            self.push(Field::Mileage, &m.value.to_string(), conf);
            if let Some(u) = m.unit {
                let unit = match u {
                    MileageUnit::Km => "km",
                    MileageUnit::Mi => "mi",
                };
                self.push(Field::MileageUnit, unit, conf);
            }
        }
    }

    /// A price needs its currency in the text unless a price label says so.
    fn price(&mut self, s: &str, country: &str, conf: f32, labelled: bool) {
        let Some(m) = parse_money(s, country) else {
            return;
        };
        let marked = parse_money(s, "").is_some_and(|x| x.currency.is_some());
        if !(marked || labelled) || m.amount < 100.0 {
            return;
        }
        let had_price = self.detected.iter().any(|d| d.field == Field::Price);
        // The first price in a post is the asking price; later ones are
        // usually the old price or a credit instalment.
        let conf = if had_price { conf - 0.2 } else { conf };
        self.push(Field::Price, &m.amount_text(), conf);
        if let Some(c) = m.currency {
            self.push(Field::Currency, c, conf);
        }
    }

    fn vin(&mut self, s: &str, conf: f32) {
        for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
            if word.len() == 17 && word.chars().filter(char::is_ascii_digit).count() >= 3 {
                let v = word.to_uppercase();
                match check_vin(&v) {
                    VinCheck::Valid => self.push(Field::Vin, &v, conf + 0.2),
                    VinCheck::CheckDigitMismatch { .. } => self.push(Field::Vin, &v, conf),
                    VinCheck::Invalid { .. } => {}
                }
            }
        }
    }
}

/// Pieces of a post: lines, then comma-, bullet- or bar-separated parts. A
/// comma between digits groups thousands ("64,000") and does not split.
fn segments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for (k, (i, c)) in chars.iter().enumerate() {
            let digit_around = k > 0 && chars[k - 1].1.is_ascii_digit() && chars.get(k + 1).is_some_and(|n| n.1.is_ascii_digit());
            let splits = matches!(c, '•' | '|' | ';' | '·') || (*c == ',' && !digit_around);
            if splits {
                out.push(&line[start..*i]);
                start = i + c.len_utf8();
            }
        }
        out.push(&line[start..]);
    }
    out.into_iter()
        .map(|s| s.trim_matches(|c: char| c.is_whitespace() || (!c.is_alphanumeric() && !"$€£₴₽¥+.".contains(c))))
        .filter(|s| !s.is_empty())
        .collect()
}

/// A piece that is only a year ("2019", "2019 р.", "2019 год").
fn lone_year(s: &str, latest: i32) -> Option<i32> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    if digits.len() == 4 && letters <= 4 {
        let y: i32 = digits.parse().ok()?;
        (1950..=latest).contains(&y).then_some(y)
    } else {
        None
    }
}

fn has_distance_unit(s: &str) -> bool {
    let l = s.to_lowercase();
    ["км", "km", "miles", "mi ", "тис. км", "пробіг", "пробег"].iter().any(|w| l.contains(w)) || l.ends_with(" mi")
}

/// The word after a make in a headline ("BMW X5 2019" → "X5").
fn word_after(text: &str, end: usize) -> Option<String> {
    let w: String = text
        .get(end..)?
        .split(|c: char| c.is_whitespace() || c == ',')
        .find(|w| !w.is_empty())?
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
        .to_string();
    let is_year = w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
    (!w.is_empty() && !is_year && w.chars().count() <= 20).then_some(w)
}

/// A headline without leading emoji and marks.
fn clean_line(s: &str) -> &str {
    s.trim_start_matches(|c: char| !c.is_alphanumeric()).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_offsets_count_utf16() {
        let text = "🔥 BMW X5 #BMW";
        // "🔥" is two UTF-16 units.
        let e = PostEntity { kind: "hashtag".into(), offset: 10, length: 4, url: None };
        assert_eq!(entity_text(text, &e), Some("#BMW"));
        let out = PostEntity { kind: "bold".into(), offset: 100, length: 4, url: None };
        assert_eq!(entity_text(text, &out), None);
    }
}
