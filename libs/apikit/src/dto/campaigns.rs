//! Campaigns: broadcasts to a segment through one or more bots.

pub use cartie_domain::campaigns::{ButtonAction, CampaignButton, CampaignContent, CampaignMedia, CampaignStatus, Outcome as RecipientOutcome, QuietHours};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A campaign as the dealer saves it (create, and edit before it starts).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CampaignRequest {
    /// 1-120 characters.
    pub name: String,
    pub content: CampaignContent,
    /// The segment to send to; none = every contact.
    #[serde(default)]
    pub segment_id: Option<String>,
    /// The bots to send through (1 to 10); a contact reachable by several
    /// gets it once, from the first in this list.
    pub bot_ids: Vec<i64>,
    /// Bots that send as a paid broadcast (up to 1,000 msg/s, 0.1 Star per
    /// message above the free 30/s; enabled in BotFather).
    #[serde(default)]
    pub paid_bot_ids: Vec<i64>,
    /// IANA time zone of `send_at` and the quiet hours (`Europe/Kyiv`).
    pub time_zone: String,
    /// Start at this wall-clock time in `time_zone` (`2026-12-08T09:30`);
    /// none = a draft, sent when asked.
    #[serde(default)]
    pub send_at: Option<String>,
    /// No sends between these hours in `time_zone`.
    #[serde(default)]
    pub quiet_hours: Option<QuietHours>,
}

/// Where a campaign stands: counters are updated per batch of sends.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CampaignProgress {
    /// Recipients snapshotted when it started.
    pub total: u64,
    pub sent: u64,
    pub failed: u64,
    pub blocked: u64,
    /// Their sender stopped between sending and recording: maybe sent,
    /// never sent again.
    pub unknown: u64,
    pub pending: u64,
    /// 0-100.
    pub percent: u32,
    /// Messages a second while running (pauses left out).
    pub rate_per_second: f64,
    /// Seconds left at the current rate; none when not running.
    pub eta_seconds: Option<u64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CampaignView {
    pub id: String,
    pub name: String,
    pub content: CampaignContent,
    pub segment_id: Option<String>,
    /// The segment's name (none: every contact, or the segment is gone).
    pub segment_name: Option<String>,
    /// Contacts in the segment at its last count (before the start), or
    /// the recipients snapshotted (after).
    pub audience_count: Option<u64>,
    pub bot_ids: Vec<i64>,
    pub paid_bot_ids: Vec<i64>,
    /// Upper bound of the Stars a paid broadcast costs (none without paid bots).
    pub stars_estimate: Option<u64>,
    pub time_zone: String,
    pub send_at: Option<String>,
    /// `send_at` as an instant (RFC 3339, UTC).
    pub send_at_utc: Option<String>,
    pub quiet_hours: Option<QuietHours>,
    pub status: CampaignStatus,
    pub progress: CampaignProgress,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CampaignList {
    pub items: Vec<CampaignView>,
    pub next_cursor: Option<String>,
}

/// One recipient of a campaign and what became of them.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CampaignRecipientView {
    pub user_id: i64,
    pub name: String,
    pub bot_id: i64,
    pub outcome: RecipientOutcome,
    /// Telegram's reason, for a failed send.
    pub error: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CampaignRecipientPage {
    pub items: Vec<CampaignRecipientView>,
    pub next_cursor: Option<String>,
}

/// The test send's result.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CampaignTestResult {
    /// Who got it: the caller's linked Telegram.
    pub sent_to: String,
}
