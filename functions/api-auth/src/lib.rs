//! `api-auth`: log in, who am I, and joining a workspace by invite link.
//! Login failures are throttled per account and per IP address.

use cartie_apikit::auth::{decoy_hash, hash_password, verify_password, Claims, TOKEN_TTL_SECS};
use cartie_apikit::dto::{AcceptInviteRequest, InvitePreview, LoginRequest, Me, Session, WorkspaceView};
use cartie_apikit::ops::AuthOp;
use cartie_apikit::{authorize, json, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::{validate, Role};
use cartie_store::{util, Store};

/// Failed logins allowed per account, and per IP, in one window.
pub const ACCOUNT_FAILURES: u32 = 5;
pub const IP_FAILURES: u32 = 30;
pub const WINDOW_SECS: i64 = 15 * 60;

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
            json(&me(&app.store, &c.email, &c.name, c.role, c.workspace_id.as_deref()).await?)
        }
        AuthOp::InvitePreview { token } => invite_preview(app, token).await,
        AuthOp::AcceptInvite { token, body } => accept_invite(app, token, body).await,
    }
}

async fn me(store: &Store, email: &str, name: &str, role: Role, ws: Option<&str>) -> Result<Me, ApiError> {
    let workspace = match ws {
        Some(id) => store.workspace(id).await?.as_ref().map(WorkspaceView::from),
        None => None,
    };
    Ok(Me { email: email.into(), name: name.into(), role, workspace })
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
    let role = if login.superadmin {
        Role::Superadmin
    } else {
        let ws = login.workspace_id.as_deref().unwrap_or_default();
        match store.member(ws, &email).await? {
            Some(m) => m.role,
            None => return Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "this account is not a member of any workspace")),
        }
    };
    let session = session(app, &login.email, &login.name, role, if login.superadmin { None } else { login.workspace_id.clone() }).await?;
    json(&session)
}

async fn session(app: &App, email: &str, name: &str, role: Role, ws: Option<String>) -> Result<Session, ApiError> {
    let now = util::now_secs();
    let claims = Claims { sub: email.into(), ws: ws.clone(), iat: now, exp: now + TOKEN_TTL_SECS };
    Ok(Session { token: app.tokens.sign(&claims), expires_at: util::rfc3339(claims.exp * 1000), me: me(&app.store, email, name, role, ws.as_deref()).await? })
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
    let s = session(app, &login.email, &login.name, inv.role, login.workspace_id.clone()).await?;
    cartie_apikit::json_status(StatusCode::CREATED, &s)
}
