//! Inbox triage: open / snoozed / resolved, the views' counters, private
//! notes that never reach Telegram, canned replies, a phone saved from a
//! message — and none of it readable or writable from another workspace.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};
use tg_sandbox::{UserMessage, UserRef};

fn buyer(id: i64, name: &str) -> UserRef {
    UserRef { id, first_name: name.into(), ..Default::default() }
}

async fn buyer_writes(s: &Stack, bot: i64, who: i64, text: &str) {
    s.telegram.user_sends(bot, UserMessage::text(buyer(who, "Ann"), text)).await.unwrap();
    s.drain_updates().await;
}

async fn counts(s: &Stack, token: &str) -> Value {
    let a = s.get("/api/inbox/counts", token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body
}

async fn status_of(s: &Stack, token: &str, conv: &str) -> Value {
    let a = s.get(&format!("/api/inbox/conversations/{conv}"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body
}

async fn set_status(s: &Stack, token: &str, conv: &str, body: Value) -> (StatusCode, Value) {
    let a = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/status"), Some(token), Some(body)).await;
    (a.status, a.body)
}

async fn list(s: &Stack, token: &str, query: &str) -> Vec<String> {
    let a = s.get(&format!("/api/inbox/conversations?{query}"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_resolved_conversation_opens_again_when_the_buyer_writes() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Resolve Motors", "owner@resolve.test").await;
    let bot = s.connect_bot(&owner, "ResolveBot").await;
    buyer_writes(&s, bot.id, 501, "Is the Golf still there?").await;
    let conv = format!("{}:501", bot.id);
    let c = counts(&s, &owner).await;
    assert_eq!((c["open"].as_i64(), c["unread"].as_i64(), c["unassigned"].as_i64(), c["total"].as_i64()), (Some(1), Some(1), Some(1), Some(1)));

    let (st, body) = set_status(&s, &owner, &conv, json!({"status": "resolved"})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "resolved");
    let c = counts(&s, &owner).await;
    assert_eq!((c["open"].as_i64(), c["resolved"].as_i64(), c["unassigned"].as_i64()), (Some(0), Some(1), Some(0)));
    assert!(list(&s, &owner, "status=open").await.is_empty());
    assert_eq!(list(&s, &owner, "status=resolved").await, vec![conv.clone()]);

    buyer_writes(&s, bot.id, 501, "Hello? One more question").await;
    assert_eq!(status_of(&s, &owner, &conv).await["status"], "open");
    let c = counts(&s, &owner).await;
    assert_eq!((c["open"].as_i64(), c["resolved"].as_i64(), c["total"].as_i64()), (Some(1), Some(0), Some(1)));
    assert_eq!(list(&s, &owner, "status=open").await, vec![conv]);
}

#[tokio::test]
async fn a_snooze_wakes_at_its_time_and_not_before() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Snooze Motors", "owner@snooze.test").await;
    let bot = s.connect_bot(&owner, "SnoozeBot").await;
    buyer_writes(&s, bot.id, 502, "Call me tomorrow").await;
    let conv = format!("{}:502", bot.id);
    let now = cartie_store::clock::freeze();
    let until = now + 3 * 3_600_000;

    let (st, body) = set_status(&s, &owner, &conv, json!({"status": "snoozed"})).await;
    assert_eq!((st, body["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("snoozed_until")));
    let (st, body) = set_status(&s, &owner, &conv, json!({"status": "snoozed", "snoozed_until": cartie_store::util::rfc3339(now - 1000)})).await;
    assert_eq!((st, body["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("snoozed_until")));
    let (st, body) = set_status(&s, &owner, &conv, json!({"status": "snoozed", "snoozed_until": cartie_store::util::rfc3339(until)})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "snoozed");
    assert_eq!(counts(&s, &owner).await["snoozed"], 1);

    s.run_due_at(until - 3_600_000).await;
    assert_eq!(status_of(&s, &owner, &conv).await["status"], "snoozed", "an hour early it still sleeps");
    s.run_due_at(until + 60_000).await;
    let c = status_of(&s, &owner, &conv).await;
    assert_eq!(c["status"], "open", "{c}");
    assert_eq!(c["snoozed_until"], Value::Null);
    let c = counts(&s, &owner).await;
    assert_eq!((c["open"].as_i64(), c["snoozed"].as_i64()), (Some(1), Some(0)));
}

#[tokio::test]
async fn a_snooze_changed_meanwhile_is_not_woken_by_the_old_one() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Resnooze Motors", "owner@resnooze.test").await;
    let bot = s.connect_bot(&owner, "ResnoozeBot").await;
    buyer_writes(&s, bot.id, 503, "Next week please").await;
    let conv = format!("{}:503", bot.id);
    let now = cartie_store::clock::freeze();
    let first = now + 3_600_000;
    let later = now + 5 * 3_600_000;
    set_status(&s, &owner, &conv, json!({"status": "snoozed", "snoozed_until": cartie_store::util::rfc3339(first)})).await;
    let (st, _) = set_status(&s, &owner, &conv, json!({"status": "snoozed", "snoozed_until": cartie_store::util::rfc3339(later)})).await;
    assert_eq!(st, StatusCode::OK);
    s.run_due_at(first + 60_000).await;
    assert_eq!(status_of(&s, &owner, &conv).await["status"], "snoozed", "the first snooze's time no longer counts");
    // A buyer's message opens it at once; the later wake-up then changes nothing.
    buyer_writes(&s, bot.id, 503, "Actually, today").await;
    assert_eq!(status_of(&s, &owner, &conv).await["status"], "open");
    set_status(&s, &owner, &conv, json!({"status": "resolved"})).await;
    s.run_due_at(later + 60_000).await;
    assert_eq!(status_of(&s, &owner, &conv).await["status"], "resolved");
}

#[tokio::test]
async fn a_private_note_shows_in_the_timeline_and_never_reaches_telegram() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Note Motors", "owner@note.test").await;
    let bot = s.connect_bot(&owner, "NoteBot").await;
    buyer_writes(&s, bot.id, 504, "What is the best price?").await;
    s.drain_jobs().await;
    let conv = format!("{}:504", bot.id);
    let sent_before = s.telegram.outbox(bot.id, None).len();
    let preview_before = status_of(&s, &owner, &conv).await["preview"].clone();

    let a = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/notes"), Some(&owner), Some(json!({"text": "He can pay 9000 at most"}))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let empty = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/notes"), Some(&owner), Some(json!({"text": "   "}))).await;
    assert_eq!((empty.status, empty.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("text")));
    s.drain_updates().await;
    s.drain_jobs().await;

    assert_eq!(s.telegram.outbox(bot.id, None).len(), sent_before, "the sandbox got nothing for the note");
    let history = s.get(&format!("/api/inbox/conversations/{conv}/messages"), &owner).await;
    let note = history.body["items"].as_array().unwrap().iter().find(|m| m["note_id"].is_string()).cloned().expect("the note is in the timeline");
    assert_eq!(note["text"], "He can pay 9000 at most");
    assert_eq!(note["sent_by"], "owner@note.test");
    assert_eq!(status_of(&s, &owner, &conv).await["preview"], preview_before, "a note is not the conversation's last message");
}

#[tokio::test]
async fn counters_follow_assign_resolve_and_read() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Count Motors", "owner@count.test").await;
    let manager = s.member(&owner, "manager@count.test", "manager").await;
    let bot = s.connect_bot(&owner, "CountBot").await;
    buyer_writes(&s, bot.id, 601, "Hi").await;
    buyer_writes(&s, bot.id, 601, "Are you there?").await;
    buyer_writes(&s, bot.id, 602, "Hello").await;
    let (c1, c2) = (format!("{}:601", bot.id), format!("{}:602", bot.id));
    let c = counts(&s, &owner).await;
    assert_eq!((c["unread"].as_i64(), c["open"].as_i64(), c["unassigned"].as_i64()), (Some(2), Some(2), Some(2)), "conversations, not messages: {c}");

    let a = s.call(Method::PATCH, &format!("/api/inbox/conversations/{c1}"), Some(&owner), Some(json!({"assignee": "manager@count.test"}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let m = counts(&s, &manager).await;
    assert_eq!((m["mine"].as_i64(), m["unassigned"].as_i64()), (Some(1), Some(1)));
    assert_eq!(counts(&s, &owner).await["mine"], 0);
    assert_eq!(list(&s, &manager, "tab=mine").await, vec![c1.clone()]);
    assert_eq!(list(&s, &manager, "tab=unassigned").await, vec![c2.clone()]);

    let (st, _) = set_status(&s, &manager, &c1, json!({"status": "resolved"})).await;
    assert_eq!(st, StatusCode::OK);
    let m = counts(&s, &manager).await;
    assert_eq!((m["mine"].as_i64(), m["open"].as_i64(), m["resolved"].as_i64()), (Some(0), Some(1), Some(1)));

    assert_eq!(s.call(Method::POST, &format!("/api/inbox/conversations/{c2}/read"), Some(&owner), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(counts(&s, &owner).await["unread"], 1);
    assert_eq!(list(&s, &owner, "unread=true").await, vec![c1.clone()]);
    let dash = s.get("/api/dashboard", &owner).await;
    let kpi = dash.body["kpis"].as_array().unwrap().iter().find(|k| k["key"] == "unread_conversations").cloned().unwrap();
    assert_eq!((kpi["value"].as_i64(), kpi["link"].as_str()), (Some(1), Some("/inbox?unread=1")));

    let bad = s.get("/api/inbox/conversations?tab=theirs", &owner).await;
    assert_eq!((bad.status, bad.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("tab")));
}

#[tokio::test]
async fn canned_replies_are_the_teams_library() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Canned Motors", "owner@canned.test").await;
    let viewer = s.member(&owner, "viewer@canned.test", "viewer").await;
    let add = |body: Value| s.call(Method::POST, "/api/inbox/canned", Some(&owner), Some(body));
    let a = add(json!({"shortcut": "/Price", "text": "Hi {first_name}, the price is final."})).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["shortcut"], "price");
    assert_eq!(add(json!({"shortcut": "price", "text": "again"})).await.status, StatusCode::CONFLICT);
    let bad = add(json!({"shortcut": "two words", "text": "x"})).await;
    assert_eq!((bad.status, bad.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("shortcut")));
    assert_eq!(add(json!({"shortcut": "адреса", "text": "Київ, вул. Автомобільна 1"})).await.status, StatusCode::CREATED);

    let listed = s.get("/api/inbox/canned", &viewer).await;
    let shortcuts: Vec<_> = listed.body["items"].as_array().unwrap().iter().map(|r| r["shortcut"].as_str().unwrap().to_string()).collect();
    assert_eq!(shortcuts, vec!["price", "адреса"]);
    let by_viewer = s.call(Method::POST, "/api/inbox/canned", Some(&viewer), Some(json!({"shortcut": "v", "text": "x"}))).await;
    assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);

    let up = s.call(Method::PUT, "/api/inbox/canned/price", Some(&owner), Some(json!({"text": "New text"}))).await;
    assert_eq!((up.status, up.body["text"].as_str()), (StatusCode::OK, Some("New text")));
    assert_eq!(s.call(Method::PUT, "/api/inbox/canned/nope", Some(&owner), Some(json!({"text": "x"}))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::DELETE, "/api/inbox/canned/price", Some(&owner), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(s.call(Method::DELETE, "/api/inbox/canned/price", Some(&owner), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get("/api/inbox/canned", &owner).await.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_phone_from_a_message_is_saved_to_the_contact() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Phone Motors", "owner@phone.test").await;
    let bot = s.connect_bot(&owner, "PhoneBot").await;
    buyer_writes(&s, bot.id, 505, "My number is 067 123 45 67").await;
    let conv = format!("{}:505", bot.id);
    assert_eq!(status_of(&s, &owner, &conv).await["phone"], Value::Null);
    let a = s.call(Method::PUT, &format!("/api/inbox/conversations/{conv}/phone"), Some(&owner), Some(json!({"phone": "067 123 45 67"}))).await;
    assert_eq!((a.status, a.body["phone"].as_str()), (StatusCode::OK, Some("+380671234567")), "{}", a.body);
    assert_eq!(status_of(&s, &owner, &conv).await["phone"], "+380671234567");
    let bad = s.call(Method::PUT, &format!("/api/inbox/conversations/{conv}/phone"), Some(&owner), Some(json!({"phone": "call me"}))).await;
    assert_eq!((bad.status, bad.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("phone")));
}

#[tokio::test]
async fn another_workspace_cannot_read_or_write_any_of_it() {
    let s = Stack::new().await;
    let (_a, owner_a) = s.workspace("Alpha Triage", "owner@alpha-triage.test").await;
    let (_b, owner_b) = s.workspace("Beta Triage", "owner@beta-triage.test").await;
    let bot = s.connect_bot(&owner_a, "AlphaTriageBot").await;
    buyer_writes(&s, bot.id, 506, "Hi").await;
    let conv = format!("{}:506", bot.id);
    s.call(Method::POST, "/api/inbox/canned", Some(&owner_a), Some(json!({"shortcut": "hi", "text": "Hello"}))).await;
    s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/notes"), Some(&owner_a), Some(json!({"text": "secret"}))).await;

    let c = counts(&s, &owner_b).await;
    assert_eq!((c["total"].as_i64(), c["open"].as_i64(), c["unread"].as_i64()), (Some(0), Some(0), Some(0)));
    assert!(s.get("/api/inbox/canned", &owner_b).await.body["items"].as_array().unwrap().is_empty());
    for (method, path, body) in [
        (Method::POST, format!("/api/inbox/conversations/{conv}/status"), Some(json!({"status": "resolved"}))),
        (Method::POST, format!("/api/inbox/conversations/{conv}/notes"), Some(json!({"text": "B was here"}))),
        (Method::PUT, format!("/api/inbox/conversations/{conv}/phone"), Some(json!({"phone": "+380671234567"}))),
        (Method::GET, format!("/api/inbox/conversations/{conv}/messages"), None),
        (Method::PUT, "/api/inbox/canned/hi".to_string(), Some(json!({"text": "B's"}))),
        (Method::DELETE, "/api/inbox/canned/hi".to_string(), None),
    ] {
        let a = s.call(method.clone(), &path, Some(&owner_b), body).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{method} {path}: {}", a.body);
    }
    // A's things are as they were.
    assert_eq!(status_of(&s, &owner_a, &conv).await["status"], "open");
    assert_eq!(s.get("/api/inbox/canned", &owner_a).await.body["items"][0]["text"], "Hello");
    let history = s.get(&format!("/api/inbox/conversations/{conv}/messages"), &owner_a).await;
    assert_eq!(history.body["items"].as_array().unwrap().iter().filter(|m| m["note_id"].is_string()).count(), 1);
}

/// "Create request" opens filled in from what the buyer wrote (the issue's
/// own example, then a later message in Ukrainian changing the car), reads
/// nothing the team wrote, and refuses a viewer and another workspace.
#[tokio::test]
async fn create_request_is_prefilled_from_the_buyers_words() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Draft Motors", "owner@draft.test").await;
    let (_ws_b, other) = s.workspace("Other Draft", "owner@other-draft.test").await;
    let viewer = s.member(&owner, "viewer@draft.test", "viewer").await;
    let bot = s.connect_bot(&owner, "DraftMotorsBot").await;
    let conv = format!("{}:7701", bot.id);
    let draft = |token: String| {
        let s = &s;
        let conv = conv.clone();
        async move { s.get(&format!("/api/inbox/conversations/{conv}/request-draft"), &token).await }
    };

    buyer_writes(&s, bot.id, 7701, "Hi! Looking for a Toyota RAV4 2019-2021 under $25k").await;
    let d = draft(owner.clone()).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(
        (&d.body["make"], &d.body["model"], &d.body["year_from"], &d.body["year_to"], &d.body["budget"], &d.body["currency"]),
        (&json!("Toyota"), &json!("RAV4"), &json!(2019), &json!(2021), &json!(25000), &json!("USD")),
        "{}",
        d.body
    );

    // The team's own reply names another car; it is not the buyer's wish.
    let r = s
        .call(
            Method::POST,
            &format!("/api/inbox/conversations/{conv}/messages"),
            Some(&owner),
            Some(json!({"kind": "text", "text": "We have a BMW X5 for 40 000 EUR"})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(draft(owner.clone()).await.body["make"], "Toyota");

    // The buyer changes their mind: the newest words win, the rest stays.
    buyer_writes(&s, bot.id, 7701, "А може краще фольксваген тігуан?").await;
    let d = draft(owner.clone()).await;
    assert_eq!((&d.body["make"], &d.body["model"], &d.body["budget"]), (&json!("Volkswagen"), &json!("Tiguan"), &json!(25000)), "{}", d.body);
    assert_eq!(d.body["quote"], "А може краще фольксваген тігуан?");

    assert_eq!(draft(viewer).await.status, StatusCode::FORBIDDEN, "drafting a request is for those who create them");
    assert_eq!(draft(other).await.status, StatusCode::NOT_FOUND);
}

/// The Inbox search: a conversation is found by the buyer's name, username
/// or phone and by the words of its messages (by prefix, every word must
/// match), across all bots or one; another workspace finds nothing; the
/// index entries of an erased buyer go with them.
#[tokio::test]
async fn conversations_are_found_by_the_buyers_name_phone_and_message_words() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Search Motors", "owner@search.test").await;
    let (_, other) = s.workspace("Other Search", "owner@other-search.test").await;
    let a = s.connect_bot(&owner, "SearchABot").await;
    let b = s.connect_bot(&owner, "SearchBBot").await;
    let said = |bot: i64, id: i64, name: &str, text: &str| {
        let (s, name, text) = (&s, name.to_string(), text.to_string());
        async move {
            s.telegram.user_sends(bot, UserMessage::text(UserRef { id, first_name: name, ..Default::default() }, text)).await.expect("sent");
            s.drain_updates().await;
        }
    };
    said(a.id, 8101, "Taras", "Шукаю Toyota RAV4 2019, білий").await;
    said(a.id, 8102, "Iryna", "Is the BMW X5 still for sale?").await;
    said(b.id, 8103, "Bohdan", "RAV4 hybrid please").await;
    said(b.id, 8101, "Taras", "hello from the other bot").await;
    let edit = json!({"phone": "+380 67 555 44 33"});
    assert_eq!(s.call(Method::PATCH, "/api/contacts/8102", Some(&owner), Some(edit)).await.status, StatusCode::OK);
    // A manager's reply is searchable too.
    let r = s
        .call(
            Method::POST,
            &format!("/api/inbox/conversations/{}:8102/messages", a.id),
            Some(&owner),
            Some(json!({"kind": "text", "text": "Yes, the X5 is here: 41 000 EUR"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let found = |q: &str, token: &str| {
        let (s, q, token) = (&s, q.to_string(), token.to_string());
        async move {
            let r = s.get(&format!("/api/inbox/conversations?q={}", urlencode(&q)), &token).await;
            assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
            let mut ids: Vec<String> = r.body["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().unwrap_or_default().to_string()).collect();
            ids.sort();
            ids
        }
    };
    let conv = |bot: i64, chat: i64| format!("{bot}:{chat}");
    let mut rav = vec![conv(a.id, 8101), conv(b.id, 8103)];
    rav.sort();
    assert_eq!(found("rav4", &owner).await, rav, "message words, across bots");
    assert_eq!(found("rav", &owner).await, rav, "by prefix");
    assert_eq!(found("rav4 білий", &owner).await, vec![conv(a.id, 8101)], "every word must match");
    assert_eq!(found("шукаю", &owner).await, vec![conv(a.id, 8101)], "Ukrainian words");
    let mut taras = vec![conv(a.id, 8101), conv(b.id, 8101)];
    taras.sort();
    assert_eq!(found("taras", &owner).await, taras, "the buyer's name: each bot's chat");
    assert_eq!(found("0675554", &owner).await, vec![conv(a.id, 8102)], "the contact's phone");
    assert_eq!(found("41 000 eur", &owner).await, vec![conv(a.id, 8102)], "a manager's reply");
    assert!(found("mercedes", &owner).await.is_empty());
    let r = s.get(&format!("/api/inbox/conversations?q=rav4&bot_id={}", b.id), &owner).await;
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(1), "one bot's: {}", r.body);
    assert!(found("rav4", &other).await.is_empty(), "another workspace finds nothing");
    let r = s.get(&format!("/api/inbox/conversations?q={}", "x".repeat(101)), &owner).await;
    assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("q")));
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
