//! Money: an amount with its currency, read from symbols ("$", "€", "₴",
//! "R$", "zł"), ISO codes ("USD"), local words ("грн", "руб", "тис. грн")
//! and, when the text names none, the currency of the site's country.

use super::number::{format_amount, parse_quantity_at};

/// An amount and, when known, its ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Money {
    pub amount: f64,
    pub currency: Option<&'static str>,
}

impl Money {
    /// The amount without a trailing `.0`.
    pub fn amount_text(&self) -> String {
        format_amount(self.amount)
    }
}

/// ISO 4217 codes recognised when written out.
pub const ISO_CODES: &[&str] = &[
    "EUR", "USD", "GBP", "RUB", "PLN", "UAH", "CHF", "SEK", "NOK", "DKK", "CZK", "HUF", "RON", "BGN", "TRY", "JPY", "CNY", "KRW", "CAD", "AUD", "NZD", "AED",
    "GEL", "KZT", "BYN", "AMD", "AZN", "INR", "BRL", "MXN", "ILS", "ZAR", "MDL", "ARS", "CLP", "COP",
];

/// The currency of a country, from its top-level domain or ISO country code
/// ("ua", "pl", "de", "co.uk" → "uk"). None for generic domains (".com").
pub fn currency_for_country(country: &str) -> Option<&'static str> {
    let c = country.trim().trim_start_matches('.').to_lowercase();
    let iso = match c.as_str() {
        "ua" => "UAH",
        "pl" => "PLN",
        "de" | "at" | "fr" | "it" | "es" | "pt" | "nl" | "be" | "lu" | "ie" | "fi" | "gr" | "sk" | "si" | "lv" | "lt" | "ee" | "mt" | "cy" | "hr" => "EUR",
        "uk" | "gb" => "GBP",
        "us" => "USD",
        "ca" => "CAD",
        "au" => "AUD",
        "nz" => "NZD",
        "ru" => "RUB",
        "by" => "BYN",
        "kz" => "KZT",
        "md" => "MDL",
        "ge" => "GEL",
        "am" => "AMD",
        "az" => "AZN",
        "ch" | "li" => "CHF",
        "se" => "SEK",
        "no" => "NOK",
        "dk" => "DKK",
        "cz" => "CZK",
        "hu" => "HUF",
        "ro" => "RON",
        "bg" => "BGN",
        "tr" => "TRY",
        "br" => "BRL",
        "mx" => "MXN",
        "ar" => "ARS",
        "cl" => "CLP",
        "co" => "COP",
        "jp" => "JPY",
        "cn" => "CNY",
        "kr" => "KRW",
        "in" => "INR",
        "il" => "ILS",
        "za" => "ZAR",
        "ae" => "AED",
        _ => return None,
    };
    Some(iso)
}

/// Maps a currency symbol, code or word to ISO 4217. `country` (a top-level
/// domain or country code, may be empty) decides what `$` and `kr` mean.
pub fn currency_iso(symbol: &str, country: &str) -> Option<&'static str> {
    let s = symbol.trim().trim_end_matches('.');
    let upper = s.to_uppercase();
    if let Some(code) = ISO_CODES.iter().find(|c| **c == upper) {
        return Some(code);
    }
    let lower = s.to_lowercase();
    let iso = match lower.as_str() {
        "€" | "euro" | "euros" | "евро" | "євро" | "eiro" => "EUR",
        "$" | "us$" | "usd$" | "дол" | "долл" | "доларів" | "долларов" | "dollars" | "dollar" => {
            currency_for_country(country).filter(|c| ["CAD", "AUD", "NZD", "MXN", "ARS", "CLP", "COP"].contains(c)).unwrap_or("USD")
        }
        "у.е" | "у.о" | "у. е" => "USD",
        "c$" | "ca$" => "CAD",
        "a$" | "au$" => "AUD",
        "£" | "pounds" => "GBP",
        "₽" | "руб" | "р" | "rub" | "rur" | "рублей" | "рубля" => "RUB",
        "zł" | "zl" | "pln" | "złotych" => "PLN",
        "₴" | "грн" | "гривень" | "гривен" | "uah" => "UAH",
        "kr" => currency_for_country(country).filter(|c| ["NOK", "DKK"].contains(c)).unwrap_or("SEK"),
        "kč" | "kc" => "CZK",
        "ft" => "HUF",
        "lei" => "RON",
        "лв" => "BGN",
        "₺" | "tl" => "TRY",
        "¥" | "円" | "万円" => "JPY",
        "₩" => "KRW",
        "₹" => "INR",
        "r$" => "BRL",
        "₪" => "ILS",
        "₸" | "тг" => "KZT",
        "₾" => "GEL",
        "fr." | "fr" => "CHF",
        _ => return None,
    };
    Some(iso)
}

/// Currency marks, longest first so "R$" wins over "$" and "тис. грн" is
/// read as a multiplier plus "грн". "р." is left out: in Ukrainian it is
/// "year" ("2016 р."), and roubles are written "руб." or "₽".
const MARKS: &[&str] = &[
    "гривень",
    "гривен",
    "рублей",
    "złotych",
    "доларів",
    "долларов",
    "dollars",
    "euros",
    "евро",
    "євро",
    "eiro",
    "руб.",
    "руб",
    "грн.",
    "грн",
    "дол.",
    "у.е.",
    "у.о.",
    "US$",
    "R$",
    "C$",
    "A$",
    "zł",
    "zl",
    "Kč",
    "лв",
    "тг",
    "€",
    "$",
    "£",
    "₽",
    "₴",
    "¥",
    "円",
    "₺",
    "₹",
    "₩",
    "₪",
    "₸",
    "₾",
    "Fr.",
    "kr",
    "Ft",
    "lei",
];

/// Finds a currency mark right before `at` or right after `end` (spaces
/// allowed between), returning its ISO code.
fn mark_near(s: &str, at: usize, end: usize, country: &str) -> Option<&'static str> {
    let before = s.get(..at).unwrap_or("").trim_end();
    let after = s.get(end..).unwrap_or("").trim_start();
    let after_lower = after.to_lowercase();
    let before_lower = before.to_lowercase();
    let word_edge = |rest: &str| rest.chars().next().is_none_or(|c| !c.is_alphabetic());
    for m in MARKS {
        let ml = m.to_lowercase();
        if let Some(rest) = after_lower.strip_prefix(&ml) {
            if word_edge(rest) || !ml.chars().all(char::is_alphabetic) {
                return currency_iso(m, country);
            }
        }
    }
    for m in MARKS {
        let ml = m.to_lowercase();
        if let Some(head) = before_lower.strip_suffix(&ml) {
            let edge = head.chars().last().is_none_or(|c| !c.is_alphabetic()) || !ml.chars().all(char::is_alphabetic);
            if edge {
                return currency_iso(m, country);
            }
        }
    }
    // ISO codes next to the number ("USD 18 500", "18 500 EUR").
    let code_after: String = after.chars().take_while(char::is_ascii_alphabetic).collect();
    let code_before: String = {
        let rev: String = before.chars().rev().take_while(char::is_ascii_alphabetic).collect();
        rev.chars().rev().collect()
    };
    [code_after, code_before].iter().filter(|c| c.len() == 3).find_map(|c| ISO_CODES.iter().find(|k| k.eq_ignore_ascii_case(c)).copied())
}

/// The first amount in `s` that carries a currency mark ("42 500 $",
/// "R$ 45.900", "25 тис. грн" → 25000 UAH). When no amount carries one, the
/// first amount with the currency of `country` (None when the country has
/// none). Multiplier words ("25k", "тис") are applied.
pub fn parse_money(s: &str, country: &str) -> Option<Money> {
    let mut first: Option<f64> = None;
    let mut offset = 0;
    while offset < s.len() {
        let rest = s.get(offset..)?;
        let Some((amount, a, b)) = parse_quantity_at(rest) else {
            break;
        };
        let (a, b) = (offset + a, offset + b);
        if let Some(cur) = mark_near(s, a, b, country) {
            return Some(Money { amount, currency: Some(cur) });
        }
        first.get_or_insert(amount);
        offset = b.max(offset + 1);
        while offset < s.len() && !s.is_char_boundary(offset) {
            offset += 1;
        }
    }
    first.map(|amount| Money { amount, currency: currency_for_country(country) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_codes_and_words() {
        assert_eq!(currency_iso("€", ""), Some("EUR"));
        assert_eq!(currency_iso("$", "ca"), Some("CAD"));
        assert_eq!(currency_iso("$", "com"), Some("USD"));
        assert_eq!(currency_iso("zł", ""), Some("PLN"));
        assert_eq!(currency_iso("руб.", ""), Some("RUB"));
        assert_eq!(currency_iso("kr", "no"), Some("NOK"));
        assert_eq!(currency_iso("грн", ""), Some("UAH"));
        assert_eq!(currency_iso("R$", ""), Some("BRL"));
        assert_eq!(currency_iso("XYZ", ""), None);
    }

    #[test]
    fn money_in_text() {
        let m = parse_money("🔥 BMW X5 2019, 3.0d, 85 000 км, автомат, 42 500 $", "").unwrap();
        assert_eq!((m.amount, m.currency), (42_500.0, Some("USD")));
        let m = parse_money("R$ 45.900", "").unwrap();
        assert_eq!((m.amount, m.currency), (45_900.0, Some("BRL")));
        let m = parse_money("ціна 25 тис. грн", "").unwrap();
        assert_eq!((m.amount, m.currency), (25_000.0, Some("UAH")));
        let m = parse_money("Cena: 94 900 zł", "").unwrap();
        assert_eq!((m.amount, m.currency), (94_900.0, Some("PLN")));
        let m = parse_money("USD 18 500", "").unwrap();
        assert_eq!((m.amount, m.currency), (18_500.0, Some("USD")));
        let m = parse_money("Kaina 12 500", "lt").unwrap();
        assert_eq!((m.amount, m.currency), (12_500.0, Some("EUR")));
        assert_eq!(parse_money("no amount", "ua"), None);
        assert_eq!(parse_money("1 099 999 грн • 28 549 $", "").unwrap().currency, Some("UAH"));
    }

    #[test]
    fn country_defaults() {
        assert_eq!(currency_for_country("ua"), Some("UAH"));
        assert_eq!(currency_for_country(".lv"), Some("EUR"));
        assert_eq!(currency_for_country("com"), None);
    }
}
