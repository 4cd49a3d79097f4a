//! A campaign's message in Telegram: the buttons' `reply_markup`, and one
//! send (text, one file with a caption, or an album), optionally as a paid
//! broadcast (`allow_paid_broadcast`, up to 1,000 msg/s).

use crate::client::{Media, Telegram, TgError};
use cartie_domain::campaigns::{scenario_callback, ButtonAction, CampaignContent};
use cartie_domain::inbox::{Direction, Message, MessageKind};
use serde_json::{json, Value};
use teloxide_core::payloads::setters::*;
use teloxide_core::requests::Requester;
use teloxide_core::types::{ChatId, FileId, InputFile, InputMedia, InputMediaPhoto, InputMediaVideo, ReplyMarkup};

/// The buttons as an inline keyboard, one per row.
pub fn markup(content: &CampaignContent) -> Option<Value> {
    let rows: Vec<Value> = content
        .buttons
        .iter()
        .map(|b| match b.action {
            ButtonAction::Url => json!([{ "text": b.text, "url": b.url }]),
            ButtonAction::MiniApp => json!([{ "text": b.text, "web_app": { "url": b.url } }]),
            ButtonAction::Scenario => json!([{ "text": b.text, "callback_data": scenario_callback(b.scenario_id.as_deref().unwrap_or_default()) }]),
        })
        .collect();
    (!rows.is_empty()).then(|| json!({ "inline_keyboard": rows }))
}

/// One recipient's message.
#[derive(Debug, Clone)]
pub struct Post {
    /// The text, or the caption when there are files.
    pub text: String,
    /// Files in order (an album when more than one).
    pub files: Vec<(MessageKind, Media)>,
    pub markup: Option<Value>,
    pub paid: bool,
}

impl Telegram {
    /// Sends a campaign's message to one chat; returns what Telegram
    /// stored (one message, or one per album item — their `file_id`s are
    /// what later sends re-use).
    pub async fn send_post(&self, token: &str, bot_id: i64, chat_id: i64, post: &Post) -> Result<Vec<Message>, TgError> {
        let bot = self.bot(token);
        let chat = ChatId(chat_id);
        let markup: Option<ReplyMarkup> = match &post.markup {
            Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| TgError::Refused(format!("bad keyboard: {e}")))?),
            None => None,
        };
        let caption = (!post.text.is_empty()).then(|| post.text.clone());
        let input = |m: &Media| -> Result<InputFile, TgError> {
            match m {
                Media::Upload { bytes, file_name } => Ok(InputFile::memory(bytes.clone()).file_name(file_name.clone())),
                Media::FileId(id) => Ok(InputFile::file_id(FileId(id.clone()))),
                Media::Stream { .. } => Err(TgError::Refused("a campaign's file must be uploaded from memory or re-sent by file_id".into())),
            }
        };
        macro_rules! single {
            ($req:expr) => {{
                let mut r = $req.allow_paid_broadcast(post.paid);
                if let Some(m) = markup.clone() {
                    r = r.reply_markup(m);
                }
                if let Some(c) = caption.clone() {
                    r = r.caption(c);
                }
                vec![r.await?]
            }};
        }
        let sent = match post.files.as_slice() {
            [] => {
                let mut r = bot.send_message(chat, post.text.clone()).allow_paid_broadcast(post.paid);
                if let Some(m) = markup.clone() {
                    r = r.reply_markup(m);
                }
                vec![r.await?]
            }
            [(kind, media)] => match kind {
                MessageKind::Photo => single!(bot.send_photo(chat, input(media)?)),
                MessageKind::Video => single!(bot.send_video(chat, input(media)?)),
                MessageKind::Document => single!(bot.send_document(chat, input(media)?)),
                MessageKind::Animation => single!(bot.send_animation(chat, input(media)?)),
                MessageKind::Audio => single!(bot.send_audio(chat, input(media)?)),
                other => return Err(TgError::Refused(format!("a campaign cannot send a {}", other.as_str()))),
            },
            many => {
                let mut items = Vec::with_capacity(many.len());
                for (i, (kind, media)) in many.iter().enumerate() {
                    let cap = if i == 0 { caption.clone() } else { None };
                    items.push(match kind {
                        MessageKind::Video => {
                            let mut v = InputMediaVideo::new(input(media)?);
                            if let Some(c) = cap {
                                v = v.caption(c);
                            }
                            InputMedia::Video(v)
                        }
                        _ => {
                            let mut p = InputMediaPhoto::new(input(media)?);
                            if let Some(c) = cap {
                                p = p.caption(c);
                            }
                            InputMedia::Photo(p)
                        }
                    });
                }
                bot.send_media_group(chat, items).allow_paid_broadcast(post.paid).await?
            }
        };
        sent.iter()
            .map(|m| {
                let raw = serde_json::to_value(m).map_err(|e| TgError::Network(e.to_string()))?;
                crate::inbound::message_from_json(bot_id, &raw, Direction::Out).map_err(TgError::Network)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartie_domain::campaigns::CampaignButton;

    #[test]
    fn buttons_become_one_row_each() {
        let b = |action, url: Option<&str>, scenario: Option<&str>| CampaignButton {
            text: "Go".into(),
            action,
            url: url.map(Into::into),
            scenario_id: scenario.map(Into::into),
        };
        let content = CampaignContent {
            text: "Hi".into(),
            media: vec![],
            buttons: vec![
                b(ButtonAction::Url, Some("https://x.ua"), None),
                b(ButtonAction::MiniApp, Some("https://app.x.ua"), None),
                b(ButtonAction::Scenario, None, Some("S1")),
            ],
        };
        let m = markup(&content).unwrap();
        assert_eq!(m["inline_keyboard"][0][0]["url"], "https://x.ua");
        assert_eq!(m["inline_keyboard"][1][0]["web_app"]["url"], "https://app.x.ua");
        assert_eq!(m["inline_keyboard"][2][0]["callback_data"], "cartie:scenario:S1");
        assert!(markup(&CampaignContent::default()).is_none());
    }
}
