//! The languages Cartie speaks and the time zones it schedules in.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// A language of the UI, of a buyer's bot messages, of notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Uk,
}

impl Language {
    /// A Telegram `language_code` ("uk", "uk-UA", "en-GB", "ru", …): Ukrainian
    /// for Ukrainian, English for anything else.
    pub fn from_telegram(code: Option<&str>) -> Language {
        match code.map(|c| c.split(['-', '_']).next().unwrap_or(c).to_ascii_lowercase()) {
            Some(c) if c == "uk" => Language::Uk,
            _ => Language::En,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Uk => "uk",
        }
    }
}

/// A valid IANA time zone name ("Europe/Kyiv"), as given, or the field's error.
pub fn time_zone(field: &str, name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        return Err(FieldError::new(field, "must be a time zone like Europe/Kyiv"));
    }
    jiff::tz::db().get(name).map(|_| name.to_string()).map_err(|_| FieldError::new(field, format!("{name} is not a time zone (use a name like Europe/Kyiv)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_codes() {
        assert_eq!(Language::from_telegram(Some("uk")), Language::Uk);
        assert_eq!(Language::from_telegram(Some("uk-UA")), Language::Uk);
        assert_eq!(Language::from_telegram(Some("ru")), Language::En);
        assert_eq!(Language::from_telegram(None), Language::En);
    }

    #[test]
    fn zones() {
        assert_eq!(time_zone("tz", "Europe/Kyiv").unwrap(), "Europe/Kyiv");
        assert_eq!(time_zone("tz", " America/New_York ").unwrap(), "America/New_York");
        assert!(time_zone("tz", "Mars/Olympus").is_err());
        assert!(time_zone("tz", "").is_err());
        assert_eq!(time_zone("tz", "../../etc").unwrap_err().field, "tz");
    }
}
