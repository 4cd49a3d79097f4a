//! Secrets at rest (bot tokens, webhook secrets, later MTProto sessions):
//! AES-256-GCM with a random 96-bit nonce per value, stored as
//! `v1:<base64(nonce || ciphertext+tag)>`. The key is the SHA-256 of
//! `CARTIE_DATA_KEY` (a random secret of at least 32 characters); on AWS it
//! is generated into Secrets Manager by `template.yaml`. A raw table read
//! never shows a secret.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

#[derive(Clone)]
pub struct DataKey(Aes256Gcm);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

impl DataKey {
    pub fn from_bytes(key: &[u8]) -> Result<DataKey, String> {
        Aes256Gcm::new_from_slice(key).map(DataKey).map_err(|_| "the data key must be exactly 32 bytes".to_string())
    }

    /// From `CARTIE_DATA_KEY`: any random secret of at least 32 characters
    /// (`head -c 32 /dev/urandom | base64`); the AES key is its SHA-256.
    pub fn from_secret(secret: &str) -> Result<DataKey, String> {
        use sha2::{Digest, Sha256};
        let secret = secret.trim();
        if secret.len() < 32 {
            return Err("CARTIE_DATA_KEY must be a random secret of at least 32 characters".into());
        }
        DataKey::from_bytes(&Sha256::digest(secret.as_bytes()))
    }

    pub fn seal(&self, plain: &str) -> String {
        let nonce_bytes = crate::util::random_bytes::<12>();
        let nonce = Nonce::from_slice(&nonce_bytes);
        // Encryption with a valid key and nonce cannot fail.
        let ct = self.0.encrypt(nonce, plain.as_bytes()).unwrap_or_default();
        let mut out = nonce_bytes.to_vec();
        out.extend(ct);
        format!("v1:{}", B64.encode(out))
    }

    pub fn open(&self, sealed: &str) -> Result<String, String> {
        let raw = sealed.strip_prefix("v1:").ok_or("not a sealed value")?;
        let bytes = B64.decode(raw).map_err(|_| "sealed value is not base64")?;
        if bytes.len() < 12 + 16 {
            return Err("sealed value is too short".into());
        }
        let (nonce, ct) = bytes.split_at(12);
        let plain = self.0.decrypt(Nonce::from_slice(nonce), ct).map_err(|_| "cannot decrypt: wrong data key or tampered value")?;
        String::from_utf8(plain).map_err(|_| "sealed value is not text".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trips_and_hides_the_value() {
        let k = DataKey::from_bytes(&[3u8; 32]).unwrap();
        let s = k.seal("123456:ABC-secret-token");
        assert!(!s.contains("ABC-secret-token"));
        assert_ne!(s, k.seal("123456:ABC-secret-token"), "fresh nonce each time");
        assert_eq!(k.open(&s).unwrap(), "123456:ABC-secret-token");
        let other = DataKey::from_bytes(&[4u8; 32]).unwrap();
        assert!(other.open(&s).is_err());
        let mut tampered = s.clone();
        tampered.pop();
        tampered.push(if s.ends_with('A') { 'B' } else { 'A' });
        assert!(k.open(&tampered).is_err());
        assert!(DataKey::from_bytes(&[0u8; 16]).is_err());
        assert!(DataKey::from_secret("short").is_err());
        let a = DataKey::from_secret("0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(a.open(&DataKey::from_secret("0123456789abcdef0123456789abcdef").unwrap().seal("x")).unwrap(), "x");
    }
}
