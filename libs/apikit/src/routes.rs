//! The route table: the one source of truth for which function serves a
//! route, who may call it, and what it takes and returns. The local runtime
//! routes by it, [`crate::authorize`] enforces it, `template.yaml` is
//! checked against it by a test, and `/api/openapi.json` is generated from it.

pub use crate::ops::OpId;
use cartie_domain::Role;
use http::Method;

/// The HTTP Lambdas. Each is a crate `functions/<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    ApiSystem,
    ApiAuth,
    ApiAdmin,
    ApiTeam,
    ApiTelegram,
    ApiInbox,
    ApiInventory,
    ApiParser,
    ApiScenarios,
    ApiMiniapp,
    ApiFiles,
    ApiNotifications,
    ApiContacts,
    ApiCampaigns,
    ApiCalendar,
    ApiB2b,
    TgWebhook,
}

impl Function {
    pub const ALL: [Function; 17] = [
        Function::ApiSystem,
        Function::ApiAuth,
        Function::ApiAdmin,
        Function::ApiTeam,
        Function::ApiTelegram,
        Function::ApiInbox,
        Function::ApiInventory,
        Function::ApiParser,
        Function::ApiScenarios,
        Function::ApiMiniapp,
        Function::ApiFiles,
        Function::ApiNotifications,
        Function::ApiContacts,
        Function::ApiCampaigns,
        Function::ApiCalendar,
        Function::ApiB2b,
        Function::TgWebhook,
    ];

    /// Crate name, and in `template.yaml` the logical id in PascalCase + `Function`.
    pub fn name(self) -> &'static str {
        match self {
            Function::ApiSystem => "api-system",
            Function::ApiAuth => "api-auth",
            Function::ApiAdmin => "api-admin",
            Function::ApiTeam => "api-team",
            Function::ApiTelegram => "api-telegram",
            Function::ApiInbox => "api-inbox",
            Function::ApiInventory => "api-inventory",
            Function::ApiParser => "api-parser",
            Function::ApiScenarios => "api-scenarios",
            Function::ApiMiniapp => "api-miniapp",
            Function::ApiFiles => "api-files",
            Function::ApiNotifications => "api-notifications",
            Function::ApiContacts => "api-contacts",
            Function::ApiCampaigns => "api-campaigns",
            Function::ApiCalendar => "api-calendar",
            Function::ApiB2b => "api-b2b",
            Function::TgWebhook => "tg-webhook",
        }
    }

    pub fn logical_id(self) -> String {
        let mut out = String::new();
        for part in self.name().split('-') {
            let mut c = part.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        }
        out + "Function"
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, no token.
    Public,
    /// Any valid token (a workspace member or the superadmin).
    Authenticated,
    /// The platform's superadmin only.
    Superadmin,
    /// A member of a workspace with at least this role; the workspace is the
    /// token's, never one named in the request.
    Workspace(Role),
}

#[derive(Debug)]
pub struct Route {
    pub method: Method,
    /// `{name}` marks a path parameter (API Gateway's syntax).
    pub path: &'static str,
    /// What the route does; also which function serves it.
    pub op: OpId,
    pub access: Access,
    pub summary: &'static str,
    /// Schema names (see `dto`) of the JSON body and the success answer.
    pub request: Option<&'static str>,
    pub response: Option<&'static str>,
    /// Answers 201 Created (rather than 200/204) on success.
    pub created: bool,
    /// Answers with a file's bytes rather than JSON.
    pub download: bool,
}

impl Route {
    pub fn function(&self) -> Function {
        self.op.function()
    }

    /// OpenAPI's operationId: the operation's name in lowerCamelCase.
    pub fn operation_id(&self) -> String {
        let name = self.op.name();
        let mut c = name.chars();
        c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
    }

    /// The `{param}` names of the path, in order.
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }
}

macro_rules! route {
    ($m:ident $path:literal => $op:ident, $access:expr, $summary:literal, $req:expr, $resp:expr) => {
        Route {
            method: Method::$m,
            path: $path,
            op: OpId::$op,
            access: $access,
            summary: $summary,
            request: $req,
            response: $resp,
            created: false,
            download: false,
        }
    };
}

/// A route whose success is 201 Created.
macro_rules! created {
    ($($t:tt)*) => {
        Route { created: true, ..route!($($t)*) }
    };
}

/// A route that answers with a file.
macro_rules! download {
    ($($t:tt)*) => {
        Route { download: true, ..route!($($t)*) }
    };
}

use Access::*;

pub static ROUTES: &[Route] = &[
    route!(GET "/api/health" => Health, Public, "The process is up", None, Some("Health")),
    route!(GET "/api/health/deep" => HealthDeep, Public, "DynamoDB, SQS and the migration ledger are as the code expects", None, Some("DeepHealth")),
    route!(GET "/api/version" => Version, Public, "What is deployed", None, Some("Version")),
    route!(GET "/api/openapi.json" => Openapi, Public, "This API's OpenAPI document", None, None),
    route!(POST "/api/auth/login" => Login, Public, "Log in with e-mail and password", Some("LoginRequest"), Some("Session")),
    route!(GET "/api/auth/me" => Me, Authenticated, "Who the token belongs to, with their language and the workspace's time zone", None, Some("Me")),
    route!(PATCH "/api/auth/me" => UpdateMe, Authenticated, "Change my language or display name", Some("UpdateMeRequest"), Some("Me")),
    route!(POST "/api/auth/password" => ChangePassword, Authenticated, "Change my password (every other session ends); answers a fresh session", Some("ChangePasswordRequest"), Some("Session")),
    route!(GET "/api/invites/{token}" => InvitePreview, Public, "What an invite link is for", None, Some("InvitePreview")),
    created!(POST "/api/invites/{token}/accept" => AcceptInvite, Public, "Join a workspace: set name and password", Some("AcceptInviteRequest"), Some("Session")),
    route!(POST "/api/password-resets" => RequestPasswordReset, Public, "Forgot password: a reset link goes to the account's linked Telegram, if it has one (the answer is the same either way)", Some("PasswordResetRequest"), None),
    route!(GET "/api/password-resets/{token}" => PasswordResetPreview, Public, "Whose password a reset link sets", None, Some("PasswordResetPreview")),
    route!(POST "/api/password-resets/{token}" => UsePasswordReset, Public, "Set a new password with a one-time reset link (every session ends); answers a fresh session", Some("NewPasswordRequest"), Some("Session")),
    route!(GET "/api/admin/workspaces" => ListWorkspaces, Superadmin, "All workspaces", None, Some("WorkspaceList")),
    created!(POST "/api/admin/logins/{email}/password-reset" => ResetLoginPassword, Superadmin, "A one-time link that sets a new password for anyone's account", None, Some("PasswordResetView")),
    created!(POST "/api/admin/workspaces" => CreateWorkspace, Superadmin, "Create a workspace and invite its owner", Some("CreateWorkspaceRequest"), Some("CreatedWorkspace")),
    route!(GET "/api/dashboard" => Dashboard, Workspace(Role::Viewer), "The workspace's key figures", None, Some("Dashboard")),
    route!(GET "/api/workspace" => GetWorkspace, Workspace(Role::Viewer), "The company profile", None, Some("WorkspaceView")),
    route!(PATCH "/api/workspace" => UpdateWorkspace, Workspace(Role::Owner), "Rename the company or change its time zone", Some("UpdateWorkspaceRequest"), Some("WorkspaceView")),
    route!(GET "/api/team" => Team, Workspace(Role::Viewer), "Members and pending invites", None, Some("Team")),
    created!(POST "/api/team/invites" => CreateInvite, Workspace(Role::Admin), "Invite someone with a role", Some("CreateInviteRequest"), Some("InviteView")),
    route!(DELETE "/api/team/invites/{invite_id}" => RevokeInvite, Workspace(Role::Admin), "Revoke a pending invite", None, None),
    route!(PATCH "/api/team/members/{email}" => ChangeRole, Workspace(Role::Admin), "Change a member's role", Some("ChangeRoleRequest"), Some("MemberView")),
    route!(DELETE "/api/team/members/{email}" => RemoveMember, Workspace(Role::Admin), "Remove a member", None, None),
    created!(POST "/api/team/members/{email}/password-reset" => ResetMemberPassword, Workspace(Role::Admin), "A one-time link that sets a new password for a member who forgot theirs", None, Some("PasswordResetView")),
    route!(GET "/api/bots" => ListBots, Workspace(Role::Viewer), "Connected Telegram bots", None, Some("BotList")),
    created!(POST "/api/bots" => ConnectBot, Workspace(Role::Admin), "Connect a bot by its token; the webhook is set automatically", Some("ConnectBotRequest"), Some("BotView")),
    route!(PATCH "/api/bots/{bot_id}" => UpdateBot, Workspace(Role::Admin), "Change a bot's auto-reply", Some("UpdateBotRequest"), Some("BotView")),
    route!(DELETE "/api/bots/{bot_id}" => DisconnectBot, Workspace(Role::Admin), "Disconnect a bot and remove its webhook", None, None),
    route!(GET "/api/bots/{bot_id}/menu" => GetBotMenu, Workspace(Role::Viewer), "A bot's commands, menu button and reply keyboard", None, Some("BotMenuView")),
    route!(PUT "/api/bots/{bot_id}/menu" => SaveBotMenu, Workspace(Role::Admin), "Save a bot's menu and apply it in Telegram (setMyCommands, setChatMenuButton)", Some("BotMenu"), Some("BotMenuView")),
    route!(GET "/api/telegram-accounts" => ListTelegramAccounts, Workspace(Role::Viewer), "The dealer's own Telegram accounts and where each stands (online, reconnecting, needs login, flood wait)", None, Some("TelegramAccountList")),
    created!(POST "/api/telegram-accounts" => ConnectTelegramAccount, Workspace(Role::Admin), "Start a login (or a new one for a known number): Telegram sends a code to the account's Telegram app", Some("ConnectTelegramAccountRequest"), Some("TelegramAccountView")),
    route!(POST "/api/telegram-accounts/{account_id}/code" => SubmitTelegramCode, Workspace(Role::Admin), "The login code; answers the account online, or awaiting its two-step password", Some("TelegramCodeRequest"), Some("TelegramAccountView")),
    route!(POST "/api/telegram-accounts/{account_id}/password" => SubmitTelegramPassword, Workspace(Role::Admin), "The two-step verification password (never stored)", Some("TelegramPasswordRequest"), Some("TelegramAccountView")),
    route!(POST "/api/telegram-accounts/{account_id}/resend" => ResendTelegramCode, Workspace(Role::Admin), "Ask Telegram for a new login code", None, Some("TelegramAccountView")),
    route!(DELETE "/api/telegram-accounts/{account_id}" => RemoveTelegramAccount, Workspace(Role::Admin), "Log the account out and forget it (its conversations stay)", None, None),
    route!(GET "/api/telegram-accounts/{account_id}/channels" => ListTelegramChannels, Workspace(Role::Viewer), "Channels and groups the account follows", None, Some("TelegramChannelList")),
    route!(PUT "/api/telegram-accounts/{account_id}/channels/{channel_id}" => SetTelegramChannelSource, Workspace(Role::Admin), "Use a channel's new posts as a stock source (each becomes a draft car)", Some("TelegramChannelSourceRequest"), Some("TelegramChannelView")),
    route!(GET "/api/channels" => ListChannels, Workspace(Role::Viewer), "Channels and groups the workspace's bots post to, with what each bot may do there", None, Some("ChannelList")),
    created!(POST "/api/channels" => ConnectChannel, Workspace(Role::Admin), "Connect a channel or group (by @username or id) to a bot: checked with getChat and getChatMember; missing rights are named", Some("ConnectChannelRequest"), Some("ChannelView")),
    route!(DELETE "/api/channels/{channel_id}" => DisconnectChannel, Workspace(Role::Admin), "Stop posting to a channel (its posts stay in the calendar)", None, None),
    route!(PUT "/api/channels/{channel_id}/slots" => SetChannelSlots, Workspace(Role::Manager), "Set a channel's weekly posting slots (days and HH:MM in a time zone) that queued posts ('next free slot') fill; answers the channel with its next free slot times", Some("ChannelSlotsRequest"), Some("ChannelView")),
    route!(GET "/api/post-templates" => ListPostTemplates, Workspace(Role::Viewer), "Post templates (one server-side store)", None, Some("PostTemplateList")),
    created!(POST "/api/post-templates" => CreatePostTemplate, Workspace(Role::Manager), "Add a post template; {make} {model} {year} {price} {mileage} {link} {company} are filled from a car", Some("PostTemplateRequest"), Some("PostTemplateView")),
    route!(PUT "/api/post-templates/{template_id}" => UpdatePostTemplate, Workspace(Role::Manager), "Change a post template", Some("PostTemplateRequest"), Some("PostTemplateView")),
    route!(DELETE "/api/post-templates/{template_id}" => DeletePostTemplate, Workspace(Role::Manager), "Delete a post template", None, None),
    route!(GET "/api/posts" => ListPosts, Workspace(Role::Viewer), "The calendar: posts due or posted between ?from= and ?to= (RFC 3339), by ?channel_id= and ?status= (draft lists drafts)", None, Some("PostList")),
    created!(POST "/api/posts" => CreatePost, Workspace(Role::Manager), "A post to a channel: content or a template filled from a car; scheduled at send_at in time_zone (the workspace's by default), or a draft", Some("PostRequest"), Some("PostView")),
    route!(GET "/api/posts/{post_id}" => GetPost, Workspace(Role::Viewer), "One post", None, Some("PostView")),
    route!(PUT "/api/posts/{post_id}" => UpdatePost, Workspace(Role::Manager), "Change or reschedule a draft or scheduled post (conflicts are warned about, never overwritten)", Some("PostRequest"), Some("PostView")),
    route!(DELETE "/api/posts/{post_id}" => DeletePost, Workspace(Role::Manager), "Delete a post: from the calendar, and from the channel if it went out (within Telegram's 48 hours)", None, None),
    route!(POST "/api/posts/{post_id}/publish" => PublishPostNow, Workspace(Role::Manager), "Publish a draft or scheduled post now", None, Some("PostView")),
    route!(POST "/api/posts/{post_id}/edit" => EditPostedPost, Workspace(Role::Manager), "Change the text (or caption) of a post that went out", Some("EditPostedRequest"), Some("PostView")),
    route!(POST "/api/posts/{post_id}/pin" => PinPost, Workspace(Role::Manager), "Pin a post that went out in its channel", None, Some("PostView")),
    route!(GET "/api/calendar/settings" => GetCalendarSettings, Workspace(Role::Viewer), "What happens to a sold car's posts, the sold label, the conflict window", None, Some("CalendarSettings")),
    route!(PUT "/api/calendar/settings" => SaveCalendarSettings, Workspace(Role::Admin), "Change the calendar settings", Some("CalendarSettings"), Some("CalendarSettings")),
    route!(GET "/api/inbox/conversations" => ListConversations, Workspace(Role::Viewer), "Conversations across all bots or one (?bot_id=), newest first, paginated (?cursor=); ?q= searches buyers' names, usernames, phones and message words", None, Some("ConversationPage")),
    route!(GET "/api/inbox/conversations/{conversation_id}" => GetConversation, Workspace(Role::Viewer), "One conversation", None, Some("ConversationView")),
    route!(PATCH "/api/inbox/conversations/{conversation_id}" => AssignConversation, Workspace(Role::Manager), "Assign to a manager (or nobody)", Some("AssignRequest"), Some("ConversationView")),
    route!(POST "/api/inbox/conversations/{conversation_id}/release" => ReleaseConversation, Workspace(Role::Manager), "Hand a conversation back to the bot after a hand-off", None, Some("ConversationView")),
    route!(POST "/api/inbox/conversations/{conversation_id}/read" => MarkRead, Workspace(Role::Viewer), "Mark as read", None, None),
    route!(GET "/api/inbox/conversations/{conversation_id}/messages" => ListMessages, Workspace(Role::Viewer), "Message history, newest first, paginated", None, Some("MessagePage")),
    created!(POST "/api/inbox/conversations/{conversation_id}/messages" => SendReply, Workspace(Role::Manager), "Reply: text, a file from the file store (upload_id, up to 50 MB) or a file Telegram already has (file_id)", Some("SendReplyRequest"), Some("MessageView")),
    created!(POST "/api/inbox/conversations/{conversation_id}/requests" => CreateRequestFromChat, Workspace(Role::Manager), "Create a B2B car request from this chat", Some("CreateCarRequest"), Some("CarRequestView")),
    route!(GET "/api/inbox/conversations/{conversation_id}/request-draft" => DraftRequestFromChat, Workspace(Role::Manager), "A car request filled in from the buyer's recent messages (make and model, years, budget) for the manager to check", None, Some("RequestDraftView")),
    download!(GET "/api/inbox/files/{bot_id}/{file_id}" => DownloadFile, Workspace(Role::Viewer), "A file of a message (photo, voice, ...)", None, None),
    route!(GET "/api/inbox/counts" => InboxCounts, Workspace(Role::Viewer), "The Inbox views' counts (open, mine, unassigned, unread conversations, snoozed, resolved), kept as counters", None, Some("InboxCountsView")),
    route!(POST "/api/inbox/conversations/{conversation_id}/status" => SetConversationStatus, Workspace(Role::Manager), "Open, snooze until a time, or resolve a conversation (a buyer's new message opens it again)", Some("SetStatusRequest"), Some("ConversationView")),
    created!(POST "/api/inbox/conversations/{conversation_id}/notes" => AddNote, Workspace(Role::Manager), "A private note for the team in the conversation; never sent to Telegram", Some("NoteRequest"), Some("MessageView")),
    route!(PUT "/api/inbox/conversations/{conversation_id}/phone" => SavePhone, Workspace(Role::Manager), "Save a phone number (e.g. one found in a message) to the buyer's contact", Some("SavePhoneRequest"), Some("ContactPhoneView")),
    route!(GET "/api/inbox/canned" => ListCannedReplies, Workspace(Role::Viewer), "The team's canned replies", None, Some("CannedReplyList")),
    created!(POST "/api/inbox/canned" => CreateCannedReply, Workspace(Role::Manager), "Add a canned reply under a new /shortcut (409 when taken)", Some("NewCannedReplyRequest"), Some("CannedReplyView")),
    route!(PUT "/api/inbox/canned/{shortcut}" => UpdateCannedReply, Workspace(Role::Manager), "Change the text of the canned reply with this /shortcut", Some("CannedReplyRequest"), Some("CannedReplyView")),
    route!(DELETE "/api/inbox/canned/{shortcut}" => DeleteCannedReply, Workspace(Role::Manager), "Delete a canned reply", None, None),
    route!(GET "/api/company" => GetCompany, Workspace(Role::Viewer), "The company card partners see (name, city, region, address, phone, Telegram, logo, about) and the slug they invite by", None, Some("CompanyView")),
    route!(PUT "/api/company" => SaveCompany, Workspace(Role::Admin), "Change the company card", Some("CompanyProfile"), Some("CompanyView")),
    route!(GET "/api/partners" => ListPartners, Workspace(Role::Viewer), "Partner companies and invitations (sent and received) with their cards", None, Some("PartnerList")),
    created!(POST "/api/partners" => InvitePartner, Workspace(Role::Admin), "Invite a company by its slug to be partners (accepting an invitation they sent, if there is one)", Some("InvitePartnerRequest"), Some("PartnerView")),
    route!(POST "/api/partners/{partner_id}/accept" => AcceptPartner, Workspace(Role::Admin), "Accept a partner's invitation: both then see each other's shared requests and matching cars", None, Some("PartnerView")),
    route!(POST "/api/partners/{partner_id}/decline" => DeclinePartner, Workspace(Role::Admin), "Decline a partner's invitation", None, Some("PartnerView")),
    route!(DELETE "/api/partners/{partner_id}" => RemovePartner, Workspace(Role::Admin), "End a partnership (or withdraw an invitation) on both sides", None, None),
    route!(GET "/api/requests" => ListRequests, Workspace(Role::Viewer), "The workspace's car requests, newest first", None, Some("CarRequestList")),
    created!(POST "/api/requests" => CreateRequest, Workspace(Role::Manager), "A car request (draft or open); an open one is matched against your stock and, when shared, your partners'", Some("RequestInput"), Some("RequestDetailView")),
    route!(GET "/api/requests/{request_id}" => GetRequest, Workspace(Role::Viewer), "A request with its matches (best first, with reasons), offers with their threads, and history", None, Some("RequestDetailView")),
    route!(PUT "/api/requests/{request_id}" => UpdateRequest, Workspace(Role::Manager), "Change a request's criteria and details (matched again)", Some("RequestInput"), Some("RequestDetailView")),
    route!(POST "/api/requests/{request_id}/status" => SetRequestStatus, Workspace(Role::Manager), "Move a request: draft, open, won, lost, expired", Some("RequestStatusRequest"), Some("RequestDetailView")),
    route!(POST "/api/requests/{request_id}/offers/{offer_id}/accept" => AcceptOffer, Workspace(Role::Manager), "Accept an offer: the request is won, the other offers closed and their partners told", None, Some("RequestDetailView")),
    route!(POST "/api/requests/{request_id}/offers/{offer_id}/decline" => DeclineOffer, Workspace(Role::Manager), "Decline an offer (its partner is told)", None, Some("RequestDetailView")),
    created!(POST "/api/requests/{request_id}/offers/{offer_id}/comments" => CommentOffer, Workspace(Role::Manager), "Write in an offer's thread", Some("CommentRequest"), Some("RequestDetailView")),
    route!(GET "/api/partner-requests" => ListPartnerRequests, Workspace(Role::Viewer), "Requests your partners share with you, newest first", None, Some("PartnerRequestList")),
    route!(GET "/api/partner-requests/{partner_id}/{request_id}" => GetPartnerRequest, Workspace(Role::Viewer), "A partner's shared request with your matching cars and your offers (never another partner's)", None, Some("PartnerRequestView")),
    created!(POST "/api/partner-requests/{partner_id}/{request_id}/offers" => SendOffer, Workspace(Role::Manager), "Offer one of your cars at a B2B price (sending the same car again changes nothing)", Some("NewOfferRequest"), Some("PartnerRequestView")),
    created!(POST "/api/partner-requests/{partner_id}/{request_id}/offers/{offer_id}/comments" => CommentPartnerOffer, Workspace(Role::Manager), "Write in your offer's thread", Some("CommentRequest"), Some("PartnerRequestView")),
    route!(GET "/api/inventory" => ListInventory, Workspace(Role::Viewer), "Stock, newest first, with ?q= and filters (make, model, year_min/max, price_min/max, mileage_min/max, status), paginated", None, Some("ListingPage")),
    created!(POST "/api/inventory" => CreateListing, Workspace(Role::Manager), "Add a car", Some("ListingInput"), Some("ListingView")),
    route!(GET "/api/inventory/{id}" => GetListing, Workspace(Role::Viewer), "One car", None, Some("ListingView")),
    route!(PUT "/api/inventory/{id}" => UpdateListing, Workspace(Role::Manager), "Replace a car's details", Some("ListingInput"), Some("ListingView")),
    route!(DELETE "/api/inventory/{id}" => DeleteListing, Workspace(Role::Manager), "Remove a car", None, None),
    route!(POST "/api/parser/preview" => ParserPreview, Workspace(Role::Manager), "Fetch a car page (SSRF-safe) and show what it says, after the site's saved mapping", Some("ParserPreviewRequest"), Some("ParserPreview")),
    route!(GET "/api/parser/mappings" => ListMappings, Workspace(Role::Viewer), "Saved per-site mappings", None, Some("MappingList")),
    route!(PUT "/api/parser/mappings" => SaveMapping, Workspace(Role::Manager), "Remember how a site's page maps to inventory fields", Some("SaveMappingRequest"), Some("MappingView")),
    route!(DELETE "/api/parser/mappings/{domain}" => DeleteMapping, Workspace(Role::Manager), "Forget a site's mapping (map it again)", None, None),
    created!(POST "/api/parser/import" => ParserImport, Workspace(Role::Manager), "Create the inventory item from the confirmed draft", Some("ListingInput"), Some("ListingView")),
    route!(POST "/api/parser/feeds/preview" => PreviewFeed, Workspace(Role::Manager), "Read an uploaded stock feed (CSV or XML): its columns, first rows and the mapping offered (the source's remembered one, or guessed)", Some("FeedPreviewRequest"), Some("FeedPreview")),
    created!(POST "/api/parser/feeds/imports" => StartFeedImport, Workspace(Role::Manager), "Import a stock feed with a column mapping (remembered for the source); rows are imported in the background, again-imported cars are updated", Some("StartFeedImportRequest"), Some("FeedImportView")),
    route!(GET "/api/parser/feeds/imports/{import_id}" => GetFeedImport, Workspace(Role::Viewer), "An import's progress, counts and per-row report (?cursor=)", None, Some("FeedImportView")),
    route!(GET "/api/scenarios" => ListScenarios, Workspace(Role::Viewer), "The workspace's bot scenarios", None, Some("ScenarioList")),
    created!(POST "/api/scenarios" => CreateScenario, Workspace(Role::Manager), "Create a scenario, empty or from a starter template", Some("CreateScenarioRequest"), Some("ScenarioView")),
    route!(GET "/api/scenarios/templates" => ListScenarioTemplates, Workspace(Role::Viewer), "Starter templates", None, Some("TemplateList")),
    route!(GET "/api/scenarios/{id}" => GetScenario, Workspace(Role::Viewer), "A scenario's draft, with what stops it from being published", None, Some("ScenarioView")),
    route!(PUT "/api/scenarios/{id}" => SaveScenario, Workspace(Role::Manager), "Save the draft (autosave)", Some("SaveScenarioRequest"), Some("ScenarioView")),
    route!(DELETE "/api/scenarios/{id}" => DeleteScenario, Workspace(Role::Manager), "Delete a scenario and its versions", None, None),
    route!(POST "/api/scenarios/{id}/publish" => PublishScenario, Workspace(Role::Manager), "Publish the draft as a new version (refused with the problems if it is not valid)", None, Some("ScenarioView")),
    created!(POST "/api/scenarios/{id}/duplicate" => DuplicateScenario, Workspace(Role::Manager), "Copy a scenario's draft into a new scenario", None, Some("ScenarioView")),
    route!(GET "/api/scenarios/{id}/versions" => ListScenarioVersions, Workspace(Role::Viewer), "Published versions, newest first", None, Some("ScenarioVersionList")),
    route!(POST "/api/scenarios/{id}/versions/{version}/rollback" => RollbackScenario, Workspace(Role::Manager), "Publish an earlier version again (as a new version) and make it the draft", None, Some("ScenarioView")),
    route!(GET "/api/scenarios/{id}/analytics" => ScenarioAnalytics, Workspace(Role::Viewer), "Per-node entered / completed / dropped for a version (?version=, default the current one)", None, Some("ScenarioAnalytics")),
    route!(POST "/api/scenarios/{id}/test" => TestScenario, Workspace(Role::Viewer), "Test chat: one buyer input to the draft, answered with what the bot would send", Some("TestChatRequest"), Some("TestChatResponse")),
    route!(GET "/api/miniapp/{slug}" => Showcase, Public, "A workspace's available stock for its Telegram Mini App (?make=, ?q=, ?price_max=, ?year_min=, ?cursor=)", None, Some("Showcase")),
    route!(GET "/api/miniapp/{slug}/cars/{id}" => ShowcaseCar, Public, "One available car of the showcase", None, Some("ShowcaseCar")),
    created!(POST "/api/miniapp/{slug}/interest" => ShowInterest, Public, "\"I'm interested\" from the Mini App: checked Telegram initData, then a lead in the Inbox", Some("InterestRequest"), Some("InterestView")),
    created!(POST "/api/files" => StartUpload, Workspace(Role::Manager), "Start an upload: declare its purpose, name, type and size; answers the presigned URL the browser PUTs the bytes to", Some("StartUploadRequest"), Some("UploadView")),
    route!(POST "/api/files/{file_id}/complete" => CompleteUpload, Workspace(Role::Manager), "Finish an upload: the stored bytes are checked (size, type by content) and the file becomes ready", None, Some("FileView")),
    route!(GET "/api/files/{file_id}" => GetFile, Workspace(Role::Viewer), "A file of this workspace, with short-lived links to download or show it", None, Some("FileView")),
    route!(DELETE "/api/files/{file_id}" => DeleteFile, Workspace(Role::Manager), "Delete a file and its variants", None, None),
    route!(GET "/api/notifications" => ListNotifications, Workspace(Role::Viewer), "Your notifications, newest first, paginated (?cursor=), with the unread count", None, Some("NotificationPage")),
    route!(GET "/api/notifications/unread" => UnreadNotifications, Workspace(Role::Viewer), "How many of your notifications are unread (the bell)", None, Some("UnreadCount")),
    route!(POST "/api/notifications/read" => MarkAllNotificationsRead, Workspace(Role::Viewer), "Mark all your notifications read", None, Some("UnreadCount")),
    route!(POST "/api/notifications/{id}/read" => MarkNotificationRead, Workspace(Role::Viewer), "Mark one notification read", None, Some("UnreadCount")),
    route!(GET "/api/notifications/telegram" => GetTelegramSettings, Workspace(Role::Viewer), "Your linked Telegram account and which notifications go there", None, Some("TelegramSettings")),
    created!(POST "/api/notifications/telegram/link" => StartTelegramLink, Workspace(Role::Viewer), "A one-time deep link to a workspace bot that links your Telegram account", Some("StartTelegramLinkRequest"), Some("TelegramLinkStart")),
    route!(DELETE "/api/notifications/telegram" => UnlinkTelegram, Workspace(Role::Viewer), "Unlink your Telegram account", None, None),
    route!(PUT "/api/notifications/telegram/preferences" => SaveNotificationPreferences, Workspace(Role::Viewer), "Choose which notifications also go to your Telegram", Some("NotificationPreferences"), Some("TelegramSettings")),
    route!(GET "/api/contacts" => ListContacts, Workspace(Role::Viewer), "Contacts (one per person), newest activity first; ?q= (name, username, phone), filters bot_id, tag, language, blocked, unsubscribed, active_days, source, var/var_op/var_value, open_request; paginated (a page may be short with a cursor)", None, Some("ContactPage")),
    route!(GET "/api/contacts/{contact_id}" => GetContact, Workspace(Role::Viewer), "A contact: profile, channels (bots, Mini App) with blocked/unsubscribed marks, tags, what scenarios collected", None, Some("ContactDetail")),
    route!(PATCH "/api/contacts/{contact_id}" => UpdateContact, Workspace(Role::Manager), "Edit a contact's name, phone or tags", Some("UpdateContactRequest"), Some("ContactDetail")),
    route!(DELETE "/api/contacts/{contact_id}" => EraseContact, Workspace(Role::Admin), "Erase a contact and everything stored about them (a buyer's right to be forgotten): gone from every view at once, deleted in the background", None, None),
    route!(POST "/api/contacts/{contact_id}/merge" => MergeContact, Workspace(Role::Manager), "Merge another contact that is the same person (e.g. the same phone) into this one; the one with chats is kept, the other erased", Some("MergeContactRequest"), Some("ContactDetail")),
    route!(POST "/api/contacts/tags" => TagContacts, Workspace(Role::Manager), "Add and remove tags on a selection of contacts (at most 100)", Some("TagContactsRequest"), Some("TagContactsResult")),
    created!(POST "/api/contacts/tags/bulk" => TagContactsByFilter, Workspace(Role::Manager), "Add and remove tags on every contact a filter holds; done in the background (poll the job)", Some("TagByFilterRequest"), Some("BulkTagView")),
    route!(GET "/api/contacts/tags/bulk/{bulk_id}" => GetBulkTag, Workspace(Role::Manager), "A tag-everyone-matching job's progress", None, Some("BulkTagView")),
    route!(GET "/api/segments" => ListSegments, Workspace(Role::Viewer), "Saved contact filters (segments) with their last count and its time", None, Some("SegmentList")),
    created!(POST "/api/segments" => CreateSegment, Workspace(Role::Manager), "Save a contact filter as a segment; its count is made in the background", Some("NewSegmentRequest"), Some("SegmentView")),
    route!(GET "/api/segments/{segment_id}" => GetSegment, Workspace(Role::Viewer), "A segment, its filter and its count (poll while counting)", None, Some("SegmentView")),
    route!(PATCH "/api/segments/{segment_id}" => UpdateSegment, Workspace(Role::Manager), "Rename a segment or change its filter (a new filter is counted again)", Some("UpdateSegmentRequest"), Some("SegmentView")),
    route!(DELETE "/api/segments/{segment_id}" => DeleteSegment, Workspace(Role::Manager), "Delete a segment (contacts stay)", None, None),
    route!(POST "/api/segments/{segment_id}/count" => CountSegment, Workspace(Role::Manager), "Count a segment again now, in the background", None, Some("SegmentView")),
    route!(GET "/api/campaigns" => ListCampaigns, Workspace(Role::Viewer), "Campaigns, newest first, with their progress", None, Some("CampaignList")),
    created!(POST "/api/campaigns" => CreateCampaign, Workspace(Role::Manager), "Save a campaign: a draft, or scheduled when it has a send_at", Some("CampaignRequest"), Some("CampaignView")),
    route!(GET "/api/campaigns/{campaign_id}" => GetCampaign, Workspace(Role::Viewer), "A campaign with its live progress, rate and ETA", None, Some("CampaignView")),
    route!(PUT "/api/campaigns/{campaign_id}" => UpdateCampaign, Workspace(Role::Manager), "Change a draft or scheduled campaign", Some("CampaignRequest"), Some("CampaignView")),
    route!(DELETE "/api/campaigns/{campaign_id}" => DeleteCampaign, Workspace(Role::Manager), "Delete a campaign that is not sending (its report goes too)", None, None),
    route!(POST "/api/campaigns/{campaign_id}/send" => SendCampaign, Workspace(Role::Manager), "Start sending now: the audience is snapshotted, then sent at the bots' cap", None, Some("CampaignView")),
    route!(POST "/api/campaigns/{campaign_id}/pause" => PauseCampaign, Workspace(Role::Manager), "Pause sending (effective within a second)", None, Some("CampaignView")),
    route!(POST "/api/campaigns/{campaign_id}/resume" => ResumeCampaign, Workspace(Role::Manager), "Resume a paused campaign where it stopped", None, Some("CampaignView")),
    route!(POST "/api/campaigns/{campaign_id}/cancel" => CancelCampaign, Workspace(Role::Manager), "Cancel: nobody else gets it (a scheduled one never starts)", None, Some("CampaignView")),
    route!(POST "/api/campaigns/{campaign_id}/test" => TestCampaign, Workspace(Role::Manager), "Send the message to yourself (your linked Telegram) as a recipient would see it", None, Some("CampaignTestResult")),
    route!(GET "/api/campaigns/{campaign_id}/recipients" => ListCampaignRecipients, Workspace(Role::Viewer), "Recipients and what became of each, filtered by outcome", None, Some("CampaignRecipientPage")),
    download!(GET "/api/campaigns/{campaign_id}/report.csv" => CampaignReport, Workspace(Role::Viewer), "Every recipient and their outcome as CSV", None, None),
    created!(POST "/api/contacts/exports" => ExportContacts, Workspace(Role::Manager), "Export the contacts a filter holds as CSV; written in the background (poll the export)", Some("ContactExportRequest"), Some("ContactExportView")),
    created!(POST "/api/contacts/imports" => StartContactImport, Workspace(Role::Manager), "Import contacts from an uploaded CSV (purpose contact_list); rows are written in the background (poll the import)", Some("StartContactImportRequest"), Some("FeedImportView")),
    route!(GET "/api/contacts/imports/{import_id}" => GetContactImport, Workspace(Role::Manager), "A contact import's progress, counts and per-row report (?cursor=)", None, Some("FeedImportView")),
    route!(GET "/api/contacts/exports/{export_id}" => GetContactExport, Workspace(Role::Manager), "A contact export's progress and, once done, a download link", None, Some("ContactExportView")),
    route!(POST "/tg/{bot_id}" => TelegramWebhook, Public, "Telegram delivers updates here (checked by the secret token header)", None, None),
];

/// Refuses a route table whose paths and operations disagree: a `{param}`
/// the operation does not decode, a field it decodes that the path lacks,
/// an operation served by no route or by two, a JSON body that differs from
/// the documented one. Called at start-up and by a test, so a mistake is
/// found before any request.
pub fn check() -> Result<(), String> {
    let mut served = std::collections::HashSet::new();
    for r in ROUTES {
        let mut in_path: Vec<&str> = r.path_params().collect();
        let mut decoded: Vec<&str> = r.op.params().to_vec();
        in_path.sort_unstable();
        decoded.sort_unstable();
        if in_path != decoded {
            return Err(format!("{} {}: the path has {in_path:?}, {:?} decodes {decoded:?}", r.method, r.path, r.op));
        }
        if !served.insert(r.op) {
            return Err(format!("{:?} is served by two routes", r.op));
        }
        if let Some(body) = r.op.body_schema() {
            if r.request != Some(body.as_str()) {
                return Err(format!("{:?} decodes {body} but the table documents {:?}", r.op, r.request));
            }
        }
    }
    if let Some(op) = OpId::ALL.iter().find(|o| !served.contains(o)) {
        return Err(format!("{op:?} is served by no route"));
    }
    Ok(())
}

/// Path parameters of a matched route, in order, percent-decoded.
pub type Params = crate::ops::RawParams;

/// Matches `path` against a route pattern; `{x}` takes one non-empty segment.
pub fn match_path(pattern: &'static str, path: &str) -> Option<Params> {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    let mut params = Vec::new();
    let mut pat = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (pat.next(), got.next()) {
            (None, None) => return Some(params),
            (Some(p), Some(g)) => {
                if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    if g.is_empty() {
                        return None;
                    }
                    params.push((name, percent_decode(g)));
                } else if p != g {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// What a request's method and path lead to.
pub enum Lookup {
    Found(&'static Route, Params),
    /// The path exists, with other methods.
    MethodNotAllowed,
    NotFound,
}

pub fn lookup(method: &Method, path: &str) -> Lookup {
    let mut path_known = false;
    for r in ROUTES {
        if let Some(params) = match_path(r.path, path) {
            if r.method == *method {
                return Lookup::Found(r, params);
            }
            path_known = true;
        }
    }
    if path_known {
        Lookup::MethodNotAllowed
    } else {
        Lookup::NotFound
    }
}

/// One path segment, percent-decoded; bytes that are not UTF-8 become
/// U+FFFD (such a value then matches nothing and answers 404).
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_with_params() {
        assert_eq!(match_path("/api/team", "/api/team"), Some(vec![]));
        assert_eq!(match_path("/api/team", "/api/team/"), Some(vec![]));
        assert_eq!(match_path("/api/team/members/{email}", "/api/team/members/ann%40dealer.com"), Some(vec![("email", "ann@dealer.com".to_string())]));
        assert_eq!(match_path("/api/team/members/{email}", "/api/team/members/"), None);
        assert_eq!(match_path("/api/team", "/api/teams"), None);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    /// The request that once panicked the handler: a raw UTF-8 byte after `%`.
    #[test]
    fn raw_bytes_after_percent_do_not_panic() {
        assert_eq!(percent_decode("%a\u{e9}"), "%a\u{e9}");
        assert_eq!(percent_decode("%\u{e9}x"), "%\u{e9}x");
        assert_eq!(percent_decode("%C3%A9"), "\u{e9}");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }

    #[test]
    fn routes_are_unique_and_named() {
        let mut seen = std::collections::HashSet::new();
        for r in ROUTES {
            assert!(seen.insert((r.method.clone(), r.path)), "duplicate route {} {}", r.method, r.path);
            assert!(r.path.starts_with("/api/") || r.path.starts_with("/tg/"), "{}", r.path);
        }
        assert_eq!(Function::ApiSystem.logical_id(), "ApiSystemFunction");
        assert_eq!(ROUTES[0].operation_id(), "health");
    }

    #[test]
    fn every_operation_has_exactly_its_route() {
        check().unwrap();
    }
}
