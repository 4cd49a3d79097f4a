//! `GET /health`: the host is up, and each account it holds with its state
//! (what the container's health check and an operator read).

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::Host;

async fn health(State(host): State<Arc<Host>>) -> Json<Value> {
    let accounts: Vec<Value> =
        host.accounts().await.into_iter().map(|((ws, id), state)| json!({"workspace_id": ws, "account_id": id, "state": state.as_str()})).collect();
    Json(json!({"status": "ok", "host": host.cfg.host_id, "accounts": accounts}))
}

/// Serves the health endpoint until the process ends.
pub async fn serve(host: Arc<Host>, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let app = Router::new().route("/health", get(health)).with_state(host);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await
}
