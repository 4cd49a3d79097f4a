//! Input checks that name the field at fault, so the API can answer
//! `{ "error": { "field": "email", ... } }` instead of a bare 400.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Normalises and checks an e-mail address (trimmed, lower-cased). Deliberately
/// simple: one `@`, a dot in the domain, no spaces, at most 254 chars.
pub fn email(field: &str, raw: &str) -> Result<String, FieldError> {
    let e = raw.trim().to_lowercase();
    let bad = || FieldError::new(field, "must be an e-mail address like name@dealer.com");
    if e.is_empty() || e.len() > 254 || e.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || domain.contains('@') || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(bad());
    }
    Ok(e)
}

/// A new password: long enough to resist guessing, short enough to hash fast.
pub fn new_password(field: &str, raw: &str) -> Result<(), FieldError> {
    let n = raw.chars().count();
    if n < 10 {
        return Err(FieldError::new(field, "must be at least 10 characters"));
    }
    if n > 128 {
        return Err(FieldError::new(field, "must be at most 128 characters"));
    }
    Ok(())
}

/// A display name: trimmed, 1..=max characters, no control characters.
pub fn name(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, format!("must be at most {max} characters")));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::new(field, "must not contain control characters"));
    }
    Ok(s.to_string())
}

/// A workspace slug (used in public Mini App links): 3..=40 of `a-z 0-9 -`,
/// not starting or ending with `-`.
pub fn slug(field: &str, raw: &str) -> Result<String, FieldError> {
    let s = raw.trim().to_lowercase();
    let ok_chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !(3..=40).contains(&s.len()) || !ok_chars || s.starts_with('-') || s.ends_with('-') {
        return Err(FieldError::new(field, "must be 3-40 characters of a-z, 0-9 and '-', not starting or ending with '-'"));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email("email", "  Ann@Dealer.COM ").unwrap(), "ann@dealer.com");
        for bad in ["", "ann", "ann@", "@dealer.com", "ann@dealer", "a b@dealer.com", "a@b@c.com", "ann@.com"] {
            let err = email("email", bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert!(new_password("password", "short").is_err());
        assert!(new_password("password", "long enough pass").is_ok());
        assert!(new_password("password", &"x".repeat(129)).is_err());
    }

    #[test]
    fn names_and_slugs() {
        assert_eq!(name("name", "  Demo Motors ", 80).unwrap(), "Demo Motors");
        assert!(name("name", "   ", 80).is_err());
        assert!(name("name", "a\u{0}b", 80).is_err());
        assert_eq!(slug("slug", "Demo-Motors").unwrap(), "demo-motors");
        for bad in ["ab", "-demo", "demo-", "demo motors", "démo"] {
            assert!(slug("slug", bad).is_err(), "{bad}");
        }
    }
}
