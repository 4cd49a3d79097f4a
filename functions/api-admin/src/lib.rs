//! `api-admin`: the platform superadmin's work — listing and creating
//! workspaces (each with an invite link for its first owner).

use cartie_apikit::dto::{CreateWorkspaceRequest, CreatedWorkspace, InviteView, PasswordResetView, WorkspaceList, WorkspaceView};
use cartie_apikit::ops::AdminOp;
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::validate;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<AdminOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<AdminOp>) -> Result<Response<Body>, ApiError> {
    match ctx.op {
        AdminOp::ListWorkspaces {} => json(&WorkspaceList { workspaces: app.store.workspaces().await?.iter().map(WorkspaceView::from).collect() }),
        AdminOp::CreateWorkspace { ref body } => create(app, &ctx, body).await,
        AdminOp::ResetLoginPassword { ref email } => {
            let email = validate::email("email", email)?;
            let login = app.store.login(&email).await?.ok_or_else(|| ApiError::not_found("no account has this e-mail"))?;
            let (token, reset) = app.store.create_password_reset(&login.email, &ctx.caller()?.email).await?;
            tracing::info!(email = %login.email, "password reset link issued by the superadmin");
            json_status(StatusCode::CREATED, &PasswordResetView::new(&token, &reset))
        }
    }
}

async fn create(app: &App, ctx: &Ctx<AdminOp>, body: &CreateWorkspaceRequest) -> Result<Response<Body>, ApiError> {
    let name = validate::name("name", &body.name, 80)?;
    let slug = validate::slug("slug", &body.slug)?;
    let owner = validate::email("owner_email", &body.owner_email)?;
    let zone = body.time_zone.as_deref().map(|z| cartie_domain::locale::time_zone("time_zone", z)).transpose()?;
    if app.store.login(&owner).await?.is_some() {
        return Err(ApiError::conflict("this e-mail already has an account").field("owner_email"));
    }
    let by = &ctx.caller()?.email;
    let (w, inv, token) = app.store.create_workspace(&name, &slug, zone.as_deref(), &owner, by).await.map_err(|e| {
        let e = ApiError::from(e);
        if e.message.contains("slug") {
            e.field("slug")
        } else {
            e
        }
    })?;
    tracing::info!(workspace = %w.id, slug, "workspace created");
    json_status(StatusCode::CREATED, &CreatedWorkspace { workspace: WorkspaceView::from(&w), owner_invite: InviteView::new(&inv, Some(&token)) })
}
