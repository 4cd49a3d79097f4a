//! OpenGraph / product meta tags and the document title.

use scraper::Html;

use super::collector::Collector;
use super::{selector, Field, Source};

/// Reads OpenGraph, product and twitter meta tags and the `<title>`.
pub(crate) fn read(doc: &Html, c: &mut Collector) {
    if let Some(metas) = selector!("meta[content]") {
        for m in doc.select(metas) {
            let key = m.attr("property").or_else(|| m.attr("name")).unwrap_or("").to_ascii_lowercase();
            let content = m.attr("content").unwrap_or("");
            match key.as_str() {
                "og:title" => {
                    c.push(Field::Title, content, Source::Meta, 0.6);
                }
                "og:description" => {
                    c.push(Field::Description, content, Source::Meta, 0.35);
                }
                "description" => {
                    c.push(Field::Description, content, Source::Meta, 0.3);
                }
                "og:image" | "og:image:url" | "og:image:secure_url" | "twitter:image" => {
                    c.share_photo(content);
                }
                "product:price:amount" | "og:price:amount" | "product:price" => {
                    c.push(Field::Price, content, Source::Meta, 0.75);
                }
                "product:price:currency" | "og:price:currency" => {
                    c.push(Field::Currency, content, Source::Meta, 0.75);
                }
                "product:brand" => {
                    c.push(Field::Make, content, Source::Meta, 0.7);
                }
                _ => {}
            }
        }
    }
    if let Some(title) = selector!("title").and_then(|s| doc.select(s).next()) {
        let t: String = title.text().collect();
        c.push(Field::Title, &t, Source::Meta, 0.5);
    }
}
