//! The webhook and the update worker under the conditions Telegram creates:
//! duplicate and concurrent deliveries, a first delivery that dies after its
//! claim, a bot that is disconnected, long `retry_after` answers — and what
//! a plain message costs in DynamoDB/SQS calls.

use cartie_e2e::{Stack, StatusCode, POLLING};
use serde_json::{json, Value};
use tg_sandbox::{UserMessage, UserRef};

fn buyer(id: i64, name: &str) -> UserRef {
    UserRef { id, first_name: name.into(), username: Some(name.to_lowercase()), ..Default::default() }
}

fn text_update(update_id: i64, chat: i64, text: &str) -> Value {
    json!({"update_id": update_id, "message": {"message_id": update_id, "date": 1_700_000_000, "chat": {"id": chat, "type": "private", "first_name": "Ann"},
        "from": {"id": chat, "is_bot": false, "first_name": "Ann"}, "text": text}})
}

async fn stored_messages(s: &Stack, token: &str, conv: &str) -> Vec<Value> {
    let a = s.get(&format!("/api/inbox/conversations/{conv}/messages?limit=100"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn five_concurrent_deliveries_are_all_acknowledged_and_processed_once() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Five Motors", "owner@five.test").await;
    let bot = s.connect_bot(&owner, "FiveBot").await;
    let update = text_update(7001, 601, "Is the Passat still there?");
    let answers = futures_util::future::join_all((0..5).map(|_| s.deliver(bot.id, &update))).await;
    assert!(answers.iter().all(|a| a.status == StatusCode::NO_CONTENT), "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
    assert_eq!(s.drain_updates().await, 1, "the FIFO queue took it once");
    assert_eq!(stored_messages(&s, &owner, &format!("{}:601", bot.id)).await.len(), 1);
    // A retry after processing is acknowledged and changes nothing.
    assert_eq!(s.deliver(bot.id, &update).await.status, StatusCode::NO_CONTENT);
    assert_eq!(s.drain_updates().await, 0);
}

#[tokio::test]
async fn a_first_delivery_killed_after_its_claim_is_processed_by_the_retry() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Crash Motors", "owner@crash.test").await;
    let bot = s.connect_bot(&owner, "CrashBot").await;
    // The first delivery claimed the update and died before queueing it.
    let claim = s.app.store.claim_update(&ws, bot.id, 7002).await.unwrap();
    assert_eq!(claim, cartie_store::inbox::Claim::Mine);
    assert_eq!(s.drain_updates().await, 0, "nothing was queued");
    // Telegram retries; the retry queues it.
    let a = s.deliver(bot.id, &text_update(7002, 602, "Hello?")).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    assert_eq!(s.drain_updates().await, 1);
    let stored = stored_messages(&s, &owner, &format!("{}:602", bot.id)).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["text"], "Hello?");
}

#[tokio::test]
async fn a_disconnected_bot_stops_being_accepted_within_a_minute() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Gone Motors", "owner@gone.test").await;
    let bot = s.connect_bot(&owner, "GoneBot").await;
    let secret = s.telegram.webhook(bot.id).and_then(|w| w.secret_token).unwrap();
    let post = |update: Value| {
        let req = http::Request::post(format!("/tg/{}", bot.id)).header("x-telegram-bot-api-secret-token", &secret);
        s.send(req.body(axum::body::Body::from(update.to_string())).unwrap())
    };
    assert_eq!(post(text_update(1, 603, "one")).await.status, StatusCode::NO_CONTENT);
    let a = s.call(http::Method::DELETE, &format!("/api/bots/{}", bot.id), Some(&owner), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let now = cartie_store::clock::freeze();
    cartie_store::clock::freeze_at(now + tg_webhook::ROUTE_FRESH_MS + 1_000);
    assert_eq!(post(text_update(2, 603, "two")).await.status, StatusCode::NOT_FOUND, "refused once the warm route is stale");
    assert_eq!(s.drain_updates().await, 1, "only the first update was queued");
}

/// The budget of DynamoDB and SQS calls Cartie makes for one plain text
/// message to a bot without scenarios, webhook and worker together, in a
/// conversation that exists (Lambda's own queue polling not counted). Raise
/// it here, explicitly, when a module adds work to this path.
///
/// 5 = the webhook's claim and enqueue, the worker's conversation read and
/// message transaction, and (since the Inbox search) one BatchWriteItem of
/// the index entries for words the conversation has not had yet. A message
/// of known words costs 4.
const PLAIN_MESSAGE_BUDGET: u64 = 5;

#[tokio::test]
async fn a_plain_message_costs_at_most_its_budget_of_calls() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Lean Motors", "owner@lean.test").await;
    let bot = s.connect_bot(&owner, "LeanBot").await;
    let ann = buyer(604, "Ann");
    // The first message opens the conversation (and warms the route cache).
    s.telegram.user_sends(bot.id, UserMessage::text(ann.clone(), "Hi")).await.unwrap();
    s.drain_updates().await;
    let before = s.calls.snapshot();
    let d = s.telegram.user_sends(bot.id, UserMessage::text(ann.clone(), "What is the mileage?")).await.unwrap();
    assert_eq!(d.statuses, vec![204]);
    assert_eq!(s.drain_updates().await, 1);
    let used = s.calls.since(&before, POLLING);
    let total: u64 = used.values().sum();
    println!("calls for one plain message: {total} {used:?}");
    assert!(total <= PLAIN_MESSAGE_BUDGET, "{total} calls: {used:?}");
    assert_eq!(stored_messages(&s, &owner, &format!("{}:604", bot.id)).await.len(), 2);
    // The same words again: nothing new to index.
    let before = s.calls.snapshot();
    s.telegram.user_sends(bot.id, UserMessage::text(ann.clone(), "what is the MILEAGE")).await.unwrap();
    assert_eq!(s.drain_updates().await, 1);
    let used = s.calls.since(&before, POLLING);
    assert_eq!(used.values().sum::<u64>(), PLAIN_MESSAGE_BUDGET - 1, "{used:?}");
}

#[tokio::test]
async fn a_long_retry_after_is_waited_out_by_the_queue_not_slept() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Slow Motors", "owner@slow.test").await;
    let bot = s.connect_bot(&owner, "SlowBot").await;
    let a = s.call(http::Method::PATCH, &format!("/api/bots/{}", bot.id), Some(&owner), Some(json!({"auto_reply": "Welcome to Slow Motors!"}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    // Telegram slows the bot for ten minutes: the greeting waits on the
    // queue (the message hidden that long), the worker returns at once.
    s.telegram.force_retry_after(bot.id, 600, 1);
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(605, "Bo"), "/start")).await.unwrap();
    let started = std::time::Instant::now();
    let n = cartie::poll_once(&s.app, cartie::Worker::Updates, 0).await.unwrap();
    assert_eq!(n, 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "the worker slept: {:?}", started.elapsed());
    assert!(s.telegram.outbox(bot.id, Some(605)).is_empty(), "nothing sent yet");
    assert_eq!(s.drain_updates().await, 0, "the update stays hidden on the queue for the wait");

    // Telegram slows it for two hours: too long to hide on the queue, so
    // the update is parked in the scheduler's buckets and the chat goes on.
    s.telegram.force_retry_after(bot.id, 7_200, 1);
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(606, "Cy"), "/start")).await.unwrap();
    assert_eq!(s.drain_updates().await, 1);
    assert!(s.telegram.outbox(bot.id, Some(606)).is_empty());
    // Two hours later (by the clock, not by sleeping) the greeting goes out once.
    let later = cartie_store::util::now_ms() + 7_200_000 + 60_000;
    s.run_due_at(later).await;
    let sent = s.telegram.outbox(bot.id, Some(606));
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].message["text"], "Welcome to Slow Motors!");
    s.run_due_at(later + 60_000).await;
    assert_eq!(s.telegram.outbox(bot.id, Some(606)).len(), 1, "once");
}

#[tokio::test]
async fn answers_in_a_group_are_kept_on_the_person_who_gave_them() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Group Motors", "owner@group.test").await;
    let bot = s.connect_bot(&owner, "GroupBot").await;
    // A one-question scenario: the budget is stored on the contact.
    let graph = json!({"triggers": [{"kind": "keyword", "value": "budget", "node": "ask"}],
        "nodes": [{"id": "ask", "step": {"kind": "question", "text": "Your budget?", "variable": "budget", "answer": "text", "next": "bye"}},
                  {"id": "bye", "step": {"kind": "message", "text": "Thanks!", "next": null}}]});
    let created = s.call(http::Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Budget"}))).await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let saved = s.call(http::Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Budget", "draft": graph}))).await;
    assert_eq!(saved.body["problems"], json!([]), "{}", saved.body);
    let published = s.call(http::Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    // Dee writes in a group chat (the chat id is the group's, not Dee's).
    let group = -100_777;
    let dee = json!({"id": 607, "is_bot": false, "first_name": "Dee"});
    let msg = |id: i64, text: &str| json!({"update_id": id, "message": {"message_id": id, "date": 1_700_000_000 + id, "chat": {"id": group, "type": "group", "title": "Buyers"}, "from": dee, "text": text}});
    for (id, text) in [(8001, "/start"), (8002, "budget"), (8003, "25000")] {
        assert_eq!(s.deliver(bot.id, &msg(id, text)).await.status, StatusCode::NO_CONTENT);
        s.drain_updates().await;
    }
    let contact = s.app.store.contact(&ws, bot.id, 607).await.unwrap().expect("Dee is a contact");
    assert_eq!(contact.vars.get("budget").map(String::as_str), Some("25000"), "{contact:?}");
    assert!(s.app.store.contact(&ws, bot.id, group).await.unwrap().is_none(), "nothing filed under the group's id");
}
