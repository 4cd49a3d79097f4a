//! "Create request" from a chat, filled in from what the buyer wrote: the
//! make and model (through the one make/model dictionary, Cyrillic and
//! misspellings included), the years, and a budget with its currency — a
//! draft the manager checks before saving, never a request by itself. Pure.

use crate::values::{parse_money, year_range};

/// What a buyer's words say about the car they want; each part may be
/// missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestDraft {
    pub make: Option<String>,
    pub model: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub budget: Option<i64>,
    /// ISO 4217 when the buyer marked it ("$", "грн", "EUR").
    pub currency: Option<&'static str>,
    /// The message the car was found in, for the manager to see.
    pub quote: Option<String>,
}

/// Budgets below this, without a currency mark, are taken for something
/// else (an engine size, a count of owners).
const MIN_UNMARKED_BUDGET: f64 = 1000.0;

/// The draft from the buyer's messages, newest first: each part comes from
/// the newest message that has it (a buyer who changed their mind is read
/// as they are now). `latest_year` bounds plausible years (next year).
pub fn draft(messages_newest_first: &[&str], latest_year: i32) -> RequestDraft {
    let mut d = RequestDraft::default();
    for text in messages_newest_first {
        let mentions = cartie_dictionary::mentions(text);
        // The mentions' own words ("RAV4", "X5", "3 Series") hold digits no
        // year or budget is read from.
        let mut rest = text.to_string();
        for m in &mentions {
            if let Some(span) = rest.get(m.start..m.end) {
                let blank = " ".repeat(span.len());
                rest.replace_range(m.start..m.end, &blank);
            }
        }
        if d.make.is_none() {
            if let Some(m) = mentions.iter().rev().find(|m| !m.make.is_empty()) {
                d.make = Some(m.make.clone());
                d.model = m.model.clone();
                d.quote = Some(text.chars().take(200).collect());
            }
        }
        if d.year_from.is_none() {
            if let Some((from, to)) = year_range(&rest, latest_year) {
                d.year_from = Some(from);
                d.year_to = Some(to);
            }
        }
        if d.budget.is_none() {
            if let Some((amount, currency)) = budget(&rest, latest_year) {
                d.budget = Some(amount);
                d.currency = currency;
            }
        }
    }
    d
}

/// A budget in one message: per clause, skipping mileages, phone numbers
/// and years; an amount with a currency mark, or a large enough one.
fn budget(text: &str, latest_year: i32) -> Option<(i64, Option<&'static str>)> {
    for clause in text.split(['\n', ',', ';', '!', '?']) {
        let lower = clause.to_lowercase();
        if ["km", "км", "mile", "miles", "пробіг", "пробег", "mileage", "кілометр"].iter().any(|w| lower.contains(w)) {
            continue;
        }
        let without_years: String = strip_years(clause, latest_year);
        let Some(money) = parse_money(&without_years, "") else { continue };
        // Less than one unit ("$0.1") is no budget either.
        if money.amount < 1.0 || !money.amount.is_finite() || money.amount > 1e10 {
            continue;
        }
        let digits = without_years.chars().filter(char::is_ascii_digit).count();
        let marked = money.currency.is_some();
        if !marked && (digits >= 9 || money.amount < MIN_UNMARKED_BUDGET) {
            continue;
        }
        return Some((money.amount.round() as i64, money.currency));
    }
    None
}

/// The clause with its plausible years blanked (they are not money).
fn strip_years(clause: &str, latest_year: i32) -> String {
    let mut out = clause.to_string();
    while let Some((y, _)) = year_range(&out, latest_year) {
        let mut changed = false;
        for year in [y.to_string()] {
            if let Some(i) = find_year(&out, &year) {
                out.replace_range(i..i + 4, "    ");
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// The byte offset of `year` written on its own (not inside a longer number).
fn find_year(s: &str, year: &str) -> Option<usize> {
    let b = s.as_bytes();
    s.match_indices(year).map(|(i, _)| i).find(|&i| {
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        let after = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEXT: i32 = 2027;

    fn one(text: &str) -> RequestDraft {
        draft(&[text], NEXT)
    }

    #[test]
    fn the_issue_example() {
        let d = one("Toyota RAV4 2019-2021 under $25k");
        assert_eq!((d.make.as_deref(), d.model.as_deref()), (Some("Toyota"), Some("RAV4")));
        assert_eq!((d.year_from, d.year_to), (Some(2019), Some(2021)));
        assert_eq!((d.budget, d.currency), (Some(25_000), Some("USD")));
    }

    #[test]
    fn ukrainian_and_russian_words() {
        let d = one("Добрий день, шукаю рав4 з 2018 по 2020, бюджет до 22 тис $");
        assert_eq!((d.make.as_deref(), d.model.as_deref()), (Some("Toyota"), Some("RAV4")));
        assert_eq!((d.year_from, d.year_to), (Some(2018), Some(2020)));
        assert_eq!((d.budget, d.currency), (Some(22_000), Some("USD")));
        let d = one("Нужен фольксваген пассат, до 15000 евро");
        assert_eq!(d.make.as_deref(), Some("Volkswagen"));
        assert_eq!((d.budget, d.currency), (Some(15_000), Some("EUR")));
        let d = one("Цікавить БМВ Х5 2020 року за 1 200 000 грн");
        assert_eq!(d.make.as_deref(), Some("BMW"));
        assert_eq!((d.year_from, d.year_to), (Some(2020), Some(2020)));
        assert_eq!((d.budget, d.currency), (Some(1_200_000), Some("UAH")));
    }

    #[test]
    fn newest_message_wins_and_parts_come_from_where_they_are() {
        let d = draft(&["budget 30k EUR", "actually an Audi A6 would do", "I want a BMW X5 2019"], NEXT);
        assert_eq!((d.make.as_deref(), d.model.as_deref()), (Some("Audi"), Some("A6")));
        assert_eq!(d.quote.as_deref(), Some("actually an Audi A6 would do"));
        assert_eq!((d.year_from, d.budget, d.currency), (Some(2019), Some(30_000), Some("EUR")));
    }

    #[test]
    fn numbers_that_are_not_budgets() {
        let d = one("VW Golf 2017, up to 150 000 km, call me +380 67 123 45 67");
        assert_eq!(d.make.as_deref(), Some("Volkswagen"));
        assert_eq!(d.year_from, Some(2017));
        assert_eq!(d.budget, None, "a mileage and a phone are not a budget: {d:?}");
        let d = one("Mazda 6, 2.5 engine, 2 owners");
        assert_eq!(d.budget, None);
        assert_eq!(one("Hello, is it still available?"), RequestDraft::default());
    }

    /// How many generated cases (CI's setting; `CARTIE_FUZZ_CASES` raises it).
    fn cases() -> u32 {
        std::env::var("CARTIE_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases()))]
        /// Whatever a buyer writes (any Unicode, digits glued to words,
        /// huge numbers), a draft comes out well formed and nothing panics.
        #[test]
        fn any_words_give_a_well_formed_draft(
            texts in proptest::collection::vec(
                proptest::prop_oneof![
                    ".{0,120}",
                    "[A-Za-zА-Яа-яіїє0-9 $€₴.,:-]{0,80}",
                    "(Toyota|рав4|BMW X5|VW Golf|Audi A6|бмв) (19[5-9][0-9]|20[0-3][0-9])[ -–]{0,3}(19[5-9][0-9]|20[0-3][0-9])? (до|under|за)? [0-9]{1,12}(k|к| тис|000)? ?(\\$|€|грн|EUR|USD)?",
                ],
                0..4,
            )
        ) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let d = draft(&refs, NEXT);
            if let (Some(a), Some(b)) = (d.year_from, d.year_to) {
                proptest::prop_assert!(a <= b && (1950..=NEXT).contains(&a));
            }
            proptest::prop_assert!(d.budget.is_none_or(|b| b > 0));
            proptest::prop_assert!(d.make.is_some() || d.model.is_none());
        }
    }

    #[test]
    fn less_than_one_unit_is_no_budget() {
        // Found by the property test: "$0.1A" rounded to a budget of 0.
        assert_eq!(draft(&["$0.1A"], NEXT).budget, None);
        assert_eq!(draft(&["$1"], NEXT).budget, Some(1));
    }

    #[test]
    fn unmarked_large_amounts_are_budgets_without_a_currency() {
        let d = one("Skoda Octavia до 12000");
        assert_eq!((d.budget, d.currency), (Some(12_000), None));
    }
}
