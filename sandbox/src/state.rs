//! The sandbox's memory: bots, their chats, files, limits and outboxes.

use std::{
    collections::{BTreeMap, HashMap, HashSet, VecDeque},
    hash::{BuildHasher, Hasher},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use bytes::Bytes;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::Semaphore;

use crate::{
    channels::ChannelState,
    media::{self, Info, MediaKind},
    params::ApiErr,
    BotInfo, SentMessage, UserRef,
};

pub(crate) const DEFAULT_PER_SECOND: u32 = 30;
pub(crate) const DEFAULT_CHAT_BURST: u32 = 20;
pub(crate) const DEFAULT_CHAT_PER_SECOND: f64 = 1.0;
/// Messages per second of a bot's paid broadcasts (`allow_paid_broadcast`).
pub(crate) const DEFAULT_PAID_PER_SECOND: u32 = 1000;
/// Bots may download files up to this size (getFile).
pub(crate) const MAX_DOWNLOAD: u64 = 20 * 1024 * 1024;

pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
pub(crate) fn now_secs() -> i64 {
    (now_ms() / 1000) as i64
}

/// A random number (std's randomly keyed SipHash over a counter): enough
/// for ids and tokens that only need to be unique and unguessable-ish.
pub(crate) fn rand_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(std::time::SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    h.finish()
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

pub(crate) fn rand_string(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut r = rand_u64();
    let mut left = 10;
    while out.len() < len {
        if left == 0 {
            r = rand_u64();
            left = 10;
        }
        out.push(char::from(ALPHABET[(r & 63) as usize]));
        r >>= 6;
        left -= 1;
    }
    out
}

/// `<digits>:<[A-Za-z0-9_-]+>`, the shape of a bot token.
pub(crate) fn token_bot_id(token: &str) -> Option<i64> {
    let (id, secret) = token.split_once(':')?;
    if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if secret.is_empty() || secret.len() > 128 || !secret.bytes().all(|b| ALPHABET.contains(&b)) {
        return None;
    }
    id.parse().ok()
}

#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub url: String,
    pub secret_token: Option<String>,
    pub max_connections: u32,
    pub allowed_updates: Vec<String>,
    pub permits: Arc<Semaphore>,
}

#[derive(Debug, Clone)]
pub(crate) struct FileRec {
    pub file_id: String,
    pub unique_id: String,
    pub kind: MediaKind,
    pub path: String,
    pub bytes: Bytes,
    pub mime: Option<String>,
    pub info: Info,
    /// The media object as first returned (for photos: the PhotoSize array).
    pub media: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    User,
    Bot,
}

/// One message of a chat, in its latest version.
#[derive(Debug, Clone, Serialize)]
pub struct TranscriptEntry {
    pub sender: Sender,
    pub message_id: i64,
    /// The Message JSON as Telegram would show it now (edits applied).
    pub message: Value,
    pub at_ms: u64,
    /// A reply keyboard (or its removal) the bot attached: not part of a
    /// Telegram Message, kept for people chatting through the page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_keyboard: Option<Value>,
    pub edited: bool,
    pub deleted: bool,
    /// Pinned with `pinChatMessage` (and not unpinned since).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
}

/// Something shown in the chat that is not a message: a callback answer,
/// a button press.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub at_ms: u64,
    pub kind: String,
    pub text: String,
    pub show_alert: bool,
}

/// A whole private chat between a user and a bot (or, for a channel or
/// supergroup, the bots' messages there: `user` then names the chat).
#[derive(Debug, Clone, Serialize)]
pub struct Transcript {
    pub chat_id: i64,
    pub user: UserRef,
    pub blocked: bool,
    pub messages: Vec<TranscriptEntry>,
    pub notices: Vec<Notice>,
}

#[derive(Debug)]
pub(crate) struct ChatState {
    /// The buyer of the private chat.
    pub user: UserRef,
    pub next_message_id: i64,
    pub entries: Vec<TranscriptEntry>,
    pub notices: Vec<Notice>,
    pub tokens: f64,
    pub refilled: Instant,
}

impl ChatState {
    pub fn new(user: UserRef, burst: u32) -> Self {
        ChatState { user, next_message_id: 1, entries: Vec::new(), notices: Vec::new(), tokens: f64::from(burst), refilled: Instant::now() }
    }
    pub fn take_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }
    pub fn entry(&self, message_id: i64) -> Option<&TranscriptEntry> {
        self.entries.iter().find(|e| e.message_id == message_id && !e.deleted)
    }
    pub fn entry_mut(&mut self, message_id: i64) -> Option<&mut TranscriptEntry> {
        self.entries.iter_mut().find(|e| e.message_id == message_id && !e.deleted)
    }
}

/// What a bot really sent, counted as it happened (see
/// [`crate::DeliveryCounts`] for the snapshot).
#[derive(Debug, Default)]
pub(crate) struct Deliveries {
    pub total: u64,
    pub chats: HashMap<i64, u64>,
    /// Unix second → messages sent in it.
    pub per_second: BTreeMap<i64, u64>,
    pub first_ms: Option<u64>,
    pub last_ms: Option<u64>,
    /// Send calls answered 429.
    pub rejected_429: u64,
    /// Messages sent with `allow_paid_broadcast`.
    pub paid: u64,
}

impl Deliveries {
    /// `n` messages to `chat_id` at `at_ms`.
    pub fn record(&mut self, chat_id: i64, n: u64, paid: bool, at_ms: u64) {
        if n == 0 {
            return;
        }
        self.total += n;
        *self.chats.entry(chat_id).or_default() += n;
        *self.per_second.entry((at_ms / 1000) as i64).or_default() += n;
        self.first_ms.get_or_insert(at_ms);
        self.last_ms = Some(self.last_ms.map_or(at_ms, |l| l.max(at_ms)));
        if paid {
            self.paid += n;
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CallbackRec {
    pub chat_id: i64,
    pub answered: bool,
}

#[derive(Debug)]
pub(crate) struct BotState {
    pub info: BotInfo,
    pub webhook: Option<Webhook>,
    pub last_error: Option<(i64, String)>,
    pub next_update_id: i64,
    /// Updates waiting for getUpdates (only while no webhook is set).
    pub pending: VecDeque<Value>,
    pub per_second: u32,
    /// Whether the bot may send with `allow_paid_broadcast` (Telegram:
    /// enough Stars and monthly users).
    pub paid_eligible: bool,
    /// The per-bot cap of a paid send (0 = unlimited).
    pub paid_per_second: u32,
    /// Every send of the last second, paid or not: one window, two caps.
    pub window: VecDeque<Instant>,
    pub chat_burst: u32,
    pub chat_per_second: f64,
    /// The per-chat buckets of channels and supergroups `(tokens, refilled)`
    /// (private chats keep theirs in their [`ChatState`]).
    pub channel_buckets: HashMap<i64, (f64, Instant)>,
    pub blocked: HashSet<i64>,
    pub chats: BTreeMap<i64, ChatState>,
    pub files: HashMap<String, FileRec>,
    pub paths: HashMap<String, String>,
    pub next_file: u64,
    pub commands: BTreeMap<String, Value>,
    pub menu_default: Option<Value>,
    pub menu_chats: HashMap<i64, Value>,
    pub outbox: Vec<SentMessage>,
    pub callbacks: HashMap<String, CallbackRec>,
    pub next_callback: u64,
    /// One per chat: a user's updates reach the webhook one at a time, in
    /// order, as Telegram waits for the answer before sending the next
    /// update of the same chat.
    pub chat_order: HashMap<i64, Arc<tokio::sync::Mutex<()>>>,
    /// The next sends answer 429 with this `retry_after` (seconds, count
    /// left), as Telegram does to a bot it slows down for minutes or hours.
    pub forced_retry_after: Option<(u64, u32)>,
    pub deliveries: Deliveries,
}

impl BotState {
    pub fn new(info: BotInfo) -> Self {
        BotState {
            info,
            webhook: None,
            last_error: None,
            next_update_id: 100_000_001,
            pending: VecDeque::new(),
            per_second: DEFAULT_PER_SECOND,
            paid_eligible: false,
            paid_per_second: DEFAULT_PAID_PER_SECOND,
            window: VecDeque::new(),
            chat_burst: DEFAULT_CHAT_BURST,
            chat_per_second: DEFAULT_CHAT_PER_SECOND,
            channel_buckets: HashMap::new(),
            blocked: HashSet::new(),
            chats: BTreeMap::new(),
            files: HashMap::new(),
            paths: HashMap::new(),
            next_file: 1,
            commands: BTreeMap::new(),
            menu_default: None,
            menu_chats: HashMap::new(),
            outbox: Vec::new(),
            callbacks: HashMap::new(),
            next_callback: 1,
            chat_order: HashMap::new(),
            forced_retry_after: None,
            deliveries: Deliveries::default(),
        }
    }

    pub fn take_update_id(&mut self) -> i64 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        id
    }

    /// Opens a private chat with each user that has none (the same
    /// [`ChatState`] a first message makes); returns how many were new.
    pub fn add_chats(&mut self, users: &[UserRef]) -> usize {
        let burst = self.chat_burst;
        let mut created = 0;
        for u in users {
            if let std::collections::btree_map::Entry::Vacant(e) = self.chats.entry(u.id) {
                e.insert(ChatState::new(u.clone(), burst));
                created += 1;
            }
        }
        created
    }

    /// The bot as a `User`.
    pub fn user_json(&self) -> Value {
        json!({
            "id": self.info.id,
            "is_bot": true,
            "first_name": self.info.first_name,
            "username": self.info.username,
        })
    }

    /// `getMe`'s answer.
    pub fn me_json(&self) -> Value {
        json!({
            "id": self.info.id,
            "is_bot": true,
            "first_name": self.info.first_name,
            "username": self.info.username,
            "can_join_groups": true,
            "can_read_all_group_messages": false,
            "supports_inline_queries": false,
            "can_connect_to_business": false,
            "has_main_web_app": false,
        })
    }

    /// The private chat with `chat_id`'s user.
    pub fn chat_json(&self, chat_id: i64) -> Value {
        let mut chat = json!({"id": chat_id, "type": "private"});
        if let (Some(c), Some(o)) = (self.chats.get(&chat_id), chat.as_object_mut()) {
            o.insert("first_name".into(), json!(c.user.first_name));
            if let Some(l) = &c.user.last_name {
                o.insert("last_name".into(), json!(l));
            }
            if let Some(u) = &c.user.username {
                o.insert("username".into(), json!(u));
            }
        }
        chat
    }

    /// The per-chat token bucket `(tokens, last refill)`: a private chat's
    /// own, or a channel's (negative id), made full on first use.
    fn bucket(&mut self, chat_id: i64, now: Instant) -> Option<(&mut f64, &mut Instant)> {
        if chat_id < 0 {
            let full = f64::from(self.chat_burst);
            let b = self.channel_buckets.entry(chat_id).or_insert((full, now));
            return Some((&mut b.0, &mut b.1));
        }
        self.chats.get_mut(&chat_id).map(|c| (&mut c.tokens, &mut c.refilled))
    }

    /// Whether `n` sends to `chat_id` fit both limits now (nothing is used
    /// up: see [`BotState::use_rate`]).
    ///
    /// * per bot: at most `per_second` sends in any sliding one-second
    ///   window (0 = unlimited);
    /// * per chat: a token bucket of `chat_burst` sends refilled at
    ///   `chat_per_second` (burst 0 = unlimited).
    pub fn check_rate(&mut self, chat_id: i64, n: u32, now: Instant) -> Result<(), ApiErr> {
        self.check_rate_as(chat_id, n, false, now)
    }

    /// [`BotState::check_rate`] for a send that may be paid: a paid send
    /// (`allow_paid_broadcast`) is capped per bot by `paid_per_second`
    /// instead of `per_second`, counting the same window (free sends too).
    pub fn check_rate_as(&mut self, chat_id: i64, n: u32, paid: bool, now: Instant) -> Result<(), ApiErr> {
        if let Some((secs, left)) = self.forced_retry_after {
            self.forced_retry_after = (left > 1).then_some((secs, left - 1));
            return Err(ApiErr::retry_after(secs));
        }
        self.slide(now);
        let cap = if paid { self.paid_per_second } else { self.per_second };
        if cap > 0 {
            let used = self.window.len() as u32;
            if used > 0 && used + n > cap {
                // Wait until enough of the window has slid out.
                let must_leave = (used + n).saturating_sub(cap).min(used) as usize;
                let oldest = self.window.get(must_leave.saturating_sub(1)).copied().unwrap_or(now);
                let wait = Duration::from_secs(1).saturating_sub(now.duration_since(oldest));
                return Err(ApiErr::retry_after(wait.as_secs_f64().ceil() as u64));
            }
        }
        if self.chat_burst > 0 {
            let burst = f64::from(self.chat_burst);
            let rate = self.chat_per_second.max(0.001);
            if let Some((tokens, refilled)) = self.bucket(chat_id, now) {
                let dt = now.duration_since(*refilled).as_secs_f64();
                *tokens = (*tokens + dt * rate).min(burst);
                *refilled = now;
                let need = f64::from(n).min(burst);
                if *tokens + 1e-9 < need {
                    let wait = (need - *tokens) / rate;
                    return Err(ApiErr::retry_after(wait.ceil() as u64));
                }
            }
        }
        Ok(())
    }

    /// Drops sends older than a second from the window.
    fn slide(&mut self, now: Instant) {
        while self.window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
            self.window.pop_front();
        }
    }

    pub fn use_rate(&mut self, chat_id: i64, n: u32, now: Instant) {
        // Kept while either cap is on, so both see every send.
        if self.per_second > 0 || (self.paid_eligible && self.paid_per_second > 0) {
            self.slide(now);
            self.window.extend(std::iter::repeat_n(now, n as usize));
        }
        if self.chat_burst > 0 {
            if let Some((tokens, _)) = self.bucket(chat_id, now) {
                *tokens = (*tokens - f64::from(n)).max(0.0);
            }
        }
    }

    fn new_file_ids(&mut self, kind: MediaKind) -> (String, String, u64) {
        let n = self.next_file;
        self.next_file += 1;
        let prefix = match kind {
            MediaKind::Photo => "AgAC",
            MediaKind::Video => "BAAC",
            MediaKind::Audio => "CQAC",
            MediaKind::Voice => "AwAC",
            MediaKind::Document => "BQAC",
            MediaKind::Animation => "CgAC",
            MediaKind::Sticker => "CAAC",
            MediaKind::VideoNote => "DQAC",
        };
        let file_id = format!("{prefix}{:x}{n:06x}{}", self.info.id, rand_string(24));
        let unique_id = format!("AQAD{n:06x}{}", rand_string(8));
        (file_id, unique_id, n)
    }

    /// Stores new bytes as a file of `kind` and returns the media object
    /// for a Message (for photos: the PhotoSize array, each size its own
    /// file_id, all serving these bytes).
    pub fn store_file(&mut self, kind: MediaKind, bytes: Bytes, mut info: Info) -> Value {
        let size = bytes.len() as u64;
        if info.mime_type.is_none() && kind != MediaKind::Photo {
            info.mime_type = media::sniff_mime(&bytes).map(str::to_owned);
        }
        if kind == MediaKind::Photo {
            let (w, h) = media::image_size(&bytes).or_else(|| info.width.zip(info.height)).unwrap_or((1280, 960));
            let mut sizes = Vec::new();
            let mut recs = Vec::new();
            for (sw, sh, share) in media::photo_geometry(w, h) {
                let (file_id, unique_id, n) = self.new_file_ids(kind);
                let path = media::file_path(kind, n, &info, &bytes);
                let reported = if share >= 1.0 { size } else { ((size as f64) * share).ceil().max(1.0) as u64 };
                let mut m = media::meta(&file_id, &unique_id, reported);
                m.insert("width".into(), json!(sw));
                m.insert("height".into(), json!(sh));
                sizes.push(Value::Object(m));
                let mut i = info.clone();
                i.width = Some(sw);
                i.height = Some(sh);
                recs.push(FileRec {
                    file_id,
                    unique_id,
                    kind,
                    path,
                    bytes: bytes.clone(),
                    mime: media::sniff_mime(&bytes).map(str::to_owned),
                    info: i,
                    media: Value::Null,
                });
            }
            let all = Value::Array(sizes);
            for mut r in recs {
                r.media = all.clone();
                self.paths.insert(r.path.clone(), r.file_id.clone());
                self.files.insert(r.file_id.clone(), r);
            }
            return all;
        }
        if kind == MediaKind::Sticker || kind == MediaKind::Animation || kind == MediaKind::Video {
            if let Some((w, h)) = media::image_size(&bytes) {
                info.width.get_or_insert(w);
                info.height.get_or_insert(h);
            }
        }
        let (file_id, unique_id, n) = self.new_file_ids(kind);
        let path = media::file_path(kind, n, &info, &bytes);
        let obj = media::object(kind, media::meta(&file_id, &unique_id, size), &info);
        let rec = FileRec { file_id: file_id.clone(), unique_id, kind, path: path.clone(), mime: info.mime_type.clone(), bytes, info, media: obj.clone() };
        self.paths.insert(path, file_id.clone());
        self.files.insert(file_id, rec);
        obj
    }

    /// The media object for re-sending a stored file as `kind`.
    pub fn reuse_file(&self, kind: MediaKind, file_id: &str) -> Result<Value, ApiErr> {
        let rec = self.files.get(file_id).ok_or_else(|| ApiErr::bad("wrong file identifier/HTTP URL specified"))?;
        if !kind.compatible(rec.kind) {
            return Err(ApiErr::bad("type of file mismatch"));
        }
        if rec.kind == kind {
            return Ok(rec.media.clone());
        }
        let size = rec.bytes.len() as u64;
        Ok(media::object(kind, media::meta(&rec.file_id, &rec.unique_id, size), &rec.info))
    }
}

#[derive(Debug)]
pub(crate) struct State {
    pub bots: BTreeMap<i64, BotState>,
    pub next_bot_id: i64,
    /// Channels and supergroups, shared by every bot.
    pub channels: BTreeMap<i64, ChannelState>,
    /// The next channel's number: its id is `-100` followed by it.
    pub next_channel: i64,
}

impl State {
    pub fn new() -> Self {
        State { bots: BTreeMap::new(), next_bot_id: 7_000_000_001, channels: BTreeMap::new(), next_channel: 1_900_000_001 }
    }

    /// The bot a token belongs to, if the token is exactly right.
    pub fn bot_by_token(&mut self, token: &str) -> Option<&mut BotState> {
        let id = token_bot_id(token)?;
        self.bots.get_mut(&id).filter(|b| b.info.token == token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bot() -> BotState {
        let mut b = BotState::new(BotInfo { id: 1, token: "1:AAx".into(), username: "b".into(), first_name: "B".into() });
        b.chats.insert(10, ChatState::new(UserRef { id: 10, first_name: "U".into(), ..UserRef::default() }, 20));
        b.chats.insert(11, ChatState::new(UserRef { id: 11, first_name: "V".into(), ..UserRef::default() }, 20));
        b
    }

    #[test]
    fn per_bot_window_allows_exactly_per_second() {
        let mut b = bot();
        b.chat_burst = 0;
        let t0 = Instant::now();
        for i in 0..30 {
            let now = t0 + Duration::from_millis(i * 10);
            b.check_rate(10, 1, now).expect("within limit");
            b.use_rate(10, 1, now);
        }
        let err = b.check_rate(11, 1, t0 + Duration::from_millis(500)).expect_err("31st");
        assert_eq!((err.code, err.retry_after), (429, Some(1)));
        assert_eq!(err.description, "Too Many Requests: retry after 1");
        // Once the first send is a second old, one more fits.
        b.check_rate(11, 1, t0 + Duration::from_millis(1000)).expect("slid");
        // A group of 10 needs ten slots.
        assert!(b.check_rate(11, 10, t0 + Duration::from_millis(1050)).is_err());
        b.check_rate(11, 10, t0 + Duration::from_millis(1090)).expect("ten slots free");
    }

    #[test]
    fn per_chat_bucket_bursts_then_refills() {
        let mut b = bot();
        b.per_second = 0;
        let t0 = Instant::now();
        for _ in 0..20 {
            b.check_rate(10, 1, t0).expect("burst");
            b.use_rate(10, 1, t0);
        }
        let err = b.check_rate(10, 1, t0).expect_err("21st");
        assert_eq!(err.retry_after, Some(1));
        b.check_rate(11, 1, t0).expect("other chats are not affected");
        b.check_rate(10, 1, t0 + Duration::from_millis(1001)).expect("refilled one");
        b.use_rate(10, 1, t0 + Duration::from_millis(1001));
        let err = b.check_rate(10, 3, t0 + Duration::from_millis(1001)).expect_err("needs three");
        assert_eq!(err.retry_after, Some(3));
    }

    #[test]
    fn unlimited_when_zero() {
        let mut b = bot();
        b.per_second = 0;
        b.chat_burst = 0;
        let t0 = Instant::now();
        for _ in 0..1000 {
            b.check_rate(10, 1, t0).expect("unlimited");
            b.use_rate(10, 1, t0);
        }
    }

    #[test]
    fn paid_sends_share_the_window_with_a_higher_cap() {
        let mut b = bot();
        b.chat_burst = 0;
        b.paid_eligible = true;
        let t0 = Instant::now();
        for i in 0..30 {
            let now = t0 + Duration::from_millis(i);
            b.check_rate_as(10, 1, false, now).expect("free within 30");
            b.use_rate(10, 1, now);
        }
        assert_eq!(b.check_rate_as(10, 1, false, t0 + Duration::from_millis(30)).expect_err("31st free").code, 429);
        // Paid sends go on up to 1000 in the same second, the free ones included.
        for i in 30..1000 {
            let now = t0 + Duration::from_millis(i / 2);
            b.check_rate_as(11, 1, true, now).expect("paid within 1000");
            b.use_rate(11, 1, now);
        }
        assert_eq!(b.window.len(), 1000);
        let err = b.check_rate_as(11, 1, true, t0 + Duration::from_millis(600)).expect_err("1001st paid");
        assert_eq!((err.code, err.retry_after), (429, Some(1)));
        let err = b.check_rate_as(10, 1, false, t0 + Duration::from_millis(600)).expect_err("free after a paid burst");
        assert_eq!((err.code, err.retry_after), (429, Some(1)));
        // A second after the first sends, the 30 free ones have slid out.
        b.check_rate_as(11, 30, true, t0 + Duration::from_millis(1030)).expect("paid slots freed");
        assert!(b.check_rate_as(10, 1, false, t0 + Duration::from_millis(1030)).is_err(), "938 paid sends still in the window");
        // Once everything is a second old, free sends fit again.
        b.check_rate_as(10, 30, false, t0 + Duration::from_millis(1500)).expect("window empty");
        assert!(b.window.is_empty());
    }

    #[test]
    fn paid_sends_keep_the_per_chat_bucket() {
        let mut b = bot();
        b.paid_eligible = true;
        let t0 = Instant::now();
        for _ in 0..20 {
            b.check_rate_as(10, 1, true, t0).expect("burst");
            b.use_rate(10, 1, t0);
        }
        assert_eq!(b.check_rate_as(10, 1, true, t0).expect_err("21st to one chat").retry_after, Some(1));
        b.check_rate_as(11, 1, true, t0).expect("another chat");
    }

    #[test]
    fn window_kept_for_paid_sends_when_free_ones_are_unlimited() {
        let mut b = bot();
        b.chat_burst = 0;
        b.per_second = 0;
        b.paid_eligible = true;
        b.paid_per_second = 5;
        let t0 = Instant::now();
        for _ in 0..5 {
            b.check_rate_as(10, 1, false, t0).expect("free: unlimited");
            b.use_rate(10, 1, t0);
        }
        assert!(b.check_rate_as(10, 1, true, t0).is_err(), "paid cap counts free sends");
        b.check_rate_as(10, 1, false, t0).expect("free still unlimited");
    }

    #[test]
    fn deliveries_count_messages_per_chat_and_second() {
        let mut d = Deliveries::default();
        d.record(10, 3, false, 5_000_900);
        d.record(11, 1, true, 5_001_100);
        d.record(10, 1, true, 5_001_200);
        d.record(12, 0, true, 5_009_000);
        assert_eq!(d.total, 5);
        assert_eq!(d.paid, 2);
        assert_eq!(d.chats, HashMap::from([(10, 4), (11, 1)]));
        assert_eq!(d.per_second.iter().map(|(s, n)| (*s, *n)).collect::<Vec<_>>(), vec![(5_000, 3), (5_001, 2)]);
        assert_eq!((d.first_ms, d.last_ms), (Some(5_000_900), Some(5_001_200)));
    }

    #[test]
    fn add_chats_keeps_existing_ones_and_is_fast() {
        let mut b = bot();
        b.chats.get_mut(&10).expect("chat").take_message_id();
        let renamed = UserRef { id: 10, first_name: "Renamed".into(), ..UserRef::default() };
        let fresh = UserRef { id: 12, first_name: "W".into(), language_code: Some("uk".into()), ..UserRef::default() };
        assert_eq!(b.add_chats(&[renamed, fresh.clone(), fresh]), 1);
        assert_eq!(b.chats[&10].user.first_name, "U");
        assert_eq!(b.chats[&10].next_message_id, 2);
        assert_eq!(b.chats[&12].user.language_code.as_deref(), Some("uk"));
        assert_eq!(b.chats[&12].tokens, 20.0);

        let many: Vec<UserRef> = (1_000..21_000).map(|id| UserRef { id, first_name: format!("Buyer {id}"), ..UserRef::default() }).collect();
        let t = Instant::now();
        assert_eq!(b.add_chats(&many), 20_000);
        assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
        assert_eq!(b.chats.len(), 20_003);
    }

    #[test]
    fn tokens() {
        assert_eq!(token_bot_id("123:AA-x_y"), Some(123));
        for bad in ["", "123", ":abc", "12a:abc", "123:", "123:a b", "123:ä"] {
            assert_eq!(token_bot_id(bad), None, "{bad}");
        }
        let s = rand_string(40);
        assert_eq!(s.len(), 40);
        assert!(token_bot_id(&format!("5:{s}")).is_some());
    }

    #[test]
    fn photo_store_and_reuse() {
        let mut b = bot();
        let png = crate::sample_png(2000, 1000);
        let sizes = b.store_file(MediaKind::Photo, Bytes::from(png.clone()), Info::default());
        let arr = sizes.as_array().expect("array");
        let dims: Vec<(u64, u64)> = arr.iter().map(|s| (s["width"].as_u64().unwrap_or(0), s["height"].as_u64().unwrap_or(0))).collect();
        assert_eq!(dims, vec![(90, 45), (320, 160), (800, 400), (1280, 640), (2000, 1000)]);
        let last = arr[4]["file_id"].as_str().unwrap_or("");
        assert_eq!(b.reuse_file(MediaKind::Photo, last).expect("reuse"), sizes);
        let thumb = arr[0]["file_id"].as_str().unwrap_or("");
        assert_eq!(b.reuse_file(MediaKind::Photo, thumb).expect("any size reuses the set"), sizes);
        assert_eq!(b.reuse_file(MediaKind::Document, last).expect_err("mismatch").description, "Bad Request: type of file mismatch");
        let doc = b.store_file(MediaKind::Document, Bytes::from_static(b"%PDF-1"), Info::default());
        let id = doc["file_id"].as_str().unwrap_or("");
        let as_video = b.reuse_file(MediaKind::Video, id).expect("documents and videos mix");
        assert_eq!(as_video["file_id"], doc["file_id"]);
        assert!(as_video.get("width").is_some());
    }
}
