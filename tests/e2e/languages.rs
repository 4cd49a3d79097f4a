//! Buyers are answered in their Telegram's language: the bot's auto-reply,
//! the starter scenarios' messages and the Mini App's confirmations come in
//! Ukrainian for a Ukrainian Telegram and in English otherwise.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::json;
use tg_sandbox::{UserMessage, UserRef};

fn buyer(id: i64, lang: Option<&str>) -> UserRef {
    UserRef { id, first_name: "Oksana".into(), language_code: lang.map(str::to_string), ..Default::default() }
}

fn bot_texts(s: &Stack, bot: i64, chat: i64) -> Vec<String> {
    s.telegram.outbox(bot, Some(chat)).iter().map(|m| m.message["text"].as_str().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn the_auto_reply_speaks_the_buyers_language() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Lingo Motors", "owner@lingo.test").await;
    let bot = s.connect_bot(&owner, "LingoBot").await;
    let a = s.call(Method::PATCH, &format!("/api/bots/{}", bot.id), Some(&owner), Some(json!({"auto_reply": "Welcome!", "auto_reply_uk": "Вітаємо!"}))).await;
    assert_eq!((a.body["auto_reply"].clone(), a.body["auto_reply_uk"].clone()), (json!("Welcome!"), json!("Вітаємо!")), "{}", a.body);
    for (chat, lang) in [(1, Some("uk")), (2, Some("en")), (3, None), (4, Some("uk-UA"))] {
        s.telegram.user_sends(bot.id, UserMessage::text(buyer(chat, lang), "/start")).await.unwrap();
    }
    s.drain_updates().await;
    assert_eq!(bot_texts(&s, bot.id, 1), vec!["Вітаємо!"]);
    assert_eq!(bot_texts(&s, bot.id, 2), vec!["Welcome!"]);
    assert_eq!(bot_texts(&s, bot.id, 3), vec!["Welcome!"]);
    assert_eq!(bot_texts(&s, bot.id, 4), vec!["Вітаємо!"]);
    // Changing only the English one keeps the Ukrainian one; null turns it off.
    let a = s.call(Method::PATCH, &format!("/api/bots/{}", bot.id), Some(&owner), Some(json!({"auto_reply": "Hello there"}))).await;
    assert_eq!(a.body["auto_reply_uk"], "Вітаємо!");
    let a = s.call(Method::PATCH, &format!("/api/bots/{}", bot.id), Some(&owner), Some(json!({"auto_reply": "Hello there", "auto_reply_uk": null}))).await;
    assert_eq!(a.body["auto_reply_uk"], json!(null));
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(5, Some("uk")), "/start")).await.unwrap();
    s.drain_updates().await;
    assert_eq!(bot_texts(&s, bot.id, 5), vec!["Hello there"], "without a Ukrainian text, the default one");
}

#[tokio::test]
async fn starter_templates_come_in_both_languages() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Template Motors", "owner@tpl-lang.test").await;
    let list = s.get("/api/scenarios/templates?lang=uk", &owner).await;
    assert_eq!(list.body["templates"][0]["name"], "Збір заявок", "{}", list.body);
    assert_eq!(s.get("/api/scenarios/templates", &owner).await.body["templates"][0]["name"], "Lead generation");
    let bad = s.get("/api/scenarios/templates?lang=de", &owner).await;
    assert_eq!((bad.status, bad.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("lang")));

    let bot = s.connect_bot(&owner, "TemplateLangBot").await;
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Заявки", "template": "lead_generation", "language": "uk"}))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["problems"], json!([]));
    let id = a.body["id"].as_str().unwrap().to_string();
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await.status, StatusCode::OK);
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(9, Some("uk")), "/start")).await.unwrap();
    s.drain_updates().await;
    let texts = bot_texts(&s, bot.id, 9);
    assert!(texts.first().is_some_and(|t| t.starts_with("Вітаємо, Oksana!")), "{texts:?}");
}

#[tokio::test]
async fn the_mini_app_confirms_in_the_buyers_language() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Showcase Lingo", "owner@show-lingo.test").await;
    let bot = s.connect_bot(&owner, "ShowLingoBot").await;
    let car = s
        .call(Method::POST, "/api/inventory", Some(&owner), Some(json!({"make": "Skoda", "model": "Octavia", "year": 2020, "price": 17500, "currency": "EUR", "mileage": 90000, "mileage_unit": "km", "status": "available"})))
        .await;
    let car_id = car.body["id"].as_str().unwrap().to_string();
    let slug = s.app.store.workspace(&ws).await.unwrap().unwrap().slug;
    // The buyer started the bot before (so the bot may write to them).
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(21, Some("uk")), "/start")).await.unwrap();
    s.drain_updates().await;
    let init = s.telegram.webapp_init_data(bot.id, &buyer(21, Some("uk")), None).unwrap();
    let a = s.call(Method::POST, &format!("/api/miniapp/{slug}/interest"), None, Some(json!({"init_data": init, "listing_id": car_id}))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert!(a.body["message"].as_str().unwrap().starts_with("Дякуємо!"), "{}", a.body);
    let texts = bot_texts(&s, bot.id, 21);
    assert!(texts.last().is_some_and(|t| t.starts_with("Дякуємо! Ми отримали")), "{texts:?}");
}
