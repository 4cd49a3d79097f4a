//! HTTP hooks for the fake MTProto server under `/sandbox/api/mtproto/`
//! (JSON; bytes as standard base64), the same operations as the Rust API
//! for tests and scripts that are not in Rust.

use std::time::Duration;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post, put},
    Json, Router,
};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

use super::{HookError, NewAccount, Revocation, DC_ID};
use crate::Sandbox;

fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(json!({"error": msg.into()}))).into_response()
}

fn hook_error(e: HookError) -> Response {
    let status = match e {
        HookError::NoAccount(_) | HookError::NoUser(_) | HookError::NoChannel(_) => StatusCode::NOT_FOUND,
        HookError::AccountExists(_) => StatusCode::CONFLICT,
        HookError::Invalid(_) => StatusCode::BAD_REQUEST,
    };
    error(status, e.to_string())
}

/// Decoded bytes, or the error message naming the field.
fn b64(field: &str, s: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD.decode(s).map_err(|_| format!("{field}: not standard base64"))
}

pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/sandbox/api/mtproto", get(info))
        .route("/sandbox/api/mtproto/accounts", post(add_account))
        .route("/sandbox/api/mtproto/accounts/{phone}/auth_key", post(signed_in_key))
        .route("/sandbox/api/mtproto/accounts/{phone}/channels/{channel_id}", put(follow))
        .route("/sandbox/api/mtproto/accounts/{phone}/messages", post(deliver))
        .route("/sandbox/api/mtproto/accounts/{phone}/sent", get(sent))
        .route("/sandbox/api/mtproto/accounts/{phone}/revoke", post(revoke))
        .route("/sandbox/api/mtproto/accounts/{phone}/code_ttl", put(code_ttl))
        .route("/sandbox/api/mtproto/auth_keys", post(new_key))
        .route("/sandbox/api/mtproto/users", post(add_user))
        .route("/sandbox/api/mtproto/channels", post(add_channel))
        .route("/sandbox/api/mtproto/channels/{channel_id}/posts", post(channel_post))
        .route("/sandbox/api/mtproto/disconnect", post(disconnect))
        .route("/sandbox/api/mtproto/flood_wait", post(flood_wait))
}

async fn info(State(sb): State<Sandbox>) -> Response {
    let m = sb.mtproto();
    Json(json!({"address": m.addr(), "dc_id": DC_ID, "connections": m.connection_count()})).into_response()
}

async fn add_account(State(sb): State<Sandbox>, Json(new): Json<NewAccount>) -> Response {
    // 100,000 PBKDF2 rounds for a password: off the async threads.
    match tokio::task::spawn_blocking(move || sb.mtproto().add_account(new)).await {
        Ok(Ok(info)) => (StatusCode::CREATED, Json(info)).into_response(),
        Ok(Err(e)) => hook_error(e),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "adding the account failed"),
    }
}

fn key_json(sb: &Sandbox, key: [u8; 256]) -> Response {
    let key = base64::engine::general_purpose::STANDARD.encode(key);
    Json(json!({"auth_key": key, "dc_id": DC_ID, "address": sb.mtproto().addr()})).into_response()
}

async fn signed_in_key(State(sb): State<Sandbox>, Path(phone): Path<String>) -> Response {
    match sb.mtproto().signed_in_auth_key(&phone) {
        Ok(key) => key_json(&sb, key),
        Err(e) => hook_error(e),
    }
}

async fn new_key(State(sb): State<Sandbox>) -> Response {
    let key = sb.mtproto().new_auth_key();
    key_json(&sb, key)
}

#[derive(Deserialize)]
pub(crate) struct NewUser {
    first_name: String,
    #[serde(default)]
    username: Option<String>,
}

async fn add_user(State(sb): State<Sandbox>, Json(u): Json<NewUser>) -> Response {
    if u.first_name.trim().is_empty() {
        return error(StatusCode::BAD_REQUEST, "first_name: required");
    }
    (StatusCode::CREATED, Json(sb.mtproto().add_user(&u.first_name, u.username.as_deref()))).into_response()
}

#[derive(Deserialize)]
pub(crate) struct NewChannel {
    title: String,
    #[serde(default)]
    username: Option<String>,
}

async fn add_channel(State(sb): State<Sandbox>, Json(c): Json<NewChannel>) -> Response {
    if c.title.trim().is_empty() {
        return error(StatusCode::BAD_REQUEST, "title: required");
    }
    (StatusCode::CREATED, Json(sb.mtproto().add_channel(&c.title, c.username.as_deref()))).into_response()
}

async fn follow(State(sb): State<Sandbox>, Path((phone, channel_id)): Path<(String, i64)>) -> Response {
    match sb.mtproto().follow_channel(&phone, channel_id) {
        Ok(()) => Json(json!({"phone": phone, "channel_id": channel_id, "following": true})).into_response(),
        Err(e) => hook_error(e),
    }
}

#[derive(Deserialize)]
pub(crate) struct Dm {
    from_user_id: i64,
    #[serde(default)]
    text: String,
    #[serde(default)]
    photo_b64: Option<String>,
}

async fn deliver(State(sb): State<Sandbox>, Path(phone): Path<String>, Json(dm): Json<Dm>) -> Response {
    let photo = match dm.photo_b64.as_deref().map(|p| b64("photo_b64", p)).transpose() {
        Ok(p) => p,
        Err(msg) => return error(StatusCode::BAD_REQUEST, msg),
    };
    match sb.mtproto().deliver_message(&phone, dm.from_user_id, &dm.text, photo) {
        Ok(id) => Json(json!({"message_id": id})).into_response(),
        Err(e) => hook_error(e),
    }
}

#[derive(Deserialize)]
pub(crate) struct Post {
    #[serde(default)]
    text: String,
    #[serde(default)]
    photos_b64: Vec<String>,
}

async fn channel_post(State(sb): State<Sandbox>, Path(channel_id): Path<i64>, Json(p): Json<Post>) -> Response {
    let photos = match p.photos_b64.iter().map(|s| b64("photos_b64", s)).collect::<Result<Vec<_>, _>>() {
        Ok(p) => p,
        Err(msg) => return error(StatusCode::BAD_REQUEST, msg),
    };
    match sb.mtproto().post_to_channel(channel_id, &p.text, photos) {
        Ok(ids) => Json(json!({"message_ids": ids})).into_response(),
        Err(e) => hook_error(e),
    }
}

async fn sent(State(sb): State<Sandbox>, Path(phone): Path<String>) -> Response {
    match sb.mtproto().sent_messages(&phone) {
        Ok(list) => Json(list).into_response(),
        Err(e) => hook_error(e),
    }
}

async fn disconnect(State(sb): State<Sandbox>) -> Response {
    let before = sb.mtproto().connection_count();
    sb.mtproto().drop_connections();
    Json(json!({"dropped": before})).into_response()
}

#[derive(Deserialize)]
pub(crate) struct Flood {
    #[serde(default)]
    method: Option<String>,
    seconds: u32,
}

async fn flood_wait(State(sb): State<Sandbox>, Json(f): Json<Flood>) -> Response {
    sb.mtproto().flood_wait_next(f.method.as_deref(), f.seconds);
    Json(json!({"method": f.method, "seconds": f.seconds})).into_response()
}

#[derive(Deserialize)]
pub(crate) struct Revoke {
    how: Revocation,
}

async fn revoke(State(sb): State<Sandbox>, Path(phone): Path<String>, Json(r): Json<Revoke>) -> Response {
    match sb.mtproto().revoke_sessions(&phone, r.how) {
        Ok(n) => Json(json!({"revoked_keys": n})).into_response(),
        Err(e) => hook_error(e),
    }
}

#[derive(Deserialize)]
pub(crate) struct CodeTtl {
    seconds: u64,
}

async fn code_ttl(State(sb): State<Sandbox>, Path(phone): Path<String>, Json(t): Json<CodeTtl>) -> Response {
    match sb.mtproto().set_code_ttl(&phone, Duration::from_secs(t.seconds)) {
        Ok(()) => Json(json!({"seconds": t.seconds})).into_response(),
        Err(e) => hook_error(e),
    }
}
