//! Logging in, bad input, throttling, invites and the team rules, through
//! the real router against the local DynamoDB.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::json;

#[tokio::test]
async fn login_works_and_bad_input_names_the_field() {
    let s = Stack::new().await;
    let (_ws, token) = s.workspace("Login Motors", "owner@login.test").await;
    let me = s.get("/api/auth/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["role"], "owner");
    assert_eq!(me.body["workspace"]["name"], "Login Motors");

    // Wrong password and unknown e-mail look the same to the caller.
    let wrong = s.login("owner@login.test", "not the password").await;
    let unknown = s.login("ghost@login.test", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);

    let cases = [
        (json!({"email": "owner@login.test"}), StatusCode::UNPROCESSABLE_ENTITY, "password"),
        (json!({"password": "x"}), StatusCode::UNPROCESSABLE_ENTITY, "email"),
        (json!({"email": "not-an-email", "password": "x"}), StatusCode::UNPROCESSABLE_ENTITY, "email"),
        (json!({"email": 42, "password": "x"}), StatusCode::UNPROCESSABLE_ENTITY, "email"),
        (json!({"email": "owner@login.test", "password": ""}), StatusCode::UNPROCESSABLE_ENTITY, "password"),
        (json!([1, 2]), StatusCode::UNPROCESSABLE_ENTITY, "body"),
    ];
    for (body, status, field) in cases {
        let a = s.call(Method::POST, "/api/auth/login", None, Some(body.clone())).await;
        assert_eq!(a.status, status, "{body}: {}", a.body);
        assert_eq!(a.field(), Some(field), "{body}: {}", a.body);
    }
    for raw in ["", "{", "not json", "{\"email\": \"a@b.co\", \"password\": \"x\"} trailing"] {
        let req = http::Request::post("/api/auth/login").body(axum::body::Body::from(raw)).unwrap();
        let a = s.send(req).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{raw:?}: {}", a.body);
        assert_eq!(a.field(), Some("body"));
    }
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account() {
    let s = Stack::new().await;
    let _ = s.workspace("Throttle Motors", "owner@throttle.test").await;
    for i in 0..api_auth::ACCOUNT_FAILURES {
        let a = s.login("owner@throttle.test", "wrong password").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // Now even the right password is refused until the window passes.
    let a = s.login("owner@throttle.test", "owner password 1").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert_eq!(a.code(), Some("too_many_attempts"));
    let retry: i64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    // Other accounts are not locked out by it (workspace() asserts its login works).
    let _ = s.workspace("Other Motors", "owner@other.test").await;
}

#[tokio::test]
async fn invite_flow_from_link_to_login() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Invite Motors", "owner@invite.test").await;
    let inv = s.call(Method::POST, "/api/team/invites", Some(&owner), Some(json!({"email": " Sam@Invite.test ", "role": "manager"}))).await;
    assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.body);
    assert_eq!(inv.body["email"], "sam@invite.test");
    let link = inv.body["link_path"].as_str().unwrap().to_string();
    let token = link.trim_start_matches("/invite/").to_string();

    // The token is not stored in clear anywhere.
    for item in s.raw_items().await {
        assert!(!format!("{item:?}").contains(&token), "invite token stored in clear");
    }
    // The team list never shows links again.
    let team = s.get("/api/team", &owner).await;
    assert!(team.body["invites"][0]["link_path"].is_null());

    let preview = s.call(Method::GET, &format!("/api/invites/{token}"), None, None).await;
    assert_eq!(preview.body["workspace_name"], "Invite Motors");
    assert_eq!(preview.body["role"], "manager");

    let weak = s.call(Method::POST, &format!("/api/invites/{token}/accept"), None, Some(json!({"name": "Sam", "password": "short"}))).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.field(), Some("password"));

    let ok = s.call(Method::POST, &format!("/api/invites/{token}/accept"), None, Some(json!({"name": "Sam", "password": "sam's password"}))).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.body["me"]["role"], "manager");
    // A link works once.
    let again = s.call(Method::POST, &format!("/api/invites/{token}/accept"), None, Some(json!({"name": "Eve", "password": "eve's password"}))).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let login = s.login("sam@invite.test", "sam's password").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.body["me"]["workspace"]["name"], "Invite Motors");
    // An e-mail with an account cannot be invited again.
    let dup = s.call(Method::POST, "/api/team/invites", Some(&owner), Some(json!({"email": "sam@invite.test", "role": "viewer"}))).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.field(), Some("email"));
}

#[tokio::test]
async fn team_rules_hold_the_owner_line() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Rules Motors", "owner@rules.test").await;
    let admin = s.member(&owner, "admin@rules.test", "admin").await;

    // An admin cannot create owners or touch the owner.
    let a = s.call(Method::POST, "/api/team/invites", Some(&admin), Some(json!({"email": "x@rules.test", "role": "owner"}))).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = s.call(Method::PATCH, "/api/team/members/owner%40rules.test", Some(&admin), Some(json!({"role": "viewer"}))).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = s.call(Method::POST, "/api/team/invites", Some(&admin), Some(json!({"email": "x@rules.test", "role": "god"}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.field(), Some("role"));

    // The last owner cannot step down; with a second owner they can.
    let a = s.call(Method::PATCH, "/api/team/members/owner%40rules.test", Some(&owner), Some(json!({"role": "admin"}))).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    let a = s.call(Method::PATCH, "/api/team/members/admin%40rules.test", Some(&owner), Some(json!({"role": "owner"}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(s.app.store.workspace(&ws).await.unwrap().unwrap().owners, 2);
    let a = s.call(Method::PATCH, "/api/team/members/owner%40rules.test", Some(&owner), Some(json!({"role": "admin"}))).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(s.app.store.workspace(&ws).await.unwrap().unwrap().owners, 1);
    // The demoted owner's next request already runs as admin.
    let a = s.call(Method::PATCH, "/api/workspace", Some(&owner), Some(json!({"name": "Nope"}))).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn superadmin_creates_a_workspace_and_its_owner_joins() {
    let s = Stack::new().await;
    let root = s.superadmin().await;
    let body = json!({"name": "Gamma Auto", "slug": "gamma-auto", "owner_email": "boss@gamma.test"});
    let a = s.call(Method::POST, "/api/admin/workspaces", Some(&root), Some(body.clone())).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let link = a.body["owner_invite"]["link_path"].as_str().unwrap().to_string();
    // Same slug again: 409 naming the field.
    let again =
        s.call(Method::POST, "/api/admin/workspaces", Some(&root), Some(json!({"name": "G2", "slug": "gamma-auto", "owner_email": "b2@gamma.test"}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.field(), Some("slug"));
    let bad =
        s.call(Method::POST, "/api/admin/workspaces", Some(&root), Some(json!({"name": "G3", "slug": "No Spaces", "owner_email": "b3@gamma.test"}))).await;
    assert_eq!(bad.field(), Some("slug"));
    let list = s.get("/api/admin/workspaces", &root).await;
    assert_eq!(list.body["workspaces"].as_array().unwrap().len(), 1);

    let acc = s
        .call(
            Method::POST,
            &format!("/api/invites/{}/accept", link.trim_start_matches("/invite/")),
            None,
            Some(json!({"name": "Boss", "password": "boss password"})),
        )
        .await;
    assert_eq!(acc.status, StatusCode::CREATED, "{}", acc.body);
    assert_eq!(acc.body["me"]["role"], "owner");
    let ws = acc.body["me"]["workspace"]["id"].as_str().unwrap();
    assert_eq!(s.app.store.workspace(ws).await.unwrap().unwrap().owners, 1);
}

#[tokio::test]
async fn passwords_are_not_stored_in_clear() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Hash Motors", "owner@hash.test").await;
    let _ = s.member(&owner, "m@hash.test", "manager").await;
    for item in s.raw_items().await {
        let text = format!("{item:?}");
        assert!(!text.contains("owner password 1") && !text.contains("member password 1"), "clear password in {text}");
    }
}
