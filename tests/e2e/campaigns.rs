//! Campaigns end to end: the API, the snapshot (jobs worker), the sender
//! (campaigns worker) against the Telegram sandbox, whose per-chat
//! delivery counts are the ground truth for "nobody twice, nobody missed".

use cartie_e2e::{seed, Method, Stack, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tg_sandbox::{UserMessage, UserRef};

fn buyer(id: i64, name: &str) -> UserRef {
    UserRef { id, first_name: name.into(), ..Default::default() }
}

async fn campaign(s: &Stack, token: &str, id: &str) -> Value {
    let a = s.get(&format!("/api/campaigns/{id}"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body
}

/// Every recipient's outcome, from the paged recipients list.
async fn outcomes(s: &Stack, token: &str, id: &str) -> BTreeMap<i64, String> {
    let mut out = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/campaigns/{id}/recipients?limit=10&cursor={c}"),
            None => format!("/api/campaigns/{id}/recipients?limit=10"),
        };
        let a = s.get(&path, token).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        for r in a.body["items"].as_array().unwrap() {
            out.insert(r["user_id"].as_i64().unwrap(), r["outcome"].as_str().unwrap().to_string());
        }
        match a.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    out
}

async fn start(s: &Stack, token: &str, body: Value) -> String {
    let created = s.call(Method::POST, "/api/campaigns", Some(token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    let sent = s.call(Method::POST, &format!("/api/campaigns/{id}/send"), Some(token), None).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(sent.body["status"], "starting");
    // The snapshot.
    s.drain_jobs().await;
    id
}

#[tokio::test]
async fn a_photo_campaign_reaches_each_reachable_buyer_once_with_their_name() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Spring Motors", "owner@spring-motors.test").await;
    let bot = s.connect_bot(&owner, "SpringMotorsBot").await;
    let names = ["Ann", "Bohdan", "Cyril", "Daria", "Emil", "Fedir", "Halyna", "Ivan"];
    for (i, n) in names.iter().enumerate() {
        s.telegram.user_sends(bot.id, UserMessage::text(buyer(100 + i as i64, n), "Hi")).await.unwrap();
    }
    // One asked for no offers; one blocked the bot without Cartie knowing.
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(100, "Ann"), "/stop")).await.unwrap();
    s.drain_updates().await;
    s.telegram.block(bot.id, 101, true);
    s.drain_jobs().await;
    // Only the campaign's messages are counted below.
    s.telegram.reset_deliveries(bot.id);

    let png = tg_sandbox::sample_png(64, 48);
    let photo = s.upload(&owner, "inbox_attachment", "offer.png", "image/png", &png).await;
    assert_eq!(photo.status, StatusCode::OK, "{}", photo.body);
    let body = json!({
        "name": "Spring offers",
        "content": {
            "text": "Hi {first_name}, spring offers are here",
            "media": [{"upload_id": photo.body["id"], "kind": "photo"}],
            "buttons": [{"text": "See the cars", "action": "url", "url": "https://spring-motors.example/cars"}]
        },
        "bot_ids": [bot.id],
        "time_zone": "Europe/Kyiv"
    });
    let id = start(&s, &owner, body).await;
    let running = campaign(&s, &owner, &id).await;
    assert_eq!(running["status"], "running");
    assert_eq!(running["progress"]["total"], 7, "the /stop buyer is left out: {running}");

    s.drain_campaigns().await;
    let done = campaign(&s, &owner, &id).await;
    assert_eq!(done["status"], "finished", "{done}");
    assert_eq!(done["progress"]["sent"], 6);
    assert_eq!(done["progress"]["blocked"], 1);
    assert_eq!(done["progress"]["pending"], 0);
    assert_eq!(done["progress"]["percent"], 100);

    // The sandbox's own count: one photo each, none to Ann (/stop) or Bohdan (blocked).
    let d = s.telegram.deliveries(bot.id).unwrap();
    assert_eq!(d.total, 6, "{d:?}");
    assert!(d.chats.values().all(|n| *n == 1), "{d:?}");
    assert!(!d.chats.contains_key(&100) && !d.chats.contains_key(&101));
    let daria = s.telegram.outbox(bot.id, Some(103));
    let msg = &daria.last().unwrap().message;
    assert_eq!(msg["caption"], "Hi Daria, spring offers are here");
    assert!(msg["photo"].is_array(), "{msg}");
    assert_eq!(msg["reply_markup"]["inline_keyboard"][0][0]["url"], "https://spring-motors.example/cars");
    // Uploaded once, then re-sent by Telegram's file_id.
    let sent: Vec<_> = s.telegram.outbox(bot.id, None).into_iter().filter(|m| m.method == "sendPhoto").collect();
    let ids: std::collections::BTreeSet<_> = sent.iter().map(|m| m.message["photo"].as_array().unwrap().last().unwrap()["file_id"].to_string()).collect();
    assert_eq!(ids.len(), 1, "every recipient got the same stored photo");

    // The blocked buyer is marked so; the report names each outcome.
    let contact = s.get("/api/contacts/101", &owner).await;
    assert_eq!(contact.body["contact"]["channels"][0]["blocked"], true, "{}", contact.body);
    let all = outcomes(&s, &owner, &id).await;
    assert_eq!(all.len(), 7);
    assert_eq!(all[&101], "blocked");
    assert_eq!(all[&103], "sent");
    let blocked = s.get(&format!("/api/campaigns/{id}/recipients?outcome=blocked"), &owner).await;
    assert_eq!(blocked.body["items"].as_array().unwrap().len(), 1);
    let csv = s.get(&format!("/api/campaigns/{id}/report.csv"), &owner).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8(csv.raw.clone()).unwrap();
    assert_eq!(text.lines().count(), 8, "{text}");
    assert!(text.contains("Daria,103,") && text.contains(",blocked,"), "{text}");

    // The team hears it is done.
    s.drain_jobs().await;
    let notes = s.get("/api/notifications", &owner).await;
    assert!(notes.body.to_string().contains("campaign_finished"), "{}", notes.body);

    // Running it again changes nothing: every chunk is recorded.
    s.app
        .queues
        .send_fifo(
            "campaigns",
            &bot.id.to_string(),
            "again",
            &cartie_domain::jobs::SendChunk { workspace_id: ws.clone(), campaign_id: id.clone(), bot_id: bot.id, chunk: 0 },
        )
        .await
        .unwrap();
    s.drain_campaigns().await;
    assert_eq!(s.telegram.deliveries(bot.id).unwrap().total, 6);
    // A finished campaign is not edited or sent again.
    let again = s.call(Method::POST, &format!("/api/campaigns/{id}/send"), Some(&owner), None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

/// The acceptance's crash run, small: ~300 recipients, the sender killed at
/// random instants (mid-send and between a send and its record included).
#[tokio::test]
async fn a_sender_killed_at_random_never_sends_twice_and_never_skips() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Crash Motors", "owner@crash-motors.test").await;
    let bot = s.connect_bot(&owner, "CrashMotorsBot").await;
    const N: i64 = 300;
    seed::contacts_of_bot(&s, &ws, bot.id, 1_000, N).await;
    let users: Vec<UserRef> = (1_000..1_000 + N).map(|i| buyer(i, "Buyer")).collect();
    s.telegram.create_chats(bot.id, &users).unwrap();
    let id = start(&s, &owner, json!({"name": "Crash", "content": {"text": "Hi {first_name}"}, "bot_ids": [bot.id], "time_zone": "UTC"})).await;
    assert_eq!(campaign(&s, &owner, &id).await["progress"]["total"], N);

    let seed = cartie_store::util::now_ms() as u64;
    let killed = s.drain_campaigns_killing(12, seed, 1_500).await;
    let done = campaign(&s, &owner, &id).await;
    assert_eq!(done["status"], "finished", "seed {seed}: {done}");
    // A run that ends within its random budget is not a kill.
    assert!(killed >= 8, "seed {seed}: {killed} kills");

    let d = s.telegram.deliveries(bot.id).unwrap();
    let twice: Vec<_> = d.chats.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "seed {seed}: chats with two deliveries: {twice:?}");
    let all = outcomes(&s, &owner, &id).await;
    assert_eq!(all.len() as i64, N);
    let mut unknown = 0;
    for (user, outcome) in &all {
        let got = d.chats.get(user).copied().unwrap_or(0);
        match outcome.as_str() {
            "sent" => assert_eq!(got, 1, "seed {seed}: {user} recorded sent but got {got}"),
            "unknown" => unknown += 1,
            other => panic!("seed {seed}: {user} ended {other} (got {got})"),
        }
    }
    // Only each kill's claim is unknown: a batch of 16 and the 4 sends
    // still in flight from the batch before.
    assert!(unknown <= killed * 20, "seed {seed}: {unknown} unknown after {killed} kills");
    assert_eq!(done["progress"]["unknown"], unknown as u64);
    assert_eq!(done["progress"]["sent"].as_u64().unwrap() + unknown as u64, N as u64);
}

/// At the free cap, the sender costs under a fifth of a storage request
/// per recipient (counted by the SDK interceptor; the bench measures the
/// whole campaign at 20,000), keeps under 30 msg/s in any second, and
/// pause / resume take effect.
#[tokio::test]
async fn pause_and_resume_take_effect_and_storage_costs_under_a_fifth_of_a_request_per_recipient() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Pace Motors", "owner@pace-motors.test").await;
    let bot = s.connect_bot(&owner, "PaceMotorsBot").await;
    const N: i64 = 300;
    seed::contacts_of_bot(&s, &ws, bot.id, 5_000, N).await;
    let users: Vec<UserRef> = (5_000..5_000 + N).map(|i| buyer(i, "Buyer")).collect();
    s.telegram.create_chats(bot.id, &users).unwrap();

    let id = start(&s, &owner, json!({"name": "Pace", "content": {"text": "Hi {first_name}"}, "bot_ids": [bot.id], "time_zone": "UTC"})).await;
    // Paused a moment after it starts sending.
    let sender = async {
        s.drain_campaigns().await;
    };
    let pause = async {
        tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
        let a = s.call(Method::POST, &format!("/api/campaigns/{id}/pause"), Some(&owner), None).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.body
    };
    let ((), paused) = tokio::join!(sender, pause);
    assert_eq!(paused["status"], "paused");
    let at_pause = campaign(&s, &owner, &id).await;
    let sent_then = at_pause["progress"]["sent"].as_u64().unwrap();
    assert!(sent_then > 0 && sent_then < N as u64, "{at_pause}");
    // Within a second of the pause, nothing more goes out.
    assert_eq!(s.telegram.deliveries(bot.id).unwrap().total, sent_then, "sent after the pause");
    let again = s.call(Method::POST, &format!("/api/campaigns/{id}/pause"), Some(&owner), None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let resumed = s.call(Method::POST, &format!("/api/campaigns/{id}/resume"), Some(&owner), None).await;
    assert_eq!(resumed.body["status"], "running", "{}", resumed.body);
    // What the sender costs from here on, per recipient.
    let before = s.calls.snapshot();
    s.drain_campaigns().await;
    let spent = s.calls.since(&before, cartie_e2e::POLLING);
    let done = campaign(&s, &owner, &id).await;
    assert_eq!(done["status"], "finished", "{done}");
    assert_eq!(done["progress"]["sent"], N);
    let d = s.telegram.deliveries(bot.id).unwrap();
    assert_eq!(d.total, N as u64);
    assert!(d.chats.values().all(|n| *n == 1));
    assert!(d.per_second.iter().all(|(_, n)| *n <= 30), "over the cap: {:?}", d.per_second);
    assert_eq!(d.rejected_429, 0, "the pacer kept under Telegram's limit");

    let ddb: u64 = spent.iter().filter(|(op, _)| op.starts_with("DynamoDB.")).map(|(_, n)| n).sum();
    let per = ddb as f64 / (N as u64 - sent_then) as f64;
    assert!(per <= 0.2, "{per:.3} DynamoDB requests per recipient: {spent:?}");
}

#[tokio::test]
async fn bad_campaigns_are_refused_naming_the_field_and_a_scheduled_one_starts_on_time() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Check Motors", "owner@check-motors.test").await;
    let bot = s.connect_bot(&owner, "CheckMotorsBot").await;
    let (_ws2, other) = s.workspace("Other Motors", "owner@other-motors.test").await;
    let other_bot = s.connect_bot(&other, "OtherMotorsBot").await;
    let base = json!({"name": "Offers", "content": {"text": "Hi"}, "bot_ids": [bot.id], "time_zone": "Europe/Kyiv"});
    let with = |path: &str, v: Value| {
        let mut b = base.clone();
        let mut cur = &mut b;
        let parts: Vec<&str> = path.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            cur = &mut cur[*p];
        }
        cur[parts[parts.len() - 1]] = v;
        b
    };
    let cases = [
        (with("content.text", json!("  ")), "content.text"),
        (with("content.buttons", json!([{"text": "Go", "action": "url", "url": "javascript:alert(1)"}])), "content.buttons[0].url"),
        (with("content.media", json!([{"upload_id": "nope", "kind": "photo"}])), "content.media[0].upload_id"),
        (with("bot_ids", json!([other_bot.id])), "bot_ids"),
        (with("bot_ids", json!([])), "bot_ids"),
        (with("paid_bot_ids", json!([other_bot.id])), "paid_bot_ids"),
        (with("time_zone", json!("Mars/Base")), "time_zone"),
        (with("send_at", json!("2001-01-01T09:00")), "send_at"),
        (with("send_at", json!("tomorrow")), "send_at"),
        (with("quiet_hours", json!({"from": 22, "to": 22})), "quiet_hours.to"),
        (with("segment_id", json!("no-such-segment")), "segment_id"),
        (with("name", json!("")), "name"),
    ];
    for (body, field) in cases {
        let a = s.call(Method::POST, "/api/campaigns", Some(&owner), Some(body.clone())).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", a.body);
        assert_eq!(a.field(), Some(field), "{body}: {}", a.body);
    }
    assert!(s.get("/api/campaigns", &owner).await.body["items"].as_array().unwrap().is_empty(), "nothing was saved");

    // Scheduled for tomorrow 09:30 in Kyiv: the scheduler starts it then.
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(77, "Olena"), "Hi")).await.unwrap();
    s.drain_updates().await;
    let now = cartie_store::util::now_ms();
    // 09:30 in Kyiv on tomorrow's UTC date: always ahead of now.
    let local = format!("{}T09:30", &cartie_store::util::rfc3339(now + 86_400_000)[..10]);
    let created = s.call(Method::POST, "/api/campaigns", Some(&owner), Some(with("send_at", json!(local)))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["status"], "scheduled");
    let id = created.body["id"].as_str().unwrap().to_string();
    let at_ms = cartie_domain::campaigns::local_to_ms("send_at", &local, "Europe/Kyiv").unwrap();
    assert_eq!(created.body["send_at_utc"], cartie_store::util::rfc3339(at_ms));
    s.run_due_at(at_ms - 120_000).await;
    // Tomorrow may be more than a token's 12 hours away.
    let owner = s.fresh_token("owner@check-motors.test").await;
    assert_eq!(campaign(&s, &owner, &id).await["status"], "scheduled", "not before its time");
    s.run_due_at(at_ms + 1_000).await;
    s.drain_jobs().await;
    s.drain_campaigns().await;
    let done = campaign(&s, &owner, &id).await;
    assert_eq!(done["status"], "finished", "{done}");
    assert_eq!(s.telegram.deliveries(bot.id).unwrap().chats.get(&77), Some(&1));
    // Started campaigns are not edited; another workspace does not see it.
    let other = s.fresh_token("owner@other-motors.test").await;
    let edit = s.call(Method::PUT, &format!("/api/campaigns/{id}"), Some(&owner), Some(base.clone())).await;
    assert_eq!(edit.status, StatusCode::CONFLICT, "{}", edit.body);
    assert_eq!(s.get(&format!("/api/campaigns/{id}"), &other).await.status, StatusCode::NOT_FOUND);
    assert!(s.get("/api/campaigns", &other).await.body["items"].as_array().unwrap().is_empty());
}

/// A buyer who writes while a campaign runs gets their reply at once: the
/// campaign leaves the live send its slot.
#[tokio::test]
async fn a_buyer_writing_during_a_campaign_is_answered_within_two_seconds() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Live Motors", "owner@live-motors.test").await;
    let bot = s.connect_bot(&owner, "LiveMotorsBot").await;
    let patch = s.call(Method::PATCH, &format!("/api/bots/{}", bot.id), Some(&owner), Some(json!({"auto_reply": "Thanks, a manager will answer soon"}))).await;
    assert_eq!(patch.status, StatusCode::OK, "{}", patch.body);
    const N: i64 = 150;
    seed::contacts_of_bot(&s, &ws, bot.id, 9_000, N).await;
    let users: Vec<UserRef> = (9_000..9_000 + N).map(|i| buyer(i, "Buyer")).collect();
    s.telegram.create_chats(bot.id, &users).unwrap();
    let id = start(&s, &owner, json!({"name": "Live", "content": {"text": "Hi"}, "bot_ids": [bot.id], "time_zone": "UTC"})).await;
    let sender = async {
        s.drain_campaigns().await;
    };
    let live = async {
        tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
        let asked = std::time::Instant::now();
        s.telegram.user_sends(bot.id, UserMessage::text(buyer(42, "Marta"), "Is the RAV4 still there?")).await.unwrap();
        s.consume_updates(1, std::time::Duration::from_secs(5)).await;
        let answered = s.telegram.outbox(bot.id, Some(42)).iter().any(|m| m.message["text"].as_str().is_some_and(|t| t.starts_with("Thanks")));
        (answered, asked.elapsed())
    };
    let ((), (answered, took)) = tokio::join!(sender, live);
    assert!(answered, "the buyer got no reply");
    assert!(took < std::time::Duration::from_secs(2), "the reply took {took:?}");
    let done = campaign(&s, &owner, &id).await;
    assert_eq!(done["progress"]["sent"], N, "{done}");
    let d = s.telegram.deliveries(bot.id).unwrap();
    assert!(d.per_second.iter().all(|(_, n)| *n <= 30), "over the cap: {:?}", d.per_second);
}

/// A "start scenario" button starts that scenario for whoever presses it;
/// "send test to me" reaches the member's linked Telegram, and only that.
#[tokio::test]
async fn a_scenario_button_starts_the_scenario_and_a_test_send_reaches_the_linked_member() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Button Motors", "owner@button-motors.test").await;
    let bot = s.connect_bot(&owner, "ButtonMotorsBot").await;
    let sc = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Leads", "template": "lead_generation", "language": "en"}))).await;
    assert_eq!(sc.status, StatusCode::CREATED, "{}", sc.body);
    let scenario_id = sc.body["id"].as_str().unwrap().to_string();
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{scenario_id}/publish"), Some(&owner), None).await.status, StatusCode::OK);
    // A worker remembers "no scenarios" for a few seconds: let them pass.
    cartie_store::clock::advance(10_000);
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(300, "Oksana"), "hello there")).await.unwrap();
    s.drain_updates().await;

    let body = json!({
        "name": "Find your car",
        "content": {"text": "{first_name}, shall we find your next car?", "buttons": [{"text": "Find my car", "action": "scenario", "scenario_id": scenario_id}]},
        "bot_ids": [bot.id],
        "time_zone": "UTC"
    });
    let created = s.call(Method::POST, "/api/campaigns", Some(&owner), Some(body)).await;
    let id = created.body["id"].as_str().unwrap().to_string();

    // Test send: first link your Telegram, then it arrives there only.
    let test = s.call(Method::POST, &format!("/api/campaigns/{id}/test"), Some(&owner), None).await;
    assert_eq!(test.status, StatusCode::CONFLICT, "{}", test.body);
    assert_eq!(test.field(), Some("telegram"));
    let link = s.call(Method::POST, "/api/notifications/telegram/link", Some(&owner), Some(json!({ "bot_id": bot.id }))).await;
    let url = link.body["url"].as_str().unwrap().to_string();
    let payload = url.split("?start=").nth(1).unwrap().to_string();
    let me = UserRef { id: 9_100, first_name: "Petro".into(), last_name: Some("Owner".into()), ..Default::default() };
    s.telegram.user_sends(bot.id, UserMessage { from: me.clone(), start_payload: Some(payload), deliveries: 1, ..Default::default() }).await.unwrap();
    s.drain_updates().await;
    let test = s.call(Method::POST, &format!("/api/campaigns/{id}/test"), Some(&owner), None).await;
    assert_eq!(test.status, StatusCode::OK, "{}", test.body);
    let mine = s.telegram.outbox(bot.id, Some(me.id));
    assert_eq!(mine.last().unwrap().message["text"], "Petro, shall we find your next car?");
    assert_eq!(campaign(&s, &owner, &id).await["status"], "draft", "a test send starts nothing");
    assert!(s.telegram.outbox(bot.id, Some(300)).iter().all(|m| !m.message["text"].as_str().unwrap_or_default().contains("shall we")));

    assert_eq!(s.call(Method::POST, &format!("/api/campaigns/{id}/send"), Some(&owner), None).await.status, StatusCode::OK);
    s.drain_jobs().await;
    s.drain_campaigns().await;
    let got = s.telegram.outbox(bot.id, Some(300));
    let offer = got.iter().find(|m| m.message["text"] == "Oksana, shall we find your next car?").expect("the campaign's message");
    let button = &offer.message["reply_markup"]["inline_keyboard"][0][0];
    assert_eq!(button["callback_data"], format!("cartie:scenario:{scenario_id}"));
    let before = got.len();
    let press = UserMessage {
        from: buyer(300, "Oksana"),
        callback: Some(tg_sandbox::UserCallback {
            message_id: offer.message["message_id"].as_i64().unwrap(),
            data: button["callback_data"].as_str().unwrap().into(),
        }),
        deliveries: 1,
        ..Default::default()
    };
    s.telegram.user_sends(bot.id, press).await.unwrap();
    s.drain_updates().await;
    let after = s.telegram.outbox(bot.id, Some(300));
    assert!(after.len() > before, "the press started nothing");
    let greeting = after[before].message["text"].as_str().unwrap_or_default().to_string();
    assert!(greeting.contains("Oksana") && greeting.contains("three quick questions"), "{greeting}");
}
