//! The API kit every HTTP function shares: the route table (the one source
//! of truth for routing, auth, SAM and OpenAPI), authentication and roles,
//! JSON errors that name the field, request parsing, and the `App` context
//! built once per Lambda instance. It owns no business rules (those are in
//! `cartie-domain`) and no storage layout (`cartie-store`).

pub mod app;
pub mod auth;
pub mod dto;
pub mod error;
pub mod hosts;
pub mod http;
pub use ::http::{Method, StatusCode};
pub mod openapi;
pub mod ops;
pub mod photos;
pub mod routes;

pub use app::{App, BuildInfo, Services};
pub use auth::{authorize, Caller, Ctx};
pub use error::ApiError;
pub use http::{json, json_status, parse_json};
pub use lambda_http::{Body, Request, Response};
pub use routes::{Access, Function, Route, ROUTES};

pub use cartie_platform::init_tracing;
