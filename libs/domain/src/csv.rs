//! CSV as spreadsheets read it: one cell escaped (quotes doubled, quoted
//! when it holds a comma, quote or line break) and guarded against formula
//! injection (a cell a buyer controls that starts with `=`, `+`, `-`, `@`
//! would run as a formula in Excel or Sheets: it gets a leading `'`; a
//! phone number like `+380…` is left as it is). Pure.

/// One CSV line from its cells, ending in `\r\n` (RFC 4180).
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell(c.as_ref()));
    }
    out.push_str("\r\n");
    out
}

/// One cell, guarded and escaped.
pub fn cell(raw: &str) -> String {
    let phone = raw.len() > 1 && raw.starts_with('+') && raw[1..].bytes().all(|b| b.is_ascii_digit());
    let guarded = if !phone && raw.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{raw}") } else { raw.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped_and_guarded() {
        assert_eq!(cell("Ann"), "Ann");
        assert_eq!(cell("Koval, Ann"), "\"Koval, Ann\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(cell("@sum"), "'@sum");
        assert_eq!(cell("-1+2"), "'-1+2");
        assert_eq!(cell("+380671234567"), "+380671234567");
        assert_eq!(cell("+1 cmd"), "'+1 cmd");
        assert_eq!(line(&["a", "b,c", ""]), "a,\"b,c\",\r\n");
    }
}
