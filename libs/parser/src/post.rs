//! Channel posts: a car offered in a Telegram post is plain text with
//! entities ("🔥 BMW X5 2019, 3.0d, 85 000 км, автомат, 42 500 $"), not a
//! page. [`extract_post`] reads it with the same dictionary, vocabularies
//! and value parsers as pages, into the same [`Extraction`], so a draft car
//! from a channel goes through [`crate::draft`] and the per-source mapping
//! memory like one from a URL.
//!
//! Pure: no I/O, never panics on any input.

use cartie_dictionary::Dictionary;
use cartie_domain::values::{format_amount, parse_mileage, parse_money, MileageUnit};
use serde::{Deserialize, Serialize};

use crate::extract::{Detected, Extraction, Field, Source};
use crate::util::{current_year, first_year};
use crate::vin::{check_vin, VinCheck};
use crate::vocab::{canonical_value, label_field, mentions_label};

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
///
/// A post is read in segments: lines, then the parts a line is cut into by
/// commas, bullets, bars and icons (many channels write one field per icon,
/// "📅 2019 👣 85 000 км 💰 9 500$", and some posts reach us with their line
/// breaks lost). A segment's field comes from its label ("Пробіг: 185 тис.
/// км", "Yili 2019"), else from the icon before it ("💰 7,400"), else from
/// what it holds (a distance unit, a currency mark, a year).
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
    let segs = segments(text);

    // The headline is the first line with words; a very long first line is
    // a post whose line breaks were lost, and its first segment heads it.
    let first_line = text.lines().map(str::trim).find(|l| l.chars().any(char::is_alphanumeric)).unwrap_or("");
    let headline = if first_line.chars().count() > 100 { segments(first_line).first().map(|s| s.text).unwrap_or(first_line) } else { first_line };
    out.push(Field::Title, clean_line(headline), 0.7);

    // The car's name: the headline, bold text and hashtags, then the whole
    // text. Hashtags count whether or not the entities came with the text.
    let mut tags: Vec<String> = Vec::new();
    for e in entities {
        if matches!(e.kind.as_str(), "bold" | "hashtag" | "strong") {
            if let Some(t) = entity_text(text, e) {
                tags.push(t.trim_start_matches('#').replace('_', " "));
            }
        }
    }
    tags.extend(hashtags(text));
    let mut car_text: Vec<(&str, f32)> = vec![(headline, 0.7)];
    car_text.extend(tags.iter().map(|t| (t.as_str(), 0.65)));
    for (t, conf) in &car_text {
        if let Some(m) = dict.mentions(t).into_iter().next() {
            out.push(Field::Make, &m.make, *conf);
            if let Some(model) = m.model {
                out.push(Field::Model, &model, *conf);
            } else if let Some(model) = model_after(dict, &m.make, t, m.end) {
                out.push(Field::Model, &model, conf - 0.1);
            }
            break;
        }
    }
    // A model named alone ("#Cobalt", "Golf VII 2013") in a hashtag or at
    // the head of the post: there the name is the car's, even when it is
    // also an ordinary word.
    for (t, conf) in tags.iter().map(|t| (t.as_str(), 0.65)).chain([(clean_line(headline), 0.6)]) {
        if let Some((make, model)) = model_alone(dict, t) {
            out.push(Field::Model, model, conf);
            if let Some(make) = make {
                out.push(Field::Make, make, conf - 0.05);
            }
            break;
        }
    }

    let labelled = 0.75;
    let loose = 0.55;
    for seg in &segs {
        for part in split_inline_labels(seg.text) {
            let (label, value, by_icon) = match label_of(part) {
                Some((f, v)) => (Some(f), v, false),
                None => match seg.icon.and_then(icon_field) {
                    Some(f) if part.as_ptr() == seg.text.as_ptr() => (Some(f), part, true),
                    _ => (None, part, false),
                },
            };
            // "9600💵": an amount with a price icon right after it.
            let label = match (label, seg.icon_after.and_then(icon_field)) {
                (None, Some(Field::Price)) if is_amount(value) => Some(Field::Price),
                (l, _) => l,
            };
            let by_icon = by_icon || (label == Some(Field::Price) && label_of(part).is_none());
            let read = match label {
                Some(Field::Year) => first_year(value).filter(|y| *y <= latest).map(|y| out.push(Field::Year, &y.to_string(), labelled)).is_some(),
                Some(Field::Mileage) => out.mileage(value, labelled, false),
                Some(Field::Price) => out.price(value, country, labelled, true, !by_icon),
                Some(Field::Make) => dict.canonical_make(value.trim_start_matches('#')).map(|m| out.push(Field::Make, m, labelled)).is_some(),
                Some(Field::Model) => out.model_label(dict, value, labelled),
                // "⛽️ Benzin, metan": the fuel is the whole list.
                Some(Field::Fuel) => canonical_value(Field::Fuel, if by_icon { seg.run } else { value }).map(|v| out.push(Field::Fuel, v, labelled)).is_some(),
                Some(Field::Transmission) => canonical_value(Field::Transmission, value).map(|v| out.push(Field::Transmission, v, labelled)).is_some(),
                Some(Field::Vin) => out.vin(value, labelled),
                _ => false,
            };
            if read {
                continue;
            }
            // Unlabelled pieces (or labels whose value reads as another
            // field): "2019", "85 000 км", "автомат", "42 500 $".
            let value = part;
            let title_like = dict.find_make(value).is_some() || out.names_model(value);
            if let Some((y, conf)) = year_in(value, latest, title_like) {
                out.push(Field::Year, &y.to_string(), conf);
            }
            out.mileage(value, loose, !mentions_label(value, Field::Mileage));
            out.price(value, country, loose, false, true);
            for f in [Field::Fuel, Field::Transmission] {
                if let Some(v) = canonical_value(f, value) {
                    out.push(f, v, loose);
                }
            }
            out.vin(value, 0.5);
        }
    }
    // Last, a make anywhere in the text ("... Chevrolet Cobalt ..."); one
    // that does not make the model already read is an ordinary word there
    // ("#Damas ... Benzin + Gaz" is no GAZ).
    if !out.detected.iter().any(|d| d.field == Field::Make) {
        if let Some(m) = dict.mentions(text).into_iter().next() {
            let model_read =
                out.detected.iter().filter(|d| d.field == Field::Model).max_by(|a, b| a.confidence.total_cmp(&b.confidence)).map(|d| d.value.clone());
            let fits = m.model.is_some() || model_read.as_deref().is_none_or(|model| dict.canonical_model(&m.make, model).is_some());
            if fits {
                out.push(Field::Make, &m.make, 0.55);
                if let Some(model) = m.model.clone().or_else(|| model_after(dict, &m.make, text, m.end)) {
                    out.push(Field::Model, &model, if m.model.is_some() { 0.55 } else { 0.45 });
                }
            }
        }
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
        let confidence = confidence.clamp(0.0, 1.0);
        if let Some(d) = self.detected.iter_mut().find(|d| d.field == field && d.value == value) {
            d.confidence = d.confidence.max(confidence);
            return;
        }
        self.detected.push(Detected { field, value: value.to_string(), source: Source::Text, confidence });
    }

    /// Whether `s` names a model already read ("Golf VII 2013рік").
    fn names_model(&self, s: &str) -> bool {
        let l = s.to_lowercase();
        self.detected.iter().any(|d| d.field == Field::Model && d.value.chars().count() >= 2 && l.contains(&d.value.to_lowercase()))
    }

    /// A distance: with `need_unit`, only one followed by its unit.
    fn mileage(&mut self, s: &str, conf: f32, need_unit: bool) -> bool {
        let Some(m) = mileage_in(s, need_unit) else {
            return false;
        };
        if m.value == 0 && m.unit.is_none() {
            return false;
        }
        self.push(Field::Mileage, &m.value.to_string(), conf);
        if let Some(u) = m.unit {
            let unit = match u {
                MileageUnit::Km => "km",
                MileageUnit::Mi => "mi",
            };
            self.push(Field::MileageUnit, unit, conf);
        }
        true
    }

    /// A price needs its currency in the text unless a price label says so;
    /// a bare labelled amount takes the country's currency only when
    /// `country_default` (a word label, not an icon).
    fn price(&mut self, s: &str, country: &str, conf: f32, labelled: bool, country_default: bool) -> bool {
        let s = money_text(s);
        let (amount, currency) = if let Some(local) = local_money(&s) {
            local
        } else {
            let marked = parse_money(&s, "").filter(|x| x.currency.is_some());
            match marked.map(|_| parse_money(&s, country)) {
                Some(Some(m)) => (m.amount, m.currency),
                _ if labelled => match parse_money(&s, if country_default { country } else { "" }) {
                    Some(m) => (m.amount, m.currency),
                    None => return false,
                },
                _ => return false,
            }
        };
        if !amount.is_finite() || amount < 100.0 {
            return false;
        }
        let had_price = self.detected.iter().any(|d| d.field == Field::Price);
        // The first price in a post is the asking price; later ones are
        // usually the old price or a credit instalment.
        let conf = if had_price { conf - 0.2 } else { conf };
        self.push(Field::Price, &format_amount(amount), conf);
        if let Some(c) = currency {
            self.push(Field::Currency, c, conf);
        }
        true
    }

    fn vin(&mut self, s: &str, conf: f32) -> bool {
        let mut found = false;
        for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
            if word.len() == 17 && word.chars().filter(char::is_ascii_digit).count() >= 3 {
                let v = word.to_uppercase();
                match check_vin(&v) {
                    VinCheck::Valid => self.push(Field::Vin, &v, conf + 0.2),
                    VinCheck::CheckDigitMismatch { .. } => self.push(Field::Vin, &v, conf),
                    VinCheck::Invalid { .. } => continue,
                }
                found = true;
            }
        }
        found
    }

    /// A model label's value: "#MAZDA 3" (make and model), "#Cobalt" (a
    /// known model alone), "#Damas" (a model the dictionary does not know,
    /// taken as written).
    fn model_label(&mut self, dict: &Dictionary, value: &str, conf: f32) -> bool {
        let v = clean_line(value.trim_start_matches(|c: char| c == '#' || c.is_whitespace()));
        if let Some(m) = dict.mentions(v).into_iter().next() {
            self.push(Field::Make, &m.make, conf - 0.1);
            if let Some(model) = m.model.or_else(|| model_after(dict, &m.make, v, m.end)) {
                self.push(Field::Model, &model, conf);
            }
            return true;
        }
        if let Some((make, model)) = model_alone(dict, v) {
            self.push(Field::Model, model, conf);
            if let Some(make) = make {
                self.push(Field::Make, make, conf - 0.15);
            }
            return true;
        }
        let word: String = v.split(|c: char| c.is_whitespace() || c == '#' || c == ',').find(|w| !w.is_empty()).unwrap_or("").to_string();
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.chars().count() >= 2 && word.chars().count() <= 20 && word.chars().any(char::is_alphabetic) {
            self.push(Field::Model, word, conf - 0.15);
            return true;
        }
        false
    }
}

/// One piece of a post, with the icons around it.
struct Seg<'a> {
    text: &'a str,
    /// The icon right before the piece ("💰" in "💰 9 500$").
    icon: Option<char>,
    /// The icon right after it ("💵" in "9600💵").
    icon_after: Option<char>,
    /// The piece with the comma-separated pieces after it, up to the next
    /// icon, bar or bullet ("Benzin, metan 4 avlod").
    run: &'a str,
}

/// Pictographs and symbols channels put before fields: emoji, dingbats,
/// arrows, geometric shapes.
fn is_icon(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x25A0..=0x25FF | 0x2190..=0x21FF | 0x2300..=0x23FF | 0x203C | 0x2049 | 0x2122 | 0x2139 | 0x3030 | 0x303D)
}

/// Pieces of a post: lines, then comma-, bullet-, bar- or icon-separated
/// parts. A comma between digits groups thousands ("64,000") and does not
/// split.
fn segments(text: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for line in text.lines() {
        // (piece, icon before, icon after, whether a comma ended it)
        let mut raw: Vec<(&str, Option<char>, Option<char>, bool)> = Vec::new();
        let mut start = 0;
        let mut icon: Option<char> = None;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let keep = keep_char;
        for (k, (i, c)) in chars.iter().enumerate() {
            let digit_around = k > 0 && chars[k - 1].1.is_ascii_digit() && chars.get(k + 1).is_some_and(|n| n.1.is_ascii_digit());
            let pictograph = is_icon(*c);
            let comma = *c == ',' && !digit_around;
            let splits = pictograph || comma || matches!(c, '•' | '|' | ';' | '·' | '\u{FE0F}' | '\u{200D}');
            if splits {
                let piece = &line[start..*i];
                if !piece.trim_matches(keep).is_empty() {
                    raw.push((piece, icon, pictograph.then_some(*c), comma));
                    icon = None;
                }
                if pictograph && icon.is_none() {
                    icon = Some(*c);
                }
                start = i + c.len_utf8();
            }
        }
        let piece = &line[start..];
        if !piece.trim_matches(keep).is_empty() {
            raw.push((piece, icon, None, false));
        }
        for k in 0..raw.len() {
            let (piece, icon, icon_after, _) = raw[k];
            let mut last = k;
            while raw[last].3 && last + 1 < raw.len() && raw[last + 1].1.is_none() {
                last += 1;
            }
            let from = piece.as_ptr() as usize - line.as_ptr() as usize;
            let to = raw[last].0.as_ptr() as usize - line.as_ptr() as usize + raw[last].0.len();
            let text = clean_piece(piece);
            if !text.is_empty() {
                out.push(Seg { text, icon, icon_after, run: clean_piece(line.get(from..to).unwrap_or(piece)) });
            }
        }
    }
    out
}

/// Characters trimmed off a piece's ends: spaces and marks, but not
/// currency signs, "+", "." or "#".
fn keep_char(c: char) -> bool {
    c.is_whitespace() || (!c.is_alphanumeric() && !"$€£₴₽¥₩+.#".contains(c))
}

fn clean_piece(s: &str) -> &str {
    s.trim_matches(|c: char| keep_char(c) && c != '#').trim_start_matches('#').trim()
}

/// The `#words` of a text (a Telegram client renders them as hashtags
/// whether or not the entities came along).
fn hashtags(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        let after = &rest[at + 1..];
        let tag: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
        let letters = tag.chars().any(char::is_alphabetic);
        if letters && tag.chars().count() <= 40 && out.len() < 20 {
            out.push(tag.replace('_', " "));
        }
        rest = &after[tag.len()..];
    }
    out
}

/// The field a segment's label names and the value after it: "Пробіг: 185
/// тис. км", "Ціна — 7800$", or a label word with no separator: "Yili 2019",
/// "Рідний пробіг 149 тисяч".
fn label_of(seg: &str) -> Option<(Field, &str)> {
    if let Some((l, v)) = seg.split_once([':', '：', '—', '–', '-']) {
        if let Some(f) = label_field(l) {
            return Some((f, v.trim()));
        }
    }
    let words: Vec<(usize, &str)> = seg.split_whitespace().map(|w| (w.as_ptr() as usize - seg.as_ptr() as usize, w)).collect();
    for &(at, w) in words.iter().skip(1).take(3) {
        let head = seg.get(..at)?.trim();
        if !head.chars().all(|c| c.is_alphabetic() || c.is_whitespace() || "'ʻ‘`".contains(c)) {
            continue;
        }
        if let Some(f) = label_field(head) {
            let value = seg.get(at..)?.trim();
            let numeric = matches!(f, Field::Year | Field::Mileage | Field::Price);
            if !numeric || w.starts_with(|c: char| c.is_ascii_digit() || "$€£".contains(c)) {
                return Some((f, value));
            }
        }
    }
    None
}

/// A run-on segment with several labelled values ("Yili 2024 Probek 20 km
/// Narxi 8 600$") cut before each label word that precedes a number.
fn split_inline_labels(seg: &str) -> Vec<&str> {
    let words: Vec<(usize, &str)> = seg.split_whitespace().map(|w| (w.as_ptr() as usize - seg.as_ptr() as usize, w)).collect();
    let mut cuts = vec![0];
    for (k, (at, w)) in words.iter().enumerate().skip(1) {
        let next_digit = words.get(k + 1).is_some_and(|(_, n)| n.starts_with(|c: char| c.is_ascii_digit()));
        let word = w.trim_end_matches([':', '.']);
        if next_digit && word.chars().all(char::is_alphabetic) && matches!(label_field(word), Some(Field::Year | Field::Mileage | Field::Price)) {
            cuts.push(*at);
            continue;
        }
        // "Moshina modeli: Spark Pozitsiya: Avtomat": a new "Label:" in a
        // list of them, unless the word ends a longer label ("Рік випуску:").
        let prev = words[k - 1].1;
        let list = seg.get(*cuts.last().unwrap_or(&0)..*at).is_some_and(|p| p.contains(':'));
        let joined = format!("{prev} {word}");
        if list && w.ends_with(':') && word.chars().all(char::is_alphabetic) && !prev.ends_with(':') && label_field(&joined).is_none() {
            cuts.push(*at);
        }
    }
    cuts.push(seg.len());
    cuts.windows(2).filter_map(|w| seg.get(w[0]..w[1])).map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// The field an icon stands for ("💰" a price, "📅" a year), from the label
/// vocabulary.
fn icon_field(c: char) -> Option<Field> {
    label_field(c.encode_utf8(&mut [0u8; 4]))
}

/// Whether a segment is an amount and nothing else ("9600", "47 500").
fn is_amount(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) && s.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || ".,'".contains(c))
}

/// A year in a segment: one written as a year ("2013рік", "2021г.", "2022
/// yil"), one in the car's name ("Ford Fusion SE 2020"), or one standing
/// (nearly) alone ("2019", "2024. 2.0. 14т.миль"). Dates ("19.07.2026"),
/// engine sizes and amounts are not years.
fn year_in(s: &str, latest: i32, title_like: bool) -> Option<(i32, f32)> {
    let b = s.as_bytes();
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    for i in 0..b.len().saturating_sub(3) {
        let window = b.get(i..i + 4)?;
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if !(before_ok && after_ok && window.iter().all(u8::is_ascii_digit)) {
            continue;
        }
        let Some(y) = s.get(i..i + 4).and_then(|w| w.parse::<i32>().ok()) else {
            continue;
        };
        if !(1950..=latest).contains(&y) {
            continue;
        }
        let before = s.get(..i).unwrap_or("");
        let after = s.get(i + 4..).unwrap_or("");
        if is_full_date(before) || before.trim_end().ends_with(['$', '€', '£', '№', '#']) {
            continue;
        }
        let next = after.trim_start().to_lowercase();
        const NOT_YEAR: &[&str] = &[
            "км", "km", "см", "cc", "куб", "$", "€", "£", "₴", "₽", "грн", "л.с", "hp", "mi", "миль", "тис", "тыс", "so'm", "сум", "сўм", "won", "ming",
            "минг", "kw", "квт",
        ];
        if NOT_YEAR.iter().any(|w| next.starts_with(w)) || after.starts_with(['.', ',']) && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // "И/Ч йил : 2017", "Yil 2019": a year label right before it.
        let label_before =
            before.trim_end_matches(|c: char| c.is_whitespace() || ":-–—=".contains(c)).rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        if !label_before.is_empty() && label_field(label_before) == Some(Field::Year) {
            return Some((y, 0.7));
        }
        let word: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
        const YEAR_WORDS: &[&str] = &["р", "рік", "року", "г", "год", "года", "годa", "yil", "yili", "йил", "йили", "y", "rok", "roku", "year", "yr"];
        if YEAR_WORDS.contains(&word.as_str()) {
            return Some((y, 0.7));
        }
        if title_like {
            return Some((y, 0.65));
        }
        let first = before.trim().is_empty() && (after.is_empty() || after.starts_with(['.', ',', ' ']));
        if letters <= 4 || first {
            return Some((y, 0.55));
        }
    }
    None
}

/// Whether `before` ends with a day and month ("19.07.", "19/07/"), making
/// the number after it a date's year.
fn is_full_date(before: &str) -> bool {
    let t: Vec<char> = before.chars().rev().take(6).collect();
    // reversed: sep, digits (1-2), sep, digits (1-2)
    let mut k = 0;
    let sep = |c: &char| matches!(c, '.' | '/' | '-');
    if !t.first().is_some_and(sep) {
        return false;
    }
    k += 1;
    let d1 = t[k..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&d1) {
        return false;
    }
    k += d1;
    if !t.get(k).is_some_and(sep) {
        return false;
    }
    k += 1;
    let d2 = t.get(k..).unwrap_or(&[]).iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&d2)
}

/// The first distance in `s`: a number with its unit ("85 000 км", "253т.
/// км", "14т.миль", "9.500.km", "250 ming km"), or with `need_unit` false
/// also a bare number (a mileage label said what it is). Numbers glued to
/// letters ("MX-30", "N20"), masked ones ("281***") and speeds ("100
/// км/ч") are skipped.
fn mileage_in(s: &str, need_unit: bool) -> Option<cartie_domain::values::Mileage> {
    let s = distance_text(s);
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, (i, c)) in chars.iter().enumerate() {
        if !c.is_ascii_digit() {
            continue;
        }
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        if prev.is_some_and(|p| p.is_ascii_digit() || p.is_alphabetic() || matches!(p, '.' | ',' | '-' | '/' | '*')) {
            continue;
        }
        let rest = &s[*i..];
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == ' ')).unwrap_or(rest.len());
        if rest[num_end..].starts_with('*') {
            continue;
        }
        let Some(m) = parse_mileage(rest) else {
            continue;
        };
        if m.unit.is_none() && need_unit {
            continue;
        }
        let tail = rest.to_lowercase();
        if ["км/", "km/", "км в", "km per"].iter().any(|w| tail.contains(w) && tail.find(w).is_some_and(|at| at < num_end + 12)) {
            continue;
        }
        return Some(m);
    }
    None
}

/// Text for distance parsing: "9.500.km" → "9.500 km" (a dot between a
/// number and its unit), "250 ming" → "250 тыс" (the Uzbek thousand).
fn distance_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if c == '.' && k > 0 && chars[k - 1].is_ascii_digit() && chars.get(k + 1).is_some_and(|n| n.is_alphabetic() && !matches!(n, 'т' | 'Т')) {
            out.push(' ');
            k += 1;
            continue;
        }
        let after_number = out.trim_end().ends_with(|c: char| c.is_ascii_digit());
        let thousand = ["ming", "минг"].iter().map(|w| w.chars().collect::<Vec<_>>()).find(|w| {
            chars.get(k..k + w.len()).is_some_and(|run| run.iter().zip(w).all(|(a, b)| a.to_lowercase().eq(b.to_lowercase())))
                && chars.get(k + w.len()).is_none_or(|n| !n.is_alphabetic())
        });
        match thousand {
            Some(w) if after_number && (k == 0 || !chars[k - 1].is_alphabetic()) => {
                out.push_str("тыс");
                k += w.len();
            }
            _ => {
                out.push(c);
                k += 1;
            }
        }
    }
    out
}

/// Text for money parsing: "9700.$" → "9700$".
fn money_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (k, c) in chars.iter().enumerate() {
        let dot_before_mark = *c == '.' && k > 0 && chars[k - 1].is_ascii_digit() && chars.get(k + 1).is_some_and(|n| "$€£".contains(*n));
        if !dot_before_mark {
            out.push(*c);
        }
    }
    out
}

/// Currencies written as words the shared money parser does not know:
/// Korean won and Uzbek so'm (whose ISO code the drafts cannot carry yet,
/// so only the amount is read). The amount is the number right before the
/// word.
fn local_money(s: &str) -> Option<(f64, Option<&'static str>)> {
    const WORDS: &[(&str, Option<&str>)] =
        &[("won", Some("KRW")), ("вон", Some("KRW")), ("so'm", None), ("soʻm", None), ("so‘m", None), ("so`m", None), ("сўм", None), ("сум", None)];
    let lower = s.to_lowercase();
    for (w, iso) in WORDS {
        for (at, _) in lower.match_indices(w) {
            let after_ok = lower[at + w.len()..].chars().next().is_none_or(|c| !c.is_alphabetic());
            let head = lower[..at].trim_end();
            if !after_ok || !head.ends_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let start = head
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, ' ' | '.' | ',' | '\u{a0}'))
                .last()
                .map(|(i, _)| i)
                .unwrap_or(0);
            // The whole run before the word is one amount: "2950 000 won".
            let number = head[start..].trim();
            let groups: Vec<&str> = number.split([' ', '\u{a0}']).filter(|g| !g.is_empty()).collect();
            let joined = if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit())) {
                groups.concat()
            } else {
                number.to_string()
            };
            if let Some(v) = cartie_domain::values::parse_quantity(&joined) {
                return Some((v, *iso));
            }
        }
    }
    None
}

/// A known model after a make, within the make's segment ("Mersedes Benz
/// Vito 111CD" → Vito), else the first word after the make that is no
/// name of it ("Хундай соната" → соната).
fn model_after(dict: &Dictionary, make: &str, text: &str, end: usize) -> Option<String> {
    let rest = text.get(end..)?;
    let cut = rest.find(|c: char| c == '\n' || c == ',' || c == '|' || c == '•' || is_icon(c)).unwrap_or(rest.len());
    let rest = rest.get(..cut)?;
    let rest = rest.get(..rest.char_indices().nth(40).map(|(i, _)| i).unwrap_or(rest.len()))?;
    if let Some(m) = dict.model_in(make, rest) {
        return Some(m.to_string());
    }
    for w in rest.split(|c: char| c.is_whitespace() || c == ',') {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if w.is_empty() || dict.canonical_make(w) == Some(make) {
            continue;
        }
        let is_year = w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
        return (!is_year && w.chars().count() <= 20).then(|| w.to_string());
    }
    None
}

/// A model named without its make: the first words of `s` ("Cobalt 4
/// Poz.", "NEXIA-3", "Golf VII") looked up among every make's models. The
/// make comes along when only one make has that model.
fn model_alone<'d>(dict: &'d Dictionary, s: &str) -> Option<(Option<&'d str>, &'d str)> {
    let words: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(3).collect();
    for n in (1..=words.len()).rev() {
        let cand = words[..n].join(" ");
        if cand.chars().all(|c| c.is_ascii_digit() || c == ' ') || cand.chars().count() < 2 {
            continue;
        }
        let hits: Vec<(&str, &str)> = dict.makes().filter_map(|mk| dict.canonical_model(mk, &cand).map(|m| (mk, m))).collect();
        if let Some((make, model)) = hits.first() {
            let one_make = hits.iter().all(|(m, _)| m == make);
            return Some((one_make.then_some(*make), model));
        }
    }
    None
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

    #[test]
    fn icons_cut_a_line_into_fields() {
        let segs = segments("📅 yili 2019 👣 probeg 85 000 km ⛽️ Benzin, metan 💰 9 500$");
        let texts: Vec<&str> = segs.iter().map(|s| s.text).collect();
        assert_eq!(texts, ["yili 2019", "probeg 85 000 km", "Benzin", "metan", "9 500$"]);
        assert_eq!(segs[0].icon, Some('📅'));
        assert_eq!(segs[2].run, "Benzin, metan");
        assert_eq!(icon_field('💰'), Some(Field::Price));
        let after = segments("9600💵");
        assert_eq!(after[0].icon_after, Some('💵'));
    }

    #[test]
    fn years_are_not_dates_or_amounts() {
        assert_eq!(year_in("Прибула в Одесу — 19.07.2026", 2027, false), None);
        assert_eq!(year_in("Golf VII 2013рік", 2027, false), Some((2013, 0.7)));
        assert_eq!(year_in("Ford Fusion SE 2020", 2027, true), Some((2020, 0.65)));
        assert_eq!(year_in("2024. 2.0. 14т.миль", 2027, false), Some((2024, 0.55)));
        assert_eq!(year_in("И/Ч йил : 2017", 2027, false), Some((2017, 0.7)));
        assert_eq!(year_in("Ціна 2000 $", 2027, false), None);
    }

    #[test]
    fn distances_need_their_number() {
        let km = |s: &str, need: bool| mileage_in(s, need).map(|m| (m.value, m.unit));
        assert_eq!(km("MAZDA MX-30 2021г. 45 тыс.км. Запас хода 220 км", true), Some((45_000, Some(MileageUnit::Km))));
        assert_eq!(km("2024. 2.0. 14т.миль", true), Some((14_000, Some(MileageUnit::Mi))));
        assert_eq!(km("probeg 9.500.km", true), Some((9_500, Some(MileageUnit::Km))));
        assert_eq!(km("probeg 250 ming", false), Some((250_000, None)));
        assert_eq!(km("281*** km", true), None);
        assert_eq!(km("0-100 км/ч за 6.8 сек", true), None);
    }

    #[test]
    fn local_currency_words() {
        assert_eq!(local_money("2950 000 won"), Some((2_950_000.0, Some("KRW"))));
        assert_eq!(local_money("Narxi: 100.000.000 so'm"), Some((100_000_000.0, None)));
        assert_eq!(local_money("12 000$"), None);
    }

    #[test]
    fn models_named_alone() {
        let dict = Dictionary::builtin();
        assert_eq!(model_alone(dict, "Cobalt 4 Poz."), Some((Some("Chevrolet"), "Cobalt")));
        assert_eq!(model_alone(dict, "NEXIA-3"), Some((Some("Daewoo"), "Nexia")));
        assert_eq!(model_alone(dict, "2019"), None);
    }
}
