//! Time (read from [`crate::clock`]) and randomness: the only impure helpers
//! the domain needs, kept at the edge.

use base64::Engine;
use sha2::{Digest, Sha256};

/// Epoch milliseconds from the one clock (see [`crate::clock`]).
pub fn now_ms() -> i64 {
    crate::clock::now_ms()
}

pub fn now_secs() -> i64 {
    now_ms() / 1000
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // The OS random source failing is not recoverable; there is no safe fallback.
    getrandom::fill(&mut b).expect("OS random source");
    b
}

/// A new time-sortable id (ULID).
pub fn new_id() -> String {
    cartie_domain::id::ulid(now_ms() as u64, random_bytes::<10>())
}

/// A secret for URLs (invite links): 32 random bytes, base64url.
pub fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// Hex SHA-256, for storing a token's fingerprint instead of the token.
pub fn sha256_hex(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// RFC 3339 form of epoch milliseconds, for humans and JSON.
pub fn rfc3339(ms: i64) -> String {
    aws_smithy_types::DateTime::from_millis(ms).fmt(aws_smithy_types::date_time::Format::DateTime).unwrap_or_default()
}

/// An RFC 3339 time as epoch milliseconds; `None` when it is not one.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let t = aws_smithy_types::DateTime::from_str(s.trim(), aws_smithy_types::date_time::Format::DateTime).ok()?;
    t.to_millis().ok()
}

/// The current calendar year (UTC), to bound model years.
pub fn this_year() -> i32 {
    // Mean Gregorian year length: exact enough for a year bound.
    1970 + (now_secs() as f64 / (365.2425 * 86400.0)) as i32
}
