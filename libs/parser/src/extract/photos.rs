//! Photo identity: one photo is kept once, in its largest size, whatever
//! its sizes are called (`-210x138` / `-1920x1080`, `/96x72/` /
//! `/large2/`, `$_14` / `$_20`, `abc_small.jpg` / `abc_large.jpg`).
//! Addresses that are never car photos (logos, icons, badges, SVG, GIF)
//! are left out.

use url::Url;

/// At most this many photos per listing.
const MAX_PHOTOS: usize = 80;

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

/// One photo: its identity across sizes, its best address, how large
/// that address looks.
struct Photo {
    key: String,
    url: Url,
    rank: u64,
}

/// The photos found so far, each once (by [`photo_key`]) in its largest
/// size, in the order first seen.
#[derive(Default)]
pub(crate) struct PhotoSet {
    photos: Vec<Photo>,
}

/// Whether an address can be a car photo at all (http(s), not an SVG or
/// GIF, not a logo, icon, badge...).
fn usable(u: &Url) -> bool {
    if u.scheme() != "http" && u.scheme() != "https" {
        return false;
    }
    let path = u.path().to_lowercase();
    !(path.ends_with(".svg") || path.ends_with(".gif") || NOT_PHOTO_WORDS.iter().any(|w| path.contains(w)))
}

impl PhotoSet {
    pub fn add(&mut self, u: Url) {
        self.add_one(vec![u]);
    }

    /// One photo named by several addresses, best first: an `<img>`'s
    /// `data-full`, `srcset`, `data-src` and `src`, and the link around it
    /// (sites give each size its own file name). If any of them is a photo
    /// already found, that photo is kept once, under the best address.
    /// Returns the photo's key, or None when no address is usable.
    pub fn add_one(&mut self, variants: Vec<Url>) -> Option<String> {
        let mut variants: Vec<(String, Url, u64)> = variants.into_iter().filter(usable).map(|u| (photo_key(&u), u.clone(), size_rank(&u))).collect();
        if variants.is_empty() {
            return None;
        }
        // The largest size says; among equals, the element's own order.
        let best_at = variants.iter().enumerate().fold(0, |best, (i, v)| if v.2 > variants[best].2 { i } else { best });
        let (key, url, rank) = variants.swap_remove(best_at);
        let others: Vec<String> = variants.into_iter().map(|v| v.0).collect();
        let found: Vec<usize> = self.photos.iter().enumerate().filter(|(_, p)| p.key == key || others.contains(&p.key)).map(|(i, _)| i).collect();
        let Some(&first) = found.first() else {
            if self.photos.len() < MAX_PHOTOS {
                self.photos.push(Photo { key: key.clone(), url, rank });
            }
            return Some(key);
        };
        // Other sizes of the same photo found earlier go.
        for &i in found[1..].iter().rev() {
            self.photos.remove(i);
        }
        let p = self.photos.get_mut(first)?;
        if rank >= p.rank {
            *p = Photo { key, url, rank };
        }
        Some(p.key.clone())
    }

    /// Like [`PhotoSet::add`], but a new photo goes first: the page's
    /// main photo.
    pub fn add_first(&mut self, u: Url) {
        let key = photo_key(&u);
        if self.photos.iter().any(|p| p.key == key) || self.photos.len() >= MAX_PHOTOS {
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
        self.photos.iter().any(|p| p.key == key)
    }

    /// The part of each photo's address that names it and nothing else
    /// (its longest path segment), to find the photo in inline JSON.
    pub fn needles(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.photos {
            let seg = p.key.split('/').skip(1).max_by_key(|s| s.len()).unwrap_or("");
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
        self.photos.into_iter().map(|p| p.url.to_string()).collect()
    }

    /// Directory keys of the photos found, for matching hydration JSON.
    pub fn families(&self) -> Vec<String> {
        self.photos.iter().map(|p| family(&p.url)).collect::<std::collections::BTreeSet<_>>().into_iter().collect()
    }

    pub fn is_empty(&self) -> bool {
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
        } else {
            let stem = seg.rsplit_once('.').map_or(seg, |(a, _)| a);
            best = best.max(stem_without_sizes(stem).1);
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

/// A size written as one token of a file name: a size word ("small",
/// "large", "thumb"), a width or height code ("w800", "800w", "h600",
/// "1600px"), with its rank. Two-letter words ("th", "sm", "lg") count only
/// as whole path segments.
fn size_in_token(token: &str) -> Option<u64> {
    let l = token.to_ascii_lowercase();
    if let Some(r) = size_word(&l).filter(|_| l.len() > 2 || l.starts_with('x')) {
        return Some(r);
    }
    let digits = |s: &str| (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let n = l
        .strip_prefix('w')
        .or_else(|| l.strip_prefix('h'))
        .filter(|n| digits(n))
        .or_else(|| l.strip_suffix('w').filter(|n| digits(n)))
        .or_else(|| l.strip_suffix("px").filter(|n| digits(n)))?;
    n.parse::<u64>().ok().map(|n| n.saturating_mul(n))
}

/// A file name's stem without its size tokens ("abc_small" → "abc",
/// "abc-w800" → "abc"), and the largest size they named (0 if none).
fn stem_without_sizes(stem: &str) -> (String, u64) {
    let mut out = String::with_capacity(stem.len());
    let mut rank = 0;
    let mut start = 0;
    for (i, ch) in stem.char_indices().chain(std::iter::once((stem.len(), '-'))) {
        if !matches!(ch, '-' | '_' | '.') {
            continue;
        }
        let token = &stem[start..i];
        let sep = &stem[i..(i + ch.len_utf8()).min(stem.len())];
        match size_in_token(token) {
            // The file's own name is never only a size word.
            Some(r) if start > 0 || i < stem.len() => rank = rank.max(r),
            _ => {
                out.push_str(token);
                out.push_str(sep);
            }
        }
        start = i + ch.len_utf8();
    }
    (out.trim_matches(|c: char| c == '-' || c == '_' || c == '.').to_string(), rank)
}

/// The identity of a photo across its sizes: host and path with size
/// tokens, size-word segments and tokens, short numeric size codes and the
/// file extension removed.
pub(crate) fn photo_key(u: &Url) -> String {
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
        let (stem, _) = stem_without_sizes(&stem);
        if !stem.is_empty() {
            parts.push(stem);
        }
    }
    format!("{}/{}", u.host_str().unwrap_or(""), parts.join("/"))
}

/// The directory a photo lives in, without size segments.
pub(crate) fn family(u: &Url) -> String {
    let key = photo_key(u);
    match key.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        photo_key(&Url::parse(s).unwrap())
    }

    fn urls(list: &[&str]) -> Vec<Url> {
        list.iter().map(|u| Url::parse(u).unwrap()).collect()
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
    fn a_size_inside_a_file_name_is_not_part_of_the_photo() {
        assert_eq!(key("https://cdn.example/p/abc_640x480.jpg"), key("https://cdn.example/p/abc_1280x960.jpg"));
        assert_eq!(key("https://cdn.example/p/abc_640x480_q80.jpg"), key("https://cdn.example/p/abc_1280x960_q80.jpg"));
        // Sibling files that differ only by a size word or code.
        assert_eq!(key("https://cdn.example/p/abc_small.jpg"), key("https://cdn.example/p/abc_large.jpg"));
        assert_eq!(key("https://cdn.example/p/abc-thumb.jpg"), key("https://cdn.example/p/abc.jpg"));
        assert_eq!(key("https://cdn.example/p/abc-w320.jpg"), key("https://cdn.example/p/abc-w1600.jpg"));
        assert_eq!(key("https://cdn.example/p/abc_800w.webp"), key("https://cdn.example/p/abc_400w.webp"));
        // But a different photo keeps its own key, and a word that is the
        // whole file name is the photo's name.
        assert_ne!(key("https://cdn.example/p/abc_small.jpg"), key("https://cdn.example/p/abd_small.jpg"));
        assert_ne!(key("https://cdn.example/p/large.jpg"), key("https://cdn.example/q/large.jpg"));
    }

    #[test]
    fn the_largest_size_is_kept() {
        let mut set = PhotoSet::default();
        for u in [
            "https://cdn.example/p/a-210x138.jpg",
            "https://cdn.example/p/a-1280x960.webp",
            "https://cdn.example/p/a-640x480.jpg",
            "https://cdn.example/logo.png",
            "https://cdn.example/p/b_small.jpg",
            "https://cdn.example/p/b_large.jpg",
            "https://cdn.example/p/b_medium.jpg",
        ] {
            set.add(Url::parse(u).unwrap());
        }
        assert_eq!(set.into_urls(), vec!["https://cdn.example/p/a-1280x960.webp", "https://cdn.example/p/b_large.jpg"]);
    }

    #[test]
    fn the_addresses_of_one_element_are_one_photo() {
        let mut set = PhotoSet::default();
        // Found first under its display name (structured data).
        set.add(Url::parse("https://cdn.example/m/aa6d.jpg").unwrap());
        // The element gives its full-size file too: one photo, the full one.
        set.add_one(urls(&["https://cdn.example/m/614a.jpg", "https://cdn.example/m/aa6d.jpg"]));
        set.add_one(urls(&["https://cdn.example/m/da70.jpg", "https://cdn.example/m/b4c3.jpg"]));
        assert_eq!(set.into_urls(), vec!["https://cdn.example/m/614a.jpg", "https://cdn.example/m/da70.jpg"]);
    }
}
