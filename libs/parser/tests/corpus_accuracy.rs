//! Parses every saved page in `tests/corpus` offline and reports per-field
//! accuracy against `<name>.expected.json`. Fields a page does not state are
//! left out of its expected file and do not count.

use std::fs;
use std::path::Path;

use cartie_parser::{draft, extract, ListingDraft, MileageUnit};
use serde_json::Value;

const FIELDS: [&str; 8] = [
    "price",
    "currency",
    "year",
    "make",
    "model",
    "mileage",
    "mileage_unit",
    "vin",
];
/// Fields that must reach 90 % over the pages that state them.
const REQUIRED: [&str; 4] = ["price", "year", "make", "model"];

fn simplify(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the draft got `field` right.
fn matches(d: &ListingDraft, field: &str, want: &Value) -> (bool, String) {
    let got: Option<String> = match field {
        "price" => d.price.map(|p| format!("{p}")),
        "currency" => d.currency.clone(),
        "year" => d.year.map(|y| y.to_string()),
        "make" => d.make.clone(),
        "model" => d.model.clone(),
        "mileage" => d.mileage.map(|m| m.to_string()),
        "mileage_unit" => d.mileage_unit.map(|u| match u {
            MileageUnit::Km => "km".to_string(),
            MileageUnit::Mi => "mi".to_string(),
        }),
        "vin" => d.vin.clone(),
        _ => None,
    };
    let want_s = match want {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let ok = match (&got, field) {
        (None, _) => false,
        (Some(g), "price") => g
            .parse::<f64>()
            .ok()
            .zip(want.as_f64())
            .is_some_and(|(a, b)| (a - b).abs() < 0.5),
        (Some(g), "make" | "model") => simplify(g) == simplify(&want_s),
        (Some(g), _) => *g == want_s,
    };
    (ok, got.unwrap_or_else(|| "—".to_string()))
}

#[test]
fn corpus_accuracy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".html"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "corpus has {} pages", names.len());

    // field -> (stated, correct), for all pages and for the real ones only.
    let mut totals: Vec<(usize, usize)> = vec![(0, 0); FIELDS.len()];
    let mut real: Vec<(usize, usize)> = vec![(0, 0); FIELDS.len()];
    let mut real_pages = 0;
    let mut misses = Vec::new();
    for name in &names {
        let stem = name.trim_end_matches(".html");
        let html = fs::read_to_string(dir.join(name)).expect("read page");
        let exp: Value = serde_json::from_str(
            &fs::read_to_string(dir.join(format!("{stem}.expected.json"))).expect("expected file"),
        )
        .expect("expected json");
        let url = exp["url"].as_str().expect("url");
        let is_real = exp["kind"].as_str() == Some("real");
        real_pages += usize::from(is_real);
        let d = draft(&extract(&html, url), url);
        for (i, field) in FIELDS.iter().enumerate() {
            let want = &exp["expected"][field];
            if want.is_null() {
                continue;
            }
            totals[i].0 += 1;
            real[i].0 += usize::from(is_real);
            let (ok, got) = matches(&d, field, want);
            if ok {
                totals[i].1 += 1;
                real[i].1 += usize::from(is_real);
            } else {
                misses.push(format!("  {stem}: {field} expected {want}, got {got}"));
            }
        }
    }

    for (title, table) in [
        (format!("all {} pages", names.len()), &totals),
        (format!("real pages only ({real_pages})"), &real),
    ] {
        println!("\ncorpus, {title}");
        println!(
            "{:<13} {:>6} {:>8} {:>9}",
            "field", "pages", "correct", "accuracy"
        );
        for (i, field) in FIELDS.iter().enumerate() {
            let (n, ok) = table[i];
            let acc = if n == 0 {
                0.0
            } else {
                100.0 * ok as f64 / n as f64
            };
            println!("{field:<13} {n:>6} {ok:>8} {acc:>8.1}%");
        }
    }
    if !misses.is_empty() {
        println!("misses:\n{}", misses.join("\n"));
    }
    for field in REQUIRED {
        let i = FIELDS.iter().position(|f| *f == field).unwrap_or(0);
        let (n, ok) = totals[i];
        assert!(n > 0, "no page states {field}");
        assert!(ok as f64 / n as f64 >= 0.9, "{field}: {ok}/{n} below 90%");
    }
}
