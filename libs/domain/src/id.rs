//! Time-sortable identifiers (ULID layout: 48-bit milliseconds + 80 random
//! bits, Crockford base32). Sorting ids sorts by creation time, which gives
//! "newest first" listings straight from a DynamoDB sort key.

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Encodes a ULID from its parts; the caller supplies time and randomness so
/// this stays pure.
pub fn ulid(millis: u64, random: [u8; 10]) -> String {
    let mut value: u128 = (u128::from(millis & 0xFFFF_FFFF_FFFF)) << 80;
    for (i, b) in random.iter().enumerate() {
        value |= u128::from(*b) << (8 * (9 - i));
    }
    let mut out = [0u8; 26];
    for (i, slot) in out.iter_mut().enumerate() {
        let shift = 5 * (25 - i);
        *slot = ALPHABET[((value >> shift) & 0x1F) as usize];
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `s` has a ULID's shape (26 Crockford base32 characters), so
/// an id from a request can be used in a key without surprises.
pub fn is_ulid(s: &str) -> bool {
    s.len() == 26 && s.bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulids_sort_by_time() {
        let a = ulid(1_700_000_000_000, [255; 10]);
        let b = ulid(1_700_000_000_001, [0; 10]);
        assert_eq!(a.len(), 26);
        assert!(a < b, "{a} should sort before {b}");
    }

    #[test]
    fn ulid_is_crockford() {
        let id = ulid(42, [7; 10]);
        assert!(id.chars().all(|c| ALPHABET.contains(&(c as u8))));
        assert!(is_ulid(&id));
        assert!(!is_ulid("01KBZ4T3D4N5M6P7Q8R9S0T1V")); // 25
        assert!(!is_ulid("../../01KBZ4T3D4N5M6P7Q8R9S"));
        assert!(!is_ulid("01kbz4t3d4n5m6p7q8r9s0t1v2"));
    }
}
