//! Scenarios over the local stack and the Telegram sandbox: the editor's API
//! (drafts, publish, versions, rollback, duplicate, templates, test chat),
//! and the live bot running the lead-generation template from `/start` to a
//! created request and a hand-off — once per update, however often it is
//! delivered, with conversations pinned to the version they started on.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};
use tg_sandbox::{UserContact, UserMessage, UserRef};

fn buyer(id: i64) -> UserRef {
    UserRef { id, first_name: "Olga".into(), last_name: None, username: Some("olga".into()), language_code: None }
}

/// The bot's texts to `chat`, in order.
fn bot_texts(s: &Stack, bot: i64, chat: i64) -> Vec<String> {
    s.telegram
        .transcript(bot, chat)
        .map(|t| {
            t.messages
                .iter()
                .filter(|m| m.sender == tg_sandbox::Sender::Bot)
                .map(|m| m.message["text"].as_str().or(m.message["caption"].as_str()).unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn says(s: &Stack, bot: i64, user: i64, text: &str) {
    s.telegram.user_sends(bot, UserMessage::text(buyer(user), text)).await.expect("send");
    s.drain_updates().await;
}

#[tokio::test]
async fn the_editor_api_keeps_drafts_versions_and_refuses_what_telegram_would() {
    let s = Stack::new().await;
    let (_a, owner) = s.workspace("Flow Motors", "owner@flow.test").await;
    let (_b, other) = s.workspace("Other Flow", "owner@otherflow.test").await;
    let viewer = s.member(&owner, "viewer@flow.test", "viewer").await;

    let t = s.get("/api/scenarios/templates", &viewer).await;
    assert_eq!(t.body["templates"].as_array().map(Vec::len), Some(3), "{}", t.body);
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Leads", "template": "lead_generation"}))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["problems"], json!([]), "templates are ready to publish");
    let id = a.body["id"].as_str().expect("id").to_string();
    assert_eq!(s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "X", "template": "nope"}))).await.field(), Some("template"));
    assert_eq!(s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "X", "bot_ids": [42]}))).await.field(), Some("bot_ids[0]"));
    assert_eq!(s.call(Method::POST, "/api/scenarios", Some(&viewer), Some(json!({"name": "X"}))).await.status, StatusCode::FORBIDDEN);

    // A draft Telegram would refuse: a button label over 64 characters and a
    // missing target. The save keeps it (it is a draft) and names the problems.
    let mut draft = a.body["draft"].clone();
    draft["nodes"][0]["step"]["buttons"] = json!([{"label": "x".repeat(70), "next": "make"}]);
    draft["nodes"][1]["step"]["next"] = json!("nowhere");
    let rev = a.body["revision"].as_u64().expect("revision");
    let saved = s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Leads", "draft": draft, "revision": rev}))).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let problems = saved.body["problems"].as_array().expect("problems").clone();
    assert!(problems.iter().any(|p| p["node"] == "welcome" && p["message"].as_str().unwrap_or("").contains("64")), "{problems:?}");
    assert!(problems.iter().any(|p| p["node"] == "make"), "{problems:?}");
    // A save over an older revision is a conflict; publishing says why not.
    let stale = s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Leads", "draft": draft, "revision": rev}))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let p = s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await;
    assert_eq!((p.status, p.code()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_scenario")), "{}", p.body);
    assert!(p.field().unwrap_or("").starts_with("nodes."), "{}", p.body);

    // Fixed, it publishes as version 1; an edit then shows unpublished changes.
    let fixed = s.get(&format!("/api/scenarios/{id}"), &owner).await;
    let mut d = fixed.body["draft"].clone();
    d["nodes"][0]["step"]["buttons"] = json!([]);
    d["nodes"][1]["step"]["next"] = json!("model");
    let r = fixed.body["revision"].as_u64();
    s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Leads", "draft": d, "revision": r}))).await;
    let p = s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await;
    assert_eq!(
        (p.status, p.body["published_version"].clone(), p.body["has_unpublished_changes"].clone()),
        (StatusCode::OK, json!(1), json!(false)),
        "{}",
        p.body
    );
    d["nodes"][0]["step"]["text"] = json!("Hello again!");
    let e = s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Leads", "draft": d}))).await;
    assert_eq!(e.body["has_unpublished_changes"], true);
    s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await;
    let v = s.get(&format!("/api/scenarios/{id}/versions"), &viewer).await;
    assert_eq!(
        v.body["versions"].as_array().map(|v| v.iter().map(|x| (x["version"].clone(), x["current"].clone())).collect::<Vec<_>>()),
        Some(vec![(json!(2), json!(true)), (json!(1), json!(false))])
    );
    // Rolling back to 1 publishes it again as 3, and it becomes the draft.
    let rb = s.call(Method::POST, &format!("/api/scenarios/{id}/versions/1/rollback"), Some(&owner), None).await;
    assert_eq!(rb.body["published_version"], 3, "{}", rb.body);
    assert_ne!(rb.body["draft"]["nodes"][0]["step"]["text"], "Hello again!");

    let dup = s.call(Method::POST, &format!("/api/scenarios/{id}/duplicate"), Some(&owner), None).await;
    assert_eq!((dup.status, dup.body["name"].clone(), dup.body["published_version"].clone()), (StatusCode::CREATED, json!("Leads (copy)"), json!(null)));
    assert_eq!(s.get("/api/scenarios", &viewer).await.body["scenarios"].as_array().map(Vec::len), Some(2));

    // The test chat runs the draft: /start, then a wrong budget is asked again.
    let chat = |session: Value, kind: &str, text: &str| {
        let (s, owner, id) = (&s, owner.clone(), id.clone());
        let body = json!({"session": session, "kind": kind, "text": text});
        async move { s.call(Method::POST, &format!("/api/scenarios/{id}/test"), Some(&owner), Some(body)).await }
    };
    let c = chat(Value::Null, "start", "").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(c.body["waiting_at"], "make");
    let c = chat(c.body["session"].clone(), "text", "BMW").await;
    let c = chat(c.body["session"].clone(), "text", "X5").await;
    let c = chat(c.body["session"].clone(), "text", "a lot").await;
    assert_eq!(c.body["replies"][0]["text"], "Please send the budget as a number, for example 25000.", "{}", c.body);
    let c = chat(c.body["session"].clone(), "text", "30 000").await;
    assert_eq!(c.body["replies"][0]["buttons"][0]["kind"], "request_contact", "{}", c.body);
    let c = chat(c.body["session"].clone(), "phone", "+49 151 2345678").await;
    let events: Vec<String> = c.body["events"].as_array().expect("events").iter().filter_map(|e| e.as_str().map(str::to_string)).collect();
    assert!(events.iter().any(|e| e == "request created: BMW X5"), "{events:?}");
    assert!(events.iter().any(|e| e.starts_with("handed off")), "{events:?}");
    assert_eq!(chat(json!({"nonsense": true}), "text", "hi").await.field(), Some("session"));

    // Another workspace sees none of it.
    assert_eq!(s.get(&format!("/api/scenarios/{id}"), &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&other), Some(json!({"name": "x", "draft": {}}))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::DELETE, &format!("/api/scenarios/{id}"), Some(&other), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get("/api/scenarios", &other).await.body["scenarios"], json!([]));
    assert_eq!(s.call(Method::DELETE, &format!("/api/scenarios/{id}"), Some(&owner), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&format!("/api/scenarios/{id}/versions"), &owner).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_lead_generation_template_runs_from_start_to_a_request_and_a_hand_off() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Live Motors", "owner@live.test").await;
    let bot = s.connect_bot(&owner, "LiveMotorsBot").await;
    // An auto-reply is set too: the scenario must take over from it.
    s.call(Method::PATCH, &format!("/api/bots/{}", bot.id), Some(&owner), Some(json!({"auto_reply": "Plain greeting"}))).await;
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Leads", "template": "lead_generation", "bot_ids": [bot.id]}))).await;
    let id = a.body["id"].as_str().expect("id").to_string();
    let p = s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    // The bot's menu has a persistent keyboard: it comes with the scenario's
    // messages that bring none of their own.
    let menu = json!({"commands": [], "menu_button": {"kind": "default"}, "keyboard": [["Our stock", "Talk to us"]]});
    assert_eq!(s.call(Method::PUT, &format!("/api/bots/{}/menu", bot.id), Some(&owner), Some(menu)).await.status, StatusCode::OK);

    let olga = 9001;
    // /start delivered three times at once, as Telegram's retries may: one answer.
    let mut start = UserMessage::text(buyer(olga), "/start");
    start.deliveries = 3;
    start.concurrent = true;
    s.telegram.user_sends(bot.id, start).await.expect("start");
    s.drain_updates().await;
    assert_eq!(bot_texts(&s, bot.id, olga), vec!["Hi Olga! Let's find your next car — three quick questions.", "Which make are you looking for?"]);
    let welcome = s.telegram.transcript(bot.id, olga).expect("chat").messages.into_iter().find(|m| m.sender == tg_sandbox::Sender::Bot).expect("welcome");
    assert_eq!(welcome.reply_keyboard.map(|k| k["keyboard"][0][1]["text"].clone()), Some(json!("Talk to us")));

    says(&s, bot.id, olga, "BMW").await;
    says(&s, bot.id, olga, "X5").await;
    says(&s, bot.id, olga, "not sure").await;
    says(&s, bot.id, olga, "30 000 €").await;
    let texts = bot_texts(&s, bot.id, olga);
    assert_eq!(
        &texts[2..],
        [
            "Which model?",
            "What is your budget?",
            "Please send the budget as a number, for example 25000.",
            "Share your phone number so a manager can call you back."
        ]
    );
    let chat = s.telegram.transcript(bot.id, olga).expect("chat");
    let ask = chat.messages.last().expect("ask");
    assert_eq!(ask.reply_keyboard.as_ref().map(|k| k["keyboard"][0][0]["request_contact"].clone()), Some(json!(true)), "Telegram's own phone button");

    let share = UserMessage {
        from: buyer(olga),
        contact: Some(UserContact { phone_number: "+49 151 2345678".into(), first_name: "Olga".into(), last_name: None, user_id: None }),
        deliveries: 1,
        ..Default::default()
    };
    s.telegram.user_sends(bot.id, share).await.expect("contact");
    s.drain_updates().await;
    assert_eq!(bot_texts(&s, bot.id, olga).last().map(String::as_str), Some("Thanks! A manager will contact you shortly."));
    assert!(!bot_texts(&s, bot.id, olga).iter().any(|t| t == "Plain greeting"), "the scenario replaced the auto-reply");

    let requests = s.get("/api/requests", &owner).await;
    let r = &requests.body["requests"][0];
    assert_eq!((r["make"].clone(), r["model"].clone(), r["budget"].clone()), (json!("BMW"), json!("X5"), json!(30000)), "{}", requests.body);
    let conv = format!("{}:{olga}", bot.id);
    assert_eq!(r["conversation"], json!(conv));
    // The answers are kept on the contact, with the shared phone.
    let contact = s.app.store.contact(&ws, bot.id, olga).await.expect("read").expect("contact");
    assert_eq!((contact.vars.get("make").map(String::as_str), contact.vars.get("budget").map(String::as_str)), (Some("BMW"), Some("30000")));
    assert_eq!(contact.phone.as_deref(), Some("+49 151 2345678"));
    // ... and on the one contact of the person: the list filters by them
    // and by the open request, and the contact page shows both.
    let found = |q: &'static str| {
        let (s, owner) = (&s, &owner);
        async move {
            let r = s.get(&format!("/api/contacts?{q}"), owner).await;
            assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
            r.body["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().unwrap_or_default().to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(found("var=budget&var_op=gt&var_value=25%20000").await, vec![olga.to_string()]);
    assert!(found("var=budget&var_op=lt&var_value=25000").await.is_empty());
    assert_eq!(found("var=make&var_op=eq&var_value=bmw").await, vec![olga.to_string()]);
    assert!(found("var=trade_in&var_op=set").await.is_empty());
    assert_eq!(found("open_request=true").await, vec![olga.to_string()]);
    assert!(found("open_request=false").await.is_empty());
    let bad = s.get("/api/contacts?var=budget&var_op=gt&var_value=lots", &owner).await;
    assert_eq!((bad.status, bad.body["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("var_value")), "{}", bad.body);
    let bad = s.get("/api/contacts?var=budget&var_op=between", &owner).await;
    assert_eq!(bad.body["error"]["field"], "var_op", "{}", bad.body);
    let page = s.get(&format!("/api/contacts/{olga}"), &owner).await.body;
    assert_eq!(page["variables"]["make"], "BMW", "{page}");
    assert_eq!(page["requests"][0]["make"], "BMW", "{page}");
    let c = s.get(&format!("/api/inbox/conversations/{conv}"), &owner).await;
    assert!(c.body["handoff_until"].is_string(), "flagged for a person in the Inbox: {}", c.body);

    // Handed off: the bot stays quiet, even on /start, until released.
    let before = bot_texts(&s, bot.id, olga).len();
    says(&s, bot.id, olga, "Hello? Anyone?").await;
    says(&s, bot.id, olga, "/start").await;
    assert_eq!(bot_texts(&s, bot.id, olga).len(), before);
    let rel = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/release"), Some(&owner), None).await;
    assert_eq!((rel.status, rel.body["handoff_until"].clone()), (StatusCode::OK, json!(null)), "{}", rel.body);
    says(&s, bot.id, olga, "/start").await;
    assert_eq!(bot_texts(&s, bot.id, olga).last().map(String::as_str), Some("Which make are you looking for?"));

    // Analytics: every node entered once by the first run, the make question twice.
    let an = s.get(&format!("/api/scenarios/{id}/analytics"), &owner).await;
    let stat = |node: &str| an.body["nodes"].as_array().and_then(|n| n.iter().find(|x| x["node"] == node).cloned()).unwrap_or(Value::Null);
    assert_eq!((stat("request")["entered"].clone(), stat("request")["completed"].clone()), (json!(1), json!(1)), "{}", an.body);
    assert_eq!((stat("make")["entered"].clone(), stat("make")["dropped"].clone()), (json!(2), json!(1)), "{}", an.body);
}

#[tokio::test]
async fn conversations_in_flight_keep_their_version_and_delays_wait() {
    let s = Stack::new().await;
    let (_a, owner) = s.workspace("Pin Motors", "owner@pin.test").await;
    let bot = s.connect_bot(&owner, "PinMotorsBot").await;
    let graph = |question: &str| {
        json!({"triggers": [{"kind": "start", "value": "", "node": "q"}, {"kind": "keyword", "value": "later", "node": "wait"}],
               "nodes": [
                 {"id": "q", "step": {"kind": "question", "text": question, "variable": "make", "answer": "text", "next": "thanks"}},
                 {"id": "thanks", "step": {"kind": "message", "text": "Noted: {make}", "next": null}},
                 {"id": "wait", "step": {"kind": "delay", "seconds": 1, "next": "after"}},
                 {"id": "after", "step": {"kind": "message", "text": "One second later", "next": null}}]})
    };
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Pin"}))).await;
    let id = a.body["id"].as_str().expect("id").to_string();
    let save_and_publish = |q: &'static str| {
        let (s, owner, id, g) = (&s, owner.clone(), id.clone(), graph(q));
        async move {
            let r = s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Pin", "draft": g}))).await;
            assert_eq!(r.body["problems"], json!([]), "{}", r.body);
            let p = s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await;
            assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        }
    };
    save_and_publish("Version one: which make?").await;
    says(&s, bot.id, 1, "/start").await;
    save_and_publish("Version two: which make?").await;
    // The buyer who started on v1 finishes on v1; a new buyer gets v2.
    says(&s, bot.id, 1, "Audi").await;
    assert_eq!(bot_texts(&s, bot.id, 1), vec!["Version one: which make?", "Noted: Audi"]);
    says(&s, bot.id, 2, "/start").await;
    assert_eq!(bot_texts(&s, bot.id, 2), vec!["Version two: which make?"]);

    // A delay answers through the jobs queue after its time.
    says(&s, bot.id, 3, "later please").await;
    assert!(bot_texts(&s, bot.id, 3).is_empty());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while bot_texts(&s, bot.id, 3).is_empty() && std::time::Instant::now() < deadline {
        cartie::poll_once(&s.app, cartie::Worker::Jobs, 1).await.expect("poll jobs");
    }
    assert_eq!(bot_texts(&s, bot.id, 3), vec!["One second later"]);
}

/// A photo host for the stock (the parser's fetcher allows 127.0.0.1 in tests).
async fn photo_host() -> String {
    let png = tg_sandbox::sample_png(64, 48);
    let app = axum::Router::new().route(
        "/car.png",
        axum::routing::get(move || {
            let png = png.clone();
            async move { ([(http::header::CONTENT_TYPE, "image/png")], png) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn catalog_search_sends_matching_cars_as_photo_cards() {
    let s = Stack::new().await;
    let (_a, owner) = s.workspace("Cat Motors", "owner@cat.test").await;
    let bot = s.connect_bot(&owner, "CatMotorsBot").await;
    let host = photo_host().await;
    for (make, model, price, photos) in
        [("BMW", "X3", 28000, vec![format!("{host}/car.png")]), ("BMW", "X7", 90000, vec![]), ("Audi", "Q5", 25000, vec![]), ("BMW", "320d", 19000, vec![])]
    {
        let car = json!({"make": make, "model": model, "year": 2021, "price": price, "currency": "EUR", "mileage": 20000, "mileage_unit": "km",
                         "vin": null, "fuel": "diesel", "transmission": "automatic", "body": null, "color": null, "photos": photos,
                         "description": null, "status": "available", "source_url": null});
        assert_eq!(s.call(Method::POST, "/api/inventory", Some(&owner), Some(car)).await.status, StatusCode::CREATED);
    }
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Catalog", "template": "catalog_search"}))).await;
    let id = a.body["id"].as_str().expect("id").to_string();
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await.status, StatusCode::OK);

    says(&s, bot.id, 5, "show me your stock").await; // keyword trigger
    says(&s, bot.id, 5, "bmw").await;
    says(&s, bot.id, 5, "30000").await;
    let chat = s.telegram.transcript(bot.id, 5).expect("chat");
    let bot_msgs: Vec<&tg_sandbox::TranscriptEntry> = chat.messages.iter().filter(|m| m.sender == tg_sandbox::Sender::Bot).collect();
    let cards: Vec<&&tg_sandbox::TranscriptEntry> =
        bot_msgs.iter().filter(|m| m.message["text"].as_str().or(m.message["caption"].as_str()).unwrap_or("").contains("2021 BMW")).collect();
    assert_eq!(cards.len(), 2, "X3 and 320d fit the budget, the X7 does not: {bot_msgs:?}");
    let with_photo = cards.iter().find(|m| m.message["caption"].as_str().unwrap_or("").contains("X3")).expect("X3 card");
    assert!(with_photo.message["photo"].is_array(), "the X3 card carries its photo, uploaded by Cartie: {:?}", with_photo.message);
    assert!(cards.iter().any(|m| m.message["text"].as_str().unwrap_or("").contains("320d")), "a car without photos is a text card");
    let last = bot_msgs.last().expect("follow-up");
    assert_eq!(last.message["text"], "Want to see more or talk to a manager?");

    // A second buyer's search re-sends the photo Telegram already has
    // (its file_id), rather than downloading and uploading it again.
    says(&s, bot.id, 6, "stock").await;
    says(&s, bot.id, 6, "BMW").await;
    says(&s, bot.id, 6, "30000").await;
    let first = with_photo.message["photo"].as_array().and_then(|p| p.last()).and_then(|p| p["file_unique_id"].as_str()).map(str::to_string);
    let chat6 = s.telegram.transcript(bot.id, 6).expect("chat");
    let again = chat6.messages.iter().find(|m| m.message["caption"].as_str().unwrap_or("").contains("X3")).expect("X3 card for the second buyer");
    let second = again.message["photo"].as_array().and_then(|p| p.last()).and_then(|p| p["file_unique_id"].as_str()).map(str::to_string);
    assert!(first.is_some() && first == second, "the same file: {first:?} vs {second:?}");
}

#[tokio::test]
async fn delays_beyond_fifteen_minutes_wait_for_the_scheduler() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Slow Motors", "owner@slow.test").await;
    let bot = s.connect_bot(&owner, "SlowMotorsBot").await;
    let graph = json!({"triggers": [{"kind": "start", "value": "", "node": "wait"}],
        "nodes": [{"id": "wait", "step": {"kind": "delay", "seconds": 7200, "next": "hello"}},
                  {"id": "hello", "step": {"kind": "message", "text": "Two hours later: still looking?", "next": "tomorrow"}},
                  {"id": "tomorrow", "step": {"kind": "delay", "seconds": 86400, "next": "bye"}},
                  {"id": "bye", "step": {"kind": "message", "text": "A day later: new cars arrived.", "next": null}}]});
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Slow"}))).await;
    let id = a.body["id"].as_str().expect("id").to_string();
    s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Slow", "draft": graph}))).await;
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await.status, StatusCode::OK);
    let start = cartie_store::clock::freeze();
    says(&s, bot.id, 7, "/start").await;

    // Kept in the due-minute bucket two hours ahead; nothing is sent yet,
    // and the scheduler a minute before the time moves nothing.
    let due: Vec<_> = s.raw_items().await.into_iter().filter(|it| it.get("PK").and_then(|v| v.as_s().ok()).is_some_and(|pk| pk.starts_with("DUE#"))).collect();
    assert_eq!(due.len(), 1);
    let due_ms: i64 = due[0]["due_ms"].as_n().expect("due").parse().expect("number");
    assert_eq!(due_ms - start, 7_200_000, "due in exactly two hours");
    s.run_due_at(start + 7_140_000).await;
    assert!(bot_texts(&s, bot.id, 7).is_empty(), "not a minute early");

    // Two hours pass on the clock (nobody sleeps): the scheduler queues it,
    // the jobs worker answers.
    s.run_due_at(start + 7_201_000).await;
    assert_eq!(bot_texts(&s, bot.id, 7), vec!["Two hours later: still looking?"]);
    // And the next day's step, a day later by the clock; once.
    s.run_due_at(start + 7_201_000 + 86_400_000 - 60_000).await;
    assert_eq!(bot_texts(&s, bot.id, 7).len(), 1);
    s.run_due_at(start + 7_201_000 + 86_401_000).await;
    s.run_due_at(start + 7_201_000 + 86_461_000).await;
    assert_eq!(bot_texts(&s, bot.id, 7), vec!["Two hours later: still looking?", "A day later: new cars arrived."]);
}

#[tokio::test]
async fn a_worker_that_dies_mid_way_leaves_the_rest_for_the_retry_and_nothing_twice() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Crash Motors", "owner@crash.test").await;
    let bot = s.connect_bot(&owner, "CrashMotorsBot").await;
    let graph = json!({"triggers": [{"kind": "start", "value": "", "node": "a"}],
        "nodes": [{"id": "a", "step": {"kind": "message", "text": "One", "next": "b"}},
                  {"id": "b", "step": {"kind": "message", "text": "Two", "next": "c"}},
                  {"id": "c", "step": {"kind": "message", "text": "Three", "next": null}}]});
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Crash"}))).await;
    let id = a.body["id"].as_str().expect("id").to_string();
    s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Crash", "draft": graph}))).await;
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await.status, StatusCode::OK);

    // The buyer's /start, as the worker sees it (the chat must exist in the
    // sandbox for the bot to write to it, so the buyer says hello first).
    says(&s, bot.id, 11, "hello").await;
    let raw = json!({"message_id": 99, "date": 1_700_000_000, "chat": {"id": 11, "type": "private"}, "from": {"id": 11, "is_bot": false, "first_name": "Olga"}, "text": "/start"});
    let msg = cartie_telegram::inbound::message_from_json(bot.id, &raw, cartie_domain::inbox::Direction::In).expect("message");

    // The decision is stored, then the worker "dies" after the first send:
    // rewind the outbox mark as if only "One" and its counters had gone out.
    assert!(cartie_bot::scenario::on_message(&s.app, &ws, &msg, 5001, false).await.expect("first run"));
    assert_eq!(bot_texts(&s, bot.id, 11), vec!["One", "Two", "Three"]);
    let mut rec = s.app.store.scenario_session(&ws, bot.id, 11).await.expect("session");
    let one_sent = rec.pending.iter().position(|p| p.contains("\"text\":\"One\"")).expect("send One") + 1;
    rec.done = one_sent;
    rec.rev += 1;
    s.app.store.save_scenario_session(&ws, bot.id, 11, &rec).await.expect("rewind");
    // (The sandbox holds all three from the first run; count from here.)
    let before = bot_texts(&s, bot.id, 11).len();

    // The retry of the same update performs only what was left ...
    assert!(cartie_bot::scenario::on_message(&s.app, &ws, &msg, 5001, false).await.expect("retry"));
    assert_eq!(bot_texts(&s, bot.id, 11)[before..], ["Two", "Three"], "the rest, not 'One' again");
    // ... and one more delivery performs nothing.
    assert!(cartie_bot::scenario::on_message(&s.app, &ws, &msg, 5001, false).await.expect("third"));
    assert_eq!(bot_texts(&s, bot.id, 11).len(), before + 2);
}

#[tokio::test]
async fn a_channel_post_step_posts_to_the_dealers_channel() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Post Motors", "owner@post.test").await;
    let bot = s.connect_bot(&owner, "PostMotorsBot").await;
    let channel = s.telegram.create_channel(bot.id, "post_motors_news", "Post Motors news").expect("channel");
    let graph = json!({"triggers": [{"kind": "keyword", "value": "sell", "node": "ask"}],
        "nodes": [{"id": "ask", "step": {"kind": "question", "text": "Which car do you sell?", "variable": "car", "answer": "text", "next": "post"}},
                  {"id": "post", "step": {"kind": "channel_post", "channel": "@post_motors_news", "text": "New trade-in offer: {car}", "next": "thanks"}},
                  {"id": "thanks", "step": {"kind": "message", "text": "Posted, thank you!", "next": null}}]});
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Trade-in"}))).await;
    let id = a.body["id"].as_str().expect("id").to_string();
    let saved = s.call(Method::PUT, &format!("/api/scenarios/{id}"), Some(&owner), Some(json!({"name": "Trade-in", "draft": graph}))).await;
    assert_eq!(saved.body["problems"], json!([]), "{}", saved.body);
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await.status, StatusCode::OK);

    says(&s, bot.id, 21, "I want to sell my car").await;
    says(&s, bot.id, 21, "Audi A4 2017").await;
    let posts = bot_texts(&s, bot.id, channel);
    assert_eq!(posts, vec!["New trade-in offer: Audi A4 2017"]);
    assert_eq!(bot_texts(&s, bot.id, 21).last().map(String::as_str), Some("Posted, thank you!"));
}
