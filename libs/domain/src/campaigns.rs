//! Campaigns: one message (text, a photo or video with a caption, an album,
//! inline buttons) sent to a segment's contacts through one or more bots,
//! now or at a time in an explicit time zone. Here: what a campaign is, the
//! checks Telegram's limits impose before it is saved, how a message is
//! personalised, quiet hours, the paid-broadcast estimate, and the
//! per-recipient outcomes. Pure; the fan-out lives in the store and the
//! campaign sender.

use crate::inbox::{MessageKind, MAX_CAPTION, MAX_TEXT};
use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// Telegram's free broadcast rate per bot (messages per second).
pub const FREE_PER_SECOND: u32 = 30;
/// With `allow_paid_broadcast` (enabled in BotFather, paid in Stars).
pub const PAID_PER_SECOND: u32 = 1000;
/// Stars per paid message above the free rate (tenths, to stay in integers).
pub const PAID_TENTHS_OF_STAR: u64 = 1;
/// Telegram's inline keyboard: Cartie puts one button per row.
pub const MAX_BUTTONS: usize = 10;
pub const MAX_BUTTON_TEXT: usize = 64;
/// An album holds 2 to 10 photos or videos.
pub const MAX_ALBUM: usize = 10;
pub const MAX_NAME: usize = 120;
/// The callback data of a "start scenario" button: the bot starts that
/// scenario from its beginning for whoever presses it.
pub const SCENARIO_CALLBACK: &str = "cartie:scenario:";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Draft,
    /// Waits for its start time (the scheduler starts it).
    Scheduled,
    /// Its audience is being snapshotted into recipient chunks.
    Starting,
    Running,
    Paused,
    Cancelled,
    Finished,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Scheduled => "scheduled",
            CampaignStatus::Starting => "starting",
            CampaignStatus::Running => "running",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Cancelled => "cancelled",
            CampaignStatus::Finished => "finished",
        }
    }
    /// Its message and audience can still be changed.
    pub fn editable(self) -> bool {
        matches!(self, CampaignStatus::Draft | CampaignStatus::Scheduled)
    }
}

/// What became of one recipient. Stored as one letter per recipient in
/// its chunk (`outcomes`), so a chunk of 100 costs 100 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pending,
    Sent,
    /// Telegram refused for good (chat not found, user deactivated, ...).
    Failed,
    /// The buyer blocked the bot (403); the contact is marked blocked.
    Blocked,
    /// Claimed by a sender that died before recording it: it may or may not
    /// have been sent. Never sent again.
    Unknown,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [Outcome::Pending, Outcome::Sent, Outcome::Failed, Outcome::Blocked, Outcome::Unknown];
    pub fn letter(self) -> char {
        match self {
            Outcome::Pending => '.',
            Outcome::Sent => 's',
            Outcome::Failed => 'f',
            Outcome::Blocked => 'b',
            Outcome::Unknown => 'u',
        }
    }
    pub fn from_letter(c: char) -> Outcome {
        match c {
            's' => Outcome::Sent,
            'f' => Outcome::Failed,
            'b' => Outcome::Blocked,
            'u' => Outcome::Unknown,
            _ => Outcome::Pending,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Sent => "sent",
            Outcome::Failed => "failed",
            Outcome::Blocked => "blocked",
            Outcome::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ButtonAction {
    /// Opens `url` in the browser.
    Url,
    /// Opens `url` as a Mini App inside Telegram.
    MiniApp,
    /// Starts the bot scenario `scenario_id` for whoever presses it.
    Scenario,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CampaignButton {
    pub text: String,
    pub action: ButtonAction,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub scenario_id: Option<String>,
}

/// A file from the file store (uploaded once per bot when the campaign
/// runs, then re-sent by Telegram's `file_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CampaignMedia {
    /// The file store's id (an upload with purpose `inbox_attachment`, kept a week).
    pub upload_id: String,
    pub kind: MessageKind,
}

/// The message every recipient gets, with `{first_name}`-style variables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CampaignContent {
    /// The text, or the caption when there is media.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub media: Vec<CampaignMedia>,
    #[serde(default)]
    pub buttons: Vec<CampaignButton>,
}

const SINGLE_KINDS: [MessageKind; 5] = [MessageKind::Photo, MessageKind::Video, MessageKind::Document, MessageKind::Animation, MessageKind::Audio];

impl CampaignContent {
    /// Telegram's limits, checked before the campaign is saved.
    pub fn checked(self) -> Result<CampaignContent, FieldError> {
        let text = self.text.trim().to_string();
        match self.media.len() {
            0 => {
                if text.is_empty() {
                    return Err(FieldError::new("content.text", "a message without media needs text"));
                }
                if text.chars().count() > MAX_TEXT {
                    return Err(FieldError::new("content.text", format!("Telegram allows at most {MAX_TEXT} characters")));
                }
            }
            1 => {
                if !SINGLE_KINDS.contains(&self.media[0].kind) {
                    return Err(FieldError::new("content.media[0].kind", "must be photo, video, document, animation or audio"));
                }
            }
            n => {
                if n > MAX_ALBUM {
                    return Err(FieldError::new("content.media", format!("an album holds at most {MAX_ALBUM} files")));
                }
                if let Some(i) = self.media.iter().position(|m| !matches!(m.kind, MessageKind::Photo | MessageKind::Video)) {
                    return Err(FieldError::new(format!("content.media[{i}].kind"), "an album holds photos and videos only"));
                }
                if !self.buttons.is_empty() {
                    return Err(FieldError::new("content.buttons", "Telegram does not show buttons under an album; send one photo with buttons instead"));
                }
            }
        }
        if !self.media.is_empty() && text.chars().count() > MAX_CAPTION {
            return Err(FieldError::new("content.text", format!("Telegram allows at most {MAX_CAPTION} characters in a caption")));
        }
        for (i, m) in self.media.iter().enumerate() {
            if m.upload_id.trim().is_empty() || m.upload_id.len() > 64 {
                return Err(FieldError::new(format!("content.media[{i}].upload_id"), "must be an uploaded file's id"));
            }
        }
        if self.buttons.len() > MAX_BUTTONS {
            return Err(FieldError::new("content.buttons", format!("at most {MAX_BUTTONS} buttons")));
        }
        let mut buttons = Vec::with_capacity(self.buttons.len());
        for (i, b) in self.buttons.into_iter().enumerate() {
            buttons.push(b.checked(i)?);
        }
        Ok(CampaignContent { text, media: self.media, buttons })
    }

    /// The variables the text uses (`{first_name}` → `first_name`).
    pub fn variables(&self) -> BTreeSet<String> {
        placeholders(&self.text)
    }
}

impl CampaignButton {
    fn checked(self, i: usize) -> Result<CampaignButton, FieldError> {
        let field = |f: &str| format!("content.buttons[{i}].{f}");
        let text = self.text.trim().to_string();
        if text.is_empty() || text.chars().count() > MAX_BUTTON_TEXT {
            return Err(FieldError::new(field("text"), format!("must be 1 to {MAX_BUTTON_TEXT} characters")));
        }
        match self.action {
            ButtonAction::Url | ButtonAction::MiniApp => {
                let url = self.url.as_deref().map(str::trim).unwrap_or_default().to_string();
                // A Mini App must be https; a plain link may be http too.
                let ok = match self.action {
                    ButtonAction::MiniApp => url.starts_with("https://"),
                    _ => url.starts_with("https://") || url.starts_with("http://"),
                };
                if !ok || url.len() > 2048 || url.contains(char::is_whitespace) || url.split("://").nth(1).is_none_or(str::is_empty) {
                    let why = if self.action == ButtonAction::MiniApp { "must be an https:// address" } else { "must be an http(s):// address" };
                    return Err(FieldError::new(field("url"), why));
                }
                Ok(CampaignButton { text, action: self.action, url: Some(url), scenario_id: None })
            }
            ButtonAction::Scenario => {
                let id = self.scenario_id.as_deref().map(str::trim).unwrap_or_default().to_string();
                // Callback data is at most 64 bytes.
                if id.is_empty() || id.len() + SCENARIO_CALLBACK.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                    return Err(FieldError::new(field("scenario_id"), "must be a scenario's id"));
                }
                Ok(CampaignButton { text, action: self.action, url: None, scenario_id: Some(id) })
            }
        }
    }
}

/// The callback data of a button that starts `scenario_id`.
pub fn scenario_callback(scenario_id: &str) -> String {
    format!("{SCENARIO_CALLBACK}{scenario_id}")
}

/// The scenario a "start scenario" button's press asks for.
pub fn scenario_of_callback(data: &str) -> Option<&str> {
    data.strip_prefix(SCENARIO_CALLBACK).filter(|id| !id.is_empty())
}

/// `{name}` placeholders in a text.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        if (1..=32).contains(&len) && after[len..].starts_with('}') {
            out.insert(after[..len].to_string());
            rest = &after[len + 1..];
        } else {
            rest = after;
        }
    }
    out
}

/// The text for one recipient: variables filled (an unknown one is left
/// out), cut to Telegram's limit (a long name must not make a send fail).
pub fn personalise(text: &str, vars: &BTreeMap<String, String>, has_media: bool) -> String {
    let filled = crate::scenario::engine::substitute(text, vars);
    let max = if has_media { MAX_CAPTION } else { MAX_TEXT };
    if filled.chars().count() <= max {
        filled
    } else {
        filled.chars().take(max).collect()
    }
}

/// Quiet hours in the campaign's time zone: nothing is sent from `from`
/// o'clock until `to` o'clock (22 → 8 spans midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QuietHours {
    pub from: u8,
    pub to: u8,
}

impl QuietHours {
    pub fn checked(self) -> Result<QuietHours, FieldError> {
        if self.from > 23 || self.to > 23 {
            return Err(FieldError::new("quiet_hours", "hours are 0 to 23"));
        }
        if self.from == self.to {
            return Err(FieldError::new("quiet_hours.to", "must differ from the start (or leave quiet hours off)"));
        }
        Ok(self)
    }

    /// When sending may go on, if `at_ms` falls inside the quiet hours in
    /// `time_zone`; `None` when sending is allowed now.
    pub fn resume_at(&self, at_ms: i64, time_zone: &str) -> Option<i64> {
        let tz = jiff::tz::TimeZone::get(time_zone).ok()?;
        let now = jiff::Timestamp::from_millisecond(at_ms).ok()?.to_zoned(tz);
        let hour = now.hour() as u8;
        let quiet = if self.from < self.to { hour >= self.from && hour < self.to } else { hour >= self.from || hour < self.to };
        if !quiet {
            return None;
        }
        let today_end = now.with().hour(self.to as i8).minute(0).second(0).subsec_nanosecond(0).build().ok()?;
        let end = if today_end.timestamp() > now.timestamp() { today_end } else { today_end.checked_add(jiff::Span::new().days(1)).ok()? };
        Some(end.timestamp().as_millisecond())
    }
}

/// A wall-clock time in a time zone ("2026-12-08T09:30" in "Europe/Kyiv")
/// as a Unix instant in ms.
pub fn local_to_ms(field: &str, local: &str, time_zone: &str) -> Result<i64, FieldError> {
    let tz = jiff::tz::TimeZone::get(time_zone)
        .map_err(|_| FieldError::new("time_zone", format!("{time_zone} is not a time zone (use a name like Europe/Kyiv)")))?;
    let dt: jiff::civil::DateTime = local.trim().parse().map_err(|_| FieldError::new(field, "must be a date and time like 2026-12-08T09:30"))?;
    let zoned = dt.to_zoned(tz).map_err(|_| FieldError::new(field, "is not a time that exists in this time zone"))?;
    Ok(zoned.timestamp().as_millisecond())
}

/// Stars a paid broadcast of `messages` at `per_second` is estimated to
/// cost: 0.1 Star for each message above the free 30 per second (only
/// delivered messages are charged, so this is an upper bound).
pub fn paid_estimate_stars(messages: u64, per_second: u32) -> u64 {
    if per_second <= FREE_PER_SECOND || messages == 0 {
        return 0;
    }
    let above = messages * u64::from(per_second - FREE_PER_SECOND) / u64::from(per_second);
    (above * PAID_TENTHS_OF_STAR).div_ceil(10)
}

/// A campaign's name, trimmed.
pub fn name(raw: &str) -> Result<String, FieldError> {
    let n = raw.trim();
    if n.is_empty() || n.chars().count() > MAX_NAME {
        return Err(FieldError::new("name", format!("must be 1 to {MAX_NAME} characters")));
    }
    Ok(n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(id: &str) -> CampaignMedia {
        CampaignMedia { upload_id: id.into(), kind: MessageKind::Photo }
    }
    fn button(action: ButtonAction, url: Option<&str>, scenario: Option<&str>) -> CampaignButton {
        CampaignButton { text: "Open".into(), action, url: url.map(Into::into), scenario_id: scenario.map(Into::into) }
    }

    #[test]
    fn telegram_limits_are_checked_before_saving() {
        let long = "x".repeat(MAX_CAPTION + 1);
        assert_eq!(CampaignContent { text: "  ".into(), ..Default::default() }.checked().unwrap_err().field, "content.text");
        assert!(CampaignContent { text: long.clone(), ..Default::default() }.checked().is_ok(), "a long text without media is fine");
        let c = CampaignContent { text: long, media: vec![photo("f1")], buttons: vec![] };
        assert_eq!(c.checked().unwrap_err().field, "content.text", "a caption is shorter");
        let album =
            CampaignContent { text: "Hi".into(), media: vec![photo("a"), photo("b")], buttons: vec![button(ButtonAction::Url, Some("https://x.ua"), None)] };
        assert_eq!(album.checked().unwrap_err().field, "content.buttons");
        let eleven = CampaignContent { text: String::new(), media: (0..11).map(|i| photo(&i.to_string())).collect(), buttons: vec![] };
        assert_eq!(eleven.checked().unwrap_err().field, "content.media");
        let mixed = CampaignContent {
            text: String::new(),
            media: vec![photo("a"), CampaignMedia { upload_id: "b".into(), kind: MessageKind::Voice }],
            buttons: vec![],
        };
        assert_eq!(mixed.checked().unwrap_err().field, "content.media[1].kind");
        let photo_only = CampaignContent { text: String::new(), media: vec![photo("a")], buttons: vec![] };
        assert!(photo_only.checked().is_ok(), "a photo needs no caption");
    }

    #[test]
    fn buttons_are_checked() {
        let with = |b| CampaignContent { text: "Hi".into(), media: vec![], buttons: vec![b] }.checked();
        assert_eq!(with(button(ButtonAction::Url, Some("javascript:alert(1)"), None)).unwrap_err().field, "content.buttons[0].url");
        assert_eq!(with(button(ButtonAction::MiniApp, Some("http://x.ua"), None)).unwrap_err().field, "content.buttons[0].url");
        assert_eq!(with(button(ButtonAction::Scenario, None, Some("a b"))).unwrap_err().field, "content.buttons[0].scenario_id");
        let ok = with(button(ButtonAction::Scenario, None, Some("01JSCEN"))).unwrap();
        assert_eq!(scenario_callback(ok.buttons[0].scenario_id.as_deref().unwrap()), "cartie:scenario:01JSCEN");
        assert_eq!(scenario_of_callback("cartie:scenario:01JSCEN"), Some("01JSCEN"));
        assert_eq!(scenario_of_callback("cartie:scenario:"), None);
        let many = CampaignContent { text: "Hi".into(), media: vec![], buttons: vec![button(ButtonAction::Url, Some("https://x.ua"), None); 11] };
        assert_eq!(many.checked().unwrap_err().field, "content.buttons");
    }

    #[test]
    fn personalising_fills_known_variables_and_keeps_the_limit() {
        let vars: BTreeMap<String, String> = [("first_name".to_string(), "Ann".to_string())].into();
        assert_eq!(personalise("Hi {first_name}{missing}!", &vars, false), "Hi Ann!");
        let long: BTreeMap<String, String> = [("first_name".to_string(), "A".repeat(2000))].into();
        assert_eq!(personalise("{first_name}", &long, true).chars().count(), MAX_CAPTION);
        assert_eq!(placeholders("{first_name} {budget} {no space} {x"), ["budget".to_string(), "first_name".to_string()].into());
    }

    #[test]
    fn quiet_hours_span_midnight_in_the_campaigns_zone() {
        let q = QuietHours { from: 22, to: 8 }.checked().unwrap();
        // 2026-12-08 23:30 in Kyiv (UTC+2) = 21:30 UTC.
        let at = local_to_ms("at", "2026-12-08T23:30", "Europe/Kyiv").unwrap();
        let resume = q.resume_at(at, "Europe/Kyiv").unwrap();
        assert_eq!(resume, local_to_ms("at", "2026-12-09T08:00", "Europe/Kyiv").unwrap());
        let morning = local_to_ms("at", "2026-12-09T07:59", "Europe/Kyiv").unwrap();
        assert_eq!(q.resume_at(morning, "Europe/Kyiv"), Some(resume));
        assert_eq!(q.resume_at(resume, "Europe/Kyiv"), None, "08:00 may send");
        let day = QuietHours { from: 13, to: 14 };
        assert_eq!(day.resume_at(local_to_ms("at", "2026-12-09T13:10", "UTC").unwrap(), "UTC"), Some(local_to_ms("at", "2026-12-09T14:00", "UTC").unwrap()));
        assert!(QuietHours { from: 5, to: 5 }.checked().is_err());
        assert_eq!(local_to_ms("local_time", "tomorrow", "UTC").unwrap_err().field, "local_time");
        assert_eq!(local_to_ms("local_time", "2026-12-08T09:30", "Mars/Base").unwrap_err().field, "time_zone");
    }

    #[test]
    fn paid_estimate_counts_only_above_the_free_rate() {
        assert_eq!(paid_estimate_stars(20_000, 30), 0);
        // 97% of 20,000 above the free rate at 0.1 Star each.
        assert_eq!(paid_estimate_stars(20_000, 1000), 1940);
        assert_eq!(paid_estimate_stars(1, 1000), 0);
        assert_eq!(paid_estimate_stars(0, 1000), 0);
    }

    #[test]
    fn outcome_letters_round_trip() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::from_letter(o.letter()), o);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Any text and buttons: a check answers, never panics, and what it
        /// accepts fits Telegram once personalised with any values.
        #[test]
        fn checks_never_panic_and_accepted_texts_fit(text in "(\\{first_name\\} |\\PC){0,1100}", url in "https://[a-z./]{1,20}|\\PC{0,40}", btext in "\\PC{0,70}", name in "\\PC{0,3000}", media in 0usize..12) {
            let content = CampaignContent {
                text: text.clone(),
                media: (0..media).map(|i| photo(&format!("f{i}"))).collect(),
                buttons: vec![CampaignButton { text: btext, action: ButtonAction::Url, url: Some(url), scenario_id: None }],
            };
            if let Ok(ok) = content.checked() {
                let vars: BTreeMap<String, String> = ok.variables().into_iter().map(|v| (v, name.clone())).collect();
                let out = personalise(&ok.text, &vars, !ok.media.is_empty());
                let max = if ok.media.is_empty() { MAX_TEXT } else { MAX_CAPTION };
                proptest::prop_assert!(out.chars().count() <= max);
                proptest::prop_assert!(ok.buttons.iter().all(|b| b.url.as_deref().is_some_and(|u| u.starts_with("http"))));
            }
            let _ = local_to_ms("send_at", &text, "Europe/Kyiv");
            let _ = QuietHours { from: (media * 3) as u8, to: (media * 2) as u8 }.checked().map(|q| q.resume_at(1_796_600_000_000, "Europe/Kyiv"));
        }
    }
}
