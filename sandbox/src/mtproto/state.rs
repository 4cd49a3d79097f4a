//! The fake Telegram's world: auth keys and what each is signed in as,
//! accounts (phone, login code, 2FA verifier, pts and message log), other
//! users, channels with their own pts, stored photos and documents, pending
//! uploads, scripted faults (flood waits) and live connections to push
//! updates to. Plain data plus small lookups; no protocol code.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use num_bigint::BigUint;
use tokio::sync::mpsc;

use super::wire::AuthKey;

/// How a revoked session answers its next call (both are 401 errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Revocation {
    /// The key was logged out or never signed in (`AUTH_KEY_UNREGISTERED`).
    AuthKeyUnregistered,
    /// The user ended the session from another device (`SESSION_REVOKED`).
    SessionRevoked,
}

impl Revocation {
    pub fn error_name(self) -> &'static str {
        match self {
            Revocation::AuthKeyUnregistered => "AUTH_KEY_UNREGISTERED",
            Revocation::SessionRevoked => "SESSION_REVOKED",
        }
    }
}

/// What an auth key is signed in as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyLogin {
    Fresh,
    /// The code was right; `auth.checkPassword` must follow.
    AwaitingPassword(i64),
    LoggedIn(i64),
    Revoked(Revocation),
}

pub(crate) struct KeyRecord {
    pub key: AuthKey,
    pub login: KeyLogin,
}

/// A Telegram user: an account the fake hosts or a buyer writing to one.
#[derive(Debug, Clone)]
pub(crate) struct UserRecord {
    pub id: i64,
    pub access_hash: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub phone: Option<String>,
}

/// The 2FA password as the server keeps it: salts and the SRP verifier.
pub(crate) struct TwoFactor {
    pub salt1: Vec<u8>,
    pub salt2: Vec<u8>,
    pub verifier: BigUint,
    pub hint: Option<String>,
}

/// The server half of one SRP exchange (from the latest `account.getPassword`).
pub(crate) struct SrpExchange {
    pub id: i64,
    pub b: BigUint,
    pub big_b: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peer {
    User(i64),
    Channel(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaRef {
    Photo(i64),
    Document(i64),
}

/// A message as stored: in an account's box (private chats) or a channel.
#[derive(Debug, Clone)]
pub(crate) struct MessageRecord {
    pub id: i32,
    pub pts: i32,
    pub date: i32,
    pub out: bool,
    /// The chat: the other user of a private chat, or the channel.
    pub peer: Peer,
    /// The author (None for channel posts).
    pub from: Option<i64>,
    pub text: String,
    pub media: Option<MediaRef>,
    pub grouped_id: Option<i64>,
}

pub(crate) struct Account {
    pub user_id: i64,
    pub code: String,
    pub code_ttl: Duration,
    /// phone_code_hash -> when the code was sent.
    pub codes_sent: HashMap<String, Instant>,
    pub two_factor: Option<TwoFactor>,
    pub srp: Option<SrpExchange>,
    pub pts: i32,
    pub next_message_id: i32,
    /// Every message of the account's private chats, in pts order.
    pub messages: Vec<MessageRecord>,
    pub channels: BTreeSet<i64>,
    pub sent: Vec<super::SentMessage>,
}

pub(crate) struct Channel {
    pub id: i64,
    pub access_hash: i64,
    pub title: String,
    pub username: Option<String>,
    pub date: i32,
    pub pts: i32,
    pub posts: Vec<MessageRecord>,
}

/// A photo or document the fake stores and serves with `upload.getFile`.
pub(crate) struct StoredFile {
    pub id: i64,
    pub access_hash: i64,
    pub file_reference: Vec<u8>,
    pub date: i32,
    pub bytes: Vec<u8>,
    pub mime_type: String,
    pub file_name: Option<String>,
    pub width: u32,
    pub height: u32,
}

/// Parts of a file being uploaded, keyed by (auth key id, file id).
#[derive(Default)]
pub(crate) struct Upload {
    pub parts: BTreeMap<i32, Vec<u8>>,
    pub total_parts: Option<i32>,
}

/// A scripted FLOOD_WAIT for the next call (of one method, or of any).
pub(crate) struct FloodRule {
    pub method: Option<String>,
    pub seconds: u32,
}

pub(crate) enum Outbound {
    /// Serialized `Updates` to push.
    Updates(Vec<u8>),
    Close,
}

pub(crate) struct Connection {
    pub key_id: [u8; 8],
    pub tx: mpsc::UnboundedSender<Outbound>,
}

#[derive(Default)]
pub(crate) struct World {
    pub addr: Option<SocketAddr>,
    pub keys: HashMap<[u8; 8], KeyRecord>,
    pub users: BTreeMap<i64, UserRecord>,
    /// Accounts by user id; `phones` finds them by digits of the phone.
    pub accounts: BTreeMap<i64, Account>,
    pub phones: HashMap<String, i64>,
    pub channels: BTreeMap<i64, Channel>,
    pub files: HashMap<i64, StoredFile>,
    pub uploads: HashMap<([u8; 8], i64), Upload>,
    pub floods: Vec<FloodRule>,
    pub connections: HashMap<u64, Connection>,
    pub next_connection: u64,
    next_id: i64,
}

/// Phone numbers are compared by their digits (`+380 50…` = `38050…`).
pub(crate) fn phone_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

pub(crate) fn now_secs() -> i32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i32).unwrap_or(0)
}

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    if getrandom::fill(&mut out).is_err() {
        // No OS randomness: fall back to the sandbox's hash-based ids.
        for chunk in out.chunks_mut(8) {
            let r = crate::state::rand_u64().to_le_bytes();
            chunk.copy_from_slice(&r[..chunk.len()]);
        }
    }
    out
}

pub(crate) fn random_i64() -> i64 {
    i64::from_le_bytes(random_bytes::<8>())
}

impl World {
    /// Fresh ids for users, channels and files (Telegram's are unrelated
    /// numbers; distinct ones are all that matters here).
    pub fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        7_000_000_000 + self.next_id
    }

    pub fn account_by_phone(&self, phone: &str) -> Option<i64> {
        self.phones.get(&phone_digits(phone)).copied()
    }

    pub fn login_of(&self, key_id: &[u8; 8]) -> KeyLogin {
        self.keys.get(key_id).map(|k| k.login).unwrap_or(KeyLogin::Revoked(Revocation::AuthKeyUnregistered))
    }

    pub fn set_login(&mut self, key_id: &[u8; 8], login: KeyLogin) {
        if let Some(k) = self.keys.get_mut(key_id) {
            k.login = login;
        }
    }

    /// Sends serialized updates to every live connection signed in as `user_id`.
    pub fn push_to_account(&self, user_id: i64, updates: &[u8]) {
        for c in self.connections.values() {
            if self.login_of(&c.key_id) == KeyLogin::LoggedIn(user_id) {
                let _ = c.tx.send(Outbound::Updates(updates.to_vec()));
            }
        }
    }

    pub fn close_connections(&mut self, only_key: Option<[u8; 8]>) {
        for c in self.connections.values() {
            if only_key.is_none_or(|k| k == c.key_id) {
                let _ = c.tx.send(Outbound::Close);
            }
        }
    }

    /// Takes the first scripted flood wait matching `method`.
    pub fn take_flood(&mut self, method: &str, setup: bool) -> Option<u32> {
        let i = self.floods.iter().position(|f| f.method.as_deref().map_or(!setup, |m| m == method))?;
        Some(self.floods.remove(i).seconds)
    }
}
