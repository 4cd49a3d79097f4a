//! The content calendar end to end over moto and the sandbox's channels:
//! connecting a channel checks the bot's rights; a post scheduled for
//! 10:00 Europe/Kyiv goes out once at the right instant on the day the
//! clocks change; near posts are warned about; a redelivered publish job
//! posts nothing twice and a crash between send and record leaves the post
//! "unknown"; a sold car's posts in two channels are edited once; posted
//! posts are edited, pinned and deleted within Telegram's 48 hours;
//! queued posts fill a channel's weekly slots (Mon/Wed/Fri 10:00 Kyiv),
//! skipping a slot a post set by hand has taken, and go out at them; a
//! post with auto-delete leaves the channel when its hours are up, once.

use cartie_domain::calendar::PostStatus;
use cartie_domain::jobs::Job;
use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};
use tg_sandbox::{AdminRights, ChatMembership, NewChannel};

fn at(rfc: &str) -> i64 {
    cartie_store::util::parse_rfc3339(rfc).expect("a time")
}

/// What the channel shows (service messages left out).
fn shown(s: &Stack, chat: i64) -> Vec<tg_sandbox::ChannelPost> {
    s.telegram.channel_posts(chat).expect("channel").into_iter().filter(|p| p.service.is_none() && !p.deleted).collect()
}

async fn connect(s: &Stack, owner: &str, bot_id: i64, chat: &str) -> Value {
    let r = s.call(Method::POST, "/api/channels", Some(owner), Some(json!({"bot_id": bot_id, "chat": chat}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

#[tokio::test]
async fn a_post_goes_out_once_at_ten_in_kyiv_on_the_day_the_clocks_change() {
    let s = Stack::new().await;
    // The day before the spring change (28 March 2027, 03:00 → 04:00 in Kyiv).
    cartie_store::clock::freeze_at(at("2027-03-27T12:00:00Z"));
    let (ws, owner) = s.workspace("Calendar Motors", "owner@calendar-motors.test").await;
    let bot = s.connect_bot(&owner, "CalendarMotorsBot").await;

    // A bot that is only a member cannot post: said so, in words, under `chat`.
    let chat =
        s.telegram.create_channel_with(bot.id, NewChannel::channel("Cars of Kyiv").username("kyiv_cars_cal").membership(ChatMembership::Member)).unwrap();
    let r = s.call(Method::POST, "/api/channels", Some(&owner), Some(json!({"bot_id": bot.id, "chat": "@kyiv_cars_cal"}))).await;
    assert_eq!((r.status, r.field(), r.code()), (StatusCode::UNPROCESSABLE_ENTITY, Some("chat"), Some("bot_not_admin")), "{}", r.body);
    let r = s.call(Method::POST, "/api/channels", Some(&owner), Some(json!({"bot_id": bot.id, "chat": "@no_such_channel"}))).await;
    assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("chat")), "{}", r.body);
    s.telegram.set_channel_membership(chat, bot.id, ChatMembership::Administrator(AdminRights::ALL)).unwrap();
    let c = connect(&s, &owner, bot.id, "@kyiv_cars_cal").await;
    assert_eq!((c["id"].as_i64(), c["problems"].as_array().map(Vec::len)), (Some(chat), Some(0)), "{c}");

    let post = |text: &str, send_at: &str| json!({"channel_id": chat, "content": {"text": text}, "send_at": send_at, "time_zone": "Europe/Kyiv"});
    let first = s.call(Method::POST, "/api/posts", Some(&owner), Some(post("Octavia at ten", "2027-03-28T10:00"))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!((first.body["due_at"].as_str(), first.body["status"].as_str()), (Some("2027-03-28T07:00:00Z"), Some("scheduled")), "{}", first.body);
    let id = first.body["id"].as_str().unwrap().to_string();

    // Twenty minutes later in the same channel: a warning, both kept.
    let near = s.call(Method::POST, "/api/posts", Some(&owner), Some(post("Passat at 10:20", "2027-03-28T10:20"))).await;
    assert_eq!(near.body["conflicts"], json!([id]), "{}", near.body);
    let near_id = near.body["id"].as_str().unwrap().to_string();
    assert_eq!(s.get(&format!("/api/posts/{id}"), &owner).await.body["conflicts"], json!([near_id]));

    // 03:30 does not exist that night: it goes at 04:00 (01:00 UTC), and says so.
    let gap = s.call(Method::POST, "/api/posts", Some(&owner), Some(post("Night owl", "2027-03-28T03:30"))).await;
    assert_eq!((gap.body["due_at"].as_str(), gap.body["dst_shift"].as_str()), (Some("2027-03-28T01:00:00Z"), Some("skipped_gap")), "{}", gap.body);
    let gap_id = gap.body["id"].as_str().unwrap().to_string();
    // Autumn: 03:30 on 31 October happens twice; the first is taken.
    let fold = s.call(Method::POST, "/api/posts", Some(&owner), Some(post("Autumn", "2027-10-31T03:30"))).await;
    assert_eq!((fold.body["due_at"].as_str(), fold.body["dst_shift"].as_str()), (Some("2027-10-31T00:30:00Z"), Some("first_of_two")), "{}", fold.body);

    // The calendar's range read shows them with their conflicts.
    let list = s.get("/api/posts?from=2027-03-28T00:00:00Z&to=2027-03-29T00:00:00Z", &owner).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(3), "{}", list.body);

    // A crash between send and record: the gap post was claimed and its
    // worker died. Its job comes again: "unknown", nothing sent.
    let claimed = s.app.store.post(&ws, &gap_id).await.unwrap().unwrap();
    s.app.store.save_post(&cartie_domain::calendar::ChannelPost { status: PostStatus::Publishing, ..claimed }).await.unwrap();
    s.run_due_at(at("2027-03-28T01:00:00Z")).await;
    let owner = s.fresh_token("owner@calendar-motors.test").await;
    let gap_now = s.get(&format!("/api/posts/{gap_id}"), &owner).await;
    assert_eq!(gap_now.body["status"], "unknown", "{}", gap_now.body);
    assert!(shown(&s, chat).is_empty(), "nothing was sent for the unknown post");

    // A minute early: nothing. At 07:00 UTC: once.
    s.run_due_at(at("2027-03-28T06:59:00Z")).await;
    assert!(shown(&s, chat).is_empty(), "not before its time");
    s.run_due_at(at("2027-03-28T07:00:00Z")).await;
    let owner = s.fresh_token("owner@calendar-motors.test").await;
    let out = shown(&s, chat);
    assert_eq!(out.iter().map(|p| p.text.clone().unwrap_or_default()).collect::<Vec<_>>(), ["Octavia at ten"]);
    let posted = s.get(&format!("/api/posts/{id}"), &owner).await;
    assert_eq!((posted.body["status"].as_str(), posted.body["message_ids"].as_array().map(Vec::len)), (Some("posted"), Some(1)), "{}", posted.body);

    // The job delivered again posts nothing twice.
    s.app.queues.send("jobs", &Job::PublishPost { workspace_id: ws.clone(), post_id: id.clone(), due_ms: at("2027-03-28T07:00:00Z") }).await.unwrap();
    s.drain_jobs().await;
    assert_eq!(shown(&s, chat).len(), 1);
    s.run_due_at(at("2027-03-28T07:20:00Z")).await;
    assert_eq!(shown(&s, chat).len(), 2, "the 10:20 post went out too");
    cartie_store::clock::resume();
}

#[tokio::test]
async fn a_sold_cars_posts_are_marked_once_and_posted_posts_are_edited_pinned_and_deleted() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Sold Motors", "owner@sold-motors.test").await;
    let bot = s.connect_bot(&owner, "SoldMotorsBot").await;
    let one = s.telegram.create_channel_with(bot.id, NewChannel::channel("Sold One").username("sold_one_cal")).unwrap();
    let two = s.telegram.create_channel_with(bot.id, NewChannel::channel("Sold Two").username("sold_two_cal")).unwrap();
    connect(&s, &owner, bot.id, "@sold_one_cal").await;
    connect(&s, &owner, bot.id, &two.to_string()).await;

    let car = s
        .call(
            Method::POST,
            "/api/inventory",
            Some(&owner),
            Some(json!({"make": "Škoda", "model": "Octavia", "year": 2019, "price": 12500, "currency": "USD", "mileage": 85000, "mileage_unit": "km", "status": "available"})),
        )
        .await;
    let car_id = car.body["id"].as_str().unwrap().to_string();
    let t =
        s.call(Method::POST, "/api/post-templates", Some(&owner), Some(json!({"name": "Car", "content": {"text": "{make} {model} {year} — {price}"}}))).await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);
    let template_id = t.body["id"].as_str().unwrap();
    let mut posts = Vec::new();
    for chat in [one, two] {
        let p = s.call(Method::POST, "/api/posts", Some(&owner), Some(json!({"channel_id": chat, "template_id": template_id, "car_id": car_id}))).await;
        assert_eq!((p.status, p.body["status"].as_str()), (StatusCode::CREATED, Some("draft")), "{}", p.body);
        assert_eq!(p.body["content"]["text"], "Škoda Octavia 2019 — 12\u{a0}500 USD");
        let id = p.body["id"].as_str().unwrap().to_string();
        let r = s.call(Method::POST, &format!("/api/posts/{id}/publish"), Some(&owner), None).await;
        assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("posted")), "{}", r.body);
        posts.push(id);
    }
    assert_eq!(shown(&s, one)[0].text.as_deref(), Some("Škoda Octavia 2019 — 12\u{a0}500 USD"));

    // Sold: both posts edited with the label, once, even when the job comes twice.
    let mut sold = car.body.clone();
    sold["status"] = json!("sold");
    let r = s.call(Method::PUT, &format!("/api/inventory/{car_id}"), Some(&owner), Some(sold)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    s.drain_jobs().await;
    s.app.queues.send("jobs", &Job::CarSold { workspace_id: ws.clone(), car_id: car_id.clone() }).await.unwrap();
    s.drain_jobs().await;
    for chat in [one, two] {
        let p = &shown(&s, chat)[0];
        assert_eq!((p.text.as_deref(), p.edits), (Some("SOLD\nŠkoda Octavia 2019 — 12\u{a0}500 USD"), 1), "channel {chat}");
    }
    for id in &posts {
        assert_eq!(s.get(&format!("/api/posts/{id}"), &owner).await.body["sold_action"], "edit");
    }

    // A posted post: edited, pinned, deleted (within 48 h), or refused after.
    let p = s.call(Method::POST, "/api/posts", Some(&owner), Some(json!({"channel_id": one, "content": {"text": "Weekend offers"}}))).await;
    let id = p.body["id"].as_str().unwrap().to_string();
    s.call(Method::POST, &format!("/api/posts/{id}/publish"), Some(&owner), None).await;
    let r = s.call(Method::POST, &format!("/api/posts/{id}/edit"), Some(&owner), Some(json!({"text": "Weekend offers: -5%"}))).await;
    assert_eq!((r.status, r.body["content"]["text"].as_str()), (StatusCode::OK, Some("Weekend offers: -5%")), "{}", r.body);
    let r = s.call(Method::POST, &format!("/api/posts/{id}/pin"), Some(&owner), None).await;
    assert_eq!((r.status, r.body["pinned"].as_bool()), (StatusCode::OK, Some(true)), "{}", r.body);
    assert!(shown(&s, one).iter().any(|m| m.pinned && m.text.as_deref() == Some("Weekend offers: -5%")));
    let r = s.call(Method::DELETE, &format!("/api/posts/{id}"), Some(&owner), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(!shown(&s, one).iter().any(|m| m.text.as_deref() == Some("Weekend offers: -5%")), "deleted in the channel");

    let old = s.call(Method::POST, "/api/posts", Some(&owner), Some(json!({"channel_id": one, "content": {"text": "Old news"}}))).await;
    let old_id = old.body["id"].as_str().unwrap().to_string();
    s.call(Method::POST, &format!("/api/posts/{old_id}/publish"), Some(&owner), None).await;
    cartie_store::clock::freeze();
    cartie_store::clock::advance(49 * 3600 * 1000);
    s.telegram.advance_clock(std::time::Duration::from_secs(49 * 3600));
    let owner = s.fresh_token("owner@sold-motors.test").await;
    let r = s.call(Method::DELETE, &format!("/api/posts/{old_id}"), Some(&owner), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body["error"]["message"].as_str().is_some_and(|m| m.contains("48 hours")), "{}", r.body);

    // Bad input names its field and changes nothing.
    for (body, field) in [
        (json!({"channel_id": 1, "content": {"text": "x"}}), "channel_id"),
        (json!({"channel_id": one, "content": {"text": ""}}), "content.text"),
        (json!({"channel_id": one, "content": {"text": "x"}, "send_at": "soon"}), "send_at"),
        (json!({"channel_id": one, "content": {"text": "x"}, "time_zone": "Mars/Base"}), "time_zone"),
        (json!({"channel_id": one, "content": {"text": "x"}, "auto_delete_hours": 48}), "auto_delete_hours"),
    ] {
        let r = s.call(Method::POST, "/api/posts", Some(&owner), Some(body)).await;
        assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{}", r.body);
    }
    cartie_store::clock::resume();
}

#[tokio::test]
async fn queued_posts_fill_the_channels_next_free_slots_and_go_out_at_them() {
    let s = Stack::new().await;
    // Saturday 16 January 2027, 14:00 in Kyiv (winter: UTC+2).
    cartie_store::clock::freeze_at(at("2027-01-16T12:00:00Z"));
    let (_ws, owner) = s.workspace("Queue Motors", "owner@queue-motors.test").await;
    let bot = s.connect_bot(&owner, "QueueMotorsBot").await;
    let chat = s.telegram.create_channel_with(bot.id, NewChannel::channel("Queue Cars").username("queue_cars_cal")).unwrap();
    let bare = s.telegram.create_channel_with(bot.id, NewChannel::channel("No Slots").username("no_slots_cal")).unwrap();
    connect(&s, &owner, bot.id, "@queue_cars_cal").await;
    connect(&s, &owner, bot.id, "@no_slots_cal").await;

    // Bad slots name their field; a channel of another workspace (or none) is not found.
    let slots_path = format!("/api/channels/{chat}/slots");
    for (body, field) in [
        (json!({"slots": [{"days": ["mon"], "time": "25:00"}]}), "slots[0].time"),
        (json!({"slots": [{"days": [], "time": "10:00"}]}), "slots[0].days"),
        (json!({"time_zone": "Mars/Base", "slots": [{"days": ["mon"], "time": "10:00"}]}), "time_zone"),
    ] {
        let r = s.call(Method::PUT, &slots_path, Some(&owner), Some(body)).await;
        assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{}", r.body);
    }
    let r = s.call(Method::PUT, "/api/channels/-100999/slots", Some(&owner), Some(json!({"slots": []}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    // Mon, Wed, Fri at 10:00 in Kyiv (the workspace's zone when none is named).
    let r = s.call(Method::PUT, &slots_path, Some(&owner), Some(json!({"slots": [{"days": ["fri", "mon", "wed"], "time": "10:00"}]}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["slots"].clone(), r.body["slot_time_zone"].as_str()), (json!([{"days": ["mon", "wed", "fri"], "time": "10:00"}]), Some("Europe/Kyiv")));
    let next: Vec<&str> = r.body["next_slots"].as_array().unwrap().iter().filter_map(|n| n["at"].as_str()).collect();
    assert_eq!(next, ["2027-01-18T08:00:00Z", "2027-01-20T08:00:00Z", "2027-01-22T08:00:00Z", "2027-01-25T08:00:00Z", "2027-01-27T08:00:00Z"]);
    assert_eq!(r.body["next_slots"][0]["local"], "2027-01-18T10:00");

    // Three queued posts: the next Monday, Wednesday and Friday at 10:00 Kyiv
    // (08:00 UTC), in the slots' zone whatever the request says; a fourth:
    // the Monday after.
    let queue = |text: &str| json!({"channel_id": chat, "content": {"text": text}, "queue": true, "time_zone": "UTC"});
    let mut ids = Vec::new();
    for (text, due, local) in [
        ("Queued one", "2027-01-18T08:00:00Z", "2027-01-18T10:00"),
        ("Queued two", "2027-01-20T08:00:00Z", "2027-01-20T10:00"),
        ("Queued three", "2027-01-22T08:00:00Z", "2027-01-22T10:00"),
        ("Queued four", "2027-01-25T08:00:00Z", "2027-01-25T10:00"),
    ] {
        let p = s.call(Method::POST, "/api/posts", Some(&owner), Some(queue(text))).await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
        assert_eq!(
            (p.body["status"].as_str(), p.body["due_at"].as_str(), p.body["send_at"].as_str(), p.body["time_zone"].as_str()),
            (Some("scheduled"), Some(due), Some(local), Some("Europe/Kyiv")),
            "{}",
            p.body
        );
        assert_eq!(p.body["conflicts"], json!([]), "{}", p.body);
        ids.push(p.body["id"].as_str().unwrap().to_string());
    }

    // A post set by hand at the next free slot (Wednesday the 27th) takes it: the queue skips it.
    let by_hand = s
        .call(Method::POST, "/api/posts", Some(&owner), Some(json!({"channel_id": chat, "content": {"text": "By hand"}, "send_at": "2027-01-27T10:00"})))
        .await;
    assert_eq!(by_hand.body["due_at"], "2027-01-27T08:00:00Z", "{}", by_hand.body);
    let fifth = s.call(Method::POST, "/api/posts", Some(&owner), Some(queue("Queued five"))).await;
    assert_eq!(fifth.body["due_at"], "2027-01-29T08:00:00Z", "{}", fifth.body);
    // The channel list shows the slots and what is free now.
    let list = s.get("/api/channels", &owner).await;
    let queued = list.body["items"].as_array().unwrap().iter().find(|c| c["id"] == json!(chat)).unwrap().clone();
    assert_eq!(
        (queued["next_slots"][0]["at"].as_str(), queued["slots"][0]["days"].clone()),
        (Some("2027-02-01T08:00:00Z"), json!(["mon", "wed", "fri"])),
        "{queued}"
    );

    // No slots, or a time as well: refused under `queue`, nothing made.
    let r = s.call(Method::POST, "/api/posts", Some(&owner), Some(json!({"channel_id": bare, "content": {"text": "x"}, "queue": true}))).await;
    assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("queue")), "{}", r.body);
    assert!(r.body["error"]["message"].as_str().is_some_and(|m| m.contains("no posting slots")), "{}", r.body);
    let r = s
        .call(
            Method::POST,
            "/api/posts",
            Some(&owner),
            Some(json!({"channel_id": chat, "content": {"text": "x"}, "queue": true, "send_at": "2027-02-02T10:00"})),
        )
        .await;
    assert_eq!((r.status, r.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("queue")), "{}", r.body);

    // Monday 10:00 in Kyiv comes: exactly one post goes out, the first queued.
    s.run_due_at(at("2027-01-18T07:59:00Z")).await;
    assert!(shown(&s, chat).is_empty(), "not before its slot");
    s.run_due_at(at("2027-01-18T08:00:00Z")).await;
    let out = shown(&s, chat);
    assert_eq!(out.iter().map(|p| p.text.clone().unwrap_or_default()).collect::<Vec<_>>(), ["Queued one"]);
    let owner = s.fresh_token("owner@queue-motors.test").await;
    let first = s.get(&format!("/api/posts/{}", ids[0]), &owner).await;
    assert_eq!(first.body["status"], "posted", "{}", first.body);
    assert_eq!(s.get(&format!("/api/posts/{}", ids[1]), &owner).await.body["status"], "scheduled");
    cartie_store::clock::resume();
}

#[tokio::test]
async fn a_post_is_deleted_from_the_channel_when_its_hours_are_up_once() {
    let s = Stack::new().await;
    // Hours ahead (a post due within 15 minutes waits on the queue with a delay instead).
    cartie_store::clock::freeze_at(at("2027-02-01T06:00:00Z"));
    let (ws, owner) = s.workspace("Fleeting Motors", "owner@fleeting-motors.test").await;
    let bot = s.connect_bot(&owner, "FleetingMotorsBot").await;
    let chat = s.telegram.create_channel_with(bot.id, NewChannel::channel("Fleeting").username("fleeting_cal")).unwrap();
    connect(&s, &owner, bot.id, "@fleeting_cal").await;

    // At 11:10 in Kyiv (09:10 UTC), deleted two hours after it goes out.
    let p = s
        .call(
            Method::POST,
            "/api/posts",
            Some(&owner),
            Some(json!({"channel_id": chat, "content": {"text": "Today only"}, "send_at": "2027-02-01T11:10", "auto_delete_hours": 2})),
        )
        .await;
    assert_eq!((p.status, p.body["auto_delete_hours"].as_u64()), (StatusCode::CREATED, Some(2)), "{}", p.body);
    let id = p.body["id"].as_str().unwrap().to_string();
    s.run_due_at(at("2027-02-01T09:10:00Z")).await;
    assert_eq!(shown(&s, chat).iter().map(|m| m.text.clone().unwrap_or_default()).collect::<Vec<_>>(), ["Today only"]);
    let posted = s.get(&format!("/api/posts/{id}"), &owner).await;
    assert_eq!(
        (posted.body["status"].as_str(), posted.body["auto_delete_hours"].as_u64(), posted.body["auto_delete_at"].as_str()),
        (Some("posted"), Some(2), Some("2027-02-01T11:10:00Z")),
        "{}",
        posted.body
    );

    // A minute before its hours are up it is still there; then it is gone, and says so.
    s.telegram.advance_clock(std::time::Duration::from_secs(2 * 3600));
    s.run_due_at(at("2027-02-01T11:09:00Z")).await;
    assert_eq!(shown(&s, chat).len(), 1, "not before its time");
    s.run_due_at(at("2027-02-01T11:10:00Z")).await;
    assert!(shown(&s, chat).is_empty(), "deleted from the channel");
    let gone = s.get(&format!("/api/posts/{id}"), &owner).await;
    assert_eq!(gone.body["status"], "deleted", "{}", gone.body);

    // Due work again (and the job delivered again) changes nothing.
    s.app.queues.send("jobs", &Job::AutoDeletePost { workspace_id: ws.clone(), post_id: id.clone(), at_ms: at("2027-02-01T11:10:00Z") }).await.unwrap();
    s.run_due_at(at("2027-02-01T11:30:00Z")).await;
    let again = s.get(&format!("/api/posts/{id}"), &owner).await;
    assert_eq!((again.body["status"].as_str(), again.body["updated_at"].as_str()), (Some("deleted"), gone.body["updated_at"].as_str()), "{}", again.body);
    let all = s.telegram.channel_posts(chat).unwrap().into_iter().filter(|m| m.service.is_none()).collect::<Vec<_>>();
    assert_eq!((all.len(), all[0].deleted), (1, true), "one message, deleted once");
    cartie_store::clock::resume();
}
