//! Odometer readings and their units: "85 000 km", "84,000 miles", "150
//! Tkm", "2.0万km", and the Scandinavian "mil" (10 km: a Swedish "Miltal
//! 5 140" is 51 400 km), which in Spanish and Portuguese is "a thousand"
//! ("110 mil" km). Which one a bare "mil" is depends on the page's language
//! or country, so the reader is told.

use cartie_domain::values::{parse_mileage, MileageUnit};

/// What a bare "mil" after a distance means on this page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mil {
    /// Swedish and Norwegian: 10 km.
    TenKm,
    /// Spanish and Portuguese: a thousand (of the label's unit, km).
    Thousand,
    /// Anywhere else: not a unit.
    Unknown,
}

impl Mil {
    /// From the page's language (`<html lang>`) or, failing that, the
    /// site's country.
    pub fn of_page(lang: &str, country: &str) -> Mil {
        let lang = lang.split(['-', '_']).next().unwrap_or("");
        match lang {
            "sv" | "nb" | "nn" | "no" => return Mil::TenKm,
            "es" | "pt" | "gl" | "ca" => return Mil::Thousand,
            "" => {}
            _ => return Mil::Unknown,
        }
        match country {
            "se" | "no" => Mil::TenKm,
            "es" | "pt" | "br" | "mx" | "ar" | "cl" | "co" | "pe" | "uy" | "ve" | "ec" | "bo" | "py" => Mil::Thousand,
            _ => Mil::Unknown,
        }
    }
}

/// The unit a mileage label names, for a value written without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LabelUnit {
    Km,
    Mi,
    /// "Miltal", "Mil": Scandinavian miles of 10 km.
    ScandinavianMil,
}

/// The unit a mileage label names ("Kilometraje", "Kilometerstand",
/// "Miles", "Miltal").
pub(crate) fn unit_of_label(label: &str, mil: Mil) -> Option<LabelUnit> {
    let l = label.trim().trim_end_matches([':', '：']).trim().to_lowercase();
    let km_words =
        ["kilomet", "kilómet", "kilomèt", "quilómet", "quilomet", "quilômet", "chilomet", "км", "километр", "кілометр", "χιλιόμετρ", "χιλιομετρ", "km"];
    if km_words.iter().any(|w| l.contains(w)) {
        Some(LabelUnit::Km)
    } else if l.starts_with("miltal") || (l == "mil" && mil == Mil::TenKm) {
        Some(LabelUnit::ScandinavianMil)
    } else if l.contains("miles") || l == "mi" {
        Some(LabelUnit::Mi)
    } else {
        None
    }
}

/// `km` / `mi` from a unit code or word.
pub(crate) fn mileage_unit(s: &str) -> Option<&'static str> {
    let l = s.trim().trim_end_matches('.').to_lowercase();
    match l.as_str() {
        "km" | "kmt" | "kms" | "kilometer" | "kilometers" | "kilometre" | "kilometres" | "км" | "tkm" | "χλμ" => Some("km"),
        "mi" | "smi" | "mile" | "miles" | "mls" => Some("mi"),
        _ => None,
    }
}

/// `km` / `mi` named anywhere in a short string, as a word.
pub(crate) fn unit_in_text(s: &str) -> Option<&'static str> {
    let l = s.to_lowercase();
    if l.contains("km") || l.contains("км") || l.contains("kilom") {
        return Some("km");
    }
    let words = l.split(|c: char| !c.is_alphabetic());
    let mut out = None;
    for w in words {
        match w {
            "mi" | "miles" | "mile" | "mls" => out = Some("mi"),
            _ => {}
        }
    }
    out
}

/// A mileage in a short string with its unit, `("51400", Some("km"))`:
/// the number is converted when the unit is a Scandinavian mil or a
/// thousand. `label` is the unit the row's label names, if any.
pub(crate) fn mileage_in(s: &str, label: Option<LabelUnit>, mil: Mil) -> Option<(u64, Option<&'static str>)> {
    let m = parse_mileage(s)?;
    let mut value = m.value;
    let mut unit = m.unit.map(|u| match u {
        MileageUnit::Km => "km",
        MileageUnit::Mi => "mi",
    });
    if unit.is_none() {
        if bare_mil_after_number(s) {
            match mil {
                Mil::TenKm => {
                    value = value.saturating_mul(10);
                    unit = Some("km");
                }
                Mil::Thousand if value < 10_000 => {
                    value = value.saturating_mul(1000);
                    unit = Some("km");
                }
                _ => {}
            }
        } else {
            unit = match label {
                Some(LabelUnit::ScandinavianMil) => {
                    value = value.saturating_mul(10);
                    Some("km")
                }
                Some(LabelUnit::Km) => Some("km"),
                Some(LabelUnit::Mi) => Some("mi"),
                None => unit_in_text(s),
            };
        }
    }
    (value <= 5_000_000).then_some((value, unit))
}

/// Whether the word right after the first number is "mil".
fn bare_mil_after_number(s: &str) -> bool {
    let Some(start) = s.find(|c: char| c.is_ascii_digit()) else {
        return false;
    };
    let rest = s[start..].trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | ',' | '\u{a0}' | '\u{202f}' | '\''));
    let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    word.eq_ignore_ascii_case("mil")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scandinavian_mil_is_ten_km_and_iberian_mil_a_thousand() {
        assert_eq!(mileage_in("5 140 mil", None, Mil::TenKm), Some((51_400, Some("km"))));
        assert_eq!(mileage_in("5 140", Some(LabelUnit::ScandinavianMil), Mil::Unknown), Some((51_400, Some("km"))));
        assert_eq!(mileage_in("110 mil", None, Mil::Thousand), Some((110_000, Some("km"))));
        assert_eq!(mileage_in("110 mil km", None, Mil::TenKm), Some((110_000, Some("km"))));
        // Elsewhere a bare "mil" is no unit.
        assert_eq!(mileage_in("5 140 mil", None, Mil::Unknown), Some((5_140, None)));
        assert_eq!(Mil::of_page("sv-SE", "com"), Mil::TenKm);
        assert_eq!(Mil::of_page("", "no"), Mil::TenKm);
        assert_eq!(Mil::of_page("pt-BR", "com"), Mil::Thousand);
        assert_eq!(Mil::of_page("en", "se"), Mil::Unknown);
        assert_eq!(unit_of_label("Miltal", Mil::Unknown), Some(LabelUnit::ScandinavianMil));
        assert_eq!(unit_of_label("Mil", Mil::TenKm), Some(LabelUnit::ScandinavianMil));
        assert_eq!(unit_of_label("Kilometraje", Mil::Unknown), Some(LabelUnit::Km));
    }

    #[test]
    fn units_in_values() {
        assert_eq!(mileage_in("85 000 km", None, Mil::Unknown), Some((85_000, Some("km"))));
        assert_eq!(mileage_in("84,000 miles", None, Mil::Unknown), Some((84_000, Some("mi"))));
        assert_eq!(mileage_in("150 Tkm", None, Mil::Unknown), Some((150_000, Some("km"))));
        assert_eq!(mileage_in("0 Km", None, Mil::Unknown), Some((0, Some("km"))));
        assert_eq!(mileage_in("120000", Some(LabelUnit::Mi), Mil::Unknown), Some((120_000, Some("mi"))));
        // "Mittel" is no mile.
        assert_eq!(unit_in_text("120000 (Mittel)"), None);
    }
}
