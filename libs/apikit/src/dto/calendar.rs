//! The content calendar: channels connected to bots, post templates, and
//! posts scheduled in explicit time zones.

pub use cartie_domain::calendar::{ChannelRights, DstShift, PostStatus, PostingSlot, SoldAction, Weekday};
use cartie_domain::campaigns::CampaignContent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConnectChannelRequest {
    /// The bot that posts there.
    pub bot_id: i64,
    /// `@username` of the channel or group, or its numeric id (`-100…`).
    pub chat: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ChannelView {
    /// Telegram's chat id (`-100…`).
    pub id: i64,
    pub bot_id: i64,
    pub bot_username: Option<String>,
    pub title: String,
    pub username: Option<String>,
    /// `channel` or `group`.
    pub kind: String,
    pub rights: ChannelRights,
    /// What the bot may not do there, in words ("cannot delete posts").
    pub problems: Vec<String>,
    pub connected_at: String,
    /// Weekly posting slots the queue fills (empty: none set).
    pub slots: Vec<PostingSlot>,
    /// The zone the slots' times are in (none until slots are set).
    pub slot_time_zone: Option<String>,
    /// The next slot times no other post to the channel has taken (a few).
    pub next_slots: Vec<SlotTimeView>,
}

/// One slot's time on one day.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SlotTimeView {
    /// The instant (RFC 3339, UTC).
    pub at: String,
    /// The slot's wall-clock time in the slots' zone (`2026-12-14T10:00`).
    pub local: String,
    /// The clocks change that day: the time did not exist (the first valid
    /// minute after it) or happened twice (the first).
    pub dst_shift: Option<DstShift>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ChannelSlotsRequest {
    /// IANA time zone of the slots' times (default: the workspace's).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// At most 28; each with at least one day and a time `HH:MM`. Empty
    /// removes them.
    pub slots: Vec<PostingSlot>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ChannelList {
    pub items: Vec<ChannelView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PostTemplateRequest {
    /// 1-120 characters.
    pub name: String,
    /// Text (or caption), media, buttons; `{make} {model} {year} {price}
    /// {mileage} {link}` and `{company}` are filled from the car and the
    /// workspace when a post is made from it.
    pub content: CampaignContent,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PostTemplateView {
    pub id: String,
    pub name: String,
    pub content: CampaignContent,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PostTemplateList {
    pub items: Vec<PostTemplateView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PostRequest {
    /// The channel (chat id) to post in; its bot posts.
    pub channel_id: i64,
    /// What to post (ignored when `template_id` and `car_id` fill it).
    #[serde(default)]
    pub content: Option<CampaignContent>,
    /// Fill the content from this template (with the car's values).
    #[serde(default)]
    pub template_id: Option<String>,
    /// The car this post offers: its values fill the template, and when it
    /// sells the post is edited or deleted.
    #[serde(default)]
    pub car_id: Option<String>,
    /// Wall-clock time in `time_zone` (`2026-12-08T10:00`); none = a draft.
    #[serde(default)]
    pub send_at: Option<String>,
    /// IANA time zone (default: the workspace's).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Delete the post this many hours after it goes out (1-47: Telegram
    /// lets a bot delete its messages for 48 hours).
    #[serde(default)]
    pub auto_delete_hours: Option<u32>,
    /// Without `send_at`: schedule it at the channel's next free posting
    /// slot (no other post to the channel within the conflict window), in
    /// the slots' time zone. 422 on `queue` when the channel has no slots.
    #[serde(default)]
    pub queue: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EditPostedRequest {
    /// The new text (or caption) of a post that went out.
    pub text: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PostView {
    pub id: String,
    pub channel_id: i64,
    pub channel_title: Option<String>,
    pub bot_id: i64,
    pub content: CampaignContent,
    pub car_id: Option<String>,
    pub status: PostStatus,
    /// As asked: wall-clock time and zone.
    pub send_at: Option<String>,
    pub time_zone: String,
    /// The instant it goes (RFC 3339, UTC).
    pub due_at: Option<String>,
    /// The time did not exist that day (moved to the first valid minute
    /// after it) or happened twice (the first is taken).
    pub dst_shift: Option<DstShift>,
    /// Telegram's message ids (several for an album).
    pub message_ids: Vec<i64>,
    pub posted_at: Option<String>,
    /// Why Telegram refused it (failed), or what to check (unknown).
    pub error: Option<String>,
    /// Hours after posting it is deleted from the channel (1-47).
    pub auto_delete_hours: Option<u32>,
    /// When it is (or was) deleted: `auto_delete_hours` after posting.
    pub auto_delete_at: Option<String>,
    pub pinned: bool,
    /// What happened to it when its car sold.
    pub sold_action: Option<SoldAction>,
    /// Other posts to the same channel within the conflict window.
    pub conflicts: Vec<String>,
    pub created_by: String,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PostList {
    pub items: Vec<PostView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CalendarSettings {
    /// When a car sells: edit its posts (adding `sold_label`) or delete them
    /// (posts older than 48 hours are edited either way).
    pub sold_action: SoldAction,
    /// 1-40 characters, put before the caption ("SOLD", "ПРОДАНО").
    pub sold_label: String,
    /// Two posts to one channel closer than this are a conflict (0-1440).
    pub conflict_window_minutes: u32,
}
