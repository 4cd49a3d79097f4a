//! The dealer's own Telegram accounts: the login wizard's steps (phone,
//! code, two-step password), the list with each account's state, removal,
//! and which followed channels feed the stock. The work itself happens in
//! the MTProto host holding the account; these handlers check the input,
//! hand the step over ([`cartie_apikit::hosts::ask`]) and answer the
//! account as it now stands.

use cartie_apikit::dto::{
    ConnectTelegramAccountRequest, TelegramAccountList, TelegramAccountView, TelegramChannelList, TelegramChannelView, TelegramCodeRequest,
    TelegramPasswordRequest,
};
use cartie_apikit::hosts::{ask, Addressee};
use cartie_apikit::ops::TelegramOp;
use cartie_apikit::{http::no_content, json, json_status, ApiError, App, Body, Ctx, Response, StatusCode};
use cartie_domain::tg_accounts::{self as accounts, AccountState, HostCommand, TelegramAccount};
use cartie_store::{util, StoreError};

async fn account(app: &App, ws: &str, id: &str) -> Result<TelegramAccount, ApiError> {
    app.store.tg_account(ws, id).await?.ok_or_else(|| ApiError::not_found("no such Telegram account"))
}

async fn view(app: &App, ws: &str, id: &str) -> Result<TelegramAccountView, ApiError> {
    Ok(TelegramAccountView::from(&account(app, ws, id).await?))
}

pub async fn list(app: &App, ctx: &Ctx<TelegramOp>) -> Result<Response<Body>, ApiError> {
    let mut items = app.store.tg_accounts(ctx.ws()?).await?;
    items.sort_by_key(|a| a.created_at_ms);
    json(&TelegramAccountList { items: items.iter().map(TelegramAccountView::from).collect() })
}

/// Step 1: a number. A number the workspace already has logs that account
/// in again (a revoked session, a new device); a new one is created.
pub async fn connect(app: &App, ctx: &Ctx<TelegramOp>, body: &ConnectTelegramAccountRequest) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let phone = accounts::check_phone(&body.phone)?;
    let existing = app.store.tg_accounts(ws).await?.into_iter().find(|a| a.phone == phone);
    let (a, created) = match existing {
        Some(a) if a.state == AccountState::Online => {
            return Err(ApiError::conflict("this account is already connected and online").field("phone"));
        }
        Some(a) => (a, false),
        None => {
            let a = TelegramAccount::starting_login(ws, util::new_id(), phone.clone(), util::now_ms());
            app.store.create_tg_account(&a).await?;
            (a, true)
        }
    };
    if let Err(e) = ask(app, ws, &a.id, &HostCommand::SendCode { phone }, Addressee::AnyLive).await {
        // A number Telegram refused leaves nothing behind.
        if created {
            app.store.delete_tg_account(ws, &a.id).await?;
        }
        return Err(e);
    }
    json_status(StatusCode::CREATED, &view(app, ws, &a.id).await?)
}

pub async fn resend(app: &App, ctx: &Ctx<TelegramOp>, id: &str) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let a = account(app, ws, id).await?;
    if !cartie_store::tg_accounts::in_login(a.state) {
        return Err(ApiError::conflict("this account is not logging in"));
    }
    ask(app, ws, id, &HostCommand::SendCode { phone: a.phone.clone() }, Addressee::AnyLive).await?;
    json(&view(app, ws, id).await?)
}

pub async fn code(app: &App, ctx: &Ctx<TelegramOp>, id: &str, body: &TelegramCodeRequest) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let code = accounts::check_code(&body.code)?;
    if account(app, ws, id).await?.state != AccountState::AwaitingCode {
        return Err(ApiError::conflict("this account is not waiting for a code"));
    }
    ask(app, ws, id, &HostCommand::SignIn { code }, Addressee::Holder).await?;
    json(&view(app, ws, id).await?)
}

pub async fn password(app: &App, ctx: &Ctx<TelegramOp>, id: &str, body: &TelegramPasswordRequest) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    let password = accounts::check_password(&body.password)?;
    if account(app, ws, id).await?.state != AccountState::AwaitingPassword {
        return Err(ApiError::conflict("this account is not waiting for its password"));
    }
    // Sealed on its way through the table; the host opens it and forgets it.
    let sealed = app.data_key.seal(&password);
    ask(app, ws, id, &HostCommand::CheckPassword { password_sealed: sealed }, Addressee::Holder).await?;
    json(&view(app, ws, id).await?)
}

/// Logs out at Telegram when the account's host answers; forgets the
/// account either way (its conversations stay in the Inbox).
pub async fn remove(app: &App, ctx: &Ctx<TelegramOp>, id: &str) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    account(app, ws, id).await?;
    if let Err(e) = ask(app, ws, id, &HostCommand::LogOut, Addressee::Holder).await {
        tracing::info!(account = id, error = %e.message, "no host logged the account out; forgetting it anyway");
    }
    match app.store.delete_tg_account(ws, id).await {
        Ok(()) | Err(StoreError::NotFound) => no_content(),
        Err(e) => Err(e.into()),
    }
}

/// The followed channels, listed again by the host when the account is
/// online (else as last listed).
pub async fn channels(app: &App, ctx: &Ctx<TelegramOp>, id: &str) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    if account(app, ws, id).await?.state == AccountState::Online {
        if let Err(e) = ask(app, ws, id, &HostCommand::RefreshChannels, Addressee::Holder).await {
            tracing::info!(account = id, error = %e.message, "channels not refreshed; answering the last list");
        }
    }
    let mut items = app.store.tg_channels(ws, id).await?;
    items.sort_by_key(|c| c.title.to_lowercase());
    json(&TelegramChannelList { items: items.iter().map(TelegramChannelView::from).collect() })
}

pub async fn set_source(app: &App, ctx: &Ctx<TelegramOp>, id: &str, channel_id: i64, source: bool) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    account(app, ws, id).await?;
    let c = app.store.set_tg_channel_source(ws, id, channel_id, source).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("this account does not follow that channel"),
        other => other.into(),
    })?;
    json(&TelegramChannelView::from(&c))
}
