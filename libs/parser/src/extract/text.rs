//! Heuristics on the visible text: the headline, a description block,
//! prices with a currency, mileages with a unit, VINs, labelled years, and
//! the make, model and year in the titles.

use std::sync::OnceLock;

use cartie_dictionary::Dictionary;
use cartie_domain::values::{currency_for_country, currency_iso, format_amount, parse_amount};
use regex::Regex;
use scraper::{Html, Node};

use super::collector::Collector;
pub(crate) use super::contains_any;
use super::distance::{mileage_unit, Mil};
use super::labels::own_text;
use super::{selector, squash, Detected, Field, Source};
use crate::util::{first_year, plausible_year};
use crate::vin::{check_vin, VinCheck};
use crate::vocab::{labels_of, mentions_label, mentions_skipped};

pub(crate) const SKIP_TAGS: &[&str] = &["script", "style", "noscript", "template", "svg", "head", "iframe", "select", "option"];

/// Class/id words of blocks about other cars (similar or recommended
/// listings): their prices and mileages are not this car's.
const OTHER_LISTINGS_WORDS: &[&str] = &["similar", "related", "recommend", "suggest", "more-from", "also-viewed", "alsoviewed"];

/// Whether an element is a block of other listings.
pub(crate) fn other_listings(e: &scraper::node::Element) -> bool {
    e.attr("class").is_some_and(|c| names_any(c, OTHER_LISTINGS_WORDS)) || e.id().is_some_and(|i| names_any(i, OTHER_LISTINGS_WORDS))
}

/// Whether a class or id attribute contains one of `words` (lower case),
/// without allocating for the usual all-lower-case attribute.
pub(crate) fn names_any(attr: &str, words: &[&str]) -> bool {
    if attr.bytes().any(|b| b.is_ascii_uppercase()) {
        let l = attr.to_ascii_lowercase();
        words.iter().any(|w| l.contains(w))
    } else {
        words.iter().any(|w| attr.contains(w))
    }
}

/// Visible text, one text node per line, capped to keep the regexes cheap.
fn visible_text(doc: &Html) -> String {
    let mut out = String::new();
    let mut stack = vec![doc.tree.root()];
    while let Some(node) = stack.pop() {
        if out.len() > 300_000 {
            break;
        }
        match node.value() {
            Node::Element(e) if SKIP_TAGS.contains(&e.name()) || other_listings(e) => continue,
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
        stack.extend(node.children().rev());
    }
    out
}

/// Reads the headline, a description block, the visible text and the
/// titles (run after the structured passes and the spec tables, whose
/// titles it reads too).
pub(crate) fn read(doc: &Html, c: &mut Collector) {
    // Headline: usually "Make Model trim" and often the year.
    let h1 = selector!("h1").and_then(|s| doc.select(s).next()).map(|e| squash(&e.text().collect::<Vec<_>>().join(" "))).filter(|s| !s.is_empty());
    if let Some(h) = &h1 {
        c.push(Field::Title, h, Source::Text, 0.7);
    }

    // A description block.
    let desc_sel = selector!("[class*=description], [id*=description], [class*=Description], [data-testid*=description], [itemprop=description], #postingbody");
    if let Some(s) = desc_sel {
        if let Some(d) = doc.select(s).map(|e| own_text(&e)).find(|t| t.chars().count() > 40) {
            c.push(Field::Description, &d, Source::Text, 0.5);
        }
    }

    marked_prices(doc, c);
    let text = visible_text(doc);
    free_text(&text, c);
    year_make_model_lines(&text, c);

    // Make / model / year from the titles we have, best title first.
    let mut titles: Vec<(String, f32)> = Vec::new();
    if let Some(h) = h1 {
        titles.push((h, 0.55));
    }
    let mut others: Vec<&Detected> = c.detected.iter().filter(|d| d.field == Field::Title && d.source != Source::Text).collect();
    others.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    for d in others {
        titles.push((d.value.clone(), 0.5));
    }
    let dict = Dictionary::builtin();
    for (i, (t, conf)) in titles.iter().enumerate() {
        let conf = conf - 0.02 * i.min(5) as f32;
        if let Some((make, end)) = dict.find_make(t).or_else(|| misspelt_make(t)) {
            c.push(Field::Make, make, Source::Text, conf);
            let rest = t.get(end..).unwrap_or("");
            let known = dict.mentions(t).into_iter().find(|m| m.make == make).and_then(|m| m.model);
            if let Some(model) = known.or_else(|| model_after(rest)) {
                c.push(Field::Model, &model, Source::Text, conf - 0.1);
            }
        } else if let Some(make) = c.best(Field::Make).map(str::to_string) {
            // A title without the make ("IX35 GLS AUT 2012") still names a
            // model the dictionary knows for the make found elsewhere.
            if let Some(model) = dict.model_in(&make, t) {
                c.push(Field::Model, model, Source::Text, conf - 0.1);
            }
        }
        if let Some(y) = first_year(t) {
            c.push(Field::Year, &y.to_string(), Source::Text, conf - 0.1);
        }
        // A classifieds title often ends with the asking price ("… - $4,500"):
        // stronger than a stray amount in the body.
        if i < 3 {
            if let Some((amount, Some(cur))) = price_with_currency(t, &c.country.clone()) {
                if c.push(Field::Price, &amount, Source::Text, 0.62 - 0.02 * i as f32) {
                    c.push(Field::Currency, cur, Source::Text, 0.62 - 0.02 * i as f32);
                }
            }
        }
    }
}

/// Prices in elements the page marks as a price (`class="price-label"`),
/// outside blocks of other listings: the first is usually the asking price.
/// A struck-out old price, a monthly rate or a bare number is not read.
fn marked_prices(doc: &Html, c: &mut Collector) {
    let Some(s) = selector!("[class*=price], [class*=Price], [id*=price]") else {
        return;
    };
    let country = c.country.clone();
    let mut kept = 0;
    for el in doc.select(s) {
        if kept >= 2 {
            break;
        }
        if el.descendent_elements().nth(8).is_some() {
            continue;
        }
        let words = format!("{} {}", el.attr("class").unwrap_or(""), el.attr("id").unwrap_or("")).to_lowercase();
        if ["old", "was", "strike", "previous", "crossed", "month", "rate", "finance", "leasing"].iter().any(|w| words.contains(w)) {
            continue;
        }
        if el.ancestors().filter_map(scraper::ElementRef::wrap).take(12).any(|a| other_listings(a.value())) {
            continue;
        }
        let text = own_text(&el);
        if text.is_empty() || text.chars().count() > 60 {
            continue;
        }
        if let Some((amount, Some(cur))) = price_with_currency(&text, &country) {
            let conf = 0.6 - 0.05 * kept as f32;
            if c.push(Field::Price, &amount, Source::Text, conf) {
                c.push(Field::Currency, cur, Source::Text, conf);
                kept += 1;
            }
        }
    }
}

/// Short lines that start with a year and a make ("2013 chevrolet impala
/// ltz", "1929 Ford A Model"): a classifieds attribute group or a
/// headline naming the car. Old cars count here: the make right after the
/// year is what makes "1929" a model year.
fn year_make_model_lines(text: &str, c: &mut Collector) {
    let dict = Dictionary::builtin();
    let mut kept = 0;
    for line in text.lines().take(4000) {
        if kept >= 3 {
            break;
        }
        let line = line.trim();
        if line.len() < 8 || line.chars().count() > 60 {
            continue;
        }
        let Some((year, rest)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        let Ok(y) = year.parse::<i32>() else {
            continue;
        };
        if !(1900..=crate::util::current_year() + 1).contains(&y) {
            continue;
        }
        let rest = rest.trim_start();
        // The make must come first, right after the year ("2016 2016 Ram 2500" too).
        let rest = match rest.split_once(char::is_whitespace) {
            Some((again, tail)) if again == year => tail.trim_start(),
            _ => rest,
        };
        let Some((make, end)) = dict
            .find_make(rest)
            .filter(|(_, end)| rest.get(..*end).is_some_and(|h| h.split_whitespace().count() <= 2))
            .or_else(|| misspelt_make(rest).filter(|(_, end)| rest.get(..*end).is_some_and(|h| h.split_whitespace().count() <= 1)))
        else {
            continue;
        };
        c.push(Field::Make, make, Source::Text, 0.45);
        c.push(Field::Year, &y.to_string(), Source::Text, 0.5);
        if let Some(model) = model_after(rest.get(end..).unwrap_or("")) {
            c.push(Field::Model, &model, Source::Text, 0.4);
        }
        kept += 1;
    }
}

/// A make written with one slip ("Huyndai", "Toyta"): a word of six or more
/// letters one edit (or one swap of neighbours) away from a make's name.
/// Returns the make and the byte offset after the word.
fn misspelt_make(text: &str) -> Option<(&'static str, usize)> {
    let dict = Dictionary::builtin();
    let mut offset = 0;
    for word in text.split_inclusive(|ch: char| !ch.is_alphanumeric()) {
        let start = offset;
        offset += word.len();
        let w = word.trim_end_matches(|ch: char| !ch.is_alphanumeric()).to_lowercase();
        if w.chars().count() < 6 || !w.chars().all(char::is_alphabetic) {
            continue;
        }
        if let Some(make) = dict.makes().find(|m| m.chars().count() >= 6 && one_slip(&m.to_lowercase(), &w)) {
            let end = start + word.trim_end_matches(|ch: char| !ch.is_alphanumeric()).len();
            return Some((make, end));
        }
    }
    None
}

/// Whether `a` and `b` differ by one insertion, deletion, substitution or
/// swap of two neighbouring letters (and are not equal).
pub(crate) fn one_slip(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let p = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[p..], &b[p..]);
    let (sa, sb) = (ra.get(1..).unwrap_or(&[]), rb.get(1..).unwrap_or(&[]));
    let swap = ra.len() >= 2 && rb.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..];
    sa == sb || ra == sb || sa == rb || swap
}

/// The first amount with a currency mark in a title.
fn price_with_currency(s: &str, country: &str) -> Option<(String, Option<&'static str>)> {
    if contains_any(s, MONTHLY_WORDS) {
        return None;
    }
    let (re, n, cur) = [(price_prefix_re(), 2, 1), (price_suffix_re(), 1, 2)]
        .into_iter()
        .filter_map(|(re, n, cur)| re.map(|r| (r, n, cur)))
        .filter_map(|(re, n, cur)| re.captures(s).map(|cap| (cap, n, cur)))
        .min_by_key(|(cap, _, _)| cap.get(0).map(|m| m.start()).unwrap_or(usize::MAX))?;
    let amount = parse_amount(re.get(n)?.as_str())?;
    if amount < 100.0 {
        return None;
    }
    Some((format_amount(amount), currency_of_mark(re.get(cur)?.as_str(), country)))
}

/// The model is the word after the make: "Golf", "i4", "CR-V", "F-150";
/// two words for "Model 3", "Grand Cherokee", "C 300".
pub(crate) fn model_after(rest: &str) -> Option<String> {
    let clean = |w: &str| w.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '-' && ch != '+').trim_matches('-').to_string();
    let mut words = rest.split(|ch: char| ch.is_whitespace() || ch == '|' || ch == ',' || ch == '/').filter(|w| !w.trim().is_empty());
    let mut first = clean(words.next()?);
    // "KIA MOTORS SONET": the maker's company name, not the model.
    if ["motors", "motor", "automobiles", "cars"].contains(&first.to_lowercase().as_str()) {
        first = clean(words.next()?);
    }
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
    let joins_next = first.chars().count() == 1 || ["model", "grand", "range", "serie", "series", "classe", "class", "rav"].contains(&lower.as_str());
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

fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

macro_rules! regex {
    ($re:expr) => {{
        static CELL: OnceLock<Option<Regex>> = OnceLock::new();
        re(&CELL, $re)
    }};
}

const NUM: &str = r"(\d{1,3}(?:[ .,\x{a0}\x{202f}']\d{3})+(?:[.,]\d{1,2})?|\d{1,9}(?:[.,]\d{1,2})?)";

fn price_prefix_re() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)(€|US\$|C\$|A\$|R\$|\$|£|₽|₴|¥|₺|(?-u:\b)(?:CHF|EUR|USD|GBP|RUB|PLN|UAH|SEK|NOK|DKK|CZK|HUF|RON|BGN|TRY|JPY|CAD|AUD|AED|BRL))\s?{NUM}"
        ))
        .ok()
    })
    .as_ref()
}

fn price_suffix_re() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(&format!(
            r"(?i){NUM}\s?(万円|€|\$|£|₽|₴|円|zł|руб\.?|р\.|грн|kč|:-|,-|(?:zl|kr|Ft|lei|лв|TL|EUR|USD|GBP|RUB|PLN|UAH|SEK|NOK|DKK|CHF|CZK|HUF|RON|BGN|TRY|JPY|CAD|AUD|AED|BRL)(?-u:\b))"
        ))
        .ok()
    })
    .as_ref()
}

/// The currency a mark after or before an amount names. "285 000:-" and
/// "299.000,-" are whole amounts in the country's own currency (Swedish,
/// Norwegian, Danish, German, Czech and Polish price tags).
fn currency_of_mark(mark: &str, country: &str) -> Option<&'static str> {
    match mark {
        ":-" | ",-" => currency_for_country(country),
        other => currency_iso(other, country),
    }
}

/// A price with its currency inside a short string ("€ 24.990", "24 990 zł").
pub(crate) fn price_in(s: &str, tld: &str) -> Option<(String, Option<&'static str>)> {
    let mut found: Option<(usize, f64, Option<&'static str>)> = None;
    for (re, num_idx, cur_idx) in [(price_prefix_re(), 2, 1), (price_suffix_re(), 1, 2)] {
        let Some(re) = re else { continue };
        if let Some(cap) = re.captures(s) {
            let (Some(whole), Some(n), Some(cur)) = (cap.get(0), cap.get(num_idx), cap.get(cur_idx)) else {
                continue;
            };
            let Some(mut amount) = parse_amount(n.as_str()) else {
                continue;
            };
            if cur.as_str() == "万円" {
                amount *= 10_000.0;
            }
            let iso = currency_of_mark(cur.as_str(), tld);
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
pub(crate) fn currency_near(s: &str, tld: &str) -> Option<&'static str> {
    let re = regex!(r"(?i)(万円|€|R\$|\$|£|₽|₴|¥|円|zł|руб|грн|kč|(?-u:\b)(?:[A-Za-z]{3}|kr)(?-u:\b))")?;
    re.find_iter(s).find_map(|m| currency_iso(m.as_str(), tld))
}

/// Up to `n` characters before byte offset `at`.
fn before(text: &str, at: usize, n: usize) -> &str {
    let at = at.min(text.len());
    let head = text.get(..at).unwrap_or("");
    let start = head.char_indices().rev().nth(n.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0);
    head.get(start..).unwrap_or("")
}

/// Up to `n` characters after byte offset `at`.
fn after(text: &str, at: usize, n: usize) -> &str {
    let tail = text.get(at.min(text.len())..).unwrap_or("");
    let end = tail.char_indices().nth(n).map(|(i, _)| i).unwrap_or(tail.len());
    tail.get(..end).unwrap_or("")
}

/// Words after a distance that make it a yearly rate.
pub(crate) const PER_YEAR_WORDS: &[&str] = &[
    "per year",
    "/year",
    "a year",
    "per annum",
    "/yr",
    "annually",
    "pro jahr",
    "/jahr",
    "par an",
    "al año",
    "por año",
    "rocznie",
    "w roku",
    "в год",
    "на рік",
    "за рік",
];

pub(crate) const MONTHLY_WORDS: &[&str] = &["/mo", "mtl", "monat", "month", "/m", "mes", "мес", "mies", "p.m.", "rate", "/月", "per week", "/wk"];
/// "Baujahr 2014", "EZ 10/2012", "Рік випуску 2019": a year label from
/// the vocabulary, up to 25 other characters, an optional month, the year.
/// The label starts the pattern so the regex engine can skip ahead to it;
/// that it starts a word is checked by the caller.
fn year_re() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut words: Vec<String> = labels_of(Field::Year).iter().map(|w| regex::escape(w)).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let alternatives = words.join("|");
        Regex::new(&format!(r"(?i)({alternatives})[^\d\n]{{0,25}}(?:\d{{1,2}}\s?[./-]\s?)?(\d{{4}})")).ok()
    })
    .as_ref()
}

fn free_text(text: &str, c: &mut Collector) {
    let tld = c.country.clone();

    // Prices with a currency.
    let mut prices: Vec<(usize, String, Option<&'static str>, f32)> = Vec::new();
    for (re, num_idx, cur_idx) in [(price_prefix_re(), 2, 1), (price_suffix_re(), 1, 2)] {
        let Some(re) = re else { continue };
        for cap in re.captures_iter(text) {
            let (Some(whole), Some(n), Some(cur)) = (cap.get(0), cap.get(num_idx), cap.get(cur_idx)) else {
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
            if mentions_label(before(text, whole.start(), 40), Field::Price) {
                conf += 0.1;
            }
            prices.push((whole.start(), format_amount(amount), currency_of_mark(cur.as_str(), &tld), conf));
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
        if c.detected.iter().any(|d| d.field == Field::Price && d.source == Source::Text && &d.value == amount) {
            continue;
        }
        if c.push(Field::Price, amount, Source::Text, conf) {
            kept += 1;
            if let Some(cur) = cur {
                c.push(Field::Currency, cur, Source::Text, conf);
            }
        }
    }

    // Mileages with a unit, on the same line: "2026" above a "Kilometers"
    // label is a year, not a distance.
    let mil = c.mil();
    if let Some(re) = regex!(r"(?i)(\d{1,3}(?:[ .,\x{a0}\x{202f}']\d{3})+|\d{1,7})[ \x{a0}\x{202f}]?(kilometers|kilometres|kms|km|км|χλμ|miles|mil|mi)") {
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
            if prev.ends_with('/') || prev.ends_with("/100 ") || mentions_skipped(prev) {
                continue;
            }
            // "Less than 9,000 miles per year": a rate, not the odometer.
            if contains_any(after(text, whole.end(), 16), PER_YEAR_WORDS) {
                continue;
            }
            let Some(mut v) = parse_amount(n.as_str()) else {
                continue;
            };
            let unit = match (u.as_str().to_lowercase().as_str(), mil) {
                ("mil", Mil::TenKm) => {
                    v *= 10.0;
                    "km"
                }
                ("mil", _) => continue,
                (other, _) => match mileage_unit(other) {
                    Some(unit) => unit,
                    None => continue,
                },
            };
            if v > 2_000_000.0 {
                continue;
            }
            let mut conf = 0.4;
            if mentions_label(before(text, whole.start(), 40), Field::Mileage) {
                conf += 0.15;
            }
            // With its unit 0 is a new car's odometer ("0 km").
            let value = format!("{} {unit}", v.round() as i64);
            if c.push(Field::Mileage, &value, Source::Text, conf) {
                kept += 1;
                c.push(Field::MileageUnit, unit, Source::Text, conf);
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
            let labelled = mentions_label(before(text, m.start(), 40), Field::Vin);
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
    if let Some(re) = year_re() {
        for cap in re.captures_iter(text).take(5) {
            let starts_word = cap.get(1).is_some_and(|l| text[..l.start()].chars().last().is_none_or(|ch| !ch.is_alphanumeric()));
            if let (Some(y), true) = (cap.get(2), starts_word) {
                if y.as_str().parse::<i32>().is_ok_and(plausible_year) {
                    c.push(Field::Year, y.as_str(), Source::Text, 0.55);
                }
            }
        }
    }
}
