//! The notification centre's front door: any module (Inbox, campaigns,
//! calendar, B2B, user accounts, integrations) raises an [`Event`] here.
//! It only queues the event on the `jobs` queue — one SQS send, whatever
//! the audience — so a request never waits for the fan-out to recipients
//! or for Telegram; `worker-jobs` delivers it (`cartie_bot::notify`).
//!
//! ```ignore
//! notify(svc, Event {
//!     id: util::new_id(),                   // stable across the caller's retries
//!     workspace_id: ws.into(),
//!     at_ms: util::now_ms(),
//!     notice: Notice::CampaignFinished { campaign_id, name, sent, failed },
//!     recipients: Recipients::MembersAtLeast { role: Role::Manager },
//!     actor: None,
//! }).await?;
//! ```

use crate::Services;
use cartie_domain::jobs::Job;
pub use cartie_domain::notify::{Event, Notice, Recipients};
use cartie_store::StoreError;

/// Queues `event` for delivery. Safe to call again for the same event (a
/// retried caller): delivery is keyed by `event.id`.
pub async fn notify(svc: &Services, event: Event) -> Result<(), StoreError> {
    svc.queues.send("jobs", &Job::Notify { event }).await
}
