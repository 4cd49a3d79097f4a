//! Contacts: one per person per workspace, whatever bot, Telegram account or
//! the Mini App they reached the dealer through. Identity is the Telegram
//! user id. Here: the channels a contact has, tags as the dealer writes
//! them, and the search tokens a contact is found by. Pure.

use crate::inbox::Person;
use crate::FieldError;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// How the dealer reaches (or was reached by) a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    /// One of the workspace's bots.
    Bot(i64),
    /// The showcase Mini App (opened from a bot).
    MiniApp,
    /// A Telegram user account the dealer connected (the MTProto host).
    Account(i64),
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Channel::Bot(id) => write!(f, "bot:{id}"),
            Channel::MiniApp => f.write_str("miniapp"),
            Channel::Account(id) => write!(f, "account:{id}"),
        }
    }
}

impl FromStr for Channel {
    type Err = ();
    fn from_str(s: &str) -> Result<Channel, ()> {
        if s == "miniapp" {
            return Ok(Channel::MiniApp);
        }
        let (kind, id) = s.split_once(':').ok_or(())?;
        let id: i64 = id.parse().map_err(|_| ())?;
        match kind {
            "bot" => Ok(Channel::Bot(id)),
            "account" => Ok(Channel::Account(id)),
            _ => Err(()),
        }
    }
}

/// The most tags one contact carries, and one tag's length.
pub const MAX_TAGS: usize = 30;
pub const MAX_TAG_CHARS: usize = 40;
/// The most contacts one bulk tag change touches.
pub const MAX_SELECTION: usize = 100;

/// A tag as stored: trimmed, lower case, inner spaces collapsed; 1-40
/// characters, no control characters.
pub fn tag(field: &str, raw: &str) -> Result<String, FieldError> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if t.is_empty() || t.chars().count() > MAX_TAG_CHARS || t.chars().any(char::is_control) {
        return Err(FieldError::new(field, format!("a tag has 1-{MAX_TAG_CHARS} characters")));
    }
    Ok(t)
}

/// A list of tags, normalised and without repeats.
pub fn tags(field: &str, raw: &[String]) -> Result<BTreeSet<String>, FieldError> {
    let out = raw.iter().map(|t| tag(field, t)).collect::<Result<BTreeSet<_>, _>>()?;
    if out.len() > MAX_TAGS {
        return Err(FieldError::new(field, format!("at most {MAX_TAGS} tags")));
    }
    Ok(out)
}

/// The language a contact is filtered by: the first part of Telegram's
/// `language_code` ("uk-UA" -> "uk"), lower case.
pub fn language_of(person: &Person) -> Option<String> {
    let code = person.language_code.as_deref()?.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    (!code.is_empty() && code.len() <= 8).then_some(code)
}

/// At most this many search tokens per contact (the write amplification of
/// the search index is bounded by it).
pub const MAX_TOKENS: usize = 8;
const MAX_TOKEN_CHARS: usize = 32;

/// Words of free text as the search index keeps them: lower case, split on
/// anything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase().chars().take(MAX_TOKEN_CHARS).collect()).collect()
}

/// The tokens a contact is found by: the words of their Telegram name, the
/// dealer's name for them, their username's words, and their phone's digits (whole,
/// and the last nine: the national number people type after a trunk 0).
/// A search matches a token by prefix.
pub fn search_tokens(person: Option<&Person>, name: Option<&str>, phone: Option<&str>) -> BTreeSet<String> {
    // In order of importance, so the cap drops the team's extra words, not
    // the buyer's own name or phone.
    let mut ordered: Vec<String> = Vec::new();
    if let Some(digits) = phone.map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>()).filter(|d| d.len() >= 5) {
        if digits.len() > 9 {
            ordered.push(digits[digits.len() - 9..].to_string());
        }
        ordered.push(digits);
    }
    if let Some(p) = person {
        ordered.extend(words(&p.first_name));
        ordered.extend(p.last_name.as_deref().map(words).unwrap_or_default());
        ordered.extend(p.username.as_deref().map(words).unwrap_or_default());
    }
    ordered.extend(name.map(words).unwrap_or_default());
    let mut out = BTreeSet::new();
    for t in ordered {
        if out.len() == MAX_TOKENS {
            break;
        }
        out.insert(t);
    }
    out
}

/// A search as index prefixes: its words, a phone typed with a trunk 0
/// ("067…") without it, the longest first (the one the index is queried by:
/// the fewest matches to read).
pub fn search_terms(q: &str) -> Vec<String> {
    let mut terms: Vec<String> = words(q.trim_start_matches('@'))
        .into_iter()
        .map(|w| match w.strip_prefix('0') {
            Some(rest) if w.chars().all(|c| c.is_ascii_digit()) && rest.len() >= 2 => rest.to_string(),
            _ => w,
        })
        .collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    terms.dedup();
    terms.truncate(4);
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann() -> Person {
        Person {
            id: 7, first_name: "Анна-Марія".into(), last_name: Some("Koval".into()), username: Some("Ann_K".into()), language_code: Some("uk-UA".into())
        }
    }

    #[test]
    fn channels_round_trip() {
        for c in [Channel::Bot(12), Channel::MiniApp, Channel::Account(-5)] {
            assert_eq!(c.to_string().parse::<Channel>(), Ok(c));
        }
        assert!("bot:x".parse::<Channel>().is_err());
        assert!("fax:1".parse::<Channel>().is_err());
        assert!("".parse::<Channel>().is_err());
    }

    #[test]
    fn tags_are_normalised_and_bounded() {
        assert_eq!(tag("t", "  VIP   buyer ").unwrap(), "vip buyer");
        assert!(tag("t", "  ").is_err());
        assert!(tag("t", &"x".repeat(41)).is_err());
        assert_eq!(tags("t", &["Hot".into(), "hot".into()]).unwrap().len(), 1);
        let many: Vec<String> = (0..31).map(|i| format!("t{i}")).collect();
        assert_eq!(tags("tags", &many).unwrap_err().field, "tags");
    }

    #[test]
    fn tokens_cover_name_username_and_phone() {
        let t = search_tokens(Some(&ann()), Some("Anna from Lviv"), Some("+380671234567"));
        for want in ["анна", "марія", "koval", "ann", "k", "380671234567", "671234567"] {
            assert!(t.contains(want), "{want} in {t:?}");
        }
        assert!(t.len() <= MAX_TOKENS);
        assert_eq!(language_of(&ann()).as_deref(), Some("uk"));
    }

    #[test]
    fn search_terms_longest_first_and_phone_without_trunk_zero() {
        assert_eq!(search_terms("ann 0671234"), vec!["671234".to_string(), "ann".to_string()]);
        assert_eq!(search_terms("@Ann_K"), vec!["ann".to_string(), "k".to_string()]);
        assert!(search_terms("  ,. ").is_empty());
    }
}
