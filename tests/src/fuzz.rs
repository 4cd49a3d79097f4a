//! Input generators for the fuzz tests: requests shaped by the served
//! OpenAPI document (so most of them get past parsing into validation, where
//! the interesting bugs are), mutations of those (a field dropped, a wrong
//! type, an extreme value, junk bytes), and a small seeded RNG so a failure
//! names the seed that reproduces it.

use serde_json::{json, Map, Value};

/// xorshift64*: small, fast, reproducible from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Strings a request might carry, from plain to hostile.
const WORDS: &[&str] = &[
    "BMW",
    "Toyota",
    "X5",
    "Camry",
    "Київ",
    "Тойота",
    "ann@dealer.com",
    "https://example.com/car/1",
    "EUR",
    "USD",
    "UAH",
    "2019",
    "25000",
    "manager",
    "viewer",
    "admin",
    "owner",
    "available",
    "sold",
    "text",
    "photo",
    "lead_generation",
    "all",
    "/auto/",
    "normal",
    "high",
];
const HOSTILE: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "%",
    "%a",
    "%a\u{e9}",
    "%ff%fe",
    "\u{202e}evil",
    "🚗🚗🚗",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\u{feff}",
    "a\r\nb",
    "WS#other",
    "#",
    "null",
    "{}",
    "[]",
    "9223372036854775807",
    "-1",
    "1e309",
    "NaN",
];

/// A random string: a known word, a hostile one, or random characters.
pub fn string(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=4 => rng.pick(WORDS).to_string(),
        5..=6 => rng.pick(HOSTILE).to_string(),
        7 => "x".repeat(rng.below(5000)),
        _ => (0..rng.below(40)).map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?')).collect(),
    }
}

/// An integer the schema allows (its format and bounds), now and then at
/// the edge of that range; mutations take care of the values outside it.
fn integer(rng: &mut Rng, schema: &Value) -> Value {
    let (mut lo, mut hi) = match schema["format"].as_str() {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
        Some("uint32") => (0, i64::from(u32::MAX)),
        Some("int64") | None => (i64::MIN, i64::MAX),
        Some(_) => (0, i64::MAX),
    };
    lo = schema["minimum"].as_i64().unwrap_or(lo);
    hi = schema["maximum"].as_i64().unwrap_or(hi);
    match rng.below(10) {
        0 => json!(lo),
        1 => json!(hi),
        2 => json!(0.max(lo).min(hi)),
        _ => {
            let small = (rng.below(100_000) as i64).clamp(lo, hi);
            json!(small)
        }
    }
}

/// A value for `schema` (resolving `$ref`s against `doc`). `depth` bounds
/// recursive shapes.
pub fn value(rng: &mut Rng, doc: &Value, schema: &Value, depth: u32) -> Value {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or_default();
        return value(rng, doc, &doc["components"]["schemas"][name], depth);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array().filter(|o| !o.is_empty()) {
            let choice = rng.pick(options).clone();
            return value(rng, doc, &choice, depth);
        }
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut out = Map::new();
        for p in parts {
            if let Value::Object(m) = value(rng, doc, p, depth) {
                out.extend(m);
            }
        }
        return Value::Object(out);
    }
    if let Some(options) = schema["enum"].as_array().filter(|o| !o.is_empty()) {
        return rng.pick(options).clone();
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ if schema["properties"].is_object() => vec!["object"],
        _ => vec!["string", "integer", "object"],
    };
    let nullable = types.contains(&"null");
    // `{"type": "null"}` (the null arm of an optional field's `oneOf`) is null.
    if nullable && (types.len() == 1 || rng.chance(15)) {
        return Value::Null;
    }
    let concrete: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
    let ty = if concrete.is_empty() { "string" } else { *rng.pick(&concrete) };
    match ty {
        "object" if depth < 6 => {
            let required: Vec<&str> = schema["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            let mut out = Map::new();
            if let Some(props) = schema["properties"].as_object() {
                for (name, sub) in props {
                    if required.contains(&name.as_str()) || rng.chance(60) {
                        out.insert(name.clone(), value(rng, doc, sub, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        "array" if depth < 6 => {
            let n = rng.below(4);
            Value::Array((0..n).map(|_| value(rng, doc, &schema["items"], depth + 1)).collect())
        }
        "integer" => integer(rng, schema),
        "number" => json!(rng.below(1_000_000) as f64 / 7.0),
        "boolean" => json!(rng.chance(50)),
        _ => {
            if schema["format"] == "email" || rng.chance(3) {
                json!(format!("{}@dealer.test", rng.below(1_000_000)))
            } else {
                json!(string(rng))
            }
        }
    }
}

/// One mutation of a schema-shaped value: what a buggy client or an
/// attacker sends.
pub fn mutate(rng: &mut Rng, v: &mut Value) {
    match v {
        Value::Object(m) if !m.is_empty() && rng.chance(70) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = rng.pick(&keys).clone();
            match rng.below(4) {
                0 => {
                    m.remove(&k);
                }
                1 => {
                    let text = json!(string(rng));
                    m.insert(k, text);
                }
                2 => {
                    if let Some(inner) = m.get_mut(&k) {
                        mutate(rng, inner);
                    }
                }
                _ => {
                    m.insert(k, rng.pick(&[json!(null), json!([]), json!({}), json!(-1), json!(1e308), json!(true)]).clone());
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let i = rng.below(a.len());
            mutate(rng, &mut a[i]);
        }
        _ => {
            let text = json!(string(rng));
            *v = rng.pick(&[json!(null), text, json!(i64::MIN), json!([]), json!({"x": 1})]).clone();
        }
    }
}

/// Bytes of a JSON value, sometimes damaged (truncated, a byte flipped,
/// trailing junk).
pub fn damage(rng: &mut Rng, bytes: &mut Vec<u8>) {
    if bytes.is_empty() {
        return;
    }
    match rng.below(3) {
        0 => bytes.truncate(rng.below(bytes.len())),
        1 => {
            let i = rng.below(bytes.len());
            bytes[i] ^= 1 << rng.below(8);
        }
        _ => bytes.extend_from_slice(b"}\xff\x00"),
    }
}

/// A query string for `params` (OpenAPI parameters of one operation).
pub fn query(rng: &mut Rng, doc: &Value, params: &[Value]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for p in params.iter().filter(|p| p["in"] == "query") {
        if rng.chance(50) {
            let v = value(rng, doc, &p["schema"], 3);
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            q.append_pair(p["name"].as_str().unwrap_or("x"), &text);
        }
    }
    if rng.chance(10) {
        q.append_pair(&string(rng), &string(rng));
    }
    let mut out = q.finish();
    if rng.chance(10) {
        let tail: &&str = rng.pick(&["&%", "&a=%zz", "&=&&", "&limit=1&limit=2", "&%e9=1"]);
        out.push_str(tail);
    }
    out
}
