//! Property tests: no input makes the parser panic, and what it returns is
//! always well formed (absolute http(s) photos, confidences in 0..=1,
//! positive prices). Inputs: arbitrary text, HTML built from the pieces
//! real listing pages are made of, corpus pages with random damage, and
//! arbitrary or URL-shaped page addresses.
//!
//! `CARTIE_FUZZ_CASES` sets the number of cases per property (CI runs the
//! default, 2,000; `scripts/fuzz.sh` can run long ones).

use std::fs;
use std::path::Path;

use cartie_parser::{draft, extract, Extraction};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn cases() -> u32 {
    std::env::var("CARTIE_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

fn runner() -> TestRunner {
    TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() })
}

/// What every extraction must look like, whatever the input.
fn check(e: &Extraction, url: &str) -> Result<(), TestCaseError> {
    for p in &e.photos {
        prop_assert!(p.starts_with("http://") || p.starts_with("https://"), "photo {p}");
    }
    for d in &e.detected {
        prop_assert!((0.0..=1.0).contains(&d.confidence), "{d:?}");
        prop_assert!(!d.value.is_empty(), "{d:?}");
    }
    let d = draft(e, url);
    if let Some(p) = d.price {
        prop_assert!(p > 0.0 && p.is_finite(), "price {p}");
    }
    Ok(())
}

const PIECES: &[&str] = &[
    "<div class=\"gallery\">",
    "</div>",
    "<img src=\"",
    "<img data-src=\"/p/1-1280x960.jpg\" srcset=\"a.jpg 320w, b.jpg 1280w\">",
    "<source srcset=\"",
    "<a href=\"/other/listing\">",
    "</a>",
    "<script type=\"application/ld+json\">",
    "<script>window.__STATE__={\"photos\":[\"https://cdn.example/p/2-640x480.jpg\"]}",
    "</script>",
    "{\"@type\":[\"Product\",\"Car\"],\"brand\":{\"name\":\"VW\"},\"model\":\"Golf\",",
    "\"offers\":{\"price\":\"18,500.00\",\"priceCurrency\":\"USD\"}}",
    "\"mileageFromOdometer\":{\"value\":0}",
    "<dl><dt>Пробіг</dt><dd>85 тис. км</dd></dl>",
    "<tr><th>Рік випуску</th><td>2019</td></tr>",
    "<li><span>Ātrumkārba</span><span>Automātiskā</span></li>",
    "<p>odometer: <b>120000</b></p>",
    "Kaina: 12 500 €",
    "1 099 999 грн • 28 549 $",
    "R$ 45.900",
    "5.2万km",
    "VIN: WVWZZZ1KZAW000001",
    "<h1>2012 toyota tacoma 4x4 - $4,500</h1>",
    "<meta property=\"og:image\" content=\"",
    "\">",
    "&amp;",
    "\u{202f}",
    "\u{a0}",
    "🔥",
    "<",
    ">",
    "\"",
    "'",
    " ",
    "\n",
];

fn html_from_pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => "[a-zA-Zа-яА-Я0-9 .,:/$€₴-]{0,12}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

fn url_like() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "(https?|ftp|data|javascript)://[a-z0-9.-]{0,20}(/[^ ]{0,20})?",
        Just("https://auto.example.ua/car/1".to_string()),
        Just(String::new()),
    ]
}

#[test]
fn arbitrary_text_never_panics() {
    runner().run(&(".{0,400}", url_like()), |(html, url)| check(&extract(&html, &url), &url)).expect("arbitrary text");
}

#[test]
fn listing_shaped_html_never_panics() {
    runner().run(&(html_from_pieces(), url_like()), |(html, url)| check(&extract(&html, &url), &url)).expect("listing-shaped html");
}

#[test]
fn damaged_corpus_pages_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    // Small pages only: the big ones take too long unoptimised.
    let pages: Vec<String> = fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| fs::read_to_string(e.path()).ok())
        .filter(|h| h.len() < 70_000)
        .collect();
    assert!(!pages.is_empty());
    let n = pages.len();
    let damage = (0..n, prop::collection::vec((any::<usize>(), ".{0,8}"), 1..6));
    let mut r = TestRunner::new(Config { cases: (cases() / 10).max(20), failure_persistence: None, ..Config::default() });
    r.run(&damage, |(i, edits)| {
        let mut html = pages[i].clone();
        for (at, insert) in edits {
            let mut at = at % (html.len() + 1);
            while !html.is_char_boundary(at) {
                at -= 1;
            }
            // Cut a piece out and put random text in its place.
            let mut end = (at + 40).min(html.len());
            while !html.is_char_boundary(end) {
                end -= 1;
            }
            html.replace_range(at..end, &insert);
        }
        let url = "https://dealer.example.com/car/1";
        check(&extract(&html, url), url)
    })
    .expect("damaged pages");
}

#[test]
fn value_parsers_never_panic() {
    use cartie_domain::values::{e164, parse_mileage, parse_money, parse_quantity, registration_year, year_range};
    let text = prop_oneof![".{0,60}", "[0-9 .,'\u{a0}\u{202f}]{0,20}(k|к|тис\\.?|млн|万)?[ ]?(km|км|mi|\\$|€|грн|zł|R\\$)?", "[+(]?[0-9 ()-]{0,20}",];
    runner()
        .run(&(text, "[a-z]{0,3}"), |(s, country)| {
            if let Some(m) = parse_money(&s, &country) {
                prop_assert!(m.amount.is_finite() && m.amount >= 0.0);
            }
            if let Some(p) = e164(&s, &country) {
                prop_assert!(p.starts_with('+') && p.len() <= 16, "{p}");
            }
            let _ = (parse_mileage(&s), parse_quantity(&s));
            let _ = (registration_year(&s, 2027), year_range(&s, 2027));
            Ok(())
        })
        .expect("value parsers");
}

#[test]
fn channel_posts_never_panic() {
    use cartie_parser::{extract_post, PostEntity};
    let entity = (0usize..200, 0usize..50, "[a-z_]{0,10}").prop_map(|(offset, length, kind)| PostEntity { kind, offset, length, url: None });
    let text = prop_oneof![".{0,300}", html_from_pieces(), "[🔥🚗 ]{0,3}[A-Za-zА-Яа-яіїє0-9 ,.:$€₴-]{0,80}(\n[A-Za-zА-Яа-яіїє0-9 ,.:$€₴-]{0,40}){0,5}",];
    runner()
        .run(&(text, prop::collection::vec(entity, 0..4), "[a-z]{0,2}"), |(text, entities, country)| {
            let e = extract_post(&text, &entities, &country);
            check(&e, "tg://post")
        })
        .expect("channel posts");
}

/// Pieces stock feeds are made of: separators, quotes, headers in several
/// languages, XML tags and entities, Cyrillic in Windows-1251 bytes.
const FEED_PIECES: &[&[u8]] = &[
    b"make;model;year;price;currency;vin;id\n",
    "Марка,Модель,Рік випуску,Ціна,Пробіг\r\n".as_bytes(),
    b"\xcc\xe0\xf0\xea\xe0;",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"BMW;320d;2018;21500;EUR;WBA8E9C50JA123456;A-1\n",
    b"\"quoted; \"\"field\"\"\n with a break\"",
    b";",
    b",",
    b"\t",
    b"\"",
    b"\n",
    b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>",
    b"<cars>",
    b"</cars>",
    b"<car id=\"7\">",
    b"</car>",
    b"<offer><mark>Kia</mark><price currency=\"UAH\">1 250 000</price></offer>",
    b"<![CDATA[a & b]]>",
    b"&amp;&#x41;&#99999999;&bogus;",
    b"<image>https://img.example.com/1.jpg</image>",
    b"<",
    b">",
    b"\0",
];

#[test]
fn stock_feeds_never_panic() {
    use cartie_parser::feed::{guess_mapping, read_feed, row_to_car};
    let pieces = prop::collection::vec(
        prop_oneof![3 => prop::sample::select(FEED_PIECES).prop_map(<[u8]>::to_vec), 1 => prop::collection::vec(any::<u8>(), 0..12)],
        0..40,
    )
    .prop_map(|parts| parts.concat());
    let bytes = prop_oneof![prop::collection::vec(any::<u8>(), 0..400), pieces];
    runner()
        .run(&bytes, |bytes| {
            let Ok(t) = read_feed(&bytes) else { return Ok(()) };
            prop_assert!(!t.rows.is_empty());
            let m = guess_mapping(&t.columns);
            for row in &t.rows {
                prop_assert_eq!(row.len(), t.columns.len());
                if let Ok(car) = row_to_car(&m, &t.columns, row, Some("EUR"), 2026) {
                    prop_assert!(car.key.starts_with("vin:") || car.key.starts_with("id:"));
                    prop_assert!(car.car.price > 0, "{car:?}");
                }
            }
            Ok(())
        })
        .expect("stock feeds");
}
