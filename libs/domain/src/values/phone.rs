//! Phone numbers: the loose form the scenario engine stores
//! ([`normalise_phone`]) and E.164 with a country's rules ([`e164`]:
//! "+380 67 123 45 67", "067 123 45 67", "8 067 …", "00380 …").

/// A phone number: 7-15 digits, an optional leading `+`, spaces, dashes and
/// parentheses allowed. Returns `+digits` or `digits`.
pub fn normalise_phone(raw: &str) -> Option<String> {
    let s = raw.trim();
    let (plus, rest) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace() || matches!(c, '-' | '(' | ')')) {
            return None;
        }
    }
    if !(7..=15).contains(&digits.len()) {
        return None;
    }
    Some(if plus { format!("+{digits}") } else { digits })
}

/// (country code as in a top-level domain, calling code, national number
/// length without the trunk 0).
const COUNTRIES: &[(&str, &str, usize)] = &[
    ("ua", "380", 9),
    ("pl", "48", 9),
    ("de", "49", 0),
    ("uk", "44", 10),
    ("gb", "44", 10),
    ("us", "1", 10),
    ("ca", "1", 10),
    ("fr", "33", 9),
    ("it", "39", 0),
    ("es", "34", 9),
    ("pt", "351", 9),
    ("lv", "371", 8),
    ("lt", "370", 8),
    ("ee", "372", 0),
    ("md", "373", 8),
    ("ru", "7", 10),
    ("kz", "7", 10),
    ("by", "375", 9),
    ("nl", "31", 9),
    ("at", "43", 0),
    ("ch", "41", 9),
    ("cz", "420", 9),
];

/// E.164 form ("+380671234567") of a phone number written in any common
/// way. `country` (a top-level domain like "ua", may be empty) says how to
/// read a number without an international prefix: "067 123 45 67" in
/// Ukraine is +380 67 123 45 67. None when it is not a phone number.
pub fn e164(raw: &str, country: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > 40 {
        return None;
    }
    let plus = s.starts_with('+');
    let mut digits = String::new();
    for c in s.trim_start_matches('+').chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace() || matches!(c, '-' | '(' | ')' | '.' | '/' | '\u{a0}')) {
            return None;
        }
    }
    let country = country.trim().trim_start_matches('.').to_lowercase();
    let rules = COUNTRIES.iter().find(|(c, _, _)| *c == country);
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if let Some((cc, code, len)) = rules {
        national_to_international(&digits, cc, code, *len)?
    } else if digits.starts_with("380") && digits.len() == 12 {
        // A Ukrainian number written without the plus.
        digits
    } else {
        return None;
    };
    if !(8..=15).contains(&international.len()) || international.starts_with('0') {
        return None;
    }
    Some(format!("+{international}"))
}

fn national_to_international(digits: &str, country: &str, code: &str, len: usize) -> Option<String> {
    // Already international without the plus ("380671234567").
    if digits.starts_with(code) && (len == 0 || digits.len() == code.len() + len) {
        return Some(digits.to_string());
    }
    // Ukraine's old long-distance prefix: "8 067 …".
    let national = match country {
        "ua" if digits.len() == 11 && digits.starts_with("80") => &digits[1..],
        _ => digits,
    };
    // Italy keeps the leading 0 of landlines; elsewhere it is the trunk prefix.
    let national = if country == "it" { national } else { national.strip_prefix('0').unwrap_or(national) };
    if national.is_empty() || (len != 0 && national.len() != len) {
        return None;
    }
    Some(format!("{code}{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_form_for_answers() {
        assert_eq!(normalise_phone("+380 (67) 123-45-67").as_deref(), Some("+380671234567"));
        assert_eq!(normalise_phone("12345"), None);
        assert_eq!(normalise_phone("call me"), None);
    }

    #[test]
    fn ukrainian_formats() {
        for raw in ["+380 67 123 45 67", "067 123 45 67", "(067) 123-45-67", "380671234567", "8 067 123 45 67", "00380671234567"] {
            assert_eq!(e164(raw, "ua").as_deref(), Some("+380671234567"), "{raw}");
        }
        assert_eq!(e164("+380 67 123 45 67", "").as_deref(), Some("+380671234567"));
        assert_eq!(e164("067 123 45", "ua"), None);
    }

    #[test]
    fn other_countries() {
        assert_eq!(e164("020 7946 0018", "uk").as_deref(), Some("+442079460018"));
        assert_eq!(e164("(415) 555-2671", "us").as_deref(), Some("+14155552671"));
        assert_eq!(e164("601 234 567", "pl").as_deref(), Some("+48601234567"));
        assert_eq!(e164("0171 1234567", "de").as_deref(), Some("+491711234567"));
        assert_eq!(e164("067 123 45 67", ""), None);
        assert_eq!(e164("not a phone", "ua"), None);
    }
}
