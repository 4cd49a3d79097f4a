//! How the scenario engine's outgoing messages look in Telegram: the
//! message kind, text or caption, and the `reply_markup` JSON.

use crate::client::{Media, Reply};
use cartie_domain::inbox::MessageKind;
use cartie_domain::scenario::{MediaKind, OutButton, OutKeyboard, Outgoing};
use serde_json::{json, Value};

pub fn message_kind(k: MediaKind) -> MessageKind {
    match k {
        MediaKind::Photo => MessageKind::Photo,
        MediaKind::Video => MessageKind::Video,
        MediaKind::Audio => MessageKind::Audio,
        MediaKind::Voice => MessageKind::Voice,
        MediaKind::Document => MessageKind::Document,
        MediaKind::Animation => MessageKind::Animation,
        MediaKind::Sticker => MessageKind::Sticker,
        MediaKind::VideoNote => MessageKind::VideoNote,
    }
}

/// `reply_markup` for the engine's buttons: inline buttons one per row;
/// a reply keyboard that hides after use; or the removal of one.
pub fn markup(out: &Outgoing) -> Option<Value> {
    match out.keyboard {
        OutKeyboard::None => None,
        OutKeyboard::Remove => Some(json!({ "remove_keyboard": true })),
        OutKeyboard::Inline => {
            let rows: Vec<Value> = out
                .buttons
                .iter()
                .filter_map(|b| match b {
                    OutButton::Callback { label, data } => Some(json!([{ "text": label, "callback_data": data }])),
                    OutButton::Url { label, url } => Some(json!([{ "text": label, "url": url }])),
                    _ => None,
                })
                .collect();
            (!rows.is_empty()).then(|| json!({ "inline_keyboard": rows }))
        }
        OutKeyboard::Reply => {
            let rows: Vec<Value> = out
                .buttons
                .iter()
                .map(|b| match b {
                    OutButton::RequestContact { label } => json!([{ "text": label, "request_contact": true }]),
                    OutButton::RequestLocation { label } => json!([{ "text": label, "request_location": true }]),
                    OutButton::Text { label } | OutButton::Callback { label, .. } | OutButton::Url { label, .. } => json!([{ "text": label }]),
                })
                .collect();
            (!rows.is_empty()).then(|| json!({ "keyboard": rows, "resize_keyboard": true, "one_time_keyboard": true }))
        }
    }
}

/// The Bot API call for one outgoing message; `None` when there is nothing to send.
pub fn reply(out: &Outgoing) -> Option<Reply> {
    let text = out.text.trim();
    let markup = markup(out);
    match &out.media {
        Some(m) if !m.file_id.is_empty() => {
            let kind = message_kind(m.kind);
            let captionless = matches!(kind, MessageKind::Sticker | MessageKind::VideoNote);
            Some(Reply {
                kind,
                text: None,
                caption: (!captionless && !text.is_empty()).then(|| text.to_string()),
                media: Some(Media::FileId(m.file_id.clone())),
                reply_markup: markup,
                reply_to: None,
            })
        }
        _ if text.is_empty() => None,
        _ => Some(Reply { reply_markup: markup, ..Reply::text(text) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_become_telegram_keyboards() {
        let out = Outgoing {
            text: "Pick".into(),
            media: None,
            buttons: vec![
                OutButton::Callback { label: "A".into(), data: "sc:n1:0".into() },
                OutButton::Url { label: "Site".into(), url: "https://d.test".into() },
            ],
            keyboard: OutKeyboard::Inline,
        };
        assert_eq!(markup(&out), Some(json!({"inline_keyboard": [[{"text": "A", "callback_data": "sc:n1:0"}], [{"text": "Site", "url": "https://d.test"}]]})));
        let ask =
            Outgoing { text: "Phone?".into(), media: None, buttons: vec![OutButton::RequestContact { label: "Share".into() }], keyboard: OutKeyboard::Reply };
        assert_eq!(markup(&ask).and_then(|m| m["keyboard"][0][0]["request_contact"].as_bool()), Some(true));
        assert!(reply(&Outgoing { text: " ".into(), media: None, buttons: vec![], keyboard: OutKeyboard::None }).is_none());
    }
}
