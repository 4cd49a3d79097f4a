//! Contacts end to end: one contact per person across bots and the Mini
//! App, per-bot blocked / unsubscribed marks from Telegram's own signals,
//! search, filters, edits and tags through the API, another workspace
//! kept out, and the cost of a list page staying flat as contacts grow.

use aws_sdk_dynamodb::types::AttributeValue;
use cartie_e2e::{Method, Stack, StatusCode, POLLING};
use serde_json::{json, Value};
use std::collections::HashMap;
use tg_sandbox::{UserMessage, UserRef};

fn ann() -> UserRef {
    UserRef { id: 7001, first_name: "Ann".into(), last_name: Some("Koval".into()), username: Some("annk".into()), language_code: Some("uk".into()) }
}

fn buyer(id: i64, name: &str) -> UserRef {
    UserRef { id, first_name: name.into(), ..Default::default() }
}

async fn says(s: &Stack, bot: i64, who: UserRef, text: &str) {
    s.telegram.user_sends(bot, UserMessage::text(who, text)).await.expect("the webhook answers");
    s.drain_updates().await;
}

/// The ids of the contacts a list query answers (one page of 100).
async fn ids(s: &Stack, token: &str, query: &str) -> Vec<String> {
    let a = s.get(&format!("/api/contacts?limit=100&{}", query.replace(' ', "%20")), token).await;
    assert_eq!(a.status, StatusCode::OK, "{query}: {}", a.body);
    a.body["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().unwrap_or_default().to_string()).collect()
}

fn channels(contact: &Value) -> Vec<String> {
    let mut out: Vec<String> = contact["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .map(|c| match c["id"].as_i64() {
            Some(id) => format!("{}:{id}", c["kind"].as_str().unwrap_or_default()),
            None => c["kind"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn one_buyer_writing_to_two_bots_and_the_mini_app_is_one_contact_with_three_channels() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("One Motors", "owner@one.test").await;
    let a = s.connect_bot(&owner, "OneMotorsBot").await;
    let b = s.connect_bot(&owner, "OneTradeBot").await;
    let slug = s.get("/api/workspace", &owner).await.body["slug"].as_str().expect("slug").to_string();
    let car =
        json!({"make": "BMW", "model": "X5", "year": 2020, "price": 41000, "currency": "EUR", "mileage": 50000, "mileage_unit": "km", "status": "available"});
    let car = s.call(Method::POST, "/api/inventory", Some(&owner), Some(car)).await.body["id"].as_str().expect("car").to_string();

    says(&s, a.id, ann(), "/start fb-ad-42").await;
    says(&s, b.id, ann(), "Hi, is the X5 still there?").await;
    let init_data = s.telegram.webapp_init_data(a.id, &ann(), None).expect("init data");
    let lead = s.call(Method::POST, &format!("/api/miniapp/{slug}/interest"), None, Some(json!({"init_data": init_data, "listing_id": car}))).await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.body);

    let list = s.get("/api/contacts", &owner).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let items = list.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "one person, one contact: {}", list.body);
    let c = &items[0];
    assert_eq!(c["id"], "7001");
    assert_eq!(c["name"], "Ann Koval");
    assert_eq!(c["username"], "annk");
    assert_eq!(c["language"], "uk");
    assert_eq!(c["source"], "fb-ad-42", "the first /start's payload is kept");
    assert_eq!(channels(c), vec![format!("bot:{}", a.id), format!("bot:{}", b.id), "miniapp".to_string()]);
    // The car she asked about is on her page, and in her timeline.
    let page = s.get("/api/contacts/7001", &owner).await.body;
    assert_eq!((page["interests"][0]["listing_id"].clone(), page["interests"][0]["title"].clone()), (json!(car), json!("2020 BMW X5")), "{page}");
    let kinds: Vec<&str> = page["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert!(kinds.contains(&"interest") && kinds.contains(&"first_seen"), "{kinds:?}");
    assert_eq!(page["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "first_seen").map(|e| e["detail"].clone()), Some(json!("fb-ad-42")));

    // The same message delivered again under a new update id (a Telegram
    // retry after a lost answer): stored once, the contact unchanged.
    let before = s.get("/api/contacts/7001", &owner).await.body;
    let raw = json!({"update_id": 880_001, "message": {"message_id": 880, "date": 1_900_000_000, "chat": {"id": 7001, "type": "private"},
        "from": {"id": 7001, "is_bot": false, "first_name": "Ann", "last_name": "Koval", "username": "annk", "language_code": "uk"}, "text": "Still here"}});
    assert_eq!(s.deliver(b.id, &raw).await.status, StatusCode::NO_CONTENT);
    s.drain_updates().await;
    let once = s.get("/api/contacts/7001", &owner).await.body;
    let mut again = raw.clone();
    again["update_id"] = json!(880_002);
    assert_eq!(s.deliver(b.id, &again).await.status, StatusCode::NO_CONTENT);
    s.drain_updates().await;
    assert_eq!(s.get("/api/contacts/7001", &owner).await.body, once, "a redelivered message changes nothing");
    assert_ne!(once["contact"]["last_active_at"], before["contact"]["last_active_at"], "a new message moves last activity");

    // The contact page links each bot's conversation.
    let page = s.get("/api/contacts/7001", &owner).await;
    let conversations: Vec<&str> = page.body["contact"]["channels"].as_array().unwrap().iter().filter_map(|c| c["conversation_id"].as_str()).collect();
    assert_eq!(conversations.len(), 2);
    for conv in conversations {
        assert_eq!(s.get(&format!("/api/inbox/conversations/{conv}"), &owner).await.status, StatusCode::OK, "{conv}");
    }
    // Exactly one contact item, whatever wrote to it.
    let persons = s.raw_items().await.into_iter().filter(|i| i["SK"].as_s().is_ok_and(|sk| sk.starts_with("PERSON#7001"))).count();
    assert_eq!(persons, 1);
    for q in ["koval", "ann", "ANNK", "ann koval"] {
        assert_eq!(ids(&s, &owner, &format!("q={q}")).await, vec!["7001"], "{q}");
    }
    assert!(ids(&s, &owner, "q=petrenko").await.is_empty());
    // The deep link they came from is a filter (and a segment's condition).
    assert_eq!(ids(&s, &owner, "source=fb-ad-42").await, vec!["7001"]);
    assert!(ids(&s, &owner, "source=fb-ad-43").await.is_empty());
    let r = s.get(&format!("/api/contacts?source={}", "x".repeat(65)), &owner).await;
    assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("source")), "{}", r.body);
}

#[tokio::test]
async fn a_buyer_who_blocked_one_bot_is_left_out_of_its_audience_and_kept_in_the_other() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Block Audience", "owner@block-audience.test").await;
    let a = s.connect_bot(&owner, "AudienceABot").await;
    let b = s.connect_bot(&owner, "AudienceBBot").await;
    let eve = buyer(7100, "Eve");
    says(&s, a.id, eve.clone(), "Hello A").await;
    says(&s, b.id, eve.clone(), "Hello B").await;
    says(&s, a.id, buyer(7101, "Bob"), "Hi").await;
    let audience = |bot: i64| format!("bot_id={bot}&blocked=false&unsubscribed=false");
    assert_eq!(ids(&s, &owner, &audience(a.id)).await.len(), 2);

    // Eve blocks bot A: the manager's reply is refused with 403 by Telegram.
    s.telegram.block(a.id, 7100, true);
    let r = s
        .call(Method::POST, &format!("/api/inbox/conversations/{}:7100/messages", a.id), Some(&owner), Some(json!({"kind": "text", "text": "Still there?"})))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(ids(&s, &owner, &audience(a.id)).await, vec!["7101"], "Eve is out of A's audience");
    assert_eq!(ids(&s, &owner, &audience(b.id)).await, vec!["7100"], "and still in B's");
    assert_eq!(ids(&s, &owner, "blocked=true").await, vec!["7100"]);
    let page = s.get("/api/contacts/7100", &owner).await.body;
    let marks: HashMap<i64, bool> =
        page["contact"]["channels"].as_array().unwrap().iter().map(|c| (c["id"].as_i64().unwrap(), c["blocked"].as_bool().unwrap())).collect();
    assert_eq!(marks, HashMap::from([(a.id, true), (b.id, false)]));

    // Writing to A again means she unblocked it.
    s.telegram.block(a.id, 7100, false);
    says(&s, a.id, eve.clone(), "sorry, back").await;
    assert_eq!(ids(&s, &owner, &audience(a.id)).await.len(), 2);

    // Telegram's own signal: my_chat_member -> kicked marks B only.
    let kicked = json!({"update_id": 990_001, "my_chat_member": {"chat": {"id": 7100, "type": "private", "first_name": "Eve"},
        "from": {"id": 7100, "is_bot": false, "first_name": "Eve"}, "date": 1_900_000_000,
        "old_chat_member": {"status": "member", "user": {"id": b.id, "is_bot": true, "first_name": "B"}},
        "new_chat_member": {"status": "kicked", "until_date": 0, "user": {"id": b.id, "is_bot": true, "first_name": "B"}}}});
    assert_eq!(s.deliver(b.id, &kicked).await.status, StatusCode::NO_CONTENT);
    s.drain_updates().await;
    assert!(ids(&s, &owner, &audience(b.id)).await.is_empty(), "blocked on B");
    assert_eq!(ids(&s, &owner, &audience(a.id)).await.len(), 2, "A still reaches her");
    let conv = s.get(&format!("/api/inbox/conversations/{}:7100", b.id), &owner).await;
    assert_eq!(conv.body["blocked"], true, "the Inbox knows too");

    // /stop unsubscribes from that bot only; /start subscribes again.
    says(&s, a.id, eve.clone(), "/stop").await;
    assert_eq!(ids(&s, &owner, &audience(a.id)).await, vec!["7101"]);
    assert_eq!(ids(&s, &owner, &format!("bot_id={}&unsubscribed=true", a.id)).await, vec!["7100"]);
    says(&s, a.id, eve.clone(), "/start").await;
    assert_eq!(ids(&s, &owner, &audience(a.id)).await.len(), 2);

    // /stop is confirmed in her language with one more button: "from all
    // your bots". Pressing it takes her out of every bot's audience.
    s.telegram.block(b.id, 7100, false);
    says(&s, b.id, eve.clone(), "I'm back").await;
    says(&s, a.id, eve.clone(), "/stop").await;
    let chat = s.telegram.transcript(a.id, 7100).expect("chat");
    let confirm = chat.messages.last().expect("the bot answered /stop");
    assert_eq!(confirm.message["text"], "Done: this bot will send you no more offers. Send /start to subscribe again.");
    let button = &confirm.message["reply_markup"]["inline_keyboard"][0][0];
    assert_eq!(button["text"], "Unsubscribe from all our bots", "{}", confirm.message);
    assert_eq!(ids(&s, &owner, &audience(b.id)).await, vec!["7100"], "still B's until she asks");
    let press = UserMessage {
        from: eve.clone(),
        callback: Some(tg_sandbox::UserCallback { message_id: confirm.message_id, data: button["callback_data"].as_str().expect("data").into() }),
        deliveries: 2,
        ..Default::default()
    };
    s.telegram.user_sends(a.id, press).await.expect("press");
    s.drain_updates().await;
    assert!(ids(&s, &owner, &audience(b.id)).await.is_empty(), "out of B's audience too");
    assert_eq!(ids(&s, &owner, "unsubscribed=true").await, vec!["7100"]);
    let answers: Vec<String> = s
        .telegram
        .transcript(a.id, 7100)
        .expect("chat")
        .messages
        .iter()
        .filter(|m| m.sender == tg_sandbox::Sender::Bot)
        .filter_map(|m| m.message["text"].as_str().map(String::from))
        .collect();
    assert_eq!(answers.iter().filter(|t| t.starts_with("Done: none of our bots")).count(), 1, "the press delivered twice is answered once: {answers:?}");
    // A bot connected later does not reach her either.
    let c = s.connect_bot(&owner, "AudienceCBot").await;
    says(&s, c.id, eve.clone(), "hi C").await;
    assert!(ids(&s, &owner, &audience(c.id)).await.is_empty());
    // /start on B: B's again; A stays unsubscribed.
    says(&s, b.id, eve, "/start").await;
    assert_eq!(ids(&s, &owner, &audience(b.id)).await, vec!["7100"]);
    assert_eq!(ids(&s, &owner, &audience(a.id)).await, vec!["7101"]);
}

#[tokio::test]
async fn contacts_are_searched_filtered_edited_and_tagged_and_another_workspace_sees_none() {
    let s = Stack::new().await;
    let (ws_a, owner) = s.workspace("Tag Motors", "owner@tag.test").await;
    let (_ws_b, other) = s.workspace("Nosy Motors", "owner@nosy.test").await;
    let bot = s.connect_bot(&owner, "TagMotorsBot").await;
    says(&s, bot.id, ann(), "Hi").await;
    says(&s, bot.id, UserRef { language_code: Some("en".into()), ..buyer(7202, "Bohdan") }, "Hello").await;
    says(&s, bot.id, buyer(7203, "Cyril"), "Hey").await;
    let viewer = s.member(&owner, "viewer@tag.test", "viewer").await;

    // Edit: the dealer's name, a phone in any common form, tags.
    let edit = json!({"name": "Anna VIP", "phone": "067 123 45 67", "tags": ["VIP", " hot  lead "]});
    let r = s.call(Method::PATCH, "/api/contacts/7001", Some(&owner), Some(edit.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["contact"]["name"], "Anna VIP");
    assert_eq!(r.body["contact"]["phone"], "+380671234567");
    assert_eq!(r.body["contact"]["tags"], json!(["hot lead", "vip"]));
    assert_eq!(s.call(Method::PATCH, "/api/contacts/7001", Some(&viewer), Some(edit)).await.status, StatusCode::FORBIDDEN, "a viewer only reads");
    for (body, field) in [(json!({"phone": "call me"}), "phone"), (json!({"name": ""}), "name"), (json!({"tags": [""]}), "tags")] {
        let r = s.call(Method::PATCH, "/api/contacts/7001", Some(&owner), Some(body)).await;
        assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{}", r.body);
    }
    assert_eq!(s.call(Method::PATCH, "/api/contacts/999", Some(&owner), Some(json!({"name": "x"}))).await.status, StatusCode::NOT_FOUND);

    // Search: the new name, the phone as typed locally, the old Telegram name.
    for q in ["anna", "0671234", "380671", "anna vip", "koval"] {
        assert_eq!(ids(&s, &owner, &format!("q={q}")).await, vec!["7001"], "{q}");
    }
    assert_eq!(ids(&s, &owner, "language=en").await, vec!["7202"]);
    assert_eq!(ids(&s, &owner, "tag=VIP").await, vec!["7001"]);
    assert_eq!(ids(&s, &owner, "active_days=1").await.len(), 3);

    // Bulk tags on a selection.
    let r = s.call(Method::POST, "/api/contacts/tags", Some(&owner), Some(json!({"ids": ["7202", "7203", "424242"], "add": ["Spring sale"]}))).await;
    assert_eq!((r.status, &r.body["changed"]), (StatusCode::OK, &json!(2)), "{}", r.body);
    let mut tagged = ids(&s, &owner, "tag=spring%20sale").await;
    tagged.sort();
    assert_eq!(tagged, vec!["7202", "7203"]);
    let r = s.call(Method::POST, "/api/contacts/tags", Some(&owner), Some(json!({"ids": ["7203"], "remove": ["spring sale"]}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(ids(&s, &owner, "tag=spring%20sale").await, vec!["7202"]);
    assert_eq!(ids(&s, &owner, "tag=spring%20sale&q=cyril").await, Vec::<String>::new());
    for (body, field) in [(json!({"ids": [], "add": ["x"]}), "ids"), (json!({"ids": ["abc"], "add": ["x"]}), "ids"), (json!({"ids": ["7202"]}), "add")] {
        let r = s.call(Method::POST, "/api/contacts/tags", Some(&owner), Some(body)).await;
        assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{}", r.body);
    }
    for (q, field) in [("blocked=maybe", "blocked"), ("cursor=garbage", "cursor"), ("active_days=0", "active_days"), ("limit=1000", "limit")] {
        let r = s.get(&format!("/api/contacts?{q}"), &owner).await;
        assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{q}: {}", r.body);
    }

    // Another workspace: nothing to list or find, no contact by id, no
    // writes, and a cursor of A's is refused.
    let prefix = format!("WS#{ws_a}");
    let snapshot = |items: Vec<HashMap<String, AttributeValue>>| {
        let mut v: Vec<String> =
            items.into_iter().filter(|i| i["PK"].as_s().is_ok_and(|p| p.starts_with(&prefix))).map(|i| format!("{:?}", sorted(&i))).collect();
        v.sort();
        v
    };
    let before = snapshot(s.raw_items().await);
    assert!(ids(&s, &other, "").await.is_empty());
    assert!(ids(&s, &other, "q=anna").await.is_empty());
    assert!(ids(&s, &other, "tag=vip").await.is_empty());
    assert_eq!(s.get("/api/contacts/7001", &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::PATCH, "/api/contacts/7001", Some(&other), Some(json!({"tags": ["mine"]}))).await.status, StatusCode::NOT_FOUND);
    let r = s.call(Method::POST, "/api/contacts/tags", Some(&other), Some(json!({"ids": ["7001", "7202"], "add": ["stolen"]}))).await;
    assert_eq!(r.body["changed"], 0, "{}", r.body);
    let page = s.get("/api/contacts?limit=1", &owner).await;
    let cursor = page.body["next_cursor"].as_str().expect("a cursor: three contacts, pages of one");
    let r = s.get(&format!("/api/contacts?cursor={cursor}"), &other).await;
    assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("cursor")));
    assert_eq!(snapshot(s.raw_items().await), before, "A's items are exactly as they were");
}

/// An item as text with its attributes (and nested maps) in key order, so
/// two reads of the same item compare equal.
fn sorted(item: &HashMap<String, AttributeValue>) -> Vec<(String, String)> {
    fn canon(v: &AttributeValue) -> String {
        match v {
            AttributeValue::M(m) => format!("{:?}", sorted(m)),
            AttributeValue::L(l) => format!("{:?}", l.iter().map(canon).collect::<Vec<_>>()),
            other => format!("{other:?}"),
        }
    }
    let mut v: Vec<(String, String)> = item.iter().map(|(k, v)| (k.clone(), canon(v))).collect();
    v.sort();
    v
}

/// What one page costs in DynamoDB calls, by operation.
async fn page_cost(s: &Stack, token: &str, query: &str) -> (std::collections::BTreeMap<String, u64>, usize, bool) {
    let before = s.calls.snapshot();
    let a = s.get(&format!("/api/contacts?limit=50&{query}"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{query}: {}", a.body);
    let used = s.calls.since(&before, POLLING);
    (used, a.body["items"].as_array().map(Vec::len).unwrap_or(0), a.body["next_cursor"].is_string())
}

/// The request count per page does not grow with the contacts: the same
/// calls at 1,000 and at 10,000 contacts for the list, a tag filter and a
/// search (each one indexed query, plus one batch read for tag and search).
#[tokio::test]
async fn a_contact_page_costs_the_same_calls_at_1000_and_10000_contacts() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Big Motors", "owner@big.test").await;
    let started = std::time::Instant::now();
    cartie_e2e::seed::contacts(&s, &ws, 1, 1_000).await;
    let queries = ["", "tag=hot", "q=dar", "q=ivan&tag=hot", "var=budget&var_op=gt&var_value=20000"];
    let mut small = Vec::new();
    for q in queries {
        small.push(page_cost(&s, &owner, q).await);
    }
    cartie_e2e::seed::contacts(&s, &ws, 1_001, 9_000).await;
    println!("seeded 10,000 contacts in {:?}", started.elapsed());
    for (q, at_1k) in queries.iter().zip(small) {
        let at_10k = page_cost(&s, &owner, q).await;
        println!("{q:>16}: 1k {:?} ({} items) | 10k {:?} ({} items)", at_1k.0, at_1k.1, at_10k.0, at_10k.1);
        assert_eq!(at_1k.0, at_10k.0, "{q}: the same calls per page");
        assert!(at_10k.2, "{q}: more pages remain");
        let total: u64 = at_10k.0.values().sum();
        assert!(total <= 4, "{q}: {total} calls: {:?}", at_10k.0);
    }
    // Full pages where every index entry matches.
    assert_eq!(page_cost(&s, &owner, "").await.1, 50);
    assert_eq!(page_cost(&s, &owner, "tag=hot").await.1, 50);
    assert_eq!(page_cost(&s, &owner, "q=dar").await.1, 50);
}

/// A segment's count once its jobs have run.
async fn counted(s: &Stack, token: &str, id: &str) -> Value {
    s.drain_jobs().await;
    let r = s.get(&format!("/api/segments/{id}"), token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["counting"], false, "the count is done once the jobs queue is empty: {}", r.body);
    r.body
}

/// Segments: saved filters counted by the jobs worker off the request path,
/// in steps (2,100 contacts take two), each step recorded once however
/// often it is delivered; the count says the moment it was true of; a new
/// filter or "count again" counts anew; bad filters name their field; a
/// viewer reads, and another workspace sees nothing.
#[tokio::test]
async fn segments_are_counted_in_the_background_once_per_step_and_say_when() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Segment Motors", "owner@segment.test").await;
    s.workspace("Other Motors", "owner@other-seg.test").await;
    let viewer = s.member(&owner, "viewer@segment.test", "viewer").await;
    let t0 = cartie_store::clock::freeze();
    cartie_e2e::seed::contacts(&s, &ws, 1, 2_100).await;

    let r = s.call(Method::POST, "/api/segments", Some(&owner), Some(json!({"name": "  Everyone ", "filter": {}}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((&r.body["name"], &r.body["counting"], &r.body["count"]), (&json!("Everyone"), &json!(true), &Value::Null), "{}", r.body);
    let everyone = r.body["id"].as_str().expect("id").to_string();
    let hot = s.call(Method::POST, "/api/segments", Some(&owner), Some(json!({"name": "Hot", "filter": {"tag": " HOT "}}))).await;
    assert_eq!(hot.status, StatusCode::CREATED, "{}", hot.body);
    assert_eq!(hot.body["filter"]["tag"], "hot", "the tag as stored");
    let hot = hot.body["id"].as_str().expect("id").to_string();

    // The first step of the count is delivered three times before any runs.
    let first = cartie_domain::jobs::Job::CountSegment { workspace_id: ws.clone(), segment_id: everyone.clone(), run: 1, step: 0 };
    s.app.queues.send("jobs", &first).await.expect("send");
    s.app.queues.send("jobs", &first).await.expect("send");
    let seg = counted(&s, &owner, &everyone).await;
    assert_eq!(seg["count"], 2_100, "every contact once, over two steps, whatever was redelivered: {seg}");
    assert_eq!(seg["counted_at"], cartie_store::util::rfc3339(t0), "as of the moment it was asked for");
    assert_eq!(counted(&s, &owner, &hot).await["count"], 210);
    // A scenario variable's condition: budgets over 20,000 (29 in 50).
    let rich = json!({"name": "Budget over 20k", "filter": {"variable": {"name": "budget", "op": "gt", "value": "20 000"}}});
    let rich = s.call(Method::POST, "/api/segments", Some(&owner), Some(rich)).await.body["id"].as_str().expect("id").to_string();
    assert_eq!(counted(&s, &owner, &rich).await["count"], 42 * 29);
    assert_eq!(s.call(Method::DELETE, &format!("/api/segments/{rich}"), Some(&owner), None).await.status, StatusCode::NO_CONTENT);

    // The list shows both, names in order, and a viewer reads it.
    let list = s.get("/api/segments", &viewer).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let names: Vec<&str> = list.body["items"].as_array().expect("items").iter().filter_map(|i| i["name"].as_str()).collect();
    assert_eq!(names, vec!["Everyone", "Hot"]);

    // The audience changes; the old count stays until "count again", which
    // says its new moment.
    let r = s.call(Method::POST, "/api/contacts/tags", Some(&owner), Some(json!({"ids": ["1", "2", "4"], "add": ["hot"]}))).await;
    assert_eq!((r.status, &r.body["changed"]), (StatusCode::OK, &json!(3)), "{}", r.body);
    assert_eq!(s.get(&format!("/api/segments/{hot}"), &owner).await.body["count"], 210);
    cartie_store::clock::advance(3_600_000);
    let r = s.call(Method::POST, &format!("/api/segments/{hot}/count"), Some(&owner), None).await;
    assert_eq!((r.status, &r.body["counting"], &r.body["count"]), (StatusCode::OK, &json!(true), &json!(210)), "the last count shows meanwhile: {}", r.body);
    let seg = counted(&s, &owner, &hot).await;
    assert_eq!(seg["count"], 213);
    assert_eq!(seg["counted_at"], cartie_store::util::rfc3339(t0 + 3_600_000));
    // A stale step of the earlier run, delivered late, changes nothing.
    s.app
        .queues
        .send("jobs", &cartie_domain::jobs::Job::CountSegment { workspace_id: ws.clone(), segment_id: hot.clone(), run: 1, step: 0 })
        .await
        .expect("send");
    assert_eq!(counted(&s, &owner, &hot).await["count"], 213);

    // A new filter: the old count is not shown as the new one's. Seeded
    // contacts were active a second apart back from t0; the clock moves to
    // where "within a day" holds the first 1,000 of them.
    cartie_store::clock::advance(86_400_000 - 1_000_000 - 3_600_000);
    // A day on, the morning's tokens have expired: everyone logs in again.
    let owner = s.login("owner@segment.test", "owner password 1").await.body["token"].as_str().expect("token").to_string();
    let other = s.login("owner@other-seg.test", "owner password 1").await.body["token"].as_str().expect("token").to_string();
    let r = s.call(Method::PATCH, &format!("/api/segments/{everyone}"), Some(&owner), Some(json!({"filter": {"active_days": 1}}))).await;
    assert_eq!((r.status, &r.body["count"], &r.body["counting"]), (StatusCode::OK, &Value::Null, &json!(true)), "{}", r.body);
    assert_eq!(counted(&s, &owner, &everyone).await["count"], 1_000);
    let r = s.call(Method::PATCH, &format!("/api/segments/{everyone}"), Some(&owner), Some(json!({"name": "Active today"}))).await;
    assert_eq!((&r.body["name"], &r.body["counting"]), (&json!("Active today"), &json!(false)), "a new name alone is not counted again: {}", r.body);

    // Bad input names its field and changes nothing.
    for (body, field) in [
        (json!({"name": " ", "filter": {}}), "name"),
        (json!({"name": "x", "filter": {"language": "ukr-1"}}), "filter.language"),
        (json!({"name": "x", "filter": {"active_days": 0}}), "filter.active_days"),
        (json!({"name": "x", "filter": {"tag": "x".repeat(41)}}), "filter.tag"),
        (json!({"name": "x", "filter": {"blocked": "maybe"}}), "filter.blocked"),
        (json!({"name": "x", "filter": {"variable": {"name": "budget", "op": "gt", "value": "lots"}}}), "filter.variable.value"),
        (json!({"name": "x", "filter": {"variable": {"name": "budget", "op": "about"}}}), "filter.variable.op"),
    ] {
        let r = s.call(Method::POST, "/api/segments", Some(&owner), Some(body)).await;
        assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{}", r.body);
    }
    let viewer = s.login("viewer@segment.test", "member password 1").await.body["token"].as_str().expect("token").to_string();
    assert_eq!(s.call(Method::POST, "/api/segments", Some(&viewer), Some(json!({"name": "Mine"}))).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get("/api/segments", &owner).await.body["items"].as_array().map(Vec::len), Some(2));

    // Another workspace: no list, no segment by id, no writes, no counts.
    assert_eq!(s.get("/api/segments", &other).await.body["items"], json!([]));
    for (m, path) in [
        (Method::GET, format!("/api/segments/{hot}")),
        (Method::PATCH, format!("/api/segments/{hot}")),
        (Method::POST, format!("/api/segments/{hot}/count")),
        (Method::DELETE, format!("/api/segments/{hot}")),
    ] {
        let body = (m == Method::PATCH).then(|| json!({"name": "Taken"}));
        let r = s.call(m.clone(), &path, Some(&other), body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {path}: {}", r.body);
    }
    assert_eq!(s.get(&format!("/api/segments/{hot}"), &owner).await.body["name"], "Hot");

    let r = s.call(Method::DELETE, &format!("/api/segments/{hot}"), Some(&owner), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&format!("/api/segments/{hot}"), &owner).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ids(&s, &owner, "tag=hot").await.len(), 100, "the contacts stay");
}

/// A finished export: its status answer and the file's lines.
async fn exported(s: &Stack, token: &str, id: &str) -> (Value, Vec<String>) {
    s.drain_jobs().await;
    let r = s.get(&format!("/api/contacts/exports/{id}"), token).await;
    assert_eq!((r.status, &r.body["status"]), (StatusCode::OK, &json!("done")), "{}", r.body);
    let url = r.body["download_url"].as_str().expect("a download link once done");
    let (status, bytes) = cartie_e2e::fetch(url).await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes).expect("UTF-8");
    (r.body, text.split("\r\n").filter(|l| !l.is_empty()).map(String::from).collect())
}

/// A CSV export of 2,100 contacts is written in parts off the request path,
/// each part once however often its step is delivered (every contact in the
/// file exactly once), follows the filter, keeps a buyer's formula from
/// running in a spreadsheet, and is another workspace's business not at all.
#[tokio::test]
async fn contacts_export_to_csv_in_parts_each_contact_once() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Export Motors", "owner@export-c.test").await;
    let (_ws_b, other) = s.workspace("Other Export", "owner@other-export.test").await;
    let viewer = s.member(&owner, "viewer@export-c.test", "viewer").await;
    cartie_e2e::seed::contacts(&s, &ws, 1, 2_100).await;
    let bot = s.connect_bot(&owner, "ExportMotorsBot").await;
    says(&s, bot.id, UserRef { id: 9_001, first_name: "=HYPERLINK(\"http://evil\")".into(), last_name: Some("Koval, Jr".into()), ..Default::default() }, "hi")
        .await;

    let r = s.call(Method::POST, "/api/contacts/exports", Some(&owner), Some(json!({"filter": {}}))).await;
    assert_eq!((r.status, &r.body["status"]), (StatusCode::CREATED, &json!("running")), "{}", r.body);
    let id = r.body["id"].as_str().expect("id").to_string();
    // The first step delivered twice more before any runs.
    let first = cartie_domain::jobs::Job::ExportContacts { workspace_id: ws.clone(), export_id: id.clone(), step: 0 };
    s.app.queues.send("jobs", &first).await.expect("send");
    s.app.queues.send("jobs", &first).await.expect("send");
    let (body, lines) = exported(&s, &owner, &id).await;
    assert_eq!(lines[0], "id,name,telegram_name,username,phone,language,tags,bots,blocked_bots,unsubscribed_bots,source,first_seen,last_active");
    assert_eq!(body["rows"], 2_101);
    assert_eq!(lines.len(), 2_102, "a header and one line per contact");
    let ids: std::collections::BTreeSet<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap_or_default()).collect();
    assert_eq!(ids.len(), 2_101, "every contact once");
    let evil = lines.iter().find(|l| l.starts_with("9001,")).expect("the buyer's line");
    assert!(evil.contains("\"'=HYPERLINK(\"\"http://evil\"\") Koval, Jr\""), "a formula is kept from running, a comma quoted: {evil}");
    assert!(evil.contains("@ExportMotorsBot"), "{evil}");

    // A filter: only the tagged ones.
    let r = s.call(Method::POST, "/api/contacts/exports", Some(&owner), Some(json!({"filter": {"tag": "HOT"}}))).await;
    let (body, lines) = exported(&s, &owner, r.body["id"].as_str().expect("id")).await;
    assert_eq!((body["rows"].as_u64(), lines.len()), (Some(210), 211));
    assert!(lines[1..].iter().all(|l| l.contains(",hot,")), "only tagged contacts");

    let r = s.call(Method::POST, "/api/contacts/exports", Some(&owner), Some(json!({"filter": {"active_days": 0}}))).await;
    assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("filter.active_days")), "{}", r.body);
    assert_eq!(s.call(Method::POST, "/api/contacts/exports", Some(&viewer), Some(json!({}))).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get(&format!("/api/contacts/exports/{id}"), &other).await.status, StatusCode::NOT_FOUND);
}

/// Every item that names `needle`: as a whole `#`/`:`-separated part of a
/// key or string, as a number, or inside a text (a name). The test table is
/// small: a Scan here is the test's own inspection, not the product's.
async fn items_mentioning(s: &Stack, needle: &str) -> Vec<String> {
    fn names(v: &AttributeValue, needle: &str) -> bool {
        match v {
            AttributeValue::S(t) => t.split(['#', ':']).any(|part| part == needle) || (needle.parse::<i64>().is_err() && t.contains(needle)),
            AttributeValue::N(n) => n == needle,
            AttributeValue::Ss(v) => v.iter().any(|t| names(&AttributeValue::S(t.clone()), needle)),
            AttributeValue::M(m) => m.values().any(|x| names(x, needle)),
            AttributeValue::L(l) => l.iter().any(|x| names(x, needle)),
            _ => false,
        }
    }
    s.raw_items()
        .await
        .into_iter()
        .filter(|i| i.values().any(|v| names(v, needle)))
        .map(|i| format!("{} / {}", i["PK"].as_s().map(String::as_str).unwrap_or("?"), i["SK"].as_s().map(String::as_str).unwrap_or("?")))
        .collect()
}

/// A buyer's right to be forgotten: erasing a contact hides it at once and
/// deletes, in background steps that may run twice, every message, note,
/// conversation, index entry and variable about them across both bots; the
/// Inbox counters drop by what the conversations counted; their request
/// stays, unlinked; only an admin may erase; a buyer writing again is a new
/// contact.
#[tokio::test]
async fn an_erased_contact_leaves_nothing_behind_and_the_counts_stay_right() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Erase Motors", "owner@erase.test").await;
    let manager = s.member(&owner, "manager@erase.test", "manager").await;
    let a = s.connect_bot(&owner, "EraseABot").await;
    let b = s.connect_bot(&owner, "EraseBBot").await;
    let zed = UserRef { id: 7300, first_name: "Zenoviy".into(), last_name: Some("Kruk".into()), username: Some("zkruk".into()), ..Default::default() };
    says(&s, a.id, zed.clone(), "/start tiktok-7").await;
    says(&s, b.id, zed.clone(), "My number is +380 67 765 43 21").await;
    says(&s, a.id, buyer(7301, "Olena"), "Hi").await;
    let conv = format!("{}:7300", a.id);
    let note = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/notes"), Some(&owner), Some(json!({"text": "Zenoviy wants a Passat"}))).await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);
    let edit = json!({"phone": "+380 67 765 43 21", "tags": ["vip", "trade-in"]});
    assert_eq!(s.call(Method::PATCH, "/api/contacts/7300", Some(&owner), Some(edit)).await.status, StatusCode::OK);
    let req =
        s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/requests"), Some(&owner), Some(json!({"make": "Volkswagen", "model": "Passat"}))).await;
    assert_eq!(req.status, StatusCode::CREATED, "{}", req.body);
    // A long chat: 1,200 more messages, so erasing takes several steps.
    let table = s.app.settings.table.clone();
    let pk = format!("WS#{ws}#CONV#{}#7300", a.id);
    for chunk in (0..1_200).collect::<Vec<i64>>().chunks(25) {
        let writes = chunk
            .iter()
            .map(|i| {
                let item = HashMap::from([
                    ("PK".to_string(), AttributeValue::S(pk.clone())),
                    ("SK".to_string(), AttributeValue::S(format!("MSG#{:013}#{i:010}", 1_000 + i))),
                    ("text".to_string(), AttributeValue::S("old message from Zenoviy".into())),
                ]);
                aws_sdk_dynamodb::types::WriteRequest::builder()
                    .put_request(aws_sdk_dynamodb::types::PutRequest::builder().set_item(Some(item)).build().expect("put"))
                    .build()
            })
            .collect();
        s.app.aws.dynamodb.batch_write_item().request_items(&table, writes).send().await.expect("seed");
    }
    let counts = s.get("/api/inbox/counts", &owner).await.body;
    assert_eq!((counts["total"].clone(), counts["unread"].clone()), (json!(3), json!(3)), "{counts}");
    assert!(!items_mentioning(&s, "7300").await.is_empty());
    s.drain_jobs().await;
    let bell = s.get("/api/notifications/unread", &owner).await.body;
    assert_eq!(bell["unread"], 3, "a new-lead notice per conversation: {bell}");

    // Only an admin (or the owner) erases.
    assert_eq!(s.call(Method::DELETE, "/api/contacts/7300", Some(&manager), None).await.status, StatusCode::FORBIDDEN);
    let r = s.call(Method::DELETE, "/api/contacts/7300", Some(&owner), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // Gone from every view at once, before the background work.
    assert_eq!(s.get("/api/contacts/7300", &owner).await.status, StatusCode::NOT_FOUND);
    for q in ["", "q=zenoviy", "tag=vip", "q=0677654321"] {
        assert!(!ids(&s, &owner, q).await.contains(&"7300".to_string()), "{q}");
    }
    // Asked twice, and its job delivered twice more: the same end.
    assert_eq!(s.call(Method::DELETE, "/api/contacts/7300", Some(&owner), None).await.status, StatusCode::NO_CONTENT);
    let job = cartie_domain::jobs::Job::EraseContact { workspace_id: ws.clone(), user_id: 7300 };
    s.app.queues.send("jobs", &job).await.expect("send");
    s.drain_jobs().await;
    s.app.queues.send("jobs", &job).await.expect("send");
    s.drain_jobs().await;

    let left = items_mentioning(&s, "7300").await;
    assert!(left.is_empty(), "nothing about the buyer is stored: {left:?}");
    assert!(items_mentioning(&s, "Zenoviy").await.is_empty());
    let counts = s.get("/api/inbox/counts", &owner).await.body;
    assert_eq!((counts["total"].clone(), counts["unread"].clone(), counts["open"].clone()), (json!(1), json!(1), json!(1)), "Olena's only: {counts}");
    let bell_after = s.get("/api/notifications/unread", &owner).await.body;
    assert_eq!(bell_after["unread"].as_i64(), bell["unread"].as_i64().map(|n| n - 2), "two new-lead notices about him gone: {bell} -> {bell_after}");
    let requests = s.get("/api/requests", &owner).await.body;
    assert_eq!(requests["requests"][0]["make"], "Volkswagen", "the dealer's request stays: {requests}");
    assert_eq!(requests["requests"][0]["conversation"], Value::Null, "unlinked from the erased chat");
    assert_eq!(s.call(Method::DELETE, "/api/contacts/7300", Some(&owner), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ids(&s, &owner, "").await, vec!["7301"]);

    // Writing again, they start over as a new contact with nothing of before.
    says(&s, a.id, zed, "Hello again").await;
    let page = s.get("/api/contacts/7300", &owner).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!((page.body["contact"]["tags"].clone(), page.body["contact"]["phone"].clone()), (json!([]), Value::Null), "{}", page.body);
    let msgs = s.get(&format!("/api/inbox/conversations/{conv}/messages"), &owner).await.body;
    assert_eq!(msgs["items"].as_array().map(Vec::len), Some(1), "only the new message: {msgs}");
}

/// An import once its jobs have run.
async fn imported(s: &Stack, token: &str, id: &str) -> Value {
    s.drain_jobs().await;
    let r = s.get(&format!("/api/contacts/imports/{id}"), token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

/// A CSV of buyers from an old CRM: a Telegram id is that person (here one
/// who already wrote: the row fills in what the contact lacks, the dealer's
/// own data kept); a username or a phone alone becomes a contact no bot can
/// reach yet; a phone that a known contact has is that contact; a row
/// naming nobody, or with a bad phone, is refused with its column; the
/// report is per row; importing the same file again changes nothing.
#[tokio::test]
async fn a_contact_csv_imports_row_by_row_with_a_report_and_again_changes_nothing() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Import Motors", "owner@import.test").await;
    let bot = s.connect_bot(&owner, "ImportMotorsBot").await;
    says(&s, bot.id, ann(), "Hello").await;
    says(&s, bot.id, buyer(7002, "Petro"), "Hi").await;
    let edit = json!({"phone": "+380 50 111 22 33", "tags": ["walk-in"]});
    assert_eq!(s.call(Method::PATCH, "/api/contacts/7002", Some(&owner), Some(edit)).await.status, StatusCode::OK);

    // Semicolons and Ukrainian headers, as a Ukrainian Excel saves them.
    let csv = "Telegram ID;Username;Телефон;Ім'я;Прізвище;Мітки;Бюджет\n\
               7001;;+380 67 123 45 67;Anna;K.;vip, spring;30000\n\
               ;@olga_cars;;Olga;;spring;\n\
               ;;+48 601 234 567;Jan;Nowak;;15000\n\
               ;;050 111 22 33;;;spring;\n\
               ;;;Nobody;;;\n\
               ;;call me;Bad;Phone;;\n";
    let file = s.upload(&owner, "contact_list", "crm.csv", "text/csv", csv.as_bytes()).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    let file_id = file.body["id"].as_str().expect("file").to_string();
    let started = s.call(Method::POST, "/api/contacts/imports", Some(&owner), Some(json!({"file_id": file_id}))).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    assert_eq!(started.body["total_rows"], 6);
    let id = started.body["id"].as_str().expect("id").to_string();
    // Its first part delivered twice: counted once.
    let job = cartie_domain::jobs::Job::ImportContacts { workspace_id: ws.clone(), import_id: id.clone(), part: 0 };
    s.app.queues.send("jobs", &job).await.expect("send");
    let done = imported(&s, &owner, &id).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["counts"], json!({"created": 2, "updated": 2, "unchanged": 0, "rejected": 2}), "{done}");
    let outcome: Vec<(i64, String, Option<String>)> = done["report"]
        .as_array()
        .expect("report")
        .iter()
        .map(|r| (r["row"].as_i64().unwrap(), r["outcome"].as_str().unwrap().to_string(), r["field"].as_str().map(String::from)))
        .collect();
    assert_eq!(
        outcome,
        vec![
            (1, "updated".into(), None),
            (2, "created".into(), None),
            (3, "created".into(), None),
            (4, "updated".into(), None),
            (5, "rejected".into(), Some("Telegram ID".into())),
            (6, "rejected".into(), Some("Телефон".into())),
        ]
    );
    assert_eq!(done["report"][3]["contact_id"], "7002", "the phone a known contact has is that contact");

    // Ann: the CRM's name for her (the dealer had none), phone, tags and
    // budget added; her Telegram profile stays as Telegram says.
    let a = s.get("/api/contacts/7001", &owner).await.body;
    assert_eq!((a["contact"]["name"].clone(), a["contact"]["phone"].clone()), (json!("Anna K."), json!("+380671234567")), "{a}");
    assert_eq!(a["contact"]["telegram_name"], "Ann Koval");
    assert_eq!((a["contact"]["tags"].clone(), a["variables"]["бюджет"].clone()), (json!(["spring", "vip"]), json!("30000")), "{a}");
    // Olga and Jan: contacts no bot can reach until they start one.
    let unreachable: Vec<Value> =
        s.get("/api/contacts?tag=spring", &owner).await.body["items"].as_array().unwrap().iter().filter(|c| c["reachable"] == false).cloned().collect();
    assert_eq!(unreachable.len(), 1, "Olga (spring); Jan has no tag");
    assert_eq!((unreachable[0]["name"].clone(), unreachable[0]["username"].clone()), (json!("Olga"), json!("olga_cars")));
    assert_eq!(ids(&s, &owner, "q=nowak").await.len(), 1);
    // Not in any bot's audience.
    let audience = ids(&s, &owner, &format!("bot_id={}&blocked=false&unsubscribed=false", bot.id)).await;
    assert_eq!(audience.len(), 2, "{audience:?}");
    // Petro kept his phone and got the tag.
    let p = s.get("/api/contacts/7002", &owner).await.body;
    assert_eq!(p["contact"]["tags"], json!(["spring", "walk-in"]), "{p}");

    // The same file again: every row as it was.
    let file = s.upload(&owner, "contact_list", "crm.csv", "text/csv", csv.as_bytes()).await;
    let again = s.call(Method::POST, "/api/contacts/imports", Some(&owner), Some(json!({"file_id": file.body["id"]}))).await;
    let again = imported(&s, &owner, again.body["id"].as_str().expect("id")).await;
    assert_eq!(again["counts"], json!({"created": 0, "updated": 0, "unchanged": 4, "rejected": 2}), "{again}");
    let all = s.get("/api/contacts?limit=100", &owner).await.body;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(4), "no contact twice: {all}");

    // A file that names nobody is refused before anything is queued; another
    // workspace sees no import.
    let bad = s.upload(&owner, "contact_list", "names.csv", "text/csv", b"Name;City\nAnn;Lviv\n").await;
    let r = s.call(Method::POST, "/api/contacts/imports", Some(&owner), Some(json!({"file_id": bad.body["id"]}))).await;
    assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("file_id")), "{}", r.body);
    let (_, other) = s.workspace("Other Import", "owner@other-import.test").await;
    assert_eq!(s.get(&format!("/api/contacts/imports/{id}"), &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get(&format!("/api/parser/feeds/imports/{id}"), &owner).await.status, StatusCode::NOT_FOUND, "not a stock import");
}

/// A buyer imported from an old CRM (by phone) who later writes to a bot is
/// two contacts until a manager merges them: the contact page offers the
/// other as a possible duplicate (the same phone); merging keeps the one
/// with the chat, adds the other's tags and variables, and erases the other.
/// Two contacts who both wrote are never merged.
#[tokio::test]
async fn an_imported_contact_merges_into_the_buyer_who_wrote_with_the_same_phone() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Merge Motors", "owner@merge.test").await;
    let viewer = s.member(&owner, "viewer@merge.test", "viewer").await;
    let bot = s.connect_bot(&owner, "MergeMotorsBot").await;
    let csv = "phone,name,tags,budget\n+380 50 111 22 33,Petro (CRM),vip,20000\n";
    let file = s.upload(&owner, "contact_list", "crm.csv", "text/csv", csv.as_bytes()).await;
    let started = s.call(Method::POST, "/api/contacts/imports", Some(&owner), Some(json!({"file_id": file.body["id"]}))).await;
    let done = imported(&s, &owner, started.body["id"].as_str().expect("id")).await;
    let placeholder = done["report"][0]["contact_id"].as_str().expect("contact").to_string();
    assert!(placeholder.starts_with('-'), "a contact no bot can reach yet: {done}");

    says(&s, bot.id, buyer(7002, "Petro"), "Hi, I called last year").await;
    says(&s, bot.id, buyer(7003, "Oksana"), "Hello").await;
    let edit = json!({"phone": "050 111 22 33"});
    assert_eq!(s.call(Method::PATCH, "/api/contacts/7002", Some(&owner), Some(edit)).await.status, StatusCode::OK);
    let page = s.get("/api/contacts/7002", &owner).await.body;
    let dups: Vec<&str> = page["duplicates"].as_array().expect("duplicates").iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(dups, vec![placeholder.as_str()], "{page}");

    let merge = |who: &str, into: &str, other: &str| {
        let (s, who, into, other) = (&s, who.to_string(), into.to_string(), other.to_string());
        async move { s.call(Method::POST, &format!("/api/contacts/{into}/merge"), Some(&who), Some(json!({"other_id": other}))).await }
    };
    assert_eq!(merge(&viewer, "7002", &placeholder).await.status, StatusCode::FORBIDDEN);
    let r = merge(&owner, "7002", "7003").await;
    assert_eq!((r.status, r.field()), (StatusCode::CONFLICT, Some("other_id")), "two Telegram accounts stay two: {}", r.body);
    assert_eq!(merge(&owner, "7002", "7002").await.field(), Some("other_id"));
    assert_eq!(merge(&owner, "7002", "-1").await.status, StatusCode::NOT_FOUND);

    // Asked from the imported contact's page: the one with the chat is kept.
    let r = merge(&owner, &placeholder, "7002").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["contact"]["id"], "7002");
    assert_eq!(r.body["contact"]["tags"], json!(["vip"]));
    assert_eq!((r.body["contact"]["name"].clone(), r.body["variables"]["budget"].clone()), (json!("Petro (CRM)"), json!("20000")), "{}", r.body);
    assert_eq!(r.body["duplicates"], json!([]));
    s.drain_jobs().await;
    assert_eq!(s.get(&format!("/api/contacts/{placeholder}"), &owner).await.status, StatusCode::NOT_FOUND);
    let mut all = ids(&s, &owner, "").await;
    all.sort();
    assert_eq!(all, vec!["7002", "7003"]);
    assert_eq!(ids(&s, &owner, "tag=vip").await, vec!["7002"]);
}

/// "Tag everyone matching": every contact a filter holds is tagged by the
/// jobs worker in steps (1,100 contacts take two), each step recorded
/// once however often it is delivered; running it again changes nothing;
/// removing by a filter on that tag empties it; bad input names its field.
#[tokio::test]
async fn every_contact_a_filter_holds_is_tagged_in_the_background() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Bulk Motors", "owner@bulk.test").await;
    cartie_e2e::seed::contacts(&s, &ws, 1, 1_100).await;
    let start = |body: Value| {
        let s = &s;
        let owner = owner.clone();
        async move { s.call(Method::POST, "/api/contacts/tags/bulk", Some(&owner), Some(body)).await }
    };
    let finished = |id: String| {
        let s = &s;
        let owner = owner.clone();
        async move {
            s.drain_jobs().await;
            let r = s.get(&format!("/api/contacts/tags/bulk/{id}"), &owner).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert_eq!(r.body["done"], true, "{}", r.body);
            r.body
        }
    };
    let r = start(json!({"filter": {}, "add": [" Spring "]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().expect("id").to_string();
    // Its first step delivered twice more before any runs.
    let first = cartie_domain::jobs::Job::TagContacts { workspace_id: ws.clone(), bulk_id: id.clone(), step: 0 };
    s.app.queues.send("jobs", &first).await.expect("send");
    s.app.queues.send("jobs", &first).await.expect("send");
    let done = finished(id).await;
    assert_eq!((done["seen"].clone(), done["changed"].clone(), done["add"].clone()), (json!(1_100), json!(1_100), json!(["spring"])), "{done}");
    assert_eq!(ids(&s, &owner, "tag=spring").await.len(), 100, "a full page of tagged contacts");
    let c = s.get("/api/contacts/1099", &owner).await.body;
    assert!(c["contact"]["tags"].as_array().unwrap().contains(&json!("spring")), "{c}");

    // Again: nothing more to change.
    let again = start(json!({"filter": {}, "add": ["spring"]})).await.body["id"].as_str().expect("id").to_string();
    assert_eq!(finished(again).await["changed"], 0);
    // Removing by a filter on the tag itself, the hot ones only.
    let off = start(json!({"filter": {"tag": "hot"}, "remove": ["spring"]})).await.body["id"].as_str().expect("id").to_string();
    let off = finished(off).await;
    assert_eq!((off["seen"].clone(), off["changed"].clone()), (json!(110), json!(110)), "{off}");
    let hot_with_spring = s.get("/api/contacts?tag=hot&limit=100", &owner).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["tags"].as_array().unwrap().contains(&json!("spring")))
        .count();
    assert_eq!(hot_with_spring, 0);

    for (body, field) in [
        (json!({"filter": {}}), "add"),
        (json!({"filter": {"language": "ukr-1"}, "add": ["x"]}), "filter.language"),
        (json!({"filter": {}, "add": ["x".repeat(41)]}), "add"),
    ] {
        let r = start(body).await;
        assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{}", r.body);
    }
}
