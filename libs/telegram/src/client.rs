use bytes::Bytes;
use cartie_domain::inbox::{Direction, Message, MessageKind};
use std::sync::{Arc, Mutex};
use teloxide_core::payloads::setters::*;
use teloxide_core::requests::Requester;
use teloxide_core::types::{ChatId, FileId, InputFile, InputMedia, InputMediaPhoto, Recipient, ReplyMarkup};
use teloxide_core::{ApiError, Bot, RequestError};

/// Why Telegram refused; each case is something a user can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TgError {
    #[error("Telegram does not accept this bot token")]
    InvalidToken,
    #[error("the buyer blocked this bot")]
    Blocked,
    #[error("Telegram asks to wait {0} s before sending more")]
    RetryAfter(u32),
    #[error("Telegram refused: {0}")]
    Refused(String),
    #[error("Telegram is unreachable: {0}")]
    Network(String),
}

impl From<RequestError> for TgError {
    fn from(e: RequestError) -> TgError {
        match e {
            RequestError::Api(ApiError::InvalidToken) => TgError::InvalidToken,
            RequestError::Api(ApiError::BotBlocked) => TgError::Blocked,
            RequestError::RetryAfter(s) => TgError::RetryAfter(s.seconds().max(1)),
            RequestError::Api(other) => TgError::Refused(other.to_string()),
            RequestError::Network(n) => TgError::Network(n.to_string()),
            other => TgError::Network(other.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BotProfile {
    pub id: i64,
    pub username: String,
    pub first_name: String,
}

/// What to attach: a fresh upload (multipart, never a URL for Telegram to
/// fetch) — from memory, or streamed from a reader as it is sent — or a
/// file Telegram already has.
#[derive(Debug, Clone)]
pub enum Media {
    Upload {
        bytes: Bytes,
        file_name: String,
    },
    /// A large file passed on without holding it in memory (the file
    /// store's 50 MB attachments). It can be sent once.
    Stream {
        reader: OnceReader,
        file_name: String,
    },
    FileId(String),
}

type Reader = Box<dyn tokio::io::AsyncRead + Send + Unpin>;

/// A reader that can be taken once, so a [`Media`] that holds it stays
/// `Clone` (a clone shares it; whoever sends first reads it).
#[derive(Clone)]
pub struct OnceReader(Arc<Mutex<Option<Reader>>>);

impl OnceReader {
    pub fn new(reader: impl tokio::io::AsyncRead + Send + Unpin + 'static) -> OnceReader {
        OnceReader(Arc::new(Mutex::new(Some(Box::new(reader)))))
    }

    fn take(&self) -> Option<Reader> {
        self.0.lock().ok().and_then(|mut r| r.take())
    }
}

impl std::fmt::Debug for OnceReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnceReader")
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub kind: MessageKind,
    pub text: Option<String>,
    pub caption: Option<String>,
    pub media: Option<Media>,
    /// Telegram `reply_markup` JSON (inline or reply keyboard).
    pub reply_markup: Option<serde_json::Value>,
    pub reply_to: Option<i64>,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Reply {
        Reply { kind: MessageKind::Text, text: Some(text.into()), caption: None, media: None, reply_markup: None, reply_to: None }
    }
}

/// One HTTP client for every bot of the process (TLS set up once).
#[derive(Clone)]
pub struct Telegram {
    client: reqwest::Client,
    api_url: Option<reqwest::Url>,
}

impl Telegram {
    /// `api_url`: the Bot API server; `None` is Telegram itself.
    pub fn new(api_url: Option<&str>) -> Result<Telegram, String> {
        let api_url = match api_url {
            Some(u) => Some(reqwest::Url::parse(u).map_err(|e| format!("bad Telegram API URL {u}: {e}"))?),
            None => None,
        };
        let client = teloxide_core::net::default_reqwest_settings().build().map_err(|e| e.to_string())?;
        Ok(Telegram { client, api_url })
    }

    /// Reads `CARTIE_TELEGRAM_API_URL` (the sandbox locally; unset on AWS).
    pub fn from_env() -> Result<Telegram, String> {
        Telegram::new(std::env::var("CARTIE_TELEGRAM_API_URL").ok().filter(|s| !s.is_empty()).as_deref())
    }

    pub fn api_url(&self) -> Option<&str> {
        self.api_url.as_ref().map(|u| u.as_str())
    }

    pub(crate) fn bot(&self, token: &str) -> Bot {
        let bot = Bot::with_client(token, self.client.clone());
        match &self.api_url {
            Some(u) => bot.set_api_url(u.clone()),
            None => bot,
        }
    }

    pub async fn get_me(&self, token: &str) -> Result<BotProfile, TgError> {
        let me = self.bot(token).get_me().await?;
        Ok(BotProfile { id: me.user.id.0 as i64, username: me.user.username.clone().unwrap_or_default(), first_name: me.user.first_name.clone() })
    }

    pub async fn set_webhook(&self, token: &str, url: &str, secret: &str) -> Result<(), TgError> {
        let url = reqwest::Url::parse(url).map_err(|e| TgError::Refused(format!("bad webhook URL: {e}")))?;
        self.bot(token)
            .set_webhook(url)
            .secret_token(secret.to_string())
            .allowed_updates(vec![
                teloxide_core::types::AllowedUpdate::Message,
                teloxide_core::types::AllowedUpdate::EditedMessage,
                teloxide_core::types::AllowedUpdate::CallbackQuery,
            ])
            .await?;
        Ok(())
    }

    pub async fn delete_webhook(&self, token: &str) -> Result<(), TgError> {
        self.bot(token).delete_webhook().await?;
        Ok(())
    }

    /// Sends one reply and returns what Telegram stored, as Inbox messages.
    pub async fn send(&self, token: &str, bot_id: i64, chat_id: i64, reply: &Reply) -> Result<Message, TgError> {
        self.send_to(token, bot_id, Recipient::Id(ChatId(chat_id)), reply).await
    }

    /// Posts to a channel the bot administers: `@username` or a `-100…` id.
    pub async fn post_to_channel(&self, token: &str, bot_id: i64, channel: &str, reply: &Reply) -> Result<Message, TgError> {
        let to = match channel.trim().parse::<i64>() {
            Ok(id) => Recipient::Id(ChatId(id)),
            Err(_) => Recipient::ChannelUsername(channel.trim().to_string()),
        };
        self.send_to(token, bot_id, to, reply).await
    }

    async fn send_to(&self, token: &str, bot_id: i64, chat: Recipient, reply: &Reply) -> Result<Message, TgError> {
        let bot = self.bot(token);
        let markup: Option<ReplyMarkup> = match &reply.reply_markup {
            Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| TgError::Refused(format!("bad keyboard: {e}")))?),
            None => None,
        };
        let file = || -> Result<InputFile, TgError> {
            match &reply.media {
                Some(Media::Upload { bytes, file_name }) => Ok(InputFile::memory(bytes.clone()).file_name(file_name.clone())),
                Some(Media::Stream { reader, file_name }) => match reader.take() {
                    Some(r) => Ok(InputFile::read(r).file_name(file_name.clone())),
                    None => Err(TgError::Refused("this file was already sent once".into())),
                },
                Some(Media::FileId(id)) => Ok(InputFile::file_id(FileId(id.clone()))),
                None => Err(TgError::Refused(format!("a {} needs a file", reply.kind.as_str()))),
            }
        };
        let caption = reply.caption.clone().filter(|c| !c.is_empty());
        let reply_params = reply.reply_to.map(|id| teloxide_core::types::ReplyParameters::new(teloxide_core::types::MessageId(id as i32)));
        macro_rules! with_common {
            ($req:expr) => {{
                let mut r = $req;
                if let Some(m) = markup.clone() {
                    r = r.reply_markup(m);
                }
                if let Some(p) = reply_params.clone() {
                    r = r.reply_parameters(p);
                }
                r
            }};
        }
        macro_rules! with_caption {
            ($req:expr) => {{
                let mut r = with_common!($req);
                if let Some(c) = caption.clone() {
                    r = r.caption(c);
                }
                r.await?
            }};
        }
        let sent = match reply.kind {
            MessageKind::Text => with_common!(bot.send_message(chat, reply.text.clone().unwrap_or_default())).await?,
            MessageKind::Photo => with_caption!(bot.send_photo(chat, file()?)),
            MessageKind::Video => with_caption!(bot.send_video(chat, file()?)),
            MessageKind::Audio => with_caption!(bot.send_audio(chat, file()?)),
            MessageKind::Voice => with_caption!(bot.send_voice(chat, file()?)),
            MessageKind::Document => with_caption!(bot.send_document(chat, file()?)),
            MessageKind::Animation => with_caption!(bot.send_animation(chat, file()?)),
            MessageKind::Sticker => with_common!(bot.send_sticker(chat, file()?)).await?,
            MessageKind::VideoNote => with_common!(bot.send_video_note(chat, file()?)).await?,
            other => return Err(TgError::Refused(format!("Cartie cannot send a {}", other.as_str()))),
        };
        let raw = serde_json::to_value(&sent).map_err(|e| TgError::Network(e.to_string()))?;
        crate::inbound::message_from_json(bot_id, &raw, Direction::Out).map_err(TgError::Network)
    }

    /// The bot's `/` commands list (for every chat).
    pub async fn set_commands(&self, token: &str, commands: &[(String, String)]) -> Result<(), TgError> {
        let list: Vec<teloxide_core::types::BotCommand> = commands.iter().map(|(c, d)| teloxide_core::types::BotCommand::new(c, d)).collect();
        if list.is_empty() {
            self.bot(token).delete_my_commands().await?;
        } else {
            self.bot(token).set_my_commands(list).await?;
        }
        Ok(())
    }

    /// The default menu button beside the input field: `None` = Telegram's
    /// default, `Some(None)` = the commands list, `Some(Some((text, url)))` =
    /// open that page as a Mini App.
    pub async fn set_menu_button(&self, token: &str, button: Option<Option<(String, String)>>) -> Result<(), TgError> {
        use teloxide_core::types::{MenuButton, WebAppInfo};
        let b = match button {
            None => MenuButton::Default,
            Some(None) => MenuButton::Commands,
            Some(Some((text, url))) => {
                let url = reqwest::Url::parse(&url).map_err(|e| TgError::Refused(format!("bad menu button URL: {e}")))?;
                MenuButton::WebApp { text, web_app: WebAppInfo { url } }
            }
        };
        self.bot(token).set_chat_menu_button().menu_button(b).await?;
        Ok(())
    }

    /// Several photos as one album.
    pub async fn send_album(
        &self,
        token: &str,
        bot_id: i64,
        chat_id: i64,
        photos: Vec<(Bytes, String)>,
        caption: Option<String>,
    ) -> Result<Vec<Message>, TgError> {
        let media: Vec<InputMedia> = photos
            .into_iter()
            .enumerate()
            .map(|(i, (b, name))| {
                let mut p = InputMediaPhoto::new(InputFile::memory(b).file_name(name));
                if i == 0 {
                    if let Some(c) = caption.clone() {
                        p = p.caption(c);
                    }
                }
                InputMedia::Photo(p)
            })
            .collect();
        let sent = self.bot(token).send_media_group(ChatId(chat_id), media).await?;
        sent.iter()
            .map(|m| {
                let raw = serde_json::to_value(m).map_err(|e| TgError::Network(e.to_string()))?;
                crate::inbound::message_from_json(bot_id, &raw, Direction::Out).map_err(TgError::Network)
            })
            .collect()
    }

    pub async fn answer_callback(&self, token: &str, callback_id: &str) -> Result<(), TgError> {
        self.bot(token).answer_callback_query(teloxide_core::types::CallbackQueryId(callback_id.to_string())).await?;
        Ok(())
    }

    /// A file's bytes (for showing buyers' photos and voice in the Inbox).
    pub async fn download(&self, token: &str, file_id: &str) -> Result<(Vec<u8>, String), TgError> {
        use teloxide_core::net::Download;
        let bot = self.bot(token);
        let f = bot.get_file(FileId(file_id.to_string())).await?;
        let mut buf: Vec<u8> = Vec::new();
        bot.download_file(&f.path, &mut buf).await.map_err(|e| TgError::Network(e.to_string()))?;
        Ok((buf, f.path))
    }
}
