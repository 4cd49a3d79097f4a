//! Reading a CSV of contacts (a dealer's old CRM export, a spreadsheet of
//! buyers): which column holds what, found by the header's words in English
//! or Ukrainian, and each row read into an [`ImportedContact`] or refused
//! with the column it is refused for. Pure: the jobs worker stores it.
//!
//! Identity (Telegram's rules): a row with a Telegram user id is that
//! person; one with a username is whoever has it; one with only a phone
//! becomes a contact no bot can message until the buyer starts a bot (a bot
//! cannot write first); a row with none of the three is refused.

use crate::contacts;
use crate::FieldError;
use std::collections::{BTreeMap, BTreeSet};

/// What a column of the file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    TelegramId,
    Username,
    Phone,
    /// A whole name ("Ann Koval").
    Name,
    FirstName,
    LastName,
    /// Tags, separated by commas or semicolons.
    Tags,
    Language,
    /// Anything else: kept as a variable of that name (`budget`, `city`).
    Variable(String),
    /// Nothing to keep (an empty header, the old CRM's own row number).
    Skip,
}

/// A header's words, lower case, without punctuation.
fn words(h: &str) -> String {
    h.trim().to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The column a header names. Unknown headers become variables named by
/// their words joined with `_` (at most 40 characters).
pub fn column(header: &str) -> Column {
    let w = words(header);
    let has = |keys: &[&str]| keys.iter().any(|k| w == *k);
    if has(&["telegram id", "tg id", "telegram user id", "user id", "chat id", "id telegram", "телеграм id", "id телеграм"]) {
        return Column::TelegramId;
    }
    if has(&["username", "telegram", "telegram username", "tg username", "tg", "nick", "нік", "нікнейм", "логін телеграм", "телеграм"])
    {
        return Column::Username;
    }
    if has(&["phone", "phone number", "tel", "telephone", "mobile", "cell", "телефон", "номер телефону", "мобільний", "тел"]) {
        return Column::Phone;
    }
    if has(&["name", "full name", "contact", "client", "customer", "buyer", "ім я та прізвище", "піб", "клієнт", "покупець", "контакт"])
    {
        return Column::Name;
    }
    if has(&["first name", "firstname", "given name", "ім я", "імя"]) {
        return Column::FirstName;
    }
    if has(&["last name", "lastname", "surname", "family name", "прізвище"]) {
        return Column::LastName;
    }
    if has(&["tags", "tag", "labels", "label", "мітки", "мітка", "теги", "тег"]) {
        return Column::Tags;
    }
    if has(&["language", "lang", "мова"]) {
        return Column::Language;
    }
    if w.is_empty() || has(&["id", "no", "n", "#", "row", "номер", "created", "created at"]) {
        return Column::Skip;
    }
    Column::Variable(w.replace(' ', "_").chars().take(40).collect())
}

/// The columns of a file's header row.
pub fn columns(headers: &[String]) -> Vec<Column> {
    headers.iter().map(|h| column(h)).collect()
}

/// Whether the file can identify anybody: a Telegram id, username or phone column.
pub fn identifies(columns: &[Column]) -> bool {
    columns.iter().any(|c| matches!(c, Column::TelegramId | Column::Username | Column::Phone))
}

/// Who a row is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A Telegram user id.
    Telegram(i64),
    /// A username (without `@`, lower case), and the phone if the row has one.
    Username(String),
    /// Only a phone (E.164).
    Phone(String),
}

/// A row read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedContact {
    pub identity: Identity,
    pub username: Option<String>,
    pub phone: Option<String>,
    /// The name to show (whole, or first and last joined).
    pub name: Option<String>,
    pub tags: BTreeSet<String>,
    pub language: Option<String>,
    pub vars: BTreeMap<String, String>,
}

/// A Telegram username: 5-32 of letters, digits and `_`, starting with a
/// letter; `@name` and `t.me/name` are read too.
fn username(raw: &str) -> Option<String> {
    let t = raw.trim();
    let t = t.rsplit_once("t.me/").map(|(_, u)| u).unwrap_or(t).trim_start_matches('@').trim_end_matches('/');
    let ok =
        (5..=32).contains(&t.len()) && t.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| t.to_ascii_lowercase())
}

/// Reads one row (`cells` in the order of `columns`); the error names the
/// column (by its header) the row is refused for.
pub fn read_row(headers: &[String], columns: &[Column], cells: &[String]) -> Result<ImportedContact, FieldError> {
    let mut telegram_id = None;
    let mut user = None;
    let mut phone = None;
    let (mut name, mut first, mut last) = (None, None, None);
    let mut tags = BTreeSet::new();
    let mut language = None;
    let mut vars = BTreeMap::new();
    for (i, col) in columns.iter().enumerate() {
        let raw = cells.get(i).map(|c| c.trim()).unwrap_or("");
        if raw.is_empty() {
            continue;
        }
        let header = headers.get(i).map(String::as_str).unwrap_or("");
        let text = |max: usize| -> Result<String, FieldError> {
            if raw.chars().count() > max || raw.chars().any(char::is_control) {
                return Err(FieldError::new(header, format!("at most {max} characters, on one line")));
            }
            Ok(raw.to_string())
        };
        match col {
            Column::TelegramId => {
                let id = raw.parse::<i64>().ok().filter(|id| *id > 0 && *id < (1 << 52));
                telegram_id = Some(id.ok_or_else(|| FieldError::new(header, "a Telegram user id is a positive number"))?);
            }
            Column::Username => user = Some(username(raw).ok_or_else(|| FieldError::new(header, "is not a Telegram username (5-32 letters, digits, _)"))?),
            Column::Phone => {
                phone = Some(crate::values::e164(raw, "ua").ok_or_else(|| FieldError::new(header, "is not a phone number (e.g. +380 67 123 45 67)"))?)
            }
            Column::Name => name = Some(text(100)?),
            Column::FirstName => first = Some(text(64)?),
            Column::LastName => last = Some(text(64)?),
            Column::Tags => {
                let list: Vec<String> = raw.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect();
                tags = contacts::tags(header, &list)?;
            }
            Column::Language => {
                let l = raw.to_ascii_lowercase();
                let l = l.split(['-', '_']).next().unwrap_or_default().to_string();
                if !(2..=3).contains(&l.len()) || !l.bytes().all(|b| b.is_ascii_lowercase()) {
                    return Err(FieldError::new(header, "must be a language code like uk or en"));
                }
                language = Some(l);
            }
            Column::Variable(v) => {
                if vars.len() < 20 {
                    vars.insert(v.clone(), text(200)?);
                }
            }
            Column::Skip => {}
        }
    }
    let name = name.or_else(|| match (first, last) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (f, l) => f.or(l),
    });
    let identity = match (telegram_id, &user, &phone) {
        (Some(id), _, _) => Identity::Telegram(id),
        (None, Some(u), _) => Identity::Username(u.clone()),
        (None, None, Some(p)) => Identity::Phone(p.clone()),
        (None, None, None) => {
            let first_id = columns.iter().position(|c| matches!(c, Column::TelegramId | Column::Username | Column::Phone));
            let header = first_id.and_then(|i| headers.get(i)).map(String::as_str).unwrap_or("phone");
            return Err(FieldError::new(header, "a row needs a Telegram id, a username or a phone"));
        }
    };
    Ok(ImportedContact { identity, username: user, phone, name, tags, language, vars })
}

/// The contact id of a row that has no Telegram id: negative (Telegram user
/// ids are positive, so they never meet), the same for the same username or
/// phone in every import, so importing a file again finds the same contact.
pub fn placeholder_id(identity: &Identity) -> Option<i64> {
    let key = match identity {
        Identity::Telegram(_) => return None,
        Identity::Username(u) => format!("username:{u}"),
        Identity::Phone(p) => format!("phone:{p}"),
    };
    // FNV-1a, 64 bits, kept to 52 (a JavaScript number holds it exactly).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Some(-((h & ((1 << 52) - 1)) as i64) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_are_read_in_english_and_ukrainian() {
        let cols = columns(&h(&["Telegram ID", "Username", "Телефон", "Ім'я", "Прізвище", "Мітки", "Budget (USD)", "#", "Мова"]));
        assert_eq!(
            cols,
            vec![
                Column::TelegramId,
                Column::Username,
                Column::Phone,
                Column::FirstName,
                Column::LastName,
                Column::Tags,
                Column::Variable("budget_usd".into()),
                Column::Skip,
                Column::Language
            ]
        );
        assert!(identifies(&cols));
        assert!(!identifies(&columns(&h(&["Name", "City"]))));
    }

    #[test]
    fn a_row_is_who_its_id_username_or_phone_says() {
        let headers = h(&["tg_id", "username", "phone", "first name", "last name", "tags", "city"]);
        let cols = columns(&headers);
        let row = |v: &[&str]| read_row(&headers, &cols, &h(v));
        let c = row(&["12345", "@AnnK_1", "067 123 45 67", "Ann", "Koval", "vip; Spring sale", "Lviv"]).unwrap();
        assert_eq!(c.identity, Identity::Telegram(12345));
        assert_eq!((c.username.as_deref(), c.phone.as_deref(), c.name.as_deref()), (Some("annk_1"), Some("+380671234567"), Some("Ann Koval")));
        assert_eq!(c.tags, ["spring sale".to_string(), "vip".to_string()].into());
        assert_eq!(c.vars.get("city").map(String::as_str), Some("Lviv"));
        assert_eq!(row(&["", "https://t.me/annk_1", "", "", "", "", ""]).unwrap().identity, Identity::Username("annk_1".into()));
        assert_eq!(row(&["", "", "+48 601 234 567", "Jan", "", "", ""]).unwrap().identity, Identity::Phone("+48601234567".into()));
        let e = row(&["", "", "", "Nobody", "", "", ""]).unwrap_err();
        assert_eq!((e.field.as_str(), e.message.as_str()), ("tg_id", "a row needs a Telegram id, a username or a phone"));
        assert_eq!(row(&["-5", "", "", "", "", "", ""]).unwrap_err().field, "tg_id");
        assert_eq!(row(&["", "ab", "", "", "", "", ""]).unwrap_err().field, "username");
        assert_eq!(row(&["", "", "call me", "", "", "", ""]).unwrap_err().field, "phone");
        assert!(row(&["1"]).is_ok(), "a short row is a row with empty cells");
    }

    #[test]
    fn placeholders_are_negative_and_stable() {
        let a = placeholder_id(&Identity::Phone("+380671234567".into())).unwrap();
        assert!(a < 0);
        assert_eq!(Some(a), placeholder_id(&Identity::Phone("+380671234567".into())));
        assert_ne!(Some(a), placeholder_id(&Identity::Username("annk".into())));
        assert_eq!(placeholder_id(&Identity::Telegram(5)), None);
        assert!(a > -(1 << 53));
    }

    proptest::proptest! {
        /// Any header and any cell (a file is untrusted input): a contact or
        /// a refusal naming a header of the file, never a panic.
        #[test]
        fn any_row_reads_or_is_refused_by_a_header(headers in proptest::collection::vec(".{0,20}", 0..8), cells in proptest::collection::vec("\\PC{0,40}|[0-9 +()-]{0,16}|@?[a-z_]{0,12}", 0..10)) {
            let cols = columns(&headers);
            match read_row(&headers, &cols, &cells) {
                Ok(c) => {
                    proptest::prop_assert!(c.tags.len() <= contacts::MAX_TAGS);
                    if let Some(id) = placeholder_id(&c.identity) { proptest::prop_assert!(id < 0); }
                }
                Err(e) => proptest::prop_assert!(headers.contains(&e.field) || e.field == "phone", "{} is not a header", e.field),
            }
        }
    }
}
