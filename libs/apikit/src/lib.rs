//! The API kit every HTTP function shares: the route table (the one source
//! of truth for routing, auth, SAM and OpenAPI), authentication and roles,
//! JSON errors that name the field, request parsing, and the `App` context
//! built once per Lambda instance. It owns no business rules (those are in
//! `cartie-domain`) and no storage layout (`cartie-store`).

pub mod app;
pub mod auth;
pub mod dto;
pub mod error;
pub mod http;
pub use ::http::{Method, StatusCode};
pub mod openapi;
pub mod routes;

pub use app::{App, BuildInfo, Services};
pub use auth::{authorize, Caller, Ctx};
pub use error::ApiError;
pub use http::{json, json_status, parse_json};
pub use lambda_http::{Body, Request, Response};
pub use routes::{Access, Function, Route, ROUTES};

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
