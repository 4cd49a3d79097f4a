//! The JSON shapes of the API. `/api/openapi.json` is generated from these
//! (and the route table), and the web app's types from that document, so
//! the contract cannot drift between Rust and TypeScript.

use cartie_domain::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct WorkspaceView {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub created_at: String,
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
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CreatedWorkspace {
    pub workspace: WorkspaceView,
    pub owner_invite: InviteView,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct UpdateWorkspaceRequest {
    pub name: String,
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
        WorkspaceView { id: w.id.clone(), name: w.name.clone(), slug: w.slug.clone(), created_at: cartie_store::util::rfc3339(w.created_at_ms) }
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
