//! Conversations and messages as the Inbox shows them, and the rules for
//! what a manager may send (Telegram's limits, checked before a send rather
//! than discovered from an error).

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Where a conversation stands for the team. A new message from the buyer
/// opens it again whatever it was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// Someone has to look at it.
    #[default]
    Open,
    /// Put aside until a time (`snoozed_until`), then open again.
    Snoozed,
    /// Done; it stays out of the open lists until the buyer writes.
    Resolved,
}

impl ConversationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Snoozed => "snoozed",
            ConversationStatus::Resolved => "resolved",
        }
    }
}

/// The longest a private note may be (Telegram's own text limit).
pub const NOTE_MAX_CHARS: usize = 4096;

/// A note's text, trimmed; empty or too long is refused naming `text`.
pub fn check_note(text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FieldError::new("text", "write something"));
    }
    if t.chars().count() > NOTE_MAX_CHARS {
        return Err(FieldError::new("text", format!("must be at most {NOTE_MAX_CHARS} characters")));
    }
    Ok(t.to_string())
}

/// The longest a canned reply may be (it is sent as one text message).
pub const CANNED_MAX_CHARS: usize = 4096;

/// A canned reply's shortcut, typed after `/` in the composer: 1-32
/// lowercase letters, digits, `-` or `_` (any alphabet: Ukrainian
/// shortcuts are fine). Returned lowercased and without a leading `/`.
pub fn check_shortcut(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim().trim_start_matches('/').to_lowercase();
    let n = s.chars().count();
    if n == 0 || n > 32 || !s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return Err(FieldError::new("shortcut", "use 1 to 32 letters, digits, - or _"));
    }
    Ok(s)
}

/// A canned reply's text: not empty, at most [`CANNED_MAX_CHARS`].
pub fn check_canned_text(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new("text", "write the reply"));
    }
    if t.chars().count() > CANNED_MAX_CHARS {
        return Err(FieldError::new("text", format!("must be at most {CANNED_MAX_CHARS} characters")));
    }
    Ok(t.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the buyer to the dealer's bot.
    In,
    /// From the dealer (a manager or the bot itself) to the buyer.
    Out,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Text,
    Photo,
    Video,
    Audio,
    Voice,
    Document,
    Animation,
    Sticker,
    VideoNote,
    Location,
    Contact,
    /// A press on an inline button.
    Callback,
    /// Anything Telegram sends that Cartie does not show yet.
    Other,
}

impl MessageKind {
    pub const ALL: [MessageKind; 13] = [
        MessageKind::Text,
        MessageKind::Photo,
        MessageKind::Video,
        MessageKind::Audio,
        MessageKind::Voice,
        MessageKind::Document,
        MessageKind::Animation,
        MessageKind::Sticker,
        MessageKind::VideoNote,
        MessageKind::Location,
        MessageKind::Contact,
        MessageKind::Callback,
        MessageKind::Other,
    ];

    /// The kinds a manager can send from the Inbox.
    pub const SENDABLE: [MessageKind; 9] = [
        MessageKind::Text,
        MessageKind::Photo,
        MessageKind::Video,
        MessageKind::Audio,
        MessageKind::Voice,
        MessageKind::Document,
        MessageKind::Animation,
        MessageKind::Sticker,
        MessageKind::VideoNote,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Text => "text",
            MessageKind::Photo => "photo",
            MessageKind::Video => "video",
            MessageKind::Audio => "audio",
            MessageKind::Voice => "voice",
            MessageKind::Document => "document",
            MessageKind::Animation => "animation",
            MessageKind::Sticker => "sticker",
            MessageKind::VideoNote => "video_note",
            MessageKind::Location => "location",
            MessageKind::Contact => "contact",
            MessageKind::Callback => "callback",
            MessageKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Telegram's upload limit for this kind through the Bot API.
    pub fn max_upload_bytes(self) -> usize {
        match self {
            MessageKind::Photo => 10 * 1024 * 1024,
            _ => 50 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    /// Their Telegram app's language (`uk`, `en-GB`…): the bot answers in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

impl Person {
    /// The language to write to this person in.
    pub fn language(&self) -> crate::Language {
        crate::Language::from_telegram(self.language_code.as_deref())
    }

    pub fn display_name(&self) -> String {
        match &self.last_name {
            Some(l) if !l.is_empty() => format!("{} {l}", self.first_name),
            _ => self.first_name.clone(),
        }
    }
}

/// One message of a conversation, as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Message {
    pub bot_id: i64,
    pub chat_id: i64,
    /// Telegram's id; 0 for a button press (it has none of its own).
    pub message_id: i64,
    pub direction: Direction,
    pub kind: MessageKind,
    /// Epoch milliseconds (Telegram's `date`).
    pub at_ms: i64,
    /// Position in the conversation in the order Cartie processed it.
    #[serde(default)]
    pub seq: u64,
    pub from: Option<Person>,
    pub text: Option<String>,
    pub caption: Option<String>,
    pub file_id: Option<String>,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub file_size: Option<i64>,
    pub duration: Option<i64>,
    /// Messages of one album share this; the Inbox shows them as one.
    pub media_group_id: Option<String>,
    pub reply_to: Option<i64>,
    /// The inline/reply keyboard as Telegram JSON.
    pub reply_markup: Option<String>,
    pub callback_data: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub contact_phone: Option<String>,
    pub contact_name: Option<String>,
    pub edited_at_ms: Option<i64>,
    /// The manager who sent it from the Inbox (outgoing only); for a note,
    /// its author.
    pub sent_by: Option<String>,
    /// A private note of the team (its id): shown in the conversation,
    /// never sent to Telegram.
    #[serde(default)]
    pub note_id: Option<String>,
}

impl Message {
    /// A buyer's message with only its kind and who sent it set; callers
    /// fill in the rest with struct update syntax.
    pub fn incoming(bot_id: i64, chat_id: i64, kind: MessageKind, at_ms: i64, from: Option<Person>) -> Message {
        Message {
            bot_id,
            chat_id,
            message_id: 0,
            direction: Direction::In,
            kind,
            at_ms,
            seq: 0,
            from,
            text: None,
            caption: None,
            file_id: None,
            file_name: None,
            mime_type: None,
            file_size: None,
            duration: None,
            media_group_id: None,
            reply_to: None,
            reply_markup: None,
            callback_data: None,
            latitude: None,
            longitude: None,
            contact_phone: None,
            contact_name: None,
            edited_at_ms: None,
            sent_by: None,
            note_id: None,
        }
    }

    /// A private note by `author`: stored in the conversation's timeline
    /// like an outgoing text, never sent.
    pub fn note(bot_id: i64, chat_id: i64, at_ms: i64, id: &str, author: &str, text: &str) -> Message {
        Message {
            direction: Direction::Out,
            text: Some(text.to_string()),
            sent_by: Some(author.to_string()),
            note_id: Some(id.to_string()),
            ..Message::incoming(bot_id, chat_id, MessageKind::Text, at_ms, None)
        }
    }

    /// One line for the conversation list.
    pub fn preview(&self) -> String {
        let body = self.text.clone().or_else(|| self.caption.clone()).unwrap_or_default();
        let label = match self.kind {
            MessageKind::Text => return truncate(&body, 120),
            MessageKind::Photo => "📷 Photo",
            MessageKind::Video => "🎬 Video",
            MessageKind::Audio => "🎵 Audio",
            MessageKind::Voice => "🎤 Voice message",
            MessageKind::Document => "📄 File",
            MessageKind::Animation => "GIF",
            MessageKind::Sticker => "Sticker",
            MessageKind::VideoNote => "⏺ Video message",
            MessageKind::Location => "📍 Location",
            MessageKind::Contact => "👤 Contact",
            MessageKind::Callback => "🔘 Pressed a button",
            MessageKind::Other => "Message",
        };
        if body.is_empty() {
            label.to_string()
        } else {
            truncate(&format!("{label}: {body}"), 120)
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Telegram's limits on what a bot sends.
pub const MAX_TEXT: usize = 4096;
pub const MAX_CAPTION: usize = 1024;

/// Checks a reply before it goes to Telegram.
pub fn check_reply(kind: MessageKind, text: Option<&str>, caption: Option<&str>, upload_bytes: Option<usize>) -> Result<(), FieldError> {
    if !MessageKind::SENDABLE.contains(&kind) {
        return Err(FieldError::new("kind", "must be one of text, photo, video, audio, voice, document, animation, sticker, video_note"));
    }
    if kind == MessageKind::Text {
        let t = text.unwrap_or_default();
        if t.trim().is_empty() {
            return Err(FieldError::new("text", "must not be empty"));
        }
        if t.chars().count() > MAX_TEXT {
            return Err(FieldError::new("text", format!("Telegram allows at most {MAX_TEXT} characters")));
        }
    } else if let Some(c) = caption {
        if kind == MessageKind::Sticker || kind == MessageKind::VideoNote {
            if !c.is_empty() {
                return Err(FieldError::new("caption", "stickers and video messages have no caption"));
            }
        } else if c.chars().count() > MAX_CAPTION {
            return Err(FieldError::new("caption", format!("Telegram allows at most {MAX_CAPTION} characters in a caption")));
        }
    }
    if let Some(n) = upload_bytes {
        let max = kind.max_upload_bytes();
        if n > max {
            return Err(FieldError::new("file", format!("Telegram accepts a {} of at most {} MB", kind.as_str(), max / 1024 / 1024)));
        }
        if n == 0 {
            return Err(FieldError::new("file", "is empty"));
        }
    }
    Ok(())
}

/// Checks that a stored file (its type read from its content) can be sent
/// as `kind`: Telegram shows a photo only if it is an image, a voice
/// message only if it is OGG/Opus, and so on. A document can be anything.
pub fn check_attachment(kind: MessageKind, content_type: &str) -> Result<(), FieldError> {
    let fits: &[&str] = match kind {
        MessageKind::Photo => &["image/jpeg", "image/png", "image/webp"],
        MessageKind::Voice => &["audio/ogg; codecs=opus"],
        MessageKind::Sticker => &["image/webp", "video/webm"],
        MessageKind::VideoNote => &["video/mp4"],
        MessageKind::Video => &["video/mp4", "video/quicktime", "video/webm"],
        MessageKind::Animation => &["video/mp4", "image/gif"],
        MessageKind::Audio => &["audio/mpeg", "audio/mp4", "audio/ogg", "audio/ogg; codecs=opus", "audio/wav"],
        _ => return Ok(()),
    };
    if fits.contains(&content_type) {
        return Ok(());
    }
    let message = match kind {
        MessageKind::Voice => "a voice message must be OGG/Opus, or Telegram shows it as a music file".to_string(),
        _ => format!("this file ({content_type}) cannot be sent as a {}; send it as a document", kind.as_str()),
    };
    Err(FieldError::new("upload_id", message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(kind: MessageKind, text: Option<&str>, caption: Option<&str>) -> Message {
        Message { message_id: 3, text: text.map(str::to_string), caption: caption.map(str::to_string), ..Message::incoming(1, 2, kind, 0, None) }
    }

    #[test]
    fn previews_say_what_arrived() {
        assert_eq!(msg(MessageKind::Text, Some("Is the BMW still for sale?"), None).preview(), "Is the BMW still for sale?");
        assert_eq!(msg(MessageKind::Photo, None, Some("this one")).preview(), "📷 Photo: this one");
        assert_eq!(msg(MessageKind::Voice, None, None).preview(), "🎤 Voice message");
        assert_eq!(msg(MessageKind::Text, Some(&"x".repeat(300)), None).preview().chars().count(), 120);
    }

    #[test]
    fn shortcuts_and_notes_are_checked() {
        assert_eq!(check_shortcut("/Price").unwrap(), "price");
        assert_eq!(check_shortcut("ціна_1").unwrap(), "ціна_1");
        assert_eq!(check_shortcut("two words").unwrap_err().field, "shortcut");
        assert_eq!(check_shortcut("/").unwrap_err().field, "shortcut");
        assert_eq!(check_shortcut(&"a".repeat(33)).unwrap_err().field, "shortcut");
        assert_eq!(check_note("  ").unwrap_err().field, "text");
        assert_eq!(check_note(" call back at 5 ").unwrap(), "call back at 5");
        assert_eq!(check_canned_text(&"a".repeat(4097)).unwrap_err().field, "text");
    }

    #[test]
    fn replies_respect_telegram_limits() {
        assert!(check_reply(MessageKind::Text, Some("hi"), None, None).is_ok());
        assert_eq!(check_reply(MessageKind::Text, Some("  "), None, None).unwrap_err().field, "text");
        assert_eq!(check_reply(MessageKind::Text, Some(&"a".repeat(4097)), None, None).unwrap_err().field, "text");
        assert_eq!(check_reply(MessageKind::Photo, None, Some(&"a".repeat(1025)), Some(10)).unwrap_err().field, "caption");
        assert_eq!(check_reply(MessageKind::Photo, None, None, Some(11 * 1024 * 1024)).unwrap_err().field, "file");
        assert!(check_reply(MessageKind::Video, None, None, Some(11 * 1024 * 1024)).is_ok());
        assert_eq!(check_reply(MessageKind::Location, None, None, None).unwrap_err().field, "kind");
        assert_eq!(check_reply(MessageKind::Sticker, None, Some("no"), Some(5)).unwrap_err().field, "caption");
    }

    #[test]
    fn attachments_must_fit_their_kind() {
        assert!(check_attachment(MessageKind::Photo, "image/jpeg").is_ok());
        assert_eq!(check_attachment(MessageKind::Photo, "application/pdf").unwrap_err().field, "upload_id");
        assert!(check_attachment(MessageKind::Voice, "audio/ogg").unwrap_err().message.contains("OGG/Opus"));
        assert!(check_attachment(MessageKind::Voice, "audio/ogg; codecs=opus").is_ok());
        assert!(check_attachment(MessageKind::Document, "application/octet-stream").is_ok());
    }
}

/// Words of a message kept per conversation for the Inbox search.
pub const MAX_SEARCH_WORDS_PER_MESSAGE: usize = 30;
/// A conversation stops adding words to the search index after this many
/// (a long chat is found by its first few hundred distinct words).
pub const MAX_SEARCH_WORDS_PER_CONVERSATION: usize = 500;

/// The words a message is found by: letters and digits, lower case, at
/// least 3 characters (2 for a number, "X5" stays findable as "x5"),
/// apostrophes dropped so "п'ять" is one word; at most
/// [`MAX_SEARCH_WORDS_PER_MESSAGE`], the longest first.
pub fn search_words(text: &str) -> std::collections::BTreeSet<String> {
    let text: String = text.chars().filter(|c| !matches!(c, '\'' | '’' | 'ʼ')).collect();
    let mut words: Vec<String> = crate::contacts::words(&text)
        .into_iter()
        .filter(|w| w.chars().count() >= 3 || (w.chars().count() == 2 && w.chars().any(|c| c.is_ascii_digit())))
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    let mut out = std::collections::BTreeSet::new();
    for w in words {
        if out.len() == MAX_SEARCH_WORDS_PER_MESSAGE {
            break;
        }
        out.insert(w);
    }
    out
}

#[cfg(test)]
mod search_word_tests {
    use super::*;

    #[test]
    fn messages_are_found_by_their_words() {
        let w = search_words("Шукаю RAV4 2019, п'ять місць, бюджет $25 000. BMW X5?");
        for want in ["шукаю", "rav4", "2019", "пять", "місць", "бюджет", "000", "bmw", "x5"] {
            assert!(w.contains(want), "{want} in {w:?}");
        }
        assert!(w.contains("25"), "a two-digit number stays: {w:?}");
        assert!(!w.contains("п"), "no one-letter words");
        let long = (0..100).map(|i| format!("word{i:03}")).collect::<Vec<_>>().join(" ");
        assert_eq!(search_words(&long).len(), MAX_SEARCH_WORDS_PER_MESSAGE);
    }

    proptest::proptest! {
        /// Any text a buyer sends (it reaches the worker as is): bounded
        /// words, each a lower-case word of 2+ characters, never a panic.
        #[test]
        fn any_text_gives_bounded_words(text in "\\PC{0,400}") {
            let w = search_words(&text);
            proptest::prop_assert!(w.len() <= MAX_SEARCH_WORDS_PER_MESSAGE);
            for word in &w {
                proptest::prop_assert!(word.chars().count() >= 2);
                proptest::prop_assert!(!word.contains('#'), "{word} would break the index key");
            }
        }
    }
}
