//! A person's own account: changing the password (which ends every other
//! session), one-time reset links issued by an owner, an admin or the
//! superadmin, the UI language and the workspace's time zone.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::json;

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Pass Motors", "owner@pass.test").await;
    let other_device = s.login("owner@pass.test", "owner password 1").await.body["token"].as_str().unwrap().to_string();

    let wrong = s.call(Method::POST, "/api/auth/password", Some(&owner), Some(json!({"current_password": "nope", "new_password": "a new password 2"}))).await;
    assert_eq!((wrong.status, wrong.code(), wrong.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("wrong_password"), Some("current_password")));
    let short = s.call(Method::POST, "/api/auth/password", Some(&owner), Some(json!({"current_password": "owner password 1", "new_password": "short"}))).await;
    assert_eq!(short.field(), Some("new_password"));

    // Tokens carry whole seconds: move the clock past the second they were issued in.
    cartie_store::clock::freeze_at(cartie_store::util::now_ms() + 2_000);
    let ok = s
        .call(Method::POST, "/api/auth/password", Some(&owner), Some(json!({"current_password": "owner password 1", "new_password": "a new password 2"})))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let fresh = ok.body["token"].as_str().unwrap().to_string();
    assert_eq!(s.get("/api/auth/me", &fresh).await.status, StatusCode::OK, "the session that changed it goes on");
    for old in [&owner, &other_device] {
        let a = s.get("/api/auth/me", old).await;
        assert_eq!((a.status, a.code()), (StatusCode::UNAUTHORIZED, Some("session_ended")), "{}", a.body);
    }
    assert_eq!(s.login("owner@pass.test", "owner password 1").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.login("owner@pass.test", "a new password 2").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_reset_link_works_once_for_the_member_it_names() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Reset Motors", "owner@reset.test").await;
    let manager = s.member(&owner, "manager@reset.test", "manager").await;
    let admin = s.member(&owner, "admin@reset.test", "admin").await;
    let (_other, stranger) = s.workspace("Elsewhere", "owner@elsewhere.test").await;

    // Who may issue one.
    let path = "/api/team/members/owner%40reset.test/password-reset";
    assert_eq!(s.call(Method::POST, path, Some(&admin), None).await.status, StatusCode::FORBIDDEN, "an admin cannot reset an owner");
    assert_eq!(s.call(Method::POST, "/api/team/members/manager%40reset.test/password-reset", Some(&manager), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.call(Method::POST, "/api/team/members/manager%40reset.test/password-reset", Some(&stranger), None).await.status, StatusCode::NOT_FOUND);

    let issued = s.call(Method::POST, "/api/team/members/manager%40reset.test/password-reset", Some(&admin), None).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let link = issued.body["link_path"].as_str().unwrap().to_string();
    let token = link.trim_start_matches("/reset/");
    // Only a hash of the token is stored.
    assert!(s.raw_items().await.iter().all(|i| !format!("{i:?}").contains(token)));

    let preview = s.call(Method::GET, &format!("/api/password-resets/{token}"), None, None).await;
    assert_eq!(preview.body["email"], "manager@reset.test");
    let weak = s.call(Method::POST, &format!("/api/password-resets/{token}"), None, Some(json!({"password": "short"}))).await;
    assert_eq!(weak.field(), Some("password"));
    cartie_store::clock::freeze_at(cartie_store::util::now_ms() + 2_000);
    let used = s.call(Method::POST, &format!("/api/password-resets/{token}"), None, Some(json!({"password": "manager's new pass"}))).await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.body);
    assert_eq!(used.body["me"]["email"], "manager@reset.test");
    assert_eq!(s.get("/api/auth/me", &manager).await.status, StatusCode::UNAUTHORIZED, "the old session ended");
    let again = s.call(Method::POST, &format!("/api/password-resets/{token}"), None, Some(json!({"password": "another new pass"}))).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a link works once");
    assert_eq!(s.login("manager@reset.test", "manager's new pass").await.status, StatusCode::OK);

    // A link expires after a day (by the clock).
    let issued = s.call(Method::POST, "/api/team/members/manager%40reset.test/password-reset", Some(&owner), None).await;
    let token = issued.body["link_path"].as_str().unwrap().trim_start_matches("/reset/").to_string();
    cartie_store::clock::freeze_at(cartie_store::util::now_ms() + 25 * 3600 * 1000);
    assert_eq!(s.call(Method::GET, &format!("/api/password-resets/{token}"), None, None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_superadmin_issues_reset_links_for_any_account() {
    let s = Stack::new().await;
    let (_ws, _owner) = s.workspace("Lost Motors", "owner@lost.test").await;
    let root = s.superadmin().await;
    let issued = s.call(Method::POST, "/api/admin/logins/owner%40lost.test/password-reset", Some(&root), None).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let token = issued.body["link_path"].as_str().unwrap().trim_start_matches("/reset/").to_string();
    let used = s.call(Method::POST, &format!("/api/password-resets/{token}"), None, Some(json!({"password": "owner found it again"}))).await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.body);
    assert_eq!(s.call(Method::POST, "/api/admin/logins/nobody%40lost.test/password-reset", Some(&root), None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn language_and_time_zone_are_kept_on_the_server() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Zone Motors", "owner@zone.test").await;
    let viewer = s.member(&owner, "viewer@zone.test", "viewer").await;
    let me = s.get("/api/auth/me", &viewer).await;
    assert_eq!((me.body["language"].clone(), me.body["time_zone"].clone()), (json!(null), json!("Europe/Kyiv")));

    let a = s.call(Method::PATCH, "/api/auth/me", Some(&viewer), Some(json!({"language": "uk"}))).await;
    assert_eq!(a.body["language"], "uk", "{}", a.body);
    assert_eq!(s.get("/api/auth/me", &viewer).await.body["language"], "uk");
    assert_eq!(s.login("viewer@zone.test", "member password 1").await.body["me"]["language"], "uk", "the choice follows the person to a new login");
    let bad = s.call(Method::PATCH, "/api/auth/me", Some(&viewer), Some(json!({"language": "de"}))).await;
    assert_eq!((bad.status, bad.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("language")));

    let bad = s.call(Method::PATCH, "/api/workspace", Some(&owner), Some(json!({"time_zone": "Mars/Olympus"}))).await;
    assert_eq!((bad.status, bad.field()), (StatusCode::UNPROCESSABLE_ENTITY, Some("time_zone")));
    assert_eq!(s.call(Method::PATCH, "/api/workspace", Some(&viewer), Some(json!({"time_zone": "Europe/Warsaw"}))).await.status, StatusCode::FORBIDDEN);
    let a = s.call(Method::PATCH, "/api/workspace", Some(&owner), Some(json!({"time_zone": "Europe/Warsaw"}))).await;
    assert_eq!(a.body["time_zone"], "Europe/Warsaw", "{}", a.body);
    assert_eq!(s.get("/api/auth/me", &viewer).await.body["time_zone"], "Europe/Warsaw");

    // A new workspace starts in the zone its creator's browser gave.
    let root = s.superadmin().await;
    let created = s
        .call(
            Method::POST,
            "/api/admin/workspaces",
            Some(&root),
            Some(json!({"name": "NY Cars", "slug": "ny-cars-zone", "owner_email": "o@ny.test", "time_zone": "America/New_York"})),
        )
        .await;
    assert_eq!(created.body["workspace"]["time_zone"], "America/New_York", "{}", created.body);
}

/// "Forgot password?" on the login page sends a one-time link to the
/// account's linked Telegram, in the account's language; the answer is the
/// same for an account without Telegram and for no account at all, and
/// requests are throttled.
#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_linked_telegram() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Tg Reset Motors", "owner@tgreset.test").await;
    let manager = s.member(&owner, "manager@tgreset.test", "manager").await;
    let bot = s.connect_bot(&owner, "TgResetMotorsBot").await;
    // The manager links her Telegram (Settings → Notifications) and reads Cartie in Ukrainian.
    let a = s.call(Method::POST, "/api/notifications/telegram/link", Some(&manager), Some(json!({ "bot_id": bot.id }))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let payload = a.body["url"].as_str().unwrap().rsplit("start=").next().unwrap().to_string();
    let me = tg_sandbox::UserRef { id: 7007, first_name: "Mia".into(), ..Default::default() };
    s.telegram
        .user_sends(bot.id, tg_sandbox::UserMessage { from: me.clone(), start_payload: Some(payload), deliveries: 1, ..Default::default() })
        .await
        .unwrap();
    s.drain_updates().await;
    assert_eq!(s.call(Method::PATCH, "/api/auth/me", Some(&manager), Some(json!({ "language": "uk" }))).await.status, StatusCode::OK);
    let before = s.telegram.outbox(bot.id, Some(me.id)).len();

    let ask = |email: &'static str| s.call(Method::POST, "/api/password-resets", None, Some(json!({ "email": email })));
    // The same answer whoever asks: no way to learn who has an account.
    for email in ["Manager@TgReset.test", "owner@tgreset.test", "nobody@tgreset.test"] {
        assert_eq!(ask(email).await.status, StatusCode::NO_CONTENT, "{email}");
    }
    assert_eq!(ask("not an e-mail").await.field(), Some("email"));
    s.drain_jobs().await;
    let sent = s.telegram.outbox(bot.id, Some(me.id));
    assert_eq!(sent.len(), before + 1, "one message, to the manager only: {sent:?}");
    let text = sent.last().unwrap().message["text"].as_str().unwrap().to_string();
    assert!(text.contains("скинути ваш пароль"), "in her language: {text}");
    let token = text.split("/reset/").nth(1).and_then(|t| t.split_whitespace().next()).expect("a link").to_string();
    assert!(s.raw_items().await.iter().all(|i| !format!("{i:?}").contains(&token)), "only a hash of the token is stored");

    cartie_store::clock::freeze_at(cartie_store::util::now_ms() + 2_000);
    let used = s.call(Method::POST, &format!("/api/password-resets/{token}"), None, Some(json!({"password": "reset from telegram"}))).await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.body);
    assert_eq!(s.get("/api/auth/me", &manager).await.status, StatusCode::UNAUTHORIZED, "the old session ended");
    assert_eq!(s.login("manager@tgreset.test", "reset from telegram").await.status, StatusCode::OK);

    // Three requests an hour per account; the fourth is refused.
    for _ in 0..2 {
        assert_eq!(ask("manager@tgreset.test").await.status, StatusCode::NO_CONTENT);
    }
    let refused = ask("manager@tgreset.test").await;
    assert_eq!((refused.status, refused.code()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts")), "{}", refused.body);
}
