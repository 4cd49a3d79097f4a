//! Channel posts: reads every post in `tests/posts/posts.json` with
//! `extract_post` and checks the fields each states (see that folder's
//! SOURCES.md: these are written examples, not real posts).

use std::fs;
use std::path::Path;

use cartie_parser::{draft, extract_post, MileageUnit, PostEntity};
use serde_json::Value;

#[test]
fn posts_give_their_cars() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/posts/posts.json");
    let posts: Vec<Value> = serde_json::from_str(&fs::read_to_string(path).expect("posts")).expect("json");
    assert!(posts.len() >= 8);
    let mut misses = Vec::new();
    let mut stated = 0;
    for p in &posts {
        let text = p["text"].as_str().unwrap_or("");
        let entities: Vec<PostEntity> = serde_json::from_value(p["entities"].clone()).unwrap_or_default();
        let e = extract_post(text, &entities, p["country"].as_str().unwrap_or(""));
        let d = draft(&e, "tg://channel/post");
        let got = |f: &str| -> Option<String> {
            match f {
                "make" => d.make.clone(),
                "model" => d.model.clone(),
                "year" => d.year.map(|y| y.to_string()),
                "mileage" => d.mileage.map(|m| m.to_string()),
                "mileage_unit" => d.mileage_unit.map(|u| match u {
                    MileageUnit::Km => "km".into(),
                    MileageUnit::Mi => "mi".into(),
                }),
                "fuel" => d.fuel.clone(),
                "transmission" => d.transmission.clone(),
                "price" => d.price.map(|v| format!("{v}")),
                "currency" => d.currency.clone(),
                _ => None,
            }
        };
        for (field, want) in p["expected"].as_object().into_iter().flatten() {
            stated += 1;
            let want = match want {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let have = got(field);
            if have.as_deref() != Some(want.as_str()) {
                misses.push(format!("{}: {field} expected {want}, got {have:?}", p["name"]));
            }
        }
    }
    println!("posts: {} of {stated} stated fields right", stated - misses.len());
    assert!(misses.is_empty(), "misses:\n{}", misses.join("\n"));
}
