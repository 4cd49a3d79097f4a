//! SSRF-safe fetch of a page a user pasted ([`fetch`]) or of an image, e.g. a
//! car photo to re-upload to Telegram ([`fetch_image`]).
//!
//! Both go through one private function, so they share every check below:
//!
//! - only `http` and `https`;
//! - we resolve DNS ourselves and refuse every non-public address (loopback,
//!   private, link-local incl. cloud metadata, CGNAT, multicast, reserved, the
//!   IPv6 equivalents and IPv4 addresses embedded in IPv6);
//! - the connection goes to the addresses we checked and nowhere else: the
//!   HTTP client gets them as a DNS override and its own resolver refuses
//!   every name, so there is no second lookup to race;
//! - redirects are followed by hand, each hop checked again, at most
//!   [`FetchLimits::max_redirects`];
//! - the body is streamed with a size cap ([`FetchLimits::max_bytes`]), the
//!   whole fetch has one deadline;
//! - the content type is checked before the body is read: [`fetch`] takes
//!   HTML-ish types only, [`fetch_image`] JPEG, PNG, WebP and GIF only (by the
//!   `Content-Type` header, or by the magic bytes when the header is missing or
//!   `application/octet-stream`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Name, Resolve, Resolving};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::redirect::Policy;
use url::{Host, Url};

/// Limits for one fetch. `Default` is what production uses.
#[derive(Debug, Clone)]
pub struct FetchLimits {
    /// Body size cap in bytes (default 5 MB).
    pub max_bytes: usize,
    /// Deadline for the whole fetch including DNS and redirects (default 10 s).
    pub timeout: Duration,
    /// Redirects followed at most (default 5).
    pub max_redirects: usize,
    pub user_agent: String,
    /// Test hook: these exact addresses are allowed although they are not
    /// public (e.g. `127.0.0.1` for a test server). Empty in production. Every
    /// other address, on every hop, is still checked.
    pub allowed_hosts_for_tests: Vec<IpAddr>,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            max_bytes: 5 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            max_redirects: 5,
            user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36".to_string(),
            allowed_hosts_for_tests: Vec::new(),
        }
    }
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL after redirects.
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// Decoded to UTF-8 (charset from the header or a `<meta charset>`).
    pub html: String,
    /// Every redirect target, in order.
    pub redirects: Vec<String>,
}

/// A fetched image.
#[derive(Debug, Clone)]
pub struct Image {
    /// The URL after redirects.
    pub url: String,
    /// One of `image/jpeg`, `image/png`, `image/webp`, `image/gif`, without
    /// parameters (from the header, or sniffed from the bytes).
    pub content_type: String,
    /// The raw bytes, at most [`FetchLimits::max_bytes`].
    pub bytes: Vec<u8>,
}

/// Why a fetch was refused or failed. Every refusal is its own variant; the
/// API maps them to 4xx responses for the field `url` (see [`FetchError::code`]).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("not a valid URL: {reason}")]
    InvalidUrl { reason: String },
    #[error("only http and https URLs can be imported, not {scheme}:")]
    Scheme { scheme: String },
    #[error("refusing to connect to {ip}: it is a {} address, not a public one", blocked_reason(*.ip).unwrap_or("non-public"))]
    Blocked { ip: IpAddr },
    #[error("the host {host} could not be resolved")]
    Dns { host: String },
    #[error("more than {limit} redirects")]
    TooManyRedirects { limit: usize },
    #[error("the site sent a redirect without a usable Location")]
    BadRedirect,
    #[error("the page is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the site did not answer within {} s", .after.as_secs_f32())]
    Timeout { after: Duration },
    #[error("the site answered with HTTP {status}")]
    HttpStatus { status: u16 },
    #[error("the URL is not a web page (content type {content_type})")]
    NotHtml { content_type: String },
    #[error("the URL is not a JPEG, PNG, WebP or GIF image (content type {content_type})")]
    NotAnImage { content_type: String },
    #[error("could not load the page: {reason}")]
    Network { reason: String },
}

impl FetchError {
    /// A stable machine-readable code for the API error body.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "url_invalid",
            FetchError::Scheme { .. } => "url_scheme",
            FetchError::Blocked { .. } => "url_blocked_address",
            FetchError::Dns { .. } => "url_dns",
            FetchError::TooManyRedirects { .. } => "url_too_many_redirects",
            FetchError::BadRedirect => "url_bad_redirect",
            FetchError::TooLarge { .. } => "url_too_large",
            FetchError::Timeout { .. } => "url_timeout",
            FetchError::HttpStatus { .. } => "url_http_status",
            FetchError::NotHtml { .. } => "url_not_html",
            FetchError::NotAnImage { .. } => "url_not_image",
            FetchError::Network { .. } => "url_network",
        }
    }

    /// Suggested HTTP status for the API: 400 for what the user can fix
    /// (the URL), 422 for what the remote site did.
    pub fn http_status(&self) -> u16 {
        match self {
            FetchError::InvalidUrl { .. } | FetchError::Scheme { .. } | FetchError::Blocked { .. } | FetchError::Dns { .. } => 400,
            _ => 422,
        }
    }
}

/// Why an address may not be fetched, or `None` if it is public.
pub fn blocked_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4),
        IpAddr::V6(v6) => blocked_v6(v6),
    }
}

fn blocked_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    let reason = match (a, b, c) {
        (0, _, _) => "unspecified",
        (10, _, _) => "private",
        (100, 64..=127, _) => "carrier-grade NAT",
        (127, _, _) => "loopback",
        (169, 254, _) => "link-local (cloud metadata)",
        (172, 16..=31, _) => "private",
        (192, 0, 0) => "reserved",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (192, 88, 99) => "reserved",
        (192, 168, _) => "private",
        (198, 18..=19, _) => "benchmarking",
        (224..=239, _, _) => "multicast",
        (240..=255, _, _) => {
            if ip.is_broadcast() {
                "broadcast"
            } else {
                "reserved"
            }
        }
        _ => return None,
    };
    Some(reason)
}

fn blocked_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    let seg = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible).
    if seg[..5].iter().all(|s| *s == 0) && (seg[5] == 0xffff || seg[5] == 0) {
        return Some(blocked_v4(embedded_v4(seg[6], seg[7])).unwrap_or("IPv4-in-IPv6"));
    }
    // NAT64 64:ff9b::/96 and 64:ff9b:1::/48.
    if seg[0] == 0x64 && seg[1] == 0xff9b {
        return Some(blocked_v4(embedded_v4(seg[6], seg[7])).unwrap_or("NAT64"));
    }
    // 6to4 2002::/16 embeds an IPv4 address.
    if seg[0] == 0x2002 {
        return Some(blocked_v4(embedded_v4(seg[1], seg[2])).unwrap_or("6to4"));
    }
    let reason = match seg[0] {
        0x0100 if seg[1..4].iter().all(|s| *s == 0) => "discard-only",
        0x2001 if seg[1] == 0 => "Teredo",
        0x2001 if seg[1] == 0x0db8 => "documentation",
        s if s & 0xfe00 == 0xfc00 => "unique local (private)",
        s if s & 0xffc0 == 0xfe80 => "link-local",
        s if s & 0xffc0 == 0xfec0 => "site-local",
        s if s & 0xff00 == 0xff00 => "multicast",
        _ => return None,
    };
    Some(reason)
}

fn check_ip(ip: IpAddr, limits: &FetchLimits) -> Result<(), FetchError> {
    if limits.allowed_hosts_for_tests.contains(&ip) {
        return Ok(());
    }
    match blocked_reason(ip) {
        Some(_) => Err(FetchError::Blocked { ip }),
        None => Ok(()),
    }
}

/// Parses and checks the scheme. Shared by the first URL and every redirect.
fn parse_url(raw: &str, base: Option<&Url>) -> Result<Url, FetchError> {
    let raw = raw.trim();
    let parsed = match base {
        Some(b) => b.join(raw),
        None => Url::parse(raw),
    };
    let url = parsed.map_err(|e| FetchError::InvalidUrl { reason: e.to_string() })?;
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(FetchError::Scheme { scheme: other.to_string() }),
    }
    if url.host().is_none() {
        return Err(FetchError::InvalidUrl { reason: "the URL has no host".to_string() });
    }
    Ok(url)
}

/// Resolves the URL's host (or takes its IP literal) and checks every
/// address. Returns the addresses to connect to.
async fn resolve_checked(url: &Url, limits: &FetchLimits) -> Result<Vec<SocketAddr>, FetchError> {
    let port = url.port_or_known_default().ok_or_else(|| FetchError::InvalidUrl { reason: "no port".to_string() })?;
    let ips: Vec<IpAddr> = match url.host() {
        Some(Host::Ipv4(v4)) => vec![IpAddr::V4(v4)],
        Some(Host::Ipv6(v6)) => vec![IpAddr::V6(v6)],
        Some(Host::Domain(d)) => {
            // A domain that is really a number ("2130706433") is parsed by
            // `url` already; anything left is a name to look up.
            let found = tokio::net::lookup_host((d, port)).await.map_err(|_| FetchError::Dns { host: d.to_string() })?;
            let mut ips: Vec<IpAddr> = found.map(|sa| sa.ip()).collect();
            ips.dedup();
            ips
        }
        None => return Err(FetchError::InvalidUrl { reason: "the URL has no host".to_string() }),
    };
    if ips.is_empty() {
        return Err(FetchError::Dns { host: url.host_str().unwrap_or("").to_string() });
    }
    // Refuse if any answer is non-public: a name that mixes public and private
    // answers is an attack, not a misconfiguration we should route around.
    for ip in &ips {
        check_ip(*ip, limits)?;
    }
    Ok(ips.into_iter().map(|ip| SocketAddr::new(ip, port)).collect())
}

/// A resolver that refuses every name: the client may only use the
/// overrides we give it, so it can never look a name up on its own.
struct NoDns;

impl Resolve for NoDns {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move { Err(format!("DNS lookups are disabled inside the fetcher ({host})").into()) })
    }
}

fn client_for(url: &Url, addrs: &[SocketAddr], limits: &FetchLimits) -> Result<reqwest::Client, FetchError> {
    let mut builder = reqwest::Client::builder().redirect(Policy::none()).no_proxy().user_agent(limits.user_agent.clone()).dns_resolver(Arc::new(NoDns));
    if let Some(Host::Domain(d)) = url.host() {
        builder = builder.resolve_to_addrs(d, addrs);
    }
    builder.build().map_err(|e| FetchError::Network { reason: e.to_string() })
}

/// Fetches `url` under `limits`. See the module docs for what is refused.
pub async fn fetch(url: &str, limits: &FetchLimits) -> Result<Page, FetchError> {
    let got = fetch_checked(url, limits, &HTML).await?;
    let html = decode(&got.body, got.content_type.as_deref());
    Ok(Page { url: got.url.to_string(), status: got.status, content_type: got.content_type, html, redirects: got.redirects })
}

/// Fetches the image at `url` under `limits`, with the same checks as
/// [`fetch`]. Only JPEG, PNG, WebP and GIF are accepted: by the
/// `Content-Type` header, or — when it is missing or
/// `application/octet-stream` — by the magic bytes. Anything else is
/// [`FetchError::NotAnImage`]. The size cap is [`FetchLimits::max_bytes`].
pub async fn fetch_image(url: &str, limits: &FetchLimits) -> Result<Image, FetchError> {
    let got = fetch_checked(url, limits, &IMAGE).await?;
    let declared = got.content_type.as_deref().map(media_type);
    let content_type = match declared.as_deref() {
        Some(t) if IMAGE_TYPES.contains(&t) => Some(t),
        // Missing or octet-stream (the only other types `IMAGE` lets
        // through): the bytes decide.
        _ => sniff_image(&got.body),
    };
    match content_type {
        Some(t) if !got.body.is_empty() => Ok(Image { url: got.url.to_string(), content_type: t.to_string(), bytes: got.body }),
        _ => Err(FetchError::NotAnImage { content_type: got.content_type.unwrap_or_else(|| "none".to_string()) }),
    }
}

/// What a caller of [`fetch_checked`] wants: its `Accept` header and which
/// `Content-Type` headers it refuses before the body is downloaded.
struct Want {
    accept: &'static str,
    check_type: fn(Option<&str>) -> Result<(), FetchError>,
}

const HTML: Want = Want { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", check_type: check_html_type };

const IMAGE: Want = Want { accept: "image/jpeg,image/png,image/webp,image/gif;q=0.9", check_type: check_image_type };

const IMAGE_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "image/gif"];

/// A missing header is allowed: many sites forget it on HTML pages.
fn check_html_type(content_type: Option<&str>) -> Result<(), FetchError> {
    if let Some(ct) = content_type {
        let l = ct.to_ascii_lowercase();
        if !(l.contains("html") || l.contains("xml") || l.starts_with("text/plain")) {
            return Err(FetchError::NotHtml { content_type: ct.to_string() });
        }
    }
    Ok(())
}

/// Lets through the four image types, plus a missing header and
/// `application/octet-stream`, which [`fetch_image`] decides by sniffing.
fn check_image_type(content_type: Option<&str>) -> Result<(), FetchError> {
    let Some(ct) = content_type else {
        return Ok(());
    };
    let t = media_type(ct);
    if t == "application/octet-stream" || IMAGE_TYPES.contains(&t.as_str()) {
        Ok(())
    } else {
        Err(FetchError::NotAnImage { content_type: ct.to_string() })
    }
}

/// `"Image/PNG; charset=binary"` -> `"image/png"`.
fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The image type given by the magic bytes, if it is one we accept.
fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        Some("image/webp")
    } else {
        None
    }
}

/// A successful response body, fetched with every check.
struct Fetched {
    /// The URL after redirects.
    url: Url,
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
    /// Every redirect target, in order.
    redirects: Vec<String>,
}

/// The one implementation of the checks: scheme, DNS and address checks on
/// every hop, redirects by hand, content-type check before the body, size
/// cap, one deadline.
async fn fetch_checked(raw: &str, limits: &FetchLimits, want: &Want) -> Result<Fetched, FetchError> {
    match tokio::time::timeout(limits.timeout, fetch_checked_inner(raw, limits, want)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::Timeout { after: limits.timeout }),
    }
}

async fn fetch_checked_inner(raw: &str, limits: &FetchLimits, want: &Want) -> Result<Fetched, FetchError> {
    let mut url = parse_url(raw, None)?;
    let mut redirects = Vec::new();
    loop {
        let addrs = resolve_checked(&url, limits).await?;
        let client = client_for(&url, &addrs, limits)?;
        let mut resp = client
            .get(url.clone())
            .header("Accept", want.accept)
            .header("Accept-Language", "en,de;q=0.8,ru;q=0.6,*;q=0.5")
            .send()
            .await
            .map_err(network_error)?;
        let status = resp.status();
        if status.is_redirection() {
            if redirects.len() >= limits.max_redirects {
                return Err(FetchError::TooManyRedirects { limit: limits.max_redirects });
            }
            let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).ok_or(FetchError::BadRedirect)?;
            let next = parse_url(location, Some(&url))?;
            redirects.push(next.to_string());
            url = next;
            continue;
        }
        if !status.is_success() {
            return Err(FetchError::HttpStatus { status: status.as_u16() });
        }
        let content_type = resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        (want.check_type)(content_type.as_deref())?;
        if resp.content_length().is_some_and(|n| n > limits.max_bytes as u64) {
            return Err(FetchError::TooLarge { limit: limits.max_bytes });
        }
        let mut body: Vec<u8> = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(network_error)? {
            if body.len() + chunk.len() > limits.max_bytes {
                return Err(FetchError::TooLarge { limit: limits.max_bytes });
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(Fetched { url, status: status.as_u16(), content_type, body, redirects });
    }
}

fn network_error(e: reqwest::Error) -> FetchError {
    // The error chain carries the useful part ("connection refused", TLS).
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reason = format!("{reason}: {s}");
        source = s.source();
    }
    FetchError::Network { reason }
}

/// Decodes the body using the charset from the header, else a `<meta>`
/// charset in the first 2 KB, else UTF-8 (lossy).
fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let from_header = content_type.and_then(charset_param);
    let from_meta = || {
        let head = String::from_utf8_lossy(&body[..body.len().min(2048)]).to_ascii_lowercase();
        let at = head.find("charset=")?;
        let rest = &head[at + 8..];
        let label: String = rest.trim_start_matches(['"', '\'']).chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        if label.is_empty() {
            None
        } else {
            Some(label)
        }
    };
    let label = from_header.or_else(from_meta);
    let encoding = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())).unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(body);
    text.into_owned()
}

fn charset_param(ct: &str) -> Option<String> {
    ct.split(';').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            Some(v.trim().trim_matches(['"', '\'']).to_string())
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn blocked_addresses() {
        for a in [
            "127.0.0.1",
            "127.1.2.3",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "fec0::1",
        ] {
            assert!(blocked_reason(ip(a)).is_some(), "{a} must be blocked");
        }
    }

    #[test]
    fn public_addresses() {
        for a in ["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "2a00:1450:4001::1"] {
            assert_eq!(blocked_reason(ip(a)), None, "{a} is public");
        }
    }

    #[test]
    fn schemes() {
        for (u, s) in [
            ("file:///etc/passwd", "file"),
            ("ftp://example.com/", "ftp"),
            ("data:text/html,hi", "data"),
            ("javascript:alert(1)", "javascript"),
            ("gopher://x/", "gopher"),
        ] {
            match parse_url(u, None) {
                Err(FetchError::Scheme { scheme }) => assert_eq!(scheme, s),
                other => panic!("{u}: {other:?}"),
            }
        }
        assert!(matches!(parse_url("not a url", None), Err(FetchError::InvalidUrl { .. })));
        assert!(parse_url("https://example.com/a", None).is_ok());
    }

    #[test]
    fn decoding() {
        let cp1251 = [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]; // "Привет"
        assert_eq!(decode(&cp1251, Some("text/html; charset=windows-1251")), "Привет");
        let mut page = b"<meta charset=\"windows-1251\">".to_vec();
        page.extend_from_slice(&cp1251);
        assert!(decode(&page, Some("text/html")).ends_with("Привет"));
        assert_eq!(decode("ü".as_bytes(), None), "ü");
    }

    #[tokio::test]
    async fn the_inner_client_cannot_resolve_names_itself() {
        let url = Url::parse("http://localhost:9/").expect("url");
        // No override for this name: the client must fail instead of asking DNS.
        let other = Url::parse("http://127.0.0.1:9/").expect("url");
        let client = client_for(&other, &[], &FetchLimits::default()).expect("client");
        let err = client.get(url).send().await.err().map(network_error);
        match err {
            Some(FetchError::Network { reason }) => {
                assert!(reason.contains("DNS lookups are disabled"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn image_magic_bytes() {
        assert_eq!(sniff_image(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff_image(b"GIF89a\x01\0\x01\0"), Some("image/gif"));
        assert_eq!(sniff_image(b"GIF87a"), Some("image/gif"));
        assert_eq!(sniff_image(b"RIFF\x24\0\0\0WEBPVP8 "), Some("image/webp"));
        for not in [
            b"".as_slice(),
            b"\xff\xd8",
            b"RIFF\x24\0\0\0WAVEfmt ",
            b"RIFF",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            b"<!doctype html><html>",
            b"%PDF-1.7",
        ] {
            assert_eq!(sniff_image(not), None, "{not:?}");
        }
    }

    #[test]
    fn image_content_types() {
        for ok in [None, Some("image/jpeg"), Some("Image/PNG; charset=binary"), Some(" image/webp "), Some("image/gif"), Some("application/octet-stream")] {
            assert!(check_image_type(ok).is_ok(), "{ok:?}");
        }
        for refused in ["text/html; charset=utf-8", "image/svg+xml", "image/tiff", "application/json", ""] {
            match check_image_type(Some(refused)) {
                Err(FetchError::NotAnImage { content_type }) => assert_eq!(content_type, refused),
                other => panic!("{refused}: {other:?}"),
            }
        }
        assert_eq!(media_type("image/JPEG ;q=1"), "image/jpeg");
    }

    #[test]
    fn messages_are_clear() {
        let e = FetchError::Blocked { ip: ip("169.254.169.254") };
        assert_eq!(e.to_string(), "refusing to connect to 169.254.169.254: it is a link-local (cloud metadata) address, not a public one");
        assert_eq!(e.code(), "url_blocked_address");
        assert_eq!(e.http_status(), 400);
        let e = FetchError::NotAnImage { content_type: "text/html".to_string() };
        assert_eq!(e.to_string(), "the URL is not a JPEG, PNG, WebP or GIF image (content type text/html)");
        assert_eq!(e.code(), "url_not_image");
        assert_eq!(e.http_status(), 422);
    }
}
