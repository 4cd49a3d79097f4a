//! The file store: bytes in S3, a record per file in the table
//! (`WS#{ws}` / `FILE#{id}`). Browsers upload and download straight to and
//! from S3 through presigned URLs, so no file passes through a Lambda.
//!
//! Every object key starts with the workspace id and is built from a record
//! read under the caller's workspace ([`Files::file`]); a file id from a
//! request is never put into a key as it is. So a URL for another
//! workspace's file cannot be signed: its record is not found.
//!
//! Objects carry an `expiry` tag that the bucket's lifecycle rules act on
//! (`template.yaml`): `1d` while an upload is pending (abandoned uploads
//! vanish), `7d` for Inbox attachments, exports and car photos that no car
//! has taken yet (uploaded, then never saved with a car), `none` for a car's
//! photos and their variants. Records of expiring files carry the same
//! expiry as their TTL, and readers compare it themselves (TTL deletes late).

use crate::{decode, encode, keys, util, Aws, Item, Settings, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Tag, Tagging};
use cartie_domain::files::{check_content, FilePurpose, Variant, SNIFF_BYTES};
use cartie_domain::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;

/// How long a browser has to send the bytes after asking to upload.
pub const UPLOAD_URL_SECS: u64 = 15 * 60;
/// How long an upload may stay unfinished before it is forgotten.
pub const PENDING_SECS: i64 = 24 * 3600;
/// How long Inbox attachments and exports are kept.
pub const SHORT_LIVED_SECS: i64 = 7 * 24 * 3600;
/// A link to show a file (a photo on a page) works at least this long.
pub const SHOW_URL_SECS: u64 = 3600;
/// A download link works this long.
pub const DOWNLOAD_URL_SECS: u64 = 5 * 60;
/// Display links are signed as of the start of a window this long, so the
/// same photo has the same URL for a while and browsers cache it.
const SIGN_WINDOW_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Asked to upload; the bytes may not have arrived.
    Pending,
    /// Checked (size, type by content) and usable.
    Ready,
}

/// A file's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredFile {
    pub workspace_id: String,
    pub id: String,
    pub purpose: FilePurpose,
    pub name: String,
    /// What the uploader said it was; only a hint (the content decides).
    pub declared_type: String,
    /// What its content says it is, once it is ready.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Declared while pending, the stored object's size once ready.
    pub size: u64,
    pub status: FileStatus,
    /// Resized copies made so far (car photos).
    #[serde(default)]
    pub variants: Vec<Variant>,
    #[serde(default)]
    pub created_by: Option<String>,
    pub created_at_ms: i64,
    /// Epoch seconds after which the file is gone (the TTL attribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// The car a car photo belongs to (a photo belongs to one car).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attached_to: Option<String>,
}

impl StoredFile {
    fn expired(&self) -> bool {
        self.expires_at.is_some_and(|e| e <= util::now_secs())
    }

    pub fn is_ready(&self) -> bool {
        self.status == FileStatus::Ready
    }

    fn object(&self) -> String {
        keys::file_object(&self.workspace_id, &self.id)
    }

    fn variant_object(&self, v: Variant) -> String {
        keys::file_variant_object(&self.workspace_id, &self.id, v.object_name())
    }
}

/// Where and how the browser sends the bytes: `PUT url` with exactly
/// these headers (they are part of the signature).
#[derive(Debug, Clone, PartialEq)]
pub struct UploadTarget {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub expires_at_ms: i64,
}

/// What finishing an upload found.
#[derive(Debug)]
pub enum Completion {
    Ready(StoredFile),
    /// No bytes at the upload URL yet.
    NotUploaded,
    /// The bytes are not acceptable (size, type by content); they were deleted.
    Refused(FieldError),
}

/// The file store. Cheap to clone.
#[derive(Clone)]
pub struct Files {
    pub store: Store,
    pub s3: aws_sdk_s3::Client,
    pub bucket: String,
}

fn at(ms: i64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64)
}

fn tagging(expiry: &str) -> Result<Tagging, StoreError> {
    let tag = Tag::builder().key("expiry").value(expiry).build().map_err(StoreError::aws)?;
    Tagging::builder().tag_set(tag).build().map_err(StoreError::aws)
}

/// The record TTL of a ready file: a week (its objects' tag is `7d`). A
/// car photo is kept for good once a car takes it ([`Files::attach`]).
fn a_week_from_now() -> Option<i64> {
    Some(util::now_secs() + SHORT_LIVED_SECS)
}

/// The `expiry` tag of a car photo's objects: kept while a car has it.
fn photo_tag(f: &StoredFile) -> &'static str {
    if f.attached_to.is_some() {
        "none"
    } else {
        "7d"
    }
}

/// `attachment; filename="…"` with a plain-ASCII fallback and the UTF-8
/// name (RFC 6266), so a download never renders in the browser.
fn attachment(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded: String =
        name.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

impl Files {
    pub fn new(aws: &Aws, settings: &Settings) -> Files {
        Files { store: Store::new(aws, settings), s3: aws.s3.clone(), bucket: settings.files_bucket.clone() }
    }

    async fn put_record(&self, f: &StoredFile, condition: Option<&str>) -> Result<(), StoreError> {
        let mut item = encode(f)?;
        item.insert("PK".into(), AttributeValue::S(keys::ws(&f.workspace_id)));
        item.insert("SK".into(), AttributeValue::S(keys::file(&f.id)));
        self.store
            .ddb
            .put_item()
            .table_name(&self.store.table)
            .set_item(Some(item))
            .set_condition_expression(condition.map(str::to_string))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// A file of this workspace, or `None` (also when it expired).
    pub async fn file(&self, ws: &str, id: &str) -> Result<Option<StoredFile>, StoreError> {
        if !cartie_domain::id::is_ulid(id) {
            return Ok(None);
        }
        let f: Option<StoredFile> = self.store.get_as(&keys::ws(ws), &keys::file(id)).await?;
        Ok(f.filter(|f| !f.expired()))
    }

    /// The files of this workspace among `ids` (one BatchGetItem per 100),
    /// by id; unknown and expired ones are left out.
    pub async fn files(&self, ws: &str, ids: &[&str]) -> Result<HashMap<String, StoredFile>, StoreError> {
        let mut wanted: Vec<&str> = ids.iter().copied().filter(|id| cartie_domain::id::is_ulid(id)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut out = HashMap::new();
        for chunk in wanted.chunks(100) {
            let keys: Vec<Item> = chunk
                .iter()
                .map(|id| [("PK".to_string(), AttributeValue::S(keys::ws(ws))), ("SK".to_string(), AttributeValue::S(keys::file(id)))].into())
                .collect();
            let mut request = Some(KeysAndAttributes::builder().set_keys(Some(keys)).consistent_read(true).build().map_err(StoreError::aws)?);
            // Unprocessed keys come back when DynamoDB is busy: ask again (bounded).
            for _ in 0..5 {
                let Some(r) = request.take() else { break };
                let got = self.store.ddb.batch_get_item().request_items(&self.store.table, r).send().await.map_err(StoreError::aws)?;
                for item in got.responses.and_then(|mut r| r.remove(&self.store.table)).unwrap_or_default() {
                    let f: StoredFile = decode(item)?;
                    if !f.expired() {
                        out.insert(f.id.clone(), f);
                    }
                }
                request = got.unprocessed_keys.and_then(|mut u| u.remove(&self.store.table)).filter(|k| !k.keys().is_empty());
            }
        }
        Ok(out)
    }

    /// Records a pending upload and signs the URL its bytes go to. The
    /// caller has checked purpose, name, type and size
    /// (`cartie_domain::files::check_upload`).
    pub async fn start_upload(
        &self,
        ws: &str,
        purpose: FilePurpose,
        name: &str,
        declared_type: &str,
        size: u64,
        by: &str,
    ) -> Result<(StoredFile, UploadTarget), StoreError> {
        let now = util::now_ms();
        let f = StoredFile {
            workspace_id: ws.into(),
            id: util::new_id(),
            purpose,
            name: name.into(),
            declared_type: declared_type.trim().to_ascii_lowercase(),
            content_type: None,
            size,
            status: FileStatus::Pending,
            variants: vec![],
            created_by: Some(by.into()),
            created_at_ms: now,
            expires_at: Some(now / 1000 + PENDING_SECS),
            attached_to: None,
        };
        self.put_record(&f, Some("attribute_not_exists(PK)")).await?;
        let config = PresigningConfig::builder().start_time(at(now)).expires_in(Duration::from_secs(UPLOAD_URL_SECS)).build().map_err(StoreError::aws)?;
        let signed = self
            .s3
            .put_object()
            .bucket(&self.bucket)
            .key(f.object())
            .content_type(&f.declared_type)
            .content_length(size as i64)
            .tagging("expiry=1d")
            .presigned(config)
            .await
            .map_err(StoreError::aws)?;
        // The browser sets Content-Length (and Host) itself and may not set
        // them by hand; they are still signed, so S3 refuses another size.
        let headers = signed
            .headers()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("content-length") && !k.eq_ignore_ascii_case("host"))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Ok((f, UploadTarget { url: signed.uri().to_string(), headers, expires_at_ms: now + UPLOAD_URL_SECS as i64 * 1000 }))
    }

    /// Checks an upload's stored bytes — the size, then the type by its
    /// first bytes (a ranged GET) — and marks it ready. Finishing a ready
    /// file again answers it again.
    pub async fn complete(&self, ws: &str, id: &str) -> Result<Completion, StoreError> {
        let f = self.file(ws, id).await?.ok_or(StoreError::NotFound)?;
        if f.is_ready() {
            return Ok(Completion::Ready(f));
        }
        let head = match self.s3.head_object().bucket(&self.bucket).key(f.object()).send().await {
            Ok(h) => h,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => return Ok(Completion::NotUploaded),
            Err(e) => return Err(StoreError::aws(e)),
        };
        let size = head.content_length().unwrap_or(0).max(0) as u64;
        let refusal = if size == 0 {
            Some(FieldError::new("file", "the file is empty"))
        } else if size > f.purpose.max_bytes() || size != f.size {
            Some(FieldError::new("size", format!("the upload has {size} bytes, not the {} declared", f.size)))
        } else {
            None
        };
        let checked = match refusal {
            Some(r) => Err(r),
            None => {
                let first = self.read_range(&f.object(), SNIFF_BYTES).await?;
                check_content(f.purpose, &f.declared_type, &first)
            }
        };
        let content_type = match checked {
            Ok(t) => t,
            Err(refusal) => {
                self.delete(&f).await?;
                return Ok(Completion::Refused(refusal));
            }
        };
        self.s3.put_object_tagging().bucket(&self.bucket).key(f.object()).tagging(tagging("7d")?).send().await.map_err(StoreError::aws)?;
        let ready = StoredFile { status: FileStatus::Ready, content_type: Some(content_type.into()), size, expires_at: a_week_from_now(), ..f };
        self.put_record(&ready, None).await?;
        Ok(Completion::Ready(ready))
    }

    async fn read_range(&self, key: &str, n: u64) -> Result<Vec<u8>, StoreError> {
        let out = self.s3.get_object().bucket(&self.bucket).key(key).range(format!("bytes=0-{}", n - 1)).send().await.map_err(StoreError::aws)?;
        let bytes = out.body.collect().await.map_err(StoreError::aws)?.into_bytes();
        Ok(bytes.to_vec())
    }

    /// A file's bytes (or a variant's) in memory: for what is small (photos).
    pub async fn read(&self, f: &StoredFile, variant: Option<Variant>) -> Result<Vec<u8>, StoreError> {
        let key = variant.map(|v| f.variant_object(v)).unwrap_or_else(|| f.object());
        let out = self.s3.get_object().bucket(&self.bucket).key(key).send().await.map_err(StoreError::aws)?;
        Ok(out.body.collect().await.map_err(StoreError::aws)?.into_bytes().to_vec())
    }

    /// A file's bytes as a reader (for passing large files on without
    /// holding them in memory).
    pub async fn reader(&self, f: &StoredFile) -> Result<impl tokio::io::AsyncRead + Send + Unpin + 'static, StoreError> {
        let out = self.s3.get_object().bucket(&self.bucket).key(f.object()).send().await.map_err(StoreError::aws)?;
        Ok(out.body.into_async_read())
    }

    /// Stores a resized variant of a photo, tagged like the photo (kept
    /// while a car has it, a week otherwise).
    pub async fn put_variant(&self, f: &StoredFile, v: Variant, jpeg: Vec<u8>) -> Result<(), StoreError> {
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(f.variant_object(v))
            .content_type("image/jpeg")
            .cache_control("private, max-age=31536000, immutable")
            .tagging(format!("expiry={}", photo_tag(f)))
            .body(ByteStream::from(jpeg))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// Tags a car photo's objects (original and whichever variants exist)
    /// as its record now says: a car took it meanwhile, so keep them.
    pub async fn retag_photo(&self, f: &StoredFile) -> Result<(), StoreError> {
        let mut objects = vec![f.object()];
        objects.extend(Variant::ALL.iter().map(|v| f.variant_object(*v)));
        for key in objects {
            let res = self.s3.put_object_tagging().bucket(&self.bucket).key(key).tagging(tagging(photo_tag(f))?).send().await;
            match res {
                Ok(_) => {}
                // A variant not made yet is tagged when it is written.
                Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => {}
                Err(e) => return Err(StoreError::aws(e)),
            }
        }
        Ok(())
    }

    /// Records the variants that exist now; the file must still be there.
    pub async fn set_variants(&self, f: &StoredFile, variants: &[Variant]) -> Result<(), StoreError> {
        let list = variants.iter().map(encode_value).collect::<Result<Vec<_>, _>>()?;
        let res = self
            .store
            .ddb
            .update_item()
            .table_name(&self.store.table)
            .key("PK", AttributeValue::S(keys::ws(&f.workspace_id)))
            .key("SK", AttributeValue::S(keys::file(&f.id)))
            .update_expression("SET variants = :v")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":v", AttributeValue::L(list))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_conditional_check_failed_exception()) => Err(StoreError::NotFound),
            Err(e) => Err(StoreError::aws(e)),
        }
    }

    /// Makes a ready car photo the photo of `listing_id`, kept from now on
    /// (no expiry on its record or its objects). `Conflict` when it is not a
    /// ready, unexpired car photo of this workspace that is free or already
    /// this car's; `previous` names the owner it may replace (a car that no
    /// longer exists).
    pub async fn attach(&self, ws: &str, file_id: &str, listing_id: &str, previous: Option<&str>) -> Result<(), StoreError> {
        let owner_ok = match previous {
            Some(_) => "attached_to = :prev",
            None => "(attribute_not_exists(attached_to) OR attached_to = :l)",
        };
        let mut req = self
            .store
            .ddb
            .update_item()
            .table_name(&self.store.table)
            .key("PK", AttributeValue::S(keys::ws(ws)))
            .key("SK", AttributeValue::S(keys::file(file_id)))
            .update_expression("SET attached_to = :l REMOVE expires_at")
            .condition_expression(format!(
                "attribute_exists(PK) AND #status = :ready AND purpose = :car AND (attribute_not_exists(expires_at) OR expires_at > :now) AND {owner_ok}"
            ))
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":now", AttributeValue::N(util::now_secs().to_string()))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
            .expression_attribute_values(":l", AttributeValue::S(listing_id.into()))
            .expression_attribute_values(":ready", AttributeValue::S("ready".into()))
            .expression_attribute_values(":car", AttributeValue::S(FilePurpose::CarPhoto.as_str().into()));
        if let Some(p) = previous {
            req = req.expression_attribute_values(":prev", AttributeValue::S(p.into()));
        }
        let attached: StoredFile = match req.send().await {
            Ok(out) => decode(out.attributes.unwrap_or_default())?,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_conditional_check_failed_exception()) => {
                return Err(StoreError::Conflict("the photo is not a ready car photo free for this car".into()))
            }
            Err(e) => return Err(StoreError::aws(e)),
        };
        // After the record: a variant job that writes later reads the
        // record after its writes and retags them itself.
        self.retag_photo(&attached).await
    }

    /// Removes a file: its objects (original and variants) and its record.
    pub async fn delete(&self, f: &StoredFile) -> Result<(), StoreError> {
        let mut objects = vec![f.object()];
        objects.extend(Variant::ALL.iter().map(|v| f.variant_object(*v)));
        for key in objects {
            // Deleting an object that is not there succeeds.
            self.s3.delete_object().bucket(&self.bucket).key(key).send().await.map_err(StoreError::aws)?;
        }
        match self.store.delete_existing(&keys::ws(&f.workspace_id), &keys::file(&f.id)).await {
            Ok(()) | Err(StoreError::NotFound) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// A short-lived link that shows the file (or a variant) in a page.
    /// Signed as of the start of a ten-minute window so the link stays the
    /// same for a while (browser caches keep working); it works for at
    /// least [`SHOW_URL_SECS`].
    pub async fn show_url(&self, f: &StoredFile, variant: Option<Variant>) -> Result<String, StoreError> {
        let now = util::now_ms();
        let start = now - now.rem_euclid(SIGN_WINDOW_MS);
        let ttl = Duration::from_millis((SHOW_URL_SECS as i64 * 1000 + SIGN_WINDOW_MS) as u64);
        let key = variant.map(|v| f.variant_object(v)).unwrap_or_else(|| f.object());
        self.presign_get(&key, start, ttl, None).await
    }

    /// A short-lived link that downloads the file under its name.
    pub async fn download_url(&self, f: &StoredFile) -> Result<String, StoreError> {
        self.presign_get(&f.object(), util::now_ms(), Duration::from_secs(DOWNLOAD_URL_SECS), Some(attachment(&f.name))).await
    }

    async fn presign_get(&self, key: &str, start_ms: i64, ttl: Duration, disposition: Option<String>) -> Result<String, StoreError> {
        let config = PresigningConfig::builder().start_time(at(start_ms)).expires_in(ttl).build().map_err(StoreError::aws)?;
        let signed = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .set_response_content_disposition(disposition)
            .presigned(config)
            .await
            .map_err(StoreError::aws)?;
        Ok(signed.uri().to_string())
    }

    /// [`Files::put_export`] of bytes in memory.
    pub async fn put_export_bytes(&self, ws: &str, name: &str, content_type: &str, bytes: Vec<u8>, by: &str) -> Result<(StoredFile, String), StoreError> {
        self.put_export(ws, name, content_type, ByteStream::from(bytes), by).await
    }

    /// Writes an export for a workspace (a CSV, a report, a backup) and
    /// returns its record and a download link. Kept a week (lifecycle rule
    /// and record TTL); another link can be had from its id meanwhile.
    pub async fn put_export(&self, ws: &str, name: &str, content_type: &str, body: ByteStream, by: &str) -> Result<(StoredFile, String), StoreError> {
        let f = self.put_written(ws, FilePurpose::Export, name, content_type, body, by).await?;
        let url = self.download_url(&f).await?;
        Ok((f, url))
    }

    /// Stores a file Cartie itself wrote or fetched: an export (kept a
    /// week) or a chat's media (kept).
    pub async fn put_written(
        &self,
        ws: &str,
        purpose: FilePurpose,
        name: &str,
        content_type: &str,
        body: ByteStream,
        by: &str,
    ) -> Result<StoredFile, StoreError> {
        let now = util::now_ms();
        let kept = purpose == FilePurpose::ChatMedia;
        let name = cartie_domain::files::file_name_clean(name).map_err(|e| StoreError::Invalid(e.field))?;
        let mut f = StoredFile {
            workspace_id: ws.into(),
            id: util::new_id(),
            purpose,
            name,
            declared_type: content_type.into(),
            content_type: Some(content_type.into()),
            size: 0,
            status: FileStatus::Ready,
            variants: vec![],
            created_by: Some(by.into()),
            created_at_ms: now,
            expires_at: if kept { None } else { a_week_from_now() },
            attached_to: None,
        };
        let put = self.s3.put_object().bucket(&self.bucket).key(f.object()).content_type(content_type).content_disposition(attachment(&f.name));
        let put = if kept { put } else { put.tagging("expiry=7d") };
        put.body(body).send().await.map_err(StoreError::aws)?;
        let head = self.s3.head_object().bucket(&self.bucket).key(f.object()).send().await.map_err(StoreError::aws)?;
        f.size = head.content_length().unwrap_or(0).max(0) as u64;
        self.put_record(&f, Some("attribute_not_exists(PK)")).await?;
        Ok(f)
    }
}

fn encode_value<T: Serialize>(v: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::attachment;

    #[test]
    fn download_names_are_quoted_safely() {
        assert_eq!(attachment("stock.csv"), "attachment; filename=\"stock.csv\"; filename*=UTF-8''stock.csv");
        assert_eq!(attachment("звіт \"1\".csv"), "attachment; filename=\"____ _1_.csv\"; filename*=UTF-8''%D0%B7%D0%B2%D1%96%D1%82%20%221%22.csv");
    }
}
