//! The MTProto host: the one long-running service of Cartie. It keeps the
//! dealers' own Telegram *user accounts* online with `grammers-client`,
//! many accounts in one process, and
//! - holds each account through a lease in DynamoDB (heartbeat, fencing
//!   token): exactly one host holds an account; another takes it over when
//!   the lease runs out; every write a host makes for an account carries
//!   the token, so a host that was paused past its lease cannot write;
//! - keeps each account's grammers session in DynamoDB, sealed
//!   ([`session`]), so a restart reconnects without a new login and
//!   catches up with `getDifference`;
//! - runs the commands the API addresses to it ([`commands`]: login steps,
//!   replies from the Inbox, channel lists) and writes their results;
//! - writes incoming private messages into the Inbox through the same
//!   store call as bot updates, idempotent on (account, chat, message id),
//!   and turns posts of source channels into draft cars ([`account`]).
//!
//! It must not serve the web API (the API Lambdas do) nor keep anything on
//! local disk: a container may be replaced at any moment.

pub mod account;
pub mod commands;
pub mod config;
pub mod health;
pub mod session;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cartie_domain::tg_accounts::{AccountState, TelegramAccount};
use cartie_platform::Services;
use cartie_store::tg_accounts::{Fence, HostBeat};
use cartie_store::util;
use grammers_client::Client;
use tokio::sync::{Mutex, Semaphore};
use tokio::task::JoinHandle;

pub use config::{DcSource, HostConfig};
use session::DynamoSession;

/// Why a host operation failed.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// DynamoDB or S3 failed: retried on the next beat.
    #[error(transparent)]
    Store(#[from] cartie_store::StoreError),
    #[error(transparent)]
    Session(#[from] session::SessionError),
    /// Telegram refused or could not be reached.
    #[error("telegram: {0}")]
    Telegram(String),
    /// The lease went to another host meanwhile.
    #[error("this host no longer holds the account")]
    LeaseLost,
}

/// `(workspace, account id)`.
pub type AccountKey = (String, String);

/// A login between its steps: grammers' tokens live in this process only.
pub(crate) enum Login {
    Code(grammers_client::client::LoginToken),
    Password(grammers_client::client::PasswordToken),
}

/// An account this host holds.
pub(crate) struct Held {
    pub fence: Fence,
    pub session: Arc<DynamoSession>,
    pub client: Client,
    pub tasks: Vec<JoinHandle<()>>,
    pub login: Option<(Login, i64)>,
    pub state: AccountState,
    /// The account's Telegram user id once logged in (its Inbox line).
    pub line: Option<i64>,
}

impl Held {
    fn stop(self) {
        self.client.disconnect();
        for t in self.tasks {
            t.abort();
        }
    }
}

pub struct Host {
    pub svc: Services,
    pub cfg: HostConfig,
    pub(crate) held: Mutex<HashMap<AccountKey, Held>>,
    /// A login's updates receiver, until the login ends and `follow` takes it.
    pub(crate) pending_updates: Mutex<HashMap<AccountKey, tokio::sync::mpsc::Receiver<grammers_client::session::updates::UpdatesLike>>>,
    paused: AtomicBool,
    connecting: Semaphore,
    tasks: std::sync::Mutex<Vec<JoinHandle<()>>>,
}

/// A login left unfinished this long is dropped (its lease freed).
const LOGIN_GIVE_UP_MS: i64 = 15 * 60 * 1000;

impl Host {
    pub fn new(svc: Services, cfg: HostConfig) -> Arc<Host> {
        let connecting = Semaphore::new(cfg.connect_concurrency.max(1));
        Arc::new(Host {
            svc,
            cfg,
            held: Mutex::new(HashMap::new()),
            pending_updates: Mutex::new(HashMap::new()),
            paused: AtomicBool::new(false),
            connecting,
            tasks: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// Starts the heartbeat (leases, take-overs) and command loops.
    pub fn start(self: &Arc<Self>) {
        let beat = {
            let host = self.clone();
            tokio::spawn(async move {
                // A steady cadence: the beat's own duration is not added to the gap.
                let mut every = tokio::time::interval(Duration::from_millis(host.cfg.heartbeat_ms));
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    every.tick().await;
                    if !host.paused.load(Ordering::SeqCst) {
                        if let Err(e) = host.beat().await {
                            tracing::warn!(host = %host.cfg.host_id, error = %e, "heartbeat failed");
                        }
                    }
                }
            })
        };
        let commands = {
            let host = self.clone();
            tokio::spawn(async move {
                loop {
                    if !host.paused.load(Ordering::SeqCst) {
                        if let Err(e) = commands::poll(&host).await {
                            tracing::warn!(host = %host.cfg.host_id, error = %e, "command poll failed");
                        }
                    }
                    tokio::time::sleep(Duration::from_millis(host.cfg.poll_ms)).await;
                }
            })
        };
        if let Ok(mut t) = self.tasks.lock() {
            t.extend([beat, commands]);
        }
    }

    /// A clean stop (SIGTERM): sessions written, leases given up so another
    /// host takes the accounts at once.
    pub async fn shutdown(&self) {
        self.abort_loops();
        let held: Vec<Held> = self.held.lock().await.drain().map(|(_, h)| h).collect();
        for h in held {
            let _ = h.session.persist().await;
            let _ = self.svc.store.release_tg_lease(&h.fence).await;
            h.stop();
        }
    }

    /// A crash, for drills: everything stops, nothing is released or written.
    pub async fn crash(&self) {
        self.abort_loops();
        for (_, h) in self.held.lock().await.drain() {
            h.stop();
        }
    }

    fn abort_loops(&self) {
        if let Ok(mut t) = self.tasks.lock() {
            for task in t.drain(..) {
                task.abort();
            }
        }
    }

    /// Stops (or resumes) heartbeats and command polling while keeping the
    /// clients connected: what a stalled process looks like to the others.
    pub fn pause(&self, paused: bool) {
        self.paused.store(paused, Ordering::SeqCst);
    }

    /// The accounts held here and their state (the health endpoint).
    pub async fn accounts(&self) -> Vec<(AccountKey, AccountState)> {
        let mut v: Vec<_> = self.held.lock().await.iter().map(|(k, h)| (k.clone(), h.state)).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    /// One heartbeat: say this host is alive, renew the leases it holds
    /// (dropping those it lost), give up stale logins, then take free
    /// accounts that should be online.
    pub async fn beat(self: &Arc<Self>) -> Result<(), HostError> {
        let held_count = self.held.lock().await.len() as u32;
        self.svc
            .store
            .host_heartbeat(&HostBeat { host: self.cfg.host_id.clone(), alive_until_ms: util::now_ms() + self.cfg.lease_ms, accounts: held_count })
            .await?;
        let fences: Vec<(AccountKey, Fence, Option<i64>)> =
            self.held.lock().await.iter().map(|(k, h)| (k.clone(), h.fence.clone(), h.login.as_ref().map(|(_, at)| *at))).collect();
        // Renewed side by side: one slow round trip must not let the others lapse.
        let mut renewals = tokio::task::JoinSet::new();
        for (key, fence, login_at) in fences {
            let host = self.clone();
            renewals.spawn(async move {
                let stale_login = login_at.is_some_and(|at| util::now_ms() - at > LOGIN_GIVE_UP_MS);
                if stale_login {
                    host.drop_account(&key, Some("the login was not finished in time")).await;
                    return Ok(());
                }
                if !host.svc.store.renew_tg_lease(&fence, host.cfg.lease_ms).await? {
                    tracing::warn!(account = %key.1, "lease lost to another host; letting go");
                    if let Some(h) = host.held.lock().await.remove(&key) {
                        h.stop();
                    }
                }
                Ok::<(), HostError>(())
            });
        }
        while let Some(done) = renewals.join_next().await {
            if let Ok(Err(e)) = done {
                tracing::warn!(error = %e, "lease renewal failed; retried on the next beat");
            }
        }
        self.discover().await
    }

    /// Takes every free account that should be online (bounded concurrency).
    async fn discover(self: &Arc<Self>) -> Result<(), HostError> {
        let mut cursor = None;
        let mut joins = Vec::new();
        loop {
            let (leases, next) = self.svc.store.tg_leases(cursor).await?;
            let now = util::now_ms();
            for l in leases.into_iter().filter(|l| l.wanted && l.free(now)) {
                let key = (l.workspace_id.clone(), l.account_id.clone());
                if self.held.lock().await.contains_key(&key) {
                    continue;
                }
                let host = self.clone();
                joins.push(tokio::spawn(async move {
                    let Ok(_permit) = host.connecting.acquire().await else { return };
                    if let Err(e) = host.take(&key.0, &key.1).await {
                        tracing::warn!(account = %key.1, error = %e, "could not take the account");
                    }
                }));
            }
            match next {
                Some(k) => cursor = Some(k),
                None => break,
            }
        }
        for j in joins {
            let _ = j.await;
        }
        Ok(())
    }

    /// Acquires an account's lease and connects it from its stored session.
    async fn take(self: &Arc<Self>, ws: &str, id: &str) -> Result<(), HostError> {
        let store = &self.svc.store;
        let Some(fence) = store.acquire_tg_lease(ws, id, &self.cfg.host_id, self.cfg.lease_ms).await? else { return Ok(()) };
        let Some(account) = store.tg_account(ws, id).await? else {
            store.release_tg_lease(&fence).await?;
            return Ok(());
        };
        let session = Arc::new(DynamoSession::load(store.clone(), self.svc.data_key.clone(), fence.clone()).await?);
        let (client, runner, updates) = account::connect(self, session.clone());
        let key = (ws.to_string(), id.to_string());
        let mut held = Held {
            fence: fence.clone(),
            session,
            client: client.clone(),
            tasks: vec![runner],
            login: None,
            state: AccountState::Connecting,
            line: account.tg_user_id,
        };
        match client.is_authorized().await {
            Ok(true) => {
                held.tasks.push(account::follow(self.clone(), key.clone(), client, updates, fence.clone(), account.tg_user_id));
                held.state = AccountState::Online;
                self.held.lock().await.insert(key.clone(), held);
                self.set_state(&fence, AccountState::Online, None, None).await?;
                tracing::info!(account = %id, "online");
            }
            Ok(false) => {
                held.stop();
                self.needs_login(&fence, "Telegram ended this session (logged out from another device?)").await?;
            }
            Err(e) if account::revoked(&e) => {
                held.stop();
                self.needs_login(&fence, "Telegram ended this session (logged out from another device?)").await?;
            }
            Err(e) => {
                // Unreachable for now: let the lease lapse so a retry happens.
                held.stop();
                store.release_tg_lease(&fence).await?;
                self.set_state_unfenced(ws, id, AccountState::Reconnecting, Some(e.to_string())).await?;
                return Err(HostError::Telegram(e.to_string()));
            }
        }
        Ok(())
    }

    /// The account must log in again: not wanted online, lease freed.
    pub(crate) async fn needs_login(&self, fence: &Fence, why: &str) -> Result<(), HostError> {
        let store = &self.svc.store;
        self.set_state(fence, AccountState::NeedsLogin, Some(why.to_string()), None).await?;
        store.set_tg_wanted(&fence.workspace_id, &fence.account_id, false).await?;
        store.release_tg_lease(fence).await?;
        // The admins hear of it (once per lease: the event's id carries the fence).
        let account = store.tg_account(&fence.workspace_id, &fence.account_id).await?.map(|a| a.label()).unwrap_or_default();
        let event = cartie_domain::notify::Event {
            id: format!("needslogin:{}:{}", fence.account_id, fence.token),
            workspace_id: fence.workspace_id.clone(),
            at_ms: util::now_ms(),
            notice: cartie_domain::notify::Notice::AccountNeedsLogin { account_id: fence.account_id.clone(), account },
            recipients: cartie_domain::notify::Recipients::MembersAtLeast { role: cartie_domain::Role::Admin },
            actor: None,
        };
        cartie_platform::notify::notify(&self.svc, event).await?;
        Ok(())
    }

    /// Lets an account go (stale login, logout).
    pub(crate) async fn drop_account(&self, key: &AccountKey, needs_login: Option<&str>) {
        let Some(h) = self.held.lock().await.remove(key) else { return };
        if let Some(why) = needs_login {
            let _ = self.needs_login(&h.fence, why).await;
        } else {
            let _ = self.svc.store.release_tg_lease(&h.fence).await;
        }
        h.stop();
    }

    /// Writes the account's state under the fence (and keeps it in memory
    /// for the health endpoint).
    pub(crate) async fn set_state(&self, fence: &Fence, state: AccountState, error: Option<String>, flood_until: Option<i64>) -> Result<(), HostError> {
        let key = (fence.workspace_id.clone(), fence.account_id.clone());
        if let Some(h) = self.held.lock().await.get_mut(&key) {
            h.state = state;
        }
        let store = &self.svc.store;
        let Some(mut a) = store.tg_account(&fence.workspace_id, &fence.account_id).await? else { return Ok(()) };
        if a.state == state && a.last_error == error && a.flood_wait_until_ms == flood_until {
            return Ok(());
        }
        apply_state(&mut a, state, error, flood_until);
        store.save_tg_account(&a, Some(fence)).await.map_err(|e| match e {
            cartie_store::StoreError::Conflict(_) => HostError::LeaseLost,
            other => other.into(),
        })
    }

    /// A state write when the host holds no lease (a failed take-over).
    async fn set_state_unfenced(&self, ws: &str, id: &str, state: AccountState, error: Option<String>) -> Result<(), HostError> {
        let store = &self.svc.store;
        let Some(mut a) = store.tg_account(ws, id).await? else { return Ok(()) };
        apply_state(&mut a, state, error, None);
        store.save_tg_account(&a, None).await?;
        Ok(())
    }
}

fn apply_state(a: &mut TelegramAccount, state: AccountState, error: Option<String>, flood_until: Option<i64>) {
    if a.state != state {
        a.state_changed_at_ms = util::now_ms();
    }
    a.state = state;
    a.last_error = error;
    a.flood_wait_until_ms = flood_until;
    if state != AccountState::AwaitingPassword {
        a.password_hint = None;
    }
}

impl Host {
    /// The fence this host writes an account's items with (tests use it to
    /// show that a stale host's writes are refused).
    pub async fn fence_of(&self, ws: &str, id: &str) -> Option<Fence> {
        self.held.lock().await.get(&(ws.to_string(), id.to_string())).map(|h| h.fence.clone())
    }
}
