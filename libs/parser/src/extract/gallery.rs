//! Photos: the listing's gallery, whatever markup it uses (`<img>` with
//! `src`/`data-src`/`srcset`, `<source srcset>`, links to full-size images,
//! thumbnails), plus the photos structured data and meta tags name and the
//! ones inline hydration JSON lists next to them. Each photo is kept once,
//! in its largest size; logos, icons, ads and other listings' photos are
//! left out.

use std::collections::HashMap;

use scraper::{ElementRef, Html};
use serde_json::Value;
use url::Url;

use super::collector::Collector;
use super::photos::family;
use super::selector;
use super::text::names_any;

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
    // Ads; a bare "advert" is the listing itself in British usage.
    "advertis",
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

/// Class/id words of a strip of thumbnails: the same photos as the main
/// gallery, smaller, often under other file names.
const THUMB_WORDS: &[&str] = &["thumb"];

/// What an element's own class, id and link say about the images in it.
#[derive(Clone, Copy)]
struct Marks {
    foreign: bool,
    gallery: bool,
    thumbs: bool,
}

fn marks_of(el: &ElementRef) -> Marks {
    Marks { foreign: named_by(el, FOREIGN_WORDS) || links_elsewhere(el), gallery: named_by(el, GALLERY_WORDS), thumbs: named_by(el, THUMB_WORDS) }
}

/// Where an image sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Not in a gallery, or inside a block of other things or a link to
    /// another page.
    Elsewhere,
    Gallery,
    /// In a gallery's strip of thumbnails.
    Thumbnails,
}

/// Where `el` sits. `seen` remembers each ancestor's marks: the same
/// containers are asked about for every image in them.
fn place_of(el: &ElementRef, seen: &mut HashMap<usize, Marks>) -> Place {
    let own = marks_of(el);
    let (mut gallery, mut thumbs) = (own.gallery, own.thumbs);
    for a in el.ancestors().filter_map(ElementRef::wrap).take(10) {
        // An element's address identifies it while the document lives.
        let key = std::ptr::from_ref(a.value()) as usize;
        let m = *seen.entry(key).or_insert_with(|| marks_of(&a));
        if m.foreign {
            return Place::Elsewhere;
        }
        gallery |= m.gallery;
        thumbs |= m.thumbs;
    }
    match (gallery || thumbs, thumbs) {
        (false, _) => Place::Elsewhere,
        (true, false) => Place::Gallery,
        (true, true) => Place::Thumbnails,
    }
}

/// Attributes that name a larger file than `src`, best first.
const LARGE_ATTRS: &[&str] = &["data-zoom-image", "data-full", "data-large", "data-original", "data-big", "data-hires"];
/// Attributes that name the displayed file, best first.
const SHOWN_ATTRS: &[&str] = &["data-lazy-src", "data-src", "src"];

/// Every address one `<img>` gives for its photo, best first: the link
/// around it when that leads to an image file, the large-size attributes,
/// the largest `srcset` candidates (its own and its `<picture>`'s
/// `<source>`s), then what it shows.
fn addresses_of(img: &ElementRef) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |v: Option<&str>| {
        if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
            out.push(v.to_string());
        }
    };
    let link = img.ancestors().filter_map(ElementRef::wrap).take(3).find(|a| a.value().name() == "a");
    push(link.and_then(|a| a.attr("href")).filter(|h| is_image_link(h)));
    for a in LARGE_ATTRS {
        push(img.attr(a));
    }
    for a in ["srcset", "data-srcset"] {
        push(img.attr(a).and_then(largest_in_srcset));
    }
    if let Some(picture) = img.parent().and_then(ElementRef::wrap).filter(|p| p.value().name() == "picture") {
        for source in picture.child_elements().filter(|s| s.value().name() == "source") {
            push(source.attr("srcset").and_then(largest_in_srcset));
        }
    }
    for a in SHOWN_ATTRS {
        push(img.attr(a));
    }
    out
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
///
/// Each `<img>` is one photo, whatever number of addresses it gives; a
/// link to an image counts on its own only when it holds no image. A strip
/// of thumbnails repeats the main gallery (often under other file names),
/// so it is read only when it shows more photos than the gallery does.
pub(crate) fn read(doc: &Html, scripts: &[&str], c: &mut Collector) {
    let Some(imgs) = selector!("img, a[href]") else {
        return;
    };
    let mut gallery: Vec<Vec<String>> = Vec::new();
    let mut thumbnails: Vec<Vec<String>> = Vec::new();
    let mut seen = HashMap::new();
    for el in doc.select(imgs) {
        let is_link = el.value().name() == "a";
        // A link counts only when it leads to an image: most links on a
        // page are not asked about their containers at all.
        if is_link && (!el.attr("href").is_some_and(is_image_link) || el.descendent_elements().any(|d| d.value().name() == "img")) {
            continue;
        }
        let place = place_of(&el, &mut seen);
        if place == Place::Elsewhere {
            continue;
        }
        let tiny = ["width", "height"].iter().any(|a| el.attr(a).and_then(|w| w.trim_end_matches("px").parse::<u32>().ok()).is_some_and(|w| w < 40));
        if tiny {
            continue;
        }
        let addresses = if is_link { el.attr("href").map(|h| vec![h.to_string()]).unwrap_or_default() } else { addresses_of(&el) };
        if addresses.is_empty() {
            continue;
        }
        match place {
            Place::Thumbnails => thumbnails.push(addresses),
            _ => gallery.push(addresses),
        }
    }
    let mut shown = std::collections::HashSet::new();
    for addresses in gallery {
        if let Some(key) = add_photo(c, &addresses) {
            shown.insert(key);
        }
    }
    if thumbnails.len() > shown.len() {
        for addresses in thumbnails {
            if let Some(key) = add_photo(c, &addresses) {
                shown.insert(key);
            }
        }
    }
    share_images(c, shown.len());
    hydration_arrays(scripts, c);
    hydration(scripts, c);
}

/// One photo under all the addresses an element gives for it.
fn add_photo(c: &mut Collector, addresses: &[String]) -> Option<String> {
    let urls: Vec<Url> = addresses.iter().filter_map(|a| c.absolute(a)).collect();
    c.photos.add_one(urls)
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
fn hydration_arrays(scripts: &[&str], c: &mut Collector) {
    let needles = c.photos.needles();
    if needles.is_empty() {
        return;
    }
    let mut found: Vec<String> = Vec::new();
    for text in scripts {
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
fn hydration(scripts: &[&str], c: &mut Collector) {
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

    #[test]
    fn srcset_largest() {
        assert_eq!(largest_in_srcset("a.jpg 320w, b.jpg 1280w, c.jpg 640w"), Some("b.jpg"));
        assert_eq!(largest_in_srcset("a.jpg, b.jpg 2x"), Some("b.jpg"));
    }
}
