//! XML feeds: one element per car (`<car>`, `<offer>`, `<vehicle>`...),
//! found as the element name repeated most often; each car's fields are
//! its descendants' text and attributes, named by the element (`<price>`)
//! or `element@attribute` (`<price currency="EUR">` gives `price@currency`).
//! Repeated fields (`<photo>` per photo) are joined with spaces.

use std::collections::HashMap;

use xmlparser::{ElementEnd, Token, Tokenizer};

use super::{FeedError, FeedTable, MAX_ROWS};

/// Deepest nesting read; deeper feeds are refused rather than walked.
const MAX_DEPTH: usize = 32;

pub(super) fn read(text: &str) -> Result<FeedTable, FeedError> {
    let tokens = tokens(text)?;
    let record = record_name(&tokens);
    let Some((record, record_depth)) = record else {
        return Err(FeedError::Empty);
    };
    let mut columns: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut current: Option<Vec<String>> = None;
    let mut path: Vec<&str> = Vec::new();
    let mut set = |row: &mut Vec<String>, name: String, value: &str, columns: &mut Vec<String>| {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let i = *index.entry(name.clone()).or_insert_with(|| {
            columns.push(name);
            columns.len() - 1
        });
        if row.len() <= i {
            row.resize(i + 1, String::new());
        }
        if !row[i].is_empty() {
            row[i].push(' ');
        }
        row[i].push_str(value);
    };
    for t in &tokens {
        match t {
            Tok::Open(name) => {
                path.push(name);
                if current.is_none() && *name == record && path.len() == record_depth {
                    current = Some(Vec::new());
                }
            }
            Tok::Attr(name, value) => {
                if let (Some(row), Some(el)) = (current.as_mut(), path.last()) {
                    let col = if path.len() == record_depth { format!("@{name}") } else { format!("{el}@{name}") };
                    set(row, col, value, &mut columns);
                }
            }
            Tok::Text(value) => {
                if let (Some(row), Some(el)) = (current.as_mut(), path.last()) {
                    if path.len() > record_depth {
                        set(row, el.to_string(), value, &mut columns);
                    }
                }
            }
            Tok::Close => {
                if path.len() == record_depth && current.is_some() {
                    if rows.len() == MAX_ROWS {
                        return Err(FeedError::TooManyRows);
                    }
                    rows.extend(current.take());
                }
                path.pop();
            }
        }
    }
    for r in &mut rows {
        r.resize(columns.len(), String::new());
    }
    Ok(FeedTable { columns, rows })
}

enum Tok<'a> {
    Open(&'a str),
    Attr(&'a str, String),
    Text(String),
    Close,
}

/// The `encoding` an XML declaration at the start of `bytes` names.
pub(super) fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let decl = head.trim_start().strip_prefix("<?xml")?.split("?>").next()?;
    let after = decl.split("encoding").nth(1)?.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    Some(after[1..].split(quote).next()?.to_string())
}

fn tokens(text: &str) -> Result<Vec<Tok<'_>>, FeedError> {
    let mut out = Vec::new();
    // Open elements: the tokenizer does not check that ends match starts.
    let mut open: Vec<&str> = Vec::new();
    for t in Tokenizer::from(text) {
        let t = t.map_err(|e| FeedError::BadXml(e.to_string()))?;
        match t {
            Token::ElementStart { local, .. } => {
                if open.len() == MAX_DEPTH {
                    return Err(FeedError::BadXml(format!("nested deeper than {MAX_DEPTH} elements")));
                }
                open.push(local.as_str());
                out.push(Tok::Open(local.as_str()));
            }
            Token::Attribute { local, value, .. } => out.push(Tok::Attr(local.as_str(), unescape(value.as_str()))),
            Token::ElementEnd { end: ElementEnd::Open, .. } => {}
            Token::ElementEnd { end, .. } => {
                let name = open.pop();
                if let ElementEnd::Close(_, local) = end {
                    if name != Some(local.as_str()) {
                        return Err(FeedError::BadXml(format!("</{}> closes <{}>", local.as_str(), name.unwrap_or(""))));
                    }
                }
                out.push(Tok::Close);
            }
            Token::Text { text } => out.push(Tok::Text(unescape(text.as_str()))),
            Token::Cdata { text, .. } => out.push(Tok::Text(text.as_str().to_string())),
            _ => {}
        }
    }
    if let Some(name) = open.last() {
        return Err(FeedError::BadXml(format!("<{name}> is never closed")));
    }
    Ok(out)
}

/// The element that stands for one car: the name repeated most often among
/// elements that have child elements, at the shallowest depth it occurs.
fn record_name<'a>(tokens: &[Tok<'a>]) -> Option<(&'a str, usize)> {
    let mut counts: HashMap<(&str, usize), usize> = HashMap::new();
    let mut path: Vec<(&str, bool)> = Vec::new();
    for t in tokens {
        match t {
            Tok::Open(name) => {
                if let Some(parent) = path.last_mut() {
                    parent.1 = true;
                }
                path.push((name, false));
            }
            Tok::Close => {
                let depth = path.len();
                if let Some((name, has_children)) = path.pop() {
                    if has_children && depth > 1 {
                        *counts.entry((name, depth)).or_default() += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0 .1.cmp(&a.0 .1))).map(|(k, _)| k)
}

/// XML's five entities and numeric character references.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let ent = &tail[1..end];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
