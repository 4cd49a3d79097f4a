//! The Telegram core end to end: connecting bots, the idempotent webhook,
//! the FIFO update worker, and the Inbox — real handlers, real teloxide-core
//! client, moto for DynamoDB/SQS, the sandbox for Telegram.

use base64::Engine;
use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};
use tg_sandbox::{MediaKind, UserMedia, UserMessage, UserRef};

fn buyer(id: i64, name: &str) -> UserRef {
    UserRef { id, first_name: name.into(), username: Some(name.to_lowercase()), ..Default::default() }
}

async fn conversations(s: &Stack, token: &str, query: &str) -> Value {
    let a = s.get(&format!("/api/inbox/conversations{query}"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body
}

async fn messages(s: &Stack, token: &str, conv: &str) -> Vec<Value> {
    let a = s.get(&format!("/api/inbox/conversations/{conv}/messages?limit=100"), token).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn connecting_bots_checks_the_token_and_seals_it() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Hub Motors", "owner@hub.test").await;
    let a = s.call(Method::POST, "/api/bots", Some(&owner), Some(json!({"token": "not a token"}))).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("token")));
    let a = s.call(Method::POST, "/api/bots", Some(&owner), Some(json!({"token": "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}))).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("token")), "{}", a.body);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("does not accept"));

    let bot = s.connect_bot(&owner, "HubMotorsBot").await;
    let hook = s.telegram.webhook(bot.id).expect("webhook registered");
    assert_eq!(hook.url, format!("{}/tg/{}", s.url, bot.id));
    let secret = hook.secret_token.expect("secret set");
    let list = s.get("/api/bots", &owner).await;
    assert_eq!(list.body["bots"][0]["username"], "HubMotorsBot");
    // Neither the token nor the webhook secret is stored in clear.
    for item in s.raw_items().await {
        let text = format!("{item:?}");
        assert!(!text.contains(&bot.token) && !text.contains(&bot.token[bot.token.find(':').unwrap() + 1..]), "token in clear: {text}");
        assert!(!text.contains(&secret), "webhook secret in clear: {text}");
    }
    // Another workspace cannot take the same bot.
    let (_ws2, other) = s.workspace("Rival Motors", "owner@rival.test").await;
    let a = s.call(Method::POST, "/api/bots", Some(&other), Some(json!({"token": bot.token}))).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    // Disconnecting removes the webhook.
    let a = s.call(Method::DELETE, &format!("/api/bots/{}", bot.id), Some(&owner), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert!(s.telegram.webhook(bot.id).is_none());
}

#[tokio::test]
async fn a_message_reaches_the_inbox_once_even_when_delivered_five_times() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Once Motors", "owner@once.test").await;
    let bot = s.connect_bot(&owner, "OnceBot").await;
    let mut msg = UserMessage::text(buyer(501, "Ann"), "Is the 2019 X5 still available?");
    msg.deliveries = 5;
    msg.concurrent = true;
    let d = s.telegram.user_sends(bot.id, msg).await.unwrap();
    // Every delivery is acknowledged: Telegram slows down bots whose
    // webhook answers errors.
    assert_eq!(d.statuses, vec![204; 5]);
    assert_eq!(s.drain_updates().await, 1, "one message on the queue");
    // A late retry of the same update, after it was processed.
    let conv = format!("{}:501", bot.id);
    let list = conversations(&s, &owner, "").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["id"], conv);
    assert_eq!(list["items"][0]["unread"], 1);
    assert_eq!(list["items"][0]["contact"]["first_name"], "Ann");
    assert_eq!(list["items"][0]["preview"], "Is the 2019 X5 still available?");
    let msgs = messages(&s, &owner, &conv).await;
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["direction"], "in");

    // Marking read clears the badge.
    let a = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/read"), Some(&owner), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(conversations(&s, &owner, "").await["items"][0]["unread"], 0);
}

#[tokio::test]
async fn a_wrong_secret_stores_nothing_and_bad_bodies_are_refused() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Secret Motors", "owner@secret.test").await;
    let bot = s.connect_bot(&owner, "SecretBot").await;
    let before = s.raw_items().await.len();
    let update = json!({"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 9, "type": "private"}, "text": "hi"}});
    for header in [None, Some("wrong"), Some("")] {
        let mut req = http::Request::post(format!("/tg/{}", bot.id)).header("content-type", "application/json");
        if let Some(h) = header {
            req = req.header("x-telegram-bot-api-secret-token", h);
        }
        let a = s.send(req.body(axum::body::Body::from(update.to_string())).unwrap()).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{header:?}");
    }
    assert_eq!(s.raw_items().await.len(), before, "nothing stored");
    assert_eq!(s.drain_updates().await, 0, "nothing queued");
    // With the right secret, malformed bodies are 400 and never a panic.
    let secret = s.telegram.webhook(bot.id).unwrap().secret_token.unwrap();
    for body in ["", "{", "[]", "{\"update_id\": \"x\"}", "{\"message\": {}}"] {
        let req = http::Request::post(format!("/tg/{}", bot.id)).header("x-telegram-bot-api-secret-token", &secret);
        let a = s.send(req.body(axum::body::Body::from(body)).unwrap()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body:?}: {}", a.body);
    }
    let a = s.call(Method::POST, "/tg/999999", None, Some(update)).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_thousand_updates_across_fifty_chats_are_all_stored_in_order() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Busy Motors", "owner@busy.test").await;
    let bot = s.connect_bot(&owner, "BusyBot").await;
    let chats = 50;
    let per_chat = 20;
    // Chats write at the same time; each chat's messages in order.
    let sends = (0..chats).map(|c| {
        let sb = s.telegram.clone();
        async move {
            for i in 0..per_chat {
                let d = sb.user_sends(bot.id, UserMessage::text(buyer(1000 + c, &format!("Buyer{c}")), format!("m{i}"))).await.unwrap();
                assert_eq!(d.statuses, vec![204]);
            }
        }
    });
    // One consumer runs while the chats write, as the local runtime runs it:
    // moto's FIFO receive is not atomic across concurrent consumers (real SQS
    // never hands one group to two at once), so two local pollers could
    // interleave a chat.
    let total = (chats * per_chat) as usize;
    let (_, consumed) = tokio::join!(futures_util::future::join_all(sends), s.consume_updates(total, std::time::Duration::from_secs(300)));
    assert_eq!(consumed, total);
    assert_eq!(s.drain_updates().await, 0, "nothing processed twice or left behind");

    let mut seen = 0;
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=20&cursor={c}"),
            None => "?limit=20".to_string(),
        };
        let page = conversations(&s, &owner, &q).await;
        seen += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, chats as usize, "every chat listed once across pages");
    for c in 0..chats {
        let msgs = messages(&s, &owner, &format!("{}:{}", bot.id, 1000 + c)).await;
        assert_eq!(msgs.len(), per_chat as usize);
        // Newest first; `seq` is the order Cartie processed them in.
        let mut by_processing: Vec<&Value> = msgs.iter().collect();
        by_processing.sort_by_key(|m| m["seq"].as_u64().unwrap());
        let texts: Vec<&str> = by_processing.iter().map(|m| m["text"].as_str().unwrap()).collect();
        let expected: Vec<String> = (0..per_chat).map(|i| format!("m{i}")).collect();
        assert_eq!(texts, expected, "chat {c} processed out of order");
    }
}

fn ogg_opus() -> Vec<u8> {
    let mut v = b"OggS\x00\x02".to_vec();
    v.extend([0u8; 22]);
    v.extend(b"OpusHead\x01\x01");
    v.extend([0u8; 40]);
    v
}

/// Sends a file as the web app does: upload it to the file store (straight
/// to the bucket), then reply with its id. An upload the store refuses
/// answers that refusal.
async fn send_upload(s: &Stack, token: &str, conv: &str, kind: &str, caption: Option<&str>, name: &str, bytes: &[u8]) -> cartie_e2e::Answer {
    let declared = match name.rsplit('.').next().unwrap_or_default() {
        "png" => "image/png",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "pdf" => "application/pdf",
        "webp" => "image/webp",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    };
    let done = s.upload(token, "inbox_attachment", name, declared, bytes).await;
    if done.status != StatusCode::OK {
        return done;
    }
    let body = json!({"kind": kind, "caption": caption, "upload_id": done.body["id"]});
    s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/messages"), Some(token), Some(body)).await
}

#[tokio::test]
async fn replies_of_every_media_kind_reach_telegram_with_the_right_method() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Media Motors", "owner@media.test").await;
    let bot = s.connect_bot(&owner, "MediaBot").await;
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(77, "Max"), "hello")).await.unwrap();
    s.drain_updates().await;
    let conv = format!("{}:77", bot.id);

    let a = s
        .call(Method::POST, &format!("/api/inbox/conversations/{conv}/messages"), Some(&owner), Some(json!({"kind": "text", "text": "Hi Max 👋 yes, it is!"})))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["sent_by"], "owner@media.test");
    let png = base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        .unwrap();
    let uploads: [(&str, &str, Vec<u8>, &str); 8] = [
        ("photo", "car.png", png.clone(), "sendPhoto"),
        ("video", "walkaround.mp4", b"\x00\x00\x00\x18ftypmp42video".to_vec(), "sendVideo"),
        ("audio", "engine.mp3", b"ID3\x03audio".to_vec(), "sendAudio"),
        ("voice", "note.ogg", ogg_opus(), "sendVoice"),
        ("document", "contract.pdf", b"%PDF-1.4 contract".to_vec(), "sendDocument"),
        ("animation", "wow.mp4", b"\x00\x00\x00\x18ftypmp42gif".to_vec(), "sendAnimation"),
        ("sticker", "sticker.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ".to_vec(), "sendSticker"),
        ("video_note", "circle.mp4", b"\x00\x00\x00\x18ftypmp42note".to_vec(), "sendVideoNote"),
    ];
    for (kind, name, bytes, _) in &uploads {
        let caption = (!matches!(*kind, "sticker" | "video_note")).then_some("The car you asked about");
        let a = send_upload(&s, &owner, &conv, kind, caption, name, bytes).await;
        assert_eq!(a.status, StatusCode::CREATED, "{kind}: {}", a.body);
        assert_eq!(a.body["kind"], *kind, "{}", a.body);
        assert!(a.body["file_id"].is_string(), "{kind}: {}", a.body);
    }
    let outbox = s.telegram.outbox(bot.id, Some(77));
    let methods: Vec<&str> = outbox.iter().map(|m| m.method.as_str()).collect();
    let mut expected = vec!["sendMessage"];
    expected.extend(uploads.iter().map(|u| u.3));
    assert_eq!(methods, expected);
    // The photo's bytes arrived intact, and the Inbox can show it again.
    let photo = &outbox[1].message["photo"];
    let file_id = photo.as_array().unwrap().last().unwrap()["file_id"].as_str().unwrap().to_string();
    let req = http::Request::get(format!("/api/inbox/files/{}/{file_id}", bot.id))
        .header("authorization", format!("Bearer {owner}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let a = s.send(req).await;
    assert_eq!(a.status, StatusCode::OK);
    // Re-sending by file_id (a sticker or GIF from the chat) works without an upload.
    let a = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/messages"), Some(&owner), Some(json!({"kind": "photo", "file_id": file_id}))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);

    // What Telegram would refuse is refused first, naming the field: a
    // browser recording (WebM) is not a voice message.
    let a = send_upload(&s, &owner, &conv, "voice", None, "note.webm", b"\x1aE\xdf\xa3webm").await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("upload_id")), "{}", a.body);
    // A request body over API Gateway's 10 MB is refused before any handler,
    // as JSON naming the body (files go to the file store, never in a request).
    let huge = http::Request::post(format!("/api/inbox/conversations/{conv}/messages"))
        .header("authorization", format!("Bearer {owner}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(vec![b' '; 10 * 1024 * 1024 + 1]))
        .unwrap();
    let a = s.send(huge).await;
    assert_eq!((a.status, a.code(), a.field()), (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"), Some("body")), "{}", a.body);
    let a = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/messages"), Some(&owner), Some(json!({"kind": "text", "text": ""}))).await;
    assert_eq!(a.field(), Some("text"));
    let a = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/messages"), Some(&owner), Some(json!({"kind": "photo"}))).await;
    assert_eq!(a.field(), Some("upload_id"));

    // History shows them all, the manager's replies as outgoing.
    let msgs = messages(&s, &owner, &conv).await;
    assert_eq!(msgs.len(), 1 + 1 + uploads.len() + 1);
    assert!(msgs.iter().filter(|m| m["direction"] == "out").count() == 10);
}

#[tokio::test]
async fn a_blocked_buyer_gets_a_clear_error() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Block Motors", "owner@block.test").await;
    let bot = s.connect_bot(&owner, "BlockBot").await;
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(88, "Eve"), "stop")).await.unwrap();
    s.drain_updates().await;
    s.telegram.block(bot.id, 88, true);
    let a = s
        .call(Method::POST, &format!("/api/inbox/conversations/{}:88/messages", bot.id), Some(&owner), Some(json!({"kind": "text", "text": "Still there?"})))
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), Some("blocked"));
    assert!(a.body["error"]["message"].as_str().unwrap().contains("blocked"));
    let conv = s.get(&format!("/api/inbox/conversations/{}:88", bot.id), &owner).await;
    assert_eq!(conv.body["blocked"], true, "the Inbox can say so before the next try");
    // Writing again means they unblocked the bot.
    s.telegram.block(bot.id, 88, false);
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(88, "Eve"), "sorry, back")).await.unwrap();
    s.drain_updates().await;
    let conv = s.get(&format!("/api/inbox/conversations/{}:88", bot.id), &owner).await;
    assert_eq!(conv.body["blocked"], false);

    // Over Telegram's rate: a clear 429 with the wait Telegram asked for.
    s.telegram.set_rate_limit(bot.id, 1);
    let path = format!("/api/inbox/conversations/{}:88/messages", bot.id);
    let send = || s.call(Method::POST, &path, Some(&owner), Some(json!({"kind": "text", "text": "again"})));
    let first = send().await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let second = send().await;
    assert_eq!((second.status, second.code()), (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")), "{}", second.body);
    assert!(second.headers["retry-after"].to_str().unwrap().parse::<i64>().unwrap() >= 1);

    // The dashboard counts the Inbox.
    let dash = s.get("/api/dashboard", &owner).await;
    let kpi = |k: &str| dash.body["kpis"].as_array().unwrap().iter().find(|x| x["key"] == k).unwrap()["value"].clone();
    assert_eq!((kpi("conversations"), kpi("unread_conversations"), kpi("bots")), (json!(1), json!(1), json!(1)));
}

#[tokio::test]
async fn telegram_fidelity_edits_albums_locations_contacts_buttons() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Fidelity Motors", "owner@fid.test").await;
    let bot = s.connect_bot(&owner, "FidelityBot").await;
    let ann = buyer(66, "Ann");
    let first = s.telegram.user_sends(bot.id, UserMessage::text(ann.clone(), "Hellp")).await.unwrap();
    let mut edit = UserMessage { from: ann.clone(), deliveries: 1, ..Default::default() };
    edit.edit = Some(tg_sandbox::UserEdit { message_id: first.message_id, text: "Hello".into() });
    s.telegram.user_sends(bot.id, edit).await.unwrap();
    for i in 0..2 {
        let mut m = UserMessage { from: ann.clone(), deliveries: 1, ..Default::default() };
        m.media = Some(UserMedia::new(MediaKind::Photo));
        m.media_group_id = Some("album-7".into());
        if i == 0 {
            m.caption = Some("my trade-in".into());
        }
        s.telegram.user_sends(bot.id, m).await.unwrap();
    }
    let mut loc = UserMessage { from: ann.clone(), deliveries: 1, ..Default::default() };
    loc.location = Some(tg_sandbox::UserLocation { latitude: 52.52, longitude: 13.405 });
    s.telegram.user_sends(bot.id, loc).await.unwrap();
    let mut contact = UserMessage { from: ann.clone(), deliveries: 1, ..Default::default() };
    contact.contact = Some(tg_sandbox::UserContact { phone_number: "+491701234567".into(), first_name: "Ann".into(), last_name: None, user_id: Some(66) });
    s.telegram.user_sends(bot.id, contact).await.unwrap();
    let mut reply = UserMessage::text(ann.clone(), "as I said");
    reply.reply_to_message_id = Some(first.message_id);
    s.telegram.user_sends(bot.id, reply).await.unwrap();
    s.drain_updates().await;

    let conv = format!("{}:66", bot.id);
    let msgs = messages(&s, &owner, &conv).await;
    let by_id = |id: i64| msgs.iter().find(|m| m["message_id"] == id).cloned().unwrap();
    let edited = by_id(first.message_id);
    assert_eq!(edited["text"], "Hello");
    assert!(edited["edited_at_ms"].is_i64(), "{edited}");
    let album: Vec<&Value> = msgs.iter().filter(|m| m["media_group_id"] == "album-7").collect();
    assert_eq!(album.len(), 2);
    assert!(album.iter().any(|m| m["caption"] == "my trade-in"));
    assert!(msgs.iter().any(|m| m["kind"] == "location" && m["latitude"] == 52.52));
    assert!(msgs.iter().any(|m| m["kind"] == "contact" && m["contact_phone"] == "+491701234567"));
    assert!(msgs.iter().any(|m| m["text"] == "as I said" && m["reply_to"] == first.message_id));
    let contact = s.app.store.contact(&ws, bot.id, 66).await.unwrap().unwrap();
    assert_eq!(contact.phone.as_deref(), Some("+491701234567"), "a shared phone is kept on the contact");

    // A button press on a bot message is recorded and answered.
    let sent =
        s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/messages"), Some(&owner), Some(json!({"kind": "text", "text": "Pick a time"}))).await;
    let mut press = UserMessage { from: ann.clone(), deliveries: 1, ..Default::default() };
    press.callback = Some(tg_sandbox::UserCallback { message_id: sent.body["message_id"].as_i64().unwrap(), data: "slot:10am".into() });
    s.telegram.user_sends(bot.id, press).await.unwrap();
    s.drain_updates().await;
    let msgs = messages(&s, &owner, &conv).await;
    assert!(msgs.iter().any(|m| m["kind"] == "callback" && m["callback_data"] == "slot:10am"));
}

#[tokio::test]
async fn auto_reply_deep_links_assignment_and_requests() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Reply Motors", "owner@reply.test").await;
    let manager = s.member(&owner, "sam@reply.test", "manager").await;
    let bot = s.connect_bot(&owner, "ReplyBot").await;
    let a = s
        .call(
            Method::PATCH,
            &format!("/api/bots/{}", bot.id),
            Some(&owner),
            Some(json!({"auto_reply": "Welcome to Reply Motors! A manager will answer shortly."})),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let mut start = UserMessage { from: buyer(42, "Leo"), deliveries: 1, ..Default::default() };
    start.start_payload = Some("fb-ad-77".into());
    s.telegram.user_sends(bot.id, start).await.unwrap();
    s.drain_updates().await;
    let outbox = s.telegram.outbox(bot.id, Some(42));
    assert_eq!(outbox.len(), 1, "greeted once");
    assert_eq!(outbox[0].message["text"], "Welcome to Reply Motors! A manager will answer shortly.");
    let contact = s.app.store.contact(&ws, bot.id, 42).await.unwrap().unwrap();
    assert_eq!(contact.source.as_deref(), Some("fb-ad-77"));
    let conv = format!("{}:42", bot.id);
    assert_eq!(messages(&s, &owner, &conv).await.len(), 2);

    // Assign to a member; a stranger's e-mail is refused.
    let a = s.call(Method::PATCH, &format!("/api/inbox/conversations/{conv}"), Some(&manager), Some(json!({"assignee": "sam@reply.test"}))).await;
    assert_eq!((a.status, a.body["assignee"].as_str()), (StatusCode::OK, Some("sam@reply.test")), "{}", a.body);
    let a = s.call(Method::PATCH, &format!("/api/inbox/conversations/{conv}"), Some(&manager), Some(json!({"assignee": "x@elsewhere.test"}))).await;
    assert_eq!(a.field(), Some("assignee"));

    // A request from the chat.
    let a = s
        .call(
            Method::POST,
            &format!("/api/inbox/conversations/{conv}/requests"),
            Some(&manager),
            Some(json!({"make": "BMW", "model": "X5", "year_from": 2020, "year_to": 2018, "budget": 45000})),
        )
        .await;
    assert_eq!(a.field(), Some("year_to"));
    let a = s
        .call(
            Method::POST,
            &format!("/api/inbox/conversations/{conv}/requests"),
            Some(&manager),
            Some(json!({"make": "BMW", "model": "X5", "year_from": 2018, "year_to": 2021, "budget": 45000, "priority": "high"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let list = s.get("/api/requests", &manager).await;
    assert_eq!(list.body["requests"][0]["conversation"], conv);
    assert_eq!(list.body["requests"][0]["priority"], "high");
}

#[tokio::test]
async fn another_workspace_cannot_see_or_write_to_a_conversation() {
    let s = Stack::new().await;
    let (_a, owner_a) = s.workspace("Alpha Inbox", "owner@ai.test").await;
    let (_b, owner_b) = s.workspace("Beta Inbox", "owner@bi.test").await;
    let bot = s.connect_bot(&owner_a, "AlphaBot").await;
    for i in 0..3 {
        s.telegram.user_sends(bot.id, UserMessage::text(buyer(10 + i, "Kim"), "private")).await.unwrap();
    }
    s.drain_updates().await;
    let conv = format!("{}:10", bot.id);
    assert_eq!(conversations(&s, &owner_b, "").await["items"].as_array().unwrap().len(), 0);
    assert_eq!(s.get(&format!("/api/inbox/conversations/{conv}/messages"), &owner_b).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get(&format!("/api/inbox/conversations/{conv}"), &owner_b).await.status, StatusCode::NOT_FOUND);
    let a = s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/messages"), Some(&owner_b), Some(json!({"kind": "text", "text": "hi"}))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::POST, &format!("/api/inbox/conversations/{conv}/read"), Some(&owner_b), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.call(Method::DELETE, &format!("/api/bots/{}", bot.id), Some(&owner_b), None).await.status, StatusCode::NOT_FOUND);
    // A cursor from A's listing does not open B's... nor does B's token follow A's cursor.
    let page = conversations(&s, &owner_a, "?limit=1").await;
    let cursor = page["next_cursor"].as_str().unwrap();
    let a = s.get(&format!("/api/inbox/conversations?limit=1&cursor={cursor}"), &owner_b).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("cursor")), "{}", a.body);
    // Polling with the page's ETag answers 304 until something changes.
    let req = || http::Request::get("/api/inbox/conversations").header("authorization", format!("Bearer {owner_a}"));
    let first = s.send(req().body(axum::body::Body::empty()).unwrap()).await;
    let etag = first.headers["etag"].to_str().unwrap().to_string();
    let again = s.send(req().header("if-none-match", &etag).body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(10, "Kim"), "news")).await.unwrap();
    s.drain_updates().await;
    let changed = s.send(req().header("if-none-match", &etag).body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(changed.status, StatusCode::OK);
}
