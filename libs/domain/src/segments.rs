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
    /// A scenario variable's condition (`budget` `gt` `20000`).
    #[serde(default)]
    pub variable: Option<VarCondition>,
    /// Has (`true`) or has no (`false`) open car request.
    #[serde(default)]
    pub open_request: Option<bool>,
}

/// A condition on a variable the bot scenarios collected about a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VarCondition {
    /// The variable's name as the scenario stores it (`budget`, `make`).
    pub name: String,
    pub op: VarOp,
    /// What to compare with; not used by `set` and `unset`.
    #[serde(default)]
    pub value: Option<String>,
}

/// How a variable is compared. Text compares ignore case; `gt` / `lt`
/// compare numbers ("25 000" and "25,000" read as 25000) and never match a
/// value that is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VarOp {
    Eq,
    Ne,
    Contains,
    Gt,
    Lt,
    /// The variable has a value.
    Set,
    /// The variable has no value.
    Unset,
}

impl std::str::FromStr for VarOp {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Ok(match s {
            "eq" => VarOp::Eq,
            "ne" => VarOp::Ne,
            "contains" => VarOp::Contains,
            "gt" => VarOp::Gt,
            "lt" => VarOp::Lt,
            "set" => VarOp::Set,
            "unset" => VarOp::Unset,
            _ => return Err(()),
        })
    }
}

/// A number as buyers and scenarios write it: "25000", "25 000", "25,000",
/// "25000.5", "$25000"; `None` for anything else.
fn number(v: &str) -> Option<f64> {
    let t: String = v.trim().trim_start_matches(['$', '€', '₴']).chars().filter(|c| !c.is_whitespace() && *c != ',' && *c != '_').collect();
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

impl VarCondition {
    /// Checked: a variable name of 1-40 characters, a value where the
    /// operator needs one (a number for `gt` / `lt`).
    pub fn checked(self, field: &str) -> Result<VarCondition, FieldError> {
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
            return Err(FieldError::new(format!("{field}.name"), "a variable's name has 1-40 characters"));
        }
        let value = self.value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(String::from);
        let value = match self.op {
            VarOp::Set | VarOp::Unset => None,
            op => {
                let Some(v) = value else {
                    return Err(FieldError::new(format!("{field}.value"), "needs a value to compare with"));
                };
                if v.chars().count() > 100 {
                    return Err(FieldError::new(format!("{field}.value"), "at most 100 characters"));
                }
                if matches!(op, VarOp::Gt | VarOp::Lt) && number(&v).is_none() {
                    return Err(FieldError::new(format!("{field}.value"), "must be a number to compare with"));
                }
                Some(v)
            }
        };
        Ok(VarCondition { name, op: self.op, value })
    }

    /// Whether a contact whose variable has this value (or none) matches.
    pub fn matches(&self, actual: Option<&str>) -> bool {
        let actual = actual.map(str::trim).filter(|a| !a.is_empty());
        let want = self.value.as_deref().unwrap_or("");
        let lower = |s: &str| s.to_lowercase();
        match (self.op, actual) {
            (VarOp::Set, a) => a.is_some(),
            (VarOp::Unset, a) => a.is_none(),
            (VarOp::Ne, None) => true,
            (_, None) => false,
            (VarOp::Eq, Some(a)) => lower(a) == lower(want),
            (VarOp::Ne, Some(a)) => lower(a) != lower(want),
            (VarOp::Contains, Some(a)) => lower(a).contains(&lower(want)),
            (VarOp::Gt, Some(a)) => matches!((number(a), number(want)), (Some(a), Some(w)) if a > w),
            (VarOp::Lt, Some(a)) => matches!((number(a), number(want)), (Some(a), Some(w)) if a < w),
        }
    }
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
        let variable = self.variable.map(|v| v.checked(&field("variable"))).transpose()?;
        Ok(Audience { tag, language, source, variable, ..self })
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
    fn variables_compare_as_a_dealer_reads_them() {
        let c = |op, v: &str| VarCondition { name: "budget".into(), op, value: Some(v.into()) }.checked("variable").unwrap();
        assert!(c(VarOp::Gt, "20000").matches(Some("25 000")));
        assert!(c(VarOp::Gt, "20,000").matches(Some("$25000")));
        assert!(!c(VarOp::Gt, "20000").matches(Some("15000")));
        assert!(!c(VarOp::Gt, "20000").matches(Some("a lot")), "not a number: no match");
        assert!(c(VarOp::Lt, "20000").matches(Some("19999.5")));
        assert!(!c(VarOp::Lt, "20000").matches(None));
        assert!(c(VarOp::Eq, "toyota").matches(Some(" Toyota ")));
        assert!(c(VarOp::Ne, "toyota").matches(Some("BMW")));
        assert!(c(VarOp::Ne, "toyota").matches(None), "no make is not toyota");
        assert!(c(VarOp::Contains, "rav").matches(Some("Toyota RAV4")));
        let set = VarCondition { name: "phone".into(), op: VarOp::Set, value: Some("ignored".into()) }.checked("v").unwrap();
        assert_eq!(set.value, None);
        assert!(set.matches(Some("+380")) && !set.matches(Some("  ")) && !set.matches(None));
        let e = VarCondition { name: "budget".into(), op: VarOp::Gt, value: Some("lots".into()) }.checked("filter.variable").unwrap_err();
        assert_eq!(e.field, "filter.variable.value");
        let e = VarCondition { name: " ".into(), op: VarOp::Set, value: None }.checked("variable").unwrap_err();
        assert_eq!(e.field, "variable.name");
        let e = VarCondition { name: "make".into(), op: VarOp::Eq, value: None }.checked("variable").unwrap_err();
        assert_eq!(e.field, "variable.value");
    }

    #[test]
    fn names_are_bounded() {
        assert_eq!(name("name", "  Hot leads ").unwrap(), "Hot leads");
        assert!(name("name", " ").is_err());
        assert!(name("name", &"я".repeat(61)).is_err());
        assert!(name("name", "a\u{7}b").is_err());
    }
}
