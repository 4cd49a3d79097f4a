//! The dashboard: its figures move as things happen (leads, messages,
//! stock on sale and its value, live requests) — counted once, also when
//! Telegram delivers an update twice — and reading it costs the same
//! number of DynamoDB calls with 3 conversations or 300.

use cartie_e2e::{Method, Stack, StatusCode, POLLING};
use serde_json::{json, Value};
use tg_sandbox::{UserMessage, UserRef};

fn buyer(id: i64, name: &str) -> UserRef {
    UserRef { id, first_name: name.into(), ..Default::default() }
}

async fn dash(s: &Stack, token: &str) -> Value {
    let d = s.get("/api/dashboard", token).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    d.body
}

fn kpi(d: &Value, key: &str) -> (i64, String) {
    let k = d["kpis"].as_array().unwrap().iter().find(|k| k["key"] == key).unwrap_or_else(|| panic!("no {key} in {d}"));
    (k["value"].as_i64().unwrap(), k["link"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn figures_move_as_things_happen_and_count_each_thing_once() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Figures Motors", "owner@figures.test").await;
    let bot = s.connect_bot(&owner, "FiguresBot").await;
    for (id, name) in [(701, "Ann"), (702, "Bo"), (703, "Cy")] {
        s.telegram.user_sends(bot.id, UserMessage::text(buyer(id, name), "Hi")).await.unwrap();
    }
    s.telegram.user_sends(bot.id, UserMessage::text(buyer(701, "Ann"), "Still there?")).await.unwrap();
    s.drain_updates().await;
    // Telegram delivers an update again: nothing counts twice.
    let now = cartie_store::util::now_secs();
    let again = json!({"update_id": 990_001, "message": {"message_id": 77, "date": now, "chat": {"id": 704, "type": "private", "first_name": "Di"},
        "from": {"id": 704, "is_bot": false, "first_name": "Di"}, "text": "Hello"}});
    assert!(s.deliver(bot.id, &again).await.status.is_success());
    assert!(s.deliver(bot.id, &again).await.status.is_success());
    s.drain_updates().await;

    let d = dash(&s, &owner).await;
    assert_eq!(kpi(&d, "leads_today"), (4, "/contacts?active_days=1".to_string()));
    assert_eq!(kpi(&d, "leads_week").0, 4);
    let today = d["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(d["days"].as_array().unwrap().len(), 30);
    assert_eq!((today["leads"].as_i64(), today["messages_in"].as_i64()), (Some(4), Some(5)), "{today}");
    assert_eq!(today["leads_by_bot"], json!([{"bot_id": bot.id, "leads": 4}]));

    // Stock on sale and its value, by currency.
    let car = |price: i64, currency: &str, status: &str| json!({"make": "Kia", "model": "Ceed", "year": 2019, "price": price, "currency": currency, "mileage": 1, "mileage_unit": "km", "status": status});
    let mut ids = Vec::new();
    for body in [car(10_000, "EUR", "available"), car(5_000, "EUR", "available"), car(9_000, "USD", "available"), car(7_000, "EUR", "sold")] {
        let r = s.call(Method::POST, "/api/inventory", Some(&owner), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    let d = dash(&s, &owner).await;
    assert_eq!(kpi(&d, "stock"), (3, "/inventory?status=available".to_string()));
    assert_eq!(d["stock_value"], json!([{"currency": "EUR", "amount": 15000}, {"currency": "USD", "amount": 9000}]));
    s.call(Method::PUT, &format!("/api/inventory/{}", ids[0]), Some(&owner), Some(car(9_500, "EUR", "available"))).await;
    s.call(Method::PUT, &format!("/api/inventory/{}", ids[1]), Some(&owner), Some(car(5_000, "EUR", "sold"))).await;
    s.call(Method::DELETE, &format!("/api/inventory/{}", ids[2]), Some(&owner), None).await;
    s.call(Method::DELETE, &format!("/api/inventory/{}", ids[3]), Some(&owner), None).await;
    let d = dash(&s, &owner).await;
    assert_eq!(kpi(&d, "stock").0, 1);
    assert_eq!(d["stock_value"], json!([{"currency": "EUR", "amount": 9500}]));

    // Live requests.
    let r = s.call(Method::POST, "/api/requests", Some(&owner), Some(json!({"make": "Kia"}))).await;
    let id = r.body["request"]["id"].as_str().unwrap().to_string();
    s.call(Method::POST, "/api/requests", Some(&owner), Some(json!({"make": "Kia", "status": "draft"}))).await;
    assert_eq!(kpi(&dash(&s, &owner).await, "open_requests"), (1, "/requests?status=open".to_string()));
    s.call(Method::POST, &format!("/api/requests/{id}/status"), Some(&owner), Some(json!({"status": "lost"}))).await;
    assert_eq!(kpi(&dash(&s, &owner).await, "open_requests").0, 0);
    let _ = ws;
}

#[tokio::test]
async fn the_dashboard_costs_the_same_calls_for_3_or_300_conversations() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Constant Motors", "owner@constant.test").await;
    cartie_e2e::seed::conversations(&s, &ws, 0, 3).await;
    dash(&s, &owner).await;
    let before = s.calls.snapshot();
    dash(&s, &owner).await;
    let small = s.calls.since(&before, POLLING);
    cartie_e2e::seed::conversations(&s, &ws, 3, 297).await;
    let before = s.calls.snapshot();
    let d = dash(&s, &owner).await;
    let big = s.calls.since(&before, POLLING);
    assert_eq!(small, big, "DynamoDB calls for one dashboard read");
    println!("calls for one dashboard read: {big:?}");
    assert_eq!(d["days"].as_array().unwrap().len(), 30);
}

#[tokio::test]
async fn stock_from_before_the_counters_is_counted_by_the_migration() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Old Stock Motors", "owner@old-stock.test").await;
    for (price, status) in [(8_000, "available"), (4_000, "available"), (3_000, "sold")] {
        let body =
            json!({"make": "Opel", "model": "Astra", "year": 2015, "price": price, "currency": "EUR", "mileage": 1, "mileage_unit": "km", "status": status});
        assert_eq!(s.call(Method::POST, "/api/inventory", Some(&owner), Some(body)).await.status, StatusCode::CREATED);
    }
    s.call(Method::POST, "/api/requests", Some(&owner), Some(json!({"make": "Opel"}))).await;
    // As a workspace from before the counters: no STATS item.
    s.app
        .store
        .ddb
        .delete_item()
        .table_name(&s.app.store.table)
        .key("PK", aws_sdk_dynamodb::types::AttributeValue::S(format!("WS#{ws}")))
        .key("SK", aws_sdk_dynamodb::types::AttributeValue::S("STATS".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(kpi(&dash(&s, &owner).await, "stock").0, 0);
    let migration = cartie_migrations::MIGRATIONS.iter().find(|m| m.name == "dashboard counters").unwrap();
    for _ in 0..2 {
        (migration.run)(&s.app.store).await.unwrap();
        let d = dash(&s, &owner).await;
        assert_eq!((kpi(&d, "stock").0, kpi(&d, "open_requests").0), (2, 1));
        assert_eq!(d["stock_value"], json!([{"currency": "EUR", "amount": 12000}]));
    }
}
