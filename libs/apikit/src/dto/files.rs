//! The file store's JSON shapes: starting an upload, the presigned target
//! the browser sends the bytes to, a file as the API shows it.

use cartie_domain::files::{FilePurpose, Variant};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct StartUploadRequest {
    /// What the file is for: decides its size limit, types and lifetime.
    pub purpose: FilePurpose,
    pub file_name: String,
    /// The type the browser declares (`image/jpeg`); the content is checked
    /// again when the upload completes.
    pub content_type: String,
    /// Bytes; the upload must have exactly this many.
    pub size: u64,
}

/// Where the browser sends the bytes.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct UploadTarget {
    /// Always `PUT`.
    pub method: String,
    /// Presigned: works without a token until `expires_at`.
    pub url: String,
    /// Send exactly these headers with the bytes (they are signed).
    pub headers: BTreeMap<String, String>,
    pub expires_at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct UploadView {
    pub file: FileView,
    pub upload: UploadTarget,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum FileStatusView {
    /// Waiting for the bytes (then `POST /api/files/{id}/complete`).
    Pending,
    /// Checked and usable.
    Ready,
}

/// A file of the workspace. Links are short-lived: ask again for new ones.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct FileView {
    pub id: String,
    pub purpose: FilePurpose,
    pub name: String,
    /// What the content is (read from its first bytes); null while pending.
    pub content_type: Option<String>,
    pub size: u64,
    pub status: FileStatusView,
    /// Resized copies made so far (car photos; made shortly after the upload).
    pub variants: Vec<Variant>,
    pub created_at: String,
    /// When the file is deleted; null when it is kept.
    pub expires_at: Option<String>,
    /// Downloads the file under its name (ready files only).
    pub download_url: Option<String>,
    /// Shows a car photo small (320 px) and large (1280 px): the variant
    /// once made, the original until then.
    pub thumb_url: Option<String>,
    pub large_url: Option<String>,
}

/// How to show one photo of a car: an address as it is, or short-lived
/// links to an uploaded photo's variants.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct PhotoLink {
    /// Small (lists, the editor's thumbnails).
    pub thumb: String,
    /// Large (the car's page).
    pub full: String,
}
