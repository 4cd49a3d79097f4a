//! Mileages with their unit: "85 000 км", "84,000 miles", "120k mi",
//! "85 тис. км", "2.0万km".

use super::number::parse_quantity_at;

/// Kilometres or miles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MileageUnit {
    Km,
    Mi,
}

/// A distance on the odometer; `unit` is None when the text names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mileage {
    pub value: u64,
    pub unit: Option<MileageUnit>,
}

/// The unit a word names ("km", "км", "kilometres", "mi", "miles").
pub fn unit_of(word: &str) -> Option<MileageUnit> {
    let w = word.trim().trim_end_matches('.').to_lowercase();
    match w.as_str() {
        "km"
        | "kms"
        | "kmt"
        | "tkm"
        | "км"
        | "кілометрів"
        | "километров"
        | "kilometer"
        | "kilometers"
        | "kilometre"
        | "kilometres"
        | "kilomètres"
        | "kilometri"
        | "kilómetros"
        | "quilómetros"
        | "quilômetros"
        | "キロ"
        | "χλμ"
        | "χιλιόμετρα" => Some(MileageUnit::Km),
        "mi" | "smi" | "mile" | "miles" | "mls" | "миль" => Some(MileageUnit::Mi),
        _ => None,
    }
}

/// Words that multiply the number before a distance unit by a thousand:
/// German "Tkm", Finnish "tkm", Spanish and Portuguese "mil km".
const THOUSAND_WORDS: &[&str] = &["tkm", "tkms", "mil"];

/// The first mileage in `s`. "2.0万km" is 20000 km; "85 тис. км" 85000 km;
/// "150 Tkm" and "110 mil km" (a thousand in Spanish and Portuguese)
/// 150000 and 110000 km. A bare Scandinavian "mil" (10 km) is left to the
/// caller, who knows the page's language. At most 5,000,000.
pub fn parse_mileage(s: &str) -> Option<Mileage> {
    let (mut value, _, end) = parse_quantity_at(s)?;
    let rest = s.get(end..).unwrap_or("").trim_start();
    let rest = rest.strip_prefix('万').map(|r| {
        value *= 1e4;
        r.trim_start()
    });
    let rest = rest.unwrap_or_else(|| s.get(end..).unwrap_or("").trim_start());
    let mut word: String = rest.chars().take_while(|c| c.is_alphabetic() || *c == '.').collect();
    let lower = word.to_lowercase();
    if THOUSAND_WORDS.contains(&lower.trim_end_matches('.')) && value < 10_000.0 {
        if lower.starts_with("tkm") {
            value *= 1e3;
            word = "km".to_string();
        } else {
            // "mil" counts only before a unit: "110 mil km".
            let after = rest.get(word.len()..).unwrap_or("").trim_start();
            let next: String = after.chars().take_while(|c| c.is_alphabetic() || *c == '.').collect();
            if unit_of(&next).is_some() || next.to_lowercase().starts_with("km") {
                value *= 1e3;
                word = next;
            }
        }
    }
    let unit = unit_of(&word).or_else(|| {
        let w = word.to_lowercase();
        if w.starts_with("km") || w.starts_with("км") {
            Some(MileageUnit::Km)
        } else {
            None
        }
    });
    if !(0.0..=5_000_000.0).contains(&value) {
        return None;
    }
    Some(Mileage { value: value.round() as u64, unit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mileages() {
        let km = Some(MileageUnit::Km);
        let mi = Some(MileageUnit::Mi);
        assert_eq!(parse_mileage("85 000 км"), Some(Mileage { value: 85_000, unit: km }));
        assert_eq!(parse_mileage("84,000 miles"), Some(Mileage { value: 84_000, unit: mi }));
        assert_eq!(parse_mileage("120k mi"), Some(Mileage { value: 120_000, unit: mi }));
        assert_eq!(parse_mileage("85 тис. км"), Some(Mileage { value: 85_000, unit: km }));
        assert_eq!(parse_mileage("2.0万km"), Some(Mileage { value: 20_000, unit: km }));
        assert_eq!(parse_mileage("70.000 km"), Some(Mileage { value: 70_000, unit: km }));
        assert_eq!(parse_mileage("120000"), Some(Mileage { value: 120_000, unit: None }));
        assert_eq!(parse_mileage("none"), None);
        assert_eq!(parse_mileage("150 Tkm"), Some(Mileage { value: 150_000, unit: km }));
        assert_eq!(parse_mileage("110 mil km"), Some(Mileage { value: 110_000, unit: km }));
        assert_eq!(parse_mileage("45 000 χλμ"), Some(Mileage { value: 45_000, unit: km }));
        // A bare "mil" is Swedish (10 km) or Portuguese (a thousand): unknown here.
        assert_eq!(parse_mileage("5 140 mil"), Some(Mileage { value: 5_140, unit: None }));
    }
}
