//! Bytes on the wire: the Full TCP transport (length, sequence number,
//! CRC32) that grammers 0.11 always uses, transport error codes, and the
//! server's half of MTProto 2.0 encryption (decrypt what the client sent with
//! x = 0, encrypt answers with x = 8). Knows nothing of TL or of accounts.

use sha1::Sha1;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt};

/// Telegram's transport error for an auth key id the server does not know.
pub(crate) const UNKNOWN_AUTH_KEY: i32 = -404;

/// Largest frame accepted: a 1 MiB container plus headers (grammers' own cap).
const MAX_FRAME: usize = 1024 * 1024 + 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub(crate) enum WireError {
    #[error("connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("not the Full transport (first bytes {0:02x?}); grammers 0.11 uses only Full")]
    OtherTransport([u8; 4]),
    #[error("bad frame length {0}")]
    BadLength(i32),
    #[error("bad frame sequence number: expected {expected}, got {got}")]
    BadSeq { expected: i32, got: i32 },
    #[error("bad frame checksum")]
    BadCrc,
    #[error("encrypted packet is malformed")]
    BadPacket,
    #[error("msg_key does not match the plaintext (wrong auth key?)")]
    BadMsgKey,
}

/// A 256-byte authorization key and its id (the low 64 bits of its SHA-1).
#[derive(Clone)]
pub(crate) struct AuthKey {
    pub data: [u8; 256],
    pub id: [u8; 8],
}

impl AuthKey {
    pub fn new(data: [u8; 256]) -> AuthKey {
        let sha = Sha1::digest(data);
        let mut id = [0; 8];
        id.copy_from_slice(&sha[12..20]);
        AuthKey { data, id }
    }
}

/// Reads one Full-transport frame and returns its payload.
/// `Ok(None)` when the peer closed the connection between frames.
pub(crate) async fn read_frame<R: AsyncRead + Unpin>(r: &mut R, expected_seq: i32) -> Result<Option<Vec<u8>>, WireError> {
    let mut head = [0u8; 8];
    match r.read_exact(&mut head[..4]).await {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    // Abridged starts with 0xef, (padded) intermediate with 0xee/0xdd x4.
    if head[0] == 0xef || head[..4] == [0xee; 4] || head[..4] == [0xdd; 4] {
        let mut first = [0; 4];
        first.copy_from_slice(&head[..4]);
        return Err(WireError::OtherTransport(first));
    }
    r.read_exact(&mut head[4..]).await?;
    let len = i32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    if len < 12 || len as usize > MAX_FRAME || len % 4 != 0 {
        return Err(WireError::BadLength(len));
    }
    let seq = i32::from_le_bytes([head[4], head[5], head[6], head[7]]);
    if seq != expected_seq {
        return Err(WireError::BadSeq { expected: expected_seq, got: seq });
    }
    let mut rest = vec![0u8; len as usize - 8];
    r.read_exact(&mut rest).await?;
    let crc_at = rest.len() - 4;
    let crc = u32::from_le_bytes([rest[crc_at], rest[crc_at + 1], rest[crc_at + 2], rest[crc_at + 3]]);
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&head);
    hasher.update(&rest[..crc_at]);
    if hasher.finalize() != crc {
        return Err(WireError::BadCrc);
    }
    rest.truncate(crc_at);
    Ok(Some(rest))
}

/// Wraps `payload` in a Full-transport frame numbered `seq`.
pub(crate) fn frame(seq: i32, payload: &[u8]) -> Vec<u8> {
    let len = (payload.len() + 12) as i32;
    let mut out = Vec::with_capacity(payload.len() + 12);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// A transport error as the server sends it: a bare negative length.
pub(crate) fn transport_error(code: i32) -> [u8; 4] {
    code.to_le_bytes()
}

/// The auth key id an encrypted packet claims (0 for plain DH messages).
pub(crate) fn packet_key_id(packet: &[u8]) -> Option<[u8; 8]> {
    let mut id = [0; 8];
    id.copy_from_slice(packet.get(..8)?);
    Some(id)
}

// aes_key / aes_iv from the auth key and msg_key, x = 0 client→server, 8 back.
fn aes_key_iv(key: &AuthKey, msg_key: &[u8], x: usize) -> ([u8; 32], [u8; 32]) {
    let a = Sha256::new().chain_update(msg_key).chain_update(&key.data[x..x + 36]).finalize();
    let b = Sha256::new().chain_update(&key.data[40 + x..76 + x]).chain_update(msg_key).finalize();
    let mut aes_key = [0; 32];
    aes_key[..8].copy_from_slice(&a[..8]);
    aes_key[8..24].copy_from_slice(&b[8..24]);
    aes_key[24..].copy_from_slice(&a[24..]);
    let mut aes_iv = [0; 32];
    aes_iv[..8].copy_from_slice(&b[..8]);
    aes_iv[8..24].copy_from_slice(&a[8..24]);
    aes_iv[24..].copy_from_slice(&b[24..]);
    (aes_key, aes_iv)
}

fn msg_key(key: &AuthKey, plaintext: &[u8], x: usize) -> [u8; 16] {
    let large = Sha256::new().chain_update(&key.data[88 + x..120 + x]).chain_update(plaintext).finalize();
    let mut out = [0; 16];
    out.copy_from_slice(&large[8..24]);
    out
}

/// Decrypts a client packet (`auth_key_id | msg_key | ciphertext`) and checks
/// its msg_key; returns the plaintext (salt, session id, message).
pub(crate) fn decrypt_from_client(key: &AuthKey, packet: &[u8]) -> Result<Vec<u8>, WireError> {
    if packet.len() < 24 + 32 || !(packet.len() - 24).is_multiple_of(16) {
        return Err(WireError::BadPacket);
    }
    let given = &packet[8..24];
    let (aes_key, aes_iv) = aes_key_iv(key, given, 0);
    let mut plain = packet[24..].to_vec();
    grammers_crypto::aes::ige_decrypt(&mut plain, &aes_key, &aes_iv);
    if msg_key(key, &plain, 0) != given {
        return Err(WireError::BadMsgKey);
    }
    Ok(plain)
}

/// Encrypts a server plaintext (salt, session id, message) for the client,
/// with 12–1024 random padding bytes making it a multiple of 16.
pub(crate) fn encrypt_for_client(key: &AuthKey, mut plain: Vec<u8>) -> Vec<u8> {
    let pad = 16 + (16 - plain.len() % 16);
    let mut padding = [0u8; 32];
    if getrandom::fill(&mut padding).is_err() {
        padding = [0x5a; 32];
    }
    plain.extend_from_slice(&padding[..pad]);
    let mk = msg_key(key, &plain, 8);
    let (aes_key, aes_iv) = aes_key_iv(key, &mk, 8);
    grammers_crypto::aes::ige_encrypt(&mut plain, &aes_key, &aes_iv);
    let mut out = Vec::with_capacity(24 + plain.len());
    out.extend_from_slice(&key.id);
    out.extend_from_slice(&mk);
    out.extend_from_slice(&plain);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_reject_corruption() {
        let payload = vec![7u8; 40];
        let bytes = frame(3, &payload);
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let got = rt.block_on(read_frame(&mut &bytes[..], 3)).unwrap();
        assert_eq!(got, Some(payload));
        let mut bad = bytes.clone();
        bad[10] ^= 1;
        assert!(matches!(rt.block_on(read_frame(&mut &bad[..], 3)), Err(WireError::BadCrc)));
        assert!(matches!(rt.block_on(read_frame(&mut &bytes[..], 4)), Err(WireError::BadSeq { .. })));
    }

    #[test]
    fn grammers_client_crypto_reads_what_the_server_writes_and_back() {
        let data = [9u8; 256];
        let (server_key, client_key) = (AuthKey::new(data), grammers_crypto::AuthKey::from_bytes(data));
        let plain = vec![3u8; 48];
        let mut sealed = encrypt_for_client(&server_key, plain.clone());
        let opened = grammers_crypto::decrypt_data_v2(&mut sealed, &client_key).expect("client decrypts");
        assert_eq!(&opened[..plain.len()], &plain[..]);

        let mut buffer = grammers_crypto::DequeBuffer::with_capacity(64, 64);
        buffer.extend(plain.iter().copied());
        grammers_crypto::encrypt_data_v2(&mut buffer, &client_key);
        assert_eq!(packet_key_id(&buffer[..]), Some(server_key.id));
        let opened = decrypt_from_client(&server_key, &buffer[..]).expect("server decrypts");
        assert_eq!(&opened[..plain.len()], &plain[..]);
        let mut tampered = buffer[..].to_vec();
        tampered[30] ^= 1;
        assert!(decrypt_from_client(&server_key, &tampered).is_err());
    }

    #[test]
    fn key_id_is_the_tail_of_sha1() {
        let key = AuthKey::new([1; 256]);
        assert_eq!(key.id, Sha1::digest([1u8; 256])[12..20]);
    }
}
