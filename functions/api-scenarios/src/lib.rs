//! `api-scenarios`: bot scenarios — drafts, versions, templates, analytics, test chat.
use cartie_apikit::{authorize, ApiError, App, Body, Ctx, Function, Request, Response};

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize(app, Function::ApiScenarios, &req).await {
        Ok(ctx) => route(app, ctx, &req).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(_app: &App, ctx: Ctx, _req: &Request) -> Result<Response<Body>, ApiError> {
    Err(ApiError::internal(format!("route {} is not handled by api-scenarios", ctx.route.op)))
}
