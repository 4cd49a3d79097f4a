//! Channels and supergroups: rights, lookups, posts and their after-life
//! (edit, delete within and after 48 hours, pin), through teloxide-core as
//! production code talks to Telegram, and through plain HTTP.

use std::time::Duration;

use serde_json::{json, Value};
use teloxide_core::{
    payloads::setters::*,
    requests::Requester,
    types::{
        ChatFullInfoKind, ChatFullInfoPublicKind, ChatId, ChatMemberKind, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputMedia, InputMediaPhoto,
        MessageId, Recipient, UserId,
    },
    ApiError, Bot, RequestError,
};
use tg_sandbox::{sample_png, AdminRights, BotInfo, ChatKind, ChatMembership, MediaKind, NewChannel, Sandbox, UserMessage, UserRef, DELETE_WINDOW_SECS};

async fn start() -> (Sandbox, reqwest::Url) {
    let sb = Sandbox::new();
    let addr = sb.clone().serve(([127, 0, 0, 1], 0).into()).await.expect("bind");
    (sb, reqwest::Url::parse(&format!("http://{addr}/")).expect("url"))
}

fn client(url: &reqwest::Url, info: &BotInfo) -> Bot {
    Bot::new(info.token.clone()).set_api_url(url.clone())
}

/// Telegram's description of a failed call.
fn desc(e: RequestError) -> String {
    match e {
        RequestError::Api(ApiError::Unknown(s)) => s,
        RequestError::Api(a) => a.to_string(),
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn offer_keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::url("Details", reqwest::Url::parse("https://cartie.example/car/7").expect("url"))]])
}

const POST_ONLY: AdminRights = AdminRights { can_post_messages: true, ..AdminRights::NONE };

#[tokio::test]
async fn a_channel_is_found_and_the_bot_sees_its_rights() {
    let (sb, url) = start().await;
    let info = sb.create_bot("autohaus_bot", "Autohaus");
    let bot = client(&url, &info);
    let id = sb.create_channel_with(info.id, NewChannel::channel("Autohaus offers").username("@autohaus_offers").rights(POST_ONLY)).expect("channel");
    assert!(id < -1_000_000_000_000, "a -100… id: {id}");

    for by in [Recipient::ChannelUsername("@Autohaus_Offers".into()), Recipient::Id(ChatId(id))] {
        let chat = bot.get_chat(by).await.expect("getChat");
        assert_eq!(chat.id, ChatId(id));
        let ChatFullInfoKind::Public(p) = &chat.kind else { panic!("a public chat: {chat:?}") };
        assert_eq!(p.title.as_deref(), Some("Autohaus offers"));
        let ChatFullInfoPublicKind::Channel(c) = &p.kind else { panic!("a channel: {chat:?}") };
        assert_eq!(c.username.as_deref(), Some("autohaus_offers"));
    }
    let err = bot.get_chat(Recipient::ChannelUsername("@nobody_here".into())).await.expect_err("unknown");
    assert!(matches!(err, RequestError::Api(ApiError::ChatNotFound)), "{err:?}");
    let err = bot.get_chat(ChatId(-1_001_234_567_890)).await.expect_err("unknown id");
    assert!(matches!(err, RequestError::Api(ApiError::ChatNotFound)), "{err:?}");

    let me = bot.get_chat_member(ChatId(id), UserId(info.id as u64)).await.expect("getChatMember");
    assert_eq!(me.user.id, UserId(info.id as u64));
    let ChatMemberKind::Administrator(a) = &me.kind else { panic!("administrator: {me:?}") };
    assert!(a.can_post_messages && !a.can_edit_messages && !a.can_delete_messages && !a.can_be_edited);
    assert!(!a.can_pin_messages, "channels have no pin right (can_edit_messages pins there)");

    let admins = bot.get_chat_administrators(ChatId(id)).await.expect("getChatAdministrators");
    assert_eq!(admins.len(), 2);
    assert!(admins[0].kind.is_owner());
    assert_eq!(admins[1].user.id, UserId(info.id as u64));

    // A member who is not an administrator may not post, nor list admins.
    sb.set_channel_membership(id, info.id, ChatMembership::Member).expect("demote");
    let me = bot.get_chat_member(ChatId(id), UserId(info.id as u64)).await.expect("getChatMember");
    assert!(me.kind.is_member());
    let err = bot.send_message(ChatId(id), "offer").await.expect_err("member");
    assert!(matches!(err, RequestError::Api(ApiError::NotEnoughRightsToPostMessages)), "{err:?}");
    let err = bot.get_chat_administrators(ChatId(id)).await.expect_err("not an admin");
    assert_eq!(desc(err), "Bad Request: member list is inaccessible");

    // Removed: a public channel can still be read, not written.
    sb.remove_from_channel(id, info.id).expect("remove");
    assert!(bot.get_chat_member(ChatId(id), UserId(info.id as u64)).await.expect("public").kind.is_left());
    bot.get_chat(ChatId(id)).await.expect("public channels can be read");
    let err = bot.send_message(Recipient::ChannelUsername("@autohaus_offers".into()), "offer").await.expect_err("left");
    assert_eq!(desc(err), "Forbidden: bot is not a member of the channel chat");

    // Banned: nothing.
    sb.set_channel_membership(id, info.id, ChatMembership::Kicked).expect("ban");
    let err = bot.get_chat(ChatId(id)).await.expect_err("kicked");
    assert!(matches!(err, RequestError::Api(ApiError::BotKickedFromChannel)), "{err:?}");

    // A private channel the bot was removed from is not even readable; one
    // it was never in is not found.
    let private = sb.create_channel_with(info.id, NewChannel::channel("Drafts")).expect("private");
    sb.remove_from_channel(private, info.id).expect("remove");
    assert_eq!(desc(bot.get_chat(ChatId(private)).await.expect_err("left")), "Forbidden: bot is not a member of the channel chat");
    let other = sb.create_bot("other_bot", "Other");
    let theirs = sb.create_channel_with(other.id, NewChannel::channel("Theirs")).expect("theirs");
    assert!(matches!(bot.get_chat(ChatId(theirs)).await.expect_err("unknown"), RequestError::Api(ApiError::ChatNotFound)));
    assert_eq!(sb.bot_channels(info.id).len(), 2);
}

#[tokio::test]
async fn posts_are_signed_by_the_channel_and_edited_pinned_and_inspected() {
    let (sb, url) = start().await;
    let info = sb.create_bot("autohaus_bot", "Autohaus");
    let bot = client(&url, &info);
    let id = sb.create_channel_with(info.id, NewChannel::channel("Autohaus offers").username("autohaus_offers").rights(POST_ONLY)).expect("channel");

    let post =
        bot.send_message(Recipient::ChannelUsername("@autohaus_offers".into()), "BMW 320d, 2019, 18 900 €").reply_markup(offer_keyboard()).await.expect("post");
    assert_eq!(post.chat.id, ChatId(id));
    assert!(post.from.is_none(), "channel posts have no from");
    assert_eq!(post.sender_chat.as_ref().map(|c| c.id), Some(ChatId(id)));
    assert!(post.reply_markup().is_some());
    assert_eq!(post.id, MessageId(2), "message 1 is the channel's creation notice");
    assert_eq!(post.date.timestamp(), sb.clock_now());

    // Its own post with can_post_messages: editable; the same content is "not modified".
    let sold = bot.edit_message_text(ChatId(id), post.id, "SOLD: BMW 320d").await.expect("edit");
    assert_eq!(sold.text(), Some("SOLD: BMW 320d"));
    assert!(sold.reply_markup().is_none(), "an edit without reply_markup drops the keyboard");
    let err = bot.edit_message_text(ChatId(id), post.id, "SOLD: BMW 320d").await.expect_err("same");
    assert!(matches!(err, RequestError::Api(ApiError::MessageNotModified)), "{err:?}");
    bot.edit_message_reply_markup(ChatId(id), post.id).reply_markup(offer_keyboard()).await.expect("markup back");
    let err = bot.edit_message_reply_markup(ChatId(id), post.id).reply_markup(offer_keyboard()).await.expect_err("same markup");
    assert!(matches!(err, RequestError::Api(ApiError::MessageNotModified)));
    let err = bot.edit_message_text(ChatId(id), MessageId(99), "x").await.expect_err("missing");
    assert!(matches!(err, RequestError::Api(ApiError::MessageToEditNotFound)));

    // Another bot's post needs can_edit_messages.
    let other = sb.create_bot("second_bot", "Second");
    sb.set_channel_rights(id, other.id, AdminRights::ALL).expect("add");
    let theirs = client(&url, &other).send_message(ChatId(id), "Audi A4").await.expect("their post");
    let err = bot.edit_message_text(ChatId(id), theirs.id, "mine now").await.expect_err("not ours");
    assert!(matches!(err, RequestError::Api(ApiError::MessageCantBeEdited)), "{err:?}");
    client(&url, &other).edit_message_text(ChatId(id), post.id, "SOLD (by the editor)").await.expect("editor edits any post");

    // Pinning in a channel needs can_edit_messages.
    let err = bot.pin_chat_message(ChatId(id), post.id).await.expect_err("no rights");
    assert!(matches!(err, RequestError::Api(ApiError::NotEnoughRightsToManagePins)), "{err:?}");
    sb.set_channel_rights(id, info.id, AdminRights { can_edit_messages: true, ..POST_ONLY }).expect("rights");
    bot.pin_chat_message(ChatId(id), post.id).disable_notification(true).await.expect("pin");
    bot.pin_chat_message(ChatId(id), post.id).await.expect("pinning again changes nothing");
    let chat = bot.get_chat(ChatId(id)).await.expect("getChat");
    assert_eq!(chat.pinned_message.as_ref().map(|m| m.id), Some(post.id));
    let next = bot.send_message(ChatId(id), "VW Golf").await.expect("post");
    assert_eq!(next.id, MessageId(5), "the pin's service message took id 4");

    let posts = sb.channel_posts(id).expect("posts");
    let ids: Vec<i64> = posts.iter().map(|p| p.message_id).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    assert_eq!(posts[0].service.as_deref(), Some("channel_chat_created"));
    let p = &posts[1];
    assert_eq!((p.bot_id, p.text.as_deref(), p.edits, p.pinned, p.deleted), (Some(info.id), Some("SOLD (by the editor)"), 3, true, false));
    assert_eq!(posts[2].bot_id, Some(other.id));
    assert_eq!(posts[3].service.as_deref(), Some("pinned_message"));
    assert_eq!(posts[3].message["pinned_message"]["message_id"], 2);
    assert!(posts[3].message.get("from").is_none() && posts[3].message["sender_chat"]["id"] == id);
    assert_eq!(sb.channel(id).expect("info").pinned, vec![2]);

    bot.unpin_chat_message(ChatId(id)).await.expect("unpin the latest");
    assert!(sb.channel(id).expect("info").pinned.is_empty());
    let err = bot.unpin_chat_message(ChatId(id)).await.expect_err("nothing pinned");
    assert_eq!(desc(err), "Bad Request: message to unpin not found");
    bot.pin_chat_message(ChatId(id), next.id).await.expect("pin");
    bot.unpin_all_chat_messages(ChatId(id)).await.expect("unpin all");
    assert!(sb.channel(id).expect("info").pinned.is_empty());

    // The transcript shows the bots' posts (no service messages), as before.
    let t = sb.transcript(info.id, id).expect("transcript");
    let texts: Vec<&str> = t.messages.iter().filter_map(|m| m.message["text"].as_str()).collect();
    assert_eq!(texts, vec!["SOLD (by the editor)", "Audi A4", "VW Golf"]);
    assert_eq!(sb.outbox(info.id, Some(id)).len(), 4, "2 sends and 2 edits by this bot (the third edit was the other bot's)");
    assert_eq!(sb.deliveries(info.id).expect("counts").chats.get(&id), Some(&2));
}

#[tokio::test]
async fn deleting_within_and_after_48_hours() {
    let (sb, url) = start().await;
    let info = sb.create_bot("autohaus_bot", "Autohaus");
    let bot = client(&url, &info);
    let id = sb.create_channel_with(info.id, NewChannel::channel("Offers").rights(POST_ONLY)).expect("channel");
    let sent_at = sb.clock_now();
    let a = bot.send_message(ChatId(id), "A").await.expect("A");
    let b = bot.send_message(ChatId(id), "B").await.expect("B");
    let c = bot.send_message(ChatId(id), "C").await.expect("C");

    // Its own posts with can_post_messages; gone is gone.
    bot.delete_message(ChatId(id), a.id).await.expect("delete A");
    let err = bot.delete_message(ChatId(id), a.id).await.expect_err("again");
    assert!(matches!(err, RequestError::Api(ApiError::MessageToDeleteNotFound)), "{err:?}");
    let err = bot.edit_message_text(ChatId(id), a.id, "A2").await.expect_err("deleted");
    assert!(matches!(err, RequestError::Api(ApiError::MessageToEditNotFound)));
    let err = bot.delete_message(ChatId(id), MessageId(1)).await.expect_err("the creation notice");
    assert!(matches!(err, RequestError::Api(ApiError::MessageCantBeDeleted)));

    // Another bot's post needs can_delete_messages.
    let other = sb.create_bot("second_bot", "Second");
    sb.set_channel_rights(id, other.id, POST_ONLY).expect("add");
    let err = client(&url, &other).delete_message(ChatId(id), b.id).await.expect_err("not its own");
    assert!(matches!(err, RequestError::Api(ApiError::MessageCantBeDeleted)), "{err:?}");
    sb.set_channel_rights(id, other.id, AdminRights { can_delete_messages: true, ..POST_ONLY }).expect("rights");

    // 47 hours later: still deletable.
    assert!(sb.advance_clock(Duration::from_secs(47 * 3600)) >= sent_at + 47 * 3600);
    client(&url, &other).delete_message(ChatId(id), b.id).await.expect("B inside 48 h");

    // 48 hours after sending: nobody may delete it, but it can still be edited.
    sb.advance_clock(Duration::from_secs(3600));
    assert!(sb.clock_now() >= sent_at + DELETE_WINDOW_SECS);
    for who in [&bot, &client(&url, &other)] {
        let err = who.delete_message(ChatId(id), c.id).await.expect_err("too old");
        assert!(matches!(err, RequestError::Api(ApiError::MessageCantBeDeleted)), "{err:?}");
    }
    let sold = bot.edit_message_text(ChatId(id), c.id, "C: SOLD").await.expect("bots edit their posts any time");
    assert_eq!(sold.edit_date().map(|d| d.timestamp()), Some(sb.clock_now()));
    assert_eq!(sold.date.timestamp(), c.date.timestamp());

    // A post made now carries the moved clock and may be deleted.
    let d = bot.send_message(ChatId(id), "D").await.expect("D");
    assert!(d.date.timestamp() >= sent_at + DELETE_WINDOW_SECS);
    bot.delete_message(ChatId(id), d.id).await.expect("D is fresh");
    let states: Vec<(i64, bool)> = sb.channel_posts(id).expect("posts").iter().skip(1).map(|p| (p.message_id, p.deleted)).collect();
    assert_eq!(states, vec![(a.id.0.into(), true), (b.id.0.into(), true), (c.id.0.into(), false), (d.id.0.into(), true)]);

    // Private chats: 48 hours too, in Telegram's words for them.
    let buyer = UserRef { id: 42, first_name: "Anna".into(), ..UserRef::default() };
    sb.user_sends(info.id, UserMessage::text(buyer, "hi")).await.expect("open chat");
    let dm = bot.send_message(ChatId(42), "Hello Anna").await.expect("dm");
    assert_eq!(dm.date.timestamp(), sb.clock_now(), "private messages follow the clock too");
    bot.pin_chat_message(ChatId(42), dm.id).await.expect("bots pin in private chats too");
    let chat = bot.get_chat(ChatId(42)).await.expect("getChat of a private chat");
    assert!(chat.is_private());
    assert_eq!(chat.pinned_message.map(|m| m.id), Some(dm.id));
    assert!(bot.get_chat_member(ChatId(42), UserId(42)).await.expect("the user").kind.is_member());
    let err = bot.get_chat_administrators(ChatId(42)).await.expect_err("private");
    assert_eq!(desc(err), "Bad Request: there are no administrators in the private chat");
    sb.advance_clock(Duration::from_secs(DELETE_WINDOW_SECS as u64));
    assert_eq!(desc(bot.delete_message(ChatId(42), dm.id).await.expect_err("old")), "Bad Request: message can't be deleted for everyone");
}

#[tokio::test]
async fn a_media_group_goes_to_a_channel() {
    let (sb, url) = start().await;
    let info = sb.create_bot("autohaus_bot", "Autohaus");
    let bot = client(&url, &info);
    let id = sb.create_channel(info.id, "autohaus_photos", "Autohaus photos").expect("channel");
    let photo = |name: &str, caption: Option<&str>| {
        let mut m = InputMediaPhoto::new(InputFile::memory(sample_png(64, 48)).file_name(name.to_owned()));
        if let Some(c) = caption {
            m = m.caption(c.to_owned());
        }
        InputMedia::Photo(m)
    };
    let album = bot
        .send_media_group(Recipient::ChannelUsername("@autohaus_photos".into()), vec![photo("front.png", Some("Skoda Octavia, 2020")), photo("back.png", None)])
        .await
        .expect("album");
    assert_eq!(album.len(), 2);
    let group = album[0].media_group_id().expect("grouped").to_owned();
    assert!(album.iter().all(|m| m.media_group_id() == Some(&group) && m.from.is_none() && m.sender_chat.is_some() && m.chat.id == ChatId(id)));

    bot.edit_message_caption(ChatId(id), album[0].id).caption("SOLD: Skoda Octavia").await.expect("caption");
    let err = bot.edit_message_caption(ChatId(id), album[0].id).caption("SOLD: Skoda Octavia").await.expect_err("same");
    assert!(matches!(err, RequestError::Api(ApiError::MessageNotModified)));
    let err = bot.edit_message_text(ChatId(id), album[0].id, "text").await.expect_err("a photo has no text");
    assert_eq!(desc(err), "Bad Request: there is no text in the message to edit");

    let posts = sb.channel_posts(id).expect("posts");
    let photos: Vec<_> = posts.iter().filter(|p| p.media == Some(MediaKind::Photo)).collect();
    assert_eq!(photos.len(), 2);
    assert_eq!(photos[0].caption.as_deref(), Some("SOLD: Skoda Octavia"));
    assert_eq!((photos[0].edits, photos[1].edits), (1, 0));
    assert!(photos.iter().all(|p| p.media_group_id.as_deref() == Some(group.0.as_str()) && p.reply_markup.is_none()));

    // A single photo with a button, and a document.
    let one = bot.send_photo(ChatId(id), InputFile::memory(sample_png(30, 20))).caption("VW Passat").reply_markup(offer_keyboard()).await.expect("photo");
    assert!(one.reply_markup().is_some() && one.sender_chat.is_some());
    bot.send_document(ChatId(id), InputFile::memory(b"%PDF-1.4".to_vec()).file_name("specs.pdf")).await.expect("document");
    assert_eq!(sb.channel_posts(id).expect("posts").last().and_then(|p| p.media), Some(MediaKind::Document));
}

#[tokio::test]
async fn in_a_supergroup_members_write_and_pins_need_the_pin_right() {
    let (sb, url) = start().await;
    let info = sb.create_bot("autohaus_bot", "Autohaus");
    let bot = client(&url, &info);
    let id = sb.create_channel_with(info.id, NewChannel::supergroup("Autohaus club").membership(ChatMembership::Member)).expect("group");
    let chat = bot.get_chat(ChatId(id)).await.expect("getChat");
    assert!(chat.is_supergroup(), "{chat:?}");

    let m = bot.send_message(ChatId(id), "Meet-up on Saturday").await.expect("members write");
    assert_eq!(m.from.as_ref().map(|u| u.id), Some(UserId(info.id as u64)));
    assert!(m.sender_chat.is_none());
    bot.edit_message_text(ChatId(id), m.id, "Meet-up on Sunday").await.expect("own message");
    let err = bot.pin_chat_message(ChatId(id), m.id).await.expect_err("no right");
    assert!(matches!(err, RequestError::Api(ApiError::NotEnoughRightsToManagePins)));

    sb.set_channel_rights(id, info.id, AdminRights { can_pin_messages: true, ..AdminRights::NONE }).expect("rights");
    let me = bot.get_chat_member(ChatId(id), UserId(info.id as u64)).await.expect("me");
    let ChatMemberKind::Administrator(a) = &me.kind else { panic!("{me:?}") };
    assert!(a.can_pin_messages && !a.can_post_messages && !a.can_delete_messages);
    bot.pin_chat_message(ChatId(id), m.id).await.expect("pin");
    bot.delete_message(ChatId(id), m.id).await.expect("own messages need no right");
    assert!(sb.channel(id).expect("info").pinned.is_empty(), "a deleted message is no longer pinned");

    bot.leave_chat(ChatId(id)).await.expect("leaveChat");
    assert_eq!(desc(bot.send_message(ChatId(id), "x").await.expect_err("left")), "Forbidden: bot is not a member of the supergroup chat");
    assert_eq!(desc(bot.leave_chat(ChatId(id)).await.expect_err("gone")), "Forbidden: bot is not a member of the supergroup chat");
    let info2 = sb.channel(id).expect("info");
    assert_eq!((info2.kind, info2.bots[0].membership), (ChatKind::Supergroup, ChatMembership::Left));
}

async fn answer(r: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = r.send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json"))
}

#[tokio::test]
async fn control_routes_and_the_raw_bot_api() {
    let (sb, url) = start().await;
    let info = sb.create_bot("autohaus_bot", "Autohaus");
    let http = reqwest::Client::new();
    let control = format!("{url}sandbox/api");
    let api = format!("{url}bot{}", info.token);

    let (s, v) = answer(http.post(format!("{control}/bots/{}/channels", info.id)).json(&json!({
        "title": "Autohaus offers", "username": "autohaus_offers",
        "membership": {"status": "administrator", "can_post_messages": true, "can_delete_messages": true},
    })))
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().expect("id");
    assert_eq!((v["kind"].as_str(), v["bots"][0]["membership"]["status"].as_str()), (Some("channel"), Some("administrator")));
    let (s, v) = answer(http.post(format!("{control}/bots/{}/channels", info.id)).json(&json!({"title": "Dup", "username": "AUTOHAUS_OFFERS"}))).await;
    assert_eq!(s, 400, "{v}");
    let (s, _) = answer(http.post(format!("{control}/bots/{}/channels", info.id)).json(&json!({"title": "Bad", "username": "ab"}))).await;
    assert_eq!(s, 400);
    let (s, _) = answer(http.post(format!("{control}/bots/1/channels")).json(&json!({"title": "No bot"}))).await;
    assert_eq!(s, 404);
    let (s, v) = answer(http.post(format!("{control}/bots/{}/channels", info.id)).json(&json!({"title": "Club", "kind": "supergroup"}))).await;
    assert_eq!((s, v["kind"].as_str(), v["username"].is_null()), (201, Some("supergroup"), true));
    let (_, v) = answer(http.get(format!("{control}/bots/{}/channels", info.id))).await;
    assert_eq!(v.as_array().map(Vec::len), Some(2));

    // Method names are case-insensitive; answers are Telegram-shaped.
    let (s, v) = answer(http.get(format!("{api}/GETCHAT?chat_id=@autohaus_offers"))).await;
    assert_eq!((s, v["result"]["id"].as_i64(), v["result"]["type"].as_str()), (200, Some(id), Some("channel")));
    let (s, v) = answer(http.post(format!("{api}/getchatmember")).json(&json!({"chat_id": id, "user_id": info.id}))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"]["status"], "administrator");
    assert_eq!(
        (v["result"]["can_post_messages"].as_bool(), v["result"]["can_edit_messages"].as_bool(), v["result"]["can_be_edited"].as_bool()),
        (Some(true), Some(false), Some(false))
    );
    assert!(v["result"].get("can_pin_messages").is_none(), "not a channel right");
    let (s, v) = answer(http.post(format!("{api}/getChatMember")).json(&json!({"chat_id": id}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: invalid user_id specified")));
    let (s, v) = answer(http.post(format!("{api}/getChat")).json(&json!({"chat_id": "@nobody_here"}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: chat not found")));

    let (s, v) = answer(http.post(format!("{api}/sendMessage")).form(&[
        ("chat_id", "@autohaus_offers"),
        ("text", "Opel Astra"),
        ("reply_markup", r#"{"inline_keyboard":[[{"text":"Book a test drive","callback_data":"td:7"}]]}"#),
    ]))
    .await;
    assert_eq!(s, 200, "{v}");
    let post = v["result"]["message_id"].as_i64().expect("id");
    assert!(v["result"].get("from").is_none());
    assert_eq!(v["result"]["sender_chat"]["id"].as_i64(), Some(id));

    // Rights change over HTTP.
    let (s, v) = answer(http.put(format!("{control}/bots/{}/channels/{id}", info.id)).json(&json!({"status": "member"}))).await;
    assert_eq!((s, v["bots"][0]["membership"]["status"].as_str()), (200, Some("member")));
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": id, "text": "x"}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: need administrator rights in the channel chat")));
    let (s, _) = answer(http.delete(format!("{control}/bots/{}/channels/{id}", info.id))).await;
    assert_eq!(s, 200);
    let (s, v) = answer(http.post(format!("{api}/sendMessage")).json(&json!({"chat_id": id, "text": "x"}))).await;
    assert_eq!((s, v["error_code"].as_i64(), v["description"].as_str()), (403, Some(403), Some("Forbidden: bot is not a member of the channel chat")));
    let (s, _) = answer(http.put(format!("{control}/bots/{}/channels/-5", info.id)).json(&json!({"status": "member"}))).await;
    assert_eq!(s, 404);
    let (s, _) = answer(
        http.put(format!("{control}/bots/{}/channels/{id}", info.id))
            .json(&json!({"status": "administrator", "can_post_messages": true, "can_delete_messages": true})),
    )
    .await;
    assert_eq!(s, 200);

    // Posts and the clock over HTTP.
    let (s, v) = answer(http.get(format!("{control}/channels/{id}/posts"))).await;
    assert_eq!(s, 200);
    let last = v.as_array().and_then(|a| a.last()).cloned().expect("a post");
    assert_eq!((last["message_id"].as_i64(), last["text"].as_str(), last["edits"].as_u64()), (Some(post), Some("Opel Astra"), Some(0)));
    assert_eq!(last["reply_markup"]["inline_keyboard"][0][0]["callback_data"], "td:7");
    let (_, v) = answer(http.get(format!("{control}/channels/{id}"))).await;
    assert_eq!(v["username"], "autohaus_offers");
    let (s, _) = answer(http.get(format!("{control}/channels/-1"))).await;
    assert_eq!(s, 404);

    let (_, before) = answer(http.get(format!("{control}/clock"))).await;
    assert_eq!(before["offset_seconds"], 0);
    let (s, after) = answer(http.post(format!("{control}/clock/advance")).json(&json!({"seconds": DELETE_WINDOW_SECS}))).await;
    assert_eq!((s, after["offset_seconds"].as_i64()), (200, Some(DELETE_WINDOW_SECS)));
    assert!(after["now"].as_i64() >= before["now"].as_i64().map(|n| n + DELETE_WINDOW_SECS));
    let (s, v) = answer(http.post(format!("{api}/deleteMessage")).json(&json!({"chat_id": id, "message_id": post}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: message can't be deleted")));
    let (s, v) = answer(http.post(format!("{api}/deleteMessage")).json(&json!({"chat_id": id, "message_id": 77}))).await;
    assert_eq!((s, v["description"].as_str()), (400, Some("Bad Request: message to delete not found")));
}

/// The hook the e2e tests have used so far keeps working.
#[tokio::test]
async fn create_channel_is_a_public_channel_with_every_right() {
    let (sb, url) = start().await;
    let info = sb.create_bot("post_motors_bot", "Post Motors");
    let id = sb.create_channel(info.id, "post_motors_news", "Post Motors news").expect("channel");
    assert!(sb.create_channel(info.id, "post_motors_news", "Again").is_none(), "usernames are unique");
    assert!(sb.create_channel(info.id + 1, "other_news", "No bot").is_none());
    client(&url, &info).send_message(Recipient::ChannelUsername("@post_motors_news".into()), "New trade-in offer").await.expect("post");
    let t = sb.transcript(info.id, id).expect("transcript");
    assert_eq!((t.user.id, t.user.first_name.as_str(), t.user.username.as_deref()), (id, "Post Motors news", Some("post_motors_news")));
    let texts: Vec<&str> = t.messages.iter().filter(|m| m.sender == tg_sandbox::Sender::Bot).filter_map(|m| m.message["text"].as_str()).collect();
    assert_eq!(texts, vec!["New trade-in offer"]);
    assert_eq!(sb.channel(id).expect("info").bots[0].membership, ChatMembership::Administrator(AdminRights::ALL));
}
