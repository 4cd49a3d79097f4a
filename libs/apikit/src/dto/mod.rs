//! The JSON shapes of the API. `/api/openapi.json` is generated from these
//! (and the route table), and the web app's types from that document, so
//! the contract cannot drift between Rust and TypeScript.

use cartie_domain::{Language, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod b2b;
mod calendar;
mod campaigns;
mod contacts;
mod files;
mod imports;
mod notifications;
mod query;
mod tg_accounts;
mod triage;
pub use b2b::*;
pub use calendar::*;
pub use campaigns::*;
pub use contacts::*;
pub use files::*;
pub use imports::*;
pub use notifications::*;
pub use query::*;
pub use tg_accounts::*;
pub use triage::*;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: `validation`, `unauthenticated`, `invalid_token`,
    /// `forbidden`, `not_found`, `conflict`, `too_many_attempts`, ...
    pub code: String,
    pub message: String,
    /// The request field at fault, when there is one.
    pub field: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DeepHealth {
    /// `ok` or `failing`.
    pub status: String,
    pub checks: Vec<HealthCheck>,
    /// When the scheduler and the jobs worker last ran (information only).
    pub heartbeats: Vec<HeartbeatView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct HealthCheck {
    /// `dynamodb`, `sqs` or `migrations`.
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct HeartbeatView {
    pub name: String,
    pub at: String,
    pub age_secs: i64,
    pub detail: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Version {
    pub git_sha: String,
    pub build_time: String,
    pub schema_version: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Session {
    pub token: String,
    pub expires_at: String,
    pub me: Me,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub workspace: Option<WorkspaceView>,
    /// The UI language this person chose; null = not chosen (the browser's).
    pub language: Option<Language>,
    /// The workspace's IANA time zone, for dates and schedules.
    pub time_zone: Option<String>,
}

/// What a person may change about themselves.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct UpdateMeRequest {
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// "Forgot password?": whose account wants a reset link on its linked Telegram.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// A new password set through a reset link.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewPasswordRequest {
    pub password: String,
}

/// A reset link just issued: shown once, works once, for 24 hours.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PasswordResetView {
    pub email: String,
    /// `/reset/{token}`.
    pub link_path: String,
    pub expires_at: String,
}

impl PasswordResetView {
    /// `token` as issued (it is not stored and cannot be shown again).
    pub fn new(token: &str, reset: &cartie_store::accounts::PasswordReset) -> PasswordResetView {
        PasswordResetView { email: reset.email.clone(), link_path: format!("/reset/{token}"), expires_at: cartie_store::util::rfc3339(reset.expires_at * 1000) }
    }
}

/// Whose password a reset link sets.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PasswordResetPreview {
    pub email: String,
    pub expires_at: String,
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct WorkspaceView {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub created_at: String,
    /// IANA zone of the workspace's dates and schedules (e.g. Europe/Kyiv).
    pub time_zone: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct WorkspaceList {
    pub workspaces: Vec<WorkspaceView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CreateWorkspaceRequest {
    pub name: String,
    pub slug: String,
    pub owner_email: String,
    /// IANA zone (the creator's browser's by default).
    #[serde(default)]
    pub time_zone: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CreatedWorkspace {
    pub workspace: WorkspaceView,
    pub owner_invite: InviteView,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct UpdateWorkspaceRequest {
    #[serde(default)]
    pub name: Option<String>,
    /// IANA zone, e.g. Europe/Kyiv.
    #[serde(default)]
    pub time_zone: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InviteView {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub invited_by: String,
    pub created_at: String,
    pub expires_at: String,
    /// `/invite/{token}`: only in the answer that created the invite; the
    /// token is not stored and cannot be shown again.
    pub link_path: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InvitePreview {
    pub workspace_name: String,
    pub email: String,
    pub role: Role,
    pub expires_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AcceptInviteRequest {
    pub name: String,
    pub password: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub joined_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Team {
    pub members: Vec<MemberView>,
    pub invites: Vec<InviteView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CreateInviteRequest {
    pub email: String,
    pub role: Role,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ChangeRoleRequest {
    pub role: Role,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Dashboard {
    pub workspace: WorkspaceView,
    pub kpis: Vec<Kpi>,
    /// Stock value on sale, by currency (whole units).
    pub stock_value: Vec<MoneyTotal>,
    /// The last 30 UTC days, oldest first.
    pub days: Vec<DayStats>,
    /// The newest campaigns' delivery (at most 10).
    pub campaigns: Vec<CampaignDelivery>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MoneyTotal {
    pub currency: String,
    pub amount: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct BotLeads {
    pub bot_id: i64,
    pub leads: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DayStats {
    /// `yyyy-mm-dd` (UTC).
    pub day: String,
    pub leads: i64,
    pub leads_by_bot: Vec<BotLeads>,
    pub messages_in: i64,
    pub messages_out: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CampaignDelivery {
    pub id: String,
    pub name: String,
    pub status: String,
    pub sent: u64,
    /// Not delivered: failed, blocked or unknown.
    pub failed: u64,
    pub total: u64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Kpi {
    pub key: String,
    pub label: String,
    pub value: i64,
    /// Where the card leads in the web app, with the tab to open.
    pub link: String,
}

impl From<&cartie_store::team::Workspace> for WorkspaceView {
    fn from(w: &cartie_store::team::Workspace) -> WorkspaceView {
        WorkspaceView {
            id: w.id.clone(),
            name: w.name.clone(),
            slug: w.slug.clone(),
            created_at: cartie_store::util::rfc3339(w.created_at_ms),
            time_zone: w.time_zone.clone(),
        }
    }
}

impl InviteView {
    /// `token` only when the invite was just created (it is not stored).
    pub fn new(i: &cartie_store::team::Invite, token: Option<&str>) -> InviteView {
        use cartie_store::util::rfc3339;
        InviteView {
            id: i.invite_id.clone(),
            email: i.email.clone(),
            role: i.role,
            invited_by: i.invited_by.clone(),
            created_at: rfc3339(i.created_at_ms),
            expires_at: rfc3339(i.expires_at * 1000),
            link_path: token.map(|t| format!("/invite/{t}")),
        }
    }
}

impl From<&cartie_store::team::Member> for MemberView {
    fn from(m: &cartie_store::team::Member) -> MemberView {
        MemberView { email: m.email.clone(), name: m.name.clone(), role: m.role, joined_at: cartie_store::util::rfc3339(m.joined_at_ms) }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct BotView {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub webhook_url: String,
    pub auto_reply: Option<String>,
    /// The auto-reply for buyers whose Telegram is in Ukrainian.
    pub auto_reply_uk: Option<String>,
    pub connected_by: String,
    pub connected_at: String,
}

impl From<&cartie_store::inbox::BotRecord> for BotView {
    fn from(b: &cartie_store::inbox::BotRecord) -> BotView {
        BotView {
            id: b.bot_id,
            username: b.username.clone(),
            first_name: b.first_name.clone(),
            webhook_url: b.webhook_url.clone(),
            auto_reply: b.auto_reply.clone(),
            auto_reply_uk: b.auto_reply_uk.clone(),
            connected_by: b.connected_by.clone(),
            connected_at: cartie_store::util::rfc3339(b.connected_at_ms),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct BotList {
    pub bots: Vec<BotView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConnectBotRequest {
    /// The token from @BotFather, like `123456:ABC-DEF...`.
    pub token: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct UpdateBotRequest {
    /// Sent when a buyer starts the bot or writes for the first time; null turns it off.
    pub auto_reply: Option<String>,
    /// The same for buyers whose Telegram is in Ukrainian (else they get
    /// `auto_reply`); null turns it off, absent leaves it as it is.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    pub auto_reply_uk: Option<Option<String>>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConversationView {
    /// `{bot_id}:{chat_id}`
    pub id: String,
    pub bot_id: i64,
    pub bot_username: Option<String>,
    /// Whether the conversation goes through a bot or one of the dealer's
    /// own Telegram accounts (then `bot_id` is the account's user id and
    /// `bot_username` its name).
    pub via: ConversationVia,
    pub chat_id: i64,
    pub contact: cartie_domain::inbox::Person,
    pub last_message_at: String,
    pub preview: String,
    pub last_direction: cartie_domain::inbox::Direction,
    pub unread: u32,
    pub assignee: Option<String>,
    /// The buyer blocked the bot: replies will not be delivered.
    pub blocked: bool,
    /// A scenario handed the buyer to a person; the bot is quiet until then
    /// (`null` = not handed off). Far-future = until released.
    pub handoff_until: Option<String>,
    pub status: cartie_domain::inbox::ConversationStatus,
    /// When a snoozed conversation opens again (RFC 3339).
    pub snoozed_until: Option<String>,
    /// The buyer's saved phone (only on the one-conversation answer).
    pub phone: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ConversationVia {
    Bot,
    Account,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConversationPage {
    pub items: Vec<ConversationView>,
    /// Pass as `?cursor=` for the next (older) page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MessageView {
    /// Stable key of the message in its conversation.
    pub key: String,
    pub at: String,
    #[serde(flatten)]
    pub message: cartie_domain::inbox::Message,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MessagePage {
    /// Newest first.
    pub items: Vec<MessageView>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SendReplyRequest {
    pub kind: cartie_domain::inbox::MessageKind,
    pub text: Option<String>,
    pub caption: Option<String>,
    /// Re-send a file Telegram already has (a sticker, a GIF, a photo from the chat).
    pub file_id: Option<String>,
    /// Send a file uploaded to Cartie's file store (`POST /api/files`,
    /// purpose `inbox_attachment`): up to Telegram's 50 MB.
    pub upload_id: Option<String>,
    pub reply_to: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AssignRequest {
    /// A member's e-mail, or null to unassign.
    pub assignee: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CreateCarRequest {
    pub make: String,
    pub model: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub budget: Option<i64>,
    /// ISO 4217, default EUR.
    pub currency: Option<String>,
    /// low, normal, high or urgent.
    pub priority: Option<String>,
}

/// "Create request" filled in from the buyer's recent messages, for the
/// manager to check: any part may be missing.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RequestDraftView {
    pub make: Option<String>,
    pub model: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub budget: Option<i64>,
    /// ISO 4217, when the buyer marked the budget's currency.
    pub currency: Option<String>,
    /// The buyer's message the car was read from.
    pub quote: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ListingView {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    /// Things worth a second look that did not stop saving (e.g. a VIN check digit).
    pub warnings: Vec<cartie_domain::inventory::Warning>,
    /// How to show each of `photos`, in the same order; null for an
    /// uploaded photo that is no longer in the file store.
    pub photo_links: Vec<Option<PhotoLink>>,
    #[serde(flatten)]
    pub car: cartie_domain::inventory::ListingInput,
}

impl ListingView {
    pub fn new(l: &cartie_store::inventory::Listing, warnings: Vec<cartie_domain::inventory::Warning>, photo_links: Vec<Option<PhotoLink>>) -> ListingView {
        ListingView {
            id: l.id.clone(),
            created_at: cartie_store::util::rfc3339(l.created_at_ms),
            updated_at: cartie_store::util::rfc3339(l.updated_at_ms),
            warnings,
            photo_links,
            car: l.car.clone(),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ListingPage {
    pub items: Vec<ListingView>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ParserPreviewRequest {
    pub url: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DetectedView {
    /// make, model, year, price, currency, mileage, mileage_unit, vin, fuel, transmission, body, color, description, title
    pub field: String,
    pub value: String,
    /// json-ld, microdata, meta, text or mapping
    pub source: String,
    pub confidence: f32,
}

/// The draft listing: what the page says, after the saved mapping.
#[derive(Serialize, Deserialize, ToSchema, Default)]
pub struct DraftView {
    pub make: Option<String>,
    pub model: Option<String>,
    pub year: Option<i32>,
    pub price: Option<i64>,
    pub currency: Option<String>,
    pub mileage: Option<i64>,
    pub mileage_unit: Option<cartie_domain::inventory::MileageUnit>,
    pub vin: Option<String>,
    pub fuel: Option<cartie_domain::inventory::Fuel>,
    pub transmission: Option<cartie_domain::inventory::Transmission>,
    pub body: Option<String>,
    pub color: Option<String>,
    pub description: Option<String>,
    pub photos: Vec<String>,
    pub source_url: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ParserPreview {
    /// The page's address after redirects.
    pub url: String,
    pub domain: String,
    /// A saved mapping for this domain was applied.
    pub mapping_applied: bool,
    pub detected: Vec<DetectedView>,
    pub draft: DraftView,
    pub warnings: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct MappingRule {
    pub field: String,
    /// Take the detected value of this field.
    pub from: Option<String>,
    /// Or the text of the first element matching this CSS selector.
    pub selector: Option<String>,
    /// Or this constant.
    pub fixed: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SaveMappingRequest {
    /// Any page of the site; the mapping is kept for its domain.
    pub url: String,
    /// Only for pages whose path starts with this (e.g. `/auto/`); null =
    /// the whole site. The most specific mapping that fits a page wins.
    #[serde(default)]
    pub path_prefix: Option<String>,
    pub rules: Vec<MappingRule>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MappingView {
    pub domain: String,
    /// Pages under this path only; null = the whole site.
    pub path_prefix: Option<String>,
    pub rules: Vec<MappingRule>,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MappingList {
    pub mappings: Vec<MappingView>,
}

// ---- Bot menu -------------------------------------------------------------

pub use cartie_domain::botmenu::{BotCommandView, BotMenu, MenuButtonKind, MenuButtonView};

#[derive(Serialize, Deserialize, ToSchema)]
pub struct BotMenuView {
    pub bot_id: i64,
    #[serde(flatten)]
    pub menu: BotMenu,
    /// When Telegram last accepted it; null = never applied.
    pub applied_at: Option<String>,
    /// The Mini App address a `web_app` menu button opens.
    pub miniapp_url: Option<String>,
}

// ---- Mini App ---------------------------------------------------------------

/// A car as the public showcase shows it (no internal fields).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ShowcaseCar {
    pub id: String,
    pub make: String,
    pub model: String,
    pub year: i32,
    pub price: i64,
    pub currency: String,
    pub mileage: i64,
    pub mileage_unit: cartie_domain::inventory::MileageUnit,
    pub fuel: Option<cartie_domain::inventory::Fuel>,
    pub transmission: Option<cartie_domain::inventory::Transmission>,
    pub body: Option<String>,
    pub color: Option<String>,
    pub description: Option<String>,
    /// Addresses to show the photos large; uploaded photos as short-lived
    /// links to their resized copies (never the original: it may carry
    /// the camera's GPS position).
    pub photos: Vec<String>,
    /// The same photos small (for lists), in the same order.
    pub thumbs: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Showcase {
    pub company: String,
    pub slug: String,
    /// Makes in stock, for the filter.
    pub makes: Vec<String>,
    pub items: Vec<ShowcaseCar>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InterestRequest {
    /// `Telegram.WebApp.initData`, exactly as the Mini App received it.
    pub init_data: String,
    pub listing_id: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InterestView {
    /// A manager will see it in the Inbox; false when this buyer already asked about this car today.
    pub created: bool,
    pub message: String,
}

// ---- Scenarios --------------------------------------------------------------

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct ProblemView {
    /// The node at fault; null for the scenario as a whole.
    pub node: Option<String>,
    pub field: String,
    pub message: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScenarioSummary {
    pub id: String,
    pub name: String,
    /// Bots it runs on; empty = every bot of the workspace.
    pub bot_ids: Vec<i64>,
    pub published_version: Option<u32>,
    /// The draft differs from the published version.
    pub has_unpublished_changes: bool,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScenarioList {
    pub scenarios: Vec<ScenarioSummary>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScenarioView {
    pub id: String,
    pub name: String,
    pub bot_ids: Vec<i64>,
    pub draft: cartie_domain::scenario::Scenario,
    /// Increases with every save; send it back to detect a concurrent edit.
    pub revision: u64,
    pub published_version: Option<u32>,
    pub has_unpublished_changes: bool,
    /// What stops the draft from being published (empty = ready).
    pub problems: Vec<ProblemView>,
    pub updated_at: String,
    pub updated_by: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CreateScenarioRequest {
    pub name: String,
    /// Start from a template: `lead_generation`, `catalog_search` or `support`; null = empty.
    pub template: Option<String>,
    #[serde(default)]
    pub bot_ids: Vec<i64>,
    /// The language the template's messages to buyers are in (English by default).
    #[serde(default)]
    pub language: Option<Language>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SaveScenarioRequest {
    pub name: String,
    #[serde(default)]
    pub bot_ids: Vec<i64>,
    pub draft: cartie_domain::scenario::Scenario,
    /// The revision this edit started from; a newer one stored answers 409.
    pub revision: Option<u64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TemplateView {
    pub key: String,
    pub name: String,
    pub description: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TemplateList {
    pub templates: Vec<TemplateView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScenarioVersionView {
    pub version: u32,
    pub published_at: String,
    pub published_by: String,
    pub nodes: u32,
    /// The version new conversations start on.
    pub current: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScenarioVersionList {
    pub versions: Vec<ScenarioVersionView>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NodeStats {
    pub node: String,
    pub entered: u64,
    pub completed: u64,
    /// Entered but never completed: buyers who stopped here (or still wait here).
    pub dropped: u64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SplitStats {
    pub node: String,
    pub branch: u32,
    pub picked: u64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScenarioAnalytics {
    pub version: Option<u32>,
    pub nodes: Vec<NodeStats>,
    pub splits: Vec<SplitStats>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TestInputKind {
    /// `/start` (with `text` as the deep-link payload).
    Start,
    Text,
    /// A press on an inline button (`text` = its callback data).
    Callback,
    /// Shares a phone number (`text`).
    Phone,
    /// Shares a location (`text` = `lat,lon`).
    Location,
    /// Skip the running delay.
    Timer,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TestChatRequest {
    /// The session from the previous answer; null starts fresh.
    #[schema(value_type = Option<Object>)]
    pub session: Option<serde_json::Value>,
    pub kind: TestInputKind,
    #[serde(default)]
    pub text: String,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct TestButton {
    pub label: String,
    /// `callback`, `url`, `text`, `request_contact` or `request_location`.
    pub kind: String,
    /// Callback data, URL, or the text a press sends.
    pub value: String,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct TestReply {
    pub text: String,
    /// Media kind when the message carries a file (`photo`, ...).
    pub media: Option<String>,
    /// A car card: its photo URL.
    pub photo_url: Option<String>,
    pub buttons: Vec<TestButton>,
    /// `inline`, `reply`, `remove` or `none`.
    pub keyboard: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TestChatResponse {
    #[schema(value_type = Option<Object>)]
    pub session: Option<serde_json::Value>,
    pub replies: Vec<TestReply>,
    /// What the live bot would also do: `request created: BMW X5`, `handed off`, `waits 60 s`, ...
    pub events: Vec<String>,
    /// The node waiting for the buyer; null once the scenario ended.
    pub waiting_at: Option<String>,
}
