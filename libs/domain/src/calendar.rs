//! The content calendar: posts to Telegram channels, scheduled at a
//! wall-clock time in an explicit time zone, and what becomes of them.
//!
//! Pure: the records, the scheduling rule across daylight-saving changes,
//! weekly posting slots and the queue that fills them (`slots`), filling
//! a template from a car, the sold label. No I/O.

use serde::{Deserialize, Serialize};

use crate::campaigns::CampaignContent;
use crate::inventory::ListingInput;
use crate::FieldError;

mod slots;
pub use slots::{check_slots, free_slot_times, is_free, next_slot_times, PostingSlot, SlotTime, Weekday, MAX_SLOTS, SLOT_HORIZON_WEEKS};

/// What a bot may do in a channel (from `getChatMember`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChannelRights {
    pub post: bool,
    pub edit: bool,
    pub delete: bool,
    pub pin: bool,
}

impl ChannelRights {
    /// What is missing, in a dealer's words (empty: all good).
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if !self.post {
            p.push("the bot cannot post there: make it an administrator allowed to post messages".to_string());
        }
        if !self.edit {
            p.push("the bot cannot edit posts (needed to mark sold cars)".to_string());
        }
        if !self.delete {
            p.push("the bot cannot delete posts (needed for auto-delete and sold cars)".to_string());
        }
        if !self.pin {
            p.push("the bot cannot pin posts".to_string());
        }
        p
    }
}

/// A channel or group a bot posts to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostChannel {
    pub workspace_id: String,
    /// Telegram's chat id (`-100…`).
    pub id: i64,
    pub bot_id: i64,
    pub title: String,
    pub username: Option<String>,
    /// A group (members talk) rather than a channel.
    pub group: bool,
    pub rights: ChannelRights,
    pub connected_at_ms: i64,
    /// Weekly posting slots the queue fills ("Mon, Wed, Fri at 10:00").
    #[serde(default)]
    pub slots: Vec<PostingSlot>,
    /// The zone the slots' times are in (set with the slots).
    #[serde(default)]
    pub slot_time_zone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    Draft,
    Scheduled,
    /// Claimed by the publisher: being sent now.
    Publishing,
    Posted,
    /// Telegram refused it (the reason is kept).
    Failed,
    /// The publisher stopped between sending and recording: it may be in
    /// the channel. Never sent again by itself; the dealer checks.
    Unknown,
    /// Deleted from the channel (by hand, auto-delete or a sold car).
    Deleted,
}

/// How a wall-clock time was placed on a day with a clock change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DstShift {
    /// The time did not exist (clocks went forward): the first valid minute after it.
    SkippedGap,
    /// The time happened twice (clocks went back): the first of the two.
    FirstOfTwo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SoldAction {
    Edit,
    Delete,
}

/// A post to a channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelPost {
    pub workspace_id: String,
    pub id: String,
    pub channel_id: i64,
    pub bot_id: i64,
    pub content: CampaignContent,
    pub car_id: Option<String>,
    pub status: PostStatus,
    pub send_at: Option<String>,
    pub time_zone: String,
    pub due_ms: Option<i64>,
    pub dst_shift: Option<DstShift>,
    #[serde(default)]
    pub message_ids: Vec<i64>,
    pub posted_at_ms: Option<i64>,
    pub error: Option<String>,
    pub auto_delete_hours: Option<u32>,
    #[serde(default)]
    pub pinned: bool,
    pub sold_action: Option<SoldAction>,
    pub created_by: String,
    pub updated_at_ms: i64,
    /// Optimistic version.
    #[serde(default)]
    pub rev: u64,
}

/// Telegram lets a bot delete its own messages for 48 hours.
pub const DELETE_WINDOW_MS: i64 = 48 * 3600 * 1000;

impl ChannelPost {
    pub fn auto_delete_at_ms(&self) -> Option<i64> {
        Some(self.posted_at_ms? + i64::from(self.auto_delete_hours?) * 3600 * 1000)
    }

    /// Whether the bot may still delete it (`now_ms`).
    pub fn deletable(&self, now_ms: i64) -> bool {
        self.posted_at_ms.is_some_and(|p| now_ms - p < DELETE_WINDOW_MS)
    }
}

/// A wall-clock time in a time zone as an instant: a time that does not
/// exist that day (clocks go forward) moves to the first valid minute after
/// it; one that happens twice (clocks go back) takes the first.
pub fn schedule_at(local: &str, time_zone: &str) -> Result<(i64, Option<DstShift>), FieldError> {
    use jiff::tz::AmbiguousOffset;
    let tz = jiff::tz::TimeZone::get(time_zone)
        .map_err(|_| FieldError::new("time_zone", format!("{time_zone} is not a time zone (use a name like Europe/Kyiv)")))?;
    let dt: jiff::civil::DateTime = local.trim().parse().map_err(|_| FieldError::new("send_at", "must be a date and time like 2026-12-08T10:00"))?;
    let bad = |_| FieldError::new("send_at", "is out of range");
    match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => Ok((offset.to_timestamp(dt).map_err(bad)?.as_millisecond(), None)),
        AmbiguousOffset::Fold { before, .. } => Ok((before.to_timestamp(dt).map_err(bad)?.as_millisecond(), Some(DstShift::FirstOfTwo))),
        AmbiguousOffset::Gap { before, .. } => {
            // Read with the offset before the change, the time lies after
            // the transition; the transition itself is the first valid instant.
            let late = before.to_timestamp(dt).map_err(bad)?;
            let change =
                tz.preceding(late).next().map(|t| t.timestamp()).ok_or_else(|| FieldError::new("send_at", "is not a time that exists in this time zone"))?;
            Ok((change.as_millisecond(), Some(DstShift::SkippedGap)))
        }
    }
}

/// A car's values for a post: `{make} {model} {year} {price} {mileage}
/// {link}` and the workspace's `{company}`; unknown variables are left as
/// written (the preview shows them).
pub fn fill_car(text: &str, car: Option<&ListingInput>, link: Option<&str>, company: &str) -> String {
    let mut out = text.replace("{company}", company);
    if let Some(c) = car {
        let price = group_thousands(c.price);
        out = out
            .replace("{make}", &c.make)
            .replace("{model}", &c.model)
            .replace("{year}", &c.year.to_string())
            .replace("{price}", &format!("{price} {}", c.currency))
            .replace("{mileage}", &format!("{} {}", group_thousands(c.mileage), if c.mileage_unit == crate::inventory::MileageUnit::Mi { "mi" } else { "km" }));
    }
    if let Some(l) = link {
        out = out.replace("{link}", l);
    }
    out
}

fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The text of a sold car's post: the label first, the text kept.
pub fn sold_text(label: &str, text: &str) -> String {
    if text.starts_with(label) {
        text.to_string()
    } else {
        format!("{label}\n{text}")
    }
}

/// A sold label: 1-40 characters.
pub fn check_sold_label(raw: &str) -> Result<String, FieldError> {
    let l = raw.trim();
    if l.is_empty() || l.chars().count() > 40 {
        return Err(FieldError::new("sold_label", "must be 1 to 40 characters"));
    }
    Ok(l.to_string())
}

/// Auto-delete hours: 1-47 (a bot can delete its posts for 48 hours).
pub fn check_auto_delete(hours: Option<u32>) -> Result<Option<u32>, FieldError> {
    match hours {
        Some(h) if !(1..=47).contains(&h) => {
            Err(FieldError::new("auto_delete_hours", "must be 1 to 47: Telegram lets a bot delete its posts only for 48 hours"))
        }
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(ms: i64) -> String {
        jiff::Timestamp::from_millisecond(ms).unwrap().to_string()
    }

    #[test]
    fn kyiv_times_across_both_changes_of_2027() {
        // A normal day: 10:00 in winter is 08:00 UTC, in summer 07:00.
        assert_eq!(schedule_at("2027-01-15T10:00", "Europe/Kyiv").map(|(ms, s)| (utc(ms), s)).unwrap(), ("2027-01-15T08:00:00Z".into(), None));
        assert_eq!(schedule_at("2027-07-15T10:00", "Europe/Kyiv").map(|(ms, s)| (utc(ms), s)).unwrap(), ("2027-07-15T07:00:00Z".into(), None));
        // 28 March 2027: 03:00 → 04:00. 03:30 does not exist: 04:00 local (01:00 UTC).
        let (ms, shift) = schedule_at("2027-03-28T03:30", "Europe/Kyiv").unwrap();
        assert_eq!((utc(ms), shift), ("2027-03-28T01:00:00Z".into(), Some(DstShift::SkippedGap)));
        // 31 October 2027: 04:00 → 03:00. 03:30 happens twice: the first (00:30 UTC).
        let (ms, shift) = schedule_at("2027-10-31T03:30", "Europe/Kyiv").unwrap();
        assert_eq!((utc(ms), shift), ("2027-10-31T00:30:00Z".into(), Some(DstShift::FirstOfTwo)));
    }

    #[test]
    fn bad_times_name_their_field() {
        assert_eq!(schedule_at("tomorrow", "Europe/Kyiv").unwrap_err().field, "send_at");
        assert_eq!(schedule_at("2027-01-15T10:00", "Mars/Olympus").unwrap_err().field, "time_zone");
        assert_eq!(check_auto_delete(Some(48)).unwrap_err().field, "auto_delete_hours");
        assert_eq!(check_auto_delete(Some(47)).unwrap(), Some(47));
    }

    #[test]
    fn templates_take_the_cars_values() {
        let car = ListingInput {
            make: "Škoda".into(),
            model: "Octavia".into(),
            year: 2019,
            price: 12500,
            currency: "USD".into(),
            mileage: 85000,
            mileage_unit: crate::inventory::MileageUnit::Km,
            vin: None,
            fuel: None,
            transmission: None,
            body: None,
            color: None,
            photos: vec![],
            description: None,
            status: crate::inventory::ListingStatus::Available,
            source_url: None,
        };
        let t = fill_car("{make} {model} {year} — {price}, {mileage}. {company} {link} {other}", Some(&car), Some("https://x/1"), "Demo Motors");
        assert_eq!(t, "Škoda Octavia 2019 — 12\u{a0}500 USD, 85\u{a0}000 km. Demo Motors https://x/1 {other}");
        assert_eq!(sold_text("SOLD", "Škoda"), "SOLD\nŠkoda");
        assert_eq!(sold_text("SOLD", "SOLD\nŠkoda"), "SOLD\nŠkoda");
    }

    proptest! {
        #[test]
        fn scheduling_never_panics(local in "\\PC{0,30}", tz in "\\PC{0,30}") {
            let _ = schedule_at(&local, &tz);
        }
    }
}
