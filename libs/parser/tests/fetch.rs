//! SSRF and limit tests for `fetch` and `fetch_image`, against servers on
//! this machine only.
//!
//! Pages are served by an axum server on 127.0.0.1, which the tests allow
//! explicitly (`allowed_hosts_for_tests`). Addresses that must be refused get
//! a listener that counts accepted connections where one can be bound
//! (127.0.0.1, 127.0.0.2, [::1]); the tests check the count stays at zero, so
//! "refused" also means "no TCP connection was made". Private and metadata
//! addresses (10.x, 169.254.169.254, ...) have no listener here: the fetcher
//! refuses them before any socket is opened, which the tests show by the
//! `Blocked` error and by the refusal coming back at once.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cartie_parser::{extract, fetch, fetch_image, FetchError, FetchLimits, Field};
use tokio::net::TcpListener;

const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

const CAR_PAGE: &str = r#"<html><head><title>2019 Skoda Octavia</title>
<script type="application/ld+json">{"@type":"Car","brand":"Skoda","model":"Octavia","offers":{"price":"14990","priceCurrency":"EUR"}}</script>
</head><body><h1>2019 Skoda Octavia</h1></body></html>"#;

fn html(body: impl Into<Body>) -> Response {
    Response::builder().header(header::CONTENT_TYPE, "text/html; charset=utf-8").body(body.into()).unwrap_or_default()
}

/// Starts like a JPEG (the fetcher checks types, it does not decode).
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01";
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;";
const WEBP: &[u8] = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00";

/// A response with these bytes and this `Content-Type` (none if `None`).
fn bytes_as(content_type: Option<&str>, body: impl Into<Body>) -> Response {
    let mut b = Response::builder();
    if let Some(ct) = content_type {
        b = b.header(header::CONTENT_TYPE, ct);
    }
    b.body(body.into()).unwrap_or_default()
}

fn redirect(to: &str) -> Response {
    Response::builder().status(StatusCode::FOUND).header(header::LOCATION, to).body(Body::empty()).unwrap_or_default()
}

/// The page server: 127.0.0.1, random port.
async fn serve() -> SocketAddr {
    let app = Router::new()
        .route("/car", get(|| async { html(CAR_PAGE) }))
        .route("/redirect", get(|Query(q): Query<HashMap<String, String>>| async move { redirect(q.get("to").map(String::as_str).unwrap_or("/car")) }))
        .route(
            "/chain/{n}",
            get(|Path(n): Path<u32>| async move {
                if n == 0 {
                    html(CAR_PAGE)
                } else {
                    redirect(&format!("/chain/{}", n - 1))
                }
            }),
        )
        .route("/relative", get(|| async { redirect("car") }))
        .route("/big", get(|| async { html("x".repeat(5000)) }))
        .route(
            "/stream",
            get(|| async {
                let chunks = (0..10).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from("y".repeat(500))));
                html(Body::from_stream(futures_util::stream::iter(chunks)))
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                html(CAR_PAGE)
            }),
        )
        .route("/json", get(|| async { ([(header::CONTENT_TYPE, "application/json")], "{}").into_response() }))
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route("/photo.jpg", get(|| async { bytes_as(Some("image/jpeg"), JPEG) }))
        .route("/photo.png", get(|| async { bytes_as(Some("Image/PNG; charset=binary"), PNG) }))
        .route("/photo.webp", get(|| async { bytes_as(Some("image/webp"), WEBP) }))
        .route("/octet.gif", get(|| async { bytes_as(Some("application/octet-stream"), GIF) }))
        .route("/untyped.png", get(|| async { bytes_as(None, PNG) }))
        .route("/octet.txt", get(|| async { bytes_as(Some("application/octet-stream"), "just text") }))
        .route("/untyped.html", get(|| async { bytes_as(None, CAR_PAGE) }))
        .route("/logo.svg", get(|| async { bytes_as(Some("image/svg+xml"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>") }))
        .route("/empty.jpg", get(|| async { bytes_as(Some("image/jpeg"), Body::empty()) }))
        .route(
            "/big.jpg",
            get(|| async {
                let mut body = JPEG.to_vec();
                body.resize(5000, 0);
                bytes_as(Some("image/jpeg"), body)
            }),
        )
        .route(
            "/stream.png",
            get(|| async {
                let chunks =
                    std::iter::once(bytes::Bytes::from_static(PNG)).chain((0..10).map(|_| bytes::Bytes::from(vec![0u8; 500]))).map(Ok::<_, std::io::Error>);
                bytes_as(Some("image/png"), Body::from_stream(futures_util::stream::iter(chunks)))
            }),
        )
        .route(
            "/slow.jpg",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                bytes_as(Some("image/jpeg"), JPEG)
            }),
        )
        .route(
            "/cp1251",
            get(|| async {
                // "Привет" in windows-1251.
                let body: Vec<u8> = [b"<p>".as_slice(), &[0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2], b"</p>"].concat();
                Response::builder().header(header::CONTENT_TYPE, "text/html; charset=windows-1251").body(Body::from(body)).unwrap_or_default()
            }),
        );
    let listener = TcpListener::bind((LOCAL, 0)).await.expect("bind page server");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// A listener that only counts the connections it accepts.
async fn recorder(ip: IpAddr) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((ip, 0)).await.expect("bind recorder");
    let addr = listener.local_addr().expect("addr");
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        loop {
            if let Ok((sock, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                drop(sock);
            }
        }
    });
    (addr, count)
}

fn allow_local() -> FetchLimits {
    FetchLimits { allowed_hosts_for_tests: vec![LOCAL], ..FetchLimits::default() }
}

fn assert_blocked(r: Result<cartie_parser::Page, FetchError>, ip: &str) {
    match r {
        Err(FetchError::Blocked { ip: got }) => assert_eq!(got.to_string(), ip),
        other => panic!("expected Blocked({ip}), got {other:?}"),
    }
}

/// Gives a connection that slipped through time to be counted.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(150)).await;
}

#[tokio::test]
async fn fetches_an_allowed_page_and_extracts_it() {
    let srv = serve().await;
    let url = format!("http://{srv}/car");
    let page = fetch(&url, &allow_local()).await.expect("fetch");
    assert_eq!(page.status, 200);
    assert_eq!(page.url, url);
    assert!(page.redirects.is_empty());
    let e = extract(&page.html, &page.url);
    assert_eq!(e.value(Field::Make), Some("Škoda"));
    assert_eq!(e.value(Field::Price), Some("14990"));
}

#[tokio::test]
async fn a_host_name_is_resolved_once_and_connected_to_at_the_checked_address() {
    // The client inside `fetch` cannot resolve names itself; it only gets the
    // addresses that passed the check. A name therefore works exactly when
    // our own lookup and check succeed.
    let srv = serve().await;
    let limits = FetchLimits { allowed_hosts_for_tests: vec![LOCAL, "::1".parse().expect("ip")], ..FetchLimits::default() };
    let page = fetch(&format!("http://localhost:{}/car", srv.port()), &limits).await.expect("localhost is allowed here");
    assert!(page.html.contains("Octavia"));
}

#[tokio::test]
async fn default_limits_refuse_ipv4_loopback_without_connecting() {
    let (addr, accepted) = recorder(LOCAL).await;
    let limits = FetchLimits::default();
    let port = addr.port();
    assert_blocked(fetch(&format!("http://127.0.0.1:{port}/"), &limits).await, "127.0.0.1");
    // The same address in other spellings.
    assert_blocked(fetch(&format!("http://2130706433:{port}/"), &limits).await, "127.0.0.1");
    assert_blocked(fetch(&format!("http://0x7f.1:{port}/"), &limits).await, "127.0.0.1");
    assert_blocked(fetch(&format!("http://[::ffff:127.0.0.1]:{port}/"), &limits).await, "::ffff:127.0.0.1");
    // A name that resolves to loopback.
    match fetch(&format!("http://localhost:{port}/"), &limits).await {
        Err(FetchError::Blocked { ip }) => assert!(ip.is_loopback(), "{ip}"),
        other => panic!("localhost: {other:?}"),
    }
    settle().await;
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "no connection may reach the loopback listener");
}

#[tokio::test]
async fn default_limits_refuse_ipv6_loopback_without_connecting() {
    let (addr, accepted) = recorder("::1".parse().expect("ip")).await;
    let r = fetch(&format!("http://[::1]:{}/", addr.port()), &FetchLimits::default()).await;
    assert_blocked(r, "::1");
    settle().await;
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn private_link_local_and_metadata_addresses_are_refused_before_connecting() {
    let limits = FetchLimits::default();
    for (url, ip) in [
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://192.168.1.1/admin", "192.168.1.1"),
        ("http://172.16.5.4:8080/", "172.16.5.4"),
        ("http://100.64.0.1/", "100.64.0.1"),
        ("http://0.0.0.0/", "0.0.0.0"),
        ("http://[fd00::1]/", "fd00::1"),
        ("http://[fe80::1]/", "fe80::1"),
        ("http://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254"),
        ("https://10.0.0.1/", "10.0.0.1"),
    ] {
        let started = Instant::now();
        assert_blocked(fetch(url, &limits).await, ip);
        // No socket was opened: a connect attempt to an unroutable address
        // would take far longer than this.
        assert!(started.elapsed() < Duration::from_millis(500), "{url} took {:?}", started.elapsed());
    }
}

#[tokio::test]
async fn redirects_to_private_addresses_are_refused_without_connecting() {
    let srv = serve().await;
    let (other_loopback, other_hits) = recorder("127.0.0.2".parse().expect("ip")).await;
    let (v6, v6_hits) = recorder("::1".parse().expect("ip")).await;
    // 127.0.0.1 is allowed for the page server only; every hop is re-checked.
    let limits = allow_local();
    let via = |target: &str| format!("http://{srv}/redirect?to={target}");
    assert_blocked(fetch(&via(&format!("http://{other_loopback}/")), &limits).await, "127.0.0.2");
    assert_blocked(fetch(&via(&format!("http://[::1]:{}/", v6.port())), &limits).await, "::1");
    assert_blocked(fetch(&via("http://10.0.0.1/"), &limits).await, "10.0.0.1");
    assert_blocked(fetch(&via("http://169.254.169.254/latest/meta-data/"), &limits).await, "169.254.169.254");
    match fetch(&via("file:///etc/passwd"), &limits).await {
        Err(FetchError::Scheme { scheme }) => assert_eq!(scheme, "file"),
        other => panic!("redirect to file: {other:?}"),
    }
    settle().await;
    assert_eq!(other_hits.load(Ordering::SeqCst), 0);
    assert_eq!(v6_hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn non_http_schemes_are_refused() {
    for (url, scheme) in [
        ("file:///etc/passwd", "file"),
        ("FILE:///etc/passwd", "file"),
        ("ftp://example.com/car.html", "ftp"),
        ("data:text/html,<h1>hi</h1>", "data"),
        ("javascript:alert(1)", "javascript"),
        ("gopher://127.0.0.1:70/", "gopher"),
    ] {
        match fetch(url, &FetchLimits::default()).await {
            Err(FetchError::Scheme { scheme: s }) => assert_eq!(s, scheme),
            other => panic!("{url}: {other:?}"),
        }
    }
    assert!(matches!(fetch("not a url", &FetchLimits::default()).await, Err(FetchError::InvalidUrl { .. })));
    assert!(matches!(fetch("", &FetchLimits::default()).await, Err(FetchError::InvalidUrl { .. })));
}

#[tokio::test]
async fn at_most_five_redirects() {
    let srv = serve().await;
    let limits = allow_local();
    let page = fetch(&format!("http://{srv}/chain/5"), &limits).await.expect("5 redirects are fine");
    assert_eq!(page.redirects.len(), 5);
    assert_eq!(page.url, format!("http://{srv}/chain/0"));
    match fetch(&format!("http://{srv}/chain/6"), &limits).await {
        Err(FetchError::TooManyRedirects { limit }) => assert_eq!(limit, 5),
        other => panic!("{other:?}"),
    }
    let page = fetch(&format!("http://{srv}/relative"), &limits).await.expect("relative redirect");
    assert_eq!(page.url, format!("http://{srv}/car"));
}

#[tokio::test]
async fn size_cap_applies_with_and_without_content_length() {
    let srv = serve().await;
    let limits = FetchLimits { max_bytes: 1000, ..allow_local() };
    assert!(matches!(fetch(&format!("http://{srv}/big"), &limits).await, Err(FetchError::TooLarge { limit: 1000 })));
    assert!(matches!(fetch(&format!("http://{srv}/stream"), &limits).await, Err(FetchError::TooLarge { limit: 1000 })));
    let roomy = FetchLimits { max_bytes: 10_000, ..allow_local() };
    let page = fetch(&format!("http://{srv}/stream"), &roomy).await.expect("under the cap");
    assert_eq!(page.html.len(), 5000);
}

#[tokio::test]
async fn one_deadline_for_the_whole_fetch() {
    let srv = serve().await;
    let limits = FetchLimits { timeout: Duration::from_millis(300), ..allow_local() };
    let started = Instant::now();
    assert!(matches!(fetch(&format!("http://{srv}/slow"), &limits).await, Err(FetchError::Timeout { .. })));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn non_html_and_error_statuses() {
    let srv = serve().await;
    let limits = allow_local();
    assert!(matches!(fetch(&format!("http://{srv}/json"), &limits).await, Err(FetchError::NotHtml { .. })));
    assert!(matches!(fetch(&format!("http://{srv}/missing"), &limits).await, Err(FetchError::HttpStatus { status: 404 })));
    let page = fetch(&format!("http://{srv}/cp1251"), &limits).await.expect("cp1251 page");
    assert_eq!(page.html, "<p>Привет</p>");
}

#[test]
fn every_refusal_has_a_distinct_code_and_a_message() {
    let errors = [
        FetchError::InvalidUrl { reason: "x".into() },
        FetchError::Scheme { scheme: "file".into() },
        FetchError::Blocked { ip: LOCAL },
        FetchError::Dns { host: "nowhere.invalid".into() },
        FetchError::TooManyRedirects { limit: 5 },
        FetchError::BadRedirect,
        FetchError::TooLarge { limit: 1 },
        FetchError::Timeout { after: Duration::from_secs(10) },
        FetchError::HttpStatus { status: 500 },
        FetchError::NotHtml { content_type: "image/png".into() },
        FetchError::NotAnImage { content_type: "text/html".into() },
        FetchError::Network { reason: "reset".into() },
    ];
    let mut codes: Vec<&str> = errors.iter().map(FetchError::code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), errors.len());
    for e in &errors {
        assert!(!e.to_string().is_empty());
        assert!((400..500).contains(&e.http_status()));
    }
}

// ---- fetch_image: the same checks, image types only ----

fn assert_image_blocked(r: Result<cartie_parser::Image, FetchError>, ip: &str) {
    match r {
        Err(FetchError::Blocked { ip: got }) => assert_eq!(got.to_string(), ip),
        other => panic!("expected Blocked({ip}), got {other:?}"),
    }
}

fn assert_not_an_image(r: Result<cartie_parser::Image, FetchError>, content_type: &str) {
    match r {
        Err(FetchError::NotAnImage { content_type: got }) => assert_eq!(got, content_type),
        other => panic!("expected NotAnImage({content_type}), got {other:?}"),
    }
}

#[tokio::test]
async fn fetches_an_image_with_its_bytes_and_type() {
    let srv = serve().await;
    let limits = allow_local();
    for (path, bytes, content_type) in [
        ("/photo.jpg", JPEG, "image/jpeg"),
        // Parameters and case are normalised away.
        ("/photo.png", PNG, "image/png"),
        ("/photo.webp", WEBP, "image/webp"),
        // No usable header: the magic bytes decide.
        ("/octet.gif", GIF, "image/gif"),
        ("/untyped.png", PNG, "image/png"),
    ] {
        let url = format!("http://{srv}{path}");
        let image = fetch_image(&url, &limits).await.expect(path);
        assert_eq!(image.url, url);
        assert_eq!(image.content_type, content_type, "{path}");
        assert_eq!(image.bytes, bytes, "{path}");
    }
    // The URL is the one after redirects.
    let image = fetch_image(&format!("http://{srv}/redirect?to=/photo.jpg"), &limits).await.expect("redirected image");
    assert_eq!(image.url, format!("http://{srv}/photo.jpg"));
    assert_eq!(image.bytes, JPEG);
}

#[tokio::test]
async fn fetch_image_refuses_pages_and_other_types() {
    let srv = serve().await;
    let limits = allow_local();
    assert_not_an_image(fetch_image(&format!("http://{srv}/car"), &limits).await, "text/html; charset=utf-8");
    assert_not_an_image(fetch_image(&format!("http://{srv}/json"), &limits).await, "application/json");
    assert_not_an_image(fetch_image(&format!("http://{srv}/logo.svg"), &limits).await, "image/svg+xml");
    // Sniffed, and not an image.
    assert_not_an_image(fetch_image(&format!("http://{srv}/octet.txt"), &limits).await, "application/octet-stream");
    assert_not_an_image(fetch_image(&format!("http://{srv}/untyped.html"), &limits).await, "none");
    assert_not_an_image(fetch_image(&format!("http://{srv}/empty.jpg"), &limits).await, "image/jpeg");
    assert!(matches!(fetch_image(&format!("http://{srv}/missing"), &limits).await, Err(FetchError::HttpStatus { status: 404 })));
    // And `fetch` still refuses images.
    assert!(matches!(fetch(&format!("http://{srv}/photo.jpg"), &limits).await, Err(FetchError::NotHtml { .. })));
}

#[tokio::test]
async fn fetch_image_refuses_non_public_addresses_without_connecting() {
    let (addr, accepted) = recorder(LOCAL).await;
    let limits = FetchLimits::default();
    assert_image_blocked(fetch_image(&format!("http://{addr}/a.jpg"), &limits).await, "127.0.0.1");
    let started = Instant::now();
    assert_image_blocked(fetch_image("http://169.254.169.254/latest/meta-data/", &limits).await, "169.254.169.254");
    assert_image_blocked(fetch_image("http://10.0.0.1/a.jpg", &limits).await, "10.0.0.1");
    assert!(started.elapsed() < Duration::from_millis(500));
    match fetch_image("file:///etc/passwd", &limits).await {
        Err(FetchError::Scheme { scheme }) => assert_eq!(scheme, "file"),
        other => panic!("{other:?}"),
    }
    settle().await;
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn fetch_image_redirects_to_private_addresses_are_refused_without_connecting() {
    let srv = serve().await;
    let (other_loopback, other_hits) = recorder("127.0.0.2".parse().expect("ip")).await;
    let (v6, v6_hits) = recorder("::1".parse().expect("ip")).await;
    let limits = allow_local();
    let via = |target: &str| format!("http://{srv}/redirect?to={target}");
    assert_image_blocked(fetch_image(&via(&format!("http://{other_loopback}/a.jpg")), &limits).await, "127.0.0.2");
    assert_image_blocked(fetch_image(&via(&format!("http://[::1]:{}/a.jpg", v6.port())), &limits).await, "::1");
    let started = Instant::now();
    assert_image_blocked(fetch_image(&via("http://10.0.0.1/a.jpg"), &limits).await, "10.0.0.1");
    assert_image_blocked(fetch_image(&via("http://169.254.169.254/latest/meta-data/"), &limits).await, "169.254.169.254");
    assert!(started.elapsed() < Duration::from_millis(500));
    settle().await;
    assert_eq!(other_hits.load(Ordering::SeqCst), 0);
    assert_eq!(v6_hits.load(Ordering::SeqCst), 0);
    // Same redirect limit as pages.
    match fetch_image(&format!("http://{srv}/chain/6"), &limits).await {
        Err(FetchError::TooManyRedirects { limit }) => assert_eq!(limit, 5),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn fetch_image_size_cap_and_deadline() {
    let srv = serve().await;
    let limits = FetchLimits { max_bytes: 1000, ..allow_local() };
    // With a Content-Length, and streamed without one.
    assert!(matches!(fetch_image(&format!("http://{srv}/big.jpg"), &limits).await, Err(FetchError::TooLarge { limit: 1000 })));
    assert!(matches!(fetch_image(&format!("http://{srv}/stream.png"), &limits).await, Err(FetchError::TooLarge { limit: 1000 })));
    let roomy = FetchLimits { max_bytes: 10_000, ..allow_local() };
    let image = fetch_image(&format!("http://{srv}/stream.png"), &roomy).await.expect("under the cap");
    assert_eq!(image.content_type, "image/png");
    assert_eq!(image.bytes.len(), PNG.len() + 5000);
    let hurried = FetchLimits { timeout: Duration::from_millis(300), ..allow_local() };
    let started = Instant::now();
    assert!(matches!(fetch_image(&format!("http://{srv}/slow.jpg"), &hurried).await, Err(FetchError::Timeout { .. })));
    assert!(started.elapsed() < Duration::from_secs(2));
}
