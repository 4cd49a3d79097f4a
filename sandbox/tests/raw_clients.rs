//! The Bot API as other clients speak it: JSON bodies, urlencoded forms,
//! query strings and hand-made multipart requests.

use std::time::Duration;

use serde_json::{json, Value};
use tg_sandbox::{sample_png, BotInfo, Sandbox, UserMessage, UserRef};

async fn start() -> (Sandbox, String, BotInfo, reqwest::Client) {
    let sb = Sandbox::new();
    let addr = sb.clone().serve(([127, 0, 0, 1], 0).into()).await.expect("bind");
    let info = sb.create_bot("raw_bot", "Raw");
    let user = UserRef { id: 900, first_name: "Raw".into(), ..UserRef::default() };
    sb.user_sends(info.id, UserMessage::text(user, "hello")).await.expect("open chat");
    (sb, format!("http://{addr}/bot{}", info.token), info, reqwest::Client::new())
}

async fn answer(r: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = r.send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json answer"))
}

#[tokio::test]
async fn json_form_and_query_parameters() {
    let (sb, api, info, http) = start().await;

    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({
        "chat_id": 900,
        "text": "JSON body",
        "reply_markup": {"inline_keyboard": [[{"text": "Open", "url": "https://cartie.example/car/1"}]]},
    })))
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"]["text"], "JSON body");
    assert_eq!(v["result"]["reply_markup"]["inline_keyboard"][0][0]["url"], "https://cartie.example/car/1");

    let (s, v) = answer(http.post(format!("{api}/sendMessage")).form(&[
        ("chat_id", "900"),
        ("text", "form body"),
        ("reply_markup", r#"{"keyboard":[[{"text":"Share phone","request_contact":true}]],"one_time_keyboard":true}"#),
    ]))
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"]["text"], "form body");
    assert!(v["result"].get("reply_markup").is_none(), "reply keyboards are not part of the Message");
    let t = sb.transcript(info.id, 900).expect("transcript");
    assert!(t.messages.last().and_then(|e| e.reply_keyboard.as_ref()).is_some(), "kept for the chat page");

    let (s, v) = answer(http.get(format!("{api}/sendMessage?chat_id=900&text=query%20string"))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"]["text"], "query string");

    // Missing and invalid parameters.
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": 900}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: message text is empty")));
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"text": "x"}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: chat_id is empty")));
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": "@somebody", "text": "x"}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: chat not found")));
    let long = "x".repeat(4097);
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": 900, "text": long}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: message is too long")));
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({
        "chat_id": 900, "text": "x",
        "reply_markup": {"inline_keyboard": [[{"text": "Too long", "callback_data": "d".repeat(65)}]]},
    })))
    .await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: BUTTON_DATA_INVALID")));
    let (s, _) = answer(http.post(format!("{api}/sendMessage")).header("content-type", "application/json").body("{nope")).await;
    assert_eq!(s, 400);

    // 429 carries parameters.retry_after.
    sb.set_rate_limit(info.id, 1);
    tokio::time::sleep(Duration::from_millis(1050)).await;
    let (s, _) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": 900, "text": "1"}))).await;
    assert_eq!(s, 200);
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": 900, "text": "2"}))).await;
    assert_eq!(s, 429);
    assert_eq!(v["error_code"], 429);
    assert_eq!(v["parameters"]["retry_after"], 1);
}

#[tokio::test]
async fn multipart_direct_parts_attach_and_file_ids() {
    let (sb, api, info, http) = start().await;
    let png = sample_png(400, 300);

    // The file as the part named after the parameter (no attach://).
    let form = reqwest::multipart::Form::new()
        .text("chat_id", "900")
        .text("caption", "direct part")
        .part("photo", reqwest::multipart::Part::bytes(png.clone()).file_name("car.png").mime_str("image/png").expect("mime"));
    let (s, v) = answer(http.post(format!("{api}/sendPhoto")).multipart(form)).await;
    assert_eq!(s, 200, "{v}");
    let sizes = v["result"]["photo"].as_array().expect("sizes").clone();
    assert_eq!(sizes.last().map(|p| (p["width"].clone(), p["height"].clone())), Some((json!(400), json!(300))));
    let photo_id = sizes.last().and_then(|p| p["file_id"].as_str()).expect("id").to_owned();

    // A media group mixing a reused file_id and an attach:// upload.
    let media = json!([
        {"type": "photo", "media": photo_id, "caption": "again"},
        {"type": "photo", "media": "attach://second"},
    ]);
    let form = reqwest::multipart::Form::new()
        .text("chat_id", "900")
        .text("media", media.to_string())
        .part("second", reqwest::multipart::Part::bytes(sample_png(200, 100)).file_name("b.png"));
    let (s, v) = answer(http.post(format!("{api}/sendMediaGroup")).multipart(form)).await;
    assert_eq!(s, 200, "{v}");
    let msgs = v["result"].as_array().expect("messages");
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0]["media_group_id"], msgs[1]["media_group_id"]);
    assert_eq!(msgs[0]["photo"].as_array().and_then(|a| a.last()).map(|p| p["file_id"].clone()), Some(json!(photo_id)));

    // Mixing documents with photos is refused, as in Telegram.
    let media = json!([{"type": "photo", "media": photo_id}, {"type": "document", "media": "attach://d"}]);
    let form = reqwest::multipart::Form::new()
        .text("chat_id", "900")
        .text("media", media.to_string())
        .part("d", reqwest::multipart::Part::bytes(b"%PDF".to_vec()).file_name("d.pdf"));
    let (s, _) = answer(http.post(format!("{api}/sendMediaGroup")).multipart(form)).await;
    assert_eq!(s, 400);

    // A missing attach:// part, a missing file, a URL in a JSON body.
    let media = json!([{"type": "photo", "media": "attach://ghost"}, {"type": "photo", "media": photo_id}]);
    let (s, _) = answer(http.post(format!("{api}/sendMediaGroup")).json(&json!({"chat_id": 900, "media": media}))).await;
    assert_eq!(s, 400);
    let (s, v) = answer(http.post(format!("{api}/sendDocument")).json(&json!({"chat_id": 900}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: there is no document in the request")));
    let (s, v) = answer(http.post(format!("{api}/sendVideo")).json(&json!({"chat_id": 900, "video": "http://x.example/v.mp4"}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: the sandbox refuses URL uploads; upload the file")));

    // A caption over 1024 characters.
    let form = reqwest::multipart::Form::new()
        .text("chat_id", "900")
        .text("caption", "c".repeat(1025))
        .part("document", reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("a.txt"));
    let (s, v) = answer(http.post(format!("{api}/sendDocument")).multipart(form)).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: message caption is too long")));

    // A 50 MB + 1 document is too large; 413 like Telegram.
    let form = reqwest::multipart::Form::new()
        .text("chat_id", "900")
        .part("document", reqwest::multipart::Part::bytes(vec![7u8; 50 * 1024 * 1024 + 1]).file_name("big.bin"));
    let (s, v) = answer(http.post(format!("{api}/sendDocument")).multipart(form)).await;
    assert_eq!((s, v["description"].as_str()), (413, Some("Request Entity Too Large")));

    // The file route: 404 for an unknown path, 401 for a wrong token.
    let base = api.replace("/bot", "/file/bot");
    assert_eq!(http.get(format!("{base}/photos/nope.jpg")).send().await.expect("get").status(), 404);
    let wrong = base.replace(&info.token, "1:AAnope");
    assert_eq!(http.get(format!("{wrong}/photos/file_1.jpg")).send().await.expect("get").status(), 401);
    let (s, v) = answer(http.get(format!("{api}/getFile?file_id={photo_id}"))).await;
    assert_eq!(s, 200);
    let path = v["result"]["file_path"].as_str().expect("path");
    assert!(path.starts_with("photos/") && path.ends_with(".jpg"));
    let bytes = http.get(format!("{base}/{path}")).send().await.expect("get").bytes().await.expect("bytes");
    assert_eq!(bytes.as_ref(), png.as_slice());
    let _ = sb;
}

#[tokio::test]
async fn updates_queued_before_a_webhook_are_delivered_when_it_is_set() {
    let (sb, api, info, http) = start().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Value>();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(v);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let (s, v) = answer(http.post(format!("{api}/setWebhook")).json(&json!({"url": format!("http://{addr}/hook"), "max_connections": 0}))).await;
    assert_eq!(s, 400, "{v}");
    let (s, _) = answer(http.post(format!("{api}/setWebhook")).json(&json!({"url": format!("http://{addr}/hook")}))).await;
    assert_eq!(s, 200);
    let first = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("delivered").expect("value");
    assert_eq!(first["message"]["text"], "hello");
    let (_, v) = answer(http.get(format!("{api}/getWebhookInfo"))).await;
    assert_eq!(v["result"]["pending_update_count"], 0);
    assert_eq!(v["result"]["max_connections"], 40);
    let _ = (sb, info);
}

#[tokio::test]
async fn bulk_chats_paid_broadcasts_and_delivery_counts() {
    let (sb, api, info, http) = start().await;
    let base = api.split("/bot").next().unwrap_or_default().to_owned();
    let ctl = format!("{base}/sandbox/api/bots/{}", info.id);

    // 20,000 buyers who talked before, in one call; 900 exists already.
    let mut users: Vec<Value> = (1..20_000).map(|id| json!({"id": 10_000 + id, "first_name": format!("B{id}"), "last_name": null})).collect();
    users.push(json!({"id": 900, "first_name": "Renamed", "last_name": null, "username": "raw", "language_code": "uk"}));
    let started = std::time::Instant::now();
    let (s, v) = answer(http.post(format!("{ctl}/chats")).json(&json!({ "users": users }))).await;
    assert_eq!((s, &v), (200, &json!({"created": 19_999})));
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(sb.transcript(info.id, 900).expect("kept").user.first_name, "Raw");
    assert!(sb.transcript(info.id, 10_001).expect("created").messages.is_empty());
    let (s, _) = answer(http.post(format!("{ctl}/chats")).json(&json!({"users": [{"id": -5, "first_name": "X"}]}))).await;
    assert_eq!(s, 400);
    let (s, _) = answer(http.post(format!("{base}/sandbox/api/bots/1/chats")).json(&json!({"users": []}))).await;
    assert_eq!(s, 404);

    // Paid broadcasts: refused until the bot is eligible.
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).form(&[("chat_id", "10001"), ("text", "x"), ("allow_paid_broadcast", "true")])).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: paid broadcasts are not enabled for this bot")));
    let (s, v) = answer(http.put(format!("{ctl}/limits")).json(&json!({"paid_eligible": true}))).await;
    assert_eq!(s, 200);
    assert_eq!(v, json!({"per_second": 30, "chat_burst": 20, "chat_per_second": 1.0, "paid_eligible": true, "paid_per_second": 1000}));
    let (s, v) = answer(http.put(format!("{ctl}/limits")).json(&json!({"paid_per_second": 40}))).await;
    assert_eq!((s, &v["paid_eligible"], &v["paid_per_second"]), (200, &json!(true), &json!(40)));
    for chat in 10_001..10_041 {
        let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": chat, "text": "new car", "allow_paid_broadcast": true}))).await;
        assert_eq!(s, 200, "{v}");
    }
    let (s, _) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": 10_041, "text": "x", "allow_paid_broadcast": true}))).await;
    assert_eq!(s, 429, "the 41st paid send within a second");
    let (s, _) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": 10_041, "text": "x"}))).await;
    assert_eq!(s, 429, "free sends see the paid ones");

    let (s, v) = answer(http.get(format!("{ctl}/deliveries"))).await;
    assert_eq!(s, 200);
    assert_eq!((v["bot_id"].as_i64(), v["total"].as_u64(), v["paid"].as_u64(), v["rejected_429"].as_u64()), (Some(info.id), Some(40), Some(40), Some(2)));
    let chats = v["chats"].as_object().expect("chats");
    assert_eq!((chats.len(), &chats["10001"]), (40, &json!(1)));
    let per_second = v["per_second"].as_array().expect("per_second");
    assert_eq!(per_second.iter().map(|p| p[1].as_u64().unwrap_or(0)).sum::<u64>(), 40);
    assert!(per_second.iter().all(|p| p.as_array().map(Vec::len) == Some(2) && p[0].as_i64().unwrap_or(0) > 1_700_000_000));
    assert!(v["first_ms"].as_u64().unwrap_or(0) <= v["last_ms"].as_u64().unwrap_or(0));

    let (s, v) = answer(http.post(format!("{ctl}/deliveries/reset"))).await;
    assert_eq!(s, 200);
    let zero = json!({"bot_id": info.id, "total": 0, "chats": {}, "first_ms": null, "last_ms": null, "per_second": [], "rejected_429": 0, "paid": 0});
    assert_eq!(v, zero);
    let (_, v) = answer(http.get(format!("{ctl}/deliveries"))).await;
    assert_eq!(v, zero);
    let (s, _) = answer(http.get(format!("{base}/sandbox/api/bots/1/deliveries"))).await;
    assert_eq!(s, 404);
}
