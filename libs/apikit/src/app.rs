//! What a function needs to serve requests, built once per Lambda instance
//! (during init, so the first request does not pay for it).

use crate::auth::TokenKey;
use cartie_store::{Aws, Queues, Settings, Store};

#[derive(Clone, Debug, serde::Serialize)]
pub struct BuildInfo {
    pub git_sha: &'static str,
    pub build_time: String,
    /// The migration ledger version this code expects.
    pub schema_version: u32,
}

impl BuildInfo {
    pub fn current() -> BuildInfo {
        let epoch: i64 = env!("CARTIE_BUILD_EPOCH").parse().unwrap_or(0);
        BuildInfo {
            git_sha: env!("CARTIE_GIT_SHA"),
            build_time: cartie_store::util::rfc3339(epoch * 1000),
            schema_version: cartie_migrations::LATEST,
        }
    }
}

#[derive(Clone)]
pub struct App {
    pub aws: Aws,
    pub settings: Settings,
    pub store: Store,
    pub queues: Queues,
    pub tokens: TokenKey,
    pub build: BuildInfo,
}

impl App {
    pub fn new(aws: Aws, settings: Settings, jwt_secret: &[u8]) -> Result<App, String> {
        Ok(App {
            store: Store::new(&aws, &settings),
            queues: Queues::new(&aws, &settings),
            tokens: TokenKey::new(jwt_secret)?,
            build: BuildInfo::current(),
            aws,
            settings,
        })
    }

    /// Reads `CARTIE_JWT_SECRET` (required, ≥ 32 bytes), the table and queue
    /// names, and the AWS endpoint from the environment.
    pub async fn from_env() -> Result<App, String> {
        let secret = std::env::var("CARTIE_JWT_SECRET")
            .map_err(|_| "CARTIE_JWT_SECRET is not set: it signs login tokens and must be at least 32 bytes".to_string())?;
        App::new(Aws::from_env().await, Settings::from_env(), secret.as_bytes())
    }
}
