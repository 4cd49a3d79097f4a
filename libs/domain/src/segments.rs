//! Segments: a team's saved contact filters, the audiences campaigns send
//! to. A segment keeps its [`Audience`] as the dealer chose it (the
//! last-active window in days, so "active this month" stays relative) and
//! the count the jobs worker last made of it. Here: the audience's rules and
//! a segment's name. Pure.

use crate::contacts;
use crate::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most segments one workspace keeps.
pub const MAX_SEGMENTS: usize = 50;
/// The longest "last active" window, in days (ten years).
pub const MAX_ACTIVE_DAYS: u32 = 3650;

/// Which contacts: every condition set must hold. The same conditions the
/// Contacts list filters by, minus free-text search (a segment is a
/// filter a campaign can count on, not a search). In the API it is a
/// segment's (or an export's) `filter`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = SegmentFilter)]
pub struct Audience {
    /// Reached through this bot (its id).
    #[serde(default)]
    pub bot_id: Option<i64>,
    #[serde(default)]
    pub tag: Option<String>,
    /// Telegram's language (`uk`, `en`, ...).
    #[serde(default)]
    pub language: Option<String>,
    /// Blocked the bot (`bot_id`), or any bot.
    #[serde(default)]
    pub blocked: Option<bool>,
    /// Sent /stop to the bot (`bot_id`), or any bot.
    #[serde(default)]
    pub unsubscribed: Option<bool>,
    /// Wrote within this many days (1 to 3650), counted back from the
    /// moment of the count or export.
    #[serde(default)]
    pub active_days: Option<u32>,
    /// Came from this deep link: the payload of their first `/start`
    /// (`fb-ad-42`), or `miniapp`.
    #[serde(default)]
    pub source: Option<String>,
}

impl Audience {
    /// The audience checked and normalised (tag as stored, language lower
    /// case). An error names the field, after `prefix` (`filter.` in a
    /// segment's body, nothing in a list's query).
    pub fn checked(self, prefix: &str) -> Result<Audience, FieldError> {
        let field = |name: &str| format!("{prefix}{name}");
        let tag = match self.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Some(contacts::tag(&field("tag"), t)?),
            None => None,
        };
        let language = match self.language.as_deref().map(|l| l.trim().to_ascii_lowercase()) {
            Some(l) if l.is_empty() => None,
            Some(l) if l.len() > 8 || !l.bytes().all(|b| b.is_ascii_lowercase()) => {
                return Err(FieldError::new(field("language"), "must be a language code like uk or en"));
            }
            other => other,
        };
        if self.active_days.is_some_and(|d| !(1..=MAX_ACTIVE_DAYS).contains(&d)) {
            return Err(FieldError::new(field("active_days"), format!("must be a number of days from 1 to {MAX_ACTIVE_DAYS}")));
        }
        let source = match self.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() > 64 || s.chars().any(char::is_control) => {
                return Err(FieldError::new(field("source"), "a deep-link payload has at most 64 characters"));
            }
            other => other.map(String::from),
        };
        if self.bot_id.is_some_and(|b| b <= 0) {
            return Err(FieldError::new(field("bot_id"), "must be a bot's id"));
        }
        Ok(Audience { tag, language, source, ..self })
    }

    /// No condition at all: every contact of the workspace.
    pub fn is_everyone(&self) -> bool {
        *self == Audience::default()
    }
}

/// A segment's name: trimmed, 1-60 characters, no control characters.
pub fn name(field: &str, raw: &str) -> Result<String, FieldError> {
    let n = raw.trim();
    if n.is_empty() || n.chars().count() > 60 || n.chars().any(char::is_control) {
        return Err(FieldError::new(field, "a segment's name has 1-60 characters"));
    }
    Ok(n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audience_is_normalised() {
        let a = Audience { tag: Some("  VIP ".into()), language: Some("UK".into()), ..Default::default() }.checked("filter.").unwrap();
        assert_eq!(a.tag.as_deref(), Some("vip"));
        assert_eq!(a.language.as_deref(), Some("uk"));
        let blank = Audience { tag: Some(" ".into()), language: Some("".into()), ..Default::default() }.checked("").unwrap();
        assert!(blank.is_everyone());
    }

    #[test]
    fn a_bad_condition_names_its_field() {
        let e = Audience { language: Some("ukr-1".into()), ..Default::default() }.checked("filter.").unwrap_err();
        assert_eq!(e.field, "filter.language");
        let e = Audience { active_days: Some(0), ..Default::default() }.checked("").unwrap_err();
        assert_eq!(e.field, "active_days");
        let e = Audience { tag: Some("x".repeat(41)), ..Default::default() }.checked("filter.").unwrap_err();
        assert_eq!(e.field, "filter.tag");
        let e = Audience { bot_id: Some(-4), ..Default::default() }.checked("filter.").unwrap_err();
        assert_eq!(e.field, "filter.bot_id");
        let e = Audience { source: Some("x".repeat(65)), ..Default::default() }.checked("").unwrap_err();
        assert_eq!(e.field, "source");
        assert_eq!(Audience { source: Some(" fb-ad-42 ".into()), ..Default::default() }.checked("").unwrap().source.as_deref(), Some("fb-ad-42"));
    }

    #[test]
    fn names_are_bounded() {
        assert_eq!(name("name", "  Hot leads ").unwrap(), "Hot leads");
        assert!(name("name", " ").is_err());
        assert!(name("name", &"я".repeat(61)).is_err());
        assert!(name("name", "a\u{7}b").is_err());
    }
}
