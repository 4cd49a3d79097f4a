//! Raw Bot API updates into Inbox messages. Parsed from the JSON Telegram
//! sends (tolerant: unknown fields and kinds are ignored, never a panic).

use cartie_domain::inbox::{Direction, Message, MessageKind, Person};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
struct RawUpdate {
    update_id: i64,
    message: Option<Value>,
    edited_message: Option<Value>,
    callback_query: Option<RawCallback>,
    #[serde(default)]
    my_chat_member: Option<Value>,
}

/// Telegram's `my_chat_member`: the bot's own membership in a chat changed.
#[derive(Debug, Deserialize)]
struct RawMemberUpdate {
    chat: RawChatId,
    from: RawUser,
    new_chat_member: RawMemberStatus,
}

#[derive(Debug, Deserialize)]
struct RawChatId {
    id: i64,
}

#[derive(Debug, Deserialize)]
struct RawMemberStatus {
    status: String,
}

/// A buyer blocking (`kicked`) or unblocking (`member`) the bot in their
/// private chat: (chat, buyer, blocked). Anything else (groups, channels,
/// other statuses, a malformed object) is `None`.
fn bot_member(raw: Option<&Value>) -> Option<(i64, RawUser, bool)> {
    let m: RawMemberUpdate = serde_json::from_value(raw?.clone()).ok()?;
    let blocked = match m.new_chat_member.status.as_str() {
        "kicked" => true,
        "member" => false,
        _ => return None,
    };
    (m.chat.id > 0 && m.chat.id == m.from.id).then_some((m.chat.id, m.from, blocked))
}

#[derive(Debug, Deserialize)]
struct RawCallback {
    id: String,
    from: RawUser,
    message: Option<Value>,
    data: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
struct RawUser {
    id: i64,
    #[serde(default)]
    first_name: String,
    last_name: Option<String>,
    username: Option<String>,
    #[serde(default)]
    language_code: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawChat {
    id: i64,
}

#[derive(Debug, Deserialize, Default, Clone)]
struct RawFile {
    file_id: String,
    file_name: Option<String>,
    mime_type: Option<String>,
    file_size: Option<i64>,
    duration: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct RawLocation {
    latitude: f64,
    longitude: f64,
}

#[derive(Debug, Deserialize)]
struct RawContact {
    phone_number: String,
    #[serde(default)]
    first_name: String,
    last_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawMessage {
    message_id: i64,
    date: i64,
    chat: RawChat,
    from: Option<RawUser>,
    text: Option<String>,
    caption: Option<String>,
    photo: Option<Vec<RawFile>>,
    video: Option<RawFile>,
    audio: Option<RawFile>,
    voice: Option<RawFile>,
    document: Option<RawFile>,
    animation: Option<RawFile>,
    sticker: Option<RawFile>,
    video_note: Option<RawFile>,
    location: Option<RawLocation>,
    contact: Option<RawContact>,
    media_group_id: Option<String>,
    reply_to_message: Option<Box<RawRef>>,
    reply_markup: Option<Value>,
    edit_date: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct RawRef {
    message_id: i64,
}

/// What an update means for the Inbox.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// A new message from the buyer.
    Message(Message),
    /// The buyer edited a message they sent earlier.
    Edited(Message),
    /// The buyer pressed an inline button; `message` records the press.
    Callback { callback_id: String, message: Message },
    /// The buyer blocked (or unblocked) the bot: `my_chat_member` in their
    /// private chat.
    BotBlocked { chat_id: i64, buyer: Person, blocked: bool },
    /// Something Cartie does not handle (channel posts, polls, ...).
    Ignored,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedUpdate {
    pub update_id: i64,
    /// The chat, for per-chat ordering; `None` for ignored updates.
    pub chat_id: Option<i64>,
    pub inbound: Inbound,
}

fn person(u: &RawUser) -> Person {
    Person { id: u.id, first_name: u.first_name.clone(), last_name: u.last_name.clone(), username: u.username.clone(), language_code: u.language_code.clone() }
}

/// Reads one message object (from an update, or returned by a send).
pub fn message_from_json(bot_id: i64, raw: &Value, direction: Direction) -> Result<Message, String> {
    let m: RawMessage = serde_json::from_value(raw.clone()).map_err(|e| format!("not a Telegram message: {e}"))?;
    let (kind, file) = if let Some(sizes) = &m.photo {
        // Telegram lists sizes small to large; the largest is the photo.
        (MessageKind::Photo, sizes.last().cloned())
    } else if let Some(f) = &m.animation {
        (MessageKind::Animation, Some(f.clone()))
    } else if let Some(f) = &m.video {
        (MessageKind::Video, Some(f.clone()))
    } else if let Some(f) = &m.audio {
        (MessageKind::Audio, Some(f.clone()))
    } else if let Some(f) = &m.voice {
        (MessageKind::Voice, Some(f.clone()))
    } else if let Some(f) = &m.sticker {
        (MessageKind::Sticker, Some(f.clone()))
    } else if let Some(f) = &m.video_note {
        (MessageKind::VideoNote, Some(f.clone()))
    } else if let Some(f) = &m.document {
        (MessageKind::Document, Some(f.clone()))
    } else if m.location.is_some() {
        (MessageKind::Location, None)
    } else if m.contact.is_some() {
        (MessageKind::Contact, None)
    } else if m.text.is_some() {
        (MessageKind::Text, None)
    } else {
        (MessageKind::Other, None)
    };
    let file = file.unwrap_or_default();
    let non_empty = |s: String| if s.is_empty() { None } else { Some(s) };
    Ok(Message {
        bot_id,
        chat_id: m.chat.id,
        message_id: m.message_id,
        direction,
        kind,
        at_ms: m.date.saturating_mul(1000),
        seq: 0,
        from: m.from.as_ref().map(person),
        text: m.text,
        caption: m.caption,
        file_id: non_empty(file.file_id),
        file_name: file.file_name,
        mime_type: file.mime_type,
        file_size: file.file_size,
        duration: file.duration,
        media_group_id: m.media_group_id,
        reply_to: m.reply_to_message.map(|r| r.message_id),
        reply_markup: m.reply_markup.map(|v| v.to_string()),
        callback_data: None,
        latitude: m.location.as_ref().map(|l| l.latitude),
        longitude: m.location.as_ref().map(|l| l.longitude),
        contact_phone: m.contact.as_ref().map(|c| c.phone_number.clone()),
        contact_name: m.contact.as_ref().map(|c| match &c.last_name {
            Some(l) => format!("{} {l}", c.first_name),
            None => c.first_name.clone(),
        }),
        edited_at_ms: m.edit_date.map(|d| d.saturating_mul(1000)),
        sent_by: None,
        note_id: None,
    })
}

/// Parses a webhook body. `Err` means the body is not an update at all.
pub fn parse_update(bot_id: i64, body: &[u8], now_ms: i64) -> Result<ParsedUpdate, String> {
    let u: RawUpdate = serde_json::from_slice(body).map_err(|e| format!("not a Telegram update: {e}"))?;
    let inbound = if let Some(m) = &u.message {
        Inbound::Message(message_from_json(bot_id, m, Direction::In)?)
    } else if let Some(m) = &u.edited_message {
        Inbound::Edited(message_from_json(bot_id, m, Direction::In)?)
    } else if let Some(cb) = u.callback_query {
        let pressed = cb.message.as_ref().and_then(|m| message_from_json(bot_id, m, Direction::Out).ok());
        let chat_id = pressed.as_ref().map(|p| p.chat_id).unwrap_or(cb.from.id);
        let message = Message {
            reply_to: pressed.map(|p| p.message_id),
            callback_data: cb.data,
            ..Message::incoming(bot_id, chat_id, MessageKind::Callback, now_ms, Some(person(&cb.from)))
        };
        Inbound::Callback { callback_id: cb.id, message }
    } else if let Some((chat_id, from, blocked)) = bot_member(u.my_chat_member.as_ref()) {
        Inbound::BotBlocked { chat_id, buyer: person(&from), blocked }
    } else {
        Inbound::Ignored
    };
    let chat_id = match &inbound {
        Inbound::Message(m) | Inbound::Edited(m) => Some(m.chat_id),
        Inbound::Callback { message, .. } => Some(message.chat_id),
        Inbound::BotBlocked { chat_id, .. } => Some(*chat_id),
        Inbound::Ignored => None,
    };
    Ok(ParsedUpdate { update_id: u.update_id, chat_id, inbound })
}

/// Just what the webhook needs of an update, read without building the
/// message: its id and the chat whose queue group it joins (the same chat
/// [`parse_update`] finds; `None` for updates Cartie does not handle).
pub fn peek_update(body: &[u8]) -> Result<(i64, Option<i64>), String> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    #[derive(Deserialize)]
    struct Msg {
        chat: Id,
    }
    #[derive(Deserialize)]
    struct Cb {
        from: Id,
        #[serde(default)]
        message: Option<Msg>,
    }
    #[derive(Deserialize)]
    struct Peek {
        update_id: i64,
        #[serde(default)]
        message: Option<Msg>,
        #[serde(default)]
        edited_message: Option<Msg>,
        #[serde(default)]
        callback_query: Option<Cb>,
        #[serde(default)]
        my_chat_member: Option<Value>,
    }
    let p: Peek = serde_json::from_slice(body).map_err(|e| format!("not a Telegram update: {e}"))?;
    let chat = match (p.message, p.edited_message, p.callback_query) {
        (Some(m), _, _) | (None, Some(m), _) => Some(m.chat.id),
        (None, None, Some(cb)) => Some(cb.message.map(|m| m.chat.id).unwrap_or(cb.from.id)),
        _ => bot_member(p.my_chat_member.as_ref()).map(|(chat, _, _)| chat),
    };
    Ok((p.update_id, chat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn peek_finds_what_parse_finds() {
        let cases = [
            json!({"update_id": 1, "message": {"message_id": 5, "date": 1, "chat": {"id": 42}, "text": "hi"}}),
            json!({"update_id": 2, "edited_message": {"message_id": 5, "date": 1, "chat": {"id": -100}, "text": "hi"}}),
            json!({"update_id": 3, "callback_query": {"id": "c", "from": {"id": 7, "first_name": "A"}, "data": "x"}}),
            json!({"update_id": 4, "callback_query": {"id": "c", "from": {"id": 7, "first_name": "A"}, "message": {"message_id": 1, "date": 1, "chat": {"id": 9}}}}),
            json!({"update_id": 5, "my_chat_member": {"chat": {"id": 9}}}),
            json!({"update_id": 6, "my_chat_member": {"chat": {"id": 9, "type": "private"}, "from": {"id": 9, "first_name": "A"},
                   "new_chat_member": {"status": "kicked", "user": {"id": 1, "first_name": "Bot"}}}}),
            json!({"update_id": 7, "my_chat_member": {"chat": {"id": -5}, "from": {"id": 9, "first_name": "A"}, "new_chat_member": {"status": "kicked"}}}),
        ];
        for c in cases {
            let body = c.to_string().into_bytes();
            let full = parse_update(1, &body, 0).unwrap();
            assert_eq!(peek_update(&body).unwrap(), (full.update_id, full.chat_id), "{c}");
        }
        assert!(peek_update(b"[]").is_err());
        assert!(peek_update(b"{\"update_id\": \"x\"}").is_err());
    }

    fn update(message: Value) -> Vec<u8> {
        json!({ "update_id": 7, "message": message }).to_string().into_bytes()
    }

    fn base() -> Value {
        json!({ "message_id": 5, "date": 1700000000, "chat": {"id": 42, "type": "private", "first_name": "Ann"},
                "from": {"id": 42, "is_bot": false, "first_name": "Ann", "username": "ann"} })
    }

    #[test]
    fn text_photo_album_reply() {
        let mut m = base();
        m["text"] = json!("Hi, is the X5 available?");
        m["reply_to_message"] = json!({"message_id": 3, "date": 1, "chat": {"id": 42, "type": "private"}});
        let p = parse_update(1, &update(m), 0).unwrap();
        assert_eq!(p.update_id, 7);
        assert_eq!(p.chat_id, Some(42));
        let Inbound::Message(msg) = p.inbound else { panic!() };
        assert_eq!(msg.kind, MessageKind::Text);
        assert_eq!(msg.reply_to, Some(3));
        assert_eq!(msg.at_ms, 1_700_000_000_000);
        assert_eq!(msg.from.unwrap().username.as_deref(), Some("ann"));

        let mut m = base();
        m["photo"] = json!([{"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
                            {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 960, "file_size": 12345}]);
        m["caption"] = json!("this one");
        m["media_group_id"] = json!("album-1");
        let Inbound::Message(msg) = parse_update(1, &update(m), 0).unwrap().inbound else { panic!() };
        assert_eq!((msg.kind, msg.file_id.as_deref(), msg.caption.as_deref()), (MessageKind::Photo, Some("large"), Some("this one")));
        assert_eq!(msg.media_group_id.as_deref(), Some("album-1"));
    }

    #[test]
    fn every_media_kind_is_recognised() {
        for (field, kind) in [
            ("video", MessageKind::Video),
            ("audio", MessageKind::Audio),
            ("voice", MessageKind::Voice),
            ("document", MessageKind::Document),
            ("sticker", MessageKind::Sticker),
            ("video_note", MessageKind::VideoNote),
        ] {
            let mut m = base();
            m[field] = json!({"file_id": format!("f-{field}"), "file_unique_id": "u", "file_name": "a.bin", "duration": 3});
            let Inbound::Message(msg) = parse_update(1, &update(m), 0).unwrap().inbound else { panic!() };
            assert_eq!(msg.kind, kind, "{field}");
            assert_eq!(msg.file_id.as_deref(), Some(format!("f-{field}").as_str()));
        }
        // A GIF comes with both `animation` and `document`: it is a GIF.
        let mut m = base();
        m["animation"] = json!({"file_id": "gif", "file_unique_id": "u"});
        m["document"] = json!({"file_id": "gif", "file_unique_id": "u"});
        let Inbound::Message(msg) = parse_update(1, &update(m), 0).unwrap().inbound else { panic!() };
        assert_eq!(msg.kind, MessageKind::Animation);

        let mut m = base();
        m["location"] = json!({"latitude": 52.5, "longitude": 13.4});
        let Inbound::Message(msg) = parse_update(1, &update(m), 0).unwrap().inbound else { panic!() };
        assert_eq!((msg.kind, msg.latitude), (MessageKind::Location, Some(52.5)));
        let mut m = base();
        m["contact"] = json!({"phone_number": "+491701234567", "first_name": "Ann", "last_name": "Lee"});
        let Inbound::Message(msg) = parse_update(1, &update(m), 0).unwrap().inbound else { panic!() };
        assert_eq!((msg.kind, msg.contact_phone.as_deref(), msg.contact_name.as_deref()), (MessageKind::Contact, Some("+491701234567"), Some("Ann Lee")));
    }

    #[test]
    fn edits_callbacks_and_junk() {
        let mut m = base();
        m["text"] = json!("fixed typo");
        m["edit_date"] = json!(1700000100);
        let body = json!({"update_id": 8, "edited_message": m}).to_string();
        let Inbound::Edited(msg) = parse_update(1, body.as_bytes(), 0).unwrap().inbound else { panic!() };
        assert_eq!(msg.edited_at_ms, Some(1_700_000_100_000));

        let body = json!({"update_id": 9, "callback_query": {"id": "cb1", "from": {"id": 42, "is_bot": false, "first_name": "Ann"},
            "chat_instance": "x", "data": "book:viewing",
            "message": {"message_id": 11, "date": 1700000000, "chat": {"id": 42, "type": "private"}, "text": "Pick"}}})
        .to_string();
        let p = parse_update(1, body.as_bytes(), 99).unwrap();
        let Inbound::Callback { callback_id, message } = p.inbound else { panic!() };
        assert_eq!((callback_id.as_str(), message.callback_data.as_deref(), message.reply_to, message.at_ms), ("cb1", Some("book:viewing"), Some(11), 99));

        let p = parse_update(1, br#"{"update_id": 10, "channel_post": {}}"#, 0).unwrap();
        assert_eq!((p.inbound, p.chat_id), (Inbound::Ignored, None));
        assert!(parse_update(1, b"[]", 0).is_err());
        assert!(parse_update(1, b"{\"message\": {}}", 0).is_err());
        assert!(parse_update(1, b"\xff\xfe", 0).is_err());
    }
}
