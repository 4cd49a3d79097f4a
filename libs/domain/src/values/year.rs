//! Years: the first plausible year in a text, a first-registration date
//! ("03/2019", "2019-03", "10.2012") and year ranges ("2019-2021").
//! Callers pass the latest plausible year (next year, from their clock).

/// The first year in 1950..=`latest` written as four digits on its own
/// ("2022-08-01", "EZ 10/2012").
pub fn first_year(s: &str, latest: i32) -> Option<i32> {
    years(s, latest).next().map(|(y, _)| y)
}

/// Every plausible four-digit year with its byte offset.
fn years(s: &str, latest: i32) -> impl Iterator<Item = (i32, usize)> + '_ {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).filter_map(move |i| {
        let window = b.get(i..i + 4)?;
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if !(before_ok && after_ok && window.iter().all(u8::is_ascii_digit)) {
            return None;
        }
        let y = std::str::from_utf8(window).ok()?.parse::<i32>().ok()?;
        (1950..=latest).contains(&y).then_some((y, i))
    })
}

/// The year of a first-registration or production date: "03/2019",
/// "2019-03", "10.2012", "1/2020", or a bare "2019".
pub fn registration_year(s: &str, latest: i32) -> Option<i32> {
    first_year(s.trim(), latest)
}

/// A range of years: "2019-2021", "2019–2021", "2019 to 2021",
/// "з 2019 по 2021"; a single year gives (y, y). The smaller comes first.
pub fn year_range(s: &str, latest: i32) -> Option<(i32, i32)> {
    let mut found = years(s, latest);
    let (a, at) = found.next()?;
    let Some((b, bt)) = found.next() else {
        return Some((a, a));
    };
    let between = s.get(at + 4..bt).unwrap_or("").trim().to_lowercase();
    let joins = ["-", "–", "—", "to", "до", "по", "..", "bis", "à", "a"];
    if joins.contains(&between.as_str()) {
        Some((a.min(b), a.max(b)))
    } else {
        Some((a, a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_text() {
        assert_eq!(first_year("2022-08-01", 2027), Some(2022));
        assert_eq!(first_year("EZ 10/2012", 2027), Some(2012));
        assert_eq!(first_year("12345", 2027), None);
        assert_eq!(first_year("1949", 2027), None);
        assert_eq!(registration_year("03/2019", 2027), Some(2019));
        assert_eq!(registration_year("2019-03", 2027), Some(2019));
    }

    #[test]
    fn ranges() {
        assert_eq!(year_range("Toyota RAV4 2019-2021 under $25k", 2027), Some((2019, 2021)));
        assert_eq!(year_range("з 2021 по 2019", 2027), Some((2019, 2021)));
        assert_eq!(year_range("2018", 2027), Some((2018, 2018)));
        assert_eq!(year_range("none", 2027), None);
    }
}
