//! A user of workspace A can neither read nor change workspace B's data,
//! and every tenant item is stored under its own workspace's key.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::json;

#[tokio::test]
async fn workspace_a_cannot_read_or_write_workspace_b() {
    let s = Stack::new().await;
    let (ws_a, owner_a) = s.workspace("Alpha Cars", "owner@alpha.test").await;
    let (ws_b, owner_b) = s.workspace("Beta Cars", "owner@beta.test").await;
    let _b_manager = s.member(&owner_b, "manager@beta.test", "manager").await;
    let b_invite = s.call(Method::POST, "/api/team/invites", Some(&owner_b), Some(json!({"email": "new@beta.test", "role": "viewer"}))).await;
    let b_invite_id = b_invite.body["id"].as_str().unwrap().to_string();

    // Read: A's team and dashboard show only A.
    let team = s.get("/api/team", &owner_a).await;
    let emails: Vec<&str> = team.body["members"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
    assert_eq!(emails, vec!["owner@alpha.test"]);
    assert!(team.body["invites"].as_array().unwrap().is_empty());
    let ws = s.get("/api/workspace", &owner_a).await;
    assert_eq!(ws.body["id"], ws_a);

    // Write: B's member and invite are "not found" from A, and stay as they were.
    let a = s.call(Method::PATCH, "/api/team/members/manager%40beta.test", Some(&owner_a), Some(json!({"role": "viewer"}))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    let a = s.call(Method::DELETE, "/api/team/members/manager%40beta.test", Some(&owner_a), None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    let a = s.call(Method::DELETE, &format!("/api/team/invites/{b_invite_id}"), Some(&owner_a), None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    let a = s.call(Method::PATCH, "/api/workspace", Some(&owner_a), Some(json!({"name": "Renamed"}))).await;
    assert_eq!(a.status, StatusCode::OK);

    let b_team = s.get("/api/team", &owner_b).await;
    let manager = b_team.body["members"].as_array().unwrap().iter().find(|m| m["email"] == "manager@beta.test").cloned().unwrap();
    assert_eq!(manager["role"], "manager");
    assert_eq!(b_team.body["invites"].as_array().unwrap().len(), 1);
    assert_eq!(s.get("/api/workspace", &owner_b).await.body["name"], "Beta Cars");
    assert_eq!(s.app.store.workspace(&ws_b).await.unwrap().unwrap().name, "Beta Cars");

    // Under the API: every item that names workspace B is keyed under WS#B
    // or is a platform item that only points at it.
    for item in s.raw_items().await {
        let pk = item["PK"].as_s().unwrap();
        if let Some(ws) = pk.strip_prefix("WS#") {
            assert!(ws == ws_a || ws == ws_b);
            if let Some(aws_sdk_dynamodb::types::AttributeValue::S(owner)) = item.get("workspace_id") {
                assert_eq!(owner, ws, "item {pk}/{} is filed under another workspace", item["SK"].as_s().unwrap());
            }
        } else {
            let platform = ["USER#", "INVITETOKEN#", "SLUG#", "PLATFORM", "SYSTEM", "THROTTLE#"];
            assert!(platform.iter().any(|p| pk.starts_with(p)), "unexpected partition {pk}");
        }
    }
}
