//! A fake Telegram MTProto server for testing user-account clients
//! (`grammers-client` 0.11) without Telegram.
//!
//! It speaks MTProto 2.0 over TCP with the Full transport and answers the
//! calls a dealer's account needs: connection setup (`invokeWithLayer` /
//! `initConnection` / `help.getConfig` pointing at itself), login with code
//! and 2FA (SRP), update state and differences for the account and for
//! channels, pushed private messages and channel posts, sending text,
//! photos and documents, uploads and downloads, dialogs and users.
//!
//! It cannot do the real key exchange (clients only trust Telegram's RSA
//! keys), so tests give the client a stored auth key: register one with
//! [`MtprotoServer::new_auth_key`] (or [`MtprotoServer::signed_in_auth_key`])
//! and put it, with [`MtprotoServer::addr`] and [`DC_ID`], into the client's
//! session as the home DC's option. A key the server does not know gets
//! transport error -404. Test hooks (here and under `/sandbox/api/mtproto/`)
//! deliver messages, post to channels, read what accounts sent and script
//! faults: flood waits, dropped connections, revoked sessions, expired codes.
//! It must not be used as a real server: there is no persistence, no
//! authentication of the hooks and no rate limiting but the scripted kind.

mod auth;
mod connection;
pub(crate) mod control;
mod dispatch;
mod hooks;
mod messages;
mod objects;
mod srp;
mod state;
mod updates;
mod wire;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

pub use state::Revocation;

/// The DC id the fake answers as (Telegram's default home DC, so a fresh
/// grammers session needs no migration).
pub const DC_ID: i32 = 2;

pub(crate) struct Shared {
    world: Mutex<state::World>,
}

impl Shared {
    pub(crate) fn world(&self) -> MutexGuard<'_, state::World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The fake server: cheap to clone, all clones share one world.
#[derive(Clone)]
pub struct MtprotoServer {
    shared: Arc<Shared>,
}

impl Default for MtprotoServer {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for MtprotoServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MtprotoServer").field("addr", &self.addr()).finish_non_exhaustive()
    }
}

/// An account the fake hosts: a phone that can log in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub phone: String,
    pub first_name: String,
    /// The login code `auth.signIn` accepts.
    pub code: String,
    /// The 2FA password, if the account has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// A Telegram user as tests see it: an account or a buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub access_hash: i64,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelInfo {
    pub id: i64,
    pub access_hash: i64,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentMediaKind {
    Photo,
    Document,
}

/// A file an account sent, as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMedia {
    pub kind: SentMediaKind,
    #[serde(with = "b64")]
    pub bytes: Vec<u8>,
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

/// One message an account sent (text and/or media, to whom).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    pub to_user_id: i64,
    pub message_id: i32,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<SentMedia>,
    pub at_ms: u64,
}

/// Why a hook refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HookError {
    #[error("no account with phone {0}")]
    NoAccount(String),
    #[error("an account with phone {0} exists")]
    AccountExists(String),
    #[error("no user {0}")]
    NoUser(i64),
    #[error("no channel {0}")]
    NoChannel(i64),
    #[error("{0}")]
    Invalid(&'static str),
}

mod b64 {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD.decode(s).map_err(serde::de::Error::custom)
    }
}

impl MtprotoServer {
    pub fn new() -> MtprotoServer {
        MtprotoServer { shared: Arc::new(Shared { world: Mutex::new(state::World::default()) }) }
    }

    /// Binds `addr` (port 0 picks a free one), accepts MTProto clients in a
    /// spawned task and returns the bound address (also what `help.getConfig`
    /// then tells clients).
    pub async fn serve(&self, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        self.shared.world().addr = Some(bound);
        let shared = self.shared.clone();
        tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(connection::serve(shared.clone(), stream));
                    }
                    Err(e) => tracing::warn!(error = %e, "mtproto accept failed"),
                }
            }
        });
        Ok(bound)
    }

    /// Where the server listens, once [`MtprotoServer::serve`] ran.
    pub fn addr(&self) -> Option<SocketAddr> {
        self.shared.world().addr
    }
}
