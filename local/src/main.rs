//! `cartie`: the local runtime and tools.
//!
//!   cartie dev [--port 8080] [--web web/dist]   run everything locally
//!   cartie bootstrap                            create table/queues/bucket, migrate
//!   cartie openapi                              print the OpenAPI document
//!   cartie webhook --port P --bot-id B --secret S
//!                                               the webhook alone, for measuring it:
//!                                               no pollers, scheduler or sandbox

use cartie_apikit::{App, Services};
use cartie_store::sealed::DataKey;
use cartie_store::{bootstrap, Aws, Settings};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The webhook alone runs as its Lambda does: one thread (an instance
    // serves one request at a time, and a multi-threaded runtime's idle
    // workers spend CPU looking for work). The local runtime, serving the
    // whole app and its pollers, keeps the multi-threaded one.
    let runtime = match args.get(1).map(String::as_str) {
        Some("webhook") => tokio::runtime::Builder::new_current_thread().enable_all().build(),
        _ => tokio::runtime::Builder::new_multi_thread().enable_all().build(),
    };
    let runtime = runtime.unwrap_or_else(|e| {
        eprintln!("cartie: cannot start the async runtime: {e}");
        std::process::exit(1);
    });
    let result = runtime.block_on(async {
        match args.get(1).map(String::as_str) {
            Some("dev") => dev(&args).await,
            Some("bootstrap") => prepare().await.map(|_| ()),
            Some("webhook") => webhook_only(&args).await,
            Some("openapi") => {
                println!("{}", cartie_apikit::openapi::json());
                Ok(())
            }
            _ => {
                Err("usage: cartie dev [--port 8080] [--web web/dist] | cartie bootstrap | cartie openapi | cartie webhook --port P --bot-id B --secret S"
                    .into())
            }
        }
    });
    if let Err(e) = result {
        eprintln!("cartie: {e}");
        std::process::exit(1);
    }
}

/// Table, queues, migrations and the superadmin: everything a fresh local
/// endpoint needs before serving.
async fn prepare() -> Result<(Aws, Settings), String> {
    cartie_apikit::init_tracing();
    if std::env::var("AWS_ENDPOINT_URL").is_err() {
        return Err("AWS_ENDPOINT_URL is not set: the local runtime talks to a local endpoint (scripts/dev.sh starts moto)".into());
    }
    let (aws, settings) = (Aws::from_env().await, Settings::from_env());
    bootstrap::run(&aws, &settings).await.map_err(|e| format!("bootstrap failed: {e}"))?;
    let store = cartie_store::Store::new(&aws, &settings);
    let report = migrate::run(&store, &aws).await?;
    tracing::info!(?report, "table ready");
    Ok((aws, settings))
}

async fn dev(args: &[String]) -> Result<(), String> {
    let port: u16 = arg(args, "--port").unwrap_or_else(|| "8080".into()).parse().map_err(|_| "--port takes a number")?;
    let web = PathBuf::from(arg(args, "--web").unwrap_or_else(|| "web/dist".into()));
    let (aws, settings) = prepare().await?;

    // Telegram: the sandbox on the next port, unless pointed elsewhere.
    let sandbox = match std::env::var("CARTIE_TELEGRAM_API_URL").ok().filter(|s| !s.is_empty()) {
        Some(_) => None,
        None => {
            let sb = tg_sandbox::Sandbox::new();
            let addr = sb.clone().serve(SocketAddr::from(([127, 0, 0, 1], port + 1))).await.map_err(|e| format!("sandbox: {e}"))?;
            Some((sb, addr))
        }
    };
    let telegram = cartie_telegram::Telegram::new(
        sandbox.as_ref().map(|(_, a)| format!("http://{a}/")).or_else(|| std::env::var("CARTIE_TELEGRAM_API_URL").ok()).as_deref(),
    )?;
    // The keys come from the local Secrets Manager exactly as a deployed
    // function reads them at init (made once, kept while moto runs).
    // (CARTIE_DATA_KEY / CARTIE_JWT_SECRET, when set, win: a developer's own keys.)
    let (data_key_id, jwt_id) = bootstrap::secrets(&aws, &settings).await.map_err(|e| format!("local secrets: {e}"))?;
    let data_key = match std::env::var("CARTIE_DATA_KEY") {
        Ok(k) => k,
        Err(_) => cartie_platform::read_secret(&aws, &data_key_id).await?,
    };
    let secret = match std::env::var("CARTIE_JWT_SECRET") {
        Ok(k) => k,
        Err(_) => cartie_platform::read_secret(&aws, &jwt_id).await?,
    };
    let public_url = std::env::var("CARTIE_PUBLIC_URL").unwrap_or_else(|_| format!("http://127.0.0.1:{port}"));
    // Browsers upload to and read from the file store's bucket directly
    // (presigned URLs on moto's port): let the web app's origins in, as
    // template.yaml does for the deployment's PublicUrl.
    let mut origins = vec![public_url.trim_end_matches('/').to_string()];
    origins.extend(std::env::var("CARTIE_WEB_ORIGINS").unwrap_or_default().split(',').map(str::trim).filter(|o| !o.is_empty()).map(String::from));
    bootstrap::allow_origins(&aws, &settings, &origins).await.map_err(|e| format!("file store CORS: {e}"))?;
    let services = Services::new(aws, settings, DataKey::from_secret(&data_key)?, telegram, Some(public_url));
    let app = App::new(services, secret.as_bytes())?;
    let demo_password = cartie::seed_demo(&app.store, std::env::var("CARTIE_DEMO_PASSWORD").ok()).await?;

    let tick: u64 = std::env::var("CARTIE_TICK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    tokio::spawn(cartie::poll_forever(app.clone(), cartie::Worker::Jobs));
    tokio::spawn(cartie::poll_forever(app.clone(), cartie::Worker::Updates));
    // Two campaign senders, as two Lambda instances: two bots send at once.
    for _ in 0..2 {
        tokio::spawn(cartie::poll_forever(app.clone(), cartie::Worker::Campaigns));
    }
    tokio::spawn(cartie::tick_forever(app.clone(), Duration::from_secs(tick)));

    let web_dir = web.join("index.html").exists().then_some(web.clone());
    if web_dir.is_none() {
        eprintln!("note: {} has no built web app (cd web && npm run build); serving the API only", web.display());
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let router = cartie::router(app.clone(), web_dir).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    });
    // Telegram user accounts: the sandbox's fake MTProto server and one
    // MTProto host in this process, as the container runs on AWS.
    let mtproto = match &sandbox {
        Some((sb, a)) => {
            sb.mtproto().serve(SocketAddr::from(([127, 0, 0, 1], 0))).await.map_err(|e| format!("fake MTProto server: {e}"))?;
            let cfg = mtproto_host::HostConfig::local("local-host", &format!("http://{a}/sandbox/api/mtproto"), 10_000);
            let host = mtproto_host::Host::new(app.services.clone(), cfg);
            host.start();
            Some(host)
        }
        None => None,
    };
    if let Some((sb, _)) = &sandbox {
        // A demo bot, connected through the real route once the server listens.
        let bot = sb.create_bot("DemoMotorsBot", "Demo Motors");
        cartie::connect_demo_bot(&app, &demo_password, &bot.token).await?;
    }
    println!("Cartie is running at http://{addr}");
    println!("  Demo login:  {} / {demo_password}", cartie::DEMO_EMAIL);
    if let Ok(email) = std::env::var("CARTIE_SUPERADMIN_EMAIL") {
        println!("  Superadmin:  {email} (password from CARTIE_SUPERADMIN_PASSWORD)");
    }
    if let Some((_, a)) = &sandbox {
        println!("  Telegram sandbox: http://{a}/sandbox/  (write to @DemoMotorsBot as a buyer)");
    }
    let served = server.await.map_err(|e| e.to_string())?.map_err(|e| e.to_string());
    if let Some(host) = mtproto {
        host.shutdown().await;
    }
    served
}

/// Serves only what Telegram calls, with one bot connected directly in
/// storage: what a `tg-webhook` Lambda instance does, and nothing else in
/// the process, so its CPU can be measured (`scripts/bench-webhook.sh`).
async fn webhook_only(args: &[String]) -> Result<(), String> {
    let port: u16 = arg(args, "--port").ok_or("--port is required")?.parse().map_err(|_| "--port takes a number")?;
    let bot_id: i64 = arg(args, "--bot-id").ok_or("--bot-id is required")?.parse().map_err(|_| "--bot-id takes a number")?;
    let secret = arg(args, "--secret").ok_or("--secret is required")?;
    cartie_apikit::init_tracing();
    let (aws, settings) = (Aws::from_env().await, Settings::from_env());
    bootstrap::run(&aws, &settings).await.map_err(|e| format!("bootstrap failed: {e}"))?;
    let key = DataKey::from_bytes(&cartie_store::util::random_bytes::<32>())?;
    let services = Services::new(aws, settings, key, cartie_telegram::Telegram::new(Some("http://127.0.0.1:9/"))?, None);
    let app = App::new(services, &cartie_store::util::random_bytes::<32>())?;
    let bot = cartie_store::inbox::BotRecord {
        workspace_id: "bench".into(),
        bot_id,
        username: "BenchBot".into(),
        first_name: "Bench".into(),
        token_sealed: app.data_key.seal("0:bench"),
        webhook_url: String::new(),
        auto_reply: None,
        auto_reply_uk: None,
        connected_by: "bench".into(),
        connected_at_ms: cartie_store::util::now_ms(),
    };
    app.store.connect_bot(&bot, &cartie_store::util::sha256_hex(&secret)).await.map_err(|e| e.to_string())?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!("ready {port}");
    axum::serve(listener, cartie::router(app, None).into_make_service_with_connect_info::<SocketAddr>()).await.map_err(|e| e.to_string())
}
