//! Notifications in the dealer's words: what happened (a [`Notice`]: a
//! typed kind with typed facts, never free text), who should hear of it
//! ([`Recipients`]), the [`Event`] other modules hand to the notification
//! centre, where each notice leads in the web app, and its Telegram text in
//! English and Ukrainian. Pure: storing and sending are `cartie-store` and
//! `cartie-bot`.
//!
//! The web app renders a notice from its `kind` and `params` in the
//! reader's language; only the Telegram copy is rendered here, because a
//! Telegram message has to be written before anyone reads it.

pub use crate::locale::Language;
use crate::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a notification is about, without its facts: the unit of a user's
/// preferences ("also send this kind to my Telegram").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    LeadAssigned,
    NewLead,
    OfferReceived,
    CampaignFinished,
    PostFailed,
    AccountNeedsLogin,
    PartnerInvitation,
    MatchFound,
    OfferAnswered,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 9] = [
        NoticeKind::LeadAssigned,
        NoticeKind::NewLead,
        NoticeKind::OfferReceived,
        NoticeKind::CampaignFinished,
        NoticeKind::PostFailed,
        NoticeKind::AccountNeedsLogin,
        NoticeKind::PartnerInvitation,
        NoticeKind::MatchFound,
        NoticeKind::OfferAnswered,
    ];
}

/// Something a user should hear about, with the facts the text needs.
/// Serialized as `{ "kind": "lead_assigned", "params": { ... } }`: the web
/// app picks its text by `kind` and fills it from `params`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "params", rename_all = "snake_case")]
pub enum Notice {
    /// A colleague assigned a conversation to you.
    LeadAssigned { bot_id: i64, chat_id: i64, buyer: String, by: String },
    /// A buyer wrote to a bot for the first time and nobody is assigned.
    NewLead { bot_id: i64, chat_id: i64, buyer: String, bot: String },
    /// A partner dealer answered one of your car requests with an offer.
    OfferReceived { request_id: String, request: String, partner: String },
    /// A broadcast has gone out to its whole audience.
    CampaignFinished { campaign_id: String, name: String, sent: u32, failed: u32 },
    /// A scheduled channel post could not be published.
    PostFailed { post_id: String, channel: String },
    /// A connected Telegram user account was logged out and needs a new login.
    AccountNeedsLogin { account_id: String, account: String },
    /// Another dealer invites your company to be partners.
    PartnerInvitation { invitation_id: String, partner: String },
    /// A car (yours or a partner's, `partner` names whose) newly matches
    /// one of your open requests.
    MatchFound { request_id: String, request: String, car: String, partner: Option<String> },
    /// The dealer you offered a car to accepted or declined the offer.
    OfferAnswered { partner_id: String, request_id: String, request: String, partner: String, accepted: bool },
}

/// `/inbox/{bot}:{chat}`, the Inbox with that conversation open.
fn conversation_link(bot_id: i64, chat_id: i64) -> String {
    format!("/inbox/{bot_id}:{chat_id}")
}

/// An id as a query value: only URL-safe characters pass.
fn id(v: &str) -> String {
    v.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')).collect()
}

impl Notice {
    /// The buyer's conversation it is about (bot, chat), if any: erasing a
    /// buyer erases these too (they carry the buyer's name).
    pub fn conversation(&self) -> Option<(i64, i64)> {
        match self {
            Notice::LeadAssigned { bot_id, chat_id, .. } | Notice::NewLead { bot_id, chat_id, .. } => Some((*bot_id, *chat_id)),
            _ => None,
        }
    }

    pub fn kind(&self) -> NoticeKind {
        match self {
            Notice::LeadAssigned { .. } => NoticeKind::LeadAssigned,
            Notice::NewLead { .. } => NoticeKind::NewLead,
            Notice::OfferReceived { .. } => NoticeKind::OfferReceived,
            Notice::CampaignFinished { .. } => NoticeKind::CampaignFinished,
            Notice::PostFailed { .. } => NoticeKind::PostFailed,
            Notice::AccountNeedsLogin { .. } => NoticeKind::AccountNeedsLogin,
            Notice::PartnerInvitation { .. } => NoticeKind::PartnerInvitation,
            Notice::MatchFound { .. } => NoticeKind::MatchFound,
            Notice::OfferAnswered { .. } => NoticeKind::OfferAnswered,
        }
    }

    /// Where the notice leads in the web app: the exact page state (the
    /// conversation open, the campaign chosen), always a path of this app.
    pub fn link(&self) -> String {
        match self {
            Notice::LeadAssigned { bot_id, chat_id, .. } | Notice::NewLead { bot_id, chat_id, .. } => conversation_link(*bot_id, *chat_id),
            Notice::OfferReceived { request_id, .. } | Notice::MatchFound { request_id, .. } => format!("/requests/{}", id(request_id)),
            Notice::OfferAnswered { partner_id, request_id, .. } => format!("/partners/requests/{}/{}", id(partner_id), id(request_id)),
            Notice::CampaignFinished { campaign_id, .. } => format!("/campaigns?campaign={}", id(campaign_id)),
            Notice::PostFailed { post_id, .. } => format!("/calendar/posts/{}", id(post_id)),
            Notice::AccountNeedsLogin { account_id, .. } => format!("/accounts?account={}", id(account_id)),
            Notice::PartnerInvitation { invitation_id, .. } => format!("/partners?invitation={}", id(invitation_id)),
        }
    }

    /// The Telegram copy's text in `lang` (plain text, no markup).
    pub fn telegram_text(&self, lang: Language) -> String {
        use Language::*;
        match (self, lang) {
            (Notice::LeadAssigned { buyer, by, .. }, En) => format!("📋 {by} assigned you the conversation with {buyer}."),
            (Notice::LeadAssigned { buyer, by, .. }, Uk) => format!("📋 {by} передає вам розмову: {buyer}."),
            (Notice::NewLead { buyer, bot, .. }, En) => format!("🆕 New lead: {buyer} wrote to @{bot}. Nobody is assigned yet."),
            (Notice::NewLead { buyer, bot, .. }, Uk) => format!("🆕 Новий лід: {buyer} пише боту @{bot}. Відповідального ще не призначено."),
            (Notice::OfferReceived { request, partner, .. }, En) => format!("💼 {partner} sent an offer for your request: {request}."),
            (Notice::OfferReceived { request, partner, .. }, Uk) => format!("💼 {partner} надсилає пропозицію на ваш запит: {request}."),
            (Notice::CampaignFinished { name, sent, failed, .. }, En) => format!("📣 Campaign “{name}” finished: {sent} sent, {failed} failed."),
            (Notice::CampaignFinished { name, sent, failed, .. }, Uk) => format!("📣 Розсилку «{name}» завершено: надіслано {sent}, не доставлено {failed}."),
            (Notice::PostFailed { channel, .. }, En) => format!("⚠️ A scheduled post to {channel} could not be published."),
            (Notice::PostFailed { channel, .. }, Uk) => format!("⚠️ Не вдалося опублікувати запланований допис у {channel}."),
            (Notice::AccountNeedsLogin { account, .. }, En) => format!("🔑 The Telegram account {account} needs to log in again."),
            (Notice::AccountNeedsLogin { account, .. }, Uk) => format!("🔑 Акаунт Telegram {account} потребує повторного входу."),
            (Notice::PartnerInvitation { partner, .. }, En) => format!("🤝 {partner} invites your company to become partners."),
            (Notice::PartnerInvitation { partner, .. }, Uk) => format!("🤝 {partner} запрошує вашу компанію стати партнерами."),
            (Notice::MatchFound { request, car, partner: None, .. }, En) => format!("🔎 A car in your stock matches your request {request}: {car}."),
            (Notice::MatchFound { request, car, partner: None, .. }, Uk) => format!("🔎 Авто з вашого складу підходить під запит {request}: {car}."),
            (Notice::MatchFound { request, car, partner: Some(p), .. }, En) => format!("🔎 {p} has a car for your request {request}: {car}."),
            (Notice::MatchFound { request, car, partner: Some(p), .. }, Uk) => format!("🔎 {p} має авто під ваш запит {request}: {car}."),
            (Notice::OfferAnswered { request, partner, accepted: true, .. }, En) => format!("✅ {partner} accepted your offer for {request}."),
            (Notice::OfferAnswered { request, partner, accepted: true, .. }, Uk) => format!("✅ {partner} приймає вашу пропозицію на запит {request}."),
            (Notice::OfferAnswered { request, partner, accepted: false, .. }, En) => format!("✖️ {partner} declined your offer for {request}."),
            (Notice::OfferAnswered { request, partner, accepted: false, .. }, Uk) => format!("✖️ {partner} відхиляє вашу пропозицію на запит {request}."),
        }
    }
}

/// The label of the Telegram copy's button that opens the notice in Cartie.
pub fn open_button(lang: Language) -> &'static str {
    match lang {
        Language::En => "Open in Cartie",
        Language::Uk => "Відкрити в Cartie",
    }
}

/// Who hears of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Recipients {
    /// One member, by login e-mail.
    User { email: String },
    /// Every member whose role is at least `role`.
    MembersAtLeast { role: Role },
    /// Whoever the conversation is assigned to when the event is delivered
    /// (nobody when it is unassigned).
    ConversationAssignee { bot_id: i64, chat_id: i64 },
}

/// What a module hands to the notification centre: one event, delivered to
/// its recipients off the request path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The event's own id, stable across retries of whatever raised it: the
    /// same event delivered twice makes one notification per recipient.
    pub id: String,
    pub workspace_id: String,
    /// When it happened (epoch ms); notifications sort by it.
    pub at_ms: i64,
    pub notice: Notice,
    pub recipients: Recipients,
    /// Who caused it, by e-mail: never notified of their own action.
    #[serde(default)]
    pub actor: Option<String>,
}

/// What the bot answers a Cartie user who opened a "Link Telegram" link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkReply {
    /// Linked: notifications for `name` arrive in this chat now.
    Linked { name: String },
    /// The link is unknown, used, expired or meant for another bot.
    Invalid,
    /// This Telegram account already receives another member's notifications.
    TakenByAnother,
}

impl LinkReply {
    pub fn text(&self, lang: Language) -> String {
        match (self, lang) {
            (LinkReply::Linked { name }, Language::En) => {
                format!("✅ Done: Cartie notifications for {name} will arrive in this chat. You can unlink in Cartie → Settings → Notifications.")
            }
            (LinkReply::Linked { name }, Language::Uk) => {
                format!("✅ Готово: сповіщення Cartie для {name} надходитимуть у цей чат. Відключити можна в Cartie → Налаштування → Сповіщення.")
            }
            (LinkReply::Invalid, Language::En) => {
                "This link is invalid, used or expired. Open Cartie → Settings → Notifications and press “Link Telegram” again.".into()
            }
            (LinkReply::Invalid, Language::Uk) => {
                "Це посилання недійсне, використане або застаріле. Відкрийте Cartie → Налаштування → Сповіщення і натисніть «Підключити Telegram» ще раз."
                    .into()
            }
            (LinkReply::TakenByAnother, Language::En) => {
                "This Telegram account already receives another Cartie user's notifications. They can unlink it in their settings.".into()
            }
            (LinkReply::TakenByAnother, Language::Uk) => {
                "Цей акаунт Telegram уже отримує сповіщення іншого користувача Cartie. Він може відключити його у своїх налаштуваннях.".into()
            }
        }
    }
}

/// The `/start` payload of a "Link Telegram" deep link starts with this; a
/// dealer's own deep-link payloads (ad campaigns) never do.
pub const LINK_PAYLOAD_PREFIX: &str = "cartie_";

/// The one-time token of a link payload, if `payload` is one.
pub fn link_token(payload: &str) -> Option<&str> {
    payload.strip_prefix(LINK_PAYLOAD_PREFIX).filter(|t| !t.is_empty() && t.len() <= 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assigned() -> Notice {
        Notice::LeadAssigned { bot_id: 7, chat_id: 42, buyer: "Ann".into(), by: "Bo".into() }
    }

    #[test]
    fn serialized_as_kind_and_params() {
        let v = serde_json::to_value(assigned()).unwrap();
        assert_eq!(v, serde_json::json!({"kind": "lead_assigned", "params": {"bot_id": 7, "chat_id": 42, "buyer": "Ann", "by": "Bo"}}));
        assert_eq!(serde_json::from_value::<Notice>(v).unwrap(), assigned());
        assert!(serde_json::from_value::<Notice>(serde_json::json!({"kind": "free_text", "params": {"text": "hi"}})).is_err());
    }

    #[test]
    fn links_lead_to_the_exact_page() {
        assert_eq!(assigned().link(), "/inbox/7:42");
        let post = Notice::PostFailed { post_id: "01J/../x?y".into(), channel: "@cars".into() };
        assert_eq!(post.link(), "/calendar/posts/01J..xy");
    }

    #[test]
    fn telegram_text_in_each_language() {
        assert_eq!(assigned().telegram_text(Language::En), "📋 Bo assigned you the conversation with Ann.");
        assert_eq!(assigned().telegram_text(Language::Uk), "📋 Bo передає вам розмову: Ann.");
    }

    #[test]
    fn link_payloads() {
        assert_eq!(link_token("cartie_abc"), Some("abc"));
        assert_eq!(link_token("cartie_"), None);
        assert_eq!(link_token("fb-ad-42"), None);
    }
}
