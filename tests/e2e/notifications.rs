//! The notification centre end to end, over moto and the Telegram sandbox:
//! events raised by the Inbox (an assignment, a buyer's first message) and
//! by any module through `cartie_platform::notify`, delivered by the jobs
//! worker into each member's notifications and unread counter, read marks,
//! workspace isolation, linking a member's own Telegram through a bot with
//! a one-time token, and the Telegram copies (language, preferences, 429,
//! blocked bot).

use cartie_domain::notify::{Event, Notice, Recipients};
use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};
use tg_sandbox::{BotInfo, UserMessage, UserRef};

fn person(id: i64, name: &str) -> UserRef {
    UserRef { id, first_name: name.into(), username: Some(name.to_lowercase()), ..Default::default() }
}

/// A workspace with a bot, an owner, two managers and a viewer.
struct Team {
    s: Stack,
    ws: String,
    owner: String,
    mia: String,
    noa: String,
    viewer: String,
    bot: BotInfo,
}

async fn team(name: &str) -> Team {
    let s = Stack::new().await;
    let domain = name.to_lowercase().replace(' ', "");
    let (ws, owner) = s.workspace(name, &format!("owner@{domain}.test")).await;
    let mia = s.member(&owner, &format!("mia@{domain}.test"), "manager").await;
    let noa = s.member(&owner, &format!("noa@{domain}.test"), "manager").await;
    let viewer = s.member(&owner, &format!("vic@{domain}.test"), "viewer").await;
    let bot = s.connect_bot(&owner, &format!("{}Bot", name.replace(' ', ""))).await;
    Team { s, ws, owner, mia, noa, viewer, bot }
}

/// A buyer's first message, processed, and the jobs it raised run.
async fn buyer_writes(t: &Team, buyer: i64, name: &str) -> String {
    t.s.telegram.user_sends(t.bot.id, UserMessage::text(person(buyer, name), "Is the Passat still there?")).await.unwrap();
    t.s.drain_updates().await;
    t.s.drain_jobs().await;
    format!("{}:{buyer}", t.bot.id)
}

async fn assign(t: &Team, by: &str, conv: &str, to: Option<&str>) {
    let a = t.s.call(Method::PATCH, &format!("/api/inbox/conversations/{conv}"), Some(by), Some(json!({ "assignee": to }))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["assignee"], json!(to));
}

async fn list(s: &Stack, token: &str) -> Value {
    let a = s.get("/api/notifications?limit=100", token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body
}

fn of_kind<'a>(page: &'a Value, kind: &str) -> Vec<&'a Value> {
    page["items"].as_array().unwrap().iter().filter(|n| n["notice"]["kind"] == kind).collect()
}

async fn unread(s: &Stack, token: &str) -> u64 {
    let a = s.get("/api/notifications/unread", token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body["unread"].as_u64().unwrap()
}

/// Takes every message off the jobs queue (unprocessed) and returns their bodies.
async fn take_jobs(s: &Stack) -> Vec<String> {
    let url = s.app.queues.url("jobs").await.unwrap();
    let mut bodies = Vec::new();
    loop {
        let out = s.app.aws.sqs.receive_message().queue_url(&url).max_number_of_messages(10).send().await.unwrap();
        let msgs = out.messages.unwrap_or_default();
        if msgs.is_empty() {
            return bodies;
        }
        for m in msgs {
            bodies.push(m.body.unwrap_or_default());
            s.app.aws.sqs.delete_message().queue_url(&url).receipt_handle(m.receipt_handle.unwrap_or_default()).send().await.unwrap();
        }
    }
}

async fn put_job(s: &Stack, body: &str) {
    let url = s.app.queues.url("jobs").await.unwrap();
    s.app.aws.sqs.send_message().queue_url(url).message_body(body).send().await.unwrap();
}

#[tokio::test]
async fn an_assignment_notifies_the_assignee_once_even_when_its_job_runs_twice() {
    let t = team("Assign Motors").await;
    let conv = buyer_writes(&t, 501, "Ann").await;

    // The owner assigns the conversation to Mia; its event is delivered twice.
    assign(&t, &t.owner, &conv, Some("mia@assignmotors.test")).await;
    let jobs = take_jobs(&t.s).await;
    assert_eq!(jobs.len(), 1, "one event queued: {jobs:?}");
    put_job(&t.s, &jobs[0]).await;
    put_job(&t.s, &jobs[0]).await;
    assert_eq!(t.s.drain_jobs().await, 2);

    let page = list(&t.s, &t.mia).await;
    let assigned = of_kind(&page, "lead_assigned");
    assert_eq!(assigned.len(), 1, "{page}");
    let n = assigned[0];
    assert_eq!(n["notice"]["params"]["buyer"], "Ann");
    assert_eq!(n["notice"]["params"]["by"], "Assign Motors Owner");
    assert_eq!(n["link"], format!("/inbox/{conv}"));
    assert_eq!(n["read"], false);
    // The new lead and the assignment, counted once each.
    assert_eq!(unread(&t.s, &t.mia).await, 2);
    assert_eq!(page["unread"], 2);

    // The assigner is not told of their own act; nor is anyone who takes a
    // conversation themselves, or gets one they already have.
    assert!(of_kind(&list(&t.s, &t.owner).await, "lead_assigned").is_empty());
    assign(&t, &t.noa, &conv, Some("noa@assignmotors.test")).await;
    assign(&t, &t.owner, &conv, Some("noa@assignmotors.test")).await;
    t.s.drain_jobs().await;
    assert!(of_kind(&list(&t.s, &t.noa).await, "lead_assigned").is_empty());
    // Back to Mia, by Noa: a second, separate notification.
    assign(&t, &t.noa, &conv, Some("mia@assignmotors.test")).await;
    t.s.drain_jobs().await;
    let again = list(&t.s, &t.mia).await;
    let assigned = of_kind(&again, "lead_assigned");
    assert_eq!(assigned.len(), 2);
    assert_eq!(assigned[0]["notice"]["params"]["by"], "noa@assignmotors.test", "newest first");
    assert_eq!(unread(&t.s, &t.mia).await, 3);
}

#[tokio::test]
async fn a_buyers_first_message_notifies_the_managers_once() {
    let t = team("Lead Motors").await;
    let conv = buyer_writes(&t, 502, "Bo").await;
    for token in [&t.owner, &t.mia, &t.noa] {
        let page = list(&t.s, token).await;
        let leads = of_kind(&page, "new_lead");
        assert_eq!(leads.len(), 1, "{page}");
        assert_eq!(leads[0]["notice"]["params"]["bot"], "LeadMotorsBot");
        assert_eq!(leads[0]["link"], format!("/inbox/{conv}"));
    }
    assert_eq!(unread(&t.s, &t.viewer).await, 0, "a viewer does not work leads");
    // The next message of the same buyer is no new lead; nor is a redelivery.
    t.s.telegram.user_sends(t.bot.id, UserMessage::text(person(502, "Bo"), "And the price?")).await.unwrap();
    t.s.drain_updates().await;
    assert_eq!(t.s.drain_jobs().await, 0, "a plain message queues nothing");
    assert_eq!(unread(&t.s, &t.mia).await, 1);
}

#[tokio::test]
async fn the_unread_counter_follows_writes_and_read_marks() {
    let t = team("Count Motors").await;
    // Thirty events from another module, through the event API.
    for i in 0..30 {
        let event = Event {
            id: format!("campaign-{i}"),
            workspace_id: t.ws.clone(),
            at_ms: 1_700_000_000_000 + i * 1000,
            notice: Notice::CampaignFinished { campaign_id: format!("c{i}"), name: format!("Spring sale {i}"), sent: 100, failed: 2 },
            recipients: Recipients::User { email: "mia@countmotors.test".into() },
            actor: None,
        };
        cartie_platform::notify::notify(&t.s.app, event).await.unwrap();
    }
    t.s.drain_jobs().await;
    assert_eq!(unread(&t.s, &t.mia).await, 30);

    // Newest first, in pages.
    let first = t.s.get("/api/notifications?limit=20", &t.mia).await;
    let items = first.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert_eq!(items[0]["notice"]["params"]["name"], "Spring sale 29");
    assert_eq!(items[0]["link"], "/campaigns?campaign=c29");
    let cursor = first.body["next_cursor"].as_str().expect("a next page");
    let second = t.s.get(&format!("/api/notifications?limit=20&cursor={cursor}"), &t.mia).await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 10);
    assert_eq!(second.body["items"][9]["notice"]["params"]["name"], "Spring sale 0");

    // The bell polls with its ETag: unchanged is a 304.
    let bell = t.s.get("/api/notifications/unread", &t.mia).await;
    let etag = bell.headers["etag"].to_str().unwrap().to_string();
    let req = http::Request::get("/api/notifications/unread")
        .header("authorization", format!("Bearer {}", t.mia))
        .header("if-none-match", &etag)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(t.s.send(req).await.status, StatusCode::NOT_MODIFIED);

    // One read: the counter moves once, however often it is marked.
    let id = items[0]["id"].as_str().unwrap();
    for _ in 0..2 {
        let a = t.s.call(Method::POST, &format!("/api/notifications/{id}/read"), Some(&t.mia), None).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(a.body["unread"], 29);
    }
    assert_eq!(list(&t.s, &t.mia).await["items"][0]["read"], true);
    let missing = t.s.call(Method::POST, "/api/notifications/1700000000000-0123456789abcdef0123/read", Some(&t.mia), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // All read, in batches, counter to zero; a second "all read" changes nothing.
    for _ in 0..2 {
        let a = t.s.call(Method::POST, "/api/notifications/read", Some(&t.mia), None).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(a.body["unread"], 0);
    }
    let page = list(&t.s, &t.mia).await;
    assert!(page["items"].as_array().unwrap().iter().all(|n| n["read"] == true), "{page}");
    // A late redelivery of an old event does not count it again.
    let event = Event {
        id: "campaign-3".into(),
        workspace_id: t.ws.clone(),
        at_ms: 1_700_000_003_000,
        notice: Notice::CampaignFinished { campaign_id: "c3".into(), name: "Spring sale 3".into(), sent: 100, failed: 2 },
        recipients: Recipients::User { email: "mia@countmotors.test".into() },
        actor: None,
    };
    cartie_platform::notify::notify(&t.s.app, event).await.unwrap();
    t.s.drain_jobs().await;
    assert_eq!(unread(&t.s, &t.mia).await, 0);
    assert_eq!(list(&t.s, &t.mia).await["items"].as_array().unwrap().len(), 30);
}

#[tokio::test]
async fn another_workspace_or_member_never_sees_or_marks_them() {
    let t = team("Mine Motors").await;
    let conv = buyer_writes(&t, 503, "Cy").await;
    assign(&t, &t.owner, &conv, Some("mia@minemotors.test")).await;
    t.s.drain_jobs().await;
    let mine = list(&t.s, &t.mia).await;
    let id = mine["items"][0]["id"].as_str().unwrap().to_string();
    let before = unread(&t.s, &t.mia).await;

    let (_other_ws, stranger) = t.s.workspace("Other Motors", "owner@othermotors.test").await;
    assert_eq!(list(&t.s, &stranger).await["items"], json!([]));
    assert_eq!(unread(&t.s, &stranger).await, 0);
    for token in [&stranger, &t.noa] {
        let a = t.s.call(Method::POST, &format!("/api/notifications/{id}/read"), Some(token), None).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        let all = t.s.call(Method::POST, "/api/notifications/read", Some(token), None).await;
        assert_eq!(all.status, StatusCode::OK);
    }
    assert_eq!(unread(&t.s, &t.mia).await, before, "Mia's notifications untouched");
    assert!(list(&t.s, &t.mia).await["items"].as_array().unwrap().iter().all(|n| n["read"] == false));

    // Mia's cursor is nobody else's.
    let page = t.s.get("/api/notifications?limit=1", &t.mia).await;
    let cursor = page.body["next_cursor"].as_str().expect("a second page");
    let a = t.s.get(&format!("/api/notifications?cursor={cursor}"), &stranger).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.field(), Some("cursor"));
    // No token, no notifications.
    assert_eq!(t.s.call(Method::GET, "/api/notifications", None, None).await.status, StatusCode::UNAUTHORIZED);
}

/// Mia asks for a link through `bot`; returns the `/start` payload of its deep link.
async fn link_payload(t: &Team, token: &str, bot: &BotInfo) -> String {
    let a = t.s.call(Method::POST, "/api/notifications/telegram/link", Some(token), Some(json!({ "bot_id": bot.id }))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let url = a.body["url"].as_str().unwrap();
    let prefix = format!("https://t.me/{}?start=", bot.username);
    assert!(url.starts_with(&prefix), "{url}");
    url[prefix.len()..].to_string()
}

async fn press_start(t: &Team, bot: &BotInfo, who: UserRef, payload: &str) -> String {
    let chat = who.id;
    let before = t.s.telegram.outbox(bot.id, Some(chat)).len();
    let d = t.s.telegram.user_sends(bot.id, UserMessage { from: who, start_payload: Some(payload.into()), deliveries: 1, ..Default::default() }).await;
    assert!(d.is_ok(), "{d:?}");
    t.s.drain_updates().await;
    let out = t.s.telegram.outbox(bot.id, Some(chat));
    assert_eq!(out.len(), before + 1, "one answer: {out:?}");
    out.last().unwrap().message["text"].as_str().unwrap().to_string()
}

async fn settings(t: &Team, token: &str) -> Value {
    let a = t.s.get("/api/notifications/telegram", token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body
}

#[tokio::test]
async fn a_member_links_their_telegram_through_the_bot_with_a_one_time_token() {
    let t = team("Link Motors").await;
    assert_eq!(settings(&t, &t.mia).await["link"], Value::Null);
    let payload = link_payload(&t, &t.mia, &t.bot).await;
    assert!(payload.starts_with("cartie_") && payload.len() <= 64, "{payload}");
    // Only a hash of the token is stored.
    let token = payload.trim_start_matches("cartie_");
    assert!(!format!("{:?}", t.s.raw_items().await).contains(token));

    let answer = press_start(&t, &t.bot, person(9001, "MiaTg"), &payload).await;
    assert!(answer.starts_with("✅ Done"), "{answer}");
    let link = &settings(&t, &t.mia).await["link"];
    assert_eq!(link["telegram_name"], "MiaTg");
    assert_eq!(link["bot_username"], t.bot.username);
    assert_eq!(link["broken"], false);
    // A member is not a lead: no conversation, no new-lead notification.
    let conv = t.s.get(&format!("/api/inbox/conversations/{}:9001", t.bot.id), &t.owner).await;
    assert_eq!(conv.status, StatusCode::NOT_FOUND);
    t.s.drain_jobs().await;
    assert_eq!(unread(&t.s, &t.noa).await, 0);
    // Nor when her Telegram later writes to the bot like a buyer would.
    t.s.telegram.user_sends(t.bot.id, UserMessage::text(person(9001, "MiaTg"), "testing the bot")).await.unwrap();
    t.s.drain_updates().await;
    t.s.drain_jobs().await;
    assert_eq!(unread(&t.s, &t.noa).await, 0, "a member's own Telegram is not a lead");

    // Used once: another Telegram account pressing the same link gets nothing.
    let answer = press_start(&t, &t.bot, person(9002, "Thief"), &payload).await;
    assert!(answer.contains("invalid, used or expired") && answer.contains("недійсне"), "{answer}");
    assert_eq!(settings(&t, &t.mia).await["link"]["telegram_name"], "MiaTg");

    // Expired after ten minutes (by the clock, not by waiting).
    let late = link_payload(&t, &t.mia, &t.bot).await;
    let now = cartie_store::clock::freeze();
    cartie_store::clock::freeze_at(now + 11 * 60_000);
    let answer = press_start(&t, &t.bot, person(9003, "Late"), &late).await;
    assert!(answer.contains("invalid, used or expired"), "{answer}");
    cartie_store::clock::freeze_at(now);
    assert_eq!(settings(&t, &t.mia).await["link"]["telegram_name"], "MiaTg");

    // A link is for the bot it names.
    let other_bot = t.s.connect_bot(&t.owner, "LinkMotorsTwoBot").await;
    let for_first = link_payload(&t, &t.noa, &t.bot).await;
    press_start(&t, &other_bot, person(9004, "NoaTg"), &for_first).await;
    assert_eq!(settings(&t, &t.noa).await["link"], Value::Null);
    // Mia's Telegram cannot take Noa's link: it is Mia's already. The link stays usable for Noa.
    let answer = press_start(&t, &t.bot, person(9001, "MiaTg"), &for_first).await;
    assert!(answer.contains("another Cartie user"), "{answer}");
    assert_eq!(settings(&t, &t.noa).await["link"], Value::Null);
    // Noa reads Cartie in Ukrainian: the bot answers her so.
    let a = t.s.call(Method::PATCH, "/api/auth/me", Some(&t.noa), Some(json!({ "language": "uk" }))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let answer = press_start(&t, &t.bot, person(9004, "NoaTg"), &for_first).await;
    assert!(answer.starts_with("✅ Готово"), "{answer}");
    assert_eq!(settings(&t, &t.noa).await["link"]["telegram_name"], "NoaTg");

    // A link for a bot of another workspace is refused at the start.
    let (_w, stranger) = t.s.workspace("Far Motors", "owner@farmotors.test").await;
    let far_bot = t.s.connect_bot(&stranger, "FarMotorsBot").await;
    let a = t.s.call(Method::POST, "/api/notifications/telegram/link", Some(&t.mia), Some(json!({ "bot_id": far_bot.id }))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.field(), Some("bot_id"));

    // Unlink, once.
    assert_eq!(t.s.call(Method::DELETE, "/api/notifications/telegram", Some(&t.mia), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(settings(&t, &t.mia).await["link"], Value::Null);
    assert_eq!(t.s.call(Method::DELETE, "/api/notifications/telegram", Some(&t.mia), None).await.status, StatusCode::NOT_FOUND);
}

/// Mia's Telegram (9001) linked, her language Ukrainian; a conversation to assign.
async fn linked_team(name: &str) -> (Team, String) {
    let t = team(name).await;
    let payload = link_payload(&t, &t.mia, &t.bot).await;
    press_start(&t, &t.bot, person(9001, "MiaTg"), &payload).await;
    // The language she chose for Cartie.
    let a = t.s.call(Method::PATCH, "/api/auth/me", Some(&t.mia), Some(json!({ "language": "uk" }))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let conv = buyer_writes(&t, 504, "Dee").await;
    (t, conv)
}

fn copies(t: &Team) -> Vec<String> {
    t.s.telegram.outbox(t.bot.id, Some(9001)).iter().filter_map(|m| m.message["text"].as_str().map(String::from)).filter(|x| x.starts_with("📋")).collect()
}

#[tokio::test]
async fn telegram_copies_speak_the_members_language_and_follow_preferences() {
    let (t, conv) = linked_team("Copy Motors").await;
    // The new lead went to Mia's Telegram too, in Ukrainian.
    let lead = t.s.telegram.outbox(t.bot.id, Some(9001));
    assert!(lead.iter().any(|m| m.message["text"].as_str().unwrap_or("").starts_with("🆕 Новий лід: Dee")), "{lead:?}");

    assign(&t, &t.owner, &conv, Some("mia@copymotors.test")).await;
    t.s.drain_jobs().await;
    assert_eq!(copies(&t), vec!["📋 Copy Motors Owner передає вам розмову: Dee.".to_string()]);
    assert_eq!(of_kind(&list(&t.s, &t.mia).await, "lead_assigned")[0]["sent_to_telegram"], true);

    // Assignments stay in the app once she says so.
    let kinds: Vec<&str> = vec!["new_lead", "offer_received"];
    let a = t.s.call(Method::PUT, "/api/notifications/telegram/preferences", Some(&t.mia), Some(json!({ "telegram": kinds }))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["telegram"], json!(["new_lead", "offer_received"]));
    assign(&t, &t.owner, &conv, None).await;
    assign(&t, &t.owner, &conv, Some("mia@copymotors.test")).await;
    t.s.drain_jobs().await;
    assert_eq!(of_kind(&list(&t.s, &t.mia).await, "lead_assigned").len(), 2, "still in the app");
    assert_eq!(copies(&t).len(), 1, "not in Telegram");
    // Bad preferences are refused, naming the field.
    let bad = t.s.call(Method::PUT, "/api/notifications/telegram/preferences", Some(&t.mia), Some(json!({ "telegram": ["gossip"] }))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field().unwrap_or_default().starts_with("telegram"), "{}", bad.body);
}

#[tokio::test]
async fn a_telegram_copy_survives_a_429_without_sleeping_or_repeating_and_a_block_marks_the_link() {
    let (t, conv) = linked_team("Wait Motors").await;
    // Telegram slows the bot for two hours: the job is parked, not slept.
    t.s.telegram.force_retry_after(t.bot.id, 7_200, 1);
    assign(&t, &t.owner, &conv, Some("mia@waitmotors.test")).await;
    let started = std::time::Instant::now();
    t.s.drain_jobs().await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "slept: {:?}", started.elapsed());
    assert!(copies(&t).is_empty(), "nothing sent yet");
    assert_eq!(of_kind(&list(&t.s, &t.mia).await, "lead_assigned").len(), 1, "already in the app");
    assert_eq!(unread(&t.s, &t.mia).await, 2);

    // Two hours later the copy goes out, once; the in-app one is not doubled.
    let later = cartie_store::util::now_ms() + 7_200_000 + 60_000;
    t.s.run_due_at(later).await;
    assert_eq!(copies(&t).len(), 1);
    t.s.run_due_at(later + 60_000).await;
    assert_eq!(copies(&t).len(), 1, "once");
    assert_eq!(unread(&t.s, &t.mia).await, 2);

    // She blocks the bot: the link is marked broken, and nothing more is tried.
    t.s.telegram.block(t.bot.id, 9001, true);
    assign(&t, &t.owner, &conv, None).await;
    assign(&t, &t.owner, &conv, Some("mia@waitmotors.test")).await;
    t.s.drain_jobs().await;
    assert_eq!(settings(&t, &t.mia).await["link"]["broken"], true);
    assert_eq!(of_kind(&list(&t.s, &t.mia).await, "lead_assigned").len(), 2, "the app still has it");
    // Linking again mends it.
    t.s.telegram.block(t.bot.id, 9001, false);
    let payload = link_payload(&t, &t.mia, &t.bot).await;
    press_start(&t, &t.bot, person(9001, "MiaTg"), &payload).await;
    assert_eq!(settings(&t, &t.mia).await["link"]["broken"], false);
}

/// What one event costs in DynamoDB/SQS calls, queue polling aside: one
/// send to queue it, the team and its Telegram links read once, one
/// transaction per recipient (notification + counter). And what a buyer's
/// first message adds for its new-lead event (a plain message adds nothing:
/// see `webhook.rs`).
#[tokio::test]
async fn an_event_costs_two_reads_and_one_write_per_recipient() {
    let t = team("Cost Motors").await;
    let before = t.s.calls.snapshot();
    let event = Event {
        id: "cost-1".into(),
        workspace_id: t.ws.clone(),
        at_ms: cartie_store::util::now_ms(),
        notice: Notice::PostFailed { post_id: "p1".into(), channel: "@costcars".into() },
        recipients: Recipients::MembersAtLeast { role: cartie_domain::Role::Viewer },
        actor: None,
    };
    cartie_platform::notify::notify(&t.s.app, event).await.unwrap();
    t.s.drain_jobs().await;
    let used = t.s.calls.since(&before, cartie_e2e::POLLING);
    println!("calls for one event to four members: {used:?}");
    let by = |op: &str| used.iter().filter(|(k, _)| k.ends_with(op)).map(|(_, n)| *n).sum::<u64>();
    assert_eq!(by("SendMessage"), 1, "{used:?}");
    assert_eq!(by("Query"), 2, "{used:?}");
    assert_eq!(by("TransactWriteItems"), 4, "{used:?}");
    assert_eq!(used.values().sum::<u64>(), 7, "{used:?}");
    for token in [&t.owner, &t.mia, &t.noa, &t.viewer] {
        assert_eq!(unread(&t.s, token).await, 1);
    }
}
