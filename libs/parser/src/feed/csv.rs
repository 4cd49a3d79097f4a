//! CSV as spreadsheets and dealer systems write it: a header row, fields
//! separated by the commonest of `,` `;` tab `|` on that row, `"` quoting
//! (doubled inside), line breaks inside quotes kept.

use super::{FeedError, FeedTable, MAX_ROWS};

pub(super) fn read(text: &str) -> Result<FeedTable, FeedError> {
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let sep = [',', ';', '\t', '|'].into_iter().max_by_key(|s| header_line.matches(*s).count()).unwrap_or(',');
    let mut records = records(text, sep);
    let Some(columns) = records.next() else {
        return Err(FeedError::Empty);
    };
    let columns: Vec<String> = columns.into_iter().map(|c| c.trim().to_string()).collect();
    let mut rows = Vec::new();
    for r in records {
        if r.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FeedError::TooManyRows);
        }
        let mut r = r;
        r.resize(columns.len(), String::new());
        rows.push(r);
    }
    Ok(FeedTable { columns, rows })
}

/// The records of `text`, each a list of unquoted fields.
fn records(text: &str, sep: char) -> impl Iterator<Item = Vec<String>> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        chars.peek()?;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' if quoted => quoted = false,
                '"' if field.trim().is_empty() => {
                    field.clear();
                    quoted = true;
                }
                c if c == sep && !quoted => fields.push(std::mem::take(&mut field)),
                '\r' if !quoted => {}
                '\n' if !quoted => break,
                c => field.push(c),
            }
        }
        fields.push(field);
        Some(fields)
    })
}
