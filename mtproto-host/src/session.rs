//! grammers' `Session` kept in DynamoDB: the home DC, the DC options with
//! the auth key, and the update state (pts, qts, seq, date, each channel's
//! pts) are one item sealed with the data key, so a raw read never shows
//! the auth key; cached peers (ids and access hashes, no secret) are one
//! item each. Reads are served from memory; every change is written
//! through at once under the host's lease fence, so a restarted host
//! catches up with `getDifference` from exactly where this one stopped,
//! and a host that lost its lease cannot overwrite the new holder's state.

use std::sync::Mutex;

use cartie_store::sealed::DataKey;
use cartie_store::tg_accounts::Fence;
use cartie_store::Store;
use grammers_session::storages::MemorySession;
use grammers_session::types::{DcOption, PeerId, PeerInfo, UpdateState, UpdatesState};
use grammers_session::{BoxFuture, Session, SessionData};
use serde::{Deserialize, Serialize};

/// The Telegram DCs a session may know (1–5).
const DC_IDS: std::ops::RangeInclusive<i32> = 1..=5;

/// What is sealed into the `SESSION` item.
#[derive(Serialize, Deserialize)]
struct Sealed {
    home_dc: i32,
    dc_options: Vec<DcOption>,
    updates: UpdatesState,
}

/// A session storage error: the item could not be read or written (or the
/// lease is gone). grammers hands it back as the call's error.
#[derive(Debug, thiserror::Error)]
#[error("session storage: {0}")]
pub struct SessionError(pub String);

pub struct DynamoSession {
    mem: MemorySession,
    store: Store,
    key: DataKey,
    fence: Fence,
    /// Serialises write-throughs so an older snapshot never lands last.
    writing: tokio::sync::Mutex<()>,
    /// Set once a write was refused for a lost lease.
    lost: Mutex<bool>,
}

impl DynamoSession {
    /// The stored session of the fenced account, or a fresh one.
    pub async fn load(store: Store, key: DataKey, fence: Fence) -> Result<DynamoSession, SessionError> {
        let (ws, id) = (fence.workspace_id.clone(), fence.account_id.clone());
        let mut data = SessionData::default();
        if let Some(sealed) = store.tg_session(&ws, &id).await.map_err(|e| SessionError(e.to_string()))? {
            let plain = key.open(&sealed).map_err(SessionError)?;
            let s: Sealed = serde_json::from_str(&plain).map_err(|e| SessionError(format!("stored session does not decode: {e}")))?;
            data.home_dc = s.home_dc;
            for o in s.dc_options {
                data.dc_options.insert(o.id, o);
            }
            data.updates_state = s.updates;
        }
        for json in store.tg_peers(&ws, &id).await.map_err(|e| SessionError(e.to_string()))? {
            // A peer that no longer decodes is only a lost cache entry.
            if let Ok(p) = serde_json::from_str::<PeerInfo>(&json) {
                data.peer_infos.insert(p.id(), p);
            }
        }
        Ok(DynamoSession { mem: MemorySession::from(data), store, key, fence, writing: tokio::sync::Mutex::new(()), lost: Mutex::new(false) })
    }

    /// A new, empty session (a login starts from nothing).
    pub fn fresh(store: Store, key: DataKey, fence: Fence) -> DynamoSession {
        DynamoSession { mem: MemorySession::default(), store, key, fence, writing: tokio::sync::Mutex::new(()), lost: Mutex::new(false) }
    }

    /// Whether a write was refused because another host holds the account.
    pub fn lease_lost(&self) -> bool {
        self.lost.lock().map(|l| *l).unwrap_or(true)
    }

    /// Writes the sealed part now (after a login, before a clean stop).
    pub async fn persist(&self) -> Result<(), SessionError> {
        let _one = self.writing.lock().await;
        let mem_err = |e: grammers_session::storages::MemorySessionError| SessionError(e.to_string());
        let mut dc_options = Vec::new();
        for id in DC_IDS {
            if let Some(o) = self.mem.dc_option(id).map_err(mem_err)? {
                dc_options.push(o);
            }
        }
        let sealed = Sealed { home_dc: self.mem.home_dc_id().map_err(mem_err)?, dc_options, updates: self.mem.updates_state().await.map_err(mem_err)? };
        let json = serde_json::to_string(&sealed).map_err(|e| SessionError(e.to_string()))?;
        let res = self.store.save_tg_session(&self.fence.workspace_id, &self.fence.account_id, &self.key.seal(&json), Some(&self.fence)).await;
        self.check(res)
    }

    fn check(&self, res: Result<(), cartie_store::StoreError>) -> Result<(), SessionError> {
        match res {
            Ok(()) => Ok(()),
            Err(cartie_store::StoreError::Conflict(m)) => {
                if let Ok(mut l) = self.lost.lock() {
                    *l = true;
                }
                Err(SessionError(m))
            }
            Err(e) => Err(SessionError(e.to_string())),
        }
    }
}

impl Session for DynamoSession {
    type Error = SessionError;

    fn home_dc_id(&self) -> Result<i32, SessionError> {
        self.mem.home_dc_id().map_err(|e| SessionError(e.to_string()))
    }

    fn set_home_dc_id(&self, dc_id: i32) -> BoxFuture<'_, Result<(), SessionError>> {
        Box::pin(async move {
            self.mem.set_home_dc_id(dc_id).await.map_err(|e| SessionError(e.to_string()))?;
            self.persist().await
        })
    }

    fn dc_option(&self, dc_id: i32) -> Result<Option<DcOption>, SessionError> {
        self.mem.dc_option(dc_id).map_err(|e| SessionError(e.to_string()))
    }

    fn set_dc_option(&self, dc_option: &DcOption) -> BoxFuture<'_, Result<(), SessionError>> {
        let dc_option = dc_option.clone();
        Box::pin(async move {
            if self.mem.dc_option(dc_option.id).ok().flatten().as_ref() == Some(&dc_option) {
                return Ok(());
            }
            self.mem.set_dc_option(&dc_option).await.map_err(|e| SessionError(e.to_string()))?;
            self.persist().await
        })
    }

    fn peer(&self, peer: PeerId) -> BoxFuture<'_, Result<Option<PeerInfo>, SessionError>> {
        Box::pin(async move { self.mem.peer(peer).await.map_err(|e| SessionError(e.to_string())) })
    }

    fn cache_peer(&self, peer: PeerInfo) -> BoxFuture<'_, Result<(), SessionError>> {
        Box::pin(async move {
            let id = peer.id();
            let before = self.mem.peer(id).await.map_err(|e| SessionError(e.to_string()))?;
            self.mem.cache_peer(peer).await.map_err(|e| SessionError(e.to_string()))?;
            let after = self.mem.peer(id).await.map_err(|e| SessionError(e.to_string()))?;
            match after {
                // Written only when something changed: most messages come from known people.
                Some(p) if before.as_ref() != Some(&p) => {
                    let json = serde_json::to_string(&p).map_err(|e| SessionError(e.to_string()))?;
                    let res = self.store.save_tg_peer(&self.fence, id.bot_api_dialog_id_unchecked(), &json).await;
                    self.check(res)
                }
                _ => Ok(()),
            }
        })
    }

    fn updates_state(&self) -> BoxFuture<'_, Result<UpdatesState, SessionError>> {
        Box::pin(async move { self.mem.updates_state().await.map_err(|e| SessionError(e.to_string())) })
    }

    fn set_update_state(&self, update: UpdateState) -> BoxFuture<'_, Result<(), SessionError>> {
        Box::pin(async move {
            self.mem.set_update_state(update).await.map_err(|e| SessionError(e.to_string()))?;
            self.persist().await
        })
    }
}
