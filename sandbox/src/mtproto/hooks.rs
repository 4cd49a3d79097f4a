//! Test hooks on [`MtprotoServer`]: set up accounts, buyers, channels and
//! auth keys; make things happen (a buyer writes, a channel posts); read
//! what accounts sent; script faults (flood wait, dropped connections,
//! revoked sessions, code expiry).

use std::time::Duration;

use super::state::{
    now_secs, phone_digits, random_bytes, random_i64, Account, Channel, FloodRule, KeyLogin, KeyRecord, MediaRef, MessageRecord, Peer, StoredFile, UserRecord,
    World,
};
use super::wire::AuthKey;
use super::{srp, updates, ChannelInfo, HookError, MtprotoServer, NewAccount, Revocation, SentMessage, UserInfo};
use crate::media;

/// Login codes live this long unless a test says otherwise.
const DEFAULT_CODE_TTL: Duration = Duration::from_secs(300);

fn user_info(u: &UserRecord) -> UserInfo {
    UserInfo { id: u.id, access_hash: u.access_hash, first_name: u.first_name.clone(), username: u.username.clone(), phone: u.phone.clone() }
}

fn account_id(world: &World, phone: &str) -> Result<i64, HookError> {
    world.account_by_phone(phone).ok_or_else(|| HookError::NoAccount(phone.to_string()))
}

fn store_photo(world: &mut World, bytes: Vec<u8>) -> Result<i64, HookError> {
    let mime = media::sniff_mime(&bytes).filter(|m| m.starts_with("image/")).ok_or(HookError::Invalid("a photo must be PNG, JPEG, GIF or WebP"))?;
    let (width, height) = media::image_size(&bytes).unwrap_or((1280, 960));
    let id = world.next_id();
    world.files.insert(
        id,
        StoredFile {
            id,
            access_hash: random_i64(),
            file_reference: random_bytes::<8>().to_vec(),
            date: now_secs(),
            bytes,
            mime_type: mime.to_string(),
            file_name: None,
            width,
            height,
        },
    );
    Ok(id)
}

impl MtprotoServer {
    /// Adds an account that can log in with `code` (and `password`, if set).
    /// Hashing a 2FA password takes Telegram's 100,000 PBKDF2 rounds.
    pub fn add_account(&self, new: NewAccount) -> Result<UserInfo, HookError> {
        let digits = phone_digits(&new.phone);
        if digits.len() < 5 {
            return Err(HookError::Invalid("a phone has at least 5 digits"));
        }
        if new.code.is_empty() {
            return Err(HookError::Invalid("a login code is needed"));
        }
        let two_factor = new.password.as_deref().map(|p| srp::new_two_factor(p, new.hint.clone()));
        let mut world = self.shared.world();
        if world.phones.contains_key(&digits) {
            return Err(HookError::AccountExists(new.phone));
        }
        let id = world.next_id();
        let user = UserRecord { id, access_hash: random_i64(), first_name: new.first_name, last_name: None, username: None, phone: Some(digits.clone()) };
        let info = user_info(&user);
        world.users.insert(id, user);
        world.phones.insert(digits, id);
        world.accounts.insert(
            id,
            Account {
                user_id: id,
                code: new.code,
                code_ttl: DEFAULT_CODE_TTL,
                codes_sent: Default::default(),
                two_factor,
                srp: None,
                pts: 1,
                next_message_id: 0,
                messages: Vec::new(),
                channels: Default::default(),
                sent: Vec::new(),
            },
        );
        Ok(info)
    }

    /// Adds a Telegram user (a buyer) who can write to accounts.
    pub fn add_user(&self, first_name: &str, username: Option<&str>) -> UserInfo {
        let mut world = self.shared.world();
        let id = world.next_id();
        let user = UserRecord {
            id,
            access_hash: random_i64(),
            first_name: first_name.to_string(),
            last_name: None,
            username: username.map(|u| u.trim_start_matches('@').to_string()),
            phone: None,
        };
        let info = user_info(&user);
        world.users.insert(id, user);
        info
    }

    /// Adds a broadcast channel (no followers yet).
    pub fn add_channel(&self, title: &str, username: Option<&str>) -> ChannelInfo {
        let mut world = self.shared.world();
        let id = world.next_id();
        let ch = Channel {
            id,
            access_hash: random_i64(),
            title: title.to_string(),
            username: username.map(|u| u.trim_start_matches('@').to_string()),
            date: now_secs(),
            pts: 1,
            posts: Vec::new(),
        };
        let info = ChannelInfo { id, access_hash: ch.access_hash, title: ch.title.clone(), username: ch.username.clone() };
        world.channels.insert(id, ch);
        info
    }

    /// The account follows the channel (it shows in dialogs, posts reach it).
    pub fn follow_channel(&self, phone: &str, channel_id: i64) -> Result<(), HookError> {
        let mut world = self.shared.world();
        let id = account_id(&world, phone)?;
        if !world.channels.contains_key(&channel_id) {
            return Err(HookError::NoChannel(channel_id));
        }
        if let Some(acc) = world.accounts.get_mut(&id) {
            acc.channels.insert(channel_id);
        }
        Ok(())
    }

    /// Registers an auth key the server will accept, not signed in yet: what
    /// a client holds before `auth.sendCode`. Put it in the client's session.
    pub fn new_auth_key(&self) -> [u8; 256] {
        let data = random_bytes::<256>();
        self.register_auth_key(data);
        data
    }

    /// Accepts a key the test made itself (not signed in).
    pub fn register_auth_key(&self, data: [u8; 256]) {
        let key = AuthKey::new(data);
        self.shared.world().keys.insert(key.id, KeyRecord { key, login: KeyLogin::Fresh });
    }

    /// A new key already signed in as the account: what a saved session holds.
    pub fn signed_in_auth_key(&self, phone: &str) -> Result<[u8; 256], HookError> {
        let mut world = self.shared.world();
        let id = account_id(&world, phone)?;
        let key = AuthKey::new(random_bytes::<256>());
        let data = key.data;
        world.keys.insert(key.id, KeyRecord { key, login: KeyLogin::LoggedIn(id) });
        Ok(data)
    }

    /// A buyer writes to the account: text, or a photo with `text` as its
    /// caption. Stored at the account's next pts and pushed to its live
    /// connections (a client that is away gets it from getDifference).
    /// Returns the message id.
    pub fn deliver_message(&self, phone: &str, from_user_id: i64, text: &str, photo: Option<Vec<u8>>) -> Result<i32, HookError> {
        let mut world = self.shared.world();
        let id = account_id(&world, phone)?;
        if !world.users.contains_key(&from_user_id) || from_user_id == id {
            return Err(HookError::NoUser(from_user_id));
        }
        if text.is_empty() && photo.is_none() {
            return Err(HookError::Invalid("a message needs text or a photo"));
        }
        let media = photo.map(|p| store_photo(&mut world, p)).transpose()?.map(MediaRef::Photo);
        let acc = world.accounts.get_mut(&id).ok_or(HookError::NoAccount(phone.to_string()))?;
        acc.pts += 1;
        acc.next_message_id += 1;
        let msg = MessageRecord {
            id: acc.next_message_id,
            pts: acc.pts,
            date: now_secs(),
            out: false,
            peer: Peer::User(from_user_id),
            from: Some(from_user_id),
            text: text.to_string(),
            media,
            grouped_id: None,
        };
        acc.messages.push(msg.clone());
        let _ = updates::push_new_message(&world, id, &msg);
        Ok(msg.id)
    }

    /// The channel posts `text` with `photos` (several photos make an album:
    /// one message per photo sharing a grouped id, the text on the first).
    /// Pushed to followers' live connections. Returns the message ids.
    pub fn post_to_channel(&self, channel_id: i64, text: &str, photos: Vec<Vec<u8>>) -> Result<Vec<i32>, HookError> {
        let mut world = self.shared.world();
        if !world.channels.contains_key(&channel_id) {
            return Err(HookError::NoChannel(channel_id));
        }
        if text.is_empty() && photos.is_empty() {
            return Err(HookError::Invalid("a post needs text or photos"));
        }
        let media: Vec<Option<MediaRef>> = if photos.is_empty() {
            vec![None]
        } else {
            photos.into_iter().map(|p| store_photo(&mut world, p).map(|id| Some(MediaRef::Photo(id)))).collect::<Result<_, _>>()?
        };
        let grouped_id = (media.len() > 1).then(random_i64);
        let ch = world.channels.get_mut(&channel_id).ok_or(HookError::NoChannel(channel_id))?;
        let mut posts = Vec::new();
        for (i, m) in media.into_iter().enumerate() {
            ch.pts += 1;
            let post = MessageRecord {
                id: ch.posts.len() as i32 + 1,
                pts: ch.pts,
                date: now_secs(),
                out: false,
                peer: Peer::Channel(channel_id),
                from: None,
                text: if i == 0 { text.to_string() } else { String::new() },
                media: m,
                grouped_id,
            };
            ch.posts.push(post.clone());
            posts.push(post);
        }
        let _ = updates::push_channel_posts(&world, channel_id, &posts);
        Ok(posts.iter().map(|p| p.id).collect())
    }

    /// What the account sent, oldest first.
    pub fn sent_messages(&self, phone: &str) -> Result<Vec<SentMessage>, HookError> {
        let world = self.shared.world();
        let id = account_id(&world, phone)?;
        Ok(world.accounts.get(&id).map(|a| a.sent.clone()).unwrap_or_default())
    }

    /// Closes every client connection (clients see the socket drop).
    pub fn drop_connections(&self) {
        self.shared.world().close_connections(None);
    }

    /// How many client connections are open.
    pub fn connection_count(&self) -> usize {
        self.shared.world().connections.len()
    }

    /// The next call of `method` (TL name, e.g. `messages.sendMessage`), or
    /// of any method but connection setup, gets `FLOOD_WAIT_{seconds}` (420).
    pub fn flood_wait_next(&self, method: Option<&str>, seconds: u32) {
        self.shared.world().floods.push(FloodRule { method: method.map(str::to_string), seconds });
    }

    /// Ends every session of the account: each key's next call gets 401
    /// with `how`'s error, and its open connections are dropped.
    pub fn revoke_sessions(&self, phone: &str, how: Revocation) -> Result<usize, HookError> {
        let mut world = self.shared.world();
        let id = account_id(&world, phone)?;
        let keys: Vec<[u8; 8]> = world
            .keys
            .iter()
            .filter(|(_, k)| matches!(k.login, KeyLogin::LoggedIn(u) | KeyLogin::AwaitingPassword(u) if u == id))
            .map(|(kid, _)| *kid)
            .collect();
        for k in &keys {
            world.set_login(k, KeyLogin::Revoked(how));
            world.close_connections(Some(*k));
        }
        Ok(keys.len())
    }

    /// How long the account's login codes stay valid after `auth.sendCode`
    /// (0: expired at once). Default 5 minutes.
    pub fn set_code_ttl(&self, phone: &str, ttl: Duration) -> Result<(), HookError> {
        let mut world = self.shared.world();
        let id = account_id(&world, phone)?;
        if let Some(acc) = world.accounts.get_mut(&id) {
            acc.code_ttl = ttl;
        }
        Ok(())
    }
}
