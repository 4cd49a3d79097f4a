//! Generated requests against the real handlers over moto and the sandbox:
//! every route with path parameters (real ids and junk), query strings and
//! bodies shaped by the OpenAPI document and then mutated, with a valid
//! owner token, a garbage one and none. Whatever comes in, the answer is
//! never a 5xx and never a dropped connection, and every refusal has the
//! JSON error shape. `CARTIE_FUZZ_API_CASES` sets the cases per route
//! (default 25).

use cartie_apikit::routes::ROUTES;
use cartie_e2e::fuzz::{damage, mutate, query, string, value, Rng};
use cartie_e2e::{Answer, Stack};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn cases() -> usize {
    std::env::var("CARTIE_FUZZ_API_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(25)
}

fn check(a: &Answer, what: &str) {
    assert!(!a.status.is_server_error(), "{what}: {} {}", a.status, a.body);
    if !a.status.is_success() && a.status != http::StatusCode::NOT_MODIFIED {
        assert!(a.body["error"]["code"].is_string(), "{what}: {} without the error shape: {}", a.status, a.body);
    }
}

#[tokio::test]
async fn generated_requests_never_get_a_5xx() {
    let s = Stack::new().await;
    let (ws, owner) = s.workspace("Fuzz Motors", "owner@fuzz.test").await;
    let bot = s.connect_bot(&owner, "FuzzMotorsBot").await;
    s.telegram
        .user_sends(bot.id, tg_sandbox::UserMessage::text(tg_sandbox::UserRef { id: 42, first_name: "Ann".into(), ..Default::default() }, "hi"))
        .await
        .unwrap();
    s.drain_updates().await;
    let car = s
        .call(http::Method::POST, "/api/inventory", Some(&owner), Some(json!({"make": "BMW", "model": "X5", "year": 2019, "price": 30000, "currency": "EUR", "mileage": 42000, "mileage_unit": "km", "status": "available"})))
        .await;
    let car_id = car.body["id"].as_str().unwrap_or("none").to_string();
    let sc = s.call(http::Method::POST, "/api/scenarios", Some(&owner), Some(json!({"name": "Leads", "template": "lead_generation"}))).await;
    let scenario_id = sc.body["id"].as_str().unwrap_or("none").to_string();
    let slug = s.app.store.workspace(&ws).await.unwrap().unwrap().slug;
    let upload = s.start_upload(&owner, "car_photo", "car.jpg", "image/jpeg", 1000).await;
    let file_id = upload.body["file"]["id"].as_str().unwrap_or("none").to_string();
    let real = |name: &str| -> String {
        match name {
            "bot_id" => bot.id.to_string(),
            "conversation_id" => format!("{}:42", bot.id),
            "id" => {
                if car_id.len() > 5 {
                    car_id.clone()
                } else {
                    scenario_id.clone()
                }
            }
            "slug" => slug.clone(),
            "file_id" => file_id.clone(),
            "version" => "1".into(),
            "email" => "owner%40fuzz.test".into(),
            _ => "x".into(),
        }
    };
    let doc: Value = serde_json::from_str(&cartie_apikit::openapi::json()).unwrap();
    let mut rng = Rng::new(0x00F0_22A9);
    let mut sent = 0;
    for route in ROUTES {
        // The import preview fetches a page from the internet; its body
        // decoding is covered by the decoder tests, its fetch by the parser's.
        if route.operation_id() == "parserPreview" {
            continue;
        }
        let op_doc = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
        let params: Vec<Value> = op_doc["parameters"].as_array().cloned().unwrap_or_default();
        for _ in 0..cases() {
            let mut path = route.path.to_string();
            for p in route.path_params() {
                let v = if rng.chance(50) {
                    real(p)
                } else {
                    percent_encoding::utf8_percent_encode(&string(&mut rng), percent_encoding::NON_ALPHANUMERIC).to_string()
                };
                path = path.replace(&format!("{{{p}}}"), if v.is_empty() { "_" } else { &v });
            }
            let q = query(&mut rng, &doc, &params);
            if !q.is_empty() {
                path = format!("{path}?{q}");
            }
            let body = route.request.map(|name| {
                let mut v = value(&mut rng, &doc, &json!({"$ref": format!("#/components/schemas/{name}")}), 0);
                if rng.chance(30) {
                    mutate(&mut rng, &mut v);
                }
                let mut bytes = v.to_string().into_bytes();
                if rng.chance(5) {
                    damage(&mut rng, &mut bytes);
                }
                bytes
            });
            let token = match rng.below(10) {
                0 => None,
                1 => Some("garbage.token.here".to_string()),
                _ => Some(owner.clone()),
            };
            let mut req = http::Request::builder().method(route.method.clone()).uri(&path).header("content-type", "application/json");
            if let Some(t) = &token {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            let a = s.send(req.body(axum::body::Body::from(body.clone().unwrap_or_default())).unwrap()).await;
            check(&a, &format!("{} {path} {}", route.method, String::from_utf8_lossy(&body.unwrap_or_default())));
            sent += 1;
        }
    }
    println!("{sent} generated requests, none answered 5xx");
}

#[tokio::test]
async fn mutated_updates_never_get_a_5xx() {
    let s = Stack::new().await;
    let (_ws, owner) = s.workspace("Mutant Motors", "owner@mutant.test").await;
    let bot = s.connect_bot(&owner, "MutantBot").await;
    let mut rng = Rng::new(0xB0D1E5);
    let base = json!({"update_id": 1, "message": {"message_id": 5, "date": 1_700_000_000, "chat": {"id": 42, "type": "private", "first_name": "Ann"},
        "from": {"id": 42, "is_bot": false, "first_name": "Ann"}, "text": "hello"}});
    for i in 0..cases() * 4 {
        let mut u = base.clone();
        u["update_id"] = json!(1000 + i);
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut u);
        }
        let a = s.deliver(bot.id, &u).await;
        check(&a, &format!("webhook {u}"));
    }
    // Whatever was queued, the worker takes without panicking (refusals go
    // to the dead-letter queue).
    s.drain_updates().await;
}

/// The request that once panicked the handler, sent over a real socket: a
/// raw UTF-8 byte after `%` in a public route's path. The connection must
/// answer (not drop) with a 4xx.
#[tokio::test]
async fn a_raw_byte_after_percent_gets_an_answer() {
    let s = Stack::new().await;
    let addr = s.url.trim_start_matches("http://").to_string();
    for path in [b"/api/invites/%a\xc3\xa9".to_vec(), b"/api/invites/%a%C3%A9".to_vec(), b"/api/miniapp/%\xff/cars/%".to_vec()] {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let mut req = b"GET ".to_vec();
        req.extend_from_slice(&path);
        req.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        stream.write_all(&req).await.unwrap();
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
        let answer = String::from_utf8_lossy(&answer);
        let status: u16 = answer.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        assert!((400..500).contains(&status), "{}: {answer:?}", String::from_utf8_lossy(&path));
    }
}
