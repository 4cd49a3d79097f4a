//! The route table: the one source of truth for which function serves a
//! route, who may call it, and what it takes and returns. The local runtime
//! routes by it, [`crate::authorize`] enforces it, `template.yaml` is
//! checked against it by a test, and `/api/openapi.json` is generated from it.

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
    TgWebhook,
}

impl Function {
    pub const ALL: [Function; 11] = [
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
    pub function: Function,
    pub access: Access,
    /// OpenAPI operationId; also what the function matches on.
    pub op: &'static str,
    pub summary: &'static str,
    /// Schema names (see `dto`) of the JSON body and the success answer.
    pub request: Option<&'static str>,
    pub response: Option<&'static str>,
    /// Answers 201 Created (rather than 200/204) on success.
    pub created: bool,
    /// Also takes `multipart/form-data` with a `file` part (an upload).
    pub upload: bool,
    /// Answers with a file's bytes rather than JSON.
    pub download: bool,
}

macro_rules! route {
    ($m:ident $path:literal => $f:ident, $access:expr, $op:literal, $summary:literal, $req:expr, $resp:expr) => {
        Route {
            method: Method::$m,
            path: $path,
            function: Function::$f,
            access: $access,
            op: $op,
            summary: $summary,
            request: $req,
            response: $resp,
            created: false,
            upload: false,
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

/// A 201 route that also takes a multipart upload.
macro_rules! upload {
    ($($t:tt)*) => {
        Route { upload: true, ..created!($($t)*) }
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
    route!(GET "/api/health" => ApiSystem, Public, "health", "The process is up", None, Some("Health")),
    route!(GET "/api/health/deep" => ApiSystem, Public, "healthDeep", "DynamoDB, SQS and the migration ledger are as the code expects", None, Some("DeepHealth")),
    route!(GET "/api/version" => ApiSystem, Public, "version", "What is deployed", None, Some("Version")),
    route!(GET "/api/openapi.json" => ApiSystem, Public, "openapi", "This API's OpenAPI document", None, None),
    route!(POST "/api/auth/login" => ApiAuth, Public, "login", "Log in with e-mail and password", Some("LoginRequest"), Some("Session")),
    route!(GET "/api/auth/me" => ApiAuth, Authenticated, "me", "Who the token belongs to", None, Some("Me")),
    route!(GET "/api/invites/{token}" => ApiAuth, Public, "invitePreview", "What an invite link is for", None, Some("InvitePreview")),
    created!(POST "/api/invites/{token}/accept" => ApiAuth, Public, "acceptInvite", "Join a workspace: set name and password", Some("AcceptInviteRequest"), Some("Session")),
    route!(GET "/api/admin/workspaces" => ApiAdmin, Superadmin, "listWorkspaces", "All workspaces", None, Some("WorkspaceList")),
    created!(POST "/api/admin/workspaces" => ApiAdmin, Superadmin, "createWorkspace", "Create a workspace and invite its owner", Some("CreateWorkspaceRequest"), Some("CreatedWorkspace")),
    route!(GET "/api/dashboard" => ApiTeam, Workspace(Role::Viewer), "dashboard", "The workspace's key figures", None, Some("Dashboard")),
    route!(GET "/api/workspace" => ApiTeam, Workspace(Role::Viewer), "getWorkspace", "The company profile", None, Some("WorkspaceView")),
    route!(PATCH "/api/workspace" => ApiTeam, Workspace(Role::Owner), "updateWorkspace", "Rename the company", Some("UpdateWorkspaceRequest"), Some("WorkspaceView")),
    route!(GET "/api/team" => ApiTeam, Workspace(Role::Viewer), "team", "Members and pending invites", None, Some("Team")),
    created!(POST "/api/team/invites" => ApiTeam, Workspace(Role::Admin), "createInvite", "Invite someone with a role", Some("CreateInviteRequest"), Some("InviteView")),
    route!(DELETE "/api/team/invites/{invite_id}" => ApiTeam, Workspace(Role::Admin), "revokeInvite", "Revoke a pending invite", None, None),
    route!(PATCH "/api/team/members/{email}" => ApiTeam, Workspace(Role::Admin), "changeRole", "Change a member's role", Some("ChangeRoleRequest"), Some("MemberView")),
    route!(DELETE "/api/team/members/{email}" => ApiTeam, Workspace(Role::Admin), "removeMember", "Remove a member", None, None),
    route!(GET "/api/bots" => ApiTelegram, Workspace(Role::Viewer), "listBots", "Connected Telegram bots", None, Some("BotList")),
    created!(POST "/api/bots" => ApiTelegram, Workspace(Role::Admin), "connectBot", "Connect a bot by its token; the webhook is set automatically", Some("ConnectBotRequest"), Some("BotView")),
    route!(PATCH "/api/bots/{bot_id}" => ApiTelegram, Workspace(Role::Admin), "updateBot", "Change a bot's auto-reply", Some("UpdateBotRequest"), Some("BotView")),
    route!(DELETE "/api/bots/{bot_id}" => ApiTelegram, Workspace(Role::Admin), "disconnectBot", "Disconnect a bot and remove its webhook", None, None),
    route!(GET "/api/bots/{bot_id}/menu" => ApiTelegram, Workspace(Role::Viewer), "getBotMenu", "A bot's commands, menu button and reply keyboard", None, Some("BotMenuView")),
    route!(PUT "/api/bots/{bot_id}/menu" => ApiTelegram, Workspace(Role::Admin), "saveBotMenu", "Save a bot's menu and apply it in Telegram (setMyCommands, setChatMenuButton)", Some("BotMenu"), Some("BotMenuView")),
    route!(GET "/api/inbox/conversations" => ApiInbox, Workspace(Role::Viewer), "listConversations", "Conversations across all bots or one (?bot_id=), newest first, paginated (?cursor=)", None, Some("ConversationPage")),
    route!(GET "/api/inbox/conversations/{conversation_id}" => ApiInbox, Workspace(Role::Viewer), "getConversation", "One conversation", None, Some("ConversationView")),
    route!(PATCH "/api/inbox/conversations/{conversation_id}" => ApiInbox, Workspace(Role::Manager), "assignConversation", "Assign to a manager (or nobody)", Some("AssignRequest"), Some("ConversationView")),
    route!(POST "/api/inbox/conversations/{conversation_id}/release" => ApiInbox, Workspace(Role::Manager), "releaseConversation", "Hand a conversation back to the bot after a hand-off", None, Some("ConversationView")),
    route!(POST "/api/inbox/conversations/{conversation_id}/read" => ApiInbox, Workspace(Role::Viewer), "markRead", "Mark as read", None, None),
    route!(GET "/api/inbox/conversations/{conversation_id}/messages" => ApiInbox, Workspace(Role::Viewer), "listMessages", "Message history, newest first, paginated", None, Some("MessagePage")),
    upload!(POST "/api/inbox/conversations/{conversation_id}/messages" => ApiInbox, Workspace(Role::Manager), "sendReply", "Reply: JSON for text or a file_id, multipart/form-data to upload a file", Some("SendReplyRequest"), Some("MessageView")),
    created!(POST "/api/inbox/conversations/{conversation_id}/requests" => ApiInbox, Workspace(Role::Manager), "createRequestFromChat", "Create a B2B car request from this chat", Some("CreateCarRequest"), Some("CarRequestView")),
    download!(GET "/api/inbox/files/{bot_id}/{file_id}" => ApiInbox, Workspace(Role::Viewer), "downloadFile", "A file of a message (photo, voice, ...)", None, None),
    route!(GET "/api/requests" => ApiInbox, Workspace(Role::Viewer), "listRequests", "The workspace's car requests", None, Some("CarRequestList")),
    route!(GET "/api/inventory" => ApiInventory, Workspace(Role::Viewer), "listInventory", "Stock, newest first, with ?q= and filters (make, model, year_min/max, price_min/max, mileage_min/max, status), paginated", None, Some("ListingPage")),
    created!(POST "/api/inventory" => ApiInventory, Workspace(Role::Manager), "createListing", "Add a car", Some("ListingInput"), Some("ListingView")),
    route!(GET "/api/inventory/{id}" => ApiInventory, Workspace(Role::Viewer), "getListing", "One car", None, Some("ListingView")),
    route!(PUT "/api/inventory/{id}" => ApiInventory, Workspace(Role::Manager), "updateListing", "Replace a car's details", Some("ListingInput"), Some("ListingView")),
    route!(DELETE "/api/inventory/{id}" => ApiInventory, Workspace(Role::Manager), "deleteListing", "Remove a car", None, None),
    route!(POST "/api/parser/preview" => ApiParser, Workspace(Role::Manager), "parserPreview", "Fetch a car page (SSRF-safe) and show what it says, after the site's saved mapping", Some("ParserPreviewRequest"), Some("ParserPreview")),
    route!(GET "/api/parser/mappings" => ApiParser, Workspace(Role::Viewer), "listMappings", "Saved per-site mappings", None, Some("MappingList")),
    route!(PUT "/api/parser/mappings" => ApiParser, Workspace(Role::Manager), "saveMapping", "Remember how a site's page maps to inventory fields", Some("SaveMappingRequest"), Some("MappingView")),
    route!(DELETE "/api/parser/mappings/{domain}" => ApiParser, Workspace(Role::Manager), "deleteMapping", "Forget a site's mapping (map it again)", None, None),
    created!(POST "/api/parser/import" => ApiParser, Workspace(Role::Manager), "parserImport", "Create the inventory item from the confirmed draft", Some("ListingInput"), Some("ListingView")),
    route!(GET "/api/scenarios" => ApiScenarios, Workspace(Role::Viewer), "listScenarios", "The workspace's bot scenarios", None, Some("ScenarioList")),
    created!(POST "/api/scenarios" => ApiScenarios, Workspace(Role::Manager), "createScenario", "Create a scenario, empty or from a starter template", Some("CreateScenarioRequest"), Some("ScenarioView")),
    route!(GET "/api/scenarios/templates" => ApiScenarios, Workspace(Role::Viewer), "listScenarioTemplates", "Starter templates", None, Some("TemplateList")),
    route!(GET "/api/scenarios/{id}" => ApiScenarios, Workspace(Role::Viewer), "getScenario", "A scenario's draft, with what stops it from being published", None, Some("ScenarioView")),
    route!(PUT "/api/scenarios/{id}" => ApiScenarios, Workspace(Role::Manager), "saveScenario", "Save the draft (autosave)", Some("SaveScenarioRequest"), Some("ScenarioView")),
    route!(DELETE "/api/scenarios/{id}" => ApiScenarios, Workspace(Role::Manager), "deleteScenario", "Delete a scenario and its versions", None, None),
    route!(POST "/api/scenarios/{id}/publish" => ApiScenarios, Workspace(Role::Manager), "publishScenario", "Publish the draft as a new version (refused with the problems if it is not valid)", None, Some("ScenarioView")),
    created!(POST "/api/scenarios/{id}/duplicate" => ApiScenarios, Workspace(Role::Manager), "duplicateScenario", "Copy a scenario's draft into a new scenario", None, Some("ScenarioView")),
    route!(GET "/api/scenarios/{id}/versions" => ApiScenarios, Workspace(Role::Viewer), "listScenarioVersions", "Published versions, newest first", None, Some("ScenarioVersionList")),
    route!(POST "/api/scenarios/{id}/versions/{version}/rollback" => ApiScenarios, Workspace(Role::Manager), "rollbackScenario", "Publish an earlier version again (as a new version) and make it the draft", None, Some("ScenarioView")),
    route!(GET "/api/scenarios/{id}/analytics" => ApiScenarios, Workspace(Role::Viewer), "scenarioAnalytics", "Per-node entered / completed / dropped for a version (?version=, default the current one)", None, Some("ScenarioAnalytics")),
    route!(POST "/api/scenarios/{id}/test" => ApiScenarios, Workspace(Role::Viewer), "testScenario", "Test chat: one buyer input to the draft, answered with what the bot would send", Some("TestChatRequest"), Some("TestChatResponse")),
    route!(GET "/api/miniapp/{slug}" => ApiMiniapp, Public, "showcase", "A workspace's available stock for its Telegram Mini App (?make=, ?q=, ?price_max=, ?year_min=, ?cursor=)", None, Some("Showcase")),
    route!(GET "/api/miniapp/{slug}/cars/{id}" => ApiMiniapp, Public, "showcaseCar", "One available car of the showcase", None, Some("ShowcaseCar")),
    created!(POST "/api/miniapp/{slug}/interest" => ApiMiniapp, Public, "showInterest", "\"I'm interested\" from the Mini App: checked Telegram initData, then a lead in the Inbox", Some("InterestRequest"), Some("InterestView")),
    route!(POST "/tg/{bot_id}" => TgWebhook, Public, "telegramWebhook", "Telegram delivers updates here (checked by the secret token header)", None, None),
];

/// Path parameters of a matched route, in order.
pub type Params = Vec<(&'static str, String)>;

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

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_with_params() {
        assert_eq!(match_path("/api/team", "/api/team"), Some(vec![]));
        assert_eq!(match_path("/api/team", "/api/team/"), Some(vec![]));
        assert_eq!(
            match_path("/api/team/members/{email}", "/api/team/members/ann%40dealer.com"),
            Some(vec![("email", "ann@dealer.com".to_string())])
        );
        assert_eq!(match_path("/api/team/members/{email}", "/api/team/members/"), None);
        assert_eq!(match_path("/api/team", "/api/teams"), None);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn routes_are_unique_and_named() {
        let mut seen = std::collections::HashSet::new();
        for r in ROUTES {
            assert!(seen.insert((r.method.clone(), r.path)), "duplicate route {} {}", r.method, r.path);
            assert!(r.path.starts_with("/api/") || r.path.starts_with("/tg/"), "{}", r.path);
        }
        let ops: std::collections::HashSet<_> = ROUTES.iter().map(|r| r.op).collect();
        assert_eq!(ops.len(), ROUTES.len(), "operation ids must be unique");
        assert_eq!(Function::ApiSystem.logical_id(), "ApiSystemFunction");
    }
}
