//! Telegram user accounts: a dealer's own Telegram account that Cartie keeps
//! online (the `mtproto-host` service), its login steps and state, the
//! commands the API hands to the host that holds it, and their results.
//!
//! Pure: the records and the rules (a phone number, a login code), no I/O.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Where an account stands, as the Telegram accounts page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountState {
    /// Telegram sent a login code; the dealer types it next.
    AwaitingCode,
    /// The account has two-step verification: its password comes next.
    AwaitingPassword,
    /// Logged in; a host is connecting it.
    Connecting,
    /// Connected and receiving messages.
    Online,
    /// The connection dropped; the host is reconnecting with backoff.
    Reconnecting,
    /// The session was revoked (logged out from another device) or the
    /// login was never finished: log in again.
    NeedsLogin,
    /// Telegram asked to wait (`flood_wait_until_ms`) before the next call.
    FloodWait,
    /// No host holds it (between a host's death and another's take-over).
    Offline,
}

impl AccountState {
    /// Accounts the hosts keep online (those with a finished login).
    pub fn wanted_online(self) -> bool {
        matches!(self, AccountState::Connecting | AccountState::Online | AccountState::Reconnecting | AccountState::FloodWait | AccountState::Offline)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::AwaitingCode => "awaiting_code",
            AccountState::AwaitingPassword => "awaiting_password",
            AccountState::Connecting => "connecting",
            AccountState::Online => "online",
            AccountState::Reconnecting => "reconnecting",
            AccountState::NeedsLogin => "needs_login",
            AccountState::FloodWait => "flood_wait",
            AccountState::Offline => "offline",
        }
    }
}

/// One connected (or connecting) Telegram account of a workspace. Holds no
/// secret: the session (auth key) is a separate sealed item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TelegramAccount {
    pub workspace_id: String,
    /// Cartie's id (the Telegram user id is only known after the login).
    pub id: String,
    /// `+` and digits.
    pub phone: String,
    pub first_name: Option<String>,
    pub username: Option<String>,
    pub tg_user_id: Option<i64>,
    pub state: AccountState,
    pub password_hint: Option<String>,
    pub flood_wait_until_ms: Option<i64>,
    /// Why it needs a login, or the last connection error.
    pub last_error: Option<String>,
    pub state_changed_at_ms: i64,
    pub created_at_ms: i64,
    /// Channels whose posts become draft cars.
    #[serde(default)]
    pub sources: u32,
}

impl TelegramAccount {
    /// A new account whose login just started (awaiting its code).
    pub fn starting_login(workspace_id: &str, id: String, phone: String, now_ms: i64) -> TelegramAccount {
        TelegramAccount {
            workspace_id: workspace_id.into(),
            id,
            phone,
            first_name: None,
            username: None,
            tg_user_id: None,
            state: AccountState::AwaitingCode,
            password_hint: None,
            flood_wait_until_ms: None,
            last_error: None,
            state_changed_at_ms: now_ms,
            created_at_ms: now_ms,
            sources: 0,
        }
    }

    /// The name the Inbox shows for conversations through this account.
    pub fn label(&self) -> String {
        match (&self.username, &self.first_name) {
            (Some(u), _) => format!("@{u}"),
            (None, Some(n)) => format!("{n} ({})", self.phone),
            (None, None) => self.phone.clone(),
        }
    }
}

/// A phone number as Telegram takes it: `+` then 7 to 15 digits; spaces,
/// dashes, dots and brackets are dropped.
pub fn check_phone(raw: &str) -> Result<String, FieldError> {
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let allowed = raw.chars().all(|c| c.is_ascii_digit() || " +-.()".contains(c));
    if !allowed || !(7..=15).contains(&digits.len()) || raw.matches('+').count() > 1 {
        return Err(FieldError::new("phone", "write the number with its country code, like +380 50 123 45 67"));
    }
    Ok(format!("+{digits}"))
}

/// A login code: the digits Telegram sent (5 or 6, spaces allowed).
pub fn check_code(raw: &str) -> Result<String, FieldError> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if code.is_empty() || code.len() > 10 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new("code", "type the digits Telegram sent you"));
    }
    Ok(code)
}

/// A two-step verification password: not empty, at most 256 characters.
pub fn check_password(raw: &str) -> Result<String, FieldError> {
    if raw.is_empty() || raw.chars().count() > 256 {
        return Err(FieldError::new("password", "type the account's two-step verification password"));
    }
    Ok(raw.to_string())
}

/// A file a manager sends as the account (already in Cartie's file store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingFile {
    pub file_id: String,
    pub name: String,
    /// `photo` or `document`.
    pub as_photo: bool,
}

/// What the API asks the host holding an account to do. Every step of one
/// login goes to the same host: grammers' login token lives in its memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HostCommand {
    /// Start (or restart) a login: ask Telegram for a code.
    SendCode {
        phone: String,
    },
    SignIn {
        code: String,
    },
    CheckPassword {
        password_sealed: String,
    },
    /// A manager's reply from the Inbox, sent as the account.
    SendMessage {
        chat_id: i64,
        text: Option<String>,
        file: Option<OutgoingFile>,
        sent_by: String,
    },
    /// List the followed channels and groups again.
    RefreshChannels,
    /// Log out at Telegram and forget the session.
    LogOut,
}

impl HostCommand {
    pub fn name(&self) -> &'static str {
        match self {
            HostCommand::SendCode { .. } => "send_code",
            HostCommand::SignIn { .. } => "sign_in",
            HostCommand::CheckPassword { .. } => "check_password",
            HostCommand::SendMessage { .. } => "send_message",
            HostCommand::RefreshChannels => "refresh_channels",
            HostCommand::LogOut => "log_out",
        }
    }
}

/// Why a command failed, as the API tells the dealer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandFailure {
    PhoneInvalid,
    CodeInvalid,
    CodeExpired,
    PasswordInvalid,
    FloodWait,
    /// The account needs a new login (revoked, never finished).
    NeedsLogin,
    /// The buyer cannot be written to (blocked, privacy).
    Refused,
    /// Telegram or the network failed; trying again may work.
    Unavailable,
}

/// The outcome of one command, written by the host for the API to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandResult {
    pub ok: bool,
    pub failure: Option<CommandFailure>,
    pub message: Option<String>,
    /// Seconds, with `FloodWait`.
    pub retry_after: Option<i64>,
    /// The stored message of a `SendMessage` (JSON of an Inbox message).
    pub sent: Option<String>,
}

impl CommandResult {
    pub fn ok() -> CommandResult {
        CommandResult { ok: true, failure: None, message: None, retry_after: None, sent: None }
    }

    pub fn failed(failure: CommandFailure, message: impl Into<String>) -> CommandResult {
        CommandResult { ok: false, failure: Some(failure), message: Some(message.into()), retry_after: None, sent: None }
    }
}

/// A channel or group the account follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedChannel {
    pub id: i64,
    pub title: String,
    pub username: Option<String>,
    /// A group (people talk) rather than a broadcast channel.
    pub group: bool,
    /// Its posts become draft cars.
    #[serde(default)]
    pub source: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phones_keep_their_digits() {
        assert_eq!(check_phone("+380 (50) 123-45-67").unwrap(), "+380501234567");
        assert_eq!(check_phone("380501234567").unwrap(), "+380501234567");
        for bad in ["", "+12", "+380 50 abc", "++380501234567", "1234567890123456"] {
            assert_eq!(check_phone(bad).unwrap_err().field, "phone", "{bad}");
        }
    }

    #[test]
    fn codes_are_digits() {
        assert_eq!(check_code(" 12 345 ").unwrap(), "12345");
        assert!(check_code("12a45").is_err());
        assert!(check_code("").is_err());
    }

    #[test]
    fn commands_round_trip() {
        let c = HostCommand::SendMessage { chat_id: 5, text: Some("hi".into()), file: None, sent_by: "a@b.c".into() };
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"type\":\"send_message\""));
        assert_eq!(serde_json::from_str::<HostCommand>(&json).unwrap(), c);
    }

    proptest! {
        #[test]
        fn checks_never_panic(s in "\\PC*") {
            let _ = check_phone(&s);
            let _ = check_code(&s);
            let _ = check_password(&s);
            let _ = serde_json::from_str::<HostCommand>(&s);
        }
    }
}
