//! B2B end to end over moto: partners invite and accept by slug; a
//! request is matched against the requester's own stock and its partners'
//! (score and reasons), a partner's new car is found by the jobs worker
//! and its owner notified; offers are sent once, seen only by their own
//! partner, accepted (the others closed and told); a company that is not
//! a partner sees nothing.

use cartie_e2e::{Method, Stack, StatusCode};
use serde_json::{json, Value};

async fn car(s: &Stack, token: &str, body: Value) -> String {
    let r = s.call(Method::POST, "/api/inventory", Some(token), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_str().unwrap().to_string()
}

fn rav4(year: i32, price: i64, km: i64) -> Value {
    json!({"make": "Toyota", "model": "RAV4", "year": year, "price": price, "currency": "EUR", "mileage": km, "mileage_unit": "km",
           "transmission": "automatic", "fuel": "hybrid", "status": "available"})
}

async fn slug(s: &Stack, token: &str) -> String {
    s.get("/api/company", token).await.body["slug"].as_str().unwrap().to_string()
}

/// `a` invites `b` by slug, `b` accepts: both active.
async fn partners(s: &Stack, a: &str, b: &str, ws_a: &str) {
    let inv = s.call(Method::POST, "/api/partners", Some(a), Some(json!({"slug": slug(s, b).await}))).await;
    assert_eq!((inv.status, inv.body["status"].as_str()), (StatusCode::CREATED, Some("invited")), "{}", inv.body);
    let list = s.get("/api/partners", b).await;
    assert_eq!(list.body["items"][0]["status"], "pending", "{}", list.body);
    let ok = s.call(Method::POST, &format!("/api/partners/{ws_a}/accept"), Some(b), None).await;
    assert_eq!((ok.status, ok.body["status"].as_str()), (StatusCode::OK, Some("active")), "{}", ok.body);
}

fn reasons(m: &Value) -> Vec<(String, String, Option<i64>)> {
    m["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["criterion"].as_str().unwrap().to_string(), r["outcome"].as_str().unwrap().to_string(), r["by"].as_i64()))
        .collect()
}

fn r(c: &str, o: &str, by: Option<i64>) -> (String, String, Option<i64>) {
    (c.to_string(), o.to_string(), by)
}

async fn offers_to_answer(s: &Stack, token: &str) -> i64 {
    let d = s.get("/api/dashboard", token).await.body;
    d["kpis"].as_array().unwrap().iter().find(|k| k["key"] == "new_offers").unwrap()["value"].as_i64().unwrap()
}

async fn notices(s: &Stack, token: &str) -> Vec<Value> {
    s.get("/api/notifications", token).await.body["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_request_finds_partners_cars_with_reasons_and_an_offer_is_accepted_once() {
    let s = Stack::new().await;
    let (ws_a, a) = s.workspace("Alpha Cars", "owner@alpha-b2b.test").await;
    let (ws_b, b) = s.workspace("Beta Motors", "owner@beta-b2b.test").await;
    let (_ws_c, c) = s.workspace("Gamma Auto", "owner@gamma-b2b.test").await;
    let (ws_d, d) = s.workspace("Delta Trade", "owner@delta-b2b.test").await;
    let card =
        s.call(Method::PUT, "/api/company", Some(&b), Some(json!({"name": "Beta Motors Lviv", "city": "Lviv", "telegram": "https://t.me/beta_motors"}))).await;
    assert_eq!((card.status, card.body["profile"]["telegram"].as_str()), (StatusCode::OK, Some("@beta_motors")), "{}", card.body);
    partners(&s, &a, &b, &ws_a).await;
    partners(&s, &a, &d, &ws_a).await;
    // B sees A's card, A sees B's.
    assert_eq!(s.get("/api/partners", &a).await.body["items"].as_array().unwrap().len(), 2);
    assert!(s.get("/api/partners", &b).await.body["items"][0]["profile"]["name"] == "Alpha Cars");

    // Stock: A's own RAV4, B's perfect one and B's older, pricier one; D's; C's (not a partner).
    let own = car(&s, &a, rav4(2020, 24_500, 50_000)).await;
    let perfect = car(&s, &b, rav4(2020, 24_000, 60_000)).await;
    let older = car(&s, &b, rav4(2018, 27_000, 70_000)).await;
    car(&s, &b, json!({"make": "Toyota", "model": "Corolla", "year": 2020, "price": 15000, "currency": "EUR", "mileage": 1, "mileage_unit": "km", "status": "available"}))
        .await;
    let deltas = car(&s, &d, rav4(2021, 25_000, 30_000)).await;
    car(&s, &c, rav4(2020, 20_000, 10_000)).await;
    s.drain_jobs().await;

    let req = s
        .call(
            Method::POST,
            "/api/requests",
            Some(&a),
            Some(json!({"make": "toyota", "model": "Rav 4", "year_from": 2019, "year_to": 2021, "budget": 25000, "currency": "EUR",
                        "max_mileage_km": 80000, "transmission": "automatic", "region": "Lviv", "deadline": "2027-01-31", "priority": "high"})),
        )
        .await;
    assert_eq!(req.status, StatusCode::CREATED, "{}", req.body);
    assert_eq!((req.body["request"]["make"].as_str(), req.body["request"]["model"].as_str()), (Some("Toyota"), Some("RAV4")), "the dictionary's names");
    assert!(req.body["request"]["matched_at"].is_null(), "matching runs off the request path");
    let id = req.body["request"]["id"].as_str().unwrap().to_string();
    s.drain_jobs().await;

    let detail = s.get(&format!("/api/requests/{id}"), &a).await;
    let matches = detail.body["matches"].as_array().unwrap().clone();
    let ranked: Vec<&str> = matches.iter().map(|m| m["car_id"].as_str().unwrap()).collect();
    assert_eq!(ranked, vec![perfect.as_str(), own.as_str(), deltas.as_str(), older.as_str()], "{}", detail.body);
    assert!(detail.body["request"]["matched_at"].is_string());
    let older_m = &matches[3];
    assert_eq!(older_m["partner_name"], "Beta Motors Lviv");
    assert_eq!(
        reasons(older_m),
        vec![
            r("make", "met", None),
            r("model", "met", None),
            r("year", "missed", Some(1)),
            r("price", "missed", Some(2000)),
            r("mileage", "met", None),
            r("transmission", "met", None)
        ]
    );
    assert!(matches[1]["partner_id"].is_null(), "A's own car is marked as A's stock");
    assert_eq!(matches[0]["score"], 100);

    // B's new car that fits is found by the worker, A's owner hears of it once.
    let fresh = car(&s, &b, rav4(2021, 23_000, 82_000)).await;
    s.drain_jobs().await;
    s.app.queues.send("jobs", &cartie_domain::jobs::Job::MatchCar { workspace_id: ws_b.clone(), car_id: fresh.clone() }).await.unwrap();
    s.drain_jobs().await;
    let detail = s.get(&format!("/api/requests/{id}"), &a).await;
    let found = detail.body["matches"].as_array().unwrap().iter().find(|m| m["car_id"] == fresh.as_str()).cloned().expect("the new car matches");
    assert!(reasons(&found).contains(&r("mileage", "missed", Some(2000))), "{found}");
    let heard: Vec<Value> = notices(&s, &a).await.into_iter().filter(|n| n["notice"]["kind"] == "match_found").collect();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!(heard[0]["notice"]["params"]["partner"], "Beta Motors Lviv");
    assert_eq!(heard[0]["link"], format!("/requests/{id}"));

    // B sees the request (no buyer, no author) with only B's cars.
    let list = s.get("/api/partner-requests", &b).await;
    assert_eq!(list.body["items"][0]["request"]["id"], id.as_str(), "{}", list.body);
    assert_eq!(list.body["items"][0]["request"]["created_by"], "");
    let seen = s.get(&format!("/api/partner-requests/{ws_a}/{id}"), &b).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    let mine: Vec<&str> = seen.body["my_matches"].as_array().unwrap().iter().map(|m| m["car_id"].as_str().unwrap()).collect();
    assert_eq!(mine, vec![perfect.as_str(), fresh.as_str(), older.as_str()], "only B's cars: {}", seen.body);
    assert!(seen.body["my_matches"][0]["partner_id"].is_null(), "B's own cars, as B sees them");

    // C is nobody's partner: it sees nothing and cannot offer.
    assert_eq!(s.get("/api/partner-requests", &c).await.body["items"], json!([]));
    assert_eq!(s.get(&format!("/api/partner-requests/{ws_a}/{id}"), &c).await.status, StatusCode::NOT_FOUND);
    let no = s.call(Method::POST, &format!("/api/partner-requests/{ws_a}/{id}/offers"), Some(&c), Some(json!({"car_id": perfect, "price": 1}))).await;
    assert_eq!(no.status, StatusCode::NOT_FOUND);

    // Offers: B's, sent twice, is one; D's too; neither sees the other's.
    let body = json!({"car_id": perfect, "price": 23500, "comment": "Ready to drive, full service history"});
    let sent = s.call(Method::POST, &format!("/api/partner-requests/{ws_a}/{id}/offers"), Some(&b), Some(body.clone())).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let again = s.call(Method::POST, &format!("/api/partner-requests/{ws_a}/{id}/offers"), Some(&b), Some(body)).await;
    assert_eq!((again.status, again.body["my_offers"].as_array().unwrap().len()), (StatusCode::OK, 1), "{}", again.body);
    let b_offer = sent.body["my_offers"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(sent.body["my_offers"][0]["comments"][0]["text"], "Ready to drive, full service history");
    let d_sent = s.call(Method::POST, &format!("/api/partner-requests/{ws_a}/{id}/offers"), Some(&d), Some(json!({"car_id": deltas, "price": 24800}))).await;
    assert_eq!(d_sent.status, StatusCode::CREATED, "{}", d_sent.body);
    let d_offer = d_sent.body["my_offers"][0]["id"].as_str().unwrap().to_string();
    let d_view = s.get(&format!("/api/partner-requests/{ws_a}/{id}"), &d).await;
    assert_eq!(d_view.body["my_offers"].as_array().unwrap().len(), 1, "D sees only its own offer");
    let sneaky = s.call(Method::POST, &format!("/api/partner-requests/{ws_a}/{id}/offers/{b_offer}/comments"), Some(&d), Some(json!({"text": "psst"}))).await;
    assert_eq!(sneaky.status, StatusCode::NOT_FOUND, "D cannot write in B's thread");

    let detail = s.get(&format!("/api/requests/{id}"), &a).await;
    assert_eq!((detail.body["request"]["status"].as_str(), detail.body["request"]["offers"].as_u64()), (Some("offers"), Some(2)), "{}", detail.body);
    s.drain_jobs().await;
    assert_eq!(notices(&s, &a).await.iter().filter(|n| n["notice"]["kind"] == "offer_received").count(), 2);
    assert_eq!(offers_to_answer(&s, &a).await, 2, "the dashboard counts offers to answer");

    // A asks, B answers, A accepts B's: won; D's closed and D told.
    let asked =
        s.call(Method::POST, &format!("/api/requests/{id}/offers/{b_offer}/comments"), Some(&a), Some(json!({"text": "Can you deliver to Kyiv?"}))).await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    let thread = s.get(&format!("/api/partner-requests/{ws_a}/{id}"), &b).await.body["my_offers"][0]["comments"].clone();
    assert_eq!((thread[1]["text"].as_str(), thread[1]["mine"].as_bool()), (Some("Can you deliver to Kyiv?"), Some(false)), "{thread}");
    let won = s.call(Method::POST, &format!("/api/requests/{id}/offers/{b_offer}/accept"), Some(&a), None).await;
    assert_eq!((won.status, won.body["request"]["status"].as_str()), (StatusCode::OK, Some("won")), "{}", won.body);
    let twice = s.call(Method::POST, &format!("/api/requests/{id}/offers/{b_offer}/accept"), Some(&a), None).await;
    assert_eq!(twice.status, StatusCode::OK, "accepting again is the same answer");
    let offers = won.body["offers"].as_array().unwrap();
    let status_of = |oid: &str| offers.iter().find(|o| o["id"] == oid).unwrap()["status"].as_str().unwrap().to_string();
    assert_eq!((status_of(&b_offer), status_of(&d_offer)), ("accepted".to_string(), "closed".to_string()));
    s.drain_jobs().await;
    let told = |v: Vec<Value>| {
        v.into_iter().filter(|n| n["notice"]["kind"] == "offer_answered").map(|n| n["notice"]["params"]["accepted"].clone()).collect::<Vec<_>>()
    };
    assert_eq!(told(notices(&s, &b).await), vec![json!(true)]);
    assert_eq!(told(notices(&s, &d).await), vec![json!(false)]);
    assert_eq!(offers_to_answer(&s, &a).await, 0);
    let history: Vec<String> = won.body["history"].as_array().unwrap().iter().map(|h| h["change"]["kind"].as_str().unwrap().to_string()).collect();
    assert_eq!(history, vec!["created", "offer_received", "offer_received", "offer_accepted"]);
    let _ = ws_d;
}

#[tokio::test]
async fn bad_b2b_input_names_its_field_and_changes_nothing() {
    let s = Stack::new().await;
    let (_ws, a) = s.workspace("Epsilon Cars", "owner@epsilon-b2b.test").await;
    let own = slug(&s, &a).await;
    for (path, body, field) in [
        ("/api/partners", json!({"slug": own}), "slug"),
        ("/api/partners", json!({"slug": "no-such-company"}), "slug"),
        ("/api/requests", json!({"make": "  "}), "make"),
        ("/api/requests", json!({"make": "BMW", "year_from": 2022, "year_to": 2019}), "year_to"),
        ("/api/requests", json!({"make": "BMW", "budget": -5}), "budget"),
        ("/api/requests", json!({"make": "BMW", "deadline": "soon"}), "deadline"),
        ("/api/requests", json!({"make": "BMW", "status": "won"}), "status"),
        ("/api/requests", json!({"make": "BMW", "conversation": "1:2"}), "conversation"),
    ] {
        let r = s.call(Method::POST, path, Some(&a), Some(body.clone())).await;
        assert_eq!((r.status, r.body["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{body}: {}", r.body);
    }
    assert_eq!(s.get("/api/requests", &a).await.body["requests"], json!([]));
    assert_eq!(s.get("/api/partners", &a).await.body["items"], json!([]));
    let bad = s.call(Method::PUT, "/api/company", Some(&a), Some(json!({"phone": "call me"}))).await;
    assert_eq!(bad.body["error"]["field"], "phone");

    // A request moves only the ways a dealer may move it.
    let req = s.call(Method::POST, "/api/requests", Some(&a), Some(json!({"make": "BMW", "status": "draft"}))).await;
    let id = req.body["request"]["id"].as_str().unwrap();
    let r = s.call(Method::POST, &format!("/api/requests/{id}/status"), Some(&a), Some(json!({"status": "won"}))).await;
    assert_eq!((r.status, r.body["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("status")), "{}", r.body);
    let r = s.call(Method::POST, &format!("/api/requests/{id}/status"), Some(&a), Some(json!({"status": "open"}))).await;
    assert_eq!(r.body["request"]["status"], "open");
    let r = s.call(Method::PUT, &format!("/api/requests/{id}"), Some(&a), Some(json!({"make": "BMW", "model": "X5", "budget": 40000}))).await;
    assert_eq!(r.body["history"][2]["change"], json!({"kind": "edited", "fields": ["model", "budget"]}), "{}", r.body);
}

#[tokio::test]
async fn an_open_request_expires_when_its_deadline_day_is_over_in_the_workspaces_zone() {
    let s = Stack::new().await;
    let at = |rfc: &str| cartie_store::util::parse_rfc3339(rfc).unwrap();
    cartie_store::clock::freeze_at(at("2027-01-30T10:00:00Z"));
    let (_ws, a) = s.workspace("Zeta Cars", "owner@zeta-b2b.test").await;
    let tz = s.call(Method::PATCH, "/api/workspace", Some(&a), Some(json!({"time_zone": "Europe/Kyiv"}))).await;
    assert_eq!(tz.status, StatusCode::OK, "{}", tz.body);
    let req = s.call(Method::POST, "/api/requests", Some(&a), Some(json!({"make": "Skoda", "model": "Octavia", "deadline": "2027-01-31"}))).await;
    let id = req.body["request"]["id"].as_str().unwrap().to_string();
    let done = s.call(Method::POST, "/api/requests", Some(&a), Some(json!({"make": "Skoda", "deadline": "2027-01-31"}))).await;
    let done_id = done.body["request"]["id"].as_str().unwrap().to_string();
    let won = s.call(Method::POST, &format!("/api/requests/{done_id}/status"), Some(&a), Some(json!({"status": "won"}))).await;
    assert_eq!(won.body["request"]["status"], "won");
    s.drain_jobs().await;

    // Midnight in Kyiv is 22:00 UTC: a minute before, it still waits.
    s.run_due_at(at("2027-01-31T21:58:00Z")).await;
    let a = s.fresh_token("owner@zeta-b2b.test").await;
    assert_eq!(s.get(&format!("/api/requests/{id}"), &a).await.body["request"]["status"], "open");
    s.run_due_at(at("2027-01-31T22:01:00Z")).await;
    let r = s.get(&format!("/api/requests/{id}"), &a).await;
    assert_eq!(r.body["request"]["status"], "expired", "{}", r.body);
    let last = r.body["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["by"].as_str(), last["change"]["to"].as_str()), (Some("Cartie"), Some("expired")));
    // A won request stays won; running the day again changes nothing.
    s.run_due_at(at("2027-01-31T22:05:00Z")).await;
    assert_eq!(s.get(&format!("/api/requests/{done_id}"), &a).await.body["request"]["status"], "won");
    assert_eq!(s.get(&format!("/api/requests/{id}"), &a).await.body["history"].as_array().unwrap().len(), 2);
}
