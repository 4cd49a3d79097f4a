//! Telegram for Cartie: the Bot API client (over `teloxide-core`, pointed at
//! the sandbox locally with `CARTIE_TELEGRAM_API_URL`), errors in the
//! dealer's terms, and the reading of raw updates into Inbox messages.
//! No storage and no HTTP serving here.

pub mod campaign;
pub mod channels;
pub mod client;
pub mod inbound;
pub mod scenario;
pub mod webapp;

pub use client::{BotProfile, Media, OnceReader, Reply, Telegram, TgError};
pub use inbound::{parse_update, peek_update, Inbound, ParsedUpdate};
