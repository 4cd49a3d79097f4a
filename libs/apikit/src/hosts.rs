//! Asking the MTProto host that holds a Telegram account to do something
//! (a login step, a reply, a channel list) and waiting for its answer.
//!
//! Every step of one login must reach the same host (grammers' login token
//! lives in its memory), so a command goes to the account's lease holder;
//! only a first step may go to any live host (the one with the fewest
//! accounts). The command is an item under the host's partition, which it
//! polls; its result is an item the API reads back (a few reads 100 ms
//! apart, at most [`ASK_TIMEOUT`], under API Gateway's 29 s).

use std::time::Duration;

use cartie_domain::tg_accounts::{CommandFailure, CommandResult, HostCommand};
use cartie_store::util;

use crate::{ApiError, App, StatusCode};

/// The longest a request waits for a host's answer.
pub const ASK_TIMEOUT: Duration = Duration::from_secs(25);

/// Which host may take the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// Only the host holding the account (a login's later steps, replies).
    Holder,
    /// The holder if it is alive, else the live host with fewest accounts
    /// (a login's first step).
    AnyLive,
}

/// Sends `command` for the account and waits for the result; a failure
/// becomes the API error a dealer can act on (the field to correct, a wait).
pub async fn ask(app: &App, ws: &str, account_id: &str, command: &HostCommand, to: Addressee) -> Result<CommandResult, ApiError> {
    let store = &app.store;
    let now = util::now_ms();
    let lease = store.tg_lease(ws, account_id).await?.ok_or_else(|| ApiError::not_found("no such Telegram account"))?;
    let holder = lease.holder.clone().filter(|_| lease.lease_until_ms > now);
    let host = match (holder, to) {
        (Some(h), _) => h,
        (None, Addressee::AnyLive) => match store.live_hosts().await?.into_iter().next() {
            Some(h) => h.host,
            None => return Err(no_host()),
        },
        (None, Addressee::Holder) => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "account_offline",
                "no host holds this account right now: it reconnects within a minute; try again",
            ))
        }
    };
    let id = store.send_host_command(&host, ws, account_id, command).await?;
    let started = std::time::Instant::now();
    loop {
        if let Some(r) = store.command_result(ws, account_id, &id).await? {
            return if r.ok { Ok(r) } else { Err(failure(&r)) };
        }
        if started.elapsed() > ASK_TIMEOUT {
            return Err(ApiError::new(StatusCode::GATEWAY_TIMEOUT, "host_timeout", "the account service did not answer in time; try again"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn no_host() -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "no_host", "the account service is not running; try again in a minute")
}

/// A host's failure as the API's error.
pub fn failure(r: &CommandResult) -> ApiError {
    let message = r.message.clone().unwrap_or_else(|| "the account service failed".into());
    match r.failure.unwrap_or(CommandFailure::Unavailable) {
        CommandFailure::PhoneInvalid => ApiError::invalid("phone", message),
        CommandFailure::CodeInvalid => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "code_invalid", message).field("code"),
        CommandFailure::CodeExpired => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "code_expired", message).field("code"),
        CommandFailure::PasswordInvalid => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "password_invalid", message).field("password"),
        CommandFailure::FloodWait => {
            let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "flood_wait", message);
            e.retry_after = r.retry_after;
            e
        }
        CommandFailure::NeedsLogin => ApiError::new(StatusCode::CONFLICT, "needs_login", message),
        CommandFailure::Refused => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "telegram_refused", message),
        CommandFailure::Unavailable => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message),
    }
}
