//! The sandbox against the real client: teloxide-core 0.13 pointed at
//! `Sandbox::serve` with `set_api_url`, as production code does.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use axum::{body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post, Router};
use teloxide_core::{
    net::Download,
    payloads::setters::*,
    requests::Requester,
    types::{
        BotCommand, ChatId, FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputMedia, InputMediaPhoto, MenuButton, Message, MessageId,
        ReplyParameters, Update, UpdateKind, UserId,
    },
    ApiError, Bot, RequestError,
};
use tg_sandbox::{sample_png, BotInfo, MediaKind, Sandbox, UserCallback, UserContact, UserEdit, UserLocation, UserMedia, UserMessage, UserRef};

async fn start() -> (Sandbox, reqwest::Url) {
    let sb = Sandbox::new();
    let addr = sb.clone().serve(([127, 0, 0, 1], 0).into()).await.expect("bind");
    let url = reqwest::Url::parse(&format!("http://{addr}/")).expect("url");
    (sb, url)
}

fn client(url: &reqwest::Url, info: &BotInfo) -> Bot {
    Bot::new(info.token.clone()).set_api_url(url.clone())
}

fn buyer(id: i64) -> UserRef {
    UserRef { id, first_name: "Anna".into(), last_name: Some("Schmidt".into()), username: Some(format!("anna{id}")), language_code: Some("de".into()) }
}

/// A user starts the chat (no webhook yet: the update waits for getUpdates).
async fn open_chat(sb: &Sandbox, bot: &BotInfo, user: i64) {
    let d = sb.user_sends(bot.id, UserMessage::text(buyer(user), "hi")).await.expect("user sends");
    assert!(d.statuses.is_empty());
}

type Received = Arc<Mutex<Vec<(Option<String>, Bytes)>>>;

/// A webhook receiver that records what reaches it.
#[derive(Clone)]
struct Hook {
    got: Received,
    inflight: Arc<AtomicUsize>,
    max_inflight: Arc<AtomicUsize>,
    delay: Duration,
    status: StatusCode,
}

impl Hook {
    fn new(delay_ms: u64, status: StatusCode) -> Hook {
        Hook { got: Arc::default(), inflight: Arc::default(), max_inflight: Arc::default(), delay: Duration::from_millis(delay_ms), status }
    }
    async fn serve(&self) -> reqwest::Url {
        async fn handle(State(h): State<Hook>, headers: HeaderMap, body: Bytes) -> StatusCode {
            let now = h.inflight.fetch_add(1, Ordering::SeqCst) + 1;
            h.max_inflight.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(h.delay).await;
            let secret = headers.get("x-telegram-bot-api-secret-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
            h.got.lock().expect("lock").push((secret, body));
            h.inflight.fetch_sub(1, Ordering::SeqCst);
            h.status
        }
        let app = Router::new().route("/hook", post(handle)).with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind hook");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        reqwest::Url::parse(&format!("http://{addr}/hook")).expect("hook url")
    }
    fn take(&self) -> Vec<(Option<String>, Update)> {
        let got = std::mem::take(&mut *self.got.lock().expect("lock"));
        got.into_iter().map(|(s, b)| (s, serde_json::from_slice::<Update>(&b).expect("webhook body is an Update"))).collect()
    }
    fn one(&self) -> (Option<String>, Update) {
        let mut all = self.take();
        assert_eq!(all.len(), 1, "exactly one POST");
        all.remove(0)
    }
}

fn message_of(u: &Update) -> &Message {
    match &u.kind {
        UpdateKind::Message(m) => m,
        other => panic!("expected a message update, got {other:?}"),
    }
}

async fn download(bot: &Bot, file_id: &str) -> Vec<u8> {
    let f = bot.get_file(FileId(file_id.to_owned())).await.expect("getFile");
    let mut buf = Vec::new();
    bot.download_file(&f.path, &mut buf).await.expect("download");
    assert_eq!(u64::from(f.size), buf.len() as u64, "File.file_size is the downloaded size");
    buf
}

#[tokio::test]
async fn get_me_and_bad_tokens() {
    let (sb, url) = start().await;
    let info = sb.create_bot("autohaus_test_bot", "Autohaus Test");
    let bot = client(&url, &info);
    let me = bot.get_me().await.expect("getMe");
    assert_eq!(me.id, UserId(info.id as u64));
    assert!(me.is_bot);
    assert_eq!(me.username(), "autohaus_test_bot");
    assert_eq!(me.first_name, "Autohaus Test");

    // Right shape, wrong secret; and a malformed token.
    let wrong = format!("{}:AAwrongwrongwrongwrongwrongwrongwrong", info.id);
    for token in [wrong.as_str(), "nonsense"] {
        let err = Bot::new(token).set_api_url(url.clone()).get_me().await.expect_err("bad token");
        assert!(matches!(err, RequestError::Api(ApiError::InvalidToken)), "{err:?}");
    }

    // Unknown method: 404 Not Found, Telegram-shaped.
    let r = reqwest::Client::new().post(format!("{url}bot{}/sendTelepathy", info.token)).send().await.expect("post");
    assert_eq!(r.status(), 404);
    let v: serde_json::Value = r.json().await.expect("json");
    assert_eq!(v["ok"], false);
    assert_eq!(v["error_code"], 404);
    assert_eq!(v["description"], "Not Found");

    // Method names are case-insensitive, and GET with a query string works.
    let r = reqwest::Client::new().get(format!("{url}bot{}/getme?unused=1", info.token)).send().await.expect("get");
    let v: serde_json::Value = r.json().await.expect("json");
    assert_eq!(v["result"]["username"], "autohaus_test_bot");
}

#[tokio::test]
async fn webhook_receives_every_kind_of_update() {
    let (sb, url) = start().await;
    let info = sb.create_bot("dealer_bot", "Dealer");
    let bot = client(&url, &info);
    let hook = Hook::new(0, StatusCode::OK);
    let hook_url = hook.serve().await;
    bot.set_webhook(hook_url.clone()).secret_token("s3cr3t_Token-1").await.expect("setWebhook");
    let wh = sb.webhook(info.id).expect("webhook set");
    assert_eq!(wh.url, hook_url.as_str());
    assert_eq!(wh.secret_token.as_deref(), Some("s3cr3t_Token-1"));
    let winfo = bot.get_webhook_info().await.expect("getWebhookInfo");
    assert_eq!(winfo.url.as_ref().map(|u| u.as_str()), Some(hook_url.as_str()));

    let user = 424_242;
    // Text.
    let d = sb.user_sends(info.id, UserMessage::text(buyer(user), "Is the Golf still available?")).await.expect("send");
    assert_eq!(d.statuses, vec![200]);
    let (secret, u) = hook.one();
    assert_eq!(secret.as_deref(), Some("s3cr3t_Token-1"));
    assert_eq!(u.id.0 as i64, d.update_id);
    let m = message_of(&u);
    assert_eq!(m.text(), Some("Is the Golf still available?"));
    assert_eq!(m.chat.id, ChatId(user));
    assert!(m.chat.is_private());
    assert_eq!(m.id, MessageId(d.message_id as i32));
    let from = m.from.as_ref().expect("from");
    assert_eq!(from.id, UserId(user as u64));
    assert!(!from.is_bot);
    assert_eq!(from.username.as_deref(), Some("anna424242"));

    // Deep link.
    let start_msg = UserMessage { from: buyer(user), start_payload: Some("car_123".into()), deliveries: 1, ..Default::default() };
    let d2 = sb.user_sends(info.id, start_msg).await.expect("start");
    assert!(d2.update_id > d.update_id, "update ids increase");
    assert_eq!(d2.message_id, d.message_id + 1, "message ids increase per chat");
    let (_, u) = hook.one();
    assert_eq!(message_of(&u).text(), Some("/start car_123"));

    // Every media kind.
    for kind in MediaKind::ALL {
        let msg = UserMessage {
            from: buyer(user),
            media: Some(UserMedia::new(kind)),
            caption: (kind != MediaKind::Sticker && kind != MediaKind::VideoNote).then(|| format!("a {kind:?}")),
            deliveries: 1,
            ..Default::default()
        };
        let d = sb.user_sends(info.id, msg).await.expect("media");
        assert_eq!(d.statuses, vec![200]);
        let (_, u) = hook.one();
        let m = message_of(&u);
        let file_id = match kind {
            MediaKind::Photo => {
                let p = m.photo().expect("photo");
                assert!(p.len() >= 2, "several sizes");
                assert_eq!((p[p.len() - 1].width, p[p.len() - 1].height), (320, 240));
                p[p.len() - 1].file.id.0.clone()
            }
            MediaKind::Video => m.video().expect("video").file.id.0.clone(),
            MediaKind::Audio => m.audio().expect("audio").file.id.0.clone(),
            MediaKind::Voice => {
                let v = m.voice().expect("voice");
                assert_eq!(v.mime_type.as_ref().map(|m| m.to_string()).as_deref(), Some("audio/ogg"));
                v.file.id.0.clone()
            }
            MediaKind::Document => {
                let doc = m.document().expect("document");
                assert_eq!(doc.file_name.as_deref(), Some("sample.txt"));
                doc.file.id.0.clone()
            }
            MediaKind::Animation => m.animation().expect("animation").file.id.0.clone(),
            MediaKind::Sticker => {
                let s = m.sticker().expect("sticker");
                assert!(s.is_regular());
                s.file.id.0.clone()
            }
            MediaKind::VideoNote => m.video_note().expect("video note").file.id.0.clone(),
        };
        if kind.ne(&MediaKind::Sticker) && kind.ne(&MediaKind::VideoNote) {
            assert_eq!(m.caption(), Some(format!("a {kind:?}").as_str()));
        }
        // The bot can fetch what the buyer sent.
        let bytes = download(&bot, &file_id).await;
        if kind == MediaKind::Photo {
            assert_eq!(bytes, sample_png(320, 240));
        }
        assert!(!bytes.is_empty());
    }

    // A photo with the buyer's own bytes.
    let png = sample_png(1024, 768);
    let own = UserMessage {
        from: buyer(user),
        media: Some(UserMedia { kind: MediaKind::Photo, file_name: None, mime_type: None, bytes_b64: Some(base64_encode(&png)) }),
        deliveries: 1,
        ..Default::default()
    };
    sb.user_sends(info.id, own).await.expect("own photo");
    let (_, u) = hook.one();
    let sizes = message_of(&u).photo().expect("photo").to_vec();
    let widths: Vec<u32> = sizes.iter().map(|s| s.width).collect();
    assert_eq!(widths, vec![90, 320, 800, 1024]);
    assert_eq!(download(&bot, &sizes[3].file.id.0).await, png);

    // Location and contact.
    let loc = UserMessage { from: buyer(user), location: Some(UserLocation { latitude: 52.52, longitude: 13.405 }), deliveries: 1, ..Default::default() };
    sb.user_sends(info.id, loc).await.expect("location");
    let (_, u) = hook.one();
    let l = message_of(&u).location().expect("location");
    assert!((l.latitude - 52.52).abs() < 1e-9 && (l.longitude - 13.405).abs() < 1e-9);

    let contact = UserMessage {
        from: buyer(user),
        contact: Some(UserContact { phone_number: "+49 151 1234567".into(), first_name: "Anna".into(), last_name: None, user_id: None }),
        deliveries: 1,
        ..Default::default()
    };
    sb.user_sends(info.id, contact).await.expect("contact");
    let (_, u) = hook.one();
    let c = message_of(&u).contact().expect("contact");
    assert_eq!(c.phone_number, "+49 151 1234567");
    assert_eq!(c.user_id, Some(UserId(user as u64)));

    // Media group: two photos sharing media_group_id.
    for _ in 0..2 {
        let part = UserMessage {
            from: buyer(user),
            media: Some(UserMedia::new(MediaKind::Photo)),
            media_group_id: Some("13912345678901234".into()),
            deliveries: 1,
            ..Default::default()
        };
        sb.user_sends(info.id, part).await.expect("album part");
    }
    let album = hook.take();
    assert_eq!(album.len(), 2);
    for (_, u) in &album {
        let m = message_of(u);
        assert!(m.photo().is_some());
        assert_eq!(m.media_group_id().map(|g| g.0.as_str()), Some("13912345678901234"));
    }

    // A reply to the buyer's first message.
    let reply = UserMessage { reply_to_message_id: Some(d.message_id), ..UserMessage::text(buyer(user), "see above") };
    sb.user_sends(info.id, reply).await.expect("reply");
    let (_, u) = hook.one();
    let r = message_of(&u).reply_to_message().expect("reply_to_message");
    assert_eq!(r.id, MessageId(d.message_id as i32));

    // The buyer edits their first message.
    let edit = UserMessage {
        from: buyer(user),
        edit: Some(UserEdit { message_id: d.message_id, text: "Is the blue Golf still available?".into() }),
        deliveries: 1,
        ..Default::default()
    };
    let de = sb.user_sends(info.id, edit).await.expect("edit");
    assert_eq!(de.message_id, d.message_id);
    let (_, u) = hook.one();
    match &u.kind {
        UpdateKind::EditedMessage(m) => {
            assert_eq!(m.id, MessageId(d.message_id as i32));
            assert_eq!(m.text(), Some("Is the blue Golf still available?"));
            assert!(m.edit_date().is_some());
        }
        other => panic!("expected edited_message, got {other:?}"),
    }

    // The bot answers with buttons; the buyer presses one.
    let keyboard =
        InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Book a test drive", "drive:golf"), InlineKeyboardButton::callback("Call me", "call")]]);
    let sent = bot.send_message(ChatId(user), "Yes! What would you like?").reply_markup(keyboard.clone()).await.expect("sendMessage");
    assert_eq!(sent.reply_markup(), Some(&keyboard));
    let press = UserMessage {
        from: buyer(user),
        callback: Some(UserCallback { message_id: sent.id.0 as i64, data: "drive:golf".into() }),
        deliveries: 1,
        ..Default::default()
    };
    let dp = sb.user_sends(info.id, press).await.expect("press");
    assert_eq!(dp.statuses, vec![200]);
    let (_, u) = hook.one();
    let q = match u.kind {
        UpdateKind::CallbackQuery(q) => q,
        other => panic!("expected callback_query, got {other:?}"),
    };
    assert_eq!(q.data.as_deref(), Some("drive:golf"));
    assert_eq!(q.from.id, UserId(user as u64));
    let pressed = q.regular_message().expect("the bot's message");
    assert_eq!(pressed.id, sent.id);
    assert_eq!(pressed.text(), Some("Yes! What would you like?"));
    bot.answer_callback_query(q.id.clone()).text("Booked!").await.expect("answer");
    let again = bot.answer_callback_query(q.id.clone()).await.expect_err("answered twice");
    assert!(matches!(again, RequestError::Api(ApiError::InvalidQueryId)), "{again:?}");
    let t = sb.transcript(info.id, user).expect("transcript");
    assert!(t.notices.iter().any(|n| n.kind == "callback_answer" && n.text == "Booked!"));

    // allowed_updates filters what is delivered.
    bot.set_webhook(hook_url.clone())
        .secret_token("s3cr3t_Token-1")
        .allowed_updates([teloxide_core::types::AllowedUpdate::CallbackQuery])
        .await
        .expect("setWebhook");
    let d = sb.user_sends(info.id, UserMessage::text(buyer(user), "filtered")).await.expect("send");
    assert!(d.statuses.is_empty());
    assert!(hook.take().is_empty());
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[tokio::test]
async fn retried_deliveries_concurrent_and_sequential() {
    let (sb, url) = start().await;
    let info = sb.create_bot("retry_bot", "Retry");
    let bot = client(&url, &info);
    let hook = Hook::new(300, StatusCode::OK);
    bot.set_webhook(hook.serve().await).await.expect("setWebhook");

    let msg = UserMessage { deliveries: 5, concurrent: true, ..UserMessage::text(buyer(7), "twice is nice") };
    let d = sb.user_sends(info.id, msg).await.expect("send");
    assert_eq!(d.statuses, vec![200; 5]);
    let got = hook.take();
    assert_eq!(got.len(), 5);
    assert!(got.iter().all(|(s, u)| s.is_none() && u.id.0 as i64 == d.update_id), "same update_id, no secret");
    assert!(hook.max_inflight.load(Ordering::SeqCst) >= 2, "copies overlapped");

    hook.max_inflight.store(0, Ordering::SeqCst);
    let msg = UserMessage { deliveries: 3, ..UserMessage::text(buyer(7), "one by one") };
    let d = sb.user_sends(info.id, msg).await.expect("send");
    assert_eq!(d.statuses, vec![200; 3]);
    assert_eq!(hook.take().len(), 3);
    assert_eq!(hook.max_inflight.load(Ordering::SeqCst), 1, "sequential copies never overlap");

    // Separate updates of one chat arrive one at a time, in order; other
    // chats' updates arrive alongside.
    hook.max_inflight.store(0, Ordering::SeqCst);
    let (a, b) = tokio::join!(sb.user_sends(info.id, UserMessage::text(buyer(7), "first")), sb.user_sends(info.id, UserMessage::text(buyer(7), "second")),);
    let (a, b) = (a.expect("a"), b.expect("b"));
    let got = hook.take();
    let ids: Vec<i64> = got.iter().map(|(_, u)| u.id.0 as i64).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "delivered in update_id order");
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&a.update_id) && ids.contains(&b.update_id));
    assert_eq!(hook.max_inflight.load(Ordering::SeqCst), 1, "one chat: never overlapping");
    hook.max_inflight.store(0, Ordering::SeqCst);
    let (a, b) = tokio::join!(sb.user_sends(info.id, UserMessage::text(buyer(7), "from 7")), sb.user_sends(info.id, UserMessage::text(buyer(8), "from 8")),);
    assert_eq!((a.expect("a").statuses, b.expect("b").statuses), (vec![200], vec![200]));
    assert_eq!(hook.take().len(), 2);
    assert_eq!(hook.max_inflight.load(Ordering::SeqCst), 2, "two chats: concurrently");

    // A failing webhook: statuses tell, getWebhookInfo shows the error.
    let failing = Hook::new(0, StatusCode::INTERNAL_SERVER_ERROR);
    bot.set_webhook(failing.serve().await).await.expect("setWebhook");
    let d = sb.user_sends(info.id, UserMessage::text(buyer(7), "anyone?")).await.expect("send");
    assert_eq!(d.statuses, vec![500]);
    let wi = bot.get_webhook_info().await.expect("info");
    assert!(wi.last_error_message.expect("error").contains("500"));

    // Nobody listening: status 0.
    bot.set_webhook(reqwest::Url::parse("http://127.0.0.1:9/hook").expect("url")).await.expect("setWebhook");
    let d = sb.user_sends(info.id, UserMessage::text(buyer(7), "hello?")).await.expect("send");
    assert_eq!(d.statuses, vec![0]);
}

#[tokio::test]
async fn every_send_method_returns_its_kind_and_files_come_back() {
    let (sb, url) = start().await;
    let info = sb.create_bot("media_bot", "Media");
    let bot = client(&url, &info);
    let user = 5150;
    open_chat(&sb, &info, user).await;
    sb.set_chat_rate_limit(info.id, 0, 1.0);
    let chat = ChatId(user);

    let photo = sample_png(1600, 1200);
    let m = bot.send_photo(chat, InputFile::memory(photo.clone())).caption("Golf VIII, 2021").await.expect("photo");
    let sizes = m.photo().expect("photo kind");
    let widths: Vec<u32> = sizes.iter().map(|s| s.width).collect();
    assert_eq!(widths, vec![90, 320, 800, 1280, 1600]);
    assert_eq!(sizes[4].height, 1200);
    assert_eq!(sizes[4].file.size as usize, photo.len());
    assert_eq!(m.caption(), Some("Golf VIII, 2021"));
    let from = m.from.as_ref().expect("from");
    assert!(from.is_bot);
    assert_eq!(from.id, UserId(info.id as u64));
    assert_eq!(m.chat.id, chat);
    assert_eq!(download(&bot, &sizes[4].file.id.0).await, photo);
    let photo_id = sizes[4].file.id.clone();

    let video = b"\x00\x00\x00\x18ftypmp42 fake video bytes".to_vec();
    let m = bot.send_video(chat, InputFile::memory(video.clone()).file_name("walkaround.mp4")).width(1920).height(1080).duration(42).await.expect("video");
    let v = m.video().expect("video kind");
    assert_eq!((v.width, v.height, v.duration.seconds()), (1920, 1080, 42));
    assert_eq!(v.file_name.as_deref(), Some("walkaround.mp4"));
    assert_eq!(v.mime_type.as_ref().map(|m| m.to_string()).as_deref(), Some("video/mp4"));
    assert_eq!(download(&bot, &v.file.id.0).await, video);

    let audio = b"ID3\x04\x00 fake mp3".to_vec();
    let m = bot.send_audio(chat, InputFile::memory(audio.clone()).file_name("engine.mp3")).duration(7).await.expect("audio");
    let a = m.audio().expect("audio kind");
    assert_eq!(a.duration.seconds(), 7);
    assert_eq!(a.file_name.as_deref(), Some("engine.mp3"));
    assert_eq!(a.mime_type.as_ref().map(|m| m.to_string()).as_deref(), Some("audio/mpeg"));
    assert_eq!(download(&bot, &a.file.id.0).await, audio);

    let ogg = b"OggS\x00\x02 opus voice".to_vec();
    let m = bot.send_voice(chat, InputFile::memory(ogg.clone())).duration(3).await.expect("voice");
    let vo = m.voice().expect("voice kind");
    assert_eq!(vo.mime_type.as_ref().map(|m| m.to_string()).as_deref(), Some("audio/ogg"));
    assert_eq!(vo.duration.seconds(), 3);
    assert_eq!(download(&bot, &vo.file.id.0).await, ogg);
    // Not Ogg: still accepted, the mime type comes from the part.
    let m = bot.send_voice(chat, InputFile::memory(b"not ogg".to_vec()).file_name("memo.mp3")).await.expect("voice");
    assert_eq!(m.voice().expect("voice").mime_type.as_ref().map(|m| m.to_string()).as_deref(), Some("audio/mpeg"));

    let pdf = b"%PDF-1.4 offer".to_vec();
    let m = bot.send_document(chat, InputFile::memory(pdf.clone()).file_name("offer.pdf")).await.expect("document");
    let doc = m.document().expect("document kind");
    assert_eq!(doc.file_name.as_deref(), Some("offer.pdf"));
    assert_eq!(doc.mime_type.as_ref().map(|m| m.to_string()).as_deref(), Some("application/pdf"));
    assert_eq!(download(&bot, &doc.file.id.0).await, pdf);

    let gif = b"GIF89a\x40\x01\xf0\x00 fake gif".to_vec();
    let m = bot.send_animation(chat, InputFile::memory(gif.clone()).file_name("spin.gif")).await.expect("animation");
    let an = m.animation().expect("animation kind");
    assert_eq!((an.width, an.height), (320, 240));
    assert!(m.document().is_none(), "teloxide reads it as an animation");
    let raw = sb.outbox(info.id, Some(user)).last().expect("outbox").message.clone();
    assert_eq!(raw["document"]["file_id"], raw["animation"]["file_id"], "Telegram also sets `document`");
    assert_eq!(download(&bot, &an.file.id.0).await, gif);

    let webp = b"RIFF\x1a\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\xff\x01\x00\xff\x01\x00".to_vec();
    let m = bot.send_sticker(chat, InputFile::memory(webp.clone())).emoji("🚗").await.expect("sticker");
    let st = m.sticker().expect("sticker kind");
    assert!(st.is_regular() && st.is_static());
    assert_eq!((st.width, st.height), (512, 512));
    assert_eq!(st.emoji.as_deref(), Some("🚗"));
    assert_eq!(download(&bot, &st.file.id.0).await, webp);

    let note = b"\x00\x00\x00\x18ftypmp42 round".to_vec();
    let m = bot.send_video_note(chat, InputFile::memory(note.clone())).length(360).duration(5).await.expect("video note");
    let vn = m.video_note().expect("video note kind");
    assert_eq!((vn.length, vn.duration.seconds()), (360, 5));
    assert_eq!(download(&bot, &vn.file.id.0).await, note);

    // Text with a reply.
    let m = bot.send_message(chat, "See the photo above").reply_parameters(ReplyParameters::new(MessageId(2))).await.expect("text");
    assert_eq!(m.text(), Some("See the photo above"));
    assert_eq!(m.reply_to_message().map(|r| r.id), Some(MessageId(2)));
    let missing = bot.send_message(chat, "x").reply_parameters(ReplyParameters::new(MessageId(9999))).await.expect_err("reply to nothing");
    assert!(matches!(missing, RequestError::Api(ApiError::MessageToReplyNotFound)), "{missing:?}");

    // file_id reuse: same file, same PhotoSize array, no new bytes.
    let again = bot.send_photo(chat, InputFile::file_id(photo_id.clone())).await.expect("reuse");
    let again_sizes = again.photo().expect("photo");
    assert_eq!(again_sizes.last().map(|s| &s.file.id), Some(&photo_id));
    assert_eq!(again_sizes.len(), 5);
    let wrong_kind = bot.send_document(chat, InputFile::file_id(photo_id.clone())).await.expect_err("mismatch");
    assert!(matches!(&wrong_kind, RequestError::Api(ApiError::Unknown(s)) if s.contains("type of file mismatch")), "{wrong_kind:?}");
    let unknown = bot.send_photo(chat, InputFile::file_id(FileId("AgACnope".into()))).await.expect_err("unknown id");
    assert!(matches!(unknown, RequestError::Api(ApiError::WrongFileIdOrUrl)), "{unknown:?}");

    // URLs are refused.
    let url_file = InputFile::url(reqwest::Url::parse("https://cdn.example.com/golf.jpg").expect("url"));
    let refused = bot.send_photo(chat, url_file).await.expect_err("URL upload");
    assert!(matches!(&refused, RequestError::Api(ApiError::Unknown(s)) if s == "Bad Request: the sandbox refuses URL uploads; upload the file"), "{refused:?}");

    // Too large.
    let big = vec![0u8; 10 * 1024 * 1024 + 1];
    let too_big = bot.send_photo(chat, InputFile::memory(big)).await.expect_err("413");
    assert!(matches!(too_big, RequestError::Api(ApiError::RequestEntityTooLarge)), "{too_big:?}");

    // The outbox has each send, in order, with the methods' names.
    let methods: Vec<String> = sb.outbox(info.id, Some(user)).into_iter().map(|m| m.method).collect();
    assert_eq!(
        methods,
        [
            "sendPhoto",
            "sendVideo",
            "sendAudio",
            "sendVoice",
            "sendVoice",
            "sendDocument",
            "sendAnimation",
            "sendSticker",
            "sendVideoNote",
            "sendMessage",
            "sendPhoto"
        ]
    );
    // Message ids are shared between the buyer's and the bot's messages.
    let t = sb.transcript(info.id, user).expect("transcript");
    let ids: Vec<i64> = t.messages.iter().map(|e| e.message_id).collect();
    assert_eq!(ids, (1..=12).collect::<Vec<_>>());
    assert_eq!(t.messages[0].sender, tg_sandbox::Sender::User);
    assert_eq!(t.messages[1].sender, tg_sandbox::Sender::Bot);
}

#[tokio::test]
async fn media_group_of_uploaded_photos() {
    let (sb, url) = start().await;
    let info = sb.create_bot("album_bot", "Album");
    let bot = client(&url, &info);
    open_chat(&sb, &info, 77).await;
    let front = sample_png(640, 480);
    let back = sample_png(480, 640);
    let media = vec![
        InputMedia::Photo(InputMediaPhoto::new(InputFile::memory(front.clone()).file_name("front.png")).caption("Front")),
        InputMedia::Photo(InputMediaPhoto::new(InputFile::memory(back.clone()).file_name("back.png"))),
    ];
    let msgs = bot.send_media_group(ChatId(77), media).await.expect("sendMediaGroup");
    assert_eq!(msgs.len(), 2);
    let g0 = msgs[0].media_group_id().expect("group id");
    assert_eq!(msgs[1].media_group_id(), Some(g0));
    assert_ne!(msgs[0].id, msgs[1].id);
    assert_eq!(msgs[0].caption(), Some("Front"));
    assert_eq!(msgs[1].caption(), None);
    let p0 = msgs[0].photo().expect("photo").last().expect("size").clone();
    let p1 = msgs[1].photo().expect("photo").last().expect("size").clone();
    assert_eq!((p0.width, p0.height, p1.width, p1.height), (640, 480, 480, 640));
    assert_eq!(download(&bot, &p0.file.id.0).await, front);
    assert_eq!(download(&bot, &p1.file.id.0).await, back);
    // One photo is not a group.
    let one = vec![InputMedia::Photo(InputMediaPhoto::new(InputFile::memory(front)))];
    assert!(bot.send_media_group(ChatId(77), one).await.is_err());
}

#[tokio::test]
async fn limits_blocks_and_unknown_chats() {
    let (sb, url) = start().await;
    let info = sb.create_bot("busy_bot", "Busy");
    let bot = client(&url, &info);
    for u in 1..=31 {
        open_chat(&sb, &info, 1000 + u).await;
    }
    // 30 sends at once to 30 chats, then the 31st within the same second.
    let started = Instant::now();
    let handles: Vec<_> = (1..=30)
        .map(|u| {
            let bot = bot.clone();
            tokio::spawn(async move { bot.send_message(ChatId(1000 + u), "New price!").await })
        })
        .collect();
    for h in handles {
        h.await.expect("join").expect("within the limit");
    }
    let res = bot.send_message(ChatId(1031), "New price!").await;
    let elapsed = started.elapsed();
    let wait = match res {
        Err(RequestError::RetryAfter(s)) => s,
        Ok(_) if elapsed >= Duration::from_secs(1) => panic!("31 sends took {elapsed:?}: too slow to test a per-second limit"),
        other => panic!("expected RetryAfter, got {other:?}"),
    };
    assert!(wait.seconds() >= 1);
    tokio::time::sleep(wait.duration()).await;
    bot.send_message(ChatId(1031), "New price!").await.expect("after retry_after");
    assert_eq!(sb.outbox(info.id, None).len(), 31);

    // Per chat: a burst of 20, then 429.
    for i in 0..20 {
        bot.send_message(ChatId(1001), format!("spam {i}")).await.ok();
    }
    let err = bot.send_message(ChatId(1001), "one more").await.expect_err("chat burst");
    assert!(matches!(err, RequestError::RetryAfter(_)), "{err:?}");

    // Blocked.
    sb.block(info.id, 1002, true);
    let err = bot.send_message(ChatId(1002), "Still interested?").await.expect_err("blocked");
    assert!(matches!(err, RequestError::Api(ApiError::BotBlocked)), "{err:?}");
    let err = bot.send_photo(ChatId(1002), InputFile::memory(sample_png(10, 10))).await.expect_err("blocked");
    assert!(matches!(err, RequestError::Api(ApiError::BotBlocked)), "{err:?}");
    assert!(sb.user_sends(info.id, UserMessage::text(buyer(1002), "hm")).await.is_err(), "a blocker can't write");
    sb.block(info.id, 1002, false);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    bot.send_message(ChatId(1002), "Still interested?").await.expect("unblocked");

    // Never seen.
    let err = bot.send_message(ChatId(999_999), "hello").await.expect_err("unknown chat");
    assert!(matches!(err, RequestError::Api(ApiError::ChatNotFound)), "{err:?}");
    // Missing text.
    let err = bot.send_message(ChatId(1003), "").await.expect_err("empty");
    assert!(matches!(err, RequestError::Api(ApiError::MessageTextIsEmpty)), "{err:?}");
}

#[tokio::test]
async fn edits_commands_menu_and_get_updates() {
    let (sb, url) = start().await;
    let info = sb.create_bot("misc_bot", "Misc");
    let bot = client(&url, &info);
    let user = 31337;
    open_chat(&sb, &info, user).await;

    // No webhook: the opening message waits for getUpdates.
    let ups = bot.get_updates().await.expect("getUpdates");
    assert_eq!(ups.len(), 1);
    assert_eq!(message_of(&ups[0]).text(), Some("hi"));
    let next = ups[0].id.0 as i32 + 1;
    assert!(bot.get_updates().offset(next).await.expect("ack").is_empty());

    let kb = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("A", "a")]]);
    let m = bot.send_message(ChatId(user), "Price: 20 000 €").reply_markup(kb).await.expect("send");
    let e = bot.edit_message_text(ChatId(user), m.id, "Price: 19 500 €").await.expect("edit");
    assert_eq!(e.text(), Some("Price: 19 500 €"));
    assert!(e.edit_date().is_some());
    assert!(e.reply_markup().is_none(), "an edit without reply_markup drops the keyboard");
    let same = bot.edit_message_text(ChatId(user), m.id, "Price: 19 500 €").await.expect_err("not modified");
    assert!(matches!(same, RequestError::Api(ApiError::MessageNotModified)), "{same:?}");
    let theirs = bot.edit_message_text(ChatId(user), MessageId(1), "hacked").await.expect_err("user's message");
    assert!(matches!(theirs, RequestError::Api(ApiError::MessageCantBeEdited)), "{theirs:?}");
    let t = sb.transcript(info.id, user).expect("transcript");
    assert_eq!(t.messages[1].message["text"], "Price: 19 500 €");
    assert!(t.messages[1].edited);
    assert_eq!(sb.outbox(info.id, Some(user)).last().map(|s| s.method.clone()).as_deref(), Some("editMessageText"));

    let commands = vec![BotCommand::new("start", "Start over"), BotCommand::new("cars", "Cars in stock")];
    bot.set_my_commands(commands.clone()).await.expect("setMyCommands");
    assert_eq!(bot.get_my_commands().await.expect("getMyCommands"), commands);
    bot.delete_my_commands().await.expect("deleteMyCommands");
    assert!(bot.get_my_commands().await.expect("getMyCommands").is_empty());
    let bad = bot.set_my_commands([BotCommand::new("Bad Command", "x")]).await;
    assert!(bad.is_err());

    assert_eq!(bot.get_chat_menu_button().await.expect("menu"), MenuButton::Commands);
    let web_app = MenuButton::WebApp {
        text: "Catalogue".into(),
        web_app: teloxide_core::types::WebAppInfo { url: reqwest::Url::parse("https://cartie.example/app").expect("url") },
    };
    bot.set_chat_menu_button().chat_id(ChatId(user)).menu_button(web_app.clone()).await.expect("set menu");
    assert_eq!(bot.get_chat_menu_button().chat_id(ChatId(user)).await.expect("menu"), web_app);
    assert_eq!(bot.get_chat_menu_button().await.expect("default menu"), MenuButton::Commands);

    // With a webhook set, getUpdates conflicts; bad secrets are refused.
    let hook = Hook::new(0, StatusCode::OK);
    let hook_url = hook.serve().await;
    let bad = bot.set_webhook(hook_url.clone()).secret_token("no spaces allowed").await;
    assert!(bad.is_err());
    bot.set_webhook(hook_url).await.expect("setWebhook");
    assert!(bot.get_updates().await.is_err());
    bot.delete_webhook().await.expect("deleteWebhook");
    assert!(sb.webhook(info.id).is_none());
}

#[tokio::test]
async fn control_routes_and_page() {
    let (_sb, url) = start().await;
    let http = reqwest::Client::new();
    let created: BotInfo = http
        .post(url.join("sandbox/api/bots").expect("url"))
        .json(&serde_json::json!({"username": "page_bot", "first_name": "Page"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("bot json");
    assert_eq!(created.username, "page_bot");
    let bots: serde_json::Value = http.get(url.join("sandbox/api/bots").expect("url")).send().await.expect("list").json().await.expect("json");
    assert_eq!(bots[0]["id"], created.id);

    let base = format!("sandbox/api/bots/{}", created.id);
    let d: serde_json::Value = http
        .post(url.join(&format!("{base}/messages")).expect("url"))
        .json(&serde_json::json!({"from": {"id": 55, "first_name": "Jo"}, "text": "hello"}))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(d["message_id"], 1);
    assert_eq!(d["statuses"], serde_json::json!([]));
    let bad = http
        .post(url.join(&format!("{base}/messages")).expect("url"))
        .json(&serde_json::json!({"from": {"id": 55, "first_name": "Jo"}, "text": "a", "location": {"latitude": 1.0, "longitude": 2.0}}))
        .send()
        .await
        .expect("send");
    assert_eq!(bad.status(), 400);

    let bot = client(&url, &created);
    bot.send_message(ChatId(55), "Hi Jo").await.expect("send");
    let outbox: serde_json::Value =
        http.get(url.join(&format!("{base}/outbox?chat_id=55")).expect("url")).send().await.expect("outbox").json().await.expect("json");
    assert_eq!(outbox[0]["method"], "sendMessage");
    assert_eq!(outbox[0]["message"]["text"], "Hi Jo");
    let chat: serde_json::Value = http.get(url.join(&format!("{base}/chats/55")).expect("url")).send().await.expect("chat").json().await.expect("json");
    let senders: Vec<&str> = chat["messages"].as_array().expect("messages").iter().filter_map(|m| m["sender"].as_str()).collect();
    assert_eq!(senders, ["user", "bot"]);

    let limits: serde_json::Value = http
        .put(url.join(&format!("{base}/limits")).expect("url"))
        .json(&serde_json::json!({"per_second": 1}))
        .send()
        .await
        .expect("limits")
        .json()
        .await
        .expect("json");
    assert_eq!(limits["per_second"], 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    bot.send_message(ChatId(55), "one").await.expect("first");
    assert!(matches!(bot.send_message(ChatId(55), "two").await, Err(RequestError::RetryAfter(_))));

    let r = http.put(url.join(&format!("{base}/users/55/blocked")).expect("url")).json(&serde_json::json!({"blocked": true})).send().await.expect("block");
    assert!(r.status().is_success());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(matches!(bot.send_message(ChatId(55), "three").await, Err(RequestError::Api(ApiError::BotBlocked))));

    let page = http.get(url.join("sandbox/").expect("url")).send().await.expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.starts_with("<!doctype html>") && html.contains("/sandbox/api"));
}
