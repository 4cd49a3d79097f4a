//! Campaigns at Telegram's cap on the local stack (moto + the sandbox,
//! which enforces 30 msg/s per bot, ~1 msg/s per chat, 1,000 msg/s for
//! paid broadcasts, and counts deliveries per chat — the ground truth).
//!
//! 1. Free cap: RECIPIENTS (default 20,000) through one bot, two sender
//!    pollers (two Lambda instances), while a buyer writes to the same bot
//!    every LIVE_EVERY seconds and gets the scenario's greeting. Reports
//!    the bot's total sends per second (campaign + live) while the campaign
//!    runs, duplicates, losses, 429s, DynamoDB calls per recipient (the
//!    SDK interceptor), and the live reply times.
//! 2. Crash run: the same audience size at the paid rate (so it is quick),
//!    the sender killed at random instants KILLS times (default 20): chats
//!    with two deliveries, recipients skipped, recipients reported unknown.
//! 3. Paid mode without kills: the rate reached, and what limits it here.
//!
//!   scripts/bench.sh                          (all benches)
//!   RECIPIENTS=2000 cargo bench --profile dev -p cartie-e2e --bench campaign_send

use cartie_e2e::{seed, Method, Stack, StatusCode, POLLING};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tg_sandbox::{UserMessage, UserRef};

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Setup {
    ws: String,
    owner: String,
    bot_id: i64,
}

async fn setup(s: &Stack, name: &str, from: i64, n: i64, paid: bool) -> Setup {
    let email = format!("owner@{}.test", name.to_lowercase());
    let (ws, owner) = s.workspace(name, &email).await;
    let bot = s.connect_bot(&owner, &format!("{name}Bot")).await;
    if paid {
        s.telegram.set_paid_broadcasts(bot.id, true, 1000);
    }
    let t = Instant::now();
    seed::contacts_of_bot(s, &ws, bot.id, from, n).await;
    let users: Vec<UserRef> = (from..from + n).map(|i| UserRef { id: i, first_name: "Buyer".into(), ..Default::default() }).collect();
    s.telegram.create_chats(bot.id, &users).expect("chats");
    println!("[{name}] seeded {n} contacts and chats in {:.1} s", t.elapsed().as_secs_f64());
    Setup { ws, owner, bot_id: bot.id }
}

async fn get(s: &Stack, token: &str, id: &str) -> Value {
    let a = s.get(&format!("/api/campaigns/{id}"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body
}

/// Creates and starts a campaign, runs the snapshot; returns its id and
/// how long the snapshot took.
async fn start(s: &Stack, st: &Setup, paid: bool) -> (String, Duration) {
    let paid_ids: Vec<i64> = if paid { vec![st.bot_id] } else { vec![] };
    let body = json!({"name": "Bench", "content": {"text": "Hi {first_name}, new arrivals this week"}, "bot_ids": [st.bot_id], "paid_bot_ids": paid_ids, "time_zone": "Europe/Kyiv"});
    let a = s.call(Method::POST, "/api/campaigns", Some(&st.owner), Some(body)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_str().unwrap().to_string();
    let t = Instant::now();
    assert_eq!(s.call(Method::POST, &format!("/api/campaigns/{id}/send"), Some(&st.owner), None).await.status, StatusCode::OK);
    s.drain_jobs().await;
    (id, t.elapsed())
}

/// Sends per full second between the first and the last second of sends.
fn rates(per_second: &[(i64, u64)]) -> (f64, u64, u64) {
    if per_second.len() < 3 {
        let total: u64 = per_second.iter().map(|(_, n)| n).sum();
        return (total as f64, total, total);
    }
    let inner = &per_second[1..per_second.len() - 1];
    let span = (inner.last().unwrap().0 - inner.first().unwrap().0 + 1) as f64;
    let total: u64 = inner.iter().map(|(_, n)| n).sum();
    let mut v: Vec<u64> = inner.iter().map(|(_, n)| *n).collect();
    // Seconds with no send at all inside the span count as 0.
    v.resize(span as usize, 0);
    v.sort();
    (total as f64 / span, v[0], v[v.len() / 2])
}

fn check_deliveries(s: &Stack, bot_id: i64, n: usize) -> (usize, u64) {
    let d = s.telegram.deliveries(bot_id).expect("bot");
    let twice = d.chats.values().filter(|c| **c > 1).count();
    let got = d.chats.len();
    println!("  deliveries: {} messages to {got} of {n} chats; chats with two or more: {twice}; 429s: {}", d.total, d.rejected_429);
    (twice, d.rejected_429)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = env_num("RECIPIENTS", 20_000);
    let kills = env_num("KILLS", 20);
    let live_every = env_num("LIVE_EVERY", 20) as u64;
    let phases = std::env::var("PHASES").unwrap_or_else(|_| "123".into());
    let s = Stack::new().await;

    if phases.contains('1') {
        free_cap(&s, n, live_every).await;
    }
    if phases.contains('2') {
        crash_run(&s, n, kills).await;
    }
    if phases.contains('3') {
        paid(&s, n).await;
    }
}

async fn free_cap(s: &Stack, n: usize, live_every: u64) {
    // 1. The free cap, with a live conversation.
    println!("== 1. free cap (30 msg/s), {n} recipients, a buyer writing every {live_every} s");
    let st = setup(s, "Free", 1, n as i64, false).await;
    let sc = s.call(Method::POST, "/api/scenarios", Some(&st.owner), Some(json!({"name": "Leads", "template": "lead_generation"}))).await;
    let sc_id = sc.body["id"].as_str().unwrap().to_string();
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{sc_id}/publish"), Some(&st.owner), None).await.status, StatusCode::OK);
    cartie_store::clock::advance(10_000);
    s.telegram.reset_deliveries(st.bot_id);
    let before = s.calls.snapshot();
    let (id, snapshot) = start(s, &st, false).await;
    println!("  snapshot of {n} recipients: {:.1} s (moto reads a Query by walking the table)", snapshot.as_secs_f64());
    let t = Instant::now();
    let senders = async {
        tokio::join!(s.drain_campaigns(), s.drain_campaigns());
    };
    let live = async {
        let mut waits = Vec::new();
        let mut k = 0i64;
        loop {
            tokio::time::sleep(Duration::from_secs(live_every)).await;
            if get(s, &st.owner, &id).await["status"] == "finished" {
                break;
            }
            k += 1;
            let buyer = UserRef { id: 900_000_000 + k, first_name: "Marta".into(), ..Default::default() };
            let asked = Instant::now();
            s.telegram.user_sends(st.bot_id, UserMessage::text(buyer.clone(), "/start")).await.expect("send");
            let mut answered = None;
            while asked.elapsed() < Duration::from_secs(10) {
                cartie::poll_once(&s.app, cartie::Worker::Updates, 0).await.expect("poll");
                if !s.telegram.outbox(st.bot_id, Some(buyer.id)).is_empty() {
                    answered = Some(asked.elapsed());
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            waits.push(answered);
        }
        waits
    };
    let ((), waits) = tokio::join!(senders, live);
    let took = t.elapsed();
    let spent = s.calls.since(&before, POLLING);
    let done = get(s, &st.owner, &id).await;
    let d = s.telegram.deliveries(st.bot_id).unwrap();
    let (avg, min, med) = rates(&d.per_second);
    println!("  status {}; sent {} of {}; sending took {:.1} s", done["status"], done["progress"]["sent"], n, took.as_secs_f64());
    println!("  bot's sends (campaign + live) per full second: mean {avg:.2} ({:.3} of 30), median {med}, lowest {min}", avg / 30.0);
    check_deliveries(s, st.bot_id, n);
    // The live buyers' chats (ids from 900,000,001) get the scenario's messages.
    let recipients: Vec<u64> = d.chats.iter().filter(|(c, _)| **c < 900_000_000).map(|(_, k)| *k).collect();
    println!("  campaign recipients reached: {} of {n}; with two or more: {}", recipients.len(), recipients.iter().filter(|k| **k > 1).count());
    let ddb: u64 = spent.iter().filter(|(op, _)| op.starts_with("DynamoDB.")).map(|(_, n)| n).sum();
    println!("  DynamoDB calls: {ddb} = {:.3} per recipient (snapshot included): {spent:?}", ddb as f64 / n as f64);
    let answered: Vec<Duration> = waits.iter().flatten().copied().collect();
    let worst = answered.iter().max().copied().unwrap_or_default();
    println!("  live buyers: {} wrote, {} answered, slowest reply {:.2} s", waits.len(), answered.len(), worst.as_secs_f64());
}

async fn crash_run(s: &Stack, n: usize, kills: usize) {
    // 2. Crash run at the paid rate: every run killed at a random instant
    // within its first 2 s until the kills are made.
    println!("== 2. crash run: {n} recipients, the sender killed at random instants {kills} times");
    let st = setup(s, "Crash", 50_000_000, n as i64, true).await;
    let (id, _) = start(s, &st, true).await;
    let killed = s.drain_campaigns_killing(kills, 7, 2_000).await + s.drain_campaigns_killing(0, 0, 1).await;
    let done = get(s, &st.owner, &id).await;
    let d = s.telegram.deliveries(st.bot_id).unwrap();
    let twice = d.chats.values().filter(|c| **c > 1).count();
    let unknown = done["progress"]["unknown"].as_u64().unwrap_or(0);
    let sent = done["progress"]["sent"].as_u64().unwrap_or(0);
    let skipped = (n as u64).saturating_sub(sent + unknown);
    let unknown_but_delivered = unknown.saturating_sub((n as u64).saturating_sub(d.chats.len() as u64));
    println!(
        "  status {}; kills {killed}; chats with two deliveries: {twice}; skipped: {skipped}; unknown: {unknown} ({unknown_but_delivered} of them did arrive)",
        done["status"]
    );
}

async fn paid(s: &Stack, n: usize) {
    // 3. Paid mode.
    println!("== 3. paid broadcast (sandbox cap 1,000 msg/s), {n} recipients");
    let st = setup(s, "Paid", 100_000_000, n as i64, true).await;
    let (id, _) = start(s, &st, true).await;
    let t = Instant::now();
    tokio::join!(s.drain_campaigns(), s.drain_campaigns());
    let took = t.elapsed();
    let done = get(s, &st.owner, &id).await;
    let d = s.telegram.deliveries(st.bot_id).unwrap();
    let (avg, _, med) = rates(&d.per_second);
    println!(
        "  status {}; sent {} in {:.1} s: {:.0} msg/s overall, {avg:.0} per full second (median {med}); paid sends {}",
        done["status"],
        done["progress"]["sent"],
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        d.paid
    );
    check_deliveries(s, st.bot_id, n);
    let _ = &st.ws;
}
