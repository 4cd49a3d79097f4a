//! `tg-sandbox [--port 8081] [--host 127.0.0.1] [--bot username[:token]]...`
//!
//! Runs the Telegram sandbox alone. Each `--bot` creates a bot at start
//! (with the given token, or a fresh one); the chat page is at
//! `http://HOST:PORT/sandbox/`.

use std::net::{IpAddr, SocketAddr};

use tg_sandbox::Sandbox;

fn usage() -> ! {
    eprintln!("usage: tg-sandbox [--port 8081] [--host 127.0.0.1] [--bot username[:token]]...");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut port: u16 = 8081;
    let mut host: IpAddr = IpAddr::from([127, 0, 0, 1]);
    let mut bots: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| usage()),
            "--host" => host = args.next().and_then(|h| h.parse().ok()).unwrap_or_else(|| usage()),
            "--bot" => bots.push(args.next().unwrap_or_else(|| usage())),
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    let sb = Sandbox::new();
    for b in &bots {
        let info = match b.split_once(':') {
            Some((name, token)) => match sb.create_bot_with_token(name, name, token) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("--bot {b}: {e}");
                    std::process::exit(2)
                }
            },
            None => sb.create_bot(b, b),
        };
        println!("bot @{} id {} token {}", info.username, info.id, info.token);
    }
    let addr = match sb.clone().serve(SocketAddr::new(host, port)).await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("cannot listen on {host}:{port}: {e}");
            std::process::exit(1)
        }
    };
    println!("Telegram sandbox: Bot API at http://{addr} (set_api_url), chat page at http://{addr}/sandbox/");
    let _ = tokio::signal::ctrl_c().await;
}
