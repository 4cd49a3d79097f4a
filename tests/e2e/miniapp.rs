//! The Mini App showcase: public browsing of available stock by slug, and the
//! "I'm interested" lead, accepted only with Telegram-signed `initData`.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};
use tg_sandbox::UserRef;

fn car(make: &str, model: &str, price: i64, status: &str) -> Value {
    json!({"make": make, "model": model, "year": 2020, "price": price, "currency": "EUR", "mileage": 50000, "mileage_unit": "km",
           "vin": null, "fuel": "petrol", "transmission": "manual", "body": null, "color": null,
           "photos": ["https://cdn.dealer.test/a.jpg"], "description": "Well kept", "status": status, "source_url": "https://secret.example/lot/1"})
}

fn buyer(id: i64) -> UserRef {
    UserRef { id, first_name: "Mini".into(), last_name: None, username: Some("mini_buyer".into()), language_code: None }
}

#[tokio::test]
async fn showcase_is_public_and_shows_only_cars_on_sale() {
    let s = Stack::new().await;
    let (_a, owner) = s.workspace("Show Motors", "owner@show.test").await;
    let (_b, other) = s.workspace("Other Motors", "owner@other.test").await;
    let slug = s.get("/api/workspace", &owner).await.body["slug"].as_str().expect("slug").to_string();
    let mut ids = Vec::new();
    for (mk, md, p, st) in [("BMW", "X5", 41000, "available"), ("Audi", "A6", 30000, "available"), ("Kia", "Ceed", 9000, "sold")] {
        let a = s.call(Method::POST, "/api/inventory", Some(&owner), Some(car(mk, md, p, st))).await;
        ids.push(a.body["id"].as_str().expect("id").to_string());
    }
    let foreign = s.call(Method::POST, "/api/inventory", Some(&other), Some(car("Tesla", "Model 3", 35000, "available"))).await;
    let foreign = foreign.body["id"].as_str().expect("id").to_string();

    let a = s.call(Method::GET, &format!("/api/miniapp/{slug}"), None, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["company"], "Show Motors");
    assert_eq!(a.body["makes"], json!(["Audi", "BMW"]), "makes of cars on sale only");
    let models: Vec<&str> = a.body["items"].as_array().expect("items").iter().map(|c| c["model"].as_str().unwrap_or("")).collect();
    assert_eq!(models, vec!["A6", "X5"], "the sold Kia and the other dealer's Tesla are not shown");
    assert!(a.body["items"][0].get("source_url").is_none(), "internal fields stay private");

    let a = s.call(Method::GET, &format!("/api/miniapp/{slug}?make=bmw&price_max=50000"), None, None).await;
    assert_eq!(a.body["items"].as_array().map(Vec::len), Some(1));
    let a = s.call(Method::GET, &format!("/api/miniapp/{slug}?price_max=cheap"), None, None).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("price_max")));
    assert_eq!(s.call(Method::GET, "/api/miniapp/no-such-dealer", None, None).await.status, StatusCode::NOT_FOUND);

    assert_eq!(s.call(Method::GET, &format!("/api/miniapp/{slug}/cars/{}", ids[0]), None, None).await.body["model"], "X5");
    assert_eq!(s.call(Method::GET, &format!("/api/miniapp/{slug}/cars/{}", ids[2]), None, None).await.status, StatusCode::NOT_FOUND, "sold");
    assert_eq!(s.call(Method::GET, &format!("/api/miniapp/{slug}/cars/{foreign}"), None, None).await.status, StatusCode::NOT_FOUND, "another dealer's car");
}

#[tokio::test]
async fn interest_with_signed_init_data_becomes_one_lead_and_forgeries_are_refused() {
    let s = Stack::new().await;
    let (_a, owner) = s.workspace("Lead Motors", "owner@lead.test").await;
    let (_b, other) = s.workspace("Rival Motors", "owner@rival.test").await;
    let bot = s.connect_bot(&owner, "LeadMotorsBot").await;
    let rival_bot = s.connect_bot(&other, "RivalMotorsBot").await;
    let slug = s.get("/api/workspace", &owner).await.body["slug"].as_str().expect("slug").to_string();
    let listing = s.call(Method::POST, "/api/inventory", Some(&owner), Some(car("BMW", "X5", 41000, "available"))).await;
    let listing = listing.body["id"].as_str().expect("id").to_string();
    let path = format!("/api/miniapp/{slug}/interest");
    let post = |init_data: String| {
        let (s, path, listing) = (&s, path.clone(), listing.clone());
        async move { s.call(Method::POST, &path, None, Some(json!({"init_data": init_data, "listing_id": listing}))).await }
    };

    // Forged: a valid string with the user changed, one signed by another
    // dealer's bot, a made-up hash, an old one, and none at all.
    let good = s.telegram.webapp_init_data(bot.id, &buyer(555_001), None).expect("init data");
    let tampered = good.replace("555001", "555002");
    let foreign = s.telegram.webapp_init_data(rival_bot.id, &buyer(555_001), None).expect("init data");
    let made_up = format!("{}&hash={}", good.split("&hash=").next().unwrap_or_default(), "0".repeat(64));
    let old = s.telegram.webapp_init_data(bot.id, &buyer(555_001), Some(1_700_000_000)).expect("init data");
    for (what, data) in [("tampered", tampered), ("other bot", foreign), ("made up", made_up), ("empty", String::new())] {
        let a = post(data).await;
        assert_eq!((a.status, a.field()), (StatusCode::UNAUTHORIZED, Some("init_data")), "{what}: {}", a.body);
    }
    let a = post(old).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.body["error"]["message"].as_str().unwrap_or("").contains("too old"), "{}", a.body);
    let a = s.call(Method::POST, &path, None, Some(json!({"listing_id": listing}))).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("init_data")), "{}", a.body);
    let inbox = s.get("/api/inbox/conversations", &owner).await;
    assert_eq!(inbox.body["items"].as_array().map(Vec::len), Some(0), "refused requests leave no trace: {}", inbox.body);

    // The buyer opened the bot before (Telegram lets a bot write only to
    // people who started it); signed by the dealer's bot, the interest is a
    // lead in the Inbox and a thank-you in Telegram.
    s.telegram.user_sends(bot.id, tg_sandbox::UserMessage::text(buyer(555_001), "/start")).await.expect("start");
    s.drain_updates().await;
    let a = post(good.clone()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["created"], true);
    let inbox = s.get("/api/inbox/conversations", &owner).await;
    let items = inbox.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{}", inbox.body);
    assert_eq!(items[0]["contact"]["first_name"], "Mini");
    let conv = items[0]["id"].as_str().expect("id").to_string();
    let msgs = s.get(&format!("/api/inbox/conversations/{conv}/messages"), &owner).await;
    let texts: Vec<String> = msgs.body["items"].as_array().expect("messages").iter().filter_map(|m| m["text"].as_str().map(str::to_string)).collect();
    assert!(texts.iter().any(|t| t.contains("I'm interested in the 2020 BMW X5") && t.contains("41 000 EUR")), "{texts:?}");
    let sent = s.telegram.outbox(bot.id, Some(555_001));
    assert!(sent.iter().any(|m| m.message["text"].as_str().unwrap_or("").contains("Thanks! We got your interest in the 2020 BMW X5")), "{sent:?}");

    // Pressing again the same day adds nothing.
    let before = msgs.body["items"].as_array().map(Vec::len);
    let a = post(good.clone()).await;
    assert_eq!((a.status, a.body["created"].clone()), (StatusCode::CREATED, json!(false)), "{}", a.body);
    let msgs = s.get(&format!("/api/inbox/conversations/{conv}/messages"), &owner).await;
    assert_eq!(msgs.body["items"].as_array().map(Vec::len), before, "still one lead and one thank-you: {}", msgs.body);
    // The rival dealer sees nothing of it.
    assert_eq!(s.get("/api/inbox/conversations", &other).await.body["items"].as_array().map(Vec::len), Some(0));
    // A car that is not on sale cannot be asked about.
    let a = s.call(Method::POST, &path, None, Some(json!({"init_data": good, "listing_id": "01NOSUCHCAR"}))).await;
    assert_eq!((a.status, a.field()), (StatusCode::NOT_FOUND, Some("listing_id")));
}
