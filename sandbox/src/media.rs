//! Media objects (PhotoSize, Video, Audio, ...) shaped as Telegram returns
//! them, and the small amount of file sniffing the sandbox does.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The kinds of media a message can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Photo,
    Video,
    Audio,
    Voice,
    Document,
    Animation,
    Sticker,
    VideoNote,
}

impl MediaKind {
    pub const ALL: [MediaKind; 8] = [
        MediaKind::Photo,
        MediaKind::Video,
        MediaKind::Audio,
        MediaKind::Voice,
        MediaKind::Document,
        MediaKind::Animation,
        MediaKind::Sticker,
        MediaKind::VideoNote,
    ];

    /// The Message field (and the Bot API parameter) for this kind.
    pub fn field(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Voice => "voice",
            MediaKind::Document => "document",
            MediaKind::Animation => "animation",
            MediaKind::Sticker => "sticker",
            MediaKind::VideoNote => "video_note",
        }
    }

    pub fn from_field(s: &str) -> Option<MediaKind> {
        MediaKind::ALL.into_iter().find(|k| k.field() == s)
    }

    /// Upload size limit, bytes (Bot API: photos 10 MB, other files 50 MB).
    pub fn max_upload(self) -> usize {
        match self {
            MediaKind::Photo => 10 * 1024 * 1024,
            _ => 50 * 1024 * 1024,
        }
    }

    fn dir(self) -> &'static str {
        match self {
            MediaKind::Photo => "photos",
            MediaKind::Video => "videos",
            MediaKind::Audio => "music",
            MediaKind::Voice => "voice",
            MediaKind::Document => "documents",
            MediaKind::Animation => "animations",
            MediaKind::Sticker => "stickers",
            MediaKind::VideoNote => "video_notes",
        }
    }

    /// Which stored files may be re-sent as this kind by file_id. Photos
    /// and stickers only as themselves; the other kinds among each other.
    pub fn compatible(self, stored: MediaKind) -> bool {
        let group = |k: MediaKind| match k {
            MediaKind::Photo => 0,
            MediaKind::Sticker => 1,
            _ => 2,
        };
        group(self) == group(stored)
    }

    pub fn can_have_caption(self) -> bool {
        !matches!(self, MediaKind::Sticker | MediaKind::VideoNote)
    }
}

/// Everything known about a stored file, besides its bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Info {
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration: Option<u32>,
    pub length: Option<u32>,
    pub performer: Option<String>,
    pub title: Option<String>,
    pub emoji: Option<String>,
}

pub(crate) fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    (!ext.is_empty() && ext.len() <= 8 && ext.chars().all(|c| c.is_ascii_alphanumeric())).then_some(ext)
}

pub(crate) fn mime_from_ext(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "mp4" | "m4v" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "mkv" => "video/x-matroska",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "tgs" => "application/x-tgsticker",
        _ => return None,
    })
}

/// Content type from the leading bytes, for the common formats.
pub(crate) fn sniff_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF8") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"OggS") {
        Some("audio/ogg")
    } else if bytes.starts_with(b"%PDF") {
        Some("application/pdf")
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        Some("video/mp4")
    } else if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("video/webm")
    } else if bytes.starts_with(b"ID3") {
        Some("audio/mpeg")
    } else {
        None
    }
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?])))
}
fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?])))
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*b.get(at)?, *b.get(at + 1)?, *b.get(at + 2)?, *b.get(at + 3)?]))
}
fn le24(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([*b.get(at)?, *b.get(at + 1)?, *b.get(at + 2)?, 0]))
}

/// Width and height of a PNG, JPEG, GIF or WebP image.
pub(crate) fn image_size(b: &[u8]) -> Option<(u32, u32)> {
    match sniff_mime(b)? {
        "image/png" => Some((be32(b, 16)?, be32(b, 20)?)),
        "image/gif" => Some((le16(b, 6)?, le16(b, 8)?)),
        "image/jpeg" => {
            let mut i = 2usize;
            while i + 9 < b.len() {
                if b[i] != 0xFF {
                    i += 1;
                    continue;
                }
                let marker = b[i + 1];
                if marker == 0xFF {
                    i += 1;
                    continue;
                }
                if matches!(marker, 0xD8 | 0x01 | 0xD0..=0xD7) {
                    i += 2;
                    continue;
                }
                let len = be16(b, i + 2)? as usize;
                let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if sof {
                    return Some((be16(b, i + 7)?, be16(b, i + 5)?));
                }
                i += 2 + len;
            }
            None
        }
        "image/webp" => match b.get(12..16)? {
            b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
            b"VP8L" => {
                let bits = u32::from_le_bytes([*b.get(21)?, *b.get(22)?, *b.get(23)?, *b.get(24)?]);
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            b"VP8 " => Some((le16(b, 26)? & 0x3FFF, le16(b, 28)? & 0x3FFF)),
            _ => None,
        },
        _ => None,
    }
    .filter(|(w, h)| *w > 0 && *h > 0)
}

/// The content type recorded for an upload: the part's own (unless it is
/// the generic octet-stream), else from the file name, else from the bytes.
pub(crate) fn upload_mime(part_type: Option<&str>, file_name: Option<&str>, bytes: &[u8]) -> Option<String> {
    let part = part_type.map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase()).filter(|t| !t.is_empty() && t != "application/octet-stream");
    part.or_else(|| file_name.and_then(extension).and_then(|e| mime_from_ext(&e)).map(str::to_owned)).or_else(|| sniff_mime(bytes).map(str::to_owned))
}

/// The `file_path` Telegram would give this file.
pub(crate) fn file_path(kind: MediaKind, n: u64, info: &Info, bytes: &[u8]) -> String {
    let ext = match kind {
        MediaKind::Photo => "jpg".to_owned(),
        MediaKind::Voice => "oga".to_owned(),
        MediaKind::Video | MediaKind::VideoNote | MediaKind::Animation => "mp4".to_owned(),
        MediaKind::Sticker => match info.mime_type.as_deref() {
            Some("application/x-tgsticker") => "tgs".to_owned(),
            Some("video/webm") => "webm".to_owned(),
            _ => "webp".to_owned(),
        },
        MediaKind::Audio | MediaKind::Document => info.file_name.as_deref().and_then(extension).unwrap_or_else(|| {
            match sniff_mime(bytes) {
                Some("application/pdf") => "pdf",
                Some("image/png") => "png",
                Some("image/jpeg") => "jpg",
                Some("audio/mpeg") => "mp3",
                _ if kind == MediaKind::Audio => "mp3",
                _ => "bin",
            }
            .to_owned()
        }),
    };
    format!("{}/file_{n}.{ext}", kind.dir())
}

/// `{file_id, file_unique_id, file_size}`.
pub(crate) fn meta(file_id: &str, unique_id: &str, size: u64) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("file_id".into(), json!(file_id));
    m.insert("file_unique_id".into(), json!(unique_id));
    m.insert("file_size".into(), json!(size));
    m
}

fn put_opt(m: &mut Map<String, Value>, k: &str, v: &Option<String>) {
    if let Some(v) = v {
        m.insert(k.into(), json!(v));
    }
}

/// The media object of one kind (not for photos: see [`photo_sizes`]).
pub(crate) fn object(kind: MediaKind, mut m: Map<String, Value>, info: &Info) -> Value {
    let dur = info.duration.unwrap_or(match kind {
        MediaKind::Document | MediaKind::Photo | MediaKind::Sticker => 0,
        _ => 1,
    });
    match kind {
        MediaKind::Photo | MediaKind::Document => {
            put_opt(&mut m, "file_name", &info.file_name);
            put_opt(&mut m, "mime_type", &info.mime_type);
        }
        MediaKind::Video | MediaKind::Animation => {
            m.insert("width".into(), json!(info.width.unwrap_or(640)));
            m.insert("height".into(), json!(info.height.unwrap_or(360)));
            m.insert("duration".into(), json!(dur));
            put_opt(&mut m, "file_name", &info.file_name);
            put_opt(&mut m, "mime_type", &info.mime_type);
        }
        MediaKind::Audio => {
            m.insert("duration".into(), json!(dur));
            put_opt(&mut m, "performer", &info.performer);
            put_opt(&mut m, "title", &info.title);
            put_opt(&mut m, "file_name", &info.file_name);
            put_opt(&mut m, "mime_type", &info.mime_type);
        }
        MediaKind::Voice => {
            m.insert("duration".into(), json!(dur));
            put_opt(&mut m, "mime_type", &info.mime_type);
        }
        MediaKind::VideoNote => {
            m.insert("length".into(), json!(info.length.or(info.width).unwrap_or(240)));
            m.insert("duration".into(), json!(dur));
        }
        MediaKind::Sticker => {
            let mime = info.mime_type.as_deref().unwrap_or("");
            m.insert("width".into(), json!(info.width.unwrap_or(512)));
            m.insert("height".into(), json!(info.height.unwrap_or(512)));
            m.insert("type".into(), json!("regular"));
            m.insert("is_animated".into(), json!(mime == "application/x-tgsticker"));
            m.insert("is_video".into(), json!(mime == "video/webm"));
            put_opt(&mut m, "emoji", &info.emoji);
        }
    }
    Value::Object(m)
}

/// The sides Telegram scales photos to (longest side), smallest first.
pub(crate) const PHOTO_SIDES: [u32; 4] = [90, 320, 800, 1280];

/// (width, height, share of the original's bytes) of each PhotoSize for
/// an image of `w`×`h`: the scaled-down copies smaller than it, then the
/// image itself (at most 2560 on its longest side).
pub(crate) fn photo_geometry(w: u32, h: u32) -> Vec<(u32, u32, f64)> {
    let long = w.max(h).max(1);
    let scale_to = |side: u32| {
        let f = f64::from(side) / f64::from(long);
        let sw = ((f64::from(w) * f).round() as u32).max(1);
        let sh = ((f64::from(h) * f).round() as u32).max(1);
        (sw, sh, f * f)
    };
    let mut out: Vec<(u32, u32, f64)> = PHOTO_SIDES.iter().copied().filter(|s| *s < long).map(scale_to).collect();
    if long > 2560 {
        out.push(scale_to(2560));
    } else {
        out.push((w.max(1), h.max(1), 1.0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_sizes() {
        assert_eq!(image_size(&crate::sample_png(123, 45)), Some((123, 45)));
        // A minimal JPEG: SOI, an APP0 segment, SOF0 with 480x640.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x02, 0x80, 0x01, 0xE0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(image_size(&jpeg), Some((480, 640)));
        assert_eq!(image_size(b"GIF89a\x40\x01\xf0\x00"), Some((320, 240)));
        assert_eq!(image_size(b"not an image"), None);
        // Truncated headers never panic.
        for n in 0..30 {
            let png = crate::sample_png(10, 10);
            let _ = image_size(&png[..n.min(png.len())]);
            let _ = image_size(&jpeg[..n.min(jpeg.len())]);
        }
    }

    #[test]
    fn mime_guesses() {
        assert_eq!(upload_mime(Some("application/octet-stream"), Some("a.PDF"), b"x").as_deref(), Some("application/pdf"));
        assert_eq!(upload_mime(Some("audio/ogg; codecs=opus"), None, b"x").as_deref(), Some("audio/ogg"));
        assert_eq!(upload_mime(None, None, b"%PDF-1.7").as_deref(), Some("application/pdf"));
        assert_eq!(upload_mime(None, Some("noext"), b"??"), None);
    }

    #[test]
    fn small_photos_have_one_size() {
        assert_eq!(photo_geometry(80, 60), vec![(80, 60, 1.0)]);
        let g = photo_geometry(5000, 2500);
        assert_eq!(g.last().map(|(w, h, _)| (*w, *h)), Some((2560, 1280)));
    }
}
