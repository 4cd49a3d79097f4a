//! The MTProto host's container entry point: services and settings read
//! once, the health endpoint, the host's loops until SIGTERM, then a clean
//! stop that hands the accounts to another host at once.

use mtproto_host::{Host, HostConfig};

#[tokio::main]
async fn main() -> Result<(), String> {
    cartie_platform::init_tracing();
    let svc = cartie_platform::Services::from_env().await?;
    let cfg = HostConfig::from_env()?;
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
