//! The tenant matrix, generated from the route table: for every workspace
//! route that takes an id, workspace B's owner calls it with workspace A's
//! real ids (one of every item kind, created here) and gets 403 or 404, for
//! every method — and afterwards every item of A is exactly as it was.
//!
//! A new route with a path parameter fails this test until its parameter
//! has a seed below (an id of A's of that kind) and, if it takes a body, a
//! valid body: valid, so that the refusal comes from tenancy, not from
//! validation.

use aws_sdk_dynamodb::types::AttributeValue;
use cartie_apikit::routes::{Access, Route, ROUTES};
use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// A valid body for each operation that takes one (by operationId).
fn valid_body(op: &str) -> Option<Value> {
    Some(match op {
        "changeRole" => json!({"role": "viewer"}),
        "updateBot" => json!({"auto_reply": "Hello from B"}),
        "saveBotMenu" => json!({"commands": [{"command": "cars", "description": "Our cars"}], "keyboard": []}),
        "assignConversation" => json!({"assignee": null}),
        "sendReply" => json!({"kind": "text", "text": "B writes to A's buyer"}),
        "createRequestFromChat" => json!({"make": "BMW", "model": "X5"}),
        "updateListing" => {
            json!({"make": "Audi", "model": "A4", "year": 2018, "price": 1, "currency": "EUR", "mileage": 1, "mileage_unit": "km", "status": "available"})
        }
        "saveScenario" => json!({"name": "B's", "draft": {"nodes": [], "triggers": []}}),
        "testScenario" => json!({"kind": "start", "text": ""}),
        "setConversationStatus" => json!({"status": "resolved"}),
        "addNote" => json!({"text": "B's note"}),
        "savePhone" => json!({"phone": "+380671234567"}),
        "updateCannedReply" => json!({"text": "B's text"}),
        "updateContact" => json!({"name": "B's name for A's buyer", "tags": ["b"]}),
        "mergeContact" => json!({"other_id": "43"}),
        "updateSegment" => json!({"name": "B's segment", "filter": {"tag": "b"}}),
        "updateCampaign" => json!({"name": "B's campaign", "content": {"text": "Hi"}, "bot_ids": [1], "time_zone": "UTC"}),
        "submitTelegramCode" => json!({"code": "12345"}),
        "submitTelegramPassword" => json!({"password": "B guesses"}),
        "setTelegramChannelSource" => json!({"source": true}),
        "updatePostTemplate" => json!({"name": "B's template", "content": {"text": "Hi"}}),
        "updatePost" => json!({"channel_id": 1, "content": {"text": "B's post"}}),
        "setChannelSlots" => json!({"time_zone": "Europe/Kyiv", "slots": [{"days": ["mon", "wed"], "time": "10:00"}]}),
        "editPostedPost" => json!({"text": "B edits"}),
        "updateRequest" => json!({"make": "Toyota", "model": "RAV4"}),
        "setRequestStatus" => json!({"status": "lost"}),
        "commentOffer" | "commentPartnerOffer" => json!({"text": "B writes in A's thread"}),
        "sendOffer" => json!({"car_id": "any-car-of-b", "price": 1000}),
        _ => return None,
    })
}

/// An attribute as text with map keys in order (a stable comparison).
fn canon(v: &AttributeValue) -> String {
    match v {
        AttributeValue::M(m) => {
            let sorted: BTreeMap<&String, String> = m.iter().map(|(k, v)| (k, canon(v))).collect();
            format!("{sorted:?}")
        }
        AttributeValue::L(l) => format!("{:?}", l.iter().map(canon).collect::<Vec<_>>()),
        other => format!("{other:?}"),
    }
}

/// Every item under A's partitions, keyed by (PK, SK), as text.
async fn items_of(s: &Stack, ws: &str) -> BTreeMap<(String, String), String> {
    let prefix = format!("WS#{ws}");
    s.raw_items()
        .await
        .into_iter()
        .filter(|i| i["PK"].as_s().is_ok_and(|p| p.starts_with(&prefix)))
        .map(|i| {
            let sorted: BTreeMap<String, String> = i.iter().map(|(k, v)| (k.clone(), canon(v))).collect();
            ((i["PK"].as_s().unwrap().clone(), i["SK"].as_s().unwrap().clone()), format!("{sorted:?}"))
        })
        .collect()
}

fn fill(route: &Route, seeds: &HashMap<(&str, &str), String>) -> String {
    let function = route.function().name();
    let mut path = route.path.to_string();
    for p in route.path_params() {
        let v = seeds
            .get(&(function, p))
            .or_else(|| seeds.get(&("*", p)))
            .unwrap_or_else(|| panic!("{} {} takes {{{p}}}: seed an id of A's for it in tenant_matrix.rs", route.method, route.path));
        path = path.replace(&format!("{{{p}}}"), v);
    }
    path
}

#[tokio::test]
async fn workspace_b_cannot_read_or_change_anything_of_workspace_a_by_id() {
    let s = Stack::new().await;
    let (ws_a, a) = s.workspace("Alpha Matrix", "owner@alpha-matrix.test").await;
    let (_ws_b, b) = s.workspace("Beta Matrix", "owner@beta-matrix.test").await;

    // One of every item kind in A.
    let bot = s.connect_bot(&a, "AlphaMatrixBot").await;
    s.telegram
        .user_sends(bot.id, tg_sandbox::UserMessage::text(tg_sandbox::UserRef { id: 42, first_name: "Ann".into(), ..Default::default() }, "Hi"))
        .await
        .unwrap();
    s.drain_updates().await;
    // The new lead's notification (the owner's).
    s.drain_jobs().await;
    let notes = s.get("/api/notifications", &a).await;
    let notification_id = notes.body["items"][0]["id"].as_str().expect("A's owner has a notification").to_string();
    let _member = s.member(&a, "manager@alpha-matrix.test", "manager").await;
    let invite = s.call(Method::POST, "/api/team/invites", Some(&a), Some(json!({"email": "new@alpha-matrix.test", "role": "viewer"}))).await;
    let car = s.call(Method::POST, "/api/inventory", Some(&a), Some(json!({"make": "BMW", "model": "X5", "year": 2019, "price": 30000, "currency": "EUR", "mileage": 42000, "mileage_unit": "km", "status": "available"}))).await;
    let mapping = s
        .call(
            Method::PUT,
            "/api/parser/mappings",
            Some(&a),
            Some(json!({"url": "https://cars.alpha.example/a/1", "rules": [{"field": "color", "fixed": "red"}]})),
        )
        .await;
    assert_eq!(mapping.status, StatusCode::OK, "{}", mapping.body);
    let scenario = s.call(Method::POST, "/api/scenarios", Some(&a), Some(json!({"name": "Leads", "template": "lead_generation"}))).await;
    let scenario_id = scenario.body["id"].as_str().unwrap().to_string();
    assert_eq!(s.call(Method::POST, &format!("/api/scenarios/{scenario_id}/publish"), Some(&a), None).await.status, StatusCode::OK);
    let file = s.upload(&a, "car_photo", "front.jpg", "image/jpeg", b"\xFF\xD8\xFF\xE0 a photo of A's").await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    let canned = s.call(Method::POST, "/api/inbox/canned", Some(&a), Some(json!({"shortcut": "price", "text": "Hi {first_name}"}))).await;
    assert_eq!(canned.status, StatusCode::CREATED, "{}", canned.body);
    let note = s.call(Method::POST, &format!("/api/inbox/conversations/{}:42/notes", bot.id), Some(&a), Some(json!({"text": "A's note"}))).await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);

    let segment = s.call(Method::POST, "/api/segments", Some(&a), Some(json!({"name": "A's hot leads", "filter": {"tag": "hot"}}))).await;
    assert_eq!(segment.status, StatusCode::CREATED, "{}", segment.body);
    let export = s.call(Method::POST, "/api/contacts/exports", Some(&a), Some(json!({"filter": {}}))).await;
    assert_eq!(export.status, StatusCode::CREATED, "{}", export.body);
    let bulk = s.call(Method::POST, "/api/contacts/tags/bulk", Some(&a), Some(json!({"filter": {}, "add": ["a-only"]}))).await;
    assert_eq!(bulk.status, StatusCode::CREATED, "{}", bulk.body);
    let campaign = s
        .call(
            Method::POST,
            "/api/campaigns",
            Some(&a),
            Some(json!({"name": "A's offers", "content": {"text": "Hi {first_name}"}, "bot_ids": [bot.id], "time_zone": "Europe/Kyiv"})),
        )
        .await;
    assert_eq!(campaign.status, StatusCode::CREATED, "{}", campaign.body);
    let request = s.call(Method::POST, "/api/requests", Some(&a), Some(json!({"make": "Toyota", "model": "RAV4", "budget": 25000}))).await;
    assert_eq!(request.status, StatusCode::CREATED, "{}", request.body);
    s.drain_jobs().await;
    // A Telegram account of A's (as a login leaves it; no host needed to be refused).
    let account = cartie_e2e::seed::tg_account(&s, &ws_a, "+380500000001").await;
    // A's channel, template and post (written straight to the table: no Telegram needed to be refused).
    let calendar = cartie_e2e::seed::calendar(&s, &ws_a, bot.id).await;

    let seeds: HashMap<(&str, &str), String> = [
        (("*", "bot_id"), bot.id.to_string()),
        (("*", "conversation_id"), format!("{}:42", bot.id)),
        (("*", "invite_id"), invite.body["id"].as_str().unwrap().to_string()),
        (("*", "email"), "manager%40alpha-matrix.test".to_string()),
        (("*", "file_id"), "any-file-of-a".to_string()),
        (("api-files", "file_id"), file.body["id"].as_str().unwrap().to_string()),
        (("*", "domain"), "cars.alpha.example".to_string()),
        (("api-inventory", "id"), car.body["id"].as_str().unwrap().to_string()),
        (("api-scenarios", "id"), scenario_id),
        (("*", "version"), "1".to_string()),
        (("*", "import_id"), "any-import-of-a".to_string()),
        (("api-notifications", "id"), notification_id),
        (("api-inbox", "shortcut"), "price".to_string()),
        (("*", "contact_id"), "42".to_string()),
        (("*", "segment_id"), segment.body["id"].as_str().unwrap().to_string()),
        (("*", "export_id"), export.body["id"].as_str().unwrap().to_string()),
        (("*", "bulk_id"), bulk.body["id"].as_str().unwrap().to_string()),
        (("*", "campaign_id"), campaign.body["id"].as_str().unwrap().to_string()),
        (("*", "account_id"), account.id.clone()),
        (("api-telegram", "channel_id"), "777".to_string()),
        (("api-calendar", "channel_id"), calendar.channel_id.to_string()),
        (("*", "template_id"), calendar.template_id.clone()),
        (("*", "post_id"), calendar.post_id.clone()),
        (("*", "request_id"), request.body["request"]["id"].as_str().unwrap().to_string()),
        // B is nobody's partner: A's own id as the partner gets nothing.
        (("*", "partner_id"), ws_a.clone()),
        (("*", "offer_id"), "any-offer-of-a".to_string()),
    ]
    .into();

    let before = items_of(&s, &ws_a).await;
    let mut checked = 0;
    for route in ROUTES.iter().filter(|r| matches!(r.access, Access::Workspace(_)) && r.path_params().next().is_some()) {
        let path = fill(route, &seeds);
        let op = route.operation_id();
        let body = if route.request.is_some() {
            Some(valid_body(&op).unwrap_or_else(|| panic!("{op} takes a body: give it a valid one in tenant_matrix.rs")))
        } else {
            None
        };
        let answer = s.call(route.method.clone(), &path, Some(&b), body).await;
        assert!(
            matches!(answer.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{} {path} with B's token answered {}: {}",
            route.method,
            answer.status,
            answer.body
        );
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} routes checked");
    let after = items_of(&s, &ws_a).await;
    let changed: Vec<_> = before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
    assert!(changed.is_empty(), "A's items changed while B probed them: {changed:?}");
}

/// Every item the suite above creates, of every kind, is filed under the
/// workspace it belongs to: a tenant item's partition starts with its own
/// `WS#{id}` (and its `workspace_id`, when it has one, agrees); anything else
/// is a platform item that only points at a workspace.
#[tokio::test]
async fn every_item_kind_is_filed_under_its_workspace() {
    let s = Stack::new().await;
    let mut workspaces = Vec::new();
    for name in ["Gamma Files", "Delta Files"] {
        let email = format!("owner@{}.test", name.to_lowercase().replace(' ', "-"));
        let (ws, owner) = s.workspace(name, &email).await;
        let bot = s.connect_bot(&owner, &format!("{}Bot", name.replace(' ', ""))).await;
        s.telegram
            .user_sends(bot.id, tg_sandbox::UserMessage::text(tg_sandbox::UserRef { id: 7, first_name: "Bo".into(), ..Default::default() }, "/start ad"))
            .await
            .unwrap();
        s.drain_updates().await;
        s.call(Method::PATCH, &format!("/api/bots/{}", bot.id), Some(&owner), Some(json!({"auto_reply": "Hi"}))).await;
        s.call(Method::PUT, &format!("/api/bots/{}/menu", bot.id), Some(&owner), Some(json!({"commands": [{"command": "cars", "description": "Cars"}]}))).await;
        s.member(&owner, &format!("m@{}.test", name.to_lowercase().replace(' ', "-")), "manager").await;
        s.call(Method::POST, "/api/team/invites", Some(&owner), Some(json!({"email": format!("i@{}.test", ws.to_lowercase()), "role": "viewer"}))).await;
        s.call(
            Method::POST,
            "/api/inventory",
            Some(&owner),
            Some(json!({"make": "BMW", "model": "X5", "year": 2019, "price": 1, "currency": "EUR", "mileage": 1, "mileage_unit": "km", "status": "available"})),
        )
        .await;
        s.call(Method::PUT, "/api/parser/mappings", Some(&owner), Some(json!({"url": "https://x.example/a", "rules": [{"field": "color", "fixed": "red"}]})))
            .await;
        s.call(Method::POST, &format!("/api/inbox/conversations/{}:7/requests", bot.id), Some(&owner), Some(json!({"make": "BMW"}))).await;
        s.upload(&owner, "car_photo", "front.jpg", "image/jpeg", b"\xFF\xD8\xFF\xE0 a photo").await;
        s.call(Method::POST, "/api/inbox/canned", Some(&owner), Some(json!({"shortcut": "hi", "text": "Hello"}))).await;
        let sc = s.call(Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "L", "template": "lead_generation"}))).await;
        let id = sc.body["id"].as_str().unwrap().to_string();
        s.call(Method::POST, &format!("/api/scenarios/{id}/publish"), Some(&owner), None).await;
        // A worker remembers "no scenarios" for a few seconds: let them pass.
        cartie_store::clock::advance(10_000);
        s.telegram
            .user_sends(bot.id, tg_sandbox::UserMessage::text(tg_sandbox::UserRef { id: 8, first_name: "Cy".into(), ..Default::default() }, "/start"))
            .await
            .unwrap();
        s.drain_updates().await;
        workspaces.push(ws);
    }
    let platform = ["USER#", "INVITETOKEN#", "SLUG#", "TGBOT#", "PLATFORM", "SYSTEM", "THROTTLE#", "DUE#"];
    let mut kinds = std::collections::BTreeSet::new();
    for item in s.raw_items().await {
        let pk = item["PK"].as_s().unwrap();
        let sk = item["SK"].as_s().unwrap();
        match workspaces.iter().find(|ws| pk.starts_with(&format!("WS#{ws}"))) {
            Some(ws) => {
                if let Some(AttributeValue::S(owner)) = item.get("workspace_id") {
                    assert_eq!(owner, ws, "{pk}/{sk} is filed under another workspace");
                }
                let rest = pk.trim_start_matches(&format!("WS#{ws}"));
                kinds.insert(format!("{}/{}", rest.split('#').nth(1).unwrap_or(""), sk.split('#').next().unwrap_or("")));
            }
            None => assert!(platform.iter().any(|p| pk.starts_with(p)), "{pk}/{sk} is neither under a workspace nor a platform item"),
        }
    }
    // The kinds this test makes, so a new module's items join the check.
    for kind in [
        "/PROFILE",
        "/MEMBER",
        "/INVITE",
        "/BOT",
        "/BOTMENU",
        "/CONV",
        "/CONTACT",
        "/INBOXCOUNT",
        "/CANNED",
        "/REQUEST",
        "/LISTING",
        "/MAPPING",
        "/FILE",
        "/SCENARIO",
        "CONV/MSG",
        "CONV/SESSION",
        "SCENARIO/V",
        "SCENARIO/STATS",
        "UPD/UPD",
    ] {
        assert!(kinds.contains(kind), "no item of kind {kind} was made; kinds: {kinds:?}");
    }
}
