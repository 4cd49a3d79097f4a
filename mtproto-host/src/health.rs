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
    serve_on(host, tokio::net::TcpListener::bind(addr).await?).await
}

/// [`serve`] on a listener already bound (tests bind port 0).
pub async fn serve_on(host: Arc<Host>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = Router::new().route("/health", get(health)).with_state(host);
    axum::serve(listener, app).await
}

/// Whether the host at `addr` answers `GET /health` with 200 within 3 s.
pub async fn check(addr: &str) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let ask = async {
        let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
        s.write_all(format!("GET /health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).await.ok()?;
        let mut head = [0u8; 12];
        s.read_exact(&mut head).await.ok()?;
        Some(head.starts_with(b"HTTP/1.1 200"))
    };
    matches!(tokio::time::timeout(std::time::Duration::from_secs(3), ask).await, Ok(Some(true)))
}
