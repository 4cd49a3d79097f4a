//! Breadcrumbs: a trail such as "Cars › BMW › Seria 5 › E60 (2003-2010)"
//! names the make and, right after it, the model in the site's own words.
//! Read from JSON-LD and microdata `BreadcrumbList`s and from elements
//! whose class or id says breadcrumb.

use cartie_dictionary::Dictionary;
use scraper::{ElementRef, Html};
use serde_json::Value;

use super::collector::Collector;
use super::labels::own_text;
use super::{selector, Field, Source};

pub(crate) fn read(doc: &Html, ld: &[Value], c: &mut Collector) {
    let mut structured = false;
    for v in ld {
        let mut lists = Vec::new();
        ld_lists(v, &mut lists, 0);
        for names in lists {
            structured |= trail(&names, c, Source::JsonLd);
        }
    }
    if let Some(lists) = selector!("[itemtype*=BreadcrumbList], [itemtype*=breadcrumblist]") {
        for list in doc.select(lists).take(3) {
            let names: Vec<String> = list
                .descendent_elements()
                .take(MAX_CRUMB_ELEMENTS)
                .filter(|e| e.attr("itemprop").is_some_and(|p| p.split_whitespace().any(|x| x == "name")))
                .map(|e| e.attr("content").map(str::to_string).unwrap_or_else(|| own_text(&e)))
                .collect();
            structured |= trail(&names, c, Source::Microdata);
        }
    }
    // Markup alone when no structured trail named the make.
    if structured {
        return;
    }
    if let Some(crumbs) = selector!("[class*=breadcrumb], [id*=breadcrumb], [class*=Breadcrumb]") {
        for el in doc.select(crumbs).take(6) {
            let names = markup_trail(&el);
            if names.len() >= 2 {
                trail(&names, c, Source::Text);
                break;
            }
        }
    }
}

/// A trail is short: elements looked at per breadcrumb container.
const MAX_CRUMB_ELEMENTS: usize = 300;

/// The names of a breadcrumb element: its list items, else its links.
fn markup_trail(el: &ElementRef) -> Vec<String> {
    let small = || el.descendent_elements().take(MAX_CRUMB_ELEMENTS);
    let items: Vec<String> = small().filter(|e| e.value().name() == "li").map(|e| own_text(&e)).filter(|t| !t.is_empty() && t.chars().count() <= 60).collect();
    if items.len() >= 2 {
        return items;
    }
    small().filter(|e| e.value().name() == "a").map(|e| own_text(&e)).filter(|t| !t.is_empty() && t.chars().count() <= 60).collect()
}

/// The item names of every `BreadcrumbList` in a JSON-LD value, in order.
fn ld_lists(v: &Value, out: &mut Vec<Vec<String>>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| ld_lists(x, out, depth + 1)),
        Value::Object(m) => {
            let is_list = match m.get("@type") {
                Some(Value::String(t)) => t.eq_ignore_ascii_case("breadcrumblist"),
                _ => false,
            };
            if is_list {
                let mut items: Vec<(i64, String)> = m
                    .get("itemListElement")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .enumerate()
                            .filter_map(|(i, it)| {
                                let pos = it.get("position").and_then(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok())).unwrap_or(i as i64);
                                let name = it.get("name").and_then(Value::as_str).or_else(|| it.get("item")?.get("name")?.as_str())?;
                                Some((pos, name.to_string()))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                items.sort_by_key(|(p, _)| *p);
                out.push(items.into_iter().map(|(_, n)| n).collect());
            }
            for (k, child) in m {
                if k != "@context" {
                    ld_lists(child, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The make is the first crumb the dictionary knows as a make; the model
/// is the crumb after it, unless that is the listing's own long title.
/// Returns whether the trail named a make.
fn trail(names: &[String], c: &mut Collector, source: Source) -> bool {
    let dict = Dictionary::builtin();
    let names: Vec<&str> = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
    let Some(i) = names.iter().position(|n| dict.canonical_make(n).is_some()) else {
        return false;
    };
    c.push(Field::Make, names[i], source, 0.55);
    let Some(model) = names.get(i + 1) else {
        return true;
    };
    let last = i + 2 == names.len();
    if model.chars().count() > 25 || (last && model.split_whitespace().count() > 3) || dict.canonical_make(model).is_some() {
        return true;
    }
    c.push(Field::Model, model, source, 0.55);
    true
}
