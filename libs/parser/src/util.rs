//! Small value parsers shared by extraction and mappings: numbers written in
//! EU and US styles, currency symbols, years.

use std::time::{SystemTime, UNIX_EPOCH};

/// Parses an amount written with thousands separators in any common style:
/// `24.990`, `24,990`, `18 500`, `24.990,50`, `24,990.00`, `1'250`.
/// The first number in the string is used; anything around it is ignored.
pub fn parse_amount(s: &str) -> Option<f64> {
    let mut digits = String::new();
    let mut started = false;
    // Collect the first run of digits and separators.
    let mut run = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            started = true;
            run.push(c);
        } else if started && matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’') {
            run.push(c);
        } else if started {
            break;
        }
    }
    let run = run.trim_end_matches(|c: char| !c.is_ascii_digit());
    if run.is_empty() {
        return None;
    }
    // Split into digit groups and the separators between them.
    let mut groups: Vec<String> = vec![String::new()];
    let mut seps: Vec<char> = Vec::new();
    for c in run.chars() {
        if c.is_ascii_digit() {
            if let Some(g) = groups.last_mut() {
                g.push(c);
            }
        } else {
            seps.push(c);
            groups.push(String::new());
        }
    }
    if groups.iter().any(|g| g.is_empty()) {
        return None;
    }
    // The last separator is a decimal point when it is '.' or ',' and is
    // followed by one or two digits (24.990,50 / 24,990.00 / 7,7).
    let mut decimals = String::new();
    if let (Some(last_sep), Some(last)) = (seps.last(), groups.last()) {
        if matches!(last_sep, '.' | ',') && (last.len() == 1 || last.len() == 2) {
            decimals = last.clone();
            groups.pop();
            seps.pop();
        }
    }
    for g in &groups {
        digits.push_str(g);
    }
    if digits.len() > 15 {
        return None;
    }
    let text = if decimals.is_empty() {
        digits
    } else {
        format!("{digits}.{decimals}")
    };
    text.parse::<f64>().ok()
}

/// Formats an amount without a trailing `.0` (24990, 24990.5).
pub fn format_amount(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}").trim_end_matches('0').to_string()
    }
}

/// ISO 4217 codes this parser recognises when written out on a page.
pub const ISO_CODES: &[&str] = &[
    "EUR", "USD", "GBP", "RUB", "PLN", "UAH", "CHF", "SEK", "NOK", "DKK", "CZK", "HUF", "RON",
    "BGN", "TRY", "JPY", "CNY", "KRW", "CAD", "AUD", "NZD", "AED", "GEL", "KZT", "BYN", "AMD",
    "AZN", "INR", "BRL", "MXN", "ILS", "ZAR",
];

/// Maps a currency symbol or code to ISO 4217. `tld` (the page's top-level
/// domain, e.g. "ca") disambiguates `$` and `kr`.
pub fn currency_iso(symbol: &str, tld: &str) -> Option<&'static str> {
    let s = symbol.trim().trim_end_matches('.');
    let upper = s.to_uppercase();
    if let Some(code) = ISO_CODES.iter().find(|c| **c == upper) {
        return Some(code);
    }
    let lower = s.to_lowercase();
    let iso = match lower.as_str() {
        "€" | "euro" | "eur" => "EUR",
        "$" | "us$" | "usd$" => match tld {
            "ca" => "CAD",
            "au" => "AUD",
            "nz" => "NZD",
            "mx" => "MXN",
            _ => "USD",
        },
        "c$" | "ca$" => "CAD",
        "a$" | "au$" => "AUD",
        "£" => "GBP",
        "₽" | "руб" | "р" | "rub" | "rur" => "RUB",
        "zł" | "zl" | "pln" => "PLN",
        "₴" | "грн" => "UAH",
        "kr" => match tld {
            "no" => "NOK",
            "dk" => "DKK",
            _ => "SEK",
        },
        "kč" | "kc" => "CZK",
        "ft" => "HUF",
        "lei" => "RON",
        "₺" | "tl" => "TRY",
        "¥" | "円" | "万円" => "JPY",
        "₩" => "KRW",
        "₹" => "INR",
        "r$" => "BRL",
        "₪" => "ILS",
        "₸" => "KZT",
        "₾" => "GEL",
        "fr." | "fr" => "CHF",
        _ => return None,
    };
    Some(iso)
}

/// The current calendar year (UTC), without a date library.
pub fn current_year() -> i32 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut days = (secs / 86_400) as i64;
    let mut year = 1970;
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if days < len {
            return year;
        }
        days -= len;
        year += 1;
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// A plausible model/registration year: 1950 ..= next year.
pub fn plausible_year(y: i32) -> bool {
    (1950..=current_year() + 1).contains(&y)
}

/// The first plausible 4-digit year in a string ("2022-08-01", "10/2012").
pub fn first_year(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        let window = &b[i..i + 4];
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = i + 4 == b.len() || !b[i + 4].is_ascii_digit();
        if before_ok && after_ok && window.iter().all(u8::is_ascii_digit) {
            if let Ok(y) = std::str::from_utf8(window).unwrap_or("").parse::<i32>() {
                if plausible_year(y) {
                    return Some(y);
                }
            }
        }
        i += 1;
    }
    None
}

/// Collapses runs of whitespace to single spaces and trims.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Truncates to at most `max` characters on a char boundary.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("€ 24.990"), Some(24990.0));
        assert_eq!(parse_amount("24,990 $"), Some(24990.0));
        assert_eq!(parse_amount("USD 18 500"), Some(18500.0));
        assert_eq!(parse_amount("18\u{a0}500 ₽"), Some(18500.0));
        assert_eq!(parse_amount("24.990,50 €"), Some(24990.5));
        assert_eq!(parse_amount("$24,990.00"), Some(24990.0));
        assert_eq!(parse_amount("1'250'000 CHF"), Some(1_250_000.0));
        assert_eq!(parse_amount("1.234.567"), Some(1_234_567.0));
        assert_eq!(parse_amount("85 000 km"), Some(85000.0));
        assert_eq!(parse_amount("7,7 l/100km"), Some(7.7));
        assert_eq!(parse_amount("34990"), Some(34990.0));
        assert_eq!(parse_amount("no digits"), None);
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("99999999999999999999"), None);
    }

    #[test]
    fn currencies() {
        assert_eq!(currency_iso("€", ""), Some("EUR"));
        assert_eq!(currency_iso("$", "ca"), Some("CAD"));
        assert_eq!(currency_iso("$", "com"), Some("USD"));
        assert_eq!(currency_iso("zł", ""), Some("PLN"));
        assert_eq!(currency_iso("руб.", ""), Some("RUB"));
        assert_eq!(currency_iso("kr", "no"), Some("NOK"));
        assert_eq!(currency_iso("usd", ""), Some("USD"));
        assert_eq!(currency_iso("XYZ", ""), None);
    }

    #[test]
    fn years() {
        assert_eq!(first_year("2022-08-01"), Some(2022));
        assert_eq!(first_year("EZ 10/2012"), Some(2012));
        assert_eq!(first_year("12345"), None);
        assert_eq!(first_year("1949"), None);
        assert!(current_year() >= 2024);
    }

    #[test]
    fn formatting() {
        assert_eq!(format_amount(24990.0), "24990");
        assert_eq!(format_amount(24990.5), "24990.5");
    }
}
