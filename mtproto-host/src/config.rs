//! The host's settings, read once at start from the environment.

use std::net::SocketAddr;

/// Where a new login's connection goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DcSource {
    /// Telegram itself: grammers makes the auth key with Telegram's DCs.
    Telegram,
    /// The sandbox's fake MTProto server. grammers trusts only Telegram's
    /// RSA keys, so no key exchange can succeed against a fake: a new
    /// login gets an auth key registered with the fake through its HTTP
    /// hook (`{hooks_url}/auth_keys`) and written into the session.
    Sandbox { hooks_url: String },
}

#[derive(Debug, Clone)]
pub struct HostConfig {
    /// Unique per process (a container's task id, or random).
    pub host_id: String,
    /// Telegram's `api_id` / `api_hash` of the Cartie app.
    pub api_id: i32,
    pub api_hash: String,
    /// How long a lease lasts without a heartbeat (30 s in production; a
    /// dead host's accounts move within this).
    pub lease_ms: i64,
    pub heartbeat_ms: u64,
    /// How often the host looks for commands addressed to it.
    pub poll_ms: u64,
    /// Accounts connecting at once at start.
    pub connect_concurrency: usize,
    pub dc: DcSource,
    /// The health endpoint (`GET /health`).
    pub health_addr: Option<SocketAddr>,
}

impl HostConfig {
    /// `CARTIE_TG_API_ID`, `CARTIE_HOST_ID` (default:
    /// random), `CARTIE_LEASE_MS` (30000), `CARTIE_HOST_POLL_MS` (250),
    /// `CARTIE_MTPROTO_SANDBOX_URL` (the sandbox's hooks; unset means
    /// Telegram), `CARTIE_HEALTH_ADDR` (`0.0.0.0:8080`).
    /// `api_hash` is a secret, read by the caller (Secrets Manager).
    pub fn from_env(api_hash: String) -> Result<HostConfig, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let api_id = var("CARTIE_TG_API_ID").ok_or("CARTIE_TG_API_ID is not set (my.telegram.org → API development tools)")?;
        let api_id: i32 = api_id.trim().parse().map_err(|_| "CARTIE_TG_API_ID must be a number")?;
        let lease_ms: i64 = var("CARTIE_LEASE_MS").and_then(|v| v.parse().ok()).unwrap_or(30_000);
        let dc = match var("CARTIE_MTPROTO_SANDBOX_URL") {
            Some(u) => DcSource::Sandbox { hooks_url: u.trim_end_matches('/').to_string() },
            None => DcSource::Telegram,
        };
        Ok(HostConfig {
            host_id: var("CARTIE_HOST_ID").unwrap_or_else(cartie_store::util::new_id),
            api_id,
            api_hash,
            lease_ms,
            heartbeat_ms: (lease_ms / 3).max(100) as u64,
            poll_ms: var("CARTIE_HOST_POLL_MS").and_then(|v| v.parse().ok()).unwrap_or(250),
            connect_concurrency: 8,
            dc,
            health_addr: Some(var("CARTIE_HEALTH_ADDR").unwrap_or_else(|| "0.0.0.0:8080".into()).parse().map_err(|_| "CARTIE_HEALTH_ADDR must be host:port")?),
        })
    }

    /// Settings for tests and the local runtime: short leases, fast polls,
    /// the sandbox.
    pub fn local(host_id: &str, hooks_url: &str, lease_ms: i64) -> HostConfig {
        HostConfig {
            host_id: host_id.into(),
            api_id: 1,
            api_hash: "sandbox".into(),
            lease_ms,
            heartbeat_ms: (lease_ms / 3).max(100) as u64,
            poll_ms: 100,
            connect_concurrency: 8,
            dc: DcSource::Sandbox { hooks_url: hooks_url.trim_end_matches('/').to_string() },
            health_addr: None,
        }
    }
}
