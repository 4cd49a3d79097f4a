//! A cheap pass over the raw page before the HTML tree is built: building
//! the tree is most of the cost of a large page (a 650 KB page with the
//! site's whole menu costs ~15 ms in html5ever), and most of what it would
//! hold cannot hold listing data.
//!
//! It takes the inline scripts out (their text is kept aside: JSON-LD and
//! hydration state are read from there), drops style blocks, inline SVG
//! and comments, and keeps only the attributes extraction reads (class,
//! id, links and image sources, microdata, meta content, sizes); analytics
//! and framework attributes (`data-analytics-*`, `style`, `aria-*`...) go.
//! Everything else is copied as it is, so the tree html5ever builds from
//! the result has the same elements and text. When the markup does
//! something this scanner does not follow (an unclosed tag or quote), the
//! rest of the page is copied unchanged.

/// An inline script's text, by what it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScriptKind {
    /// `application/ld+json`: schema.org data.
    LdJson,
    /// Anything else inline: hydration state, page variables, code.
    Inline,
}

/// The slimmed page and its inline scripts.
pub(crate) struct Slim<'a> {
    pub html: String,
    pub scripts: Vec<(ScriptKind, &'a str)>,
}

/// Attributes extraction reads; every other attribute is dropped.
const KEPT_ATTRS: &[&str] = &[
    "class",
    "id",
    "href",
    "src",
    "srcset",
    "content",
    "property",
    "name",
    "itemprop",
    "itemscope",
    "itemtype",
    "lang",
    "type",
    "value",
    "datetime",
    "width",
    "height",
    "rel",
];

/// `data-*` attributes are kept when their name says image or test id.
const KEPT_DATA_WORDS: &[&str] = &["src", "img", "image", "photo", "full", "large", "original", "zoom", "big", "hires", "testid", "href", "url"];

/// Elements dropped with everything in them.
const DROPPED: &[&str] = &["style", "svg"];

/// Slims `html` (see the module doc).
pub(crate) fn slim(html: &str) -> Slim<'_> {
    let mut out = String::with_capacity(html.len() / 2);
    let mut scripts = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    let mut copied_to = 0;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let lt = i + off;
        let next = b.get(lt + 1).copied().unwrap_or(0);
        if next == b'!' && b[lt..].starts_with(b"<!--") {
            out.push_str(&html[copied_to..lt]);
            let Some(end) = find(b, lt + 4, b"-->") else {
                copied_to = html.len();
                break;
            };
            i = end + 3;
            copied_to = i;
            continue;
        }
        if !next.is_ascii_alphabetic() {
            i = lt + 1;
            continue;
        }
        let name_end = lt + 1 + b[lt + 1..].iter().position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b':')).unwrap_or(b.len() - lt - 1);
        let name = html[lt + 1..name_end].to_ascii_lowercase();
        let Some(tag) = read_tag(html, name_end) else {
            // An unclosed tag: keep the rest as it is.
            break;
        };
        out.push_str(&html[copied_to..lt]);
        if name == "script" {
            let body_start = tag.end;
            // `<script/>` still runs to its end tag in HTML.
            let close = find_ci(b, body_start, b"</script");
            let Some(close) = close else {
                copied_to = html.len();
                break;
            };
            let is_ld = tag.attrs.iter().any(|(k, v)| k.eq_ignore_ascii_case("type") && v.is_some_and(|v| v.to_ascii_lowercase().contains("ld+json")));
            let external = tag.attrs.iter().any(|(k, _)| k.eq_ignore_ascii_case("src"));
            if !external && close > body_start {
                scripts.push((if is_ld { ScriptKind::LdJson } else { ScriptKind::Inline }, &html[body_start..close]));
            }
            i = skip_past_gt(b, close);
            copied_to = i;
            continue;
        }
        if DROPPED.contains(&name.as_str()) {
            // Only SVG (foreign content) closes itself with `/>`.
            i = if tag.self_closing && name == "svg" { tag.end } else { end_of_element(b, tag.end, name.as_bytes()) };
            copied_to = i;
            continue;
        }
        out.push('<');
        out.push_str(&html[lt + 1..name_end]);
        for (k, v) in &tag.attrs {
            if kept(k) {
                out.push(' ');
                out.push_str(k);
                if let Some(v) = v {
                    out.push_str("=\"");
                    push_quoted(&mut out, v);
                    out.push('"');
                }
            }
        }
        if tag.self_closing {
            out.push('/');
        }
        out.push('>');
        i = tag.end;
        copied_to = i;
        // Raw text elements: their content is text, copied as it is.
        if matches!(name.as_str(), "textarea" | "title" | "noscript" | "xmp" | "plaintext" | "iframe" | "noembed" | "noframes") && !tag.self_closing {
            let mut close_tag = b"</".to_vec();
            close_tag.extend_from_slice(name.as_bytes());
            match find_ci(b, i, &close_tag) {
                Some(close) => {
                    out.push_str(&html[i..close]);
                    i = close;
                    copied_to = close;
                }
                None => break,
            }
        }
    }
    out.push_str(&html[copied_to.min(html.len())..]);
    Slim { html: out, scripts }
}

/// Whether an attribute is kept.
fn kept(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    match l.strip_prefix("data-") {
        Some(rest) => KEPT_DATA_WORDS.iter().any(|w| rest.contains(w)),
        None => KEPT_ATTRS.contains(&l.as_str()),
    }
}

/// An attribute value inside double quotes: `"` and `&` are written as
/// character references only where the raw value could not stand as is
/// (a value first written in single quotes holding `"`).
fn push_quoted(out: &mut String, v: &str) {
    if v.contains('"') {
        out.push_str(&v.replace('"', "&quot;"));
    } else {
        out.push_str(v);
    }
}

/// A start tag read from just after its name.
struct Tag<'a> {
    /// (name, raw value); None for an attribute written without one.
    attrs: Vec<(&'a str, Option<&'a str>)>,
    self_closing: bool,
    /// Byte just after the closing `>`.
    end: usize,
}

/// Reads a start tag's attributes, from `at` (just after the tag name) to
/// its `>`. None when the tag never closes.
fn read_tag(html: &str, mut at: usize) -> Option<Tag<'_>> {
    let b = html.as_bytes();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        match b.get(at)? {
            b'>' => return Some(Tag { attrs, self_closing, end: at + 1 }),
            b'/' => {
                self_closing = b.get(at + 1) == Some(&b'>');
                at += 1;
                continue;
            }
            _ => {}
        }
        let name_start = at;
        while at < b.len() && !b[at].is_ascii_whitespace() && !matches!(b[at], b'=' | b'>' | b'/') {
            at += 1;
        }
        if at == name_start {
            // A stray character ("=" without a name): skip it.
            at += 1;
            continue;
        }
        let name = &html[name_start..at];
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        if b.get(at) != Some(&b'=') {
            attrs.push((name, None));
            continue;
        }
        at += 1;
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        let value = match b.get(at)? {
            q @ (b'"' | b'\'') => {
                let close = at + 1 + memchr(*q, &b[at + 1..])?;
                let v = &html[at + 1..close];
                at = close + 1;
                v
            }
            _ => {
                let start = at;
                while at < b.len() && !b[at].is_ascii_whitespace() && b[at] != b'>' {
                    at += 1;
                }
                &html[start..at]
            }
        };
        attrs.push((name, Some(value)));
    }
}

/// The byte after the `>` that closes the tag starting at `at`.
fn skip_past_gt(b: &[u8], at: usize) -> usize {
    memchr(b'>', &b[at..]).map_or(b.len(), |p| at + p + 1)
}

/// The byte after the end tag that closes an element named `name`
/// (nested elements of the same name counted), or the end of the page.
fn end_of_element(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut depth = 1usize;
    let mut at = from;
    while let Some(off) = memchr(b'<', &b[at..]) {
        let lt = at + off;
        let closing = b.get(lt + 1) == Some(&b'/');
        let start = lt + 1 + usize::from(closing);
        let matches_name = b.len() >= start + name.len()
            && b[start..start + name.len()].eq_ignore_ascii_case(name)
            && b.get(start + name.len()).is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'-'));
        if matches_name {
            if closing {
                depth -= 1;
                if depth == 0 {
                    return skip_past_gt(b, lt);
                }
            } else {
                depth += 1;
            }
        }
        at = lt + 1;
    }
    b.len()
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|c| *c == needle)
}

/// The first `needle` at or after `from`.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

/// [`find`] ignoring ASCII case.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = needle.first()?.to_ascii_lowercase();
    let mut at = from;
    while let Some(off) = memchr(first, hay.get(at..)?) {
        let p = at + off;
        if hay.get(p..p + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle)) {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slimming must not change what is read: every corpus page gives the
    /// same fields and photos from the slimmed tree as from the whole one
    /// (the description aside: it loses inline CSS).
    #[test]
    fn corpus_pages_read_the_same_slimmed_or_whole() {
        use crate::extract::{read_page, Field};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let mut pages = 0;
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let Ok(html) = std::fs::read_to_string(&path) else {
                continue;
            };
            let url = "https://example.com/listing/1";
            let scripts = slim(&html).scripts;
            let slimmed = crate::extract::extract(&html, url);
            let whole = read_page(&scraper::Html::parse_document(&html), &scripts, url);
            let fields = |e: &crate::extract::Extraction| -> Vec<(Field, String)> {
                e.detected.iter().filter(|d| d.field != Field::Description).map(|d| (d.field, d.value.clone())).collect()
            };
            assert_eq!(fields(&slimmed), fields(&whole), "{}", path.display());
            assert_eq!(slimmed.photos, whole.photos, "{}", path.display());
            pages += 1;
        }
        assert!(pages >= 60, "read {pages} corpus pages");
    }

    #[test]
    fn scripts_styles_svg_and_comments_go_and_scripts_are_kept_aside() {
        let html = r#"<html><head><style>.a{color:red}</style><script type="application/ld+json">{"@type":"Car"}</script>
            <script src="/x.js"></script><script>window.state = {"photos":["a.jpg"]}</script></head>
            <body><!-- a comment <p>not text</p> --><svg viewBox="0 0 1 1"><svg><path d="M0"/></svg></svg><p>Text</p></body></html>"#;
        let s = slim(html);
        assert_eq!(s.html, "<html><head>\n            </head>\n            <body><p>Text</p></body></html>");
        assert_eq!(s.scripts, vec![(ScriptKind::LdJson, r#"{"@type":"Car"}"#), (ScriptKind::Inline, r#"window.state = {"photos":["a.jpg"]}"#)]);
    }

    #[test]
    fn only_the_attributes_extraction_reads_are_kept() {
        let html = r#"<div class="gallery" data-analytics-id="7" style="x" aria-label='Photos "one"'><img src=a.jpg data-full="b.jpg" alt="x" width=640 loading=lazy hidden></div>"#;
        assert_eq!(slim(html).html, r#"<div class="gallery"><img src="a.jpg" data-full="b.jpg" width="640"></div>"#);
        // Quotes inside single-quoted values survive.
        assert_eq!(slim(r#"<meta content='say "hi"'>"#).html, r#"<meta content="say &quot;hi&quot;">"#);
        // Boolean attributes keep no value.
        assert_eq!(slim("<div itemscope itemtype=x>").html, r#"<div itemscope itemtype="x">"#);
    }

    #[test]
    fn text_and_raw_text_are_copied_as_they_are() {
        let html = "<title>A < B & C</title><textarea><b>x</b></textarea><p>1 < 2 > 0 &amp; <br/></p>";
        assert_eq!(slim(html).html, html);
        // An unclosed tag or comment leaves the rest unchanged.
        assert_eq!(slim("<p>a</p><div class=\"x").html, "<p>a</p><div class=\"x");
        assert_eq!(slim("<p>a</p><!-- open").html, "<p>a</p>");
    }
}
