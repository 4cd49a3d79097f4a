//! Messages on the `jobs` queue. One enum so the producer and the worker
//! cannot disagree on a shape; unknown kinds fail to parse and go to the DLQ.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Sent by the scheduler each tick; the worker records that it ran, so
    /// `/api/health/deep` shows the whole schedule -> queue -> worker path
    /// is alive.
    Heartbeat { sent_at_ms: i64 },
    /// A scenario's delay is over: sent with an SQS delay (up to 15
    /// minutes) or by the scheduler when its minute comes. One that arrives
    /// early is sent on again until `due_ms`.
    ScenarioTimer { workspace_id: String, bot_id: i64, chat_id: i64, token: u64, due_ms: i64 },
    /// A Telegram update whose processing Telegram told to wait longer
    /// than a queue can hold it (its `retry_after`): parked in the
    /// scheduler's buckets, then processed here. `update` is the queued
    /// update's JSON.
    ResumeUpdate { update: String },
    /// A car photo finished uploading: make its resized variants (without
    /// metadata) in the file store. Safe to run twice: it rewrites the same
    /// objects and marks the same record.
    MakeVariants { workspace_id: String, file_id: String },
    /// An event for the notification centre: written to each recipient's
    /// notifications (once per event id), copied to Telegram where they
    /// asked for it.
    Notify { event: crate::notify::Event },
    /// A stock feed import's next part of rows (`part` counts from 0): read
    /// the feed, make or update each row's car, record the part's report,
    /// then queue the next part. A part already recorded is not redone.
    ImportStock { workspace_id: String, import_id: String, part: u32 },
    /// Someone asked for a password reset on the login page, and the
    /// account has a linked Telegram: the reset link goes there. The link's
    /// token travels sealed with the data key (queues are not for secrets);
    /// a redelivery sends the same link again, never a second one.
    SendPasswordReset { workspace_id: String, email: String, token_sealed: String },
    /// A snoozed conversation's time came: open it again, unless the team
    /// changed it since (its snooze time is no longer `until_ms`). One
    /// that arrives early is sent on again until then.
    WakeConversation { workspace_id: String, bot_id: i64, chat_id: i64, until_ms: i64 },
    /// One step of counting a segment (`run` is the count asked for,
    /// `step` counts its steps from 0): a few index pages read and the
    /// partial count recorded, then the next step queued. A step recorded
    /// before, or of a count since replaced, is not redone.
    CountSegment { workspace_id: String, segment_id: String, run: u64, step: u32 },
    /// One part of a contact CSV export (`step` from 0): a few pages of the
    /// contact list written as a part once, then the next step queued; the
    /// last step puts the whole file in the file store.
    ExportContacts { workspace_id: String, export_id: String, step: u32 },
    /// Erase a contact and everything stored about them, one step of a few
    /// hundred deletes at a time (the same job is queued again until done).
    /// Safe to run twice: each step deletes what is left.
    EraseContact { workspace_id: String, user_id: i64 },
    /// A contact import's next part of rows (`part` from 0): each row made
    /// or folded into a contact, the part's report recorded once, then the
    /// next part queued. A part already recorded is not redone.
    ImportContacts { workspace_id: String, import_id: String, part: u32 },
    /// One step of tagging every contact a filter holds (`step` from 0): a
    /// few pages tagged, the job moved on under its rev, the next step
    /// queued. A step recorded before is not redone.
    TagContacts { workspace_id: String, bulk_id: String, step: u32 },
    /// A scheduled campaign's time came: start it (snapshot its audience),
    /// unless it was changed or started since (its start is no longer
    /// `at_ms`).
    StartCampaign { workspace_id: String, campaign_id: String, at_ms: i64 },
    /// One step of snapshotting a campaign's audience into recipient
    /// chunks (`step` from 0); the last step sets it running and queues
    /// each bot's first chunk. A step recorded before is not redone.
    PlanCampaign { workspace_id: String, campaign_id: String, step: u32 },
    /// A channel post's time came: publish it once, if it is still
    /// scheduled for `due_ms` (see `cartie_bot::posts`).
    PublishPost { workspace_id: String, post_id: String, due_ms: i64 },
    /// A posted post's auto-delete time came (`at_ms`): delete it, once.
    AutoDeletePost { workspace_id: String, post_id: String, at_ms: i64 },
    /// A car was sold or removed: its channel posts are edited ("SOLD") or
    /// deleted, each once; its posts not yet out go back to drafts.
    CarSold { workspace_id: String, car_id: String },
    /// A request opened or changed: match it against its workspace's stock
    /// and every active partner's. Safe to run twice: matches are put by
    /// car, and the stale ones deleted.
    MatchRequest { workspace_id: String, request_id: String },
    /// A car was added or changed (or sold): match it against the live
    /// requests of its workspace and the shared ones of its partners;
    /// the owners of newly matched requests are notified once per match.
    MatchCar { workspace_id: String, car_id: String },
    /// A request's deadline day is over: it expires if it is still live
    /// and its deadline is still `deadline` (an edit moves the date and
    /// schedules its own job). Safe to run twice.
    ExpireRequest { workspace_id: String, request_id: String, deadline: String },
}

/// A message on the `campaigns` FIFO queue: send this chunk of a
/// campaign's recipients through this bot. Its message group is the bot,
/// so one bot's chunks are sent one at a time by one sender, whatever the
/// number of Lambda instances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendChunk {
    pub workspace_id: String,
    pub campaign_id: String,
    pub bot_id: i64,
    pub chunk: u32,
}

/// The due bucket's key of a conversation's wake-up (one item however
/// often the same snooze is scheduled).
pub fn wake_key(bot_id: i64, chat_id: i64, until_ms: i64) -> String {
    format!("WAKE#{bot_id}#{chat_id}#{until_ms}")
}
