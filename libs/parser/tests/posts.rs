//! Channel posts: reads every post in `tests/posts/posts.json` with
//! `extract_post` and checks the fields each states. Most posts are real
//! ones copied from public repositories (`"source"`, see that folder's
//! SOURCES.md); a few were written for these tests (`"written": true`).
//!
//! Written posts are the extractor's spec: every stated field must be read.
//! Real posts are scored: the accuracy over their stated fields, and per
//! field, is printed and must stay above the floors below, which the
//! extractor reached when they were set — a drop means a regression.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use cartie_parser::{draft, extract_post, MileageUnit, PostEntity};
use serde_json::Value;

/// Share of the real posts' stated fields read right.
const REAL_FLOOR: f64 = 0.96;
/// Per-field floors on real posts (fields stated in at least five posts).
const FIELD_FLOORS: &[(&str, f64)] = &[
    ("make", 0.90),
    ("model", 0.88),
    ("year", 0.95),
    ("mileage", 0.95),
    ("mileage_unit", 0.95),
    ("fuel", 0.92),
    ("transmission", 0.93),
    ("price", 0.95),
    ("currency", 0.92),
    ("vin", 0.99),
];

#[derive(Default)]
struct Score {
    stated: usize,
    right: usize,
}

impl Score {
    fn share(&self) -> f64 {
        if self.stated == 0 {
            1.0
        } else {
            self.right as f64 / self.stated as f64
        }
    }
}

fn load() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/posts/posts.json");
    serde_json::from_str(&fs::read_to_string(path).expect("posts")).expect("json")
}

/// What the extractor reads from a post, field by field, as the expected
/// values are written.
fn read(p: &Value) -> BTreeMap<&'static str, String> {
    let text = p["text"].as_str().unwrap_or("");
    let entities: Vec<PostEntity> = serde_json::from_value(p["entities"].clone()).unwrap_or_default();
    let e = extract_post(text, &entities, p["country"].as_str().unwrap_or(""));
    let d = draft(&e, "tg://channel/post");
    let mut out = BTreeMap::new();
    let mut put = |k: &'static str, v: Option<String>| {
        if let Some(v) = v {
            out.insert(k, v);
        }
    };
    put("make", d.make.clone());
    put("model", d.model.clone());
    put("year", d.year.map(|y| y.to_string()));
    put("mileage", d.mileage.map(|m| m.to_string()));
    put(
        "mileage_unit",
        d.mileage_unit.map(|u| match u {
            MileageUnit::Km => "km".into(),
            MileageUnit::Mi => "mi".into(),
        }),
    );
    put("fuel", d.fuel.clone());
    put("transmission", d.transmission.clone());
    put("price", d.price.map(|v| format!("{v}")));
    put("currency", d.currency.clone());
    put("vin", d.vin.clone());
    out
}

fn want(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn posts_are_real_or_marked_written() {
    let posts = load();
    let real = posts.iter().filter(|p| p["source"].is_string()).count();
    assert!(real >= 30, "{real} real posts");
    for p in &posts {
        let written = p["written"].as_bool() == Some(true);
        assert!(written != p["source"].is_string(), "{}: a post is either written or has a source", p["name"]);
        assert!(p["expected"].as_object().is_some_and(|e| !e.is_empty()), "{}: no expected fields", p["name"]);
    }
    let mut names: Vec<&str> = posts.iter().filter_map(|p| p["name"].as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), posts.len(), "post names are unique");
}

#[test]
fn written_posts_give_their_cars() {
    let mut misses = Vec::new();
    let mut stated = 0;
    for p in load().iter().filter(|p| p["written"].as_bool() == Some(true)) {
        let got = read(p);
        for (field, w) in p["expected"].as_object().into_iter().flatten() {
            stated += 1;
            let w = want(w);
            if got.get(field.as_str()) != Some(&w) {
                misses.push(format!("{}: {field} expected {w}, got {:?}", p["name"], got.get(field.as_str())));
            }
        }
    }
    println!("written posts: {} of {stated} stated fields right", stated - misses.len());
    assert!(misses.is_empty(), "misses:\n{}", misses.join("\n"));
}

#[test]
fn real_posts_read_well() {
    let mut total = Score::default();
    let mut fields: BTreeMap<String, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut posts = 0;
    for p in load().iter().filter(|p| p["source"].is_string()) {
        posts += 1;
        let got = read(p);
        for (field, w) in p["expected"].as_object().into_iter().flatten() {
            let w = want(w);
            let ok = got.get(field.as_str()) == Some(&w);
            let s = fields.entry(field.clone()).or_default();
            s.stated += 1;
            total.stated += 1;
            if ok {
                s.right += 1;
                total.right += 1;
            } else {
                misses.push(format!("  {}: {field} expected {w}, got {:?}", p["name"], got.get(field.as_str())));
            }
        }
    }
    println!("real posts: {posts} posts, {} of {} stated fields right ({:.1}%)", total.right, total.stated, total.share() * 100.0);
    for (f, s) in &fields {
        println!("  {f:<13} {:>3}/{:<3} {:>5.1}%", s.right, s.stated, s.share() * 100.0);
    }
    if !misses.is_empty() {
        println!("misses:\n{}", misses.join("\n"));
    }
    assert!(total.share() >= REAL_FLOOR, "real posts: {:.1}% < {:.0}%", total.share() * 100.0, REAL_FLOOR * 100.0);
    for (f, floor) in FIELD_FLOORS {
        if let Some(s) = fields.get(*f).filter(|s| s.stated >= 5) {
            assert!(s.share() >= *floor, "{f}: {:.1}% < {:.0}%", s.share() * 100.0, floor * 100.0);
        }
    }
}
