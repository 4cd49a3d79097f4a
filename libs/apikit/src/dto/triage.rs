//! The Inbox triage's JSON shapes: status changes, the views' counters,
//! private notes, canned replies and a phone saved from a message.

use cartie_domain::inbox::ConversationStatus;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SetStatusRequest {
    pub status: ConversationStatus,
    /// For `snoozed`: when it opens again (RFC 3339, in the future, at most
    /// a year ahead).
    pub snoozed_until: Option<String>,
}

/// The Inbox views' counts, kept as counters (never counted by reading).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct InboxCountsView {
    /// Open conversations (the "All" tab).
    pub open: i64,
    /// Open and assigned to the caller.
    pub mine: i64,
    /// Open and assigned to nobody.
    pub unassigned: i64,
    /// Conversations (not messages) with unread messages.
    pub unread: i64,
    pub snoozed: i64,
    pub resolved: i64,
    /// Every conversation.
    pub total: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NoteRequest {
    pub text: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewCannedReplyRequest {
    /// Typed after `/` in the composer: 1 to 32 letters, digits, `-` or `_`.
    pub shortcut: String,
    /// The reply; `{first_name}` is filled in the composer.
    pub text: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CannedReplyRequest {
    /// The reply; `{first_name}` and the other variables are filled in
    /// the composer.
    pub text: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CannedReplyView {
    /// Typed after `/` in the composer.
    pub shortcut: String,
    pub text: String,
    pub updated_by: String,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CannedReplyList {
    /// By shortcut.
    pub items: Vec<CannedReplyView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SavePhoneRequest {
    /// As the buyer wrote it ("+380 67 123 45 67", "067 123 45 67").
    pub phone: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactPhoneView {
    /// E.164 when the country is known, else as the digits were written.
    pub phone: String,
}
