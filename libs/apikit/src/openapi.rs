//! `/api/openapi.json`, generated from the route table and the `dto` types.

use crate::dto::*;
use crate::routes::{Access, OpId, ROUTES};
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, Required, ResponseBuilder};
use utoipa::OpenApi as _;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Cartie API", description = "Telegram-first CRM for car dealers"),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        Health,
        DeepHealth,
        HealthCheck,
        HeartbeatView,
        Version,
        LoginRequest,
        Session,
        Me,
        UpdateMeRequest,
        ChangePasswordRequest,
        NewPasswordRequest,
        PasswordResetRequest,
        PasswordResetView,
        PasswordResetPreview,
        cartie_domain::Language,
        WorkspaceView,
        WorkspaceList,
        CreateWorkspaceRequest,
        CreatedWorkspace,
        UpdateWorkspaceRequest,
        InviteView,
        InvitePreview,
        AcceptInviteRequest,
        MemberView,
        Team,
        CreateInviteRequest,
        ChangeRoleRequest,
        Dashboard,
        Kpi,
        BotView,
        BotList,
        ConnectBotRequest,
        UpdateBotRequest,
        ConversationView,
        ConversationPage,
        MessageView,
        MessagePage,
        SendReplyRequest,
        AssignRequest,
        SetStatusRequest,
        InboxCountsView,
        NoteRequest,
        CannedReplyRequest,
        NewCannedReplyRequest,
        CannedReplyView,
        CannedReplyList,
        SavePhoneRequest,
        ContactPhoneView,
        cartie_domain::inbox::ConversationStatus,
        CreateCarRequest,
        CarRequestView,
        CarRequestList,
        MoneyTotal,
        BotLeads,
        DayStats,
        CampaignDelivery,
        CompanyView,
        CompanyProfile,
        InvitePartnerRequest,
        PartnerView,
        PartnerList,
        PartnerStatus,
        RequestInput,
        RequestStatusRequest,
        RequestStatus,
        Priority,
        MatchView,
        CarSummary,
        Reason,
        Criterion,
        MatchOutcome,
        CommentView,
        OfferView,
        OfferStatus,
        HistoryView,
        RequestChange,
        RequestDetailView,
        NewOfferRequest,
        CommentRequest,
        PartnerRequestView,
        PartnerRequestSummary,
        PartnerRequestList,
        cartie_domain::Role,
        cartie_domain::inbox::Message,
        cartie_domain::inbox::Person,
        cartie_domain::inbox::Direction,
        cartie_domain::inbox::MessageKind,
        ListingView,
        ListingPage,
        cartie_domain::inventory::ListingInput,
        cartie_domain::inventory::Photo,
        PhotoLink,
        StartUploadRequest,
        UploadView,
        UploadTarget,
        FileView,
        FileStatusView,
        cartie_domain::files::FilePurpose,
        cartie_domain::files::Variant,
        cartie_domain::inventory::Warning,
        cartie_domain::inventory::MileageUnit,
        cartie_domain::inventory::Fuel,
        cartie_domain::inventory::Transmission,
        cartie_domain::inventory::ListingStatus,
        ParserPreviewRequest,
        FeedPreviewRequest,
        FeedPreview,
        StartFeedImportRequest,
        FeedImportView,
        cartie_domain::imports::ImportStatus,
        cartie_domain::imports::ImportCounts,
        cartie_domain::imports::RowReport,
        cartie_domain::imports::RowOutcome,
        DetectedView,
        DraftView,
        ParserPreview,
        MappingRule,
        SaveMappingRequest,
        MappingView,
        MappingList,
        BotCommandView,
        MenuButtonKind,
        MenuButtonView,
        BotMenu,
        BotMenuView,
        ShowcaseCar,
        Showcase,
        InterestRequest,
        InterestView,
        ProblemView,
        ScenarioSummary,
        ScenarioList,
        ScenarioView,
        CreateScenarioRequest,
        SaveScenarioRequest,
        TemplateView,
        TemplateList,
        ScenarioVersionView,
        ScenarioVersionList,
        NodeStats,
        SplitStats,
        ScenarioAnalytics,
        TestInputKind,
        TestChatRequest,
        TestButton,
        TestReply,
        TestChatResponse,
        cartie_domain::scenario::Scenario,
        cartie_domain::scenario::Trigger,
        cartie_domain::scenario::TriggerKind,
        cartie_domain::scenario::Node,
        cartie_domain::scenario::Position,
        cartie_domain::scenario::Step,
        cartie_domain::scenario::Media,
        cartie_domain::scenario::MediaKind,
        cartie_domain::scenario::Button,
        cartie_domain::scenario::Keyboard,
        cartie_domain::scenario::AnswerKind,
        cartie_domain::scenario::Branch,
        cartie_domain::scenario::Op,
        cartie_domain::scenario::SplitBranch,
        cartie_domain::scenario::ContactRequest,
        NotificationView,
        NotificationPage,
        UnreadCount,
        NotificationBot,
        TelegramLinkView,
        TelegramSettings,
        StartTelegramLinkRequest,
        TelegramLinkStart,
        NotificationPreferences,
        cartie_domain::notify::Notice,
        cartie_domain::notify::NoticeKind,
        ContactChannelView,
        ContactView,
        ContactPage,
        ContactDetail,
        UpdateContactRequest,
        TagContactsRequest,
        TagContactsResult,
        SegmentFilter,
        ContactExportRequest,
        StartContactImportRequest,
        MergeContactRequest,
        TagByFilterRequest,
        BulkTagView,
        ContactInterestView,
        TimelineEvent,
        TimelineKind,
        ContactExportView,
        RequestDraftView,
        SegmentView,
        CampaignRequest,
        CampaignView,
        CampaignProgress,
        CampaignList,
        CampaignRecipientView,
        CampaignRecipientPage,
        CampaignTestResult,
        CampaignContent,
        CampaignMedia,
        CampaignButton,
        ButtonAction,
        QuietHours,
        CampaignStatus,
        RecipientOutcome,
        SegmentList,
        NewSegmentRequest,
        UpdateSegmentRequest,
        ConversationVia,
        ConnectTelegramAccountRequest,
        TelegramCodeRequest,
        TelegramPasswordRequest,
        TelegramChannelSourceRequest,
        TelegramAccountView,
        TelegramAccountState,
        TelegramAccountList,
        TelegramChannelKind,
        TelegramChannelView,
        TelegramChannelList,
        ConnectChannelRequest,
        ChannelView,
        ChannelList,
        ChannelRights,
        ChannelSlotsRequest,
        PostingSlot,
        Weekday,
        SlotTimeView,
        PostTemplateRequest,
        PostTemplateView,
        PostTemplateList,
        PostRequest,
        EditPostedRequest,
        PostView,
        PostList,
        PostStatus,
        DstShift,
        SoldAction,
        CalendarSettings
    ))
)]
struct Schemas;

fn method(m: &http::Method) -> HttpMethod {
    match *m {
        http::Method::POST => HttpMethod::Post,
        http::Method::PUT => HttpMethod::Put,
        http::Method::PATCH => HttpMethod::Patch,
        http::Method::DELETE => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

fn json_ref(name: &str) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(Ref::from_schema_name(name))).build()
}

fn binary() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(utoipa::openapi::schema::KnownFormat::Binary)))
        .build()
}

pub fn document() -> OpenApi {
    let mut doc = Schemas::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.info.license = None;
    if let Some(c) = doc.components.as_mut() {
        c.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()));
    }
    for r in ROUTES {
        let mut op = OperationBuilder::new().operation_id(Some(r.operation_id())).summary(Some(r.summary)).tag(r.function().name());
        for seg in r.path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                op = op.parameter(
                    ParameterBuilder::new()
                        .name(name)
                        .parameter_in(ParameterIn::Path)
                        .required(Required::True)
                        .schema(Some(utoipa::openapi::schema::Object::with_type(utoipa::openapi::schema::Type::String))),
                );
            }
        }
        for q in r.op.query_params() {
            op = op.parameter(q);
        }
        if let Some(req) = r.request {
            let body = RequestBodyBuilder::new().required(Some(Required::True)).content("application/json", json_ref(req));
            op = op.request_body(Some(body.build()));
        }
        let ok = match r.response {
            Some(name) => ResponseBuilder::new().description("Success").content("application/json", json_ref(name)),
            None if r.download => {
                ResponseBuilder::new().description("The file's bytes").content("application/octet-stream", ContentBuilder::new().schema(Some(binary())).build())
            }
            None if r.op == OpId::Openapi => ResponseBuilder::new().description("The OpenAPI document"),
            None => ResponseBuilder::new().description("Done, no content"),
        };
        let ok_code = if r.created {
            "201"
        } else if r.response.is_some() || r.op == OpId::Openapi || r.download {
            "200"
        } else {
            "204"
        };
        op = op
            .response(ok_code, ok.build())
            .response("default", ResponseBuilder::new().description("Error").content("application/json", json_ref("ErrorBody")).build());
        if r.access != Access::Public {
            op = op.security(SecurityRequirement::new("bearer", Vec::<String>::new()));
        }
        doc.paths.add_path_operation(r.path, vec![method(&r.method)], op.build());
    }
    doc
}

pub fn json() -> String {
    document().to_pretty_json().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_parameters_are_documented() {
        let doc = super::document().to_json().unwrap();
        assert!(doc.contains("\"name\":\"cursor\""), "the list routes' ?cursor= is in the document");
        assert!(doc.contains("\"name\":\"year_min\""));
    }

    #[test]
    fn every_referenced_schema_exists() {
        let doc = super::document();
        let names: Vec<String> = doc.components.as_ref().unwrap().schemas.keys().cloned().collect();
        for r in crate::ROUTES {
            for s in r.request.iter().chain(r.response.iter()) {
                assert!(names.iter().any(|n| n == s), "route {:?} names schema {s}, which is not registered", r.op);
            }
        }
    }
}
