//! Every operation of the API as a typed value. Each function has its own
//! enum (`TeamOp`, `InboxOp`, ...), so a handler's `match` is exhaustive:
//! adding a route without handling it does not compile. A variant carries
//! what the request said, already decoded and checked: its path parameters
//! (typed: a malformed id is a 404 naming it), its query (a struct; a bad
//! value is a 422 naming it) and its JSON body (422 naming the field).
//!
//! The route table (`routes.rs`) names operations by [`OpId`], their
//! fieldless twins; a test checks that every route's `{param}`s are exactly
//! the fields its variant declares, and `check()` refuses to start a
//! process whose table and operations disagree.

use crate::dto::*;
use crate::error::ApiError;
use crate::routes::Function;
use std::str::FromStr;

/// Path parameters as the router found them, before decoding.
pub type RawParams = Vec<(&'static str, String)>;

/// One function's operations.
pub trait Operation: Sized {
    const FUNCTION: Function;
    /// The typed operation for `id`, decoding path, query and body; `None`
    /// when `id` belongs to another function.
    fn build(id: OpId, params: &RawParams, query: &str, body: &[u8]) -> Result<Option<Self>, ApiError>;
}

/// A path parameter decoded into its type. A value that does not parse
/// names something that cannot exist: 404, naming the parameter.
pub fn path_param<T: FromStr>(params: &RawParams, name: &'static str) -> Result<T, ApiError> {
    let raw = params
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| ApiError::internal(format!("the route has no path parameter {name}")))?;
    raw.parse().map_err(|_| ApiError::not_found(format!("no such {}", name.replace('_', " "))).field(name))
}

/// A conversation's id in paths: `{bot_id}:{chat_id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationId {
    pub bot_id: i64,
    pub chat_id: i64,
}

impl FromStr for ConversationId {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (bot_id, chat_id) = cartie_store::inbox::parse_conversation_id(s).ok_or(())?;
        Ok(ConversationId { bot_id, chat_id })
    }
}

impl std::fmt::Display for ConversationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.bot_id, self.chat_id)
    }
}

/// Declares the operations of every function: `Variant { path params }
/// query(QueryType) body(BodyType)`. Generates the per-function enums, the
/// flat [`OpId`] and what the route table, OpenAPI and the checks need.
macro_rules! operations {
    ($(
        $(#[$doc:meta])*
        $Enum:ident for $Func:ident {
            $( $V:ident $({ $($p:ident : $t:ty),* $(,)? })? $(query($Q:ty))? $(body($B:ty))? ),* $(,)?
        }
    )*) => {
        $(
            $(#[$doc])*
            // No Debug: bodies carry passwords and tokens.
            pub enum $Enum {
                $( $V { $($($p: $t,)*)? $(query: $Q,)? $(body: $B,)? } ),*
            }

            impl Operation for $Enum {
                const FUNCTION: Function = Function::$Func;
                #[allow(unused_variables)]
                fn build(id: OpId, params: &RawParams, query: &str, body: &[u8]) -> Result<Option<Self>, ApiError> {
                    Ok(Some(match id {
                        $( OpId::$V => $Enum::$V {
                            $($($p: path_param::<$t>(params, stringify!($p))?,)*)?
                            $(query: crate::http::parse_query::<$Q>(query)?,)?
                            $(body: crate::http::parse_json_bytes::<$B>(body)?,)?
                        }, )*
                        #[allow(unreachable_patterns)]
                        _ => return Ok(None),
                    }))
                }
            }
        )*

        /// Decodes a request for `id` (path, query, body) without running
        /// it: what the fuzz tests drive.
        pub fn decode(id: OpId, params: &RawParams, query: &str, body: &[u8]) -> Result<(), ApiError> {
            match id.function() {
                $( Function::$Func => <$Enum as Operation>::build(id, params, query, body).map(|_| ()), )*
            }
        }

        /// Every operation by name, without its data: what the route table holds.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum OpId { $( $( $V, )* )* }

        impl OpId {
            pub const ALL: &'static [OpId] = &[ $( $( OpId::$V, )* )* ];

            pub fn function(self) -> Function {
                match self { $( $( OpId::$V => Function::$Func, )* )* }
            }

            /// The variant's name, e.g. `RevokeInvite`.
            pub fn name(self) -> &'static str {
                match self { $( $( OpId::$V => stringify!($V), )* )* }
            }

            /// The path parameters the operation decodes.
            pub fn params(self) -> &'static [&'static str] {
                match self { $( $( OpId::$V => &[ $($(stringify!($p)),*)? ], )* )* }
            }

            /// OpenAPI's description of its query parameters.
            pub fn query_params(self) -> Vec<utoipa::openapi::path::Parameter> {
                match self { $( $( OpId::$V => {
                    #[allow(unused_mut, unused_assignments)]
                    let mut out = Vec::new();
                    $( out = <$Q as utoipa::IntoParams>::into_params(|| Some(utoipa::openapi::path::ParameterIn::Query)); )?
                    out
                } )* )* }
            }

            /// The schema name of the JSON body it decodes, if any.
            pub fn body_schema(self) -> Option<String> {
                match self { $( $( OpId::$V => {
                    #[allow(unused_mut, unused_assignments)]
                    let mut out: Option<String> = None;
                    $( out = Some(<$B as utoipa::ToSchema>::name().into_owned()); )?
                    out
                } )* )* }
            }
        }
    };
}

operations! {
    /// `api-system`: health, version, the OpenAPI document.
    SystemOp for ApiSystem {
        Health,
        HealthDeep,
        Version,
        Openapi,
    }

    /// `api-auth`: log in, who am I, invite links.
    AuthOp for ApiAuth {
        Login body(LoginRequest),
        Me,
        UpdateMe body(UpdateMeRequest),
        ChangePassword body(ChangePasswordRequest),
        InvitePreview { token: String },
        AcceptInvite { token: String } body(AcceptInviteRequest),
        RequestPasswordReset body(PasswordResetRequest),
        PasswordResetPreview { token: String },
        UsePasswordReset { token: String } body(NewPasswordRequest),
    }

    /// `api-admin`: the superadmin's workspaces.
    AdminOp for ApiAdmin {
        ListWorkspaces,
        CreateWorkspace body(CreateWorkspaceRequest),
        ResetLoginPassword { email: String },
    }

    /// `api-team`: company profile, team, dashboard.
    TeamOp for ApiTeam {
        Dashboard,
        GetWorkspace,
        UpdateWorkspace body(UpdateWorkspaceRequest),
        Team,
        CreateInvite body(CreateInviteRequest),
        RevokeInvite { invite_id: String },
        ChangeRole { email: String } body(ChangeRoleRequest),
        RemoveMember { email: String },
        ResetMemberPassword { email: String },
    }

    /// `api-telegram`: bots and their menus.
    TelegramOp for ApiTelegram {
        ListBots,
        ConnectBot body(ConnectBotRequest),
        UpdateBot { bot_id: i64 } body(UpdateBotRequest),
        DisconnectBot { bot_id: i64 },
        GetBotMenu { bot_id: i64 },
        SaveBotMenu { bot_id: i64 } body(BotMenu),
        ListTelegramAccounts,
        ConnectTelegramAccount body(ConnectTelegramAccountRequest),
        SubmitTelegramCode { account_id: String } body(TelegramCodeRequest),
        SubmitTelegramPassword { account_id: String } body(TelegramPasswordRequest),
        ResendTelegramCode { account_id: String },
        RemoveTelegramAccount { account_id: String },
        ListTelegramChannels { account_id: String },
        SetTelegramChannelSource { account_id: String, channel_id: i64 } body(TelegramChannelSourceRequest),
    }

    /// `api-inbox`: conversations, messages, replies, requests from chats.
    InboxOp for ApiInbox {
        ListConversations query(ConversationQuery),
        GetConversation { conversation_id: ConversationId },
        AssignConversation { conversation_id: ConversationId } body(AssignRequest),
        ReleaseConversation { conversation_id: ConversationId },
        MarkRead { conversation_id: ConversationId },
        ListMessages { conversation_id: ConversationId } query(PageQuery),
        SendReply { conversation_id: ConversationId } body(SendReplyRequest),
        CreateRequestFromChat { conversation_id: ConversationId } body(CreateCarRequest),
        DraftRequestFromChat { conversation_id: ConversationId },
        DownloadFile { bot_id: i64, file_id: String },
        InboxCounts,
        SetConversationStatus { conversation_id: ConversationId } body(SetStatusRequest),
        AddNote { conversation_id: ConversationId } body(NoteRequest),
        SavePhone { conversation_id: ConversationId } body(SavePhoneRequest),
        ListCannedReplies,
        CreateCannedReply body(NewCannedReplyRequest),
        UpdateCannedReply { shortcut: String } body(CannedReplyRequest),
        DeleteCannedReply { shortcut: String },
    }

    /// `api-inventory`: stock.
    InventoryOp for ApiInventory {
        ListInventory query(InventoryQuery),
        CreateListing body(cartie_domain::inventory::ListingInput),
        GetListing { id: String },
        UpdateListing { id: String } body(cartie_domain::inventory::ListingInput),
        DeleteListing { id: String },
    }

    /// `api-parser`: import from a URL, per-site mappings.
    ParserOp for ApiParser {
        ParserPreview body(ParserPreviewRequest),
        ListMappings,
        SaveMapping body(SaveMappingRequest),
        DeleteMapping { domain: String } query(MappingQuery),
        ParserImport body(cartie_domain::inventory::ListingInput),
        PreviewFeed body(FeedPreviewRequest),
        StartFeedImport body(StartFeedImportRequest),
        GetFeedImport { import_id: String } query(FeedImportQuery),
    }

    /// `api-scenarios`: drafts, versions, analytics, test chat.
    ScenarioOp for ApiScenarios {
        ListScenarios,
        CreateScenario body(CreateScenarioRequest),
        ListScenarioTemplates query(LanguageQuery),
        GetScenario { id: String },
        SaveScenario { id: String } body(SaveScenarioRequest),
        DeleteScenario { id: String },
        PublishScenario { id: String },
        DuplicateScenario { id: String },
        ListScenarioVersions { id: String },
        RollbackScenario { id: String, version: u32 },
        ScenarioAnalytics { id: String } query(AnalyticsQuery),
        TestScenario { id: String } body(TestChatRequest),
    }

    /// `api-miniapp`: the public showcase and its leads.
    MiniappOp for ApiMiniapp {
        Showcase { slug: String } query(ShowcaseQuery),
        ShowcaseCar { slug: String, id: String },
        ShowInterest { slug: String } body(InterestRequest),
    }

    /// `api-files`: the file store (uploads through presigned URLs, links).
    FilesOp for ApiFiles {
        StartUpload body(StartUploadRequest),
        CompleteUpload { file_id: String },
        GetFile { file_id: String },
        DeleteFile { file_id: String },
    }

    /// `api-notifications`: the notification centre and a member's linked Telegram.
    NotificationsOp for ApiNotifications {
        ListNotifications query(PageQuery),
        UnreadNotifications,
        MarkAllNotificationsRead,
        MarkNotificationRead { id: String },
        GetTelegramSettings,
        StartTelegramLink body(StartTelegramLinkRequest),
        UnlinkTelegram,
        SaveNotificationPreferences body(NotificationPreferences),
    }

    /// `api-contacts`: one contact per person: list, search, page, edits, tags.
    ContactsOp for ApiContacts {
        ListContacts query(ContactQuery),
        GetContact { contact_id: i64 },
        UpdateContact { contact_id: i64 } body(UpdateContactRequest),
        EraseContact { contact_id: i64 },
        MergeContact { contact_id: i64 } body(MergeContactRequest),
        TagContacts body(TagContactsRequest),
        TagContactsByFilter body(TagByFilterRequest),
        GetBulkTag { bulk_id: String },
        ListSegments,
        CreateSegment body(NewSegmentRequest),
        GetSegment { segment_id: String },
        UpdateSegment { segment_id: String } body(UpdateSegmentRequest),
        DeleteSegment { segment_id: String },
        CountSegment { segment_id: String },
        ExportContacts body(ContactExportRequest),
        GetContactExport { export_id: String },
        StartContactImport body(StartContactImportRequest),
        GetContactImport { import_id: String } query(FeedImportQuery),
    }

    /// `api-campaigns`: broadcasts: compose, audience, schedule, control, reports.
    CampaignsOp for ApiCampaigns {
        ListCampaigns query(PageQuery),
        CreateCampaign body(CampaignRequest),
        GetCampaign { campaign_id: String },
        UpdateCampaign { campaign_id: String } body(CampaignRequest),
        DeleteCampaign { campaign_id: String },
        SendCampaign { campaign_id: String },
        PauseCampaign { campaign_id: String },
        ResumeCampaign { campaign_id: String },
        CancelCampaign { campaign_id: String },
        TestCampaign { campaign_id: String },
        ListCampaignRecipients { campaign_id: String } query(RecipientQuery),
        CampaignReport { campaign_id: String },
    }

    /// `api-calendar`: channel posts: channels, templates, scheduled posts.
    CalendarOp for ApiCalendar {
        ListChannels,
        ConnectChannel body(ConnectChannelRequest),
        DisconnectChannel { channel_id: i64 },
        SetChannelSlots { channel_id: i64 } body(ChannelSlotsRequest),
        ListPostTemplates,
        CreatePostTemplate body(PostTemplateRequest),
        UpdatePostTemplate { template_id: String } body(PostTemplateRequest),
        DeletePostTemplate { template_id: String },
        ListPosts query(PostQuery),
        CreatePost body(PostRequest),
        GetPost { post_id: String },
        UpdatePost { post_id: String } body(PostRequest),
        DeletePost { post_id: String },
        PublishPostNow { post_id: String },
        EditPostedPost { post_id: String } body(EditPostedRequest),
        PinPost { post_id: String },
        GetCalendarSettings,
        SaveCalendarSettings body(CalendarSettings),
    }

    /// `api-b2b`: the company card, partners, car requests, matches, offers.
    B2bOp for ApiB2b {
        GetCompany,
        SaveCompany body(CompanyProfile),
        ListPartners,
        InvitePartner body(InvitePartnerRequest),
        AcceptPartner { partner_id: String },
        DeclinePartner { partner_id: String },
        RemovePartner { partner_id: String },
        ListRequests,
        CreateRequest body(RequestInput),
        GetRequest { request_id: String },
        UpdateRequest { request_id: String } body(RequestInput),
        SetRequestStatus { request_id: String } body(RequestStatusRequest),
        AcceptOffer { request_id: String, offer_id: String },
        DeclineOffer { request_id: String, offer_id: String },
        CommentOffer { request_id: String, offer_id: String } body(CommentRequest),
        ListPartnerRequests,
        GetPartnerRequest { partner_id: String, request_id: String },
        SendOffer { partner_id: String, request_id: String } body(NewOfferRequest),
        CommentPartnerOffer { partner_id: String, request_id: String, offer_id: String } body(CommentRequest),
    }

    /// `tg-webhook`: Telegram's deliveries (the body(is) read as raw bytes).
    WebhookOp for TgWebhook {
        TelegramWebhook { bot_id: i64 },
    }
}
