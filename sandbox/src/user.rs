//! The user's side: building updates from [`UserMessage`]s and POSTing them
//! to webhooks.

use base64::Engine;
use bytes::Bytes;
use serde_json::{json, Map, Value};

use crate::{
    media::{self, Info, MediaKind},
    state::{now_ms, now_secs, CallbackRec, ChatState, Notice, Sender, TranscriptEntry, Webhook},
    Delivery, MediaKind as Kind, Sandbox, UserMedia, UserMessage, UserRef,
};

/// A valid PNG of `w`×`h` pixels (a colour gradient), uncompressed: a
/// sample photo that Telegram-side size detection reads correctly.
pub fn sample_png(w: u32, h: u32) -> Vec<u8> {
    let (w, h) = (w.clamp(1, 2000), h.clamp(1, 2000));
    let mut raw = Vec::with_capacity(((w * 3 + 1) * h) as usize);
    for y in 0..h {
        raw.push(0u8);
        for x in 0..w {
            raw.push((x * 255 / w.max(2)) as u8);
            raw.push((y * 255 / h.max(2)) as u8);
            raw.push(160);
        }
    }
    // zlib stream of stored (uncompressed) deflate blocks.
    let mut z = vec![0x78, 0x01];
    let mut chunks = raw.chunks(65_535).peekable();
    while let Some(c) = chunks.next() {
        z.push(u8::from(chunks.peek().is_none()));
        let len = c.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(c);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &d in data {
            c ^= u32::from(d);
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// At most this many copies of one update (`deliveries`).
pub(crate) const MAX_DELIVERIES: u32 = 100;
/// At most this long a wait (`delay_ms`).
pub(crate) const MAX_DELAY_MS: u64 = 120_000;

pub(crate) fn user_json(u: &UserRef) -> Value {
    let mut v = json!({"id": u.id, "is_bot": false, "first_name": u.first_name});
    if let Some(o) = v.as_object_mut() {
        if let Some(l) = &u.last_name {
            o.insert("last_name".into(), json!(l));
        }
        if let Some(n) = &u.username {
            o.insert("username".into(), json!(n));
        }
        if let Some(l) = &u.language_code {
            o.insert("language_code".into(), json!(l));
        }
    }
    v
}

/// `text` plus a `bot_command` entity when it starts with a command.
pub(crate) fn put_text(m: &mut Map<String, Value>, text: &str) {
    m.insert("text".into(), json!(text));
    m.remove("entities");
    if text.starts_with('/') {
        let word = text.split(char::is_whitespace).next().unwrap_or("");
        let len: usize = word.chars().map(char::len_utf16).sum();
        if len > 1 {
            m.insert("entities".into(), json!([{"type": "bot_command", "offset": 0, "length": len}]));
        }
    }
}

/// A message as embedded in `reply_to_message` (Telegram does not nest
/// replies further).
pub(crate) fn as_reply(message: &Value) -> Value {
    let mut m = message.clone();
    if let Some(o) = m.as_object_mut() {
        o.remove("reply_to_message");
    }
    m
}

/// The `document` Telegram also sets on animation messages.
pub(crate) fn animation_document(anim: &Value) -> Value {
    let mut d = Map::new();
    for k in ["file_id", "file_unique_id", "file_size", "file_name", "mime_type", "thumbnail"] {
        if let Some(v) = anim.get(k) {
            d.insert(k.into(), v.clone());
        }
    }
    Value::Object(d)
}

fn media_bytes(m: &UserMedia) -> Result<(Bytes, Info), String> {
    let mut info = Info { file_name: m.file_name.clone(), mime_type: m.mime_type.clone(), ..Info::default() };
    let bytes: Vec<u8> = match &m.bytes_b64 {
        Some(b) => base64::engine::general_purpose::STANDARD.decode(b.trim()).map_err(|e| format!("media.bytes_b64 is not base64: {e}"))?,
        None => match m.kind {
            Kind::Photo => sample_png(320, 240),
            Kind::Voice => {
                let mut v = b"OggS\x00\x02".to_vec();
                v.extend_from_slice(&[0u8; 58]);
                v
            }
            Kind::Document => {
                info.file_name.get_or_insert_with(|| "sample.txt".to_owned());
                b"A sample document from the Telegram sandbox.\n".to_vec()
            }
            Kind::Audio => {
                info.file_name.get_or_insert_with(|| "sample.mp3".to_owned());
                let mut v = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
                v.extend_from_slice(&[0u8; 54]);
                v
            }
            Kind::Sticker => b"RIFF\x1a\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\xff\x01\x00\xff\x01\x00".to_vec(),
            other => format!("sandbox {} bytes", other.field()).into_bytes(),
        },
    };
    if bytes.is_empty() {
        return Err("media has no bytes".into());
    }
    if bytes.len() > m.kind.max_upload() {
        return Err(format!("{} larger than Telegram allows", m.kind.field()));
    }
    if info.mime_type.is_none() {
        info.mime_type = media::upload_mime(None, info.file_name.as_deref(), &bytes).or(match m.kind {
            Kind::Video | Kind::Animation | Kind::VideoNote => Some("video/mp4".into()),
            Kind::Voice => Some("audio/ogg".into()),
            Kind::Audio => Some("audio/mpeg".into()),
            Kind::Document => Some("application/octet-stream".into()),
            Kind::Sticker => Some("image/webp".into()),
            Kind::Photo => None,
        });
    }
    Ok((Bytes::from(bytes), info))
}

/// The text of the inline button whose callback_data is `data`.
fn button_text(message: &Value, data: &str) -> Option<String> {
    let rows = message.get("reply_markup")?.get("inline_keyboard")?.as_array()?;
    rows.iter()
        .filter_map(Value::as_array)
        .flatten()
        .find(|b| b.get("callback_data").and_then(Value::as_str) == Some(data))
        .and_then(|b| b.get("text")?.as_str().map(str::to_owned))
}

fn update_type(update: &Value) -> &'static str {
    if update.get("callback_query").is_some() {
        "callback_query"
    } else if update.get("edited_message").is_some() {
        "edited_message"
    } else {
        "message"
    }
}

pub(crate) async fn user_sends(sb: &Sandbox, bot_id: i64, msg: UserMessage) -> Result<Delivery, String> {
    let from = msg.from.clone();
    if from.id <= 0 {
        return Err("from.id must be a positive user id".into());
    }
    if from.first_name.trim().is_empty() {
        return Err("from.first_name must not be empty".into());
    }
    let contents = [
        msg.text.is_some(),
        msg.start_payload.is_some(),
        msg.media.is_some(),
        msg.location.is_some(),
        msg.contact.is_some(),
        msg.callback.is_some(),
        msg.edit.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if contents != 1 {
        return Err("give exactly one of text, start_payload, media, location, contact, callback, edit".into());
    }
    if msg.caption.is_some() && msg.media.is_none() {
        return Err("caption goes with media".into());
    }
    if let Some(t) = msg.text.as_ref().or(msg.edit.as_ref().map(|e| &e.text)) {
        if t.trim().is_empty() {
            return Err("text must not be empty".into());
        }
        if t.chars().count() > 4096 {
            return Err("text longer than 4096 characters".into());
        }
    }
    let media = match &msg.media {
        Some(m) => Some(media_bytes(m)?),
        None => None,
    };

    let chat_id = from.id;
    let order = {
        let mut st = sb.lock();
        let bot = st.bots.get_mut(&bot_id).ok_or_else(|| format!("no bot {bot_id}"))?;
        bot.chat_order.entry(chat_id).or_default().clone()
    };
    // Held until this update's deliveries are answered.
    let _in_order = order.lock().await;
    let (update, message_id, hook) = {
        let mut st = sb.lock();
        let bot = st.bots.get_mut(&bot_id).ok_or_else(|| format!("no bot {bot_id}"))?;
        if bot.blocked.contains(&chat_id) {
            return Err(format!("user {chat_id} has blocked the bot: unblock first"));
        }
        let burst = bot.chat_burst;
        bot.chats.entry(chat_id).or_insert_with(|| ChatState::new(from.clone(), burst)).user = from.clone();
        let chat_json = bot.chat_json(chat_id);
        let date = sb.clock_now();
        let at_ms = now_ms();

        // Validate references before changing anything.
        let reply_to = match msg.reply_to_message_id {
            Some(id) => Some(
                bot.chats
                    .get(&chat_id)
                    .and_then(|c| c.entry(id))
                    .map(|e| as_reply(&e.message))
                    .ok_or_else(|| format!("no message {id} in this chat to reply to"))?,
            ),
            None => None,
        };

        let (update, message_id) = if let Some(cb) = &msg.callback {
            let entry = bot.chats.get(&chat_id).and_then(|c| c.entry(cb.message_id)).ok_or_else(|| format!("no message {} in this chat", cb.message_id))?;
            if entry.sender != Sender::Bot {
                return Err("buttons are pressed on the bot's messages".into());
            }
            let message = entry.message.clone();
            let label = button_text(&message, &cb.data).unwrap_or_else(|| cb.data.clone());
            let n = bot.next_callback;
            bot.next_callback += 1;
            let id = format!("{}{n:08}", bot_id.unsigned_abs());
            bot.callbacks.insert(id.clone(), CallbackRec { chat_id, answered: false });
            let instance = (bot_id.unsigned_abs().wrapping_mul(1_000_003) ^ chat_id.unsigned_abs()) % 9_000_000_000_000_000_000 + 100_000_000_000_000_000;
            let update_id = bot.take_update_id();
            if let Some(c) = bot.chats.get_mut(&chat_id) {
                c.notices.push(Notice { at_ms, kind: "button".into(), text: label, show_alert: false });
            }
            let q = json!({
                "id": id,
                "from": user_json(&from),
                "message": message,
                "chat_instance": format!("-{instance}"),
                "data": cb.data,
            });
            (json!({"update_id": update_id, "callback_query": q}), cb.message_id)
        } else if let Some(ed) = &msg.edit {
            let entry =
                bot.chats.get_mut(&chat_id).and_then(|c| c.entry_mut(ed.message_id)).ok_or_else(|| format!("no message {} in this chat", ed.message_id))?;
            if entry.sender != Sender::User || entry.message.get("text").is_none() {
                return Err("users edit their own text messages".into());
            }
            if let Some(o) = entry.message.as_object_mut() {
                put_text(o, &ed.text);
                o.insert("edit_date".into(), json!(date));
            }
            entry.edited = true;
            let message = entry.message.clone();
            let update_id = bot.take_update_id();
            (json!({"update_id": update_id, "edited_message": message}), ed.message_id)
        } else {
            let mut m = Map::new();
            if let Some(t) = &msg.text {
                put_text(&mut m, t);
            } else if let Some(p) = &msg.start_payload {
                let t = if p.is_empty() { "/start".to_owned() } else { format!("/start {p}") };
                put_text(&mut m, &t);
            } else if let (Some(um), Some((bytes, info))) = (&msg.media, media) {
                let obj = bot.store_file(um.kind, bytes, info);
                if um.kind == MediaKind::Animation {
                    m.insert("document".into(), animation_document(&obj));
                }
                m.insert(um.kind.field().into(), obj);
                if let Some(c) = &msg.caption {
                    m.insert("caption".into(), json!(c));
                }
            } else if let Some(l) = &msg.location {
                m.insert("location".into(), json!({"latitude": l.latitude, "longitude": l.longitude}));
            } else if let Some(c) = &msg.contact {
                let mut cj = json!({
                    "phone_number": c.phone_number,
                    "first_name": c.first_name,
                    "user_id": c.user_id.unwrap_or(from.id),
                });
                if let (Some(l), Some(o)) = (&c.last_name, cj.as_object_mut()) {
                    o.insert("last_name".into(), json!(l));
                }
                m.insert("contact".into(), cj);
            }
            if let Some(g) = &msg.media_group_id {
                m.insert("media_group_id".into(), json!(g));
            }
            if let Some(r) = reply_to {
                m.insert("reply_to_message".into(), r);
            }
            let chat = bot.chats.get_mut(&chat_id).ok_or("chat vanished")?;
            let message_id = chat.take_message_id();
            m.insert("message_id".into(), json!(message_id));
            m.insert("from".into(), user_json(&from));
            m.insert("chat".into(), chat_json);
            m.insert("date".into(), json!(date));
            let message = Value::Object(m);
            chat.entries.push(TranscriptEntry {
                sender: Sender::User,
                message_id,
                message: message.clone(),
                at_ms,
                reply_keyboard: None,
                edited: false,
                deleted: false,
                pinned: false,
            });
            let update_id = bot.take_update_id();
            (json!({"update_id": update_id, "message": message}), message_id)
        };
        let hook = bot.webhook.clone();
        if hook.is_none() {
            bot.pending.push_back(update.clone());
        }
        (update, message_id, hook)
    };
    let update_id = update.get("update_id").and_then(Value::as_i64).unwrap_or(0);
    let Some(hook) = hook else {
        sb.inner.notify.notify_waiters();
        return Ok(Delivery { update_id, message_id, statuses: vec![] });
    };
    if !hook.allowed_updates.is_empty() && !hook.allowed_updates.iter().any(|u| u == update_type(&update)) {
        return Ok(Delivery { update_id, message_id, statuses: vec![] });
    }
    let deliveries = msg.deliveries.clamp(1, MAX_DELIVERIES);
    let delay_ms = msg.delay_ms.min(MAX_DELAY_MS);
    let statuses = deliver(sb, bot_id, &hook, &update, deliveries, msg.concurrent, delay_ms).await;
    Ok(Delivery { update_id, message_id, statuses })
}

async fn post_once(sb: Sandbox, bot_id: i64, hook: Webhook, body: Bytes) -> u16 {
    let _permit = hook.permits.clone().acquire_owned().await;
    let mut rb = sb.inner.client.post(&hook.url).header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
    if let Some(s) = &hook.secret_token {
        rb = rb.header("X-Telegram-Bot-Api-Secret-Token", s);
    }
    let (status, error) = match rb.send().await {
        Ok(resp) => {
            let s = resp.status();
            let _ = resp.bytes().await;
            let err = (!s.is_success()).then(|| format!("Wrong response from the webhook: {} {}", s.as_u16(), s.canonical_reason().unwrap_or("")));
            (s.as_u16(), err)
        }
        Err(e) if e.is_timeout() => (0, Some("Read timeout expired".to_owned())),
        Err(_) => (0, Some("Connection refused".to_owned())),
    };
    if let Some(err) = error {
        tracing::debug!(bot_id, %err, "webhook delivery failed");
        if let Some(b) = sb.lock().bots.get_mut(&bot_id) {
            b.last_error = Some((now_secs(), err));
        }
    }
    status
}

/// POSTs `update` to the webhook `n` times; returns each HTTP status.
pub(crate) async fn deliver(sb: &Sandbox, bot_id: i64, hook: &Webhook, update: &Value, n: u32, concurrent: bool, delay_ms: u64) -> Vec<u16> {
    let body = Bytes::from(serde_json::to_vec(update).unwrap_or_default());
    let delay = std::time::Duration::from_millis(delay_ms);
    if delay_ms > 0 {
        tokio::time::sleep(delay).await;
    }
    let mut statuses = Vec::with_capacity(n as usize);
    if concurrent {
        let handles: Vec<_> = (0..n).map(|_| tokio::spawn(post_once(sb.clone(), bot_id, hook.clone(), body.clone()))).collect();
        for h in handles {
            statuses.push(h.await.unwrap_or(0));
        }
    } else {
        for i in 0..n {
            if i > 0 && delay_ms > 0 {
                tokio::time::sleep(delay).await;
            }
            statuses.push(post_once(sb.clone(), bot_id, hook.clone(), body.clone()).await);
        }
    }
    statuses
}

/// Delivers updates that waited for `getUpdates` to a newly set webhook,
/// one after another.
pub(crate) fn flush_pending(sb: &Sandbox, bot_id: i64) {
    let (hook, pending) = {
        let mut st = sb.lock();
        let Some(bot) = st.bots.get_mut(&bot_id) else { return };
        let Some(hook) = bot.webhook.clone() else { return };
        (hook, bot.pending.drain(..).collect::<Vec<_>>())
    };
    if pending.is_empty() {
        return;
    }
    let sb = sb.clone();
    tokio::spawn(async move {
        for u in pending {
            deliver(&sb, bot_id, &hook, &u, 1, false, 0).await;
        }
    });
}
