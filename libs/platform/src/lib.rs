//! What every Cartie process needs, built once per instance (during Lambda
//! init, so the first request does not pay for it): the AWS clients, the
//! table, queues and file store, the Telegram client, the key that seals secrets at
//! rest, and what build this is. HTTP functions, queue workers, the bot
//! runtime and the user-account host all start from [`Services`].
//!
//! It owns no business rules and no HTTP: those are `cartie-domain`,
//! `cartie-bot` and `cartie-apikit`.

pub mod campaigns;
pub mod consumer;
pub mod later;
pub mod matching;
pub mod notify;

use cartie_store::files::Files;
use cartie_store::sealed::DataKey;
use cartie_store::{Aws, Queues, Settings, Store};
use cartie_telegram::Telegram;

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
        BuildInfo { git_sha: env!("CARTIE_GIT_SHA"), build_time: cartie_store::util::rfc3339(epoch * 1000), schema_version: cartie_migrations::LATEST }
    }
}

/// Storage, queues, files, Telegram and the key that seals secrets at rest.
#[derive(Clone)]
pub struct Services {
    pub aws: Aws,
    pub settings: Settings,
    pub store: Store,
    pub queues: Queues,
    pub files: Files,
    pub telegram: Telegram,
    pub data_key: DataKey,
    /// Where Telegram reaches this deployment (`CARTIE_PUBLIC_URL`), for
    /// webhooks: `{public_url}/tg/{bot_id}`.
    pub public_url: Option<String>,
    pub build: BuildInfo,
    /// Addresses the vehicle-page parser may fetch although they are not
    /// public (`CARTIE_PARSER_ALLOW_HOSTS`, comma-separated IPs). Only for
    /// local test pages; empty on AWS.
    pub parser_allow_hosts: Vec<std::net::IpAddr>,
}

impl Services {
    pub fn new(aws: Aws, settings: Settings, data_key: DataKey, telegram: Telegram, public_url: Option<String>) -> Services {
        Services {
            store: Store::new(&aws, &settings),
            queues: Queues::new(&aws, &settings),
            files: Files::new(&aws, &settings),
            telegram,
            data_key,
            public_url: public_url.map(|u| u.trim_end_matches('/').to_string()),
            build: BuildInfo::current(),
            parser_allow_hosts: std::env::var("CARTIE_PARSER_ALLOW_HOSTS").unwrap_or_default().split(',').filter_map(|s| s.trim().parse().ok()).collect(),
            aws,
            settings,
        }
    }

    /// Reads the data key from Secrets Manager (`CARTIE_DATA_KEY_SECRET_ID`),
    /// `CARTIE_TELEGRAM_API_URL` (the sandbox locally; unset means
    /// Telegram), `CARTIE_PUBLIC_URL`, the table, queue and bucket names,
    /// and the AWS endpoint. Once, at init.
    pub async fn from_env() -> Result<Services, String> {
        let aws = Aws::from_env().await;
        let key = secret(&aws, "CARTIE_DATA_KEY", "a random secret of at least 32 characters that seals bot tokens at rest").await?;
        Ok(Services::new(
            aws,
            Settings::from_env(),
            DataKey::from_secret(&key)?,
            Telegram::from_env()?,
            std::env::var("CARTIE_PUBLIC_URL").ok().filter(|s| !s.is_empty()),
        ))
    }
}

/// A secret read once at init: from Secrets Manager when `{NAME}_SECRET_ID`
/// names it (how every deployed function gets its keys: the function's
/// configuration holds only the secret's id, never its value), else from
/// the environment variable `NAME` itself (a developer's machine).
pub async fn secret(aws: &Aws, name: &str, what: &str) -> Result<String, String> {
    match std::env::var(format!("{name}_SECRET_ID")) {
        Ok(id) => read_secret(aws, &id).await,
        Err(_) => std::env::var(name).map_err(|_| format!("{name}_SECRET_ID (or, on a developer's machine, {name}) is not set: {what}")),
    }
}

/// A secret's value from Secrets Manager, by id or ARN.
pub async fn read_secret(aws: &Aws, id: &str) -> Result<String, String> {
    let out =
        aws.secrets.get_secret_value().secret_id(id).send().await.map_err(|e| format!("cannot read the secret {id}: {}", cartie_store::StoreError::aws(e)))?;
    out.secret_string.filter(|s| !s.is_empty()).ok_or_else(|| format!("the secret {id} is empty"))
}

/// Logs as JSON in Lambda, readable text locally.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if std::env::var("AWS_LAMBDA_FUNCTION_NAME").is_ok() {
        let _ = tracing_subscriber::fmt().json().with_env_filter(filter).without_time().try_init();
    } else {
        let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
    }
}
