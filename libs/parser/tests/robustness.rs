//! Untrusted input must never panic: truncated pages, random bytes, odd URLs.

use std::fs;
use std::path::Path;

use cartie_parser::{apply, domain_of, draft, extract, DomainMapping, Field, Rule};

/// Small deterministic generator (no extra dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const PIECES: &[&str] = &[
    "<",
    ">",
    "</",
    "<div>",
    "</div>",
    "<script type=\"application/ld+json\">",
    "</script>",
    "{",
    "}",
    "[",
    "]",
    "\"@type\":\"Car\"",
    "\"offers\":",
    "\"price\":",
    "\"@graph\":[",
    ",",
    ":",
    "\"",
    "itemprop=\"price\"",
    "itemscope",
    "itemtype=\"https://schema.org/Car\"",
    "€ 24.990",
    "$",
    "24,990",
    "km",
    "miles",
    "VIN",
    "1M8GDM9AXKP042788",
    "Baujahr",
    "2019",
    "万km",
    "Пробег",
    "<dt>",
    "<dd>",
    "<h1>",
    "BMW",
    "Mercedes-Benz",
    "<img src=\"",
    "\">",
    "javascript:",
    "//",
    "\u{0}",
    "\u{feff}",
    "é",
    "🚗",
    "&amp;",
    "&#x0;",
    "<!--",
    "-->",
];

#[test]
fn truncated_corpus_pages_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut pages = 0;
    for entry in fs::read_dir(&dir).expect("corpus").filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        pages += 1;
        let html = fs::read_to_string(&path).expect("read");
        // At most about 8 cuts per page: every 4 KB on small pages, evenly
        // spread on large ones (each cut re-parses the whole prefix).
        let step = 4099.max(html.len() / 8 + 1);
        let mut cut = 0;
        while cut < html.len() {
            let mut end = cut;
            while !html.is_char_boundary(end) {
                end += 1;
            }
            let e = extract(&html[..end], "https://example.com/car/1");
            let _ = draft(&e, "https://example.com/car/1");
            cut += step;
        }
    }
    assert!(pages > 0);
}

#[test]
fn random_markup_never_panics() {
    let mut rng = Lcg(42);
    let mapping = DomainMapping {
        domain: "example.com".into(),
        path_prefix: None,
        rules: vec![
            Rule { field: Field::Price, selector: Some("h1, [itemprop=price]".into()), from: None, fixed: None },
            Rule { field: Field::Year, selector: None, from: Some(Field::Title), fixed: None },
            Rule { field: Field::Vin, selector: None, from: None, fixed: Some("not a vin".into()) },
        ],
    };
    for _ in 0..300 {
        let n = 1 + (rng.next() % 120) as usize;
        let doc: String = (0..n).map(|_| PIECES[(rng.next() as usize) % PIECES.len()]).collect();
        let e = extract(&doc, "https://example.com/x");
        let _ = apply(Some(&mapping), &e, &doc, "https://example.com/x");
        let _ = extract(&doc, "::::");
    }
}

#[test]
fn odd_urls_never_panic() {
    for url in [
        "",
        " ",
        "http://",
        "https://[::1",
        "http://user:pass@host:99999/",
        "http://ex ample.com/",
        "mailto:a@b.c",
        "http://例え.テスト/車",
        "http://xn--/",
        "//no-scheme.com/a",
        "http://a.com/%zz",
        "http://www./",
    ] {
        let _ = domain_of(url);
        let _ = extract("<h1>BMW X5 2019</h1><img src=\"/a.jpg\" class=gallery>", url);
    }
}
