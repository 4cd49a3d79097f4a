//! The server side of Telegram's 2FA SRP (2048-bit safe prime, g = 3): the
//! verifier made from a password, B for `account.getPassword`, and the check
//! of the client's A and M1. Written from the protocol description, not from
//! grammers' client code, so a mistake on either side makes the login fail.

use hmac::Hmac;
use num_bigint::BigUint;
use sha2::{Digest, Sha256, Sha512};

use super::state::{random_bytes, TwoFactor};

pub(crate) const G: u32 = 3;

/// Telegram's 2048-bit safe prime (what `account.getPassword` returns).
const PRIME_HEX: &str = "c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f\
48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37\
20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64\
2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4\
a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754\
fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4\
e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f\
0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b";

pub(crate) fn prime() -> BigUint {
    // The constant is valid hex; an empty number would only fail the check.
    BigUint::parse_bytes(PRIME_HEX.as_bytes(), 16).unwrap_or_default()
}

pub(crate) fn prime_bytes() -> Vec<u8> {
    pad256(&prime())
}

pub(crate) fn pad256(n: &BigUint) -> Vec<u8> {
    let b = n.to_bytes_be();
    let mut out = vec![0u8; 256usize.saturating_sub(b.len())];
    out.extend_from_slice(&b);
    out
}

fn h(parts: &[&[u8]]) -> [u8; 32] {
    let mut d = Sha256::new();
    for p in parts {
        d.update(p);
    }
    d.finalize().into()
}

// SH(data, salt) = H(salt | data | salt)
fn sh(data: &[u8], salt: &[u8]) -> [u8; 32] {
    h(&[salt, data, salt])
}

/// x = PH2(password, salt1, salt2): the slow hash Telegram defines.
fn password_hash(password: &str, salt1: &[u8], salt2: &[u8]) -> [u8; 32] {
    let ph1 = sh(&sh(password.as_bytes(), salt1), salt2);
    let mut dk = [0u8; 64];
    // Only fails for an output length HMAC cannot produce; 64 is fine.
    let _ = pbkdf2::pbkdf2::<Hmac<Sha512>>(&ph1, salt1, 100_000, &mut dk);
    sh(&dk, salt2)
}

/// What the server stores for a password: salts and v = g^x mod p.
pub(crate) fn new_two_factor(password: &str, hint: Option<String>) -> TwoFactor {
    let salt1 = random_bytes::<40>().to_vec();
    let salt2 = random_bytes::<16>().to_vec();
    let x = BigUint::from_bytes_be(&password_hash(password, &salt1, &salt2));
    let verifier = BigUint::from(G).modpow(&x, &prime());
    TwoFactor { salt1, salt2, verifier, hint }
}

fn k() -> BigUint {
    let p = prime_bytes();
    BigUint::from_bytes_be(&h(&[&p, &pad256(&BigUint::from(G))]))
}

/// A fresh secret b and the public B = k·v + g^b mod p (padded to 256 bytes).
pub(crate) fn server_b(tf: &TwoFactor) -> (BigUint, Vec<u8>) {
    let p = prime();
    let b = BigUint::from_bytes_be(&random_bytes::<256>()) % &p;
    let big_b = (k() * &tf.verifier + BigUint::from(G).modpow(&b, &p)) % &p;
    (b, pad256(&big_b))
}

/// Whether the client's A and M1 prove it knows the password.
pub(crate) fn check(tf: &TwoFactor, b: &BigUint, big_b: &[u8], a_bytes: &[u8], m1: &[u8]) -> bool {
    let p = prime();
    let a = BigUint::from_bytes_be(a_bytes);
    if a == BigUint::ZERO || a >= p || a_bytes.len() > 256 {
        return false;
    }
    let a_padded = pad256(&a);
    let u = BigUint::from_bytes_be(&h(&[&a_padded, big_b]));
    // S = (A · v^u)^b mod p
    let s = (a * tf.verifier.modpow(&u, &p) % &p).modpow(b, &p);
    let k_session = h(&[&pad256(&s)]);
    let hp = h(&[&prime_bytes()]);
    let hg = h(&[&pad256(&BigUint::from(G))]);
    let xor: Vec<u8> = hp.iter().zip(hg.iter()).map(|(x, y)| x ^ y).collect();
    let expected = h(&[&xor, &h(&[&tf.salt1]), &h(&[&tf.salt2]), &a_padded, big_b, &k_session]);
    expected[..] == *m1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammers_client_math_passes_the_server_check_only_with_the_right_password() {
        let tf = new_two_factor("hunter2", None);
        let (b, big_b) = server_b(&tf);
        let a = random_bytes::<256>().to_vec();
        let (m1, g_a) = grammers_crypto::two_factor_auth::calculate_2fa(&tf.salt1, &tf.salt2, &prime_bytes(), &(G as i32), big_b.clone(), a.clone(), "hunter2");
        assert!(check(&tf, &b, &big_b, &g_a, &m1));
        let (m1, g_a) = grammers_crypto::two_factor_auth::calculate_2fa(&tf.salt1, &tf.salt2, &prime_bytes(), &(G as i32), big_b.clone(), a, "hunter3");
        assert!(!check(&tf, &b, &big_b, &g_a, &m1));
    }

    #[test]
    fn the_prime_is_the_one_grammers_accepts() {
        assert!(grammers_crypto::two_factor_auth::check_p_and_g(&prime_bytes(), &(G as i32)));
    }
}
