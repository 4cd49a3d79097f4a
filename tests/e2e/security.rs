//! Walks every route of the route table: public ones answer without a
//! token; every other one refuses a missing, forged or expired token (401)
//! and a role below its minimum (403) — and with a sufficient role reaches
//! its function (no route is left unwired).

use cartie_apikit::auth::{Claims, TokenKey};
use cartie_apikit::routes::{Access, ROUTES};
use cartie_domain::Role;
use cartie_e2e::{Method, Stack, StatusCode, JWT_SECRET};
use cartie_store::util;

fn concrete(path: &str) -> String {
    path.replace("{token}", "no-such-token").replace("{invite_id}", "01NOSUCHINVITE").replace("{email}", "nobody%40dealer.test")
}

fn method(m: &http::Method) -> Method {
    m.clone()
}

#[tokio::test]
async fn every_private_route_rejects_missing_forged_and_expired_tokens() {
    let s = Stack::new().await;
    let (ws, _owner) = s.workspace("Sec Motors", "owner@sec.test").await;
    let now = util::now_secs();
    let forged = TokenKey::new(b"another-secret-another-secret-0000").unwrap().sign(&Claims {
        sub: "owner@sec.test".into(),
        ws: Some(ws.clone()),
        iat: now,
        exp: now + 3600,
    });
    let expired = TokenKey::new(JWT_SECRET).unwrap().sign(&Claims { sub: "owner@sec.test".into(), ws: Some(ws.clone()), iat: now - 7200, exp: now - 3600 });
    let mut checked = 0;
    for r in ROUTES.iter().filter(|r| r.access != Access::Public) {
        let path = concrete(r.path);
        for (label, token) in [("no token", None), ("forged", Some(forged.as_str())), ("expired", Some(expired.as_str())), ("garbage", Some("abc.def.ghi"))] {
            let a = s.call(method(&r.method), &path, token, Some(serde_json::json!({}))).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{} {} with {label}: {}", r.method, r.path, a.body);
            assert!(a.code().is_some(), "401 must carry a JSON error: {}", a.body);
            checked += 1;
        }
    }
    assert!(checked >= 4 * 10, "expected to check many routes, checked {checked}");
}

#[tokio::test]
async fn every_route_refuses_roles_below_its_minimum() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Role Motors", "owner@role.test").await;
    let viewer = s.member(&owner, "viewer@role.test", "viewer").await;
    let manager = s.member(&owner, "manager@role.test", "manager").await;
    let admin = s.member(&owner, "admin@role.test", "admin").await;
    let root = s.superadmin().await;
    let token_of = |role: Role| match role {
        Role::Viewer => viewer.as_str(),
        Role::Manager => manager.as_str(),
        Role::Admin => admin.as_str(),
        Role::Owner => owner.as_str(),
        Role::Superadmin => root.as_str(),
    };
    let mut refused = 0;
    for r in ROUTES {
        let path = concrete(r.path);
        let below: Vec<Role> = match r.access {
            Access::Public | Access::Authenticated => vec![],
            Access::Superadmin => Role::WORKSPACE_ROLES.to_vec(),
            // The superadmin has no workspace, so workspace routes refuse it too.
            Access::Workspace(min) => Role::WORKSPACE_ROLES.iter().copied().filter(|x| *x < min).chain([Role::Superadmin]).collect(),
        };
        for role in below {
            let a = s.call(method(&r.method), &path, Some(token_of(role)), Some(serde_json::json!({}))).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{} {} as {role}: {}", r.method, r.path, a.body);
            refused += 1;
        }
        // With enough rights the route reaches its handler: whatever it
        // answers, it is not an auth refusal or an unwired route.
        let enough = match r.access {
            Access::Public => None,
            Access::Authenticated => Some(Role::Viewer),
            Access::Superadmin => Some(Role::Superadmin),
            Access::Workspace(min) => Some(min),
        };
        let a = s.call(method(&r.method), &path, enough.map(token_of), Some(serde_json::json!({}))).await;
        assert!(
            ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::INTERNAL_SERVER_ERROR, StatusCode::METHOD_NOT_ALLOWED].contains(&a.status),
            "{} {} with enough rights answered {}: {}",
            r.method,
            r.path,
            a.status,
            a.body
        );
    }
    assert!(refused > 20, "refused {refused}");
}

#[tokio::test]
async fn removed_member_loses_access_at_once() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Gone Motors", "owner@gone.test").await;
    let manager = s.member(&owner, "manager@gone.test", "manager").await;
    assert_eq!(s.get("/api/team", &manager).await.status, StatusCode::OK);
    let del = s.call(Method::DELETE, "/api/team/members/manager%40gone.test", Some(&owner), None).await;
    assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.body);
    // The token has not expired, but the membership is gone.
    let a = s.get("/api/team", &manager).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
    assert_eq!(s.login("manager@gone.test", "member password 1").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json_errors() {
    let s = Stack::new().await;
    let a = s.call(Method::GET, "/api/nope", None, None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.code(), Some("not_found"));
    let a = s.call(Method::DELETE, "/api/health", None, None).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
}
