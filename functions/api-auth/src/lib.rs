//! `api-auth`: log in, who am I, and joining a workspace by invite link.
//! Login failures are throttled per account and per IP address.

use cartie_apikit::auth::{decoy_hash, hash_password, verify_password, Claims, TOKEN_TTL_SECS};
use cartie_apikit::dto::{
    AcceptInviteRequest, ChangePasswordRequest, InvitePreview, LoginRequest, Me, NewPasswordRequest, PasswordResetPreview, PasswordResetRequest, Session,
    UpdateMeRequest, WorkspaceView,
};
use cartie_apikit::http::no_content;
use cartie_apikit::ops::AuthOp;
use cartie_apikit::{authorize, json, ApiError, App, Body, Caller, Ctx, Request, Response, StatusCode};
use cartie_domain::jobs::Job;
use cartie_domain::{validate, Role};
use cartie_store::team::Login;
use cartie_store::{util, Store, StoreError};

/// Failed logins allowed per account, and per IP, in one window.
pub const ACCOUNT_FAILURES: u32 = 5;
pub const IP_FAILURES: u32 = 30;
pub const WINDOW_SECS: i64 = 15 * 60;
/// "Forgot password?" requests allowed per account, and per IP, per hour:
/// each one that finds a linked Telegram sends a message there.
pub const RESET_REQUESTS: u32 = 3;
pub const RESET_IP_REQUESTS: u32 = 20;
pub const RESET_WINDOW_SECS: i64 = 3600;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<AuthOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<AuthOp>) -> Result<Response<Body>, ApiError> {
    match &ctx.op {
        AuthOp::Login { body } => login(app, &ctx, body).await,
        AuthOp::Me {} => {
            let c = ctx.caller()?;
            json(&me(&app.store, c, None).await?)
        }
        AuthOp::UpdateMe { body } => update_me(app, &ctx, body).await,
        AuthOp::ChangePassword { body } => change_password(app, &ctx, body).await,
        AuthOp::InvitePreview { token } => invite_preview(app, token).await,
        AuthOp::AcceptInvite { token, body } => accept_invite(app, token, body).await,
        AuthOp::RequestPasswordReset { body } => request_reset(app, &ctx, body).await,
        AuthOp::PasswordResetPreview { token } => {
            let r = app.store.password_reset(token).await?.ok_or_else(link_gone)?;
            json(&PasswordResetPreview { email: r.email, expires_at: util::rfc3339(r.expires_at * 1000) })
        }
        AuthOp::UsePasswordReset { token, body } => use_reset(app, token, body).await,
    }
}

fn link_gone() -> ApiError {
    ApiError::not_found("this link is unknown, used or expired: ask for a new one")
}

/// Who the caller is: their account's language and their workspace (with
/// its time zone). `login` when the caller already has it.
async fn me(store: &Store, c: &Caller, login: Option<&Login>) -> Result<Me, ApiError> {
    let workspace = match c.workspace_id.as_deref() {
        Some(id) => store.workspace(id).await?,
        None => None,
    };
    let language = match login {
        Some(l) => l.language,
        None => store.login(&c.email).await?.and_then(|l| l.language),
    };
    Ok(Me {
        email: c.email.clone(),
        name: c.name.clone(),
        role: c.role,
        time_zone: workspace.as_ref().and_then(|w| w.time_zone.clone()),
        workspace: workspace.as_ref().map(WorkspaceView::from),
        language,
    })
}

async fn update_me(app: &App, ctx: &Ctx<AuthOp>, body: &UpdateMeRequest) -> Result<Response<Body>, ApiError> {
    let c = ctx.caller()?.clone();
    if let Some(language) = body.language {
        app.store.set_language(&c.email, language).await?;
    }
    if let Some(name) = &body.name {
        let name = validate::name("name", name, 80)?;
        app.store.rename_person(&c.email, c.workspace_id.as_deref(), &name).await?;
        return json(&me(&app.store, &Caller { name, ..c }, None).await?);
    }
    json(&me(&app.store, &c, None).await?)
}

/// Checks the current password (failures throttled like logins), sets the
/// new one, and answers a fresh session: every other session has ended.
async fn change_password(app: &App, ctx: &Ctx<AuthOp>, body: &ChangePasswordRequest) -> Result<Response<Body>, ApiError> {
    let c = ctx.caller()?;
    validate::new_password("new_password", &body.new_password)?;
    let store = &app.store;
    if store.throttle_count("login-account", &c.email, WINDOW_SECS).await? >= ACCOUNT_FAILURES {
        return Err(too_many(Store::retry_after(WINDOW_SECS), "for this account"));
    }
    let login = store.login(&c.email).await?.ok_or_else(|| ApiError::unauthenticated("this account no longer exists"))?;
    if !verify_password(&body.current_password, &login.password_hash) {
        store.throttle_hit("login-account", &c.email, WINDOW_SECS).await?;
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_password", "the current password is wrong").field("current_password"));
    }
    if body.current_password == body.new_password {
        return Err(ApiError::invalid("new_password", "must differ from the current one"));
    }
    store.change_password(&login, &hash_password(&body.new_password)?).await?;
    tracing::info!(email = %c.email, "password changed; older sessions ended");
    json(&session(app, &login, c.role).await?)
}

/// "Forgot password?": when the account has a linked Telegram (Settings →
/// Notifications), a one-time reset link is sent there by the jobs worker.
/// The answer is the same whether the account exists, has Telegram linked
/// or not, so the page cannot be used to find out who has an account.
async fn request_reset(app: &App, ctx: &Ctx<AuthOp>, body: &PasswordResetRequest) -> Result<Response<Body>, ApiError> {
    let email = validate::email("email", &body.email)?;
    let store = &app.store;
    let ip = ctx.ip.clone().unwrap_or_else(|| "unknown".into());
    let (for_account, _) = store.throttle_hit("reset-account", &email, RESET_WINDOW_SECS).await?;
    let (for_ip, _) = store.throttle_hit("reset-ip", &ip, RESET_WINDOW_SECS).await?;
    if for_account > RESET_REQUESTS || for_ip > RESET_IP_REQUESTS {
        let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", "too many reset requests; try again in an hour");
        e.retry_after = Some(Store::retry_after(RESET_WINDOW_SECS));
        return Err(e);
    }
    let Some(login) = store.login(&email).await? else { return no_content() };
    let Some(ws) = login.workspace_id.clone() else { return no_content() };
    match store.telegram_link(&ws, &email).await? {
        Some(link) if link.broken_at_ms.is_none() => {
            let (token, _) = store.create_password_reset(&email, "telegram").await?;
            let job = Job::SendPasswordReset { workspace_id: ws, email: email.clone(), token_sealed: app.data_key.seal(&token) };
            app.queues.send("jobs", &job).await?;
            tracing::info!(email, "a reset link is on its way to the linked Telegram");
        }
        _ => tracing::info!(email, "reset asked for an account without a linked Telegram"),
    }
    no_content()
}

/// Sets a new password with a reset link (once), and logs in.
async fn use_reset(app: &App, token: &str, body: &NewPasswordRequest) -> Result<Response<Body>, ApiError> {
    validate::new_password("password", &body.password)?;
    let reset = app.store.password_reset(token).await?.ok_or_else(link_gone)?;
    let login = app.store.login(&reset.email).await?.ok_or_else(link_gone)?;
    app.store.use_password_reset(token, &login, &hash_password(&body.password)?).await.map_err(|e| match e {
        StoreError::NotFound => link_gone(),
        other => other.into(),
    })?;
    let role = role_of(app, &login).await?;
    json(&session(app, &login, role).await?)
}

async fn role_of(app: &App, login: &Login) -> Result<Role, ApiError> {
    if login.superadmin {
        return Ok(Role::Superadmin);
    }
    let ws = login.workspace_id.as_deref().unwrap_or_default();
    match app.store.member(ws, &login.email).await? {
        Some(m) => Ok(m.role),
        None => Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "this account is not a member of any workspace")),
    }
}

fn too_many(retry_after: i64, what: &str) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        format!("too many failed logins {what}; try again in {} minutes", (retry_after + 59) / 60),
    );
    e.retry_after = Some(retry_after);
    e
}

async fn login(app: &App, ctx: &Ctx<AuthOp>, body: &LoginRequest) -> Result<Response<Body>, ApiError> {
    let email = validate::email("email", &body.email)?;
    if body.password.is_empty() {
        return Err(ApiError::invalid("password", "must not be empty"));
    }
    if body.password.len() > 1024 {
        return Err(ApiError::invalid("password", "is too long"));
    }
    let store = &app.store;
    let ip = ctx.ip.clone().unwrap_or_else(|| "unknown".into());
    if store.throttle_count("login-account", &email, WINDOW_SECS).await? >= ACCOUNT_FAILURES {
        return Err(too_many(Store::retry_after(WINDOW_SECS), "for this account"));
    }
    if store.throttle_count("login-ip", &ip, WINDOW_SECS).await? >= IP_FAILURES {
        return Err(too_many(Store::retry_after(WINDOW_SECS), "from your address"));
    }
    let login = store.login(&email).await?;
    let hash = login.as_ref().map(|l| l.password_hash.as_str()).unwrap_or_else(|| decoy_hash());
    let password_ok = verify_password(&body.password, hash);
    let login = match login {
        Some(l) if password_ok => l,
        _ => {
            store.throttle_hit("login-account", &email, WINDOW_SECS).await?;
            store.throttle_hit("login-ip", &ip, WINDOW_SECS).await?;
            tracing::info!(email, ip, "login failed");
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "the e-mail or the password is wrong"));
        }
    };
    let role = role_of(app, &login).await?;
    json(&session(app, &login, role).await?)
}

/// A fresh token for `login`, with who they are.
async fn session(app: &App, login: &Login, role: Role) -> Result<Session, ApiError> {
    let now = util::now_secs();
    let ws = if login.superadmin { None } else { login.workspace_id.clone() };
    let claims = Claims { sub: login.email.clone(), ws: ws.clone(), iat: now, exp: now + TOKEN_TTL_SECS };
    let caller = Caller { email: login.email.clone(), name: login.name.clone(), role, workspace_id: ws };
    Ok(Session { token: app.tokens.sign(&claims), expires_at: util::rfc3339(claims.exp * 1000), me: me(&app.store, &caller, Some(login)).await? })
}

async fn invite_preview(app: &App, token: &str) -> Result<Response<Body>, ApiError> {
    let inv = app.store.invite_by_token(token).await?.ok_or_else(|| ApiError::not_found("this invite link is unknown, used or expired"))?;
    let ws = app.store.workspace(&inv.workspace_id).await?.ok_or_else(|| ApiError::not_found("the workspace no longer exists"))?;
    json(&InvitePreview { workspace_name: ws.name, email: inv.email, role: inv.role, expires_at: util::rfc3339(inv.expires_at * 1000) })
}

async fn accept_invite(app: &App, token: &str, body: &AcceptInviteRequest) -> Result<Response<Body>, ApiError> {
    let name = validate::name("name", &body.name, 80)?;
    validate::new_password("password", &body.password)?;
    let inv = app.store.invite_by_token(token).await?.ok_or_else(|| ApiError::not_found("this invite link is unknown, used or expired"))?;
    let hash = hash_password(&body.password)?;
    let login = app.store.accept_invite(&inv, &name, &hash).await?;
    let s = session(app, &login, inv.role).await?;
    cartie_apikit::json_status(StatusCode::CREATED, &s)
}
