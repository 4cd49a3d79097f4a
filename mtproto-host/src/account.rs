//! One held account at run time: its grammers client over the stored
//! session, and the loop that follows its updates. A private message goes
//! into the Inbox (the same store call as a bot's update, keyed by the
//! account's Telegram user id as the conversation's line, so a message
//! delivered twice is stored once); a post of a source channel becomes a
//! draft car. Errors on the stream mark the account reconnecting and back
//! off; a revoked session marks it "needs login" and lets it go.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::primitives::ByteStream;
use cartie_domain::contacts::Channel;
use cartie_domain::files::FilePurpose;
use cartie_domain::inbox::{Direction, Message, MessageKind, Person};
use cartie_domain::inventory::{ListingInput, ListingStatus, MileageUnit, Photo};
use cartie_domain::jobs::Job;
use cartie_domain::tg_accounts::AccountState;
use cartie_store::inbox::Recording;
use cartie_store::tg_accounts::{Fence, PostProgress};
use cartie_store::util;
use grammers_client::media::Media;
use grammers_client::peer::Peer;
use grammers_client::sender::{ConnectionParams, SenderPool, UpdatesConfiguration};
use grammers_client::session::types::{DcOption, PeerKind};
use grammers_client::session::updates::UpdatesLike;
use grammers_client::update::Update;
use grammers_client::{Client, InvocationError};
use tokio::sync::mpsc::Receiver;
use tokio::task::JoinHandle;

use crate::session::DynamoSession;
use crate::{AccountKey, Host, HostError};

/// The largest file the host downloads from a chat into the file store.
const MAX_MEDIA_BYTES: usize = 50 * 1024 * 1024;

/// A client over `session` and the task that runs its connection.
pub(crate) fn connect(host: &Host, session: Arc<DynamoSession>) -> (Client, JoinHandle<()>, Receiver<UpdatesLike>) {
    let SenderPool { runner, updates, handle } = SenderPool::with_configuration(session, host.cfg.api_id, ConnectionParams::default());
    let client = Client::new(handle);
    (client, tokio::spawn(runner.run()), updates)
}

/// Writes the sandbox's DC and a fresh auth key registered with it into a
/// new session (see [`crate::DcSource::Sandbox`]); nothing for Telegram.
pub(crate) async fn seed(host: &Host, session: &DynamoSession) -> Result<(), HostError> {
    use grammers_client::session::Session;
    let crate::DcSource::Sandbox { hooks_url } = &host.cfg.dc else { return Ok(()) };
    #[derive(serde::Deserialize)]
    struct Key {
        /// Base64.
        auth_key: String,
        dc_id: i32,
        address: std::net::SocketAddr,
    }
    let web = reqwest::Client::new();
    let key: Key = web
        .post(format!("{hooks_url}/auth_keys"))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| HostError::Telegram(format!("sandbox auth key: {e}")))?
        .json()
        .await
        .map_err(|e| HostError::Telegram(format!("sandbox auth key: {e}")))?;
    let std::net::SocketAddr::V4(v4) = key.address else { return Err(HostError::Telegram("the sandbox listens on IPv6".into())) };
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(key.auth_key.trim())
        .map_err(|_| HostError::Telegram("the sandbox's auth key is not base64".into()))?;
    let auth_key: [u8; 256] = raw.try_into().map_err(|_| HostError::Telegram("the sandbox's auth key is not 256 bytes".into()))?;
    let ipv6 = std::net::SocketAddrV6::new(v4.ip().to_ipv6_mapped(), v4.port(), 0, 0);
    session.set_dc_option(&DcOption { id: key.dc_id, ipv4: v4, ipv6, auth_key: Some(auth_key) }).await?;
    session.set_home_dc_id(key.dc_id).await?;
    Ok(())
}

/// Whether Telegram ended the session (the account must log in again).
pub fn revoked(e: &InvocationError) -> bool {
    matches!(e, InvocationError::Rpc(r) if r.code == 401)
}

/// Seconds of a flood wait, if that is what the error is.
pub fn flood_wait(e: &InvocationError) -> Option<i64> {
    match e {
        InvocationError::Rpc(r) if r.code == 420 || r.name.starts_with("FLOOD_WAIT") => Some(i64::from(r.value.unwrap_or(1))),
        _ => None,
    }
}

/// Follows the account's updates until the task is aborted or the session
/// ends.
pub(crate) fn follow(host: Arc<Host>, key: AccountKey, client: Client, updates: Receiver<UpdatesLike>, fence: Fence, line: Option<i64>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut stream = match client.stream_updates(updates, UpdatesConfiguration { catch_up: true }).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(account = %key.1, error = %e, "cannot follow updates");
                return;
            }
        };
        let mut backoff = Duration::from_millis(500);
        loop {
            match stream.next().await {
                Ok(Update::NewMessage(m)) => {
                    backoff = Duration::from_millis(500);
                    if let Err(e) = on_message(&host, &client, &fence, line, &m).await {
                        if matches!(e, HostError::LeaseLost) {
                            tracing::warn!(account = %key.1, "lease lost: stopping");
                            return;
                        }
                        tracing::warn!(account = %key.1, error = %e, "message not stored");
                    }
                }
                Ok(_) => {}
                Err(e) if revoked(&e) => {
                    let _ = host.needs_login(&fence, "Telegram ended this session (logged out from another device?)").await;
                    if let Some(h) = host.held.lock().await.remove(&key) {
                        h.stop();
                    }
                    return;
                }
                Err(e) => {
                    let until = flood_wait(&e).map(|s| util::now_ms() + s * 1000);
                    let state = if until.is_some() { AccountState::FloodWait } else { AccountState::Reconnecting };
                    if let Err(HostError::LeaseLost) = host.set_state(&fence, state, Some(e.to_string()), until).await {
                        return;
                    }
                    let wait = until.map(|u| Duration::from_millis((u - util::now_ms()).max(0) as u64)).unwrap_or(backoff);
                    tokio::time::sleep(wait).await;
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                    if client.is_authorized().await.unwrap_or(false) {
                        let _ = host.set_state(&fence, AccountState::Online, None, None).await;
                    }
                }
            }
        }
    })
}

fn person_of(peer: Option<&Peer>, fallback_id: i64) -> Person {
    match peer {
        Some(Peer::User(u)) => Person {
            id: u.id().bare_id_unchecked(),
            first_name: u.first_name().unwrap_or_default().to_string(),
            last_name: u.last_name().map(str::to_string),
            username: u.username().map(str::to_string),
            language_code: None,
        },
        _ => Person { id: fallback_id, first_name: String::new(), last_name: None, username: None, language_code: None },
    }
}

async fn on_message(host: &Host, client: &Client, fence: &Fence, line: Option<i64>, m: &grammers_client::update::Message) -> Result<(), HostError> {
    let peer = m.peer_id();
    match peer.kind() {
        PeerKind::User => {
            let Some(line) = line else { return Ok(()) };
            let chat_id = peer.bare_id_unchecked();
            if chat_id == line {
                return Ok(()); // "Saved messages": not a buyer.
            }
            let direction = if m.outgoing() { Direction::Out } else { Direction::In };
            let buyer = if direction == Direction::In { person_of(m.sender(), chat_id) } else { person_of(m.peer(), chat_id) };
            let from = (direction == Direction::In).then(|| buyer.clone());
            let base =
                Message { message_id: i64::from(m.id()), direction, ..Message::incoming(line, chat_id, MessageKind::Text, m.date().as_millisecond(), from) };
            let msg = to_inbox(host, client, fence, base, m).await?;
            let how = Recording {
                contact: (direction == Direction::In).then_some(&buyer),
                channel: Some(Channel::Account(line)),
                fence: Some(fence),
                ..Recording::default()
            };
            let ws = &fence.workspace_id;
            let (recorded, seen) = host.svc.store.record_message_with(ws, &msg, how).await.map_err(lease)?;
            if direction == Direction::In && seen.as_ref().is_none_or(|c| c.contact.first_name != buyer.first_name || c.contact.username != buyer.username) {
                host.svc.store.index_contact(ws, buyer.id).await?;
            }
            // A buyer's first message is a new lead, as through a bot (the
            // event's id is the conversation's: a redelivery raises nothing new).
            if recorded == cartie_store::inbox::Recorded::New(1) && direction == Direction::In {
                new_lead(host, fence, &msg, &buyer).await?;
            }
            Ok(())
        }
        PeerKind::Channel | PeerKind::Chat => on_post(host, client, fence, m).await,
    }
}

async fn new_lead(host: &Host, fence: &Fence, msg: &Message, buyer: &Person) -> Result<(), HostError> {
    use cartie_domain::notify::{Event, Notice, Recipients};
    let account = host.svc.store.tg_account(&fence.workspace_id, &fence.account_id).await?.map(|a| a.label()).unwrap_or_default();
    let event = Event {
        id: format!("lead:{}:{}", msg.bot_id, msg.chat_id),
        workspace_id: fence.workspace_id.clone(),
        at_ms: msg.at_ms,
        notice: Notice::NewLead { bot_id: msg.bot_id, chat_id: msg.chat_id, buyer: buyer.display_name(), bot: account },
        recipients: Recipients::MembersAtLeast { role: cartie_domain::Role::Manager },
        actor: None,
    };
    Ok(cartie_platform::notify::notify(&host.svc, event).await?)
}

fn lease(e: cartie_store::StoreError) -> HostError {
    match e {
        cartie_store::StoreError::Conflict(m) if m == cartie_store::tg_accounts::LEASE_LOST => HostError::LeaseLost,
        other => other.into(),
    }
}

/// The Inbox message of a private message; its photo or document is copied
/// into the file store (no bot token can fetch it later).
async fn to_inbox(host: &Host, client: &Client, fence: &Fence, mut msg: Message, m: &grammers_client::update::Message) -> Result<Message, HostError> {
    let text = Some(m.text().to_string()).filter(|t| !t.is_empty());
    match m.media() {
        None => msg.text = text,
        Some(media) => {
            msg.caption = text;
            let (kind, name, mime) = match &media {
                Media::Photo(_) => (MessageKind::Photo, "photo.jpg".to_string(), "image/jpeg".to_string()),
                Media::Document(d) => (
                    MessageKind::Document,
                    d.name().filter(|n| !n.is_empty()).unwrap_or("file").to_string(),
                    d.mime_type().unwrap_or("application/octet-stream").to_string(),
                ),
                _ => (MessageKind::Other, String::new(), String::new()),
            };
            msg.kind = kind;
            if kind != MessageKind::Other {
                let bytes = download(client, &media).await?;
                msg.file_size = Some(bytes.len() as i64);
                let stored = host.svc.files.put_written(&fence.workspace_id, FilePurpose::ChatMedia, &name, &mime, ByteStream::from(bytes), "telegram").await?;
                msg.file_id = Some(format!("{}{}", STORED_FILE, stored.id));
                msg.file_name = Some(name);
                msg.mime_type = Some(mime);
            }
        }
    }
    Ok(msg)
}

/// Prefix of an Inbox message's `file_id` that names a file in Cartie's
/// file store rather than one of Telegram's.
pub const STORED_FILE: &str = "store:";

async fn download(client: &Client, media: &Media) -> Result<Vec<u8>, HostError> {
    let mut dl = client.iter_download(media);
    let mut bytes = Vec::new();
    while let Some(chunk) = dl.next().await.map_err(|e| HostError::Telegram(e.to_string()))? {
        bytes.extend(chunk);
        if bytes.len() > MAX_MEDIA_BYTES {
            return Err(HostError::Telegram("the file is larger than 50 MB".into()));
        }
    }
    Ok(bytes)
}

/// A post of a channel the dealer marked as a stock source becomes a draft
/// car: its text read by the parser's post extractor, its photo copied into
/// the file store as the car's photo. An album (several messages sharing a
/// `grouped_id`, the text on one of them) makes one car with every photo,
/// whatever order its messages arrive in. Each step is recorded per
/// message, so a post delivered again adds nothing twice.
async fn on_post(host: &Host, client: &Client, fence: &Fence, m: &grammers_client::update::Message) -> Result<(), HostError> {
    let (store, files) = (&host.svc.store, &host.svc.files);
    let ws = fence.workspace_id.as_str();
    let channel_id = m.peer_id().bare_id_unchecked();
    let Some(channel) = store.tg_channel(ws, &fence.account_id, channel_id).await? else { return Ok(()) };
    if !channel.source {
        return Ok(());
    }
    let msg_id = i64::from(m.id());
    let mut progress = match store.tg_post(fence, channel_id, msg_id).await? {
        Some(p) if p.done => return Ok(()),
        Some(p) => p,
        None => {
            let key = match m.grouped_id() {
                Some(g) => format!("{}:{channel_id}:album{g}", fence.account_id),
                None => format!("{}:{channel_id}:{msg_id}", fence.account_id),
            };
            PostProgress { listing_id: util::sha256_hex(&key)[..26].to_uppercase(), file_id: None, done: false }
        }
    };
    let text = m.text().trim().to_string();
    let photo = matches!(m.media(), Some(Media::Photo(_)));
    if text.is_empty() && !photo {
        return Ok(());
    }
    if photo && progress.file_id.is_none() {
        let media = m.media().ok_or_else(|| HostError::Telegram("the photo went away".into()))?;
        let bytes = download(client, &media).await?;
        let name = format!("telegram-{channel_id}-{msg_id}.jpg");
        let f = files.put_written(ws, FilePurpose::CarPhoto, &name, "image/jpeg", ByteStream::from(bytes), "telegram").await?;
        progress.file_id = Some(f.id);
        store.save_tg_post(fence, channel_id, msg_id, &progress).await.map_err(lease)?;
    }
    let url = match &channel.username {
        Some(u) => format!("https://t.me/{u}/{msg_id}"),
        None => format!("https://t.me/c/{channel_id}/{msg_id}"),
    };
    let listing_id = progress.listing_id.clone();
    let uploaded = progress.file_id.clone().map(|file_id| Photo::Uploaded { file_id });
    let merge = |car: &mut ListingInput| {
        if !text.is_empty() && car.description.is_none() {
            car.source_url = Some(url.clone());
            fill_from_text(car, &text, m);
        }
        if let Some(p) = &uploaded {
            if !car.photos.contains(p) {
                car.photos.push(p.clone());
            }
        }
    };
    // Twice at most: another message of the album may make the car between our read and write.
    for _ in 0..2 {
        match store.listing(ws, &listing_id).await? {
            Some(l) => {
                let mut car = l.car;
                merge(&mut car);
                store.replace_listing(ws, &listing_id, car).await?;
                break;
            }
            None => {
                let mut car = blank_draft(&url);
                merge(&mut car);
                match store.create_listing_with_id(ws, &listing_id, car).await {
                    Ok(_) => break,
                    Err(cartie_store::StoreError::Conflict(_)) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    if let Some(file_id) = &progress.file_id {
        files.attach(ws, file_id, &listing_id, None).await?;
        host.svc.queues.send("jobs", &Job::MakeVariants { workspace_id: ws.into(), file_id: file_id.clone() }).await?;
    }
    progress.done = true;
    store.save_tg_post(fence, channel_id, msg_id, &progress).await.map_err(lease)?;
    Ok(())
}

/// A draft with nothing known yet (an album's photo before its text).
fn blank_draft(url: &str) -> ListingInput {
    ListingInput {
        make: String::new(),
        model: String::new(),
        year: 0,
        price: 0,
        currency: "USD".into(),
        mileage: 0,
        mileage_unit: MileageUnit::Km,
        vin: None,
        fuel: None,
        transmission: None,
        body: None,
        color: None,
        photos: vec![],
        description: None,
        status: ListingStatus::Draft,
        source_url: Some(url.to_string()),
    }
}

/// Fills what the post's text says (and nothing the car has already).
fn fill_from_text(car: &mut ListingInput, text: &str, m: &grammers_client::update::Message) {
    let entities = post_entities(m.fmt_entities().map(Vec::as_slice).unwrap_or_default());
    let extraction = cartie_parser::extract_post(text, &entities, "UA");
    let d = cartie_parser::draft(&extraction, car.source_url.as_deref().unwrap_or_default());
    let fill = |slot: &mut String, v: Option<String>| {
        if slot.is_empty() {
            *slot = v.unwrap_or_default();
        }
    };
    fill(&mut car.make, d.make);
    fill(&mut car.model, d.model);
    if car.year == 0 {
        car.year = d.year.unwrap_or(0);
    }
    if car.price == 0 {
        car.price = d.price.map(|p| p.round() as i64).unwrap_or(0);
        if let Some(c) = d.currency {
            car.currency = c;
        }
    }
    if car.mileage == 0 {
        car.mileage = d.mileage.map(|v| v as i64).unwrap_or(0);
        car.mileage_unit = match d.mileage_unit {
            Some(cartie_parser::MileageUnit::Mi) => MileageUnit::Mi,
            _ => MileageUnit::Km,
        };
    }
    car.vin = car.vin.take().or(d.vin);
    car.fuel = car.fuel.or_else(|| d.fuel.and_then(|f| serde_json::from_value(serde_json::Value::String(f)).ok()));
    car.transmission = car.transmission.or_else(|| d.transmission.and_then(|t| serde_json::from_value(serde_json::Value::String(t)).ok()));
    car.body = car.body.take().or(d.body);
    car.color = car.color.take().or(d.color);
    car.description = Some(text.chars().take(4000).collect());
}

/// MTProto's message entities as the parser's post entities (offsets in
/// UTF-16 units in both).
fn post_entities(raw: &[grammers_client::tl::enums::MessageEntity]) -> Vec<cartie_parser::PostEntity> {
    use grammers_client::tl::enums::MessageEntity as E;
    raw.iter()
        .map(|e| {
            let (kind, offset, length, url) = match e {
                E::Bold(x) => ("bold", x.offset, x.length, None),
                E::Italic(x) => ("italic", x.offset, x.length, None),
                E::Hashtag(x) => ("hashtag", x.offset, x.length, None),
                E::Url(x) => ("url", x.offset, x.length, None),
                E::TextUrl(x) => ("text_link", x.offset, x.length, Some(x.url.clone())),
                E::Phone(x) => ("phone_number", x.offset, x.length, None),
                E::Mention(x) => ("mention", x.offset, x.length, None),
                E::Code(x) => ("code", x.offset, x.length, None),
                E::Underline(x) => ("underline", x.offset, x.length, None),
                E::Strike(x) => ("strikethrough", x.offset, x.length, None),
                E::Cashtag(x) => ("cashtag", x.offset, x.length, None),
                _ => ("other", 0, 0, None),
            };
            cartie_parser::PostEntity { kind: kind.into(), offset: offset.max(0) as usize, length: length.max(0) as usize, url }
        })
        .collect()
}
