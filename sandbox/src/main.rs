//! `tg-sandbox [--port 8081] [--host 127.0.0.1] [--mtproto-port P] [--bot username[:token]]...`
//!
//! Runs the Telegram sandbox alone. Each `--bot` creates a bot at start
//! (with the given token, or a fresh one); the chat page is at
//! `http://HOST:PORT/sandbox/`. With `--mtproto-port` the fake MTProto
//! server for user accounts listens there too (0 picks a free port).

use std::net::{IpAddr, SocketAddr};

use tg_sandbox::Sandbox;

fn usage() -> ! {
    eprintln!("usage: tg-sandbox [--port 8081] [--host 127.0.0.1] [--mtproto-port P] [--bot username[:token]]...");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut port: u16 = 8081;
    let mut host: IpAddr = IpAddr::from([127, 0, 0, 1]);
    let mut bots: Vec<String> = Vec::new();
    let mut mtproto_port: Option<u16> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| usage()),
            "--host" => host = args.next().and_then(|h| h.parse().ok()).unwrap_or_else(|| usage()),
            "--bot" => bots.push(args.next().unwrap_or_else(|| usage())),
            "--mtproto-port" => mtproto_port = Some(args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| usage())),
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
    if let Some(port) = mtproto_port {
        match sb.mtproto().serve(SocketAddr::new(host, port)).await {
            Ok(a) => println!("Fake MTProto server (user accounts) on {a}; hooks at http://{addr}/sandbox/api/mtproto"),
            Err(e) => {
                eprintln!("cannot listen on {host}:{port} for MTProto: {e}");
                std::process::exit(1)
            }
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
