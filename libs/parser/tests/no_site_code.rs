//! The extractor holds no host names and no per-site branches: sites differ
//! through general rules, the vocabularies in `data/` and the dealer's
//! saved mappings. This test scans the extraction sources and data files
//! for host names and for the names of the sites in the corpus.

use std::fs;
use std::path::{Path, PathBuf};

/// Marketplace and dealer-platform names that must not appear in code.
const SITE_NAMES: &[&str] = &[
    "autoscout",
    "mobile.de",
    "otomoto",
    "auto.ria",
    "ria.com",
    "riastatic",
    "olx",
    "avito",
    "drom.ru",
    "craigslist",
    "leboncoin",
    "cars.com",
    "autotrader",
    "carsensor",
    "clickdealer",
    "ebayimg",
    "ss.lv",
    "ss.com",
    "autoplius",
    "subito",
    "webmotors",
    "coches",
    "rst.ua",
    "autovit",
    "standvirtual",
    "marktplaats",
    "cargurus",
    "kijiji",
    "ytimg",
    "youtube",
];

/// Generic top-level domains and country codes a host name would end in.
const TLDS: &[&str] = &["com", "net", "org", "de", "pl", "ua", "ru", "lv", "lt", "ee", "fr", "es", "it", "pt", "nl", "uk", "jp", "br", "ca", "us", "io"];

/// Hosts that are no site: the schema.org vocabulary and reserved examples.
const ALLOWED: &[&str] = &["schema.org", "example.com", "example.org", "example.net"];

fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("src/vocab.rs"), root.join("src/util.rs")];
    for dir in ["src/extract", "data"] {
        if let Ok(rd) = fs::read_dir(root.join(dir)) {
            out.extend(rd.filter_map(|e| e.ok()).map(|e| e.path()));
        }
    }
    // Test modules (`tests.rs`, `tests_rules.rs`...) are not the extractor:
    // they put rules on pages at made-up hosts in many countries.
    out.retain(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with("tests")));
    out
}

/// Host-like words: letters/digits/dashes, a dot, a known TLD, a boundary.
fn hosts_in(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices('.') {
        let label_start = lower[..i].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')).map(|p| p + 1).unwrap_or(0);
        if label_start == i {
            continue;
        }
        let rest = &lower[i + 1..];
        for tld in TLDS {
            if rest.starts_with(tld) {
                let end = i + 1 + tld.len();
                let boundary = bytes.get(end).is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
                let host = &lower[label_start..end];
                let is_host = host.chars().any(|c| c.is_ascii_alphabetic()) && !host.starts_with('.') && host.split('.').all(|l| !l.is_empty());
                if boundary && is_host && !ALLOWED.iter().any(|a| host.ends_with(a)) {
                    out.push(host.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn the_extractor_names_no_site() {
    let files = sources();
    assert!(files.len() >= 10, "found {} files to scan", files.len());
    let mut problems = Vec::new();
    for f in &files {
        let Ok(text) = fs::read_to_string(f) else {
            continue;
        };
        let lower = text.to_lowercase();
        for name in SITE_NAMES {
            if lower.contains(name) {
                problems.push(format!("{}: names {name}", f.display()));
            }
        }
        for host in hosts_in(&text) {
            problems.push(format!("{}: host {host}", f.display()));
        }
    }
    assert!(problems.is_empty(), "site-specific code:\n{}", problems.join("\n"));
}

#[test]
fn the_scanner_finds_hosts() {
    assert_eq!(hosts_in("if host == \"www.otomoto.pl\" {"), vec!["www.otomoto.pl"]);
    assert_eq!(hosts_in("see https://auto.ria.com/uk/"), vec!["auto.ria.com"]);
    assert!(hosts_in("https://schema.org/Car and 3.0 l and a.jpg").is_empty());
}
