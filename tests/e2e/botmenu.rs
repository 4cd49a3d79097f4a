//! The bot menu editor's API: commands, the menu button and a reply
//! keyboard are checked, applied in Telegram (the sandbox), then stored.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_menu_is_checked_applied_in_telegram_and_kept() {
    let s = Stack::new().await;
    let (_a, owner) = s.workspace("Menu Motors", "owner@menu.test").await;
    let (_b, other) = s.workspace("Other Menu", "owner@othermenu.test").await;
    let manager = s.member(&owner, "manager@menu.test", "manager").await;
    let bot = s.connect_bot(&owner, "MenuMotorsBot").await;
    let path = format!("/api/bots/{}/menu", bot.id);

    // A bot without a menu answers an empty one, not an error.
    let a = s.get(&path, &owner).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!((a.body["commands"].clone(), a.body["menu_button"]["kind"].clone(), a.body["applied_at"].clone()), (json!([]), json!("default"), json!(null)));
    let slug = s.get("/api/workspace", &owner).await.body["slug"].as_str().expect("slug").to_string();
    assert_eq!(a.body["miniapp_url"], json!(format!("{}/m/{slug}", s.url)));

    // Bad input names the field and reaches neither Telegram nor the table.
    let bad = json!({"commands": [{"command": "cars", "description": "Stock"}, {"command": "bad command", "description": "x"}], "menu_button": {"kind": "default"}, "keyboard": []});
    let a = s.call(Method::PUT, &path, Some(&owner), Some(bad)).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("commands[1].command")), "{}", a.body);
    let a = s
        .call(
            Method::PUT,
            &path,
            Some(&owner),
            Some(json!({"commands": [], "menu_button": {"kind": "url", "text": "Site", "url": "http://plain.test"}, "keyboard": []})),
        )
        .await;
    assert_eq!(a.field(), Some("menu_button.url"));
    assert_eq!(s.telegram.menu(bot.id), (json!([]), None));
    assert_eq!(s.call(Method::PUT, &path, Some(&manager), Some(json!({"commands": []}))).await.status, StatusCode::FORBIDDEN, "admins edit menus");

    let menu = json!({"commands": [{"command": "/Cars", "description": "Our stock"}, {"command": "contact", "description": "Talk to a manager"}],
                      "menu_button": {"kind": "web_app", "text": "Our cars"}, "keyboard": [["Stock", "Sell my car"], ["Contacts"]]});
    let a = s.call(Method::PUT, &path, Some(&owner), Some(menu)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body["applied_at"].is_string());
    let (commands, button) = s.telegram.menu(bot.id);
    assert_eq!(commands, json!([{"command": "cars", "description": "Our stock"}, {"command": "contact", "description": "Talk to a manager"}]));
    let button = button.expect("menu button set");
    assert_eq!((button["type"].clone(), button["text"].clone()), (json!("web_app"), json!("Our cars")));
    assert_eq!(button["web_app"]["url"], json!(format!("{}/m/{slug}", s.url)));

    let a = s.get(&path, &manager).await;
    assert_eq!(a.body["keyboard"], json!([["Stock", "Sell my car"], ["Contacts"]]));
    assert_eq!(a.body["commands"][0]["command"], "cars");
    // Another workspace can neither read nor change it.
    assert_eq!(s.get(&path, &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::PUT, &path, Some(&other), Some(json!({"commands": []}))).await.status, StatusCode::NOT_FOUND);

    // The keyboard comes with the bot's greeting.
    s.call(Method::PATCH, &format!("/api/bots/{}", bot.id), Some(&owner), Some(json!({"auto_reply": "Welcome!"}))).await;
    let buyer = tg_sandbox::UserRef { id: 4242, first_name: "Kim".into(), last_name: None, username: None, language_code: None };
    s.telegram.user_sends(bot.id, tg_sandbox::UserMessage::text(buyer, "/start")).await.expect("start");
    s.drain_updates().await;
    let chat = s.telegram.transcript(bot.id, 4242).expect("chat");
    let greeting = chat.messages.iter().find(|m| m.message["text"] == "Welcome!").unwrap_or_else(|| panic!("no greeting in {:?}", chat.messages));
    let keyboard = greeting.reply_keyboard.clone().unwrap_or_default();
    assert_eq!(keyboard["keyboard"][0][1]["text"], "Sell my car", "{keyboard}");
    assert_eq!(keyboard["is_persistent"], true);
}
