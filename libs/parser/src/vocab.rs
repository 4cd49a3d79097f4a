//! Label and value vocabularies, read from `data/labels.txt` and
//! `data/values.txt` (see the comments there for the format). Adding a
//! language is a data change, not a code change.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::extract::Field;

const LABELS: &str = include_str!("../data/labels.txt");
const VALUES: &str = include_str!("../data/values.txt");

/// Labels of five or more characters may sit inside a longer label.
const MIN_CONTAINED: usize = 5;

struct Labels {
    /// whole-label matches
    exact: HashMap<String, Field>,
    /// every label word of each field, for "a price/mileage/VIN label is
    /// near this value" checks on free text
    by_field: HashMap<Field, Vec<String>>,
    /// labels matched inside longer labels, by their words joined with
    /// single spaces
    contained: HashMap<String, Field>,
    skip: std::collections::HashSet<String>,
    /// most words in a contained or skip label
    max_words: usize,
}

fn field_named(name: &str) -> Option<Field> {
    Field::ALL.iter().copied().find(|f| f.as_str() == name)
}

fn entries(data: &str) -> impl Iterator<Item = (&str, &str)> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).filter_map(|l| l.split_once(':'))
}

fn labels() -> &'static Labels {
    static CELL: OnceLock<Labels> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut out =
            Labels { exact: HashMap::new(), by_field: HashMap::new(), contained: HashMap::new(), skip: std::collections::HashSet::new(), max_words: 1 };
        for (head, list) in entries(LABELS) {
            let words = list.split(',').map(|w| w.trim().to_lowercase());
            if head.trim() == "skip" {
                for w in words.filter(|w| !w.is_empty()) {
                    let key = words_of(&w);
                    out.max_words = out.max_words.max(key.split(' ').count());
                    out.skip.insert(key);
                }
                continue;
            }
            let Some(field) = field_named(head.trim()) else {
                continue;
            };
            for w in words {
                let (word, exact_only) = match w.strip_prefix('=') {
                    Some(x) => (x.trim().to_string(), true),
                    None => (w.clone(), false),
                };
                if word.is_empty() {
                    continue;
                }
                out.by_field.entry(field).or_default().push(word.clone());
                out.exact.entry(word.clone()).or_insert(field);
                if !exact_only && word.chars().count() >= MIN_CONTAINED {
                    let key = words_of(&word);
                    out.max_words = out.max_words.max(key.split(' ').count());
                    // Earlier lines win, as for exact labels.
                    out.contained.entry(key).or_insert(field);
                }
            }
        }
        out
    })
}

/// The field a spec-table label names ("Kilometerstand", "Рік випуску:",
/// "Boîte de vitesse"), or None for anything else.
pub fn label_field(label: &str) -> Option<Field> {
    let l = label.trim().trim_end_matches([':', '：', '*']).trim().to_lowercase();
    if l.is_empty() || l.chars().count() > 40 {
        return None;
    }
    let v = labels();
    // A few labels hold a digit ("1. registrering", "1ère mise en
    // circulation"): the vocabulary says so.
    if let Some(f) = v.exact.get(&l) {
        return Some(*f);
    }
    // Otherwise labels are words: "$500 price drop" or "2018" are values.
    if l.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // Look up every run of up to `max_words` words: cheaper than searching
    // the label for each vocabulary word, and it respects word boundaries.
    // Labels are a few words; longer texts are values or sentences.
    if l.split_whitespace().nth(5).is_some() {
        return None;
    }
    let runs = word_runs(&l, v.max_words);
    if runs.iter().any(|r| v.skip.contains(r)) {
        return None;
    }
    // The longest contained label wins ("коробка передач" over "коробка").
    runs.iter().filter_map(|r| v.contained.get(r).map(|f| (r.len(), *f))).max_by_key(|(len, _)| *len).map(|(_, f)| f)
}

/// Whether a label of `field` appears in `text` as whole words (for "is
/// this amount next to a price label?").
pub fn mentions_label(text: &str, field: Field) -> bool {
    let l = text.to_lowercase();
    labels().by_field.get(&field).is_some_and(|words| words.iter().any(|w| contains_words(&l, w)))
}

/// Whether `text` holds a label that is never a field's (consumption,
/// range, interior ...).
pub fn mentions_skipped(text: &str) -> bool {
    let v = labels();
    word_runs(text, v.max_words).iter().any(|r| v.skip.contains(r))
}

/// Every run of one to `max` consecutive words of `s`, lower-cased and
/// joined by single spaces.
fn word_runs(s: &str, max: usize) -> Vec<String> {
    let joined = words_of(s);
    let ws: Vec<&str> = joined.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = Vec::new();
    for i in 0..ws.len() {
        for j in i + 1..=(i + max).min(ws.len()) {
            out.push(ws[i..j].join(" "));
        }
    }
    out
}

/// Every label of `field`.
pub fn labels_of(field: Field) -> &'static [String] {
    labels().by_field.get(&field).map(Vec::as_slice).unwrap_or(&[])
}

/// Whether `needle` appears in `hay` at word boundaries.
pub(crate) fn contains_words(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = hay.get(from..).and_then(|h| h.find(needle)) {
        let at = from + pos;
        let end = at + needle.len();
        let before_ok = hay[..at].chars().last().is_none_or(|c| !c.is_alphanumeric());
        let after_ok = hay[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        from = end;
        while from < hay.len() && !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// The words of one canonical value: phrases found anywhere in a value,
/// and short words that must be the whole value.
struct ValueWords {
    field: Field,
    value: String,
    anywhere: Vec<String>,
    whole: Vec<String>,
}

/// Every canonical value's words, in file order.
fn values() -> &'static [ValueWords] {
    static CELL: OnceLock<Vec<ValueWords>> = OnceLock::new();
    CELL.get_or_init(|| {
        entries(VALUES)
            .filter_map(|(head, list)| {
                let (field, value) = head.split_once('/')?;
                let field = field_named(field.trim())?;
                let mut out = ValueWords { field, value: value.trim().to_string(), anywhere: Vec::new(), whole: Vec::new() };
                for w in list.split(',').map(str::trim) {
                    match w.strip_prefix('=') {
                        Some(exact) => out.whole.push(words_of(exact)),
                        None => out.anywhere.push(words_of(w)),
                    }
                }
                out.anywhere.retain(|w| !w.is_empty());
                out.whole.retain(|w| !w.is_empty());
                Some(out)
            })
            .collect()
    })
}

/// (series word, the dictionary's word for it) from the `family/` lines.
fn families() -> &'static [(String, String)] {
    static CELL: OnceLock<Vec<(String, String)>> = OnceLock::new();
    CELL.get_or_init(|| {
        entries(VALUES)
            .filter_map(|(head, list)| Some((head.trim().strip_prefix("family/")?.trim().to_string(), list)))
            .flat_map(|(name, list)| list.split(',').map(|w| (w.trim().to_lowercase(), name.clone())).collect::<Vec<_>>())
            .filter(|(w, _)| !w.is_empty())
            .collect()
    })
}

/// The dictionary's word for a series word in a model name ("Seria",
/// "Série" → "Series"; "Klasa" → "Class"), or None.
pub fn family_word(word: &str) -> Option<&'static str> {
    let w = word.trim().to_lowercase();
    families().iter().find(|(k, _)| *k == w).map(|(_, v)| v.as_str())
}

/// The words of engine and trim versions, from the `version/words` line.
fn version_words() -> &'static [String] {
    static CELL: OnceLock<Vec<String>> = OnceLock::new();
    CELL.get_or_init(|| {
        entries(VALUES)
            .filter(|(head, _)| head.trim() == "version/words")
            .flat_map(|(_, list)| list.split(',').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect::<Vec<_>>())
            .collect()
    })
}

/// Whether a model field reads like an engine or trim version ("2.0 MPFI
/// GLS 16V FLEX 4P AUTOMATICO", "1.6 TDI 105 KM"): it starts with an
/// engine size or holds two or more version words.
pub fn is_version_string(model: &str) -> bool {
    let words: Vec<String> = model.split_whitespace().map(str::to_lowercase).collect();
    let engine_size = words.first().is_some_and(|w| {
        let mut parts = w.splitn(2, ['.', ',']);
        let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        !a.is_empty() && !b.is_empty() && a.len() <= 2 && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit())
    });
    let known = words.iter().filter(|w| version_words().iter().any(|v| v == *w)).count();
    engine_size || known >= 2
}

/// Lower-case words joined by single spaces: "Benzyna+LPG" → "benzyna lpg".
fn words_of(s: &str) -> String {
    s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The canonical fuel or gearbox a value names ("Dīzelis" → "diesel",
/// "Automātiskā" → "automatic", "Gasolina e álcool" → "flex"), or None.
pub fn canonical_value(field: Field, raw: &str) -> Option<&'static str> {
    let words = words_of(raw);
    if words.is_empty() || words.len() > 200 {
        return None;
    }
    let found = values().iter().filter(|v| v.field == field).find(|v| v.whole.contains(&words) || v.anywhere.iter().any(|w| has_phrase(&words, w)));
    found.map(|v| v.value.as_str())
}

/// Whether `phrase` is a run of whole words of `words` (both lower-case
/// words joined by single spaces).
fn has_phrase(words: &str, phrase: &str) -> bool {
    words.match_indices(phrase).any(|(at, _)| {
        let end = at + phrase.len();
        (at == 0 || words.as_bytes()[at - 1] == b' ') && (end == words.len() || words.as_bytes()[end] == b' ')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_many_languages() {
        let cases = [
            ("Kilometerstand", Field::Mileage),
            ("Рік випуску:", Field::Year),
            ("Пробіг", Field::Mileage),
            ("Коробка передач", Field::Transmission),
            ("Паливо", Field::Fuel),
            ("Gads", Field::Year),
            ("Degviela", Field::Fuel),
            ("Ātrumkārba", Field::Transmission),
            ("Câmbio", Field::Transmission),
            ("Combustível", Field::Fuel),
            ("Rok produkcji", Field::Year),
            ("Skrzynia biegów", Field::Transmission),
            ("Carburant", Field::Fuel),
            ("Boîte de vitesse", Field::Transmission),
            ("Year of Reg", Field::Year),
            ("odometer", Field::Mileage),
            ("Läbisõit", Field::Mileage),
            ("Rida", Field::Mileage),
        ];
        for (label, field) in cases {
            assert_eq!(label_field(label), Some(field), "{label}");
        }
        for label in ["Fuel Consumption", "Interior colour", "Range", "Insurance group", "2018", "Notes"] {
            assert_eq!(label_field(label), None, "{label}");
        }
    }

    #[test]
    fn values_are_normalised() {
        let f = |s| canonical_value(Field::Fuel, s);
        let t = |s| canonical_value(Field::Transmission, s);
        assert_eq!(f("Dīzelis"), Some("diesel"));
        assert_eq!(f("Benzīns"), Some("petrol"));
        assert_eq!(f("Дизель"), Some("diesel"));
        assert_eq!(f("Електро"), Some("electric"));
        assert_eq!(f("Strom"), Some("electric"));
        assert_eq!(f("Gasolina e álcool"), Some("flex"));
        assert_eq!(f("Benzyna+LPG"), Some("lpg"));
        assert_eq!(f("Plug-in Hybrid"), Some("plug-in hybrid"));
        assert_eq!(f("Insurance group 50"), None);
        assert_eq!(t("Automātiskā"), Some("automatic"));
        assert_eq!(t("Mehāniskā"), Some("manual"));
        assert_eq!(t("Автомат"), Some("automatic"));
        assert_eq!(t("Automatik"), Some("automatic"));
        assert_eq!(t("Manual"), Some("manual"));
    }
}
