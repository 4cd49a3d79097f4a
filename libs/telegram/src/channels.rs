//! A bot's channels and groups: what a chat is (`getChat`), what the bot
//! may do there (`getChatMember`), and the after-life of a post: edit,
//! delete, pin. "Not modified" and "already deleted" answers count as done,
//! so every call here is safe to repeat.

use crate::client::{Telegram, TgError};
use cartie_domain::calendar::ChannelRights;
use teloxide_core::payloads::setters::*;
use teloxide_core::requests::Requester;
use teloxide_core::types::{ChatFullInfoKind, ChatFullInfoPublicKind, ChatId, ChatMemberKind, MessageId, Recipient, UserId};

/// A channel or group as `getChat` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatInfo {
    pub id: i64,
    pub title: String,
    pub username: Option<String>,
    /// A group or supergroup (not a broadcast channel).
    pub group: bool,
}

fn recipient(chat: &str) -> Recipient {
    let chat = chat.trim();
    match chat.parse::<i64>() {
        Ok(id) => Recipient::Id(ChatId(id)),
        Err(_) => Recipient::ChannelUsername(if chat.starts_with('@') { chat.to_string() } else { format!("@{chat}") }),
    }
}

/// Telegram's answers that mean "already so".
fn already(e: &TgError, words: &[&str]) -> bool {
    matches!(e, TgError::Refused(m) if words.iter().any(|w| m.to_lowercase().contains(w)))
}

impl Telegram {
    /// The chat named by `@username` or its id; `Refused` ("chat not found") otherwise.
    pub async fn chat_info(&self, token: &str, chat: &str) -> Result<ChatInfo, TgError> {
        let c = self.bot(token).get_chat(recipient(chat)).await?;
        let (title, username, group) = match &c.kind {
            ChatFullInfoKind::Public(p) => {
                let group = !matches!(p.kind, ChatFullInfoPublicKind::Channel(_));
                let username = match &p.kind {
                    ChatFullInfoPublicKind::Channel(ch) => ch.username.clone(),
                    ChatFullInfoPublicKind::Supergroup(sg) => sg.username.clone(),
                    _ => None,
                };
                (p.title.clone().unwrap_or_default(), username, group)
            }
            ChatFullInfoKind::Private(_) => return Err(TgError::Refused("this is a person's chat, not a channel or group".into())),
        };
        Ok(ChatInfo { id: c.id.0, title, username, group })
    }

    /// What the bot may do in the chat. In a channel, pinning comes with
    /// the right to edit messages and a bot may delete its own posts with
    /// the right to post (Telegram does not report `can_pin_messages` for
    /// channels); in a group the rights are as named.
    pub async fn bot_rights(&self, token: &str, chat_id: i64, bot_id: i64, group: bool) -> Result<ChannelRights, TgError> {
        let m = self.bot(token).get_chat_member(ChatId(chat_id), UserId(bot_id as u64)).await?;
        Ok(match m.kind {
            ChatMemberKind::Owner(_) => ChannelRights { post: true, edit: true, delete: true, pin: true },
            ChatMemberKind::Administrator(a) if group => ChannelRights { post: true, edit: true, delete: true, pin: a.can_pin_messages },
            ChatMemberKind::Administrator(a) => ChannelRights {
                post: a.can_post_messages,
                edit: a.can_edit_messages,
                delete: a.can_delete_messages || a.can_post_messages,
                pin: a.can_edit_messages,
            },
            // A plain member of a group may write there (and edit and delete its own messages).
            ChatMemberKind::Member(_) if group => ChannelRights { post: true, edit: true, delete: true, pin: false },
            _ => ChannelRights::default(),
        })
    }

    /// Replaces a post's text (or its caption when it has media).
    pub async fn edit_post(&self, token: &str, chat_id: i64, message_id: i64, text: &str, caption: bool) -> Result<(), TgError> {
        let bot = self.bot(token);
        let res = if caption {
            bot.edit_message_caption(ChatId(chat_id), MessageId(message_id as i32)).caption(text.to_string()).await.map(|_| ())
        } else {
            bot.edit_message_text(ChatId(chat_id), MessageId(message_id as i32), text.to_string()).await.map(|_| ())
        };
        match res.map_err(TgError::from) {
            Err(e) if already(&e, &["not modified"]) => Ok(()),
            other => other,
        }
    }

    /// Deletes a post; one already gone counts as deleted.
    pub async fn delete_post(&self, token: &str, chat_id: i64, message_id: i64) -> Result<(), TgError> {
        match self.bot(token).delete_message(ChatId(chat_id), MessageId(message_id as i32)).await.map_err(TgError::from) {
            Err(e) if already(&e, &["message to delete not found"]) => Ok(()),
            other => other.map(|_| ()),
        }
    }

    pub async fn pin_post(&self, token: &str, chat_id: i64, message_id: i64) -> Result<(), TgError> {
        self.bot(token).pin_chat_message(ChatId(chat_id), MessageId(message_id as i32)).disable_notification(true).await?;
        Ok(())
    }
}
