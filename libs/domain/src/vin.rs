//! VIN validation: 17 characters, no I/O/Q, and the ISO 3779 North American
//! check digit (position 9).
//!
//! Only North American VINs are required to carry a valid check digit. European
//! and Asian VINs often put something else in position 9, so a mismatch is a
//! warning for the user, never a reason to reject the VIN.

use serde::{Deserialize, Serialize};

/// The result of checking a VIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum VinCheck {
    /// Well formed and the check digit matches.
    Valid,
    /// Well formed, but position 9 is not the North American check digit.
    /// Common and legitimate for VINs from outside North America: warn only.
    CheckDigitMismatch { expected: char, found: char },
    /// Not a VIN at all (length, characters).
    Invalid { reason: String },
}

impl VinCheck {
    /// True when the VIN is well formed (the check digit may still mismatch).
    pub fn is_well_formed(&self) -> bool {
        !matches!(self, VinCheck::Invalid { .. })
    }
}

/// Upper-cases and strips spaces and dashes that people type inside VINs.
pub fn normalize_vin(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(|c| c.to_uppercase()).collect()
}

/// Checks a VIN (after [`normalize_vin`]).
pub fn check_vin(raw: &str) -> VinCheck {
    let vin = normalize_vin(raw);
    let chars: Vec<char> = vin.chars().collect();
    if chars.len() != 17 {
        return VinCheck::Invalid { reason: format!("a VIN has 17 characters, this has {}", chars.len()) };
    }
    for c in &chars {
        if matches!(c, 'I' | 'O' | 'Q') {
            return VinCheck::Invalid { reason: format!("a VIN never contains the letter {c}") };
        }
        if !c.is_ascii_alphanumeric() {
            return VinCheck::Invalid { reason: format!("unexpected character {c:?}") };
        }
    }
    let expected = match check_digit(&chars) {
        Some(c) => c,
        None => return VinCheck::Invalid { reason: "unexpected character".to_string() },
    };
    let found = chars[8];
    if found == expected {
        VinCheck::Valid
    } else {
        VinCheck::CheckDigitMismatch { expected, found }
    }
}

const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

fn transliterate(c: char) -> Option<u32> {
    let v = match c {
        '0'..='9' => c.to_digit(10)?,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => return None,
    };
    Some(v)
}

/// The North American check digit ('0'..='9' or 'X') for 17 VIN characters.
fn check_digit(chars: &[char]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in chars.iter().zip(WEIGHTS) {
        sum += transliterate(*c)? * w;
    }
    let rem = sum % 11;
    Some(if rem == 10 { 'X' } else { char::from_digit(rem, 10)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_north_american_vins() {
        for v in ["1M8GDM9AXKP042788", "1FAHP3FN9AW282033", "JA3215H40GU000317", "11111111111111111"] {
            assert_eq!(check_vin(v), VinCheck::Valid, "{v}");
        }
    }

    #[test]
    fn lower_case_and_dashes_are_normalized() {
        assert_eq!(check_vin("1m8gdm9a-xkp042788"), VinCheck::Valid);
    }

    #[test]
    fn european_vin_is_a_mismatch_not_invalid() {
        // A real Porsche VIN: European VINs do not use position 9 as a check digit.
        let r = check_vin("WP0ZZZY1ZNSA75297");
        assert!(matches!(r, VinCheck::CheckDigitMismatch { found: 'Z', .. }), "{r:?}");
        assert!(r.is_well_formed());
    }

    #[test]
    fn invalid_vins() {
        assert!(matches!(check_vin("1M8GDM9AXKP04278"), VinCheck::Invalid { .. }));
        assert!(matches!(check_vin("1M8GDM9AXKP0427888"), VinCheck::Invalid { .. }));
        assert!(matches!(check_vin("1M8GDM9AXKP04278O"), VinCheck::Invalid { .. }));
        assert!(matches!(check_vin("IM8GDM9AXKP042788"), VinCheck::Invalid { .. }));
        assert!(matches!(check_vin("1M8GDM9AXKP04278_"), VinCheck::Invalid { .. }));
        assert!(matches!(check_vin(""), VinCheck::Invalid { .. }));
        assert!(matches!(check_vin("ÄÖÜ1234567890123"), VinCheck::Invalid { .. }));
    }

    #[test]
    fn check_digit_x() {
        // Position 9 = X when the remainder is 10.
        let r = check_vin("1M8GDM9AXKP042788");
        assert_eq!(r, VinCheck::Valid);
    }
}
