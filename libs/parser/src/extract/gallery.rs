//! Photos: the listing's gallery, whatever markup it uses (`<img>` with
//! `src`/`data-src`/`srcset`, `<source srcset>`, links to full-size images,
//! thumbnails), plus the photos structured data and meta tags name and the
//! ones inline hydration JSON lists next to them. Each photo is kept once,
//! in its largest size; logos, icons, ads and other listings' photos are
//! left out.

use std::borrow::Cow;
use std::collections::HashMap;

use scraper::{ElementRef, Html};
use serde_json::Value;
use url::Url;

use super::collector::Collector;
use super::selector;
use super::text::names_any;

/// At most this many photos per listing.
const MAX_PHOTOS: usize = 80;

/// Class/id words of a gallery container.
const GALLERY_WORDS: &[&str] = &[
    "gallery",
    "galerie",
    "galeria",
    "slider",
    "carousel",
    "swiper",
    "swipe",
    "photo",
    "foto",
    "fotorama",
    "lightbox",
    "slideshow",
    "thumbnails",
    "thumbs",
    "pictures",
    "images",
    "media-viewer",
    "image-viewer",
    "cycle-slide",
];

/// Class/id words of containers that hold other things than this car:
/// similar listings, ads, the dealer's logo, page chrome.
const FOREIGN_WORDS: &[&str] = &[
    "similar",
    "related",
    "recommend",
    "suggest",
    "other-",
    "others",
    "more-from",
    "also",
    "popular",
    "advert",
    "banner",
    "sponsor",
    "promo",
    "dealer-logo",
    "seller",
    "dealer-info",
    "logo",
    "footer",
    "header",
    "navbar",
    "avatar",
    "review",
    "video",
];

/// Path words of images that are never car photos.
const NOT_PHOTO_WORDS: &[&str] = &[
    "logo",
    "icon",
    "sprite",
    "placeholder",
    "blank.",
    "pixel",
    "spacer",
    "avatar",
    "banner",
    "badge",
    "flag",
    "seal",
    "/ads/",
    "no-image",
    "noimage",
    "dealer-info",
    "favicon",
    "/static/img/",
];

/// The photos found so far, each once (by [`photo_key`]) in its largest
/// size, in the order first seen.
#[derive(Default)]
pub(crate) struct PhotoSet {
    /// (identity key, URL, size rank)
    photos: Vec<(String, Url, u64)>,
}

impl PhotoSet {
    pub fn add(&mut self, u: Url) {
        if u.scheme() != "http" && u.scheme() != "https" {
            return;
        }
        let path = u.path().to_lowercase();
        if path.ends_with(".svg") || path.ends_with(".gif") || NOT_PHOTO_WORDS.iter().any(|w| path.contains(w)) {
            return;
        }
        let key = photo_key(&u);
        let rank = size_rank(&u);
        if let Some(existing) = self.photos.iter_mut().find(|p| p.0 == key) {
            if rank > existing.2 {
                existing.1 = u;
                existing.2 = rank;
            }
            return;
        }
        if self.photos.len() < MAX_PHOTOS {
            self.photos.push((key, u, rank));
        }
    }

    /// Like [`PhotoSet::add`], but a new photo goes first: the page's
    /// main photo.
    pub fn add_first(&mut self, u: Url) {
        let key = photo_key(&u);
        if self.photos.iter().any(|p| p.0 == key) || self.photos.len() >= MAX_PHOTOS {
            self.add(u);
            return;
        }
        let n = self.photos.len();
        self.add(u);
        if self.photos.len() > n {
            self.photos.rotate_right(1);
        }
    }

    /// Whether `u` is a photo already found (in any size).
    pub fn has(&self, u: &Url) -> bool {
        let key = photo_key(u);
        self.photos.iter().any(|p| p.0 == key)
    }

    pub fn len(&self) -> usize {
        self.photos.len()
    }

    /// The part of each photo's address that names it and nothing else
    /// (its longest path segment), to find the photo in inline JSON.
    fn needles(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (key, _, _) in &self.photos {
            let seg = key.split('/').skip(1).max_by_key(|s| s.len()).unwrap_or("");
            if (8..=400).contains(&seg.len()) && !out.iter().any(|n| n == seg) {
                out.push(seg.to_string());
            }
            if out.len() >= 12 {
                break;
            }
        }
        out
    }

    pub fn into_urls(self) -> Vec<String> {
        self.photos.into_iter().map(|p| p.1.to_string()).collect()
    }

    /// Directory keys of the photos found, for matching hydration JSON.
    fn families(&self) -> Vec<String> {
        self.photos.iter().map(|p| family(&p.1)).collect::<std::collections::BTreeSet<_>>().into_iter().collect()
    }

    fn is_empty(&self) -> bool {
        self.photos.is_empty()
    }
}

/// A size written in a URL segment: "1920x1080", "210x138x70", "w_800".
fn size_token(seg: &str) -> Option<(u64, u64)> {
    let b = seg.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'x' || b[i] == b'X') {
                let w_end = i;
                i += 1;
                let h_start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i > h_start {
                    let w = seg.get(start..w_end)?.parse().ok()?;
                    let h = seg.get(h_start..i)?.parse().ok()?;
                    return Some((w, h));
                }
            }
        }
        i += 1;
    }
    None
}

/// Words that name a size variant in a path segment.
const SIZE_WORDS: &[(&str, u64)] = &[
    ("original", 9_000_000),
    ("orig", 9_000_000),
    ("full", 8_000_000),
    ("xxl", 7_000_000),
    ("xl", 6_000_000),
    ("large", 5_000_000),
    ("big", 5_000_000),
    ("lg", 5_000_000),
    ("medium", 1_000_000),
    ("md", 1_000_000),
    ("small", 100_000),
    ("sm", 100_000),
    ("thumbnail", 10_000),
    ("thumb", 10_000),
    ("th", 10_000),
    ("xs", 10_000),
];

/// The size word of a whole segment ("large2", "thumb"), with its rank.
fn size_word(seg: &str) -> Option<u64> {
    let l = seg.to_lowercase();
    let stem = l.trim_end_matches(|c: char| c.is_ascii_digit());
    let digit = l[stem.len()..].parse::<u64>().unwrap_or(0).min(9);
    SIZE_WORDS.iter().find(|(w, _)| *w == stem).map(|(_, r)| r + digit)
}

/// How large a variant looks from its URL: a WxH token, a size word, a
/// width parameter; 0 when nothing says.
fn size_rank(u: &Url) -> u64 {
    let mut best = 0;
    for seg in u.path().split('/') {
        if let Some((w, h)) = size_token(seg) {
            best = best.max(w.saturating_mul(h));
        } else if let Some(r) = size_word(seg) {
            best = best.max(r);
        }
    }
    for (k, v) in u.query_pairs() {
        if matches!(k.as_ref(), "w" | "width" | "size" | "maxwidth") {
            if let Ok(n) = v.parse::<u64>() {
                best = best.max(n.saturating_mul(n));
            }
        }
    }
    best
}

/// The identity of a photo across its sizes: host and path with size
/// tokens, size-word segments, short numeric size codes and the file
/// extension removed.
fn photo_key(u: &Url) -> String {
    let mut parts = Vec::new();
    for seg in u.path().split('/') {
        if size_word(seg).is_some() {
            continue;
        }
        let mut s = seg.to_string();
        if let Some((w, h)) = size_token(seg) {
            let token = format!("{w}x{h}");
            if let Some(pos) = s.to_lowercase().find(&token) {
                let mut end = pos + token.len();
                // "210x138x70": a quality suffix belongs to the token.
                let rest = &s[end..];
                if let Some(q) = rest.strip_prefix('x') {
                    end += 1 + q.chars().take_while(char::is_ascii_digit).count();
                }
                s.replace_range(pos..end, "");
            }
        }
        // Drop the extension; a stem that is a size code ("$_20", "s-l1600")
        // names a variant, not a photo. A plain number ("1.jpg", "2.jpg") is
        // the photo's own id: galleries number their photos.
        let stem = s.rsplit_once('.').map(|(a, _)| a.to_string()).unwrap_or(s);
        let stem = stem.trim_matches(|c: char| c == '-' || c == '_').to_string();
        let size_code = (stem.starts_with('$') && stem.chars().filter(char::is_ascii_digit).count() <= 4)
            || stem.strip_prefix("s-l").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if size_code || stem.is_empty() {
            continue;
        }
        parts.push(stem);
    }
    format!("{}/{}", u.host_str().unwrap_or(""), parts.join("/"))
}

/// The directory a photo lives in, without size segments.
fn family(u: &Url) -> String {
    let key = photo_key(u);
    match key.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => key,
    }
}

/// Whether an element is named by one of `words`: its class, its id, or
/// the tag name of a custom element (`<vdp-gallery>`, `<gallery-slides>`).
fn named_by(el: &ElementRef, words: &[&str]) -> bool {
    let name = el.value().name();
    el.attr("class").is_some_and(|c| names_any(c, words))
        || el.attr("id").is_some_and(|i| names_any(i, words))
        || (name.contains('-') && names_any(name, words))
}

/// Whether a link leads to another page (a news item, another listing)
/// rather than to the image itself or a script action.
fn links_elsewhere(a: &ElementRef) -> bool {
    if a.value().name() != "a" {
        return false;
    }
    let href = a.attr("href").unwrap_or("").trim();
    !(href.is_empty() || href.starts_with('#') || href.to_lowercase().starts_with("javascript:") || is_image_link(href))
}

/// What an element's own class, id and link say about the images in it.
#[derive(Clone, Copy)]
struct Marks {
    foreign: bool,
    gallery: bool,
}

fn marks_of(el: &ElementRef) -> Marks {
    Marks { foreign: named_by(el, FOREIGN_WORDS) || links_elsewhere(el), gallery: named_by(el, GALLERY_WORDS) }
}

/// Whether `el` sits in a gallery, and not inside a block of other things
/// or a link to another page. `seen` remembers each ancestor's marks: the
/// same containers are asked about for every image in them.
fn in_gallery(el: &ElementRef, seen: &mut HashMap<usize, Marks>) -> bool {
    let mut gallery = false;
    for a in el.ancestors().filter_map(ElementRef::wrap).take(10) {
        // An element's address identifies it while the document lives.
        let key = std::ptr::from_ref(a.value()) as usize;
        let m = *seen.entry(key).or_insert_with(|| marks_of(&a));
        if m.foreign {
            return false;
        }
        gallery |= m.gallery;
    }
    gallery || marks_of(el).gallery
}

/// The largest candidate in a `srcset` ("a.jpg 320w, b.jpg 1280w").
fn largest_in_srcset(srcset: &str) -> Option<&str> {
    srcset
        .split(", ")
        .filter_map(|part| {
            let mut it = part.split_whitespace();
            let url = it.next()?;
            let size = it.next().and_then(|d| d.trim_end_matches(['w', 'x']).parse::<f64>().ok()).unwrap_or(1.0);
            Some((url, size))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(u, _)| u)
}

fn is_image_link(href: &str) -> bool {
    let l = href.to_lowercase();
    [".jpg", ".jpeg", ".png", ".webp", ".avif"].iter().any(|e| l.contains(e))
}

/// Reads the gallery, then photos listed in inline JSON beside it.
pub(crate) fn read(doc: &Html, c: &mut Collector) {
    let Some(imgs) = selector!("img, a[href], source[srcset]") else {
        return;
    };
    let mut urls = Vec::new();
    let mut seen = HashMap::new();
    for el in doc.select(imgs) {
        // A link counts only when it leads to an image: most links on a
        // page are not asked about their containers at all.
        if el.value().name() == "a" && !el.attr("href").is_some_and(is_image_link) {
            continue;
        }
        if !in_gallery(&el, &mut seen) {
            continue;
        }
        let tiny = ["width", "height"].iter().any(|a| el.attr(a).and_then(|w| w.trim_end_matches("px").parse::<u32>().ok()).is_some_and(|w| w < 40));
        if tiny {
            continue;
        }
        match el.value().name() {
            "a" => {
                if let Some(h) = el.attr("href").filter(|h| is_image_link(h)) {
                    urls.push(h.to_string());
                }
            }
            _ => {
                for a in ["data-src", "data-lazy-src", "data-original", "data-zoom-image", "data-full", "data-large", "src"] {
                    if let Some(v) = el.attr(a).filter(|v| !v.trim().is_empty()) {
                        urls.push(v.to_string());
                    }
                }
                for a in ["srcset", "data-srcset"] {
                    if let Some(u) = el.attr(a).and_then(largest_in_srcset) {
                        urls.push(u.to_string());
                    }
                }
            }
        }
    }
    let before = c.photos.len();
    for u in urls {
        c.photo(&u);
    }
    share_images(c, c.photos.len() - before);
    let scripts = inline_scripts(doc);
    hydration_arrays(&scripts, c);
    hydration(&scripts, c);
}

/// The text of the page's inline scripts that may hold its state (not
/// JSON-LD, not external, not huge).
fn inline_scripts(doc: &Html) -> Vec<Cow<'_, str>> {
    let Some(scripts) = selector!("script") else {
        return Vec::new();
    };
    doc.select(scripts)
        .filter(|s| s.attr("src").is_none() && !s.attr("type").is_some_and(|t| t.contains("ld+json")))
        .map(|s| {
            let mut parts = s.text();
            match (parts.next(), parts.next()) {
                (Some(one), None) => Cow::Borrowed(one),
                (None, _) => Cow::Borrowed(""),
                (Some(a), Some(b)) => Cow::Owned([a, b].into_iter().chain(parts).collect()),
            }
        })
        .filter(|t| !t.is_empty() && t.len() <= 4_000_000)
        .collect()
}

/// A share image (`og:image`) is the main photo on most sites and a
/// site-wide picture on some: when the markup shows a gallery of three or
/// more photos, a share image is kept only if it is one of them.
fn share_images(c: &mut Collector, from_gallery: usize) {
    for u in std::mem::take(&mut c.share_photos) {
        if from_gallery < 3 || c.photos.has(&u) {
            c.photos.add_first(u);
        }
    }
}

/// The rest of a gallery that only the page's hydration state lists: an
/// inline JSON array holding a photo already found (`"images":[{"original":
/// …}, …]`, `imgList = [{"url": …}, …]`, `"photos":[…]`) holds the others,
/// at the same place in each item. Arrays that hold none of the found
/// photos are never read, so other listings' pictures stay out.
fn hydration_arrays(scripts: &[Cow<'_, str>], c: &mut Collector) {
    let needles = c.photos.needles();
    if needles.is_empty() {
        return;
    }
    let mut found: Vec<String> = Vec::new();
    for text in scripts {
        let text: &str = text;
        let mut done_until = 0;
        for needle in &needles {
            let Some(at) = text.find(needle.as_str()) else {
                continue;
            };
            if at < done_until {
                continue;
            }
            if let Some((urls, end)) = array_around(text, at, needle) {
                found.extend(urls);
                done_until = end;
            }
        }
    }
    for raw in found {
        if let Some(u) = c.absolute(&raw) {
            c.photos.add(u);
        }
    }
}

/// The innermost JSON array around byte `at` whose items give two or more
/// photo addresses, with the byte where it ends.
fn array_around(text: &str, at: usize, needle: &str) -> Option<(Vec<String>, usize)> {
    let window_start = at.saturating_sub(20_000);
    let head = text.get(window_start..at)?;
    for (tried, (i, _)) in head.match_indices('[').collect::<Vec<_>>().into_iter().rev().enumerate() {
        if tried >= 24 {
            break;
        }
        let start = window_start + i;
        let Some(rest) = text.get(start..) else {
            continue;
        };
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        let Some(Ok(Value::Array(items))) = stream.next() else {
            continue;
        };
        let end = start + stream.byte_offset();
        if end <= at {
            continue;
        }
        let urls = photos_in_items(&items, needle);
        if urls.len() >= 2 {
            return Some((urls, end));
        }
    }
    None
}

/// Photo addresses in an array's items: the items themselves when they are
/// strings, else the value under the key that holds the known photo.
fn photos_in_items(items: &[Value], needle: &str) -> Vec<String> {
    let is_url = |s: &str| s.starts_with("http") || s.starts_with("//");
    if items.iter().all(Value::is_string) {
        return items.iter().filter_map(Value::as_str).filter(|s| is_url(s)).map(str::to_string).collect();
    }
    let key = items
        .iter()
        .find_map(|item| item.as_object()?.iter().find(|(_, v)| v.as_str().is_some_and(|s| s.contains(needle) && is_url(s))).map(|(k, _)| k.clone()));
    let Some(key) = key else {
        return Vec::new();
    };
    items.iter().filter_map(|item| item.get(&key)?.as_str()).filter(|s| is_url(s)).map(str::to_string).collect()
}

/// Photos listed in inline JSON (a page's hydration state) that live in
/// the same directory as photos already found: the rest of a gallery that
/// the markup loads lazily. Photos from elsewhere are not trusted.
fn hydration(scripts: &[Cow<'_, str>], c: &mut Collector) {
    if c.photos.is_empty() {
        return;
    }
    let families = c.photos.families();
    let mut found = Vec::new();
    for text in scripts {
        if text.len() > 2_000_000 {
            continue;
        }
        for raw in image_urls_in(text) {
            let unescaped = raw.replace("\\/", "/").replace("\\u002F", "/");
            let Ok(u) = (match &c.base {
                Some(b) => b.join(&unescaped),
                None => Url::parse(&unescaped),
            }) else {
                continue;
            };
            if families.contains(&family(&u)) {
                found.push(u);
            }
        }
    }
    for u in found {
        c.photos.add(u);
    }
}

/// Absolute image URLs inside a script's text.
fn image_urls_in(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text.get(from..).and_then(|t| t.find("http")) {
        let start = from + pos;
        let end = text[start..].find(|c: char| c == '"' || c == '\'' || c.is_whitespace() || c == '<' || c == ')').map(|e| start + e).unwrap_or(text.len());
        let candidate = &text[start..end];
        if candidate.starts_with("http") && is_image_link(candidate) && candidate.len() < 2048 {
            out.push(candidate);
        }
        from = end.max(start + 4);
        if out.len() > 2000 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        photo_key(&Url::parse(s).unwrap())
    }

    #[test]
    fn sizes_of_one_photo_share_a_key() {
        assert_eq!(key("https://cdn.example/p/mg-4__2283818-210x138x70.jpg"), key("https://cdn.example/p/mg-4__2283818-1920x1080x90.webp"));
        assert_eq!(key("https://img.example/vehicles/7475/7475558/96x72/180837589.jpg"), key("https://img.example/vehicles/7475/7475558/large2/180837589.jpg"));
        assert_eq!(key("https://i.example/00/s/MTIw/z/gr4AAOSwDF5dkyCC/$_20.jpg"), key("https://i.example/00/s/MTIw/z/gr4AAOSwDF5dkyCC/$_14.jpg"));
        assert_ne!(
            key("https://img.example/vehicles/7475/7475558/large2/180837589.jpg"),
            key("https://img.example/vehicles/7475/7475558/large2/180837590.jpg")
        );
        // Galleries number their photos: 1.jpg and 2.jpg are two photos.
        assert_ne!(key("https://dealer.example/img/1.png"), key("https://dealer.example/img/2.png"));
        assert_ne!(key("https://dealer.example/cars/77/01.jpg"), key("https://dealer.example/cars/77/02.jpg"));
    }

    #[test]
    fn the_largest_size_is_kept() {
        let mut set = PhotoSet::default();
        for u in [
            "https://cdn.example/p/a-210x138.jpg",
            "https://cdn.example/p/a-1280x960.webp",
            "https://cdn.example/p/a-640x480.jpg",
            "https://cdn.example/logo.png",
        ] {
            set.add(Url::parse(u).unwrap());
        }
        assert_eq!(set.into_urls(), vec!["https://cdn.example/p/a-1280x960.webp"]);
    }

    #[test]
    fn srcset_largest() {
        assert_eq!(largest_in_srcset("a.jpg 320w, b.jpg 1280w, c.jpg 640w"), Some("b.jpg"));
        assert_eq!(largest_in_srcset("a.jpg, b.jpg 2x"), Some("b.jpg"));
    }
}
