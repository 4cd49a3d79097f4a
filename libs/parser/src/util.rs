//! Small helpers shared by extraction and mappings: the current year for
//! plausibility checks, years in text, whitespace and length.

use std::time::{SystemTime, UNIX_EPOCH};

// Numbers and currencies are read by the shared value parsers in
// `cartie-domain`, so a page and a buyer's chat answer agree.
pub use cartie_domain::values::{currency_iso, parse_amount};

/// The current calendar year (UTC), without a date library.
pub fn current_year() -> i32 {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
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
    cartie_domain::values::first_year(s, current_year() + 1)
}

/// A year field's value: a year written alone may be an old car's
/// ("1929" next to "Ford"); inside longer text only plausible recent
/// years count ("1920x1080" is not a year).
pub fn year_value(s: &str) -> Option<i32> {
    let t = s.trim();
    match t.parse::<i32>() {
        Ok(y) if t.len() == 4 && (1900..=current_year() + 1).contains(&y) => Some(y),
        _ => first_year(t),
    }
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
    fn years() {
        assert_eq!(first_year("2022-08-01"), Some(2022));
        assert_eq!(first_year("EZ 10/2012"), Some(2012));
        assert_eq!(first_year("12345"), None);
        assert_eq!(first_year("1949"), None);
        assert!(current_year() >= 2024);
    }
}
