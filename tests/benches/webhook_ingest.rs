//! Webhook ingest on the local stack: Telegram-shaped updates POSTed over
//! loopback HTTP to `/tg/{bot_id}` (secret check, idempotency claim, FIFO
//! enqueue, ledger update), several chats at once; then the update worker
//! draining the queue. Prints throughput and p50/p99 handler latency.
//!
//!   scripts/bench.sh                      (starts moto, runs this in release)
//!   UPDATES=2000 CONCURRENCY=16 scripts/bench.sh
//!
//! Figures are dominated by moto (a Python process) standing in for
//! DynamoDB and SQS; they compare versions of Cartie on one machine, they
//! do not predict AWS latency.

use cartie_e2e::Stack;
use std::time::{Duration, Instant};

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let updates = env_num("UPDATES", 1000);
    let concurrency = env_num("CONCURRENCY", 8);
    let chats = env_num("CHATS", 50);
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Bench Motors", "owner@bench.test").await;
    let bot = s.connect_bot(&owner, "BenchBot").await;
    let secret = s.telegram.webhook(bot.id).and_then(|w| w.secret_token).expect("secret");
    let url = format!("{}/tg/{}", s.url, bot.id);
    let client = reqwest::Client::new();

    // The worker consumes while updates arrive, as on AWS.
    let consumer = {
        let started = Instant::now();
        let s = &s;
        async move {
            let n = s.consume_updates(updates, Duration::from_secs(600)).await;
            (n, started.elapsed())
        }
    };
    let ingest_all = async {
        let started = Instant::now();
        let mut latencies: Vec<Duration> = Vec::with_capacity(updates);
        let mut failures = 0usize;
        let mut next = 0usize;
        while next < updates {
            let batch: Vec<usize> = (next..(next + concurrency).min(updates)).collect();
            next += batch.len();
            let calls = batch.into_iter().map(|i| {
                let (client, url, secret) = (client.clone(), url.clone(), secret.clone());
                async move {
                    let chat = 10_000 + (i % chats) as i64;
                    let body = serde_json::json!({
                        "update_id": 1_000_000 + i,
                        "message": {"message_id": i + 1, "date": 1_764_000_000, "chat": {"id": chat, "type": "private", "first_name": "Bench"},
                                    "from": {"id": chat, "is_bot": false, "first_name": "Bench"}, "text": format!("message {i}")}
                    });
                    let t = Instant::now();
                    let res = client
                        .post(&url)
                        .header("x-telegram-bot-api-secret-token", &secret)
                        .header("content-type", "application/json")
                        .body(body.to_string())
                        .send()
                        .await;
                    let ok = matches!(&res, Ok(r) if r.status().is_success());
                    (t.elapsed(), ok)
                }
            });
            for (lat, ok) in futures_util::future::join_all(calls).await {
                latencies.push(lat);
                failures += usize::from(!ok);
            }
        }
        (started.elapsed(), latencies, failures)
    };
    let ((ingest, mut latencies, failures), (drained, drain)) = tokio::join!(ingest_all, consumer);
    latencies.sort();

    println!("webhook ingest: {updates} updates, {chats} chats, concurrency {concurrency}");
    println!("  throughput      {:.0} updates/s ({:.2} s total, {failures} failed)", updates as f64 / ingest.as_secs_f64(), ingest.as_secs_f64());
    println!(
        "  handler latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(&latencies, 0.5).as_secs_f64() * 1e3,
        pct(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().map(|d| d.as_secs_f64() * 1e3).unwrap_or(0.0)
    );
    println!(
        "update worker: {drained} processed in {:.2} s from the first update ({:.0} updates/s, one consumer)",
        drain.as_secs_f64(),
        drained as f64 / drain.as_secs_f64()
    );
    assert_eq!(failures, 0, "every update must be accepted");
    assert_eq!(drained, updates, "every update must be processed once");
}
