//! Commands the API addressed to this host (`TGHOST#{host}` items): login
//! steps, Inbox replies, channel lists, logouts. Each runs once and writes
//! its result with the command's removal in one transaction; a host that
//! dies before that runs it again on restart (a login step then finds no
//! login in memory and says the code must be asked for again).

use std::io::Cursor;
use std::sync::Arc;

use cartie_domain::inbox::{Direction, Message, MessageKind};
use cartie_domain::tg_accounts::{AccountState, CommandFailure, CommandResult, FollowedChannel, HostCommand, OutgoingFile};
use cartie_store::tg_accounts::QueuedCommand;
use cartie_store::util;
use grammers_client::message::InputMessage;
use grammers_client::peer::Peer;
use grammers_client::session::types::PeerId;
use grammers_client::{InvocationError, SignInError};

use crate::account::{self, flood_wait, revoked};
use crate::session::DynamoSession;
use crate::{Held, Host, HostError, Login};

/// Runs the waiting commands (each in its own task: a big upload does not
/// hold up a login).
pub async fn poll(host: &Arc<Host>) -> Result<(), HostError> {
    let cmds = host.svc.store.host_commands(&host.cfg.host_id).await?;
    let mut joins = Vec::new();
    for c in cmds {
        let host = host.clone();
        joins.push(tokio::spawn(async move {
            let result = run(&host, &c).await;
            if let Err(e) = host.svc.store.finish_host_command(&host.cfg.host_id, &c, &result).await {
                tracing::warn!(command = c.command.name(), error = %e, "result not written; the command runs again");
            }
        }));
    }
    for j in joins {
        let _ = j.await;
    }
    Ok(())
}

fn telegram_failure(e: &InvocationError) -> CommandResult {
    if let Some(secs) = flood_wait(e) {
        return CommandResult { retry_after: Some(secs), ..CommandResult::failed(CommandFailure::FloodWait, format!("Telegram asks to wait {secs} s")) };
    }
    if revoked(e) {
        return CommandResult::failed(CommandFailure::NeedsLogin, "Telegram ended this account's session: log in again");
    }
    match e {
        InvocationError::Rpc(r) if r.name == "PHONE_NUMBER_INVALID" || r.name == "PHONE_NUMBER_UNOCCUPIED" => {
            CommandResult::failed(CommandFailure::PhoneInvalid, "Telegram has no account with this number")
        }
        InvocationError::Rpc(r) if r.name.starts_with("PHONE_CODE_EXPIRED") => {
            CommandResult::failed(CommandFailure::CodeExpired, "the code has expired: ask for a new one")
        }
        InvocationError::Rpc(r) if r.code == 400 || r.code == 403 => CommandResult::failed(CommandFailure::Refused, format!("Telegram refused: {}", r.name)),
        other => CommandResult::failed(CommandFailure::Unavailable, format!("Telegram could not be reached: {other}")),
    }
}

async fn run(host: &Arc<Host>, c: &QueuedCommand) -> CommandResult {
    let outcome = match &c.command {
        HostCommand::SendCode { phone } => send_code(host, c, phone).await,
        HostCommand::SignIn { code } => sign_in(host, c, code).await,
        HostCommand::CheckPassword { password_sealed } => match host.svc.data_key.open(password_sealed) {
            Ok(p) => check_password(host, c, &p).await,
            Err(e) => Err(HostError::Telegram(e)),
        },
        HostCommand::SendMessage { chat_id, text, file, sent_by } => send_message(host, c, *chat_id, text.as_deref(), file.as_ref(), sent_by).await,
        HostCommand::RefreshChannels => refresh_channels(host, c).await,
        HostCommand::LogOut => log_out(host, c).await,
    };
    outcome.unwrap_or_else(|e| match e {
        HostError::LeaseLost => CommandResult::failed(CommandFailure::Unavailable, "the account moved to another host; try again"),
        other => CommandResult::failed(CommandFailure::Unavailable, other.to_string()),
    })
}

fn key(c: &QueuedCommand) -> (String, String) {
    (c.workspace_id.clone(), c.account_id.clone())
}

/// Starts a login: a fresh session (a re-login never reuses a revoked key),
/// then Telegram sends the code.
async fn send_code(host: &Arc<Host>, c: &QueuedCommand, phone: &str) -> Result<CommandResult, HostError> {
    let store = &host.svc.store;
    // An earlier attempt's client (same account) is replaced.
    if let Some(old) = host.held.lock().await.remove(&key(c)) {
        let _ = store.release_tg_lease(&old.fence).await;
        old.stop();
    }
    let Some(fence) = store.acquire_tg_lease(&c.workspace_id, &c.account_id, &host.cfg.host_id, host.cfg.lease_ms).await? else {
        return Ok(CommandResult::failed(CommandFailure::Unavailable, "another host is finishing this account's previous login; try again in a minute"));
    };
    let session = Arc::new(DynamoSession::fresh(store.clone(), host.svc.data_key.clone(), fence.clone()));
    account::seed(host, &session).await?;
    let (client, runner, updates) = account::connect(host, session.clone());
    let token = match client.request_login_code(phone, &host.cfg.api_hash).await {
        Ok(t) => t,
        Err(e) => {
            client.disconnect();
            runner.abort();
            store.release_tg_lease(&fence).await?;
            return Ok(telegram_failure(&e));
        }
    };
    // The updates receiver is kept until the login ends (it then feeds `follow`).
    let held = Held {
        fence: fence.clone(),
        session,
        client,
        tasks: vec![runner],
        login: Some((Login::Code(token), util::now_ms())),
        state: AccountState::AwaitingCode,
        line: None,
    };
    host.pending_updates.lock().await.insert(key(c), updates);
    host.held.lock().await.insert(key(c), held);
    host.set_state(&fence, AccountState::AwaitingCode, None, None).await?;
    Ok(CommandResult::ok())
}

async fn sign_in(host: &Arc<Host>, c: &QueuedCommand, code: &str) -> Result<CommandResult, HostError> {
    // The token is taken out so no lock is held while Telegram answers.
    let (token, at, client, fence) = {
        let mut held = host.held.lock().await;
        let Some(h) = held.get_mut(&key(c)) else { return Ok(interrupted()) };
        let Some((Login::Code(token), at)) = h.login.take() else { return Ok(interrupted()) };
        (token, at, h.client.clone(), h.fence.clone())
    };
    let put_back = |login: Login| async move {
        if let Some(h) = host.held.lock().await.get_mut(&key(c)) {
            h.login = Some((login, at));
        }
    };
    match client.sign_in(&token, code).await {
        Ok(user) => logged_in(host, c, user).await,
        Err(SignInError::PasswordRequired(pt)) => {
            let hint = pt.hint().map(str::to_string);
            put_back(Login::Password(pt)).await;
            host.set_state(&fence, AccountState::AwaitingPassword, None, None).await?;
            if let Some(mut a) = host.svc.store.tg_account(&c.workspace_id, &c.account_id).await? {
                a.password_hint = hint;
                host.svc.store.save_tg_account(&a, Some(&fence)).await?;
            }
            Ok(CommandResult::ok())
        }
        // grammers reports a wrong and an expired code alike (every PHONE_CODE_* error).
        Err(SignInError::InvalidCode) => {
            put_back(Login::Code(token)).await;
            Ok(CommandResult::failed(CommandFailure::CodeInvalid, "this is not the code Telegram sent, or it has expired: check it, or ask for a new code"))
        }
        Err(SignInError::SignUpRequired) => {
            Ok(CommandResult::failed(CommandFailure::PhoneInvalid, "this number has no Telegram account yet: sign up in the Telegram app first"))
        }
        Err(SignInError::InvalidPassword(_)) => Ok(CommandResult::failed(CommandFailure::PasswordInvalid, "wrong password")),
        Err(SignInError::Other(e)) => {
            let failure = telegram_failure(&e);
            // A wait or a glitch keeps the code usable; an expired code does not.
            if failure.failure != Some(CommandFailure::CodeExpired) {
                put_back(Login::Code(token)).await;
            }
            Ok(failure)
        }
    }
}

fn interrupted() -> CommandResult {
    CommandResult::failed(CommandFailure::CodeExpired, "the login was interrupted: ask for a new code")
}

async fn check_password(host: &Arc<Host>, c: &QueuedCommand, password: &str) -> Result<CommandResult, HostError> {
    let mut held = host.held.lock().await;
    let Some(h) = held.get_mut(&key(c)) else { return Ok(interrupted()) };
    let Some((Login::Password(pt), at)) = h.login.take() else { return Ok(interrupted()) };
    let client = h.client.clone();
    drop(held);
    match client.check_password(pt, password).await {
        Ok(user) => logged_in(host, c, user).await,
        Err(SignInError::InvalidPassword(pt)) => {
            if let Some(h) = host.held.lock().await.get_mut(&key(c)) {
                h.login = Some((Login::Password(pt), at));
            }
            Ok(CommandResult::failed(CommandFailure::PasswordInvalid, "wrong password"))
        }
        Err(SignInError::Other(e)) => Ok(telegram_failure(&e)),
        Err(_) => Ok(interrupted()),
    }
}

/// The login finished: the account record learns who it is, the session is
/// written, the hosts keep it online from now on, and this host follows
/// its updates.
async fn logged_in(host: &Arc<Host>, c: &QueuedCommand, user: grammers_client::peer::User) -> Result<CommandResult, HostError> {
    let store = &host.svc.store;
    let k = key(c);
    let line = user.id().bare_id_unchecked();
    let (fence, client, session) = {
        let mut held = host.held.lock().await;
        let Some(h) = held.get_mut(&k) else { return Ok(interrupted()) };
        h.line = Some(line);
        h.state = AccountState::Online;
        (h.fence.clone(), h.client.clone(), h.session.clone())
    };
    session.persist().await?;
    if let Some(mut a) = store.tg_account(&c.workspace_id, &c.account_id).await? {
        a.tg_user_id = Some(line);
        a.first_name = user.first_name().map(str::to_string);
        a.username = user.username().map(str::to_string);
        a.password_hint = None;
        store.save_tg_account(&a, Some(&fence)).await?;
    }
    host.set_state(&fence, AccountState::Online, None, None).await?;
    store.set_tg_wanted(&c.workspace_id, &c.account_id, true).await?;
    if let Some(updates) = host.pending_updates.lock().await.remove(&k) {
        let task = account::follow(host.clone(), k.clone(), client, updates, fence, Some(line));
        if let Some(h) = host.held.lock().await.get_mut(&k) {
            h.tasks.push(task);
        }
    }
    let _ = refresh_channels(host, c).await;
    Ok(CommandResult::ok())
}

/// A manager's reply from the Inbox, sent as the account and stored in the
/// conversation with what Telegram answered.
async fn send_message(
    host: &Arc<Host>,
    c: &QueuedCommand,
    chat_id: i64,
    text: Option<&str>,
    file: Option<&OutgoingFile>,
    sent_by: &str,
) -> Result<CommandResult, HostError> {
    let (client, fence, line, session) = {
        let held = host.held.lock().await;
        let Some(h) = held.get(&key(c)) else {
            return Ok(CommandResult::failed(CommandFailure::Unavailable, "the account is not online on this host; try again"));
        };
        let Some(line) = h.line else { return Ok(CommandResult::failed(CommandFailure::NeedsLogin, "the account has not finished its login")) };
        (h.client.clone(), h.fence.clone(), line, h.session.clone())
    };
    use grammers_client::session::Session;
    let Some(peer) = session.peer_ref(PeerId::user_unchecked(chat_id)).await? else {
        return Ok(CommandResult::failed(CommandFailure::Refused, "this account has not talked to the buyer yet, so Telegram cannot be asked to deliver"));
    };
    let mut input = InputMessage::new().text(text.unwrap_or_default());
    let mut kind = MessageKind::Text;
    let mut stored_name = None;
    if let Some(f) = file {
        let files = &host.svc.files;
        let Some(stored) = files.file(&c.workspace_id, &f.file_id).await? else {
            return Ok(CommandResult::failed(CommandFailure::Refused, "the attached file is gone"));
        };
        let bytes = files.read(&stored, None).await?;
        let uploaded = match client.upload_stream(&mut Cursor::new(&bytes), bytes.len(), f.name.clone()).await {
            Ok(u) => u,
            Err(e) => return Ok(CommandResult::failed(CommandFailure::Unavailable, format!("upload failed: {e}"))),
        };
        (input, kind) = if f.as_photo { (input.photo(uploaded), MessageKind::Photo) } else { (input.document(uploaded), MessageKind::Document) };
        stored_name = Some((f.name.clone(), stored.content_type.clone(), bytes.len() as i64, format!("{}{}", account::STORED_FILE, stored.id)));
    }
    let sent = match client.send_message(peer, input).await {
        Ok(m) => m,
        Err(e) => return Ok(telegram_failure(&e)),
    };
    let body = Some(text.unwrap_or_default().to_string()).filter(|t| !t.is_empty());
    let mut msg = Message {
        message_id: i64::from(sent.id()),
        direction: Direction::Out,
        sent_by: Some(sent_by.to_string()),
        ..Message::incoming(line, chat_id, kind, sent.date().as_millisecond(), None)
    };
    match stored_name {
        Some((name, mime, size, file_id)) => {
            msg.caption = body;
            msg.file_name = Some(name);
            msg.mime_type = mime;
            msg.file_size = Some(size);
            msg.file_id = Some(file_id);
        }
        None => msg.text = body,
    }
    let how = cartie_store::inbox::Recording { fence: Some(&fence), ..Default::default() };
    let seq = match host.svc.store.record_message_with(&c.workspace_id, &msg, how).await?.0 {
        cartie_store::inbox::Recorded::New(s) => s,
        cartie_store::inbox::Recorded::Duplicate(s) => s.unwrap_or(0),
    };
    let json = serde_json::to_string(&Message { seq, ..msg }).map_err(|e| HostError::Telegram(e.to_string()))?;
    Ok(CommandResult { sent: Some(json), ..CommandResult::ok() })
}

/// Lists the channels and groups the account follows (kept with each one's
/// source flag).
async fn refresh_channels(host: &Arc<Host>, c: &QueuedCommand) -> Result<CommandResult, HostError> {
    let (client, fence) = {
        let held = host.held.lock().await;
        let Some(h) = held.get(&key(c)) else {
            return Ok(CommandResult::failed(CommandFailure::Unavailable, "the account is not online on this host; try again"));
        };
        (h.client.clone(), h.fence.clone())
    };
    let mut dialogs = client.iter_dialogs();
    let mut listed = Vec::new();
    loop {
        match dialogs.next().await {
            Ok(Some(d)) => match d.peer() {
                Peer::Channel(ch) => listed.push(FollowedChannel {
                    id: ch.id().bare_id_unchecked(),
                    title: ch.title().to_string(),
                    username: ch.username().map(str::to_string),
                    group: false,
                    source: false,
                }),
                Peer::Group(g) => listed.push(FollowedChannel {
                    id: g.id().bare_id_unchecked(),
                    title: g.title().unwrap_or_default().to_string(),
                    username: g.username().map(str::to_string),
                    group: true,
                    source: false,
                }),
                Peer::Community(g) => {
                    listed.push(FollowedChannel { id: g.id().bare_id_unchecked(), title: g.title().to_string(), username: None, group: true, source: false })
                }
                Peer::User(_) => {}
            },
            Ok(None) => break,
            Err(e) => return Ok(telegram_failure(&e)),
        }
    }
    host.svc.store.save_tg_channels(&fence, &listed).await?;
    Ok(CommandResult::ok())
}

/// Logs out at Telegram (best effort) and lets the account go; the API
/// then forgets it.
async fn log_out(host: &Arc<Host>, c: &QueuedCommand) -> Result<CommandResult, HostError> {
    let held = host.held.lock().await.remove(&key(c));
    if let Some(h) = held {
        if let Err(e) = h.client.sign_out().await {
            tracing::info!(error = %e, "log out at Telegram failed; the session is forgotten anyway");
        }
        let _ = host.svc.store.release_tg_lease(&h.fence).await;
        h.stop();
    }
    host.pending_updates.lock().await.remove(&key(c));
    Ok(CommandResult::ok())
}
