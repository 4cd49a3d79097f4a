//! The MTProto host's container entry point: services and settings read
//! once, the health endpoint, the host's loops until SIGTERM, then a clean
//! stop that hands the accounts to another host at once.
//!
//! `mtproto-host --health-check` asks the running host's health endpoint
//! and exits 0 or 1: the container's health check (the runtime image has
//! no shell and no curl).

use mtproto_host::{Host, HostConfig};

#[tokio::main]
async fn main() -> Result<(), String> {
    if std::env::args().any(|a| a == "--health-check") {
        let addr = std::env::var("CARTIE_HEALTH_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into()).replace("0.0.0.0", "127.0.0.1");
        let healthy = mtproto_host::health::check(&addr).await;
        std::process::exit(if healthy { 0 } else { 1 });
    }
    cartie_platform::init_tracing();
    let svc = cartie_platform::Services::from_env().await?;
    let api_hash = cartie_platform::secret(&svc.aws, "CARTIE_TG_API_HASH", "the api_hash of Cartie's Telegram app (my.telegram.org)").await?;
    let cfg = HostConfig::from_env(api_hash)?;
    let health = cfg.health_addr;
    let host = Host::new(svc, cfg);
    if let Some(addr) = health {
        let h = host.clone();
        tokio::spawn(async move {
            if let Err(e) = mtproto_host::health::serve(h, addr).await {
                tracing::error!(error = %e, "health endpoint failed");
            }
        });
    }
    host.start();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).map_err(|e| e.to_string())?;
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    host.shutdown().await;
    Ok(())
}
