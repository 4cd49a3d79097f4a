//! Files in Cartie's file store: what each is for (its purpose), how large
//! it may be, which types it may have, and a file's type read from its
//! first bytes — never from its name or from the type the browser declared.
//! Pure: the store reads the bytes, these rules judge them.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// Why a file is in the store. Decides its size limit, the types it may
/// have and how long it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// A photo of a car in stock: kept until the car or the photo is removed.
    CarPhoto,
    /// A file a manager sends from the Inbox (up to Telegram's 50 MB): kept a week.
    InboxAttachment,
    /// A file Cartie wrote for a download (CSV, report, backup): kept a week.
    /// Written by Cartie, never uploaded.
    Export,
    /// A dealer's stock feed (CSV or XML) to import into the inventory: kept a week.
    StockFeed,
    /// A CSV of buyers to import into Contacts: kept a week.
    ContactList,
    /// A photo or file a buyer sent to a dealer's Telegram *account*: the
    /// host downloads it once (no bot token can fetch it later), kept with
    /// the conversation. Written by Cartie, never uploaded.
    ChatMedia,
}

const MB: u64 = 1024 * 1024;

/// The image types a car photo may have (what the variant maker decodes).
pub const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// The types a stock feed may be declared as, and so stored as (Windows
/// names CSV after Excel). Not the XML types: a browser opening an XML
/// object with XHTML in it would run its scripts, so an XML feed is sent
/// as `text/plain` (the import reads it by its content).
pub const FEED_TYPES: [&str; 4] = ["text/csv", "text/plain", "application/vnd.ms-excel", "application/octet-stream"];

/// How many bytes of a file [`sniff`] needs.
pub const SNIFF_BYTES: u64 = 4096;

/// Longest file name kept (Telegram shows it for documents).
pub const MAX_NAME: usize = 200;

impl FilePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            FilePurpose::CarPhoto => "car_photo",
            FilePurpose::InboxAttachment => "inbox_attachment",
            FilePurpose::Export => "export",
            FilePurpose::StockFeed => "stock_feed",
            FilePurpose::ContactList => "contact_list",
            FilePurpose::ChatMedia => "chat_media",
        }
    }

    /// The largest file of this purpose.
    pub fn max_bytes(self) -> u64 {
        match self {
            // A phone photo is 2–8 MB; 20 MB leaves room for a camera's.
            FilePurpose::CarPhoto => 20 * MB,
            // What a bot may send through the Bot API.
            FilePurpose::InboxAttachment | FilePurpose::ChatMedia => 50 * MB,
            FilePurpose::Export => 2048 * MB,
            // A whole stock with long descriptions is a few MB; the import
            // reads it in memory.
            FilePurpose::StockFeed | FilePurpose::ContactList => 20 * MB,
        }
    }

    /// Whether a browser may upload a file of this purpose.
    pub fn uploadable(self) -> bool {
        !matches!(self, FilePurpose::Export | FilePurpose::ChatMedia)
    }

    /// In words, for messages ("a car photo").
    fn noun(self) -> &'static str {
        match self {
            FilePurpose::CarPhoto => "a car photo",
            FilePurpose::InboxAttachment => "an Inbox attachment",
            FilePurpose::Export => "an export",
            FilePurpose::StockFeed => "a stock feed",
            FilePurpose::ContactList => "a contact list",
            FilePurpose::ChatMedia => "a chat's media",
        }
    }
}

/// A resized copy of a car photo, made off the request path: JPEG, no
/// metadata (no GPS position, no camera serial), turned upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// 320 px on the longer side: lists, the Mini App's cards.
    Thumb,
    /// 1280 px on the longer side: a car's page, the bot's car card.
    Large,
}

impl Variant {
    pub const ALL: [Variant; 2] = [Variant::Thumb, Variant::Large];

    /// The longer side in pixels (smaller photos are not enlarged).
    pub fn max_side(self) -> u32 {
        match self {
            Variant::Thumb => 320,
            Variant::Large => 1280,
        }
    }

    /// Its object's name next to the original.
    pub fn object_name(self) -> &'static str {
        match self {
            Variant::Thumb => "w320.jpg",
            Variant::Large => "w1280.jpg",
        }
    }
}

/// Checks what a browser declares before it may upload: the purpose, the
/// size against the purpose's limit, a plausible type (for car photos one
/// of [`PHOTO_TYPES`]) and the name. Returns the cleaned name.
pub fn check_upload(purpose: FilePurpose, file_name: &str, content_type: &str, size: u64) -> Result<String, FieldError> {
    if !purpose.uploadable() {
        return Err(FieldError::new("purpose", "must be car_photo, inbox_attachment, stock_feed or contact_list (exports are written by Cartie)"));
    }
    if size == 0 {
        return Err(FieldError::new("size", "the file is empty"));
    }
    if size > purpose.max_bytes() {
        return Err(FieldError::new("size", format!("{} may be at most {} MB", purpose.noun(), purpose.max_bytes() / MB)));
    }
    let ct = content_type.trim().to_ascii_lowercase();
    if !is_mime(&ct) {
        return Err(FieldError::new("content_type", "must be a media type like image/jpeg"));
    }
    if purpose == FilePurpose::CarPhoto && !PHOTO_TYPES.contains(&ct.as_str()) {
        return Err(FieldError::new("content_type", "a car photo must be a JPEG, PNG or WebP image"));
    }
    // The object is stored with this type: never one a browser renders.
    if matches!(purpose, FilePurpose::StockFeed | FilePurpose::ContactList) && !FEED_TYPES.contains(&ct.split(';').next().unwrap_or_default().trim()) {
        return Err(FieldError::new("content_type", format!("{} is declared as text/csv, or text/plain", purpose.noun())));
    }
    file_name_clean(file_name)
}

fn is_mime(s: &str) -> bool {
    let Some((top, sub)) = s.split_once('/') else { return false };
    let token = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    s.len() <= 100 && token(top) && token(sub.split(';').next().unwrap_or_default().trim())
}

/// A file name as shown and sent on: no folders, no control characters,
/// at most [`MAX_NAME`] characters.
pub fn file_name_clean(raw: &str) -> Result<String, FieldError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let name: String = base.chars().filter(|c| !c.is_control()).collect();
    if name.is_empty() || name == "." || name == ".." {
        return Err(FieldError::new("file_name", "must be the file's name, e.g. photo.jpg"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(FieldError::new("file_name", format!("must be at most {MAX_NAME} characters")));
    }
    Ok(name)
}

/// What a file's first bytes say it is, as a media type; `None` when they
/// say nothing Cartie knows (plain text, CSV, an unknown format).
pub fn sniff(b: &[u8]) -> Option<&'static str> {
    if let Some(t) = sniff_binary(b) {
        return Some(t);
    }
    sniff_markup(b)
}

fn sniff_binary(b: &[u8]) -> Option<&'static str> {
    Some(match b {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'A', b'V', b'E', ..] => "audio/wav",
        [_, _, _, _, b'f', b't', b'y', b'p', brand @ ..] => match brand.get(..4) {
            Some(b"heic" | b"heix" | b"mif1" | b"msf1" | b"heim" | b"heis") => "image/heic",
            Some(b"avif" | b"avis") => "image/avif",
            Some(b"qt  ") => "video/quicktime",
            Some(b"M4A " | b"M4B ") => "audio/mp4",
            _ => "video/mp4",
        },
        [b'O', b'g', b'g', b'S', ..] if b.windows(8).take(SNIFF_BYTES as usize).any(|w| w == b"OpusHead") => "audio/ogg; codecs=opus",
        [b'O', b'g', b'g', b'S', ..] => "audio/ogg",
        [b'I', b'D', b'3', ..] | [0xFF, 0xFB | 0xF3 | 0xF2, ..] => "audio/mpeg",
        [0x1A, 0x45, 0xDF, 0xA3, ..] => "video/webm",
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        [b'P', b'K', 0x03, 0x04, ..] => "application/zip",
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => "application/x-ole-storage",
        [b'M', b'Z', ..] => "application/x-msdownload",
        [0x7F, b'E', b'L', b'F', ..] => "application/x-executable",
        [0xFE, 0xED, 0xFA, 0xCE | 0xCF, ..] | [0xCE | 0xCF, 0xFA, 0xED, 0xFE, ..] | [0xCA, 0xFE, 0xBA, 0xBE, ..] => "application/x-mach-binary",
        [b'#', b'!', ..] => "text/x-shellscript",
        _ => return None,
    })
}

/// HTML, SVG and XML, which a browser would render (and run scripts in),
/// after an optional byte-order mark and white space.
fn sniff_markup(b: &[u8]) -> Option<&'static str> {
    let b = b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b);
    let start = b.iter().position(|c| !c.is_ascii_whitespace())?;
    let head: Vec<u8> = b[start..].iter().take(512).map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if !head.starts_with(b"<") {
        return None;
    }
    if has(b"<svg") {
        return Some("image/svg+xml");
    }
    for tag in [&b"<!doctype html"[..], b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<!--"] {
        if head.starts_with(tag) || has(tag) {
            return Some("text/html");
        }
    }
    if head.starts_with(b"<?xml") {
        return Some("application/xml");
    }
    None
}

/// Content a browser or an operating system would run: never stored.
pub fn is_active_content(content_type: &str) -> bool {
    matches!(
        content_type,
        "text/html"
            | "image/svg+xml"
            | "application/xml"
            | "application/x-msdownload"
            | "application/x-executable"
            | "application/x-mach-binary"
            | "text/x-shellscript"
    )
}

/// The family of a media type: `image`, `audio`, `video`, ...
fn family(content_type: &str) -> &str {
    content_type.split('/').next().unwrap_or_default()
}

/// Judges a stored upload by its first bytes ([`SNIFF_BYTES`] of them).
/// Returns the type to record (the sniffed one, or
/// `application/octet-stream` when the bytes say nothing), or why the file
/// is refused. `declared` is what the browser said it was.
pub fn check_content(purpose: FilePurpose, declared: &str, head: &[u8]) -> Result<&'static str, FieldError> {
    let found = sniff(head);
    let what = found.unwrap_or("not a format Cartie recognises");
    // A feed is read by the import, never shown: XML is what it should be
    // (a comment in it reads as HTML to the sniffer); anything else the
    // bytes name is not a feed.
    if purpose == FilePurpose::StockFeed {
        let start = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
        let xml = start.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<') && !matches!(found, Some("image/svg+xml"));
        return match found {
            _ if xml => Ok("application/xml"),
            None => Ok("text/csv"),
            Some(t) => Err(FieldError::new("file", format!("a stock feed must be a CSV or XML file; this file's content is {t}"))),
        };
    }
    if purpose == FilePurpose::ContactList {
        return match found {
            None => Ok("text/csv"),
            Some(t) => Err(FieldError::new("file", format!("a contact list must be a CSV file; this file's content is {t}"))),
        };
    }
    if let Some(t) = found.filter(|t| is_active_content(t)) {
        return Err(FieldError::new("file", format!("files that run code ({t}) cannot be uploaded")));
    }
    match purpose {
        FilePurpose::CarPhoto => match found {
            Some(t) if PHOTO_TYPES.contains(&t) => Ok(t),
            _ => Err(FieldError::new("file", format!("a car photo must be a JPEG, PNG or WebP image; this file's content is {what}"))),
        },
        FilePurpose::InboxAttachment | FilePurpose::Export | FilePurpose::StockFeed | FilePurpose::ContactList | FilePurpose::ChatMedia => {
            let declared_family = family(declared.trim());
            if matches!(declared_family, "image" | "audio" | "video") && found.map(family) != Some(declared_family) {
                return Err(FieldError::new("file", format!("the file was declared as {declared}, but its content is {what}")));
            }
            Ok(found.unwrap_or("application/octet-stream"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(JPEG), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic...."), Some("image/heic"));
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42...."), Some("video/mp4"));
        assert_eq!(sniff(b"MZ\x90\0\x03"), Some("application/x-msdownload"));
        assert_eq!(sniff(b"\xEF\xBB\xBF  <!DOCTYPE html><p>hi"), Some("text/html"));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><svg xmlns=..."), Some("image/svg+xml"));
        assert_eq!(sniff(b"make,model\nBMW,X5\n"), None);
        let mut ogg = b"OggS\0\x02".to_vec();
        ogg.extend([0u8; 22]);
        ogg.extend(b"OpusHead");
        assert_eq!(sniff(&ogg), Some("audio/ogg; codecs=opus"));
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn uploads_are_checked_against_their_purpose() {
        assert_eq!(check_upload(FilePurpose::CarPhoto, "C:\\photos\\x5.jpg", "image/jpeg", 1000).unwrap(), "x5.jpg");
        assert_eq!(check_upload(FilePurpose::CarPhoto, "x5.jpg", "image/jpeg", 21 * MB).unwrap_err().field, "size");
        assert_eq!(check_upload(FilePurpose::CarPhoto, "x5.jpg", "image/jpeg", 0).unwrap_err().field, "size");
        assert_eq!(check_upload(FilePurpose::CarPhoto, "x5.gif", "image/gif", 10).unwrap_err().field, "content_type");
        assert_eq!(check_upload(FilePurpose::InboxAttachment, "x.bin", "nonsense", 10).unwrap_err().field, "content_type");
        assert!(check_upload(FilePurpose::InboxAttachment, "walkaround.mp4", "video/mp4", 49 * MB).is_ok());
        assert_eq!(check_upload(FilePurpose::InboxAttachment, "big.mp4", "video/mp4", 51 * MB).unwrap_err().field, "size");
        assert_eq!(check_upload(FilePurpose::Export, "a.csv", "text/csv", 10).unwrap_err().field, "purpose");
        assert_eq!(check_upload(FilePurpose::InboxAttachment, "  ", "text/plain", 10).unwrap_err().field, "file_name");
    }

    #[test]
    fn content_decides_not_the_declared_type() {
        assert_eq!(check_content(FilePurpose::CarPhoto, "image/jpeg", JPEG), Ok("image/jpeg"));
        // A renamed program or page is refused whatever it claims to be.
        assert_eq!(check_content(FilePurpose::CarPhoto, "image/jpeg", b"MZ\x90\0").unwrap_err().field, "file");
        assert_eq!(check_content(FilePurpose::CarPhoto, "image/jpeg", b"<html><script>").unwrap_err().field, "file");
        assert!(check_content(FilePurpose::InboxAttachment, "image/jpeg", b"<html><script>").is_err());
        assert!(check_content(FilePurpose::InboxAttachment, "application/pdf", b"MZ\x90\0").is_err());
        // A photo declared as a PNG that is a JPEG is a photo: recorded as what it is.
        assert_eq!(check_content(FilePurpose::CarPhoto, "image/png", JPEG), Ok("image/jpeg"));
        // Media declared as such must be media of that kind; other files are kept as bytes.
        assert!(check_content(FilePurpose::InboxAttachment, "video/mp4", b"%PDF-1.4").is_err());
        assert_eq!(check_content(FilePurpose::InboxAttachment, "text/csv", b"make,model\n"), Ok("application/octet-stream"));
        assert_eq!(check_content(FilePurpose::InboxAttachment, "application/pdf", b"%PDF-1.7"), Ok("application/pdf"));
        // Stock feeds: CSV or XML (comments and all), nothing else.
        assert_eq!(check_content(FilePurpose::StockFeed, "text/csv", b"\xEF\xBB\xBFmake;model\n"), Ok("text/csv"));
        assert_eq!(check_content(FilePurpose::StockFeed, "text/plain", b"<?xml version=\"1.0\"?><!-- feed --><cars/>"), Ok("application/xml"));
        assert_eq!(check_content(FilePurpose::StockFeed, "text/csv", b"PK\x03\x04").unwrap_err().field, "file");
        assert!(check_content(FilePurpose::StockFeed, "text/csv", b"<svg onload=x>").is_err());
        assert_eq!(check_upload(FilePurpose::StockFeed, "stock.csv", "text/html", 10).unwrap_err().field, "content_type");
        assert_eq!(check_upload(FilePurpose::StockFeed, "feed.xml", "application/xml", 10).unwrap_err().field, "content_type");
        assert!(check_upload(FilePurpose::StockFeed, "stock.csv", "application/vnd.ms-excel", 10).is_ok());
    }
}
