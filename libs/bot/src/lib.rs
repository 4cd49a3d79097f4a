//! The bot runtime: what happens when a buyer writes to a dealer's bot.
//! It stores the message on its conversation, runs the bot's published
//! scenarios (or the plain auto-reply), and performs what they decide —
//! sends, car cards, stock searches, requests, channel posts, hand-offs,
//! delays — at least once and never twice on a retry.
//!
//! It also delivers the notification centre's events (`notify`: in-app
//! notifications and their Telegram copies) and links a Cartie user's own
//! Telegram account (`link`).
//!
//! Used by every process that acts for a bot: the update worker, the jobs
//! worker (scenario delays), the campaign sender and the user-account host.
//! It knows nothing of SQS batches or HTTP: callers hand it one update or
//! one timer and get a typed [`BotError`] that says whether to retry.

pub mod campaign;
pub mod error;
pub mod link;
pub mod menu;
pub mod notify;
pub mod outbound;
pub mod pace;
pub mod posts;
pub mod queued;
pub mod scenario;
pub mod unsubscribe;
pub mod update;

pub use error::BotError;
pub use queued::QueuedUpdate;
