//! Telegram user accounts end to end: the API, the MTProto host (real
//! `grammers-client`) and the sandbox's fake MTProto server over TCP, with
//! DynamoDB on moto. Login with a code and two-step password, a buyer's
//! DM in the Inbox once (with its photo), a reply from the Inbox reaching
//! Telegram as the account, a source channel's post becoming a draft car,
//! no secret readable in any raw item; a crashed host's accounts back
//! online without a new login and nothing lost or doubled; a paused host's
//! late writes refused.

use std::time::{Duration, Instant};

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};
use tg_sandbox::mtproto::NewAccount;

const WAIT: Duration = Duration::from_secs(20);

fn add_account(s: &Stack, phone: &str, password: Option<&str>) {
    s.telegram
        .mtproto()
        .add_account(NewAccount {
            phone: phone.into(),
            first_name: "Ihor".into(),
            code: "12345".into(),
            password: password.map(str::to_string),
            hint: password.map(|_| "the usual".to_string()),
        })
        .expect("sandbox account");
}

/// Starts a login, retrying while no host has beaten yet (503 `no_host`).
async fn start_login(s: &Stack, token: &str, phone: &str) -> Value {
    let started = Instant::now();
    loop {
        let r = s.call(Method::POST, "/api/telegram-accounts", Some(token), Some(json!({"phone": phone}))).await;
        if r.status == StatusCode::SERVICE_UNAVAILABLE && started.elapsed() < WAIT {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        return r.body;
    }
}

async fn log_in(s: &Stack, token: &str, phone: &str) -> Value {
    let a = start_login(s, token, phone).await;
    let id = a["id"].as_str().unwrap();
    let r = s.call(Method::POST, &format!("/api/telegram-accounts/{id}/code"), Some(token), Some(json!({"code": "12345"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["state"], "online", "{}", r.body);
    r.body
}

/// Polls `check` until it answers `Some` (the host works in the background).
async fn until<T, F: std::future::Future<Output = Option<T>>>(what: &str, mut check: impl FnMut() -> F) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(started.elapsed() < WAIT, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn messages(s: &Stack, token: &str, conversation: &str) -> Vec<Value> {
    let r = s.get(&format!("/api/inbox/conversations/{conversation}/messages"), token).await;
    if r.status == StatusCode::NOT_FOUND {
        return Vec::new(); // Not there yet.
    }
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn an_account_logs_in_with_two_factor_talks_in_the_inbox_and_feeds_the_stock() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Account Motors", "owner@account-motors.test").await;
    let host = s.mtproto_host("host-a", 3_000).await;
    let mt = s.telegram.mtproto().clone();
    let phone = "+380507770001";
    add_account(&s, phone, Some("sandbox-2fa"));

    // Phone → code (a wrong one first) → password (a wrong one first).
    let bad = s.call(Method::POST, "/api/telegram-accounts", Some(&owner), Some(json!({"phone": "12"}))).await;
    assert_eq!((bad.status, bad.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("phone")), "{}", bad.body);
    let a = start_login(&s, &owner, "+380 50 777 0001").await;
    assert_eq!(a["state"], "awaiting_code");
    let id = a["id"].as_str().unwrap().to_string();
    let wrong = s.call(Method::POST, &format!("/api/telegram-accounts/{id}/code"), Some(&owner), Some(json!({"code": "54321"}))).await;
    assert_eq!((wrong.status, wrong.field(), wrong.code()), (StatusCode::UNPROCESSABLE_ENTITY, Some("code"), Some("code_invalid")), "{}", wrong.body);
    let r = s.call(Method::POST, &format!("/api/telegram-accounts/{id}/code"), Some(&owner), Some(json!({"code": "12345"}))).await;
    assert_eq!(
        (r.status, r.body["state"].as_str(), r.body["password_hint"].as_str()),
        (StatusCode::OK, Some("awaiting_password"), Some("the usual")),
        "{}",
        r.body
    );
    let wrong = s.call(Method::POST, &format!("/api/telegram-accounts/{id}/password"), Some(&owner), Some(json!({"password": "wrong horse"}))).await;
    assert_eq!((wrong.status, wrong.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("password")), "{}", wrong.body);
    let r = s.call(Method::POST, &format!("/api/telegram-accounts/{id}/password"), Some(&owner), Some(json!({"password": "sandbox-2fa"}))).await;
    assert_eq!((r.status, r.body["state"].as_str()), (StatusCode::OK, Some("online")), "{}", r.body);
    let line = r.body["tg_user_id"].as_i64().expect("the account's user id");
    let list = s.get("/api/telegram-accounts", &owner).await;
    assert_eq!(list.body["items"][0]["state"], "online", "{}", list.body);

    // A buyer's DM arrives once, on their contact, marked as via the account.
    let buyer = mt.add_user("Taras", Some("taras_buys"));
    mt.deliver_message(phone, buyer.id, "Is the Octavia still for sale?", None).unwrap();
    let conversation = format!("{line}:{}", buyer.id);
    let conv = until("the DM in the Inbox", || async {
        let r = s.get("/api/inbox/conversations", &owner).await;
        r.body["items"].as_array().and_then(|items| items.iter().find(|c| c["id"] == conversation.as_str()).cloned())
    })
    .await;
    assert_eq!((conv["via"].as_str(), conv["contact"]["first_name"].as_str()), (Some("account"), Some("Taras")), "{conv}");
    assert_eq!(conv["bot_username"], "Ihor (+380507770001)", "{conv}");
    // The buyer's first message is a new lead for the team, as through a bot.
    s.drain_jobs().await;
    let notes = s.get("/api/notifications?limit=20", &owner).await;
    let lead = notes.body["items"].as_array().and_then(|n| n.iter().find(|n| n["notice"]["kind"] == "new_lead").cloned()).expect("a new-lead notification");
    assert_eq!((lead["notice"]["params"]["buyer"].as_str(), lead["link"].as_str()), (Some("Taras"), Some(format!("/inbox/{conversation}").as_str())), "{lead}");
    let png = tg_sandbox::sample_png(64, 48);
    mt.deliver_message(phone, buyer.id, "here it is", Some(png.clone())).unwrap();
    let photo = until("the photo", || async { messages(&s, &owner, &conversation).await.into_iter().find(|m| m["kind"] == "photo") }).await;
    let file_id = photo["file_id"].as_str().unwrap();
    let dl = s.get(&format!("/api/inbox/files/{line}/{file_id}"), &owner).await;
    assert_eq!((dl.status, dl.raw == png), (StatusCode::OK, true), "the buyer's photo downloads as sent");
    let contact = s.get(&format!("/api/contacts/{}", buyer.id), &owner).await;
    assert_eq!(contact.status, StatusCode::OK, "{}", contact.body);

    // A reply from the Inbox reaches Telegram as the account.
    let r = s
        .call(
            Method::POST,
            &format!("/api/inbox/conversations/{conversation}/messages"),
            Some(&owner),
            Some(json!({"kind": "text", "text": "Yes, come by at 10"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.body["direction"].as_str(), r.body["sent_by"].as_str()), (Some("out"), Some("owner@account-motors.test")), "{}", r.body);
    let sent = mt.sent_messages(phone).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].to_user_id, sent[0].text.as_str()), (buyer.id, "Yes, come by at 10"));
    // A photo from the file store, sent as the account with its caption.
    let up = s.upload(&owner, "inbox_attachment", "front.png", "image/png", &png).await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    let r = s
        .call(
            Method::POST,
            &format!("/api/inbox/conversations/{conversation}/messages"),
            Some(&owner),
            Some(json!({"kind": "photo", "upload_id": up.body["id"], "caption": "Front view"})),
        )
        .await;
    assert_eq!((r.status, r.body["kind"].as_str(), r.body["caption"].as_str()), (StatusCode::CREATED, Some("photo"), Some("Front view")), "{}", r.body);
    let sent = mt.sent_messages(phone).unwrap();
    let photo_sent = sent[1].media.as_ref().expect("the photo reached Telegram");
    assert_eq!((sent[1].text.as_str(), &photo_sent.bytes), ("Front view", &png));
    let history = messages(&s, &owner, &conversation).await;
    assert_eq!(history.len(), 4, "two DMs and two replies, each once: {history:?}");
    let sticker = s
        .call(Method::POST, &format!("/api/inbox/conversations/{conversation}/messages"), Some(&owner), Some(json!({"kind": "sticker", "file_id": "x"})))
        .await;
    assert_eq!((sticker.status, sticker.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")), "{}", sticker.body);

    // A followed channel marked as a source: its post becomes a draft car, once.
    let cars = mt.add_channel("Cars of Kyiv", Some("kyiv_cars"));
    mt.follow_channel(phone, cars.id).unwrap();
    let channels = s.get(&format!("/api/telegram-accounts/{id}/channels"), &owner).await;
    assert_eq!(channels.body["items"][0]["title"], "Cars of Kyiv", "{}", channels.body);
    let r = s.call(Method::PUT, &format!("/api/telegram-accounts/{id}/channels/{}", cars.id), Some(&owner), Some(json!({"source": true}))).await;
    assert_eq!((r.status, r.body["source"].as_bool()), (StatusCode::OK, Some(true)), "{}", r.body);
    // An album: two photos, the text on the first; one car with both photos.
    mt.post_to_channel(cars.id, "🔥 Skoda Octavia 2019, 1.6 TDI, 85 000 км, механіка, 12 500 $", vec![png.clone(), png.clone()]).unwrap();
    let car = until("the draft car with both photos", || async {
        let r = s.get("/api/inventory?status=draft", &owner).await;
        r.body["items"].as_array().and_then(|items| items.first().cloned()).filter(|c| c["photos"].as_array().is_some_and(|p| p.len() == 2))
    })
    .await;
    assert!(car["photos"].as_array().unwrap().iter().all(|p| p["file_id"].is_string()), "{car}");
    assert_eq!((car["make"].as_str(), car["model"].as_str(), car["year"].as_i64()), (Some("Škoda"), Some("Octavia"), Some(2019)), "{car}");
    assert_eq!(car["source_url"].as_str().map(|u| u.starts_with("https://t.me/kyiv_cars/")), Some(true), "{car}");

    // A second post is a second car; nothing is made twice.
    mt.post_to_channel(cars.id, "BMW X5 2018 3.0d, 120 000 km, 38 900 $", vec![]).unwrap();
    until("the second draft", || async {
        let r = s.get("/api/inventory?status=draft", &owner).await;
        (r.body["items"].as_array().map(Vec::len) == Some(2)).then_some(())
    })
    .await;

    // After all of that (login, DMs, reply, channels, posts): no raw item
    // of any kind shows the auth key, the password or a login token; the
    // session is sealed (and does hold the key once opened).
    let items = s.raw_items().await;
    let mut sealed_session = None;
    for item in &items {
        let text = format!("{item:?}");
        assert!(!text.contains("sandbox-2fa"), "the password is stored in {text}");
        assert!(!text.contains("phone_code_hash"), "a login token is stored in {text}");
        if item.get("SK").and_then(|v| v.as_s().ok()).map(String::as_str) == Some("SESSION") {
            sealed_session = item.get("sealed").and_then(|v| v.as_s().ok()).cloned();
        }
        // A 256-byte key as hex would be a 512-character run of hex digits.
        let longest_hex = text.split(|c: char| !c.is_ascii_hexdigit()).map(str::len).max().unwrap_or(0);
        assert!(longest_hex < 512, "an auth key in clear in {text}");
    }
    let sealed = sealed_session.expect("the session is stored");
    assert!(sealed.starts_with("v1:"));
    assert!(s.app.data_key.open(&sealed).unwrap().contains("auth_key"), "the sealed session holds the key");

    // Another workspace sees none of it.
    let (_, other) = s.workspace("Other Motors", "owner@other-motors.test").await;
    assert_eq!(s.get("/api/telegram-accounts", &other).await.body["items"], json!([]));
    assert_eq!(s.get(&format!("/api/telegram-accounts/{id}/channels"), &other).await.status, StatusCode::NOT_FOUND);
    let _ = ws;
    host.shutdown().await;
}

#[tokio::test]
async fn a_crashed_host_brings_every_account_back_without_a_login_and_loses_nothing() {
    // 20 in the test run; the drill runs 50 (`scripts/drills.sh`).
    let accounts: usize = std::env::var("CARTIE_DRILL_ACCOUNTS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Fleet Motors", "owner@fleet-motors.test").await;
    let first = s.mtproto_host("host-1", 3_000).await;
    let mt = s.telegram.mtproto().clone();
    let phones: Vec<String> = (0..accounts).map(|i| format!("+38050800{i:04}")).collect();
    for p in &phones {
        add_account(&s, p, None);
    }
    let mut lines = Vec::new();
    for chunk in phones.chunks(10) {
        let logged = futures_util::future::join_all(chunk.iter().map(|p| log_in(&s, &owner, p))).await;
        lines.extend(logged.iter().map(|a| a["tg_user_id"].as_i64().unwrap()));
    }
    assert_eq!(first.accounts().await.len(), accounts);
    let buyer = mt.add_user("Oksana", None);
    mt.deliver_message(&phones[0], buyer.id, "seen live", None).unwrap();
    until("the live DM", || async { (messages(&s, &owner, &format!("{}:{}", lines[0], buyer.id)).await.len() == 1).then_some(()) }).await;

    // The host dies (no clean stop: leases are left to run out).
    first.crash().await;
    for p in &phones {
        mt.deliver_message(p, buyer.id, "sent while the host was down", None).unwrap();
    }
    let restarted = Instant::now();
    let second = s.mtproto_host("host-2", 3_000).await;
    until("every account online on the new host", || async {
        let held = second.accounts().await;
        (held.len() == accounts && held.iter().all(|(_, st)| st.as_str() == "online")).then_some(())
    })
    .await;
    let back = restarted.elapsed();
    eprintln!("{accounts} accounts back online {back:?} after the restart (lease 3 s)");
    assert!(back < Duration::from_secs(10), "took {back:?}");

    // What arrived while down comes through getDifference, once each.
    for (i, line) in lines.iter().enumerate() {
        let conversation = format!("{line}:{}", buyer.id);
        let want = if i == 0 { 2 } else { 1 };
        until("the missed DM", || async { (messages(&s, &owner, &conversation).await.len() >= want).then_some(()) }).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (i, line) in lines.iter().enumerate() {
        let got = messages(&s, &owner, &format!("{line}:{}", buyer.id)).await;
        assert_eq!(got.len(), if i == 0 { 2 } else { 1 }, "account {i}: {got:?}");
    }
    let accounts = s.app.store.tg_accounts(&ws).await.unwrap();
    assert!(accounts.iter().all(|a| a.state.as_str() == "online"), "no account needs a new login");
    second.shutdown().await;
}

#[tokio::test]
async fn a_paused_host_loses_its_accounts_and_its_late_writes_are_refused() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Pause Motors", "owner@pause-motors.test").await;
    let a = s.mtproto_host("host-a", 2_000).await;
    let phone = "+380509990001";
    add_account(&s, phone, None);
    let account = log_in(&s, &owner, phone).await;
    let id = account["id"].as_str().unwrap().to_string();
    let line = account["tg_user_id"].as_i64().unwrap();
    let b = s.mtproto_host("host-b", 2_000).await;
    let old = a.fence_of(&ws, &id).await.expect("host-a holds the account it logged in");

    // host-a stalls: host-b takes the account over when the lease runs out.
    a.pause(true);
    let paused = Instant::now();
    until("host-b holding the account", || async { b.fence_of(&ws, &id).await }).await;
    let moved = paused.elapsed();
    eprintln!("the account moved {moved:?} after its host stalled (lease 2 s)");
    assert!(moved < Duration::from_secs(30));

    // host-a's writes with its old token are refused...
    let late = s.app.store.save_tg_session(&ws, &id, "v1:stale", Some(&old)).await;
    assert!(matches!(late, Err(cartie_store::StoreError::Conflict(ref m)) if m == cartie_store::tg_accounts::LEASE_LOST), "{late:?}");
    // ...including the DM its still-open connection receives: stored once, by host-b.
    let buyer = s.telegram.mtproto().add_user("Petro", None);
    s.telegram.mtproto().deliver_message(phone, buyer.id, "still there?", None).unwrap();
    let conversation = format!("{line}:{}", buyer.id);
    until("the DM", || async { (!messages(&s, &owner, &conversation).await.is_empty()).then_some(()) }).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(messages(&s, &owner, &conversation).await.len(), 1);
    let session = s.app.store.tg_session(&ws, &id).await.unwrap().unwrap();
    assert_ne!(session, "v1:stale");

    // Resumed, host-a finds its lease gone and lets the account go.
    a.pause(false);
    until("host-a letting go", || async { a.accounts().await.is_empty().then_some(()) }).await;
    assert!(b.fence_of(&ws, &id).await.is_some());

    // host-b dies: the account comes back to host-a, online, within the lease.
    b.crash().await;
    let died = Instant::now();
    until("host-a holding the account again", || async { a.fence_of(&ws, &id).await }).await;
    let back = died.elapsed();
    eprintln!("the account moved back {back:?} after the other host died (lease 2 s)");
    assert!(back < Duration::from_secs(30));
    s.telegram.mtproto().deliver_message(phone, buyer.id, "and now?", None).unwrap();
    until("the DM through host-a", || async { (messages(&s, &owner, &conversation).await.len() == 2).then_some(()) }).await;
    a.shutdown().await;
}

#[tokio::test]
async fn refusals_reach_the_dealer_and_a_revoked_account_logs_in_again() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Careful Motors", "owner@careful-motors.test").await;
    let host = s.mtproto_host("host-a", 3_000).await;
    let mt = s.telegram.mtproto().clone();
    let phone = "+380506660001";
    add_account(&s, phone, None);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let health_addr = listener.local_addr().unwrap();
    tokio::spawn(mtproto_host::health::serve_on(host.clone(), listener));

    // Telegram asks to wait: the dealer is told how long, and nothing is left behind.
    until("a live host", || async { (!s.app.store.live_hosts().await.unwrap().is_empty()).then_some(()) }).await;
    mt.flood_wait_next(Some("auth.sendCode"), 120);
    let r = s.call(Method::POST, "/api/telegram-accounts", Some(&owner), Some(json!({"phone": phone}))).await;
    assert_eq!((r.status, r.code()), (StatusCode::TOO_MANY_REQUESTS, Some("flood_wait")), "{}", r.body);
    assert_eq!(r.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("120"));
    assert_eq!(s.get("/api/telegram-accounts", &owner).await.body["items"], json!([]));

    // A code that expired: refused under the field, saying it may have
    // expired (grammers reports wrong and expired codes alike); a new code works.
    mt.set_code_ttl(phone, Duration::ZERO).unwrap();
    let started = start_login(&s, &owner, phone).await;
    let id = started["id"].as_str().unwrap().to_string();
    let expired = s.call(Method::POST, &format!("/api/telegram-accounts/{id}/code"), Some(&owner), Some(json!({"code": "12345"}))).await;
    assert_eq!((expired.status, expired.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("code")), "{}", expired.body);
    assert!(expired.body["error"]["message"].as_str().is_some_and(|m| m.contains("expired")), "{}", expired.body);
    mt.set_code_ttl(phone, Duration::from_secs(300)).unwrap();
    let resent = s.call(Method::POST, &format!("/api/telegram-accounts/{id}/resend"), Some(&owner), None).await;
    assert_eq!((resent.status, resent.body["state"].as_str()), (StatusCode::OK, Some("awaiting_code")), "{}", resent.body);
    let r = s.call(Method::POST, &format!("/api/telegram-accounts/{id}/code"), Some(&owner), Some(json!({"code": "12345"}))).await;
    assert_eq!((r.status, r.body["state"].as_str()), (StatusCode::OK, Some("online")), "{}", r.body);
    let health = reqwest::get(format!("http://{health_addr}/health")).await.unwrap().text().await.unwrap();
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!((health["accounts"][0]["account_id"].as_str(), health["accounts"][0]["state"].as_str()), (Some(id.as_str()), Some("online")), "{health}");

    // Logged out from another device: "needs login", with why; the host lets it go.
    mt.revoke_sessions(phone, tg_sandbox::mtproto::Revocation::SessionRevoked).unwrap();
    let revoked = until("needs login", || async {
        let r = s.get("/api/telegram-accounts", &owner).await;
        r.body["items"].as_array().and_then(|a| a.first().cloned()).filter(|a| a["state"] == "needs_login")
    })
    .await;
    assert!(revoked["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{revoked}");
    // The admins hear of it (the host queues the notice right after the state).
    let note = until("a needs-login notification", || async {
        s.drain_jobs().await;
        let notes = s.get("/api/notifications?limit=20", &owner).await;
        notes.body["items"].as_array().and_then(|n| n.iter().find(|n| n["notice"]["kind"] == "account_needs_login").cloned())
    })
    .await;
    assert_eq!(note["link"].as_str(), Some(format!("/accounts?account={id}").as_str()), "{note}");
    until("the host letting go", || async { host.accounts().await.is_empty().then_some(()) }).await;
    let buyer = mt.add_user("Ivan", None);

    // Log in again with the same number: the same account, online again.
    let again = log_in(&s, &owner, phone).await;
    assert_eq!(again["id"].as_str(), Some(id.as_str()), "the same account, not a second one");
    mt.deliver_message(phone, buyer.id, "hello again", None).unwrap();
    let conversation = format!("{}:{}", again["tg_user_id"], buyer.id);
    until("the DM after the new login", || async { (messages(&s, &owner, &conversation).await.len() == 1).then_some(()) }).await;

    // Removing it logs it out and forgets it; its conversation stays.
    let r = s.call(Method::DELETE, &format!("/api/telegram-accounts/{id}"), Some(&owner), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(s.get("/api/telegram-accounts", &owner).await.body["items"], json!([]));
    assert!(s.app.store.tg_session(&ws, &id).await.unwrap().is_none(), "the session is gone");
    until("the host letting go", || async { host.accounts().await.is_empty().then_some(()) }).await;
    assert_eq!(messages(&s, &owner, &conversation).await.len(), 1);
    host.shutdown().await;
}
