//! What a bot sends to one chat: messages (recorded in the Inbox as sent
//! by the bot) and car cards.

use crate::BotError;
use cartie_domain::files::Variant;
use cartie_domain::inbox::{Message, MessageKind};
use cartie_domain::inventory::{ListingInput, Photo};
use cartie_platform::Services;
use cartie_telegram::{Media, Reply, TgError};

/// Telegram's `retry_after` up to this long is waited out on the spot; a
/// longer one goes back to the caller, which reschedules the work instead
/// of holding an invocation (and the other chats of its batch) hostage.
pub const WAIT_INLINE_SECS: u32 = 3;

/// Sends `reply`, waiting out a short `retry_after` (up to four times: a
/// running campaign sees the live send counted and leaves it a slot).
pub async fn send_with_short_wait(svc: &Services, token: &str, bot_id: i64, chat_id: i64, reply: &Reply) -> Result<Message, TgError> {
    let mut tries = 0;
    loop {
        match svc.telegram.send(token, bot_id, chat_id, reply).await {
            Err(TgError::RetryAfter(s)) if s <= WAIT_INLINE_SECS && tries < 4 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_secs(u64::from(s))).await;
            }
            other => return other,
        }
    }
}

/// One conversation of one bot, with the bot's token opened.
pub struct Chat<'a> {
    pub svc: &'a Services,
    pub ws: &'a str,
    pub bot_id: i64,
    pub chat_id: i64,
    pub token: String,
    /// Who the Inbox shows as the sender (`Scenario`, `Auto-reply`).
    pub sent_by: &'static str,
}

impl Chat<'_> {
    /// Sends and records one message.
    pub async fn send(&self, reply: &Reply) -> Result<Message, TgError> {
        // Counted before it goes: a running campaign of this bot reads the
        // count and leaves live conversations their slots.
        match self.svc.store.note_live_send(self.ws, self.bot_id).await {
            // A campaign is sending: a moment for it to see this send and
            // leave it a slot (its next record is due within that moment).
            Ok(Some(_)) => tokio::time::sleep(std::time::Duration::from_millis(cartie_store::campaigns::LIVE_GIVE_WAY_MS)).await,
            Ok(None) => {}
            Err(e) => tracing::info!(error = %e, "a live send was not counted for campaign pacing"),
        }
        let sent = send_with_short_wait(self.svc, &self.token, self.bot_id, self.chat_id, reply).await?;
        let sent = Message { sent_by: Some(self.sent_by.into()), ..sent };
        if let Err(e) = self.svc.store.record_message(self.ws, &sent, None, None).await {
            // Sent is sent: a retry would send it again. The Inbox misses it.
            tracing::warn!(error = %e, "a bot message was sent but not stored");
        }
        Ok(sent)
    }

    /// A car as a card: its first photo with the facts as the caption, or
    /// the facts alone when there is no usable photo. The photo is uploaded
    /// once per bot (never fetched by Telegram) and later cards re-send
    /// Telegram's `file_id` of it. An uploaded photo is read from the file
    /// store (its 1280 px variant, without metadata); an address is
    /// fetched SSRF-safely.
    pub async fn card(&self, car: &ListingInput, intro: &str, markup: Option<serde_json::Value>) -> Result<(), BotError> {
        let facts = cartie_domain::inventory::card_text(car);
        let text = if intro.trim().is_empty() { facts } else { format!("{}\n\n{facts}", intro.trim()) };
        let caption: String = text.chars().take(cartie_domain::inbox::MAX_CAPTION).collect();
        let photo = |media| Reply {
            kind: MessageKind::Photo,
            text: None,
            caption: Some(caption.clone()),
            media: Some(media),
            reply_markup: markup.clone(),
            reply_to: None,
        };
        if let Some(first) = car.photos.first() {
            let key = first.cache_key();
            let known = self.svc.store.telegram_photo(self.ws, self.bot_id, &key).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "photo cache unreadable");
                None
            });
            if let Some(file_id) = known {
                match self.send(&photo(Media::FileId(file_id))).await {
                    Ok(_) => return Ok(()),
                    // Telegram forgot the file: upload it again below.
                    Err(TgError::Refused(m)) => tracing::info!(reason = %m, photo = %key, "cached car photo refused; uploading again"),
                    Err(e) => return Err(e.into()),
                }
            }
            match self.photo_bytes(first).await {
                Some(bytes) => {
                    let sent = self.send(&photo(Media::Upload { bytes: bytes.into(), file_name: "car.jpg".into() })).await?;
                    if let Some(file_id) = sent.file_id.as_deref() {
                        if let Err(e) = self.svc.store.remember_telegram_photo(self.ws, self.bot_id, &key, file_id).await {
                            tracing::warn!(error = %e, "photo cache not written");
                        }
                    }
                    return Ok(());
                }
                None => tracing::info!(photo = %key, "car photo not usable; sending the card as text"),
            }
        }
        self.send(&Reply { reply_markup: markup, ..Reply::text(text) }).await?;
        Ok(())
    }

    /// A car photo's bytes to upload to Telegram, or `None` when it cannot
    /// be had (a dead address, an upload since deleted).
    async fn photo_bytes(&self, photo: &Photo) -> Option<Vec<u8>> {
        match photo {
            Photo::Url(url) => {
                let limits = cartie_parser::fetch::FetchLimits {
                    max_bytes: 10 * 1024 * 1024,
                    allowed_hosts_for_tests: self.svc.parser_allow_hosts.clone(),
                    ..Default::default()
                };
                cartie_parser::fetch::fetch_image(url, &limits)
                    .await
                    .map_err(|e| tracing::info!(error = %e, url, "car photo not fetched"))
                    .ok()
                    .map(|i| i.bytes)
            }
            Photo::Uploaded { file_id } => {
                let f = self.svc.files.file(self.ws, file_id).await.map_err(|e| tracing::warn!(error = %e, file_id, "file store unreadable")).ok()??;
                if !f.is_ready() {
                    return None;
                }
                // The large variant once made; until then the original
                // (Telegram re-encodes photos and keeps no metadata).
                let variant = f.variants.contains(&Variant::Large).then_some(Variant::Large);
                self.svc.files.read(&f, variant).await.map_err(|e| tracing::warn!(error = %e, file_id, "uploaded photo not read")).ok()
            }
        }
    }
}
