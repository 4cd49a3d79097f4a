//! A channel's weekly posting slots and the queue that fills them: the
//! next slot time no other live post to the channel has taken (within the
//! workspace's conflict window), at most 12 weeks ahead.

use cartie_apikit::dto::{ChannelSlotsRequest, SlotTimeView};
use cartie_apikit::{json, ApiError, App, Body, Response};
use cartie_domain::calendar::{check_slots, free_slot_times, schedule_at, ChannelPost, PostChannel, PostStatus, SlotTime, SLOT_HORIZON_WEEKS};
use cartie_store::{util, StoreError};

/// How many free slot times a channel's view shows.
pub const SHOWN: usize = 5;

/// The live posts (scheduled, being posted, posted) of the workspace from
/// now to the queue's horizon, and the window that keeps posts apart.
pub struct Busy {
    posts: Vec<ChannelPost>,
    window_ms: i64,
    now: i64,
}

impl Busy {
    /// One calendar read over the horizon (and the window on both sides).
    pub async fn load(app: &App, ws: &str) -> Result<Busy, ApiError> {
        let now = util::now_ms();
        let window_ms = i64::from(app.store.calendar_settings(ws).await?.conflict_window_minutes) * 60_000;
        let horizon = SLOT_HORIZON_WEEKS * 7 * 24 * 3600 * 1000;
        let mut posts = app.store.posts_between(ws, now - window_ms, now + horizon + window_ms, 5000).await?;
        posts.retain(|p| matches!(p.status, PostStatus::Scheduled | PostStatus::Publishing | PostStatus::Posted));
        Ok(Busy { posts, window_ms, now })
    }

    /// The channel's next `limit` free slot times (`except`: a post being
    /// moved does not take its own slot).
    pub fn free(&self, c: &PostChannel, except: Option<&str>, limit: usize) -> Result<Vec<SlotTime>, ApiError> {
        let Some(zone) = c.slot_time_zone.as_deref().filter(|_| !c.slots.is_empty()) else { return Ok(vec![]) };
        let taken: Vec<i64> =
            self.posts.iter().filter(|p| p.channel_id == c.id && Some(p.id.as_str()) != except).filter_map(|p| p.due_ms.or(p.posted_at_ms)).collect();
        Ok(free_slot_times(&c.slots, zone, self.now, &taken, self.window_ms, limit)?)
    }
}

pub fn view(s: &SlotTime) -> SlotTimeView {
    SlotTimeView { at: util::rfc3339(s.at_ms), local: s.local.clone(), dst_shift: s.dst_shift }
}

/// `PUT /api/channels/{id}/slots`: the slots checked and kept with their
/// zone (the workspace's unless named); the channel as it is now.
pub async fn set(app: &App, ws: &str, channel_id: i64, body: &ChannelSlotsRequest) -> Result<Response<Body>, ApiError> {
    let not_found = || ApiError::not_found("no such channel");
    app.store.post_channel(ws, channel_id).await?.ok_or_else(not_found)?;
    let slots = check_slots(&body.slots)?;
    let zone = match body.time_zone.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(tz) => tz.to_string(),
        None => app.store.workspace(ws).await?.and_then(|w| w.time_zone).unwrap_or_else(|| "UTC".into()),
    };
    // A zone that does not exist is refused under `time_zone`.
    schedule_at("2000-01-01T00:00", &zone)?;
    app.store.set_post_channel_slots(ws, channel_id, &slots, &zone).await.map_err(|e| match e {
        StoreError::NotFound => not_found(),
        other => other.into(),
    })?;
    let c = app.store.post_channel(ws, channel_id).await?.ok_or_else(not_found)?;
    let bot = app.store.bot(ws, c.bot_id).await?.map(|b| b.username);
    let next = Busy::load(app, ws).await?.free(&c, None, SHOWN)?;
    json(&super::channels::view(&c, bot, &next))
}
