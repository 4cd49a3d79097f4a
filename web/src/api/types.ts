// Names for the generated API shapes. Every type here is an alias of
// `schema.d.ts`, which `npm run gen:api` makes from the backend's openapi.json:
// never write an API shape by hand.
import type { components } from './schema';

type Schemas = components['schemas'];

export type ErrorBody = Schemas['ErrorBody'];
export type Version = Schemas['Version'];
export type LoginRequest = Schemas['LoginRequest'];
export type Session = Schemas['Session'];
/**
 * The user's stored language ("en" | "uk" | null) and the workspace's IANA
 * time zone are optional here so the app works with a server that does not
 * send them yet.
 */
export type Me = Schemas['Me'] & { language?: string | null; time_zone?: string | null };
export type Role = Schemas['Role'];
export type WorkspaceView = Schemas['WorkspaceView'];
export type WorkspaceList = Schemas['WorkspaceList'];
export type CreateWorkspaceRequest = Schemas['CreateWorkspaceRequest'];
export type CreatedWorkspace = Schemas['CreatedWorkspace'];
export type UpdateWorkspaceRequest = Schemas['UpdateWorkspaceRequest'];
export type InviteView = Schemas['InviteView'];
export type InvitePreview = Schemas['InvitePreview'];
export type AcceptInviteRequest = Schemas['AcceptInviteRequest'];
export type MemberView = Schemas['MemberView'];
export type Team = Schemas['Team'];
export type CreateInviteRequest = Schemas['CreateInviteRequest'];
export type ChangeRoleRequest = Schemas['ChangeRoleRequest'];
export type UpdateMeRequest = Schemas['UpdateMeRequest'];
export type ChangePasswordRequest = Schemas['ChangePasswordRequest'];
export type NewPasswordRequest = Schemas['NewPasswordRequest'];
export type PasswordResetView = Schemas['PasswordResetView'];
export type PasswordResetPreview = Schemas['PasswordResetPreview'];
export type Dashboard = Schemas['Dashboard'];
export type Kpi = Schemas['Kpi'];
export type MoneyTotal = Schemas['MoneyTotal'];
export type DayStats = Schemas['DayStats'];
export type BotLeads = Schemas['BotLeads'];
export type CampaignDelivery = Schemas['CampaignDelivery'];

// Telegram hub
export type BotView = Schemas['BotView'];
export type BotList = Schemas['BotList'];
export type ConnectBotRequest = Schemas['ConnectBotRequest'];
export type UpdateBotRequest = Schemas['UpdateBotRequest'];

// Inbox
export type Person = Schemas['Person'];
export type Direction = Schemas['Direction'];
export type MessageKind = Schemas['MessageKind'];
/** `via`: a bot, or one of the dealer's Telegram accounts (then `bot_username` is its label). */
export type ConversationView = Schemas['ConversationView'];
export type ConversationVia = Schemas['ConversationVia'];
export type ConversationPage = Schemas['ConversationPage'];
export type MessageView = Schemas['MessageView'];
export type MessagePage = Schemas['MessagePage'];
export type SendReplyRequest = Schemas['SendReplyRequest'];
export type AssignRequest = Schemas['AssignRequest'];

// Requests (B2B)
export type CreateCarRequest = Schemas['CreateCarRequest'];
export type CarRequestView = Schemas['CarRequestView'];
export type CarRequestList = Schemas['CarRequestList'];
export type RequestInput = Schemas['RequestInput'];
export type RequestStatus = Schemas['RequestStatus'];
export type RequestStatusRequest = Schemas['RequestStatusRequest'];
export type Priority = Schemas['Priority'];
export type RequestDetailView = Schemas['RequestDetailView'];
export type RequestChange = Schemas['RequestChange'];
export type HistoryView = Schemas['HistoryView'];
export type MatchView = Schemas['MatchView'];
export type CarSummary = Schemas['CarSummary'];
export type Criterion = Schemas['Criterion'];
/** One criterion of a request against one car: met, missed (by how much) or unknown. */
export type Reason = Schemas['Reason'];
export type MatchOutcome = Schemas['MatchOutcome'];
export type OfferView = Schemas['OfferView'];
export type OfferStatus = Schemas['OfferStatus'];
export type CommentView = Schemas['CommentView'];
export type CommentRequest = Schemas['CommentRequest'];
export type NewOfferRequest = Schemas['NewOfferRequest'];

// Partners (B2B)
export type CompanyProfile = Schemas['CompanyProfile'];
export type CompanyView = Schemas['CompanyView'];
export type PartnerView = Schemas['PartnerView'];
export type PartnerList = Schemas['PartnerList'];
export type PartnerStatus = Schemas['PartnerStatus'];
export type InvitePartnerRequest = Schemas['InvitePartnerRequest'];
export type PartnerRequestList = Schemas['PartnerRequestList'];
export type PartnerRequestSummary = Schemas['PartnerRequestSummary'];
export type PartnerRequestView = Schemas['PartnerRequestView'];

// Inventory
export type ListingInput = Schemas['ListingInput'];
export type ListingView = Schemas['ListingView'];
export type ListingPage = Schemas['ListingPage'];
export type ListingStatus = Schemas['ListingStatus'];
export type ListingWarning = Schemas['Warning'];
export type MileageUnit = Schemas['MileageUnit'];
export type Fuel = Schemas['Fuel'];
export type Transmission = Schemas['Transmission'];
/** An address (string) or an upload (`{ file_id }`). */
export type Photo = Schemas['Photo'];
export type PhotoLink = Schemas['PhotoLink'];

// File store
export type FilePurpose = Schemas['FilePurpose'];
export type FileView = Schemas['FileView'];

// Stock feed imports
export type FeedPreview = Schemas['FeedPreview'];
export type FeedImportView = Schemas['FeedImportView'];
export type RowOutcome = Schemas['RowOutcome'];
export type UploadView = Schemas['UploadView'];
export type StartUploadRequest = Schemas['StartUploadRequest'];

// Parser
export type ParserPreviewRequest = Schemas['ParserPreviewRequest'];
export type ParserPreview = Schemas['ParserPreview'];
export type DetectedView = Schemas['DetectedView'];
export type DraftView = Schemas['DraftView'];
export type MappingRule = Schemas['MappingRule'];
export type SaveMappingRequest = Schemas['SaveMappingRequest'];
export type MappingView = Schemas['MappingView'];
export type MappingList = Schemas['MappingList'];

// Notifications
export type Notice = Schemas['Notice'];
export type NoticeKind = Schemas['NoticeKind'];
export type NotificationView = Schemas['NotificationView'];
export type NotificationPage = Schemas['NotificationPage'];
export type UnreadCount = Schemas['UnreadCount'];
export type TelegramSettings = Schemas['TelegramSettings'];
export type TelegramLinkView = Schemas['TelegramLinkView'];
export type TelegramLinkStart = Schemas['TelegramLinkStart'];
export type StartTelegramLinkRequest = Schemas['StartTelegramLinkRequest'];
export type NotificationPreferences = Schemas['NotificationPreferences'];
export type ConversationStatus = Schemas['ConversationStatus'];
export type SetStatusRequest = Schemas['SetStatusRequest'];
export type InboxCountsView = Schemas['InboxCountsView'];
export type NoteRequest = Schemas['NoteRequest'];
export type CannedReplyView = Schemas['CannedReplyView'];
export type CannedReplyList = Schemas['CannedReplyList'];
export type CannedReplyRequest = Schemas['CannedReplyRequest'];
export type NewCannedReplyRequest = Schemas['NewCannedReplyRequest'];
export type SavePhoneRequest = Schemas['SavePhoneRequest'];
export type ContactPhoneView = Schemas['ContactPhoneView'];

// Contacts
export type ContactView = Schemas['ContactView'];
export type ContactChannelView = Schemas['ContactChannelView'];
export type ContactPage = Schemas['ContactPage'];
export type ContactDetail = Schemas['ContactDetail'];
export type UpdateContactRequest = Schemas['UpdateContactRequest'];
export type TagContactsRequest = Schemas['TagContactsRequest'];
export type TagContactsResult = Schemas['TagContactsResult'];
export type SegmentFilter = Schemas['SegmentFilter'];
export type VarOp = Schemas['VarOp'];
export type RowReport = Schemas['RowReport'];
export type BulkTagView = Schemas['BulkTagView'];
export type RequestDraftView = Schemas['RequestDraftView'];
export type SegmentView = Schemas['SegmentView'];
export type SegmentList = Schemas['SegmentList'];
export type ContactExportView = Schemas['ContactExportView'];

// Campaigns (broadcasts)
export type CampaignRequest = Schemas['CampaignRequest'];
export type CampaignView = Schemas['CampaignView'];
export type CampaignProgress = Schemas['CampaignProgress'];
export type CampaignList = Schemas['CampaignList'];
export type CampaignRecipientView = Schemas['CampaignRecipientView'];
export type CampaignRecipientPage = Schemas['CampaignRecipientPage'];
export type CampaignTestResult = Schemas['CampaignTestResult'];
export type CampaignContent = Schemas['CampaignContent'];
export type CampaignMedia = Schemas['CampaignMedia'];
export type CampaignButton = Schemas['CampaignButton'];
export type ButtonAction = Schemas['ButtonAction'];
export type QuietHours = Schemas['QuietHours'];
export type CampaignStatus = Schemas['CampaignStatus'];
/** What became of one recipient (the schema calls it `Outcome`). */
export type RecipientOutcome = Schemas['Outcome'];

// Telegram user accounts (MTProto).
/** The account's state (the schema calls it `AccountState`). */
export type TelegramAccountState = Schemas['AccountState'];
export type TelegramAccountView = Schemas['TelegramAccountView'];
export type TelegramAccountList = Schemas['TelegramAccountList'];
export type ConnectTelegramAccountRequest = Schemas['ConnectTelegramAccountRequest'];
export type TelegramCodeRequest = Schemas['TelegramCodeRequest'];
export type TelegramPasswordRequest = Schemas['TelegramPasswordRequest'];
export type TelegramChannelKind = Schemas['TelegramChannelKind'];
export type TelegramChannelView = Schemas['TelegramChannelView'];
export type TelegramChannelList = Schemas['TelegramChannelList'];
export type TelegramChannelSourceRequest = Schemas['TelegramChannelSourceRequest'];

// Content calendar.
export type ChannelRights = Schemas['ChannelRights'];
export type PostStatus = Schemas['PostStatus'];
export type DstShift = Schemas['DstShift'];
export type SoldAction = Schemas['SoldAction'];
export type ConnectChannelRequest = Schemas['ConnectChannelRequest'];
export type ChannelView = Schemas['ChannelView'];
export type ChannelList = Schemas['ChannelList'];
export type Weekday = Schemas['Weekday'];
export type PostingSlot = Schemas['PostingSlot'];
export type SlotTimeView = Schemas['SlotTimeView'];
export type ChannelSlotsRequest = Schemas['ChannelSlotsRequest'];
export type PostTemplateRequest = Schemas['PostTemplateRequest'];
export type PostTemplateView = Schemas['PostTemplateView'];
export type PostTemplateList = Schemas['PostTemplateList'];
export type PostRequest = Schemas['PostRequest'];
export type EditPostedRequest = Schemas['EditPostedRequest'];
export type PostView = Schemas['PostView'];
export type PostList = Schemas['PostList'];
export type CalendarSettings = Schemas['CalendarSettings'];
