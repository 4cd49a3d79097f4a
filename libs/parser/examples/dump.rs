//! Prints what the parser detects in a saved page:
//! `cargo run -p cartie-parser --example dump -- page.html https://example.com/car`
use cartie_parser::{draft, extract};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(url)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: dump <page.html> <url>");
        std::process::exit(2);
    };
    let html = match std::fs::read_to_string(path) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let e = extract(&html, url);
    for d in &e.detected {
        let v: String = d.value.chars().take(70).collect();
        println!("{:<13} {:<10} {:.2}  {}", d.field.as_str(), format!("{:?}", d.source), d.confidence, v);
    }
    println!("photos: {}", e.photos.len());
    for p in e.photos.iter().take(5) {
        println!("  {p}");
    }
    println!("{}", serde_json::to_string_pretty(&draft(&e, url)).unwrap_or_default());
}
