//! Numbers: the strict form a buyer types as an answer ([`normalise_number`]),
//! the lenient first amount on a page ([`parse_amount`]) and amounts with a
//! multiplier word as people write them in posts and chats
//! ([`parse_quantity`]: "25k", "25 тис", "1,2 млн").

/// A number as buyers type it, in plain form: "25 000" and "25,000 $" give
/// "25000", "12,5" gives "12.5". A trailing currency word or symbol is
/// dropped; "25k" or "2 млн" are refused rather than misread as 25 or 2.
pub fn normalise_number(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > 64 {
        return None;
    }
    let s = s.trim_start_matches(|c: char| is_currency_symbol(c) || c.is_whitespace());
    let s = strip_currency_word(s)?;
    let s: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\'').collect();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    let (int, frac) = split_number(s)?;
    let int = int.trim_start_matches('0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        out.push('.');
        out.push_str(&frac);
    }
    Some(out)
}

/// The value of a number as buyers type it (see [`normalise_number`]).
pub fn parse_number(raw: &str) -> Option<f64> {
    normalise_number(raw)?.parse::<f64>().ok().filter(|v| v.is_finite())
}

pub(crate) fn is_currency_symbol(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₽' | '₸' | '₴' | '₼' | '₾' | '₺' | '₹' | '₩' | '₪' | '¢')
}

/// Words that multiply a number; refused rather than misread.
const MULTIPLIERS: [&str; 18] =
    ["k", "к", "т", "тыс", "тысяч", "thousand", "thousands", "m", "м", "mln", "mio", "млн", "million", "millions", "b", "bn", "млрд", "billion"];

/// Drops a trailing currency symbol or word ("usd", "руб."); None for a
/// multiplier word.
fn strip_currency_word(s: &str) -> Option<&str> {
    let s = trim_currency_end(s);
    let without_dot = s.strip_suffix('.').filter(|r| r.ends_with(char::is_alphabetic)).unwrap_or(s);
    let stem = without_dot.trim_end_matches(char::is_alphabetic);
    if stem.len() == without_dot.len() {
        return Some(s);
    }
    let word = without_dot[stem.len()..].to_lowercase();
    if MULTIPLIERS.contains(&word.as_str()) {
        return None;
    }
    Some(trim_currency_end(stem))
}

fn trim_currency_end(s: &str) -> &str {
    s.trim_end_matches(|c: char| is_currency_symbol(c) || c.is_whitespace())
}

/// Splits digits with separators into (integer digits, fraction digits).
/// A separator repeated, or followed by exactly three digits after 1-3
/// leading digits, groups thousands; otherwise a single `.` or `,` is the
/// decimal point.
fn split_number(s: &str) -> Option<(String, String)> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    let commas = s.matches(',').count();
    let dots = s.matches('.').count();
    let last_dot = s.rfind('.');
    let last_comma = s.rfind(',');
    let (thousands, decimal) = match (commas, dots) {
        (0, 0) => (None, None),
        (1, 0) if groups_thousands(s, ',') => (Some(','), None),
        (1, 0) => (None, Some(',')),
        (_, 0) => (Some(','), None),
        (0, 1) => (None, Some('.')),
        (0, _) => (Some('.'), None),
        (_, 1) if last_dot > last_comma => (Some(','), Some('.')),
        (1, _) if last_comma > last_dot => (Some('.'), Some(',')),
        _ => return None,
    };
    let (int, frac) = match decimal {
        Some(d) => s.rsplit_once(d)?,
        None => (s, ""),
    };
    let int = match thousands {
        Some(t) if groups_thousands(int, t) => int.replace(t, ""),
        Some(_) => return None,
        None => int.to_string(),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(&int) && digits(frac) && !(int.is_empty() && frac.is_empty()) && (decimal.is_none() || !frac.is_empty());
    ok.then(|| (int, frac.to_string()))
}

/// "1,250,000": 1-3 digits (not starting with 0), then groups of exactly three.
fn groups_thousands(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    let first_ok = (1..=3).contains(&first.len()) && !first.starts_with('0') && first.bytes().all(|b| b.is_ascii_digit());
    first_ok && parts.all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Separators that group thousands on pages: space, no-break space, thin
/// and narrow no-break spaces, apostrophes, dots and commas.
fn is_group_separator(c: char) -> bool {
    matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\'' | '’')
}

/// The first amount in a string, written with thousands separators in any
/// common style: `24.990`, `24,990`, `18 500`, `24.990,50`, `24,990.00`,
/// `1'250`. Anything around the number is ignored.
pub fn parse_amount(s: &str) -> Option<f64> {
    parse_amount_at(s).map(|(v, _, _)| v)
}

/// [`parse_amount`] with the byte range of the number. Groups after the
/// first must be three digits behind one separator ("18 500", "1.234.567");
/// a last group of one or two digits behind `.` or `,` is the fraction. The
/// number ends where that stops holding, so "2019, 3.0d" reads 2019.
pub(crate) fn parse_amount_at(s: &str) -> Option<(f64, usize, usize)> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    // Each group: the separator text before it, its digits, its byte end.
    let mut groups: Vec<(String, String, usize)> = Vec::new();
    let mut sep = String::new();
    for (i, c) in s[start..].char_indices() {
        let at = start + i;
        if c.is_ascii_digit() {
            match groups.last_mut() {
                Some(last) if sep.is_empty() => {
                    last.1.push(c);
                    last.2 = at + 1;
                }
                _ => groups.push((std::mem::take(&mut sep), c.to_string(), at + 1)),
            }
        } else if is_group_separator(c) {
            sep.push(c);
        } else {
            break;
        }
    }
    let first = groups.first()?;
    let mut int = first.1.clone();
    let mut end = first.2;
    let mut frac = String::new();
    let grouping = int.len() <= 3;
    for (sep, digits, group_end) in groups.iter().skip(1) {
        if sep.chars().count() != 1 {
            break;
        }
        let dot = sep == "." || sep == ",";
        if grouping && digits.len() == 3 {
            int.push_str(digits);
            end = *group_end;
        } else if dot && (1..=2).contains(&digits.len()) {
            frac = digits.clone();
            end = *group_end;
            break;
        } else {
            break;
        }
    }
    if int.len() > 15 {
        return None;
    }
    let text = if frac.is_empty() { int } else { format!("{int}.{frac}") };
    let v = text.parse::<f64>().ok().filter(|v| v.is_finite())?;
    Some((v, start, end))
}

/// Multiplier words after a number, lower-case, longest first.
const QUANTITY_WORDS: &[(&str, f64)] = &[
    ("тисяч", 1e3),
    ("тысяч", 1e3),
    ("thousand", 1e3),
    ("million", 1e6),
    ("мільйон", 1e6),
    ("миллион", 1e6),
    ("тис", 1e3),
    ("тыс", 1e3),
    ("млн", 1e6),
    ("mln", 1e6),
    ("mio", 1e6),
    ("tys", 1e3),
    ("万", 1e4),
    ("k", 1e3),
    ("к", 1e3),
    ("т", 1e3),
    ("m", 1e6),
];

/// An amount with an optional multiplier word, as written in posts and
/// chats: "25k" → 25000, "25 тис" → 25000, "1,2 млн" → 1200000,
/// "42 500" → 42500. A word only counts when it ends there ("25 km" is 25).
pub fn parse_quantity(s: &str) -> Option<f64> {
    parse_quantity_at(s).map(|(v, _, _)| v)
}

/// [`parse_quantity`] with the byte range of the number and its word.
pub(crate) fn parse_quantity_at(s: &str) -> Option<(f64, usize, usize)> {
    let (v, start, end) = parse_amount_at(s)?;
    let rest = s.get(end..).unwrap_or("");
    let trimmed = rest.trim_start();
    let lower = trimmed.to_lowercase();
    for (word, factor) in QUANTITY_WORDS {
        if let Some(after) = lower.strip_prefix(word) {
            let boundary = after.chars().next().is_none_or(|c| !c.is_alphabetic());
            if boundary {
                // Lower-casing keeps byte lengths for these words.
                let mut word_end = end + (rest.len() - trimmed.len()) + word.len();
                if after.starts_with('.') {
                    word_end += 1;
                }
                return Some((v * factor, start, word_end.min(s.len())));
            }
        }
    }
    Some((v, start, end))
}

/// Formats an amount without a trailing `.0` (24990, 24990.5).
pub fn format_amount(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_answers_keep_the_engine_rules() {
        assert_eq!(normalise_number("25 000").as_deref(), Some("25000"));
        assert_eq!(normalise_number("25,000 $").as_deref(), Some("25000"));
        assert_eq!(normalise_number("12,5").as_deref(), Some("12.5"));
        assert_eq!(normalise_number("25k"), None);
        assert_eq!(normalise_number("2 млн"), None);
    }

    #[test]
    fn page_amounts() {
        assert_eq!(parse_amount("€ 24.990"), Some(24990.0));
        assert_eq!(parse_amount("24,990 $"), Some(24990.0));
        assert_eq!(parse_amount("18\u{a0}500 ₽"), Some(18500.0));
        assert_eq!(parse_amount("18\u{2009}500 грн"), Some(18500.0));
        assert_eq!(parse_amount("24.990,50 €"), Some(24990.5));
        assert_eq!(parse_amount("1'250'000 CHF"), Some(1_250_000.0));
        assert_eq!(parse_amount("7,7 l/100km"), Some(7.7));
        assert_eq!(parse_amount("no digits"), None);
        assert_eq!(parse_amount("99999999999999999999"), None);
    }

    #[test]
    fn quantities_with_words() {
        assert_eq!(parse_quantity("25k"), Some(25_000.0));
        assert_eq!(parse_quantity("до 25к"), Some(25_000.0));
        assert_eq!(parse_quantity("25 тис. грн"), Some(25_000.0));
        assert_eq!(parse_quantity("1,2 млн"), Some(1_200_000.0));
        assert_eq!(parse_quantity("85 000 км"), Some(85_000.0));
        assert_eq!(parse_quantity("25 km"), Some(25.0));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_amount(24990.0), "24990");
        assert_eq!(format_amount(24990.5), "24990.5");
    }
}
