//! The file store end to end against moto's S3: uploads go straight to the
//! bucket through presigned URLs, completion checks the stored bytes (size,
//! type by content), variants are made by the jobs worker without
//! metadata, another workspace's file can be neither read nor attached, a
//! car's uploaded photo reaches the Mini App and the bot, Inbox replies
//! carry files over API Gateway's 10 MB, and exports get a link.

use cartie_e2e::{fetch, put_upload, Method, Stack, StatusCode};
use serde_json::{json, Value};
use tg_sandbox::{UserMessage, UserRef};

/// A JPEG photo of `w`×`h` pixels whose EXIF says "turn me 90° clockwise"
/// and "taken at 50°27' N" (a GPS position, as phones write it).
fn phone_photo(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 90]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&img).expect("encode");
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    let entry = |tag: u16, kind: u16, count: u32, value: u32| -> Vec<u8> {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    // IFD0 at 8: orientation and the GPS IFD's offset (38).
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, 6));
    tiff.extend(entry(0x8825, 4, 1, 38));
    tiff.extend(0u32.to_le_bytes());
    // GPS IFD at 38: latitude ref "N" and the latitude's three rationals at 68.
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, 68));
    tiff.extend(0u32.to_le_bytes());
    for (n, d) in [(50u32, 1u32), (27, 1), (0, 1)] {
        tiff.extend(n.to_le_bytes());
        tiff.extend(d.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

fn has_exif(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"Exif\0\0")
}

fn car(photos: Value) -> Value {
    json!({"make": "BMW", "model": "X3", "year": 2021, "price": 28000, "currency": "EUR", "mileage": 20000, "mileage_unit": "km",
           "vin": null, "fuel": "diesel", "transmission": "automatic", "body": null, "color": null, "photos": photos,
           "description": null, "status": "available", "source_url": null})
}

fn id(a: &cartie_e2e::Answer) -> String {
    a.body["id"].as_str().unwrap_or_else(|| panic!("no id in {}", a.body)).to_string()
}

/// The `expiry` tag the lifecycle rules act on.
async fn tag(s: &Stack, key: &str) -> String {
    let tags = s.app.aws.s3.get_object_tagging().bucket(&s.app.settings.files_bucket).key(key).send().await.expect("tags");
    tags.tag_set().iter().find(|t| t.key() == "expiry").map(|t| t.value().to_string()).unwrap_or_default()
}

async fn object_exists(s: &Stack, key: &str) -> bool {
    s.app.aws.s3.head_object().bucket(&s.app.settings.files_bucket).key(key).send().await.is_ok()
}

#[tokio::test]
async fn an_upload_goes_straight_to_the_bucket_and_is_checked_when_it_completes() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Upload Motors", "owner@upload.test").await;
    let viewer = s.member(&owner, "viewer@upload.test", "viewer").await;
    let photo = phone_photo(64, 48);

    let started = s.start_upload(&owner, "car_photo", "IMG_0042.jpg", "image/jpeg", photo.len()).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let file_id = started.body["file"]["id"].as_str().expect("id").to_string();
    assert_eq!(started.body["file"]["status"], "pending");
    let url = started.body["upload"]["url"].as_str().expect("url");
    assert!(url.contains(&format!("/{ws}/{file_id}/")), "the object key starts with the workspace id: {url}");
    assert!(url.contains("X-Amz-Expires=900"), "the upload URL lives 15 minutes: {url}");
    let signed = url.split("X-Amz-SignedHeaders=").nth(1).and_then(|s| s.split('&').next()).unwrap_or_default();
    assert_eq!(signed, "content-length%3Bcontent-type%3Bhost%3Bx-amz-tagging", "S3 refuses another size, type or tag: {url}");
    assert_eq!(started.body["upload"]["headers"]["x-amz-tagging"], "expiry=1d", "born tagged for the abandoned-uploads rule");
    // Viewers read; only managers upload.
    assert_eq!(s.start_upload(&viewer, "car_photo", "a.jpg", "image/jpeg", 10).await.status, StatusCode::FORBIDDEN);

    // Completing before the bytes arrive says so and changes nothing.
    let early = s.call(Method::POST, &format!("/api/files/{file_id}/complete"), Some(&owner), None).await;
    assert_eq!((early.status, early.code()), (StatusCode::CONFLICT, Some("not_uploaded")), "{}", early.body);

    // The bytes go to the bucket, not through the app.
    let before = s.calls.snapshot();
    assert!(put_upload(&started.body, photo.clone()).await.is_success());
    assert!(s.calls.since(&before, &[]).is_empty(), "the app made no call for the PUT");
    let done = s.call(Method::POST, &format!("/api/files/{file_id}/complete"), Some(&owner), None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!((done.body["status"].as_str(), done.body["content_type"].as_str()), (Some("ready"), Some("image/jpeg")));
    assert_eq!(done.body["size"], photo.len());
    // Completion reads the size, then only the first bytes.
    let costs = s.calls.since(&before, &[]);
    assert_eq!(costs.get("S3.HeadObject"), Some(&1), "{costs:?}");
    assert_eq!(costs.get("S3.GetObject"), Some(&1), "one ranged GET: {costs:?}");
    let again = s.call(Method::POST, &format!("/api/files/{file_id}/complete"), Some(&owner), None).await;
    assert_eq!((again.status, again.body["id"].as_str()), (StatusCode::OK, Some(file_id.as_str())), "completing twice answers the same file");

    // A viewer gets a short-lived download link that works without a token.
    let got = s.get(&format!("/api/files/{file_id}"), &viewer).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    let link = got.body["download_url"].as_str().expect("download link");
    assert!(link.contains("X-Amz-Expires=300") && link.contains("attachment"), "{link}");
    assert_eq!(fetch(link).await, (StatusCode::OK, photo.clone()));
    // Under the API: one record under the workspace, one object under its id.
    let records = s.raw_items().await.into_iter().filter(|i| i["SK"].as_s().is_ok_and(|sk| sk.starts_with("FILE#"))).count();
    assert_eq!(records, 1);
    assert!(object_exists(&s, &format!("{ws}/{file_id}/original")).await);
    assert_eq!(tag(&s, &format!("{ws}/{file_id}/original")).await, "7d", "a photo no car has taken yet goes in a week (no longer 1d)");
    assert!(done.body["expires_at"].is_string());

    // Deleting takes the object with it.
    assert_eq!(s.call(Method::DELETE, &format!("/api/files/{file_id}"), Some(&owner), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&format!("/api/files/{file_id}"), &owner).await.status, StatusCode::NOT_FOUND);
    assert!(!object_exists(&s, &format!("{ws}/{file_id}/original")).await);
}

#[tokio::test]
async fn the_content_decides_the_type_and_the_size_is_limited() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Check Motors", "owner@check.test").await;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    exe.extend(vec![0u8; 2000]);
    let page = b"<!DOCTYPE html><html><body><script>fetch('/api/auth/me')</script></body></html>".to_vec();
    for (purpose, name, declared, bytes) in [
        ("car_photo", "car.jpg", "image/jpeg", exe.clone()),
        ("car_photo", "car.jpg", "image/jpeg", page.clone()),
        ("inbox_attachment", "car.jpg", "image/jpeg", page.clone()),
    ] {
        let started = s.start_upload(&owner, purpose, name, declared, bytes.len()).await;
        let file_id = started.body["file"]["id"].as_str().expect("id").to_string();
        assert!(put_upload(&started.body, bytes).await.is_success());
        let a = s.call(Method::POST, &format!("/api/files/{file_id}/complete"), Some(&owner), None).await;
        assert_eq!((a.status, a.code(), a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("file_refused"), Some("file")), "{purpose} {}", a.body);
        assert!(!object_exists(&s, &format!("{ws}/{file_id}/original")).await, "refused bytes are deleted");
        assert_eq!(s.get(&format!("/api/files/{file_id}"), &owner).await.status, StatusCode::NOT_FOUND);
    }

    // Declared sizes are checked against the purpose before any upload.
    let a = s.start_upload(&owner, "car_photo", "huge.jpg", "image/jpeg", 21 * 1024 * 1024).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("size")), "{}", a.body);
    let a = s.start_upload(&owner, "inbox_attachment", "huge.mp4", "video/mp4", 50 * 1024 * 1024 + 1).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("size")), "{}", a.body);
    let a = s.start_upload(&owner, "car_photo", "car.gif", "image/gif", 100).await;
    assert_eq!(a.field(), Some("content_type"));
    let a = s.start_upload(&owner, "export", "stock.csv", "text/csv", 100).await;
    assert_eq!(a.field(), Some("purpose"), "exports are written by Cartie, not uploaded");
    // And the stored size against the declared one (S3 enforces the signed
    // length itself; moto does not, so the completion check is what counts here).
    let photo = phone_photo(32, 32);
    let started = s.start_upload(&owner, "car_photo", "car.jpg", "image/jpeg", 100).await;
    assert!(put_upload(&started.body, photo).await.is_success());
    let file_id = started.body["file"]["id"].as_str().expect("id");
    let a = s.call(Method::POST, &format!("/api/files/{file_id}/complete"), Some(&owner), None).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("size")), "{}", a.body);
}

#[tokio::test]
async fn another_workspace_can_neither_read_nor_attach_a_file() {
    let s = Stack::new().await;
    let (_a, owner) = s.workspace("Mine Motors", "owner@mine.test").await;
    let (_b, other) = s.workspace("Theirs Motors", "owner@theirs.test").await;
    let done = s.upload(&owner, "car_photo", "x5.jpg", "image/jpeg", &phone_photo(40, 30)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let file_id = id(&done);

    for (method, path) in [
        (Method::GET, format!("/api/files/{file_id}")),
        (Method::POST, format!("/api/files/{file_id}/complete")),
        (Method::DELETE, format!("/api/files/{file_id}")),
    ] {
        let a = s.call(method.clone(), &path, Some(&other), None).await;
        assert_eq!((a.status, a.field()), (StatusCode::NOT_FOUND, Some("file_id")), "{method} {path}: {}", a.body);
    }
    // Attaching it to their car: not a photo of their workspace.
    let a = s.call(Method::POST, "/api/inventory", Some(&other), Some(car(json!([{"file_id": file_id}])))).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("photos[0]")), "{}", a.body);
    // Sending it from their Inbox: not found either.
    let bot = s.connect_bot(&other, "TheirsBot").await;
    s.telegram.user_sends(bot.id, UserMessage::text(UserRef { id: 5, first_name: "Bo".into(), ..Default::default() }, "hi")).await.unwrap();
    s.drain_updates().await;
    let a = s
        .call(Method::POST, &format!("/api/inbox/conversations/{}:5/messages", bot.id), Some(&other), Some(json!({"kind": "photo", "upload_id": file_id})))
        .await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("upload_id")), "{}", a.body);
    assert!(s.telegram.outbox(bot.id, Some(5)).is_empty(), "nothing reached Telegram");
    // Malformed ids are simply not found.
    assert_eq!(s.get("/api/files/..%2F..%2Fetc", &owner).await.status, StatusCode::NOT_FOUND);
    // Still there, still the owner's.
    let mine = s.get(&format!("/api/files/{file_id}"), &owner).await;
    assert_eq!((mine.status, mine.body["status"].as_str()), (StatusCode::OK, Some("ready")));
}

#[tokio::test]
async fn the_job_makes_upright_variants_without_metadata_and_can_run_twice() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Variant Motors", "owner@variant.test").await;
    let original = phone_photo(1600, 1200);
    assert!(has_exif(&original));
    let done = s.upload(&owner, "car_photo", "IMG_1.jpg", "image/jpeg", &original).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let file_id = id(&done);
    assert_eq!(done.body["variants"], json!([]), "made off the request path");
    assert_eq!(s.drain_jobs().await, 1);

    let f = s.get(&format!("/api/files/{file_id}"), &owner).await;
    assert_eq!(f.body["variants"], json!(["thumb", "large"]), "{}", f.body);
    for (link, (w, h)) in [("thumb_url", (240, 320)), ("large_url", (960, 1280))] {
        let (status, bytes) = fetch(f.body[link].as_str().expect("link")).await;
        assert_eq!(status, StatusCode::OK);
        let img = image::load_from_memory(&bytes).expect("a JPEG");
        assert_eq!((img.width(), img.height()), (w, h), "{link}: 1600×1200 turned upright by its EXIF orientation, then fitted");
        assert!(!has_exif(&bytes), "{link} carries no EXIF (no GPS position)");
    }
    assert_eq!(tag(&s, &format!("{ws}/{file_id}/w320.jpg")).await, "7d", "no car has it yet: it goes with the photo");
    // The original keeps what the dealer uploaded.
    let (_, kept) = fetch(f.body["download_url"].as_str().unwrap()).await;
    assert_eq!(kept, original);

    // Run again (a redelivered message, a second completion): same result.
    let a = s.call(Method::POST, &format!("/api/files/{file_id}/complete"), Some(&owner), None).await;
    assert_eq!(a.status, StatusCode::OK);
    let job = cartie_domain::jobs::Job::MakeVariants { workspace_id: ws.clone(), file_id: file_id.clone() };
    s.app.queues.send("jobs", &job).await.unwrap();
    s.drain_jobs().await;
    let again = s.get(&format!("/api/files/{file_id}"), &owner).await;
    assert_eq!(again.body["variants"], json!(["thumb", "large"]));
    assert!(object_exists(&s, &format!("{ws}/{file_id}/w320.jpg")).await && object_exists(&s, &format!("{ws}/{file_id}/w1280.jpg")).await);
}

#[tokio::test]
async fn an_uploaded_car_photo_shows_in_inventory_the_mini_app_and_the_bot() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Photo Motors", "owner@photo.test").await;
    let slug = s.get("/api/workspace", &owner).await.body["slug"].as_str().expect("slug").to_string();
    let done = s.upload(&owner, "car_photo", "x3.jpg", "image/jpeg", &phone_photo(800, 600)).await;
    let file_id = id(&done);
    let listing = s.call(Method::POST, "/api/inventory", Some(&owner), Some(car(json!([{"file_id": file_id}, "https://cdn.dealer.test/x3-2.jpg"])))).await;
    assert_eq!(listing.status, StatusCode::CREATED, "{}", listing.body);
    let car_id = id(&listing);
    assert_eq!(listing.body["photos"], json!([{"file_id": file_id}, "https://cdn.dealer.test/x3-2.jpg"]), "URL photos keep working beside uploads");
    // The team sees the original until the variants exist; buyers do not.
    let team_link = listing.body["photo_links"][0]["thumb"].as_str().expect("team link").to_string();
    assert_eq!(fetch(&team_link).await.0, StatusCode::OK);
    let shop = s.call(Method::GET, &format!("/api/miniapp/{slug}/cars/{car_id}"), None, None).await;
    assert_eq!(shop.body["photos"], json!(["https://cdn.dealer.test/x3-2.jpg"]), "no original for buyers: {}", shop.body);

    s.drain_jobs().await;
    // On a car, the photo and its variants are kept (no expiry).
    for object in ["original", "w320.jpg", "w1280.jpg"] {
        assert_eq!(tag(&s, &format!("{ws}/{file_id}/{object}")).await, "none", "{object}");
    }
    let f = s.get(&format!("/api/files/{file_id}"), &owner).await;
    assert!(f.body["expires_at"].is_null(), "{}", f.body);
    let list = s.call(Method::GET, &format!("/api/miniapp/{slug}"), None, None).await;
    let cover = list.body["items"][0]["thumbs"][0].as_str().expect("cover thumbnail").to_string();
    assert!(cover.contains("/w320.jpg"), "{cover}");
    let (status, bytes) = fetch(&cover).await;
    assert_eq!(status, StatusCode::OK, "the Mini App's link works without a login");
    assert_eq!(image::load_from_memory(&bytes).map(|i| i.width().max(i.height())).ok(), Some(320));
    let page = s.call(Method::GET, &format!("/api/miniapp/{slug}/cars/{car_id}"), None, None).await;
    let large = page.body["photos"][0].as_str().expect("large link").to_string();
    assert!(large.contains("/w1280.jpg") && large.contains("X-Amz-Expires="), "{large}");
    assert_eq!(page.body["photos"][1], "https://cdn.dealer.test/x3-2.jpg");
    let view = s.get(&format!("/api/inventory/{car_id}"), &owner).await;
    assert!(view.body["photo_links"][0]["full"].as_str().unwrap_or_default().contains("/w1280.jpg"), "{}", view.body);

    // The bot's car card: the photo read from the file store and uploaded
    // to Telegram once, then re-sent by Telegram's file_id.
    let bot = s.connect_bot(&owner, "PhotoMotorsBot").await;
    let a = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Catalog", "template": "catalog_search"}))).await;
    let scenario = id(&a);
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{scenario}/publish"), Some(&owner), None).await.status, StatusCode::OK);
    let says = |user: i64, text: &'static str| {
        let s = &s;
        async move {
            s.telegram.user_sends(bot.id, UserMessage::text(UserRef { id: user, first_name: "Buyer".into(), ..Default::default() }, text)).await.unwrap();
            s.drain_updates().await;
        }
    };
    let before = s.calls.snapshot();
    for text in ["stock", "BMW", "30000"] {
        says(7, text).await;
    }
    let first_costs = s.calls.since(&before, &[]);
    assert_eq!(first_costs.get("S3.GetObject"), Some(&1), "the photo read once from the store: {first_costs:?}");
    let card = |user: i64| {
        s.telegram
            .outbox(bot.id, Some(user))
            .into_iter()
            .find(|m| m.method == "sendPhoto" && m.message["caption"].as_str().unwrap_or_default().contains("BMW X3"))
            .unwrap_or_else(|| panic!("no photo card for {user}"))
    };
    let first = card(7);
    let tg_file = first.message["photo"].as_array().and_then(|p| p.last()).and_then(|p| p["file_id"].as_str()).expect("file id").to_string();
    // What Telegram got is the large variant, not the original with its GPS.
    let got = s
        .send(
            http::Request::get(format!("/api/inbox/files/{}/{tg_file}", bot.id))
                .header("authorization", format!("Bearer {owner}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    let (_, variant) = fetch(&large).await;
    assert_eq!((got.status, got.raw == variant), (StatusCode::OK, true), "the bytes sent are the 1280 px variant");
    let before = s.calls.snapshot();
    for text in ["stock", "BMW", "30000"] {
        says(8, text).await;
    }
    assert_eq!(s.calls.since(&before, &[]).get("S3.GetObject"), None, "the second card re-uses Telegram's file_id");
    let second = card(8);
    let unique =
        |m: &tg_sandbox::SentMessage| m.message["photo"].as_array().and_then(|p| p.last()).and_then(|p| p["file_unique_id"].as_str()).map(String::from);
    assert_eq!(unique(&first), unique(&second));

    // Dropping the photo from the car deletes it from the store.
    let a = s.call(Method::PUT, &format!("/api/inventory/{car_id}"), Some(&owner), Some(car(json!(["https://cdn.dealer.test/x3-2.jpg"])))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(s.get(&format!("/api/files/{file_id}"), &owner).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_photo_belongs_to_one_car() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Owner Motors", "owner@owner.test").await;
    let file_id = id(&s.upload(&owner, "car_photo", "a.jpg", "image/jpeg", &phone_photo(40, 30)).await);
    let first = s.call(Method::POST, "/api/inventory", Some(&owner), Some(car(json!([{"file_id": file_id}])))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let second = s.call(Method::POST, "/api/inventory", Some(&owner), Some(car(json!([{"file_id": file_id}])))).await;
    assert_eq!((second.status, second.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("photos[0]")), "{}", second.body);
    // An Inbox attachment is not a car photo.
    let doc = s.upload(&owner, "inbox_attachment", "contract.pdf", "application/pdf", b"%PDF-1.7 contract").await;
    let a = s.call(Method::POST, "/api/inventory", Some(&owner), Some(car(json!([{"file_id": id(&doc)}])))).await;
    assert_eq!(a.field(), Some("photos[0]"));
    // Deleting the car deletes its uploaded photos.
    assert_eq!(s.call(Method::DELETE, &format!("/api/inventory/{}", id(&first)), Some(&owner), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&format!("/api/files/{file_id}"), &owner).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn inbox_replies_carry_files_over_ten_megabytes() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Big Motors", "owner@big.test").await;
    let bot = s.connect_bot(&owner, "BigMotorsBot").await;
    s.telegram.user_sends(bot.id, UserMessage::text(UserRef { id: 9, first_name: "Vic".into(), ..Default::default() }, "a video please")).await.unwrap();
    s.drain_updates().await;
    // 12 MB: over API Gateway's 10 MB request limit, under Telegram's 50 MB.
    let mut video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    video.extend((0..12 * 1024 * 1024).map(|i| (i % 251) as u8));
    let done = s.upload(&owner, "inbox_attachment", "walkaround.mp4", "video/mp4", &video).await;
    assert_eq!((done.status, done.body["content_type"].as_str()), (StatusCode::OK, Some("video/mp4")), "{}", done.body);
    let path = format!("/api/inbox/conversations/{}:9/messages", bot.id);
    let a = s.call(Method::POST, &path, Some(&owner), Some(json!({"kind": "video", "upload_id": id(&done), "caption": "The walkaround"}))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["kind"], "video");
    let sent = s.telegram.outbox(bot.id, Some(9));
    assert_eq!(sent.last().map(|m| m.method.as_str()), Some("sendVideo"));
    assert_eq!(sent.last().and_then(|m| m.message["video"]["file_size"].as_u64()), Some(video.len() as u64), "every byte reached Telegram");
    // A kind the content does not fit is refused before Telegram.
    let a = s.call(Method::POST, &path, Some(&owner), Some(json!({"kind": "voice", "upload_id": id(&done)}))).await;
    assert_eq!((a.status, a.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("upload_id")), "{}", a.body);
    let a = s.call(Method::POST, &path, Some(&owner), Some(json!({"kind": "photo", "upload_id": id(&done)}))).await;
    assert_eq!(a.field(), Some("upload_id"));
}

#[tokio::test]
async fn exports_get_a_download_link_and_expire() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Export Motors", "owner@export.test").await;
    let csv = "make,model,price\nBMW,X3,28000\n";
    let (f, link) = s
        .app
        .files
        .put_export(&ws, "stock.csv", "text/csv", aws_sdk_s3::primitives::ByteStream::from(csv.as_bytes().to_vec()), "owner@export.test")
        .await
        .expect("export");
    assert_eq!(fetch(&link).await, (StatusCode::OK, csv.as_bytes().to_vec()));
    let week = cartie_store::util::now_secs() + 7 * 24 * 3600;
    assert!(f.expires_at.is_some_and(|e| (week - 5..=week + 5).contains(&e)), "kept a week: {:?}", f.expires_at);
    assert_eq!(tag(&s, &format!("{ws}/{}/original", f.id)).await, "7d", "the lifecycle rule's tag");
    // A member finds it again by its id, with a fresh link.
    let a = s.get(&format!("/api/files/{}", f.id), &owner).await;
    assert_eq!((a.status, a.body["purpose"].as_str(), a.body["size"].as_u64()), (StatusCode::OK, Some("export"), Some(csv.len() as u64)));
    // After its week the record is treated as gone even before TTL deletes it.
    cartie_store::clock::advance(8 * 24 * 3600 * 1000);
    assert!(s.app.files.file(&ws, &f.id).await.expect("read").is_none());
}
