//! What can stop the bot runtime, and what the caller should do about it.

use cartie_store::StoreError;
use cartie_telegram::TgError;

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Telegram rate-limits this bot for this many seconds: try the whole
    /// step again after that (never slept inside an invocation).
    #[error("Telegram asks this bot to wait {0} s")]
    RetryAfter(u32),
    #[error("Telegram: {0}")]
    Telegram(#[source] TgError),
    /// Another worker holds this update right now.
    #[error("update {0} is being processed by another worker")]
    Busy(i64),
    /// A stored record (session, version) that does not parse: a bug or a
    /// schema drift, surfaced rather than dropped.
    #[error("a stored record does not parse: {0}")]
    Corrupt(String),
    /// The queued message itself is not something this runtime takes.
    #[error("not a queued update or job: {0}")]
    Malformed(String),
    /// The data key cannot open a sealed secret (a rotated key?).
    #[error("a sealed secret cannot be opened: {0}")]
    Sealed(String),
}

impl BotError {
    /// Trying the same message again later can succeed.
    pub fn retryable(&self) -> bool {
        match self {
            BotError::Store(e) => e.retryable(),
            BotError::RetryAfter(_) | BotError::Busy(_) => true,
            BotError::Telegram(TgError::Network(_)) => true,
            BotError::Telegram(_) | BotError::Corrupt(_) | BotError::Malformed(_) | BotError::Sealed(_) => false,
        }
    }

    /// How long to wait before that retry, when Telegram said.
    pub fn wait_secs(&self) -> Option<u32> {
        match self {
            BotError::RetryAfter(s) => Some(*s),
            _ => None,
        }
    }
}

impl From<TgError> for BotError {
    fn from(e: TgError) -> BotError {
        match e {
            TgError::RetryAfter(s) => BotError::RetryAfter(s),
            other => BotError::Telegram(other),
        }
    }
}

impl cartie_platform::consumer::WorkError for BotError {
    fn retryable(&self) -> bool {
        BotError::retryable(self)
    }
    fn wait_secs(&self) -> Option<u32> {
        BotError::wait_secs(self)
    }
}
