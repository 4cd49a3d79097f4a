//! Contacts at scale on the local stack: CONTACTS (default 100,000) seeded
//! into moto as the worker leaves them, with a conversation each, then each
//! kind of contact list and Inbox page (views and search) and the dashboard timed
//! and its DynamoDB calls counted (first page and a page deep in the
//! list), then a segment counted and a CSV export written over all of them
//! by the jobs worker.
//!
//!   scripts/bench.sh                      (runs this after the webhook bench)
//!   CONTACTS=20000 RUNS=5 DEEP=20 JOBS=1 scripts/bench.sh
//!
//! moto's latency is not DynamoDB's: the calls per page are the figure
//! that carries over to AWS; the times compare versions on one machine.
//! moto answers a Query by going through every item of the table in
//! Python, so its page time grows with the table (about 8 s a page at
//! 100,000 contacts on a 2-core machine) where DynamoDB's does not: the
//! segment count and the export (1,000 pages each at 100,000) run only
//! with `JOBS=1` or at 20,000 contacts and fewer.

use cartie_e2e::{Stack, StatusCode, POLLING};
use serde_json::json;
use std::time::{Duration, Instant};

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = env_num("CONTACTS", 100_000);
    let runs = env_num("RUNS", 3);
    let deep_pages = env_num("DEEP", 3);
    let jobs = std::env::var("JOBS").is_ok_and(|v| v == "1") || n <= 20_000;
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Scale Motors", "owner@scale.test").await;
    let started = Instant::now();
    cartie_e2e::seed::contacts(&s, &ws, 1, n as i64).await;
    println!("seeded {n} contacts in {:.1} s", started.elapsed().as_secs_f64());

    println!("{:<28} {:>6} {:>10} {:>10} {:>8}", "page (limit 50)", "calls", "median", "deep", "items");
    let contact_pages = ["", "tag=hot", "active_days=1", "q=dar", "q=ivan&tag=hot", "language=uk", "var=budget&var_op=gt&var_value=20000"];
    let t = Instant::now();
    cartie_e2e::seed::conversations(&s, &ws, 1, n as i64).await;
    println!("seeded {n} conversations in {:.1} s", t.elapsed().as_secs_f64());
    let inbox_pages = [
        "bot_id=all&tab=all&status=open",
        "bot_id=all&tab=all&status=open&unread=true",
        "bot_id=1&tab=unassigned&status=open",
        "bot_id=all&q=rav4",
        "bot_id=all&q=dar",
    ];
    // The dashboard (counters and bounded reads): the same calls whatever the size.
    let pages = contact_pages
        .iter()
        .map(|q| (format!("/api/contacts?limit=50&{q}"), q.to_string()))
        .chain(inbox_pages.iter().map(|q| (format!("/api/inbox/conversations?limit=30&{q}"), format!("inbox {q}"))))
        .chain(std::iter::once(("/api/dashboard?".to_string(), "dashboard".to_string())));
    for (path, q) in pages {
        let q = q.as_str();
        let mut times = Vec::new();
        let mut calls = 0;
        let mut items = 0;
        let mut cursor = None;
        for _ in 0..runs {
            let before = s.calls.snapshot();
            let t = Instant::now();
            let a = s.get(&path, &owner).await;
            times.push(t.elapsed());
            assert_eq!(a.status, StatusCode::OK, "{q}: {}", a.body);
            calls = s.calls.since(&before, POLLING).values().sum::<u64>();
            items = a.body["items"].as_array().map(Vec::len).unwrap_or(0);
            cursor = a.body["next_cursor"].as_str().map(String::from);
        }
        // A few pages in, through the cursor.
        let mut deep = Duration::ZERO;
        for _ in 0..deep_pages {
            let Some(c) = cursor.take() else { break };
            let t = Instant::now();
            let a = s.get(&format!("{path}&cursor={}", urlencode(&c)), &owner).await;
            deep = t.elapsed();
            cursor = a.body["next_cursor"].as_str().map(String::from);
        }
        let name = if q.is_empty() { "(all, newest first)" } else { q };
        let deep = if deep_pages == 0 { Duration::ZERO } else { deep };
        println!("{name:<28} {calls:>6} {:>8.1}ms {:>8.1}ms {items:>8}", median(times).as_secs_f64() * 1e3, deep.as_secs_f64() * 1e3);
    }

    if !jobs {
        println!("segment count and CSV export skipped at {n} contacts on moto (JOBS=1 runs them)");
        return;
    }
    for (what, filter) in [("everyone", json!({})), ("tag=hot", json!({"tag": "hot"}))] {
        let r = s.call(cartie_e2e::Method::POST, "/api/segments", Some(&owner), Some(json!({"name": what, "filter": filter}))).await;
        let id = r.body["id"].as_str().expect("segment").to_string();
        let before = s.calls.snapshot();
        let t = Instant::now();
        s.drain_jobs().await;
        let took = t.elapsed();
        let calls: u64 = s.calls.since(&before, POLLING).values().sum();
        let seg = s.get(&format!("/api/segments/{id}"), &owner).await;
        println!(
            "segment {what}: {} contacts counted in {:.1} s, {calls} calls ({:.3} per contact)",
            seg.body["count"],
            took.as_secs_f64(),
            calls as f64 / n as f64
        );
    }
    let r = s.call(cartie_e2e::Method::POST, "/api/contacts/exports", Some(&owner), Some(json!({"filter": {}}))).await;
    let id = r.body["id"].as_str().expect("export").to_string();
    let before = s.calls.snapshot();
    let t = Instant::now();
    s.drain_jobs().await;
    let took = t.elapsed();
    let calls: u64 = s.calls.since(&before, POLLING).values().sum();
    let e = s.get(&format!("/api/contacts/exports/{id}"), &owner).await;
    println!("CSV export: {} rows in {:.1} s, {calls} calls, status {}", e.body["rows"], took.as_secs_f64(), e.body["status"]);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
