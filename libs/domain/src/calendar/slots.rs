//! A channel's weekly posting slots ("Mon, Wed, Fri at 10:00") in an
//! explicit time zone, the instants they name, and the first ones no
//! other post to the channel has taken ("add to queue").
//!
//! Each slot time goes through [`schedule_at`], so a slot on a day the
//! clocks change follows the same rule as a post set by hand: a time that
//! does not exist moves to the first valid minute after it, one that
//! happens twice takes the first.

use serde::{Deserialize, Serialize};

use super::{schedule_at, DstShift};
use crate::FieldError;

/// A day of the week (`mon` … `sun`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

    fn of(w: jiff::civil::Weekday) -> Weekday {
        Weekday::ALL[usize::from(w.to_monday_zero_offset().unsigned_abs())]
    }
}

/// Posting times on some days of the week: `{"days": ["mon", "wed"], "time": "10:00"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PostingSlot {
    /// The days it recurs on (at least one).
    pub days: Vec<Weekday>,
    /// The wall-clock time in the slots' zone, `HH:MM` (00:00-23:59).
    pub time: String,
}

/// At most this many slots on a channel (four a day, every day).
pub const MAX_SLOTS: usize = 28;

/// How far ahead slot times are looked for (the queue's horizon).
pub const SLOT_HORIZON_WEEKS: i64 = 12;

/// A slot's time on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotTime {
    /// The instant (ms since the epoch).
    pub at_ms: i64,
    /// The slot's wall-clock time, `YYYY-MM-DDTHH:MM` in the slots' zone
    /// (as asked: on a day the clocks skip it, `at_ms` is the minute after the jump).
    pub local: String,
    pub dst_shift: Option<DstShift>,
}

/// `HH:MM` from 00:00 to 23:59 (`9:5` is refused: two digits each).
fn check_time(field: &str, raw: &str) -> Result<(i8, i8), FieldError> {
    let bad = || FieldError::new(field, "must be a time from 00:00 to 23:59, like 10:00");
    let t = raw.trim();
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok((h, m))
}

/// The slots as kept: each with its days in week order without repeats
/// and its time as `HH:MM`; at most [`MAX_SLOTS`]; no day and time twice.
/// Refusals name the slot (`slots[2].time`).
pub fn check_slots(slots: &[PostingSlot]) -> Result<Vec<PostingSlot>, FieldError> {
    if slots.len() > MAX_SLOTS {
        return Err(FieldError::new("slots", format!("at most {MAX_SLOTS} posting slots a channel")));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(slots.len());
    for (i, s) in slots.iter().enumerate() {
        let (h, m) = check_time(&format!("slots[{i}].time"), &s.time)?;
        let mut days = s.days.clone();
        days.sort_unstable();
        days.dedup();
        if days.is_empty() {
            return Err(FieldError::new(format!("slots[{i}].days"), "choose at least one day of the week"));
        }
        let time = format!("{h:02}:{m:02}");
        for d in &days {
            if !seen.insert((*d, time.clone())) {
                return Err(FieldError::new(format!("slots[{i}].time"), "another slot already has this day and time"));
            }
        }
        out.push(PostingSlot { days, time });
    }
    Ok(out)
}

/// The next `limit` slot times strictly after `after_ms`, in time order,
/// at most [`SLOT_HORIZON_WEEKS`] after it. Two slots that land on
/// the same instant (both inside a skipped hour) count once. Slots are
/// expected checked ([`check_slots`]); a time that does not read is skipped.
pub fn next_slot_times(slots: &[PostingSlot], time_zone: &str, after_ms: i64, limit: usize) -> Result<Vec<SlotTime>, FieldError> {
    let tz = jiff::tz::TimeZone::get(time_zone)
        .map_err(|_| FieldError::new("time_zone", format!("{time_zone} is not a time zone (use a name like Europe/Kyiv)")))?;
    let after = jiff::Timestamp::from_millisecond(after_ms).map_err(|_| FieldError::new("time_zone", "the time is out of range"))?;
    let mut by_day: [Vec<(i8, i8)>; 7] = Default::default();
    for s in slots {
        let Ok(hm) = check_time("time", &s.time) else { continue };
        for d in &s.days {
            by_day[*d as usize].push(hm);
        }
    }
    for times in &mut by_day {
        times.sort_unstable();
        times.dedup();
    }
    let mut out: Vec<SlotTime> = Vec::new();
    if limit == 0 || by_day.iter().all(Vec::is_empty) {
        return Ok(out);
    }
    // Day by day from `after`'s date in the zone, up to the horizon.
    let horizon_ms = after_ms.saturating_add(SLOT_HORIZON_WEEKS * 7 * 24 * 3600 * 1000);
    let mut day = after.to_zoned(tz).date();
    for _ in 0..=SLOT_HORIZON_WEEKS * 7 + 1 {
        for (h, m) in &by_day[Weekday::of(day.weekday()) as usize] {
            let local = format!("{day}T{h:02}:{m:02}");
            let Ok((at_ms, dst_shift)) = schedule_at(&local, time_zone) else { continue };
            if at_ms > horizon_ms {
                return Ok(out);
            }
            if at_ms <= after_ms || out.last().is_some_and(|l| l.at_ms >= at_ms) {
                continue;
            }
            out.push(SlotTime { at_ms, local, dst_shift });
            if out.len() >= limit {
                return Ok(out);
            }
        }
        let Ok(next) = day.tomorrow() else { break };
        day = next;
    }
    Ok(out)
}

/// Whether a post at `at_ms` is free of `taken` instants (other posts to
/// the channel): none closer than `window_ms`; with no window, none at
/// that very instant.
pub fn is_free(at_ms: i64, taken: &[i64], window_ms: i64) -> bool {
    if window_ms <= 0 {
        !taken.contains(&at_ms)
    } else {
        taken.iter().all(|t| (t - at_ms).abs() >= window_ms)
    }
}

/// The next `limit` slot times after `after_ms` that are free of `taken`
/// ([`is_free`]), within the horizon.
pub fn free_slot_times(
    slots: &[PostingSlot],
    time_zone: &str,
    after_ms: i64,
    taken: &[i64],
    window_ms: i64,
    limit: usize,
) -> Result<Vec<SlotTime>, FieldError> {
    let all = next_slot_times(slots, time_zone, after_ms, usize::MAX)?;
    Ok(all.into_iter().filter(|s| is_free(s.at_ms, taken, window_ms)).take(limit).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(rfc: &str) -> i64 {
        rfc.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    fn utc(ms: i64) -> String {
        jiff::Timestamp::from_millisecond(ms).unwrap().to_string()
    }

    fn slot(days: &[Weekday], time: &str) -> PostingSlot {
        PostingSlot { days: days.to_vec(), time: time.into() }
    }

    use Weekday::*;

    #[test]
    fn mon_wed_fri_at_ten_in_kyiv() {
        // Thursday 14 January 2027, noon in Kyiv (winter: UTC+2).
        let slots = check_slots(&[slot(&[Fri, Mon, Wed, Mon], "10:00"), slot(&[Sat], "12:00")]).unwrap();
        assert_eq!(slots[0].days, [Mon, Wed, Fri]);
        let next = next_slot_times(&slots, "Europe/Kyiv", at("2027-01-14T10:00:00Z"), 5).unwrap();
        let got: Vec<_> = next.iter().map(|s| (s.local.as_str(), utc(s.at_ms), s.dst_shift)).collect();
        assert_eq!(
            got,
            [
                ("2027-01-15T10:00", "2027-01-15T08:00:00Z".to_string(), None),
                ("2027-01-16T12:00", "2027-01-16T10:00:00Z".to_string(), None),
                ("2027-01-18T10:00", "2027-01-18T08:00:00Z".to_string(), None),
                ("2027-01-20T10:00", "2027-01-20T08:00:00Z".to_string(), None),
                ("2027-01-22T10:00", "2027-01-22T08:00:00Z".to_string(), None),
            ]
        );
        // Strictly after: at 10:00 Friday sharp, Friday's slot is gone.
        let next = next_slot_times(&slots, "Europe/Kyiv", at("2027-01-15T08:00:00Z"), 1).unwrap();
        assert_eq!(next[0].local, "2027-01-16T12:00");
    }

    #[test]
    fn a_slot_at_half_past_three_across_both_changes_of_kyiv() {
        let slots = check_slots(&[slot(&[Sun], "03:30")]).unwrap();
        // Spring, 28 March 2027: 03:00 → 04:00. 03:30 does not exist: 04:00 local, 01:00 UTC.
        let spring = next_slot_times(&slots, "Europe/Kyiv", at("2027-03-25T00:00:00Z"), 2).unwrap();
        assert_eq!(
            (spring[0].local.as_str(), utc(spring[0].at_ms), spring[0].dst_shift),
            ("2027-03-28T03:30", "2027-03-28T01:00:00Z".into(), Some(DstShift::SkippedGap))
        );
        // The Sunday after: summer time, 03:30 is 00:30 UTC.
        assert_eq!((spring[1].local.as_str(), utc(spring[1].at_ms), spring[1].dst_shift), ("2027-04-04T03:30", "2027-04-04T00:30:00Z".into(), None));
        // Autumn, 31 October 2027: 04:00 → 03:00. 03:30 happens twice: the first (00:30 UTC).
        let autumn = next_slot_times(&slots, "Europe/Kyiv", at("2027-10-28T00:00:00Z"), 2).unwrap();
        assert_eq!(
            (autumn[0].local.as_str(), utc(autumn[0].at_ms), autumn[0].dst_shift),
            ("2027-10-31T03:30", "2027-10-31T00:30:00Z".into(), Some(DstShift::FirstOfTwo))
        );
        // The Sunday after: winter time, 03:30 is 01:30 UTC.
        assert_eq!((autumn[1].local.as_str(), utc(autumn[1].at_ms), autumn[1].dst_shift), ("2027-11-07T03:30", "2027-11-07T01:30:00Z".into(), None));
        // Asked between the two 03:30s of that night (01:00 UTC is the second 03:00): the first is past, the next Sunday comes.
        let between = next_slot_times(&slots, "Europe/Kyiv", at("2027-10-31T01:00:00Z"), 1).unwrap();
        assert_eq!(between[0].local, "2027-11-07T03:30");
    }

    #[test]
    fn two_slots_in_the_skipped_hour_count_once() {
        let slots = check_slots(&[slot(&[Sun], "03:15"), slot(&[Sun], "03:45"), slot(&[Sun], "04:00")]).unwrap();
        let next = next_slot_times(&slots, "Europe/Kyiv", at("2027-03-27T00:00:00Z"), 3).unwrap();
        assert_eq!(next.iter().map(|s| utc(s.at_ms)).collect::<Vec<_>>(), ["2027-03-28T01:00:00Z", "2027-04-04T00:15:00Z", "2027-04-04T00:45:00Z"]);
    }

    #[test]
    fn free_times_skip_the_taken_ones() {
        let slots = check_slots(&[slot(&[Mon, Wed, Fri], "10:00")]).unwrap();
        let after = at("2027-01-14T10:00:00Z");
        let fri = at("2027-01-15T08:00:00Z");
        // A post at Friday 10:20 takes Friday's slot in a 60-minute window, not with none.
        let taken = [fri + 20 * 60_000];
        assert_eq!(free_slot_times(&slots, "Europe/Kyiv", after, &taken, 3_600_000, 1).unwrap()[0].local, "2027-01-18T10:00");
        assert_eq!(free_slot_times(&slots, "Europe/Kyiv", after, &taken, 0, 1).unwrap()[0].local, "2027-01-15T10:00");
        assert_eq!(free_slot_times(&slots, "Europe/Kyiv", after, &[fri], 0, 1).unwrap()[0].local, "2027-01-18T10:00");
        // A slot taken forever is never offered; the horizon ends the search.
        let all: Vec<i64> = next_slot_times(&slots, "Europe/Kyiv", after, usize::MAX).unwrap().iter().map(|s| s.at_ms).collect();
        assert_eq!(all.len(), 36, "three a week for twelve weeks");
        assert!(free_slot_times(&slots, "Europe/Kyiv", after, &all, 0, 1).unwrap().is_empty());
        assert!(next_slot_times(&[], "Europe/Kyiv", after, 5).unwrap().is_empty());
    }

    #[test]
    fn bad_slots_name_their_field() {
        assert_eq!(check_slots(&[slot(&[Mon], "24:00")]).unwrap_err().field, "slots[0].time");
        assert_eq!(check_slots(&[slot(&[Mon], "9:00")]).unwrap_err().field, "slots[0].time");
        assert_eq!(check_slots(&[slot(&[Mon], "10:60")]).unwrap_err().field, "slots[0].time");
        assert_eq!(check_slots(&[slot(&[Mon], "10:00"), slot(&[], "11:00")]).unwrap_err().field, "slots[1].days");
        assert_eq!(check_slots(&[slot(&[Mon, Tue], "10:00"), slot(&[Tue], " 10:00 ")]).unwrap_err().field, "slots[1].time");
        assert_eq!(check_slots(&vec![slot(&[Mon], "10:00"); 29]).unwrap_err().field, "slots");
        assert_eq!(check_slots(&[slot(&[Sun], "00:00"), slot(&[Sun], "23:59")]).unwrap().len(), 2);
        assert_eq!(next_slot_times(&[slot(&[Mon], "10:00")], "Mars/Olympus", 0, 1).unwrap_err().field, "time_zone");
        // Days read as snake_case names.
        let s: PostingSlot = serde_json::from_str(r#"{"days": ["mon", "sun"], "time": "10:00"}"#).unwrap();
        assert_eq!(s.days, [Mon, Sun]);
        assert!(serde_json::from_str::<PostingSlot>(r#"{"days": ["monday"], "time": "10:00"}"#).is_err());
    }

    proptest! {
        #[test]
        fn slot_times_are_in_order_after_the_start_and_on_their_days(
            days in proptest::collection::vec(0usize..7, 1..7),
            h in 0i8..24, m in 0i8..60,
            after in 1_700_000_000_000i64..1_900_000_000_000,
            tz in prop::sample::select(vec!["Europe/Kyiv", "America/New_York", "UTC", "Australia/Lord_Howe", "Asia/Kolkata"]),
        ) {
            let slots = check_slots(&[PostingSlot { days: days.iter().map(|d| Weekday::ALL[*d]).collect(), time: format!("{h:02}:{m:02}") }]).unwrap();
            let next = next_slot_times(&slots, tz, after, 10).unwrap();
            prop_assert!(!next.is_empty());
            let mut last = after;
            for s in &next {
                prop_assert!(s.at_ms > last);
                last = s.at_ms;
                let day: jiff::civil::Date = s.local[..10].parse().unwrap();
                prop_assert!(slots[0].days.contains(&Weekday::of(day.weekday())));
            }
        }
    }
}
