//! Property tests over every decoder of untrusted input, without I/O: the
//! path router and percent decoding, every route's query string and JSON
//! body (generated from the served OpenAPI document, then mutated), login
//! tokens, Mini App `initData`, webhook bodies (mutated real-shaped
//! updates) and pagination cursors. None may panic; every refusal is a 4xx.
//!
//! `CARTIE_FUZZ_CASES` sets the cases per target (default 2,000, what CI
//! runs); `scripts/fuzz.sh` runs a million for the cheap decoders.
//! `CARTIE_FUZZ_SEED` reproduces a run.

use cartie_apikit::ops::{decode, RawParams};
use cartie_apikit::routes::{lookup, Lookup, ROUTES};
use cartie_e2e::fuzz::{damage, mutate, query, string, value, Rng};
use proptest::prelude::*;
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("CARTIE_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

fn seed() -> u64 {
    std::env::var("CARTIE_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x00C4_A271_E5EE_D000)
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

fn doc() -> Value {
    serde_json::from_str(&cartie_apikit::openapi::json()).expect("the OpenAPI document is JSON")
}

/// Plausible values for a route's path parameters.
fn params_for(route: &cartie_apikit::Route, rng: &mut Rng) -> RawParams {
    route
        .path_params()
        .map(|name| {
            let v = match (name, rng.below(3)) {
                ("bot_id", 0) => "1234567".to_string(),
                ("conversation_id", 0) => "1234567:42".to_string(),
                ("version", 0) => "3".to_string(),
                _ => string(rng),
            };
            (name, v)
        })
        .collect()
}

fn assert_refusal(e: &cartie_apikit::ApiError, what: &str) {
    assert!(e.status.is_client_error(), "{what}: {} {} ({:?})", e.status, e.message, e.field);
}

proptest! {
    #![proptest_config(config())]

    /// Any path and method finds a route or none; decoding the path's
    /// parameters never panics and refuses with a 4xx.
    #[test]
    fn paths_never_panic(path in "(/[a-z%0-9\\u{e9}\\u{1F697}{}:._~-]{0,12}){0,6}", raw in proptest::collection::vec(any::<u8>(), 0..40), m in 0usize..5) {
        let method = [http::Method::GET, http::Method::POST, http::Method::PUT, http::Method::PATCH, http::Method::DELETE][m].clone();
        for p in [path.clone(), format!("/api{path}"), format!("/api/invites/{}", String::from_utf8_lossy(&raw))] {
            if let Lookup::Found(route, params) = lookup(&method, &p) {
                if let Err(e) = decode(route.op, &params, "", b"{}") {
                    assert_refusal(&e, &p);
                }
            }
        }
    }

    /// Login tokens: any string is refused with a reason, never a panic.
    #[test]
    fn tokens_never_panic(token in ".{0,300}", tamper in any::<usize>()) {
        let key = cartie_apikit::auth::TokenKey::new(&[9u8; 32]).unwrap();
        prop_assert!(key.verify(&token, 100).is_err());
        let good = key.sign(&cartie_apikit::auth::Claims { sub: "ann@dealer.test".into(), ws: Some("W".into()), iat: 1, exp: 200 });
        let mut bytes = good.into_bytes();
        let i = tamper % bytes.len();
        bytes[i] = bytes[i].wrapping_add(1);
        let _ = key.verify(&String::from_utf8_lossy(&bytes), 100);
    }

    /// Cursors: anything a client sends back is a cursor Cartie made or
    /// `Invalid("cursor")`.
    #[test]
    fn cursors_never_panic(c in ".{0,200}") {
        for result in [cartie_store::cursor::decode_key(&c).map(|_| ()), cartie_store::cursor::decode_id(&c).map(|_| ())] {
            if let Err(e) = result {
                prop_assert!(matches!(e, cartie_store::StoreError::Invalid(ref f) if f == "cursor"), "{e}");
            }
        }
    }

    /// Mini App initData: any string, and any damage to a valid one, is
    /// refused with a reason.
    #[test]
    fn init_data_never_panics(junk in ".{0,400}", cut in any::<usize>(), flip in any::<usize>()) {
        let _ = cartie_telegram::webapp::check_init_data(&junk, "123:ABC", 1_700_000_000, 86_400);
        let sb = tg_sandbox::Sandbox::new();
        let bot = sb.create_bot("FuzzBot", "Fuzz");
        let user = tg_sandbox::UserRef { id: 7, first_name: "Ann".into(), ..Default::default() };
        let good = sb.webapp_init_data(bot.id, &user, None).unwrap();
        prop_assert!(cartie_telegram::webapp::check_init_data(&good, &bot.token, cartie_store::util::now_ms() / 1000, 86_400).is_ok());
        let mut bytes = good.into_bytes();
        let i = flip % bytes.len();
        bytes[i] = bytes[i].wrapping_add(1 + (flip % 7) as u8);
        bytes.truncate(bytes.len() - cut % bytes.len().max(1));
        let _ = cartie_telegram::webapp::check_init_data(&String::from_utf8_lossy(&bytes), &bot.token, 1_700_000_000, 86_400);
    }
}

/// Real-shaped updates of every kind Telegram sends a bot.
fn real_updates() -> Vec<Value> {
    let from = json!({"id": 42, "is_bot": false, "first_name": "Ann", "last_name": "K", "username": "ann", "language_code": "uk"});
    let chat = json!({"id": 42, "type": "private", "first_name": "Ann", "username": "ann"});
    vec![
        json!({"update_id": 1, "message": {"message_id": 5, "date": 1_700_000_000, "chat": chat, "from": from, "text": "/start fb-ad-42",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}),
        json!({"update_id": 2, "message": {"message_id": 6, "date": 1_700_000_001, "chat": chat, "from": from, "caption": "this one",
            "photo": [{"file_id": "s", "file_unique_id": "s1", "width": 90, "height": 90}, {"file_id": "l", "file_unique_id": "l1", "width": 1280, "height": 960, "file_size": 12345}]}}),
        json!({"update_id": 3, "edited_message": {"message_id": 5, "date": 1_700_000_000, "edit_date": 1_700_000_100, "chat": chat, "from": from, "text": "edited"}}),
        json!({"update_id": 4, "callback_query": {"id": "cb1", "from": from, "chat_instance": "1", "data": "budget:25000",
            "message": {"message_id": 9, "date": 1_700_000_002, "chat": chat, "from": {"id": 1, "is_bot": true, "first_name": "Bot"}, "text": "Pick"}}}),
        json!({"update_id": 5, "message": {"message_id": 7, "date": 1_700_000_003, "chat": chat, "from": from,
            "contact": {"phone_number": "+380671234567", "first_name": "Ann", "user_id": 42}}}),
        json!({"update_id": 6, "message": {"message_id": 8, "date": 1_700_000_004, "chat": chat, "from": from, "location": {"latitude": 50.45, "longitude": 30.52}}}),
        json!({"update_id": 7, "message": {"message_id": 9, "date": 1_700_000_005, "chat": chat, "from": from,
            "voice": {"file_id": "v", "file_unique_id": "v1", "duration": 3, "mime_type": "audio/ogg"}}}),
        json!({"update_id": 8, "my_chat_member": {"chat": chat, "from": from, "date": 1_700_000_006,
            "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": true, "first_name": "Bot"}},
            "new_chat_member": {"status": "kicked", "until_date": 0, "user": {"id": 1, "is_bot": true, "first_name": "Bot"}}}}),
        json!({"update_id": 9, "message": {"message_id": 10, "date": 1_700_000_007, "chat": {"id": -1001, "type": "supergroup", "title": "Buyers"}, "from": from,
            "text": "hi", "reply_to_message": {"message_id": 3, "date": 1, "chat": {"id": -1001, "type": "supergroup"}}}}),
    ]
}

#[test]
fn webhook_bodies_never_panic() {
    let mut rng = Rng::new(seed());
    let updates = real_updates();
    for case in 0..cases() {
        let mut u = rng.pick(&updates).clone();
        for _ in 0..rng.below(4) {
            mutate(&mut rng, &mut u);
        }
        let mut bytes = u.to_string().into_bytes();
        if rng.chance(20) {
            damage(&mut rng, &mut bytes);
        }
        let peeked = cartie_telegram::peek_update(&bytes);
        let parsed = cartie_telegram::parse_update(1, &bytes, 0);
        if let (Ok(p), Ok(full)) = (&peeked, &parsed) {
            assert_eq!(*p, (full.update_id, full.chat_id), "case {case}: the webhook and the worker disagree on {}", String::from_utf8_lossy(&bytes));
        }
    }
}

#[test]
fn query_strings_decode_or_name_the_parameter() {
    let doc = doc();
    let mut rng = Rng::new(seed());
    for route in ROUTES {
        let op_doc = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
        let params: Vec<Value> = op_doc["parameters"].as_array().cloned().unwrap_or_default();
        if !params.iter().any(|p| p["in"] == "query") || route.request.is_some() {
            continue;
        }
        let (mut ok, mut total) = (0u32, 0u32);
        for _ in 0..cases() {
            let q = query(&mut rng, &doc, &params);
            let path = params_for(route, &mut rng);
            match decode(route.op, &path, &q, b"") {
                Ok(()) => ok += 1,
                Err(e) => {
                    assert_refusal(&e, &format!("{} ?{q}", route.path));
                    assert!(e.field.is_some(), "{} ?{q}: a refusal names what is wrong", route.path);
                }
            }
            total += 1;
        }
        println!("query {:<24} {:>6} cases, {:>5.1}% decoded", route.operation_id(), total, 100.0 * f64::from(ok) / f64::from(total));
    }
}

/// Every JSON body: schema-shaped values, some mutated, some damaged. The
/// share that gets past parsing into the handler's validation is reported
/// and must be at least 30% (random bytes only exercise serde's error path).
#[test]
fn json_bodies_shaped_by_the_schema() {
    let doc = doc();
    let mut rng = Rng::new(seed());
    let mut report = Vec::new();
    for route in ROUTES {
        let Some(schema_name) = route.op.body_schema() else { continue };
        let schema = json!({"$ref": format!("#/components/schemas/{schema_name}")});
        let (mut ok, mut total) = (0u32, 0u32);
        for case in 0..cases() {
            let mut v = value(&mut rng, &doc, &schema, 0);
            if rng.chance(30) {
                mutate(&mut rng, &mut v);
            }
            let mut bytes = v.to_string().into_bytes();
            if rng.chance(5) {
                damage(&mut rng, &mut bytes);
            }
            let params: RawParams = route
                .path_params()
                .map(|p| {
                    (
                        p,
                        if p == "bot_id" {
                            "1".to_string()
                        } else if p == "conversation_id" {
                            "1:2".to_string()
                        } else if p == "contact_id" || p == "channel_id" {
                            "42".to_string()
                        } else {
                            "x".to_string()
                        },
                    )
                })
                .collect();
            match decode(route.op, &params, "", &bytes) {
                Ok(()) => ok += 1,
                Err(e) => {
                    assert_refusal(&e, &format!("{} case {case}: {}", route.path, String::from_utf8_lossy(&bytes)));
                    assert!(e.field.is_some(), "{}: a refusal names the field", route.path);
                }
            }
            total += 1;
        }
        let share = f64::from(ok) / f64::from(total);
        report.push(format!("body  {:<24} {:>6} cases, {:>5.1}% past parsing", route.operation_id(), total, 100.0 * share));
        assert!(share >= 0.30, "{}: only {:.1}% of schema-shaped bodies parse; the generator or the schema is off", route.path, 100.0 * share);
    }
    println!("{}", report.join("\n"));
}
