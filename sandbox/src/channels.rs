//! Channels and supergroups: chats with negative ids (`-100…`) that exist
//! once in the sandbox, have an owner and any number of bots as members or
//! administrators, and one message id sequence for everybody's posts.
//!
//! The rights are checked as Telegram (TDLib behind the Bot API) checks
//! them: see [`ChannelState::check_post`], [`ChannelState::check_edit`],
//! [`ChannelState::check_delete`] and [`ChannelState::check_pin`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{
    media::MediaKind,
    params::{ApiErr, Params},
    state::{Sender, State, TranscriptEntry},
    UserRef,
};

/// Bots may delete a message (their own or, with `can_delete_messages`,
/// anyone's) only this long after it was sent.
pub const DELETE_WINDOW_SECS: i64 = 48 * 3600;

/// What kind of chat with a negative id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatKind {
    /// A broadcast channel: only administrators with `can_post_messages`
    /// post, posts are signed by the channel (`sender_chat`, no `from`).
    #[default]
    Channel,
    /// A supergroup: every member may write; messages are `from` the bot.
    Supergroup,
}

impl ChatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Channel => "channel",
            ChatKind::Supergroup => "supergroup",
        }
    }
}

/// The administrator rights the sandbox checks. In a channel Telegram
/// knows `can_post_messages`, `can_edit_messages` (which also allows
/// pinning) and `can_delete_messages`; in a supergroup
/// `can_delete_messages` and `can_pin_messages`. A right that does not
/// exist in the chat's kind is kept but neither checked nor reported by
/// `getChatMember`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AdminRights {
    #[serde(default)]
    pub can_post_messages: bool,
    #[serde(default)]
    pub can_edit_messages: bool,
    #[serde(default)]
    pub can_delete_messages: bool,
    #[serde(default)]
    pub can_pin_messages: bool,
}

impl AdminRights {
    /// Every right.
    pub const ALL: AdminRights = AdminRights { can_post_messages: true, can_edit_messages: true, can_delete_messages: true, can_pin_messages: true };
    /// An administrator without any of the checked rights.
    pub const NONE: AdminRights = AdminRights { can_post_messages: false, can_edit_messages: false, can_delete_messages: false, can_pin_messages: false };
}

/// A bot's place in a channel or supergroup (JSON: `{"status":
/// "administrator", "can_post_messages": true, …}`, `{"status": "member"}`,
/// `{"status": "left"}`, `{"status": "kicked"}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChatMembership {
    Administrator(AdminRights),
    Member,
    /// Not in the chat (removed, left, or never added).
    Left,
    /// Banned from the chat.
    Kicked,
}

impl ChatMembership {
    /// The administrator rights (none unless an administrator).
    pub fn rights(self) -> AdminRights {
        match self {
            ChatMembership::Administrator(r) => r,
            _ => AdminRights::NONE,
        }
    }
    pub fn status(self) -> &'static str {
        match self {
            ChatMembership::Administrator(_) => "administrator",
            ChatMembership::Member => "member",
            ChatMembership::Left => "left",
            ChatMembership::Kicked => "kicked",
        }
    }
}

fn full_admin() -> ChatMembership {
    ChatMembership::Administrator(AdminRights::ALL)
}

/// A channel or supergroup to create (also the body of
/// `POST /sandbox/api/bots/{bot_id}/channels`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewChannel {
    #[serde(default)]
    pub kind: ChatKind,
    pub title: String,
    /// A public chat's `@username` (the `@` is optional); none: a private chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The creating bot's place in it. Default: administrator with every right.
    #[serde(default = "full_admin")]
    pub membership: ChatMembership,
    /// The creator (a person, `status: "creator"`). Default: a made-up owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserRef>,
}

impl NewChannel {
    /// A private channel where the bot is an administrator with every right.
    pub fn channel(title: impl Into<String>) -> Self {
        NewChannel { kind: ChatKind::Channel, title: title.into(), username: None, membership: full_admin(), owner: None }
    }
    /// A private supergroup where the bot is an administrator with every right.
    pub fn supergroup(title: impl Into<String>) -> Self {
        NewChannel { kind: ChatKind::Supergroup, ..NewChannel::channel(title) }
    }
    /// Makes it public as `@username`.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }
    pub fn membership(mut self, membership: ChatMembership) -> Self {
        self.membership = membership;
        self
    }
    /// The bot as an administrator with these rights.
    pub fn rights(self, rights: AdminRights) -> Self {
        self.membership(ChatMembership::Administrator(rights))
    }
    pub fn owner(mut self, owner: UserRef) -> Self {
        self.owner = Some(owner);
        self
    }
}

/// One bot's membership, as [`ChannelInfo`] lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelBot {
    pub bot_id: i64,
    pub membership: ChatMembership,
}

/// A channel or supergroup as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelInfo {
    pub id: i64,
    pub kind: ChatKind,
    pub title: String,
    pub username: Option<String>,
    pub owner: UserRef,
    /// Every bot that was ever added (removed ones: `left`).
    pub bots: Vec<ChannelBot>,
    /// Pinned messages, oldest first.
    pub pinned: Vec<i64>,
}

/// One message of a channel or supergroup, as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelPost {
    pub message_id: i64,
    /// The bot that sent it (or pinned, for a pin's service message);
    /// `None` for the chat's creation message.
    pub bot_id: Option<i64>,
    /// Unix seconds on the sandbox clock.
    pub date: i64,
    pub text: Option<String>,
    pub caption: Option<String>,
    /// The media the message carries (one kind at most).
    pub media: Option<MediaKind>,
    pub media_group_id: Option<String>,
    pub reply_markup: Option<Value>,
    pub pinned: bool,
    pub deleted: bool,
    /// Successful edits (text, caption or markup).
    pub edits: u32,
    /// For a service message: `channel_chat_created`,
    /// `supergroup_chat_created` or `pinned_message`.
    pub service: Option<String>,
    /// The Message JSON as it is now (edits applied).
    pub message: Value,
    /// Wall-clock unix ms when it was sent.
    pub at_ms: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct PostRec {
    pub message_id: i64,
    pub bot_id: Option<i64>,
    pub message: Value,
    pub at_ms: u64,
    pub edits: u32,
    pub pinned: bool,
    pub deleted: bool,
    pub service: Option<&'static str>,
}

impl PostRec {
    pub fn date(&self) -> i64 {
        self.message.get("date").and_then(Value::as_i64).unwrap_or(0)
    }

    fn snapshot(&self) -> ChannelPost {
        let m = &self.message;
        let s = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
        let media = if m.get("animation").is_some() { Some(MediaKind::Animation) } else { MediaKind::ALL.into_iter().find(|k| m.get(k.field()).is_some()) };
        ChannelPost {
            message_id: self.message_id,
            bot_id: self.bot_id,
            date: self.date(),
            text: s("text"),
            caption: s("caption"),
            media,
            media_group_id: s("media_group_id"),
            reply_markup: m.get("reply_markup").cloned(),
            pinned: self.pinned,
            deleted: self.deleted,
            edits: self.edits,
            service: self.service.map(str::to_owned),
            message: self.message.clone(),
            at_ms: self.at_ms,
        }
    }
}

/// Whether a call reads the chat or writes to it (Telegram's access check
/// before any rights: a public chat can be read by anybody not banned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

#[derive(Debug)]
pub(crate) struct ChannelState {
    pub id: i64,
    pub kind: ChatKind,
    pub title: String,
    pub username: Option<String>,
    pub owner: UserRef,
    /// Bots that were ever added, with their place now.
    pub members: BTreeMap<i64, ChatMembership>,
    pub next_message_id: i64,
    pub posts: Vec<PostRec>,
}

impl ChannelState {
    pub fn new(id: i64, spec: &NewChannel, owner: UserRef, date: i64, at_ms: u64) -> Self {
        let mut ch = ChannelState {
            id,
            kind: spec.kind,
            title: spec.title.trim().to_owned(),
            username: spec.username.as_deref().map(|u| u.trim().trim_start_matches('@').to_owned()),
            owner,
            members: BTreeMap::new(),
            next_message_id: 1,
            posts: Vec::new(),
        };
        // Message 1 is the creation notice, as in every Telegram channel.
        let (flag, sender) = match ch.kind {
            ChatKind::Channel => ("channel_chat_created", ("sender_chat", ch.chat_json())),
            ChatKind::Supergroup => ("supergroup_chat_created", ("from", user_json(&ch.owner))),
        };
        let message_id = ch.take_message_id();
        let message = json!({"message_id": message_id, sender.0: sender.1, "chat": ch.chat_json(), "date": date, flag: true});
        ch.posts.push(PostRec { message_id, bot_id: None, message, at_ms, edits: 0, pinned: false, deleted: false, service: Some(flag) });
        ch
    }

    pub fn take_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }

    pub fn membership(&self, bot_id: i64) -> ChatMembership {
        self.members.get(&bot_id).copied().unwrap_or(ChatMembership::Left)
    }

    /// Whether `bot_id` can find the chat by its numeric id: it was added
    /// once (so it knows the chat), or the chat is public.
    pub fn known_to(&self, bot_id: i64) -> bool {
        self.members.contains_key(&bot_id) || self.username.is_some()
    }

    /// The `Chat` of a message.
    pub fn chat_json(&self) -> Value {
        let mut c = json!({"id": self.id, "title": self.title, "type": self.kind.as_str()});
        if let (Some(u), Some(o)) = (&self.username, c.as_object_mut()) {
            o.insert("username".into(), json!(u));
        }
        c
    }

    /// `getChat`'s `ChatFullInfo`.
    pub fn full_json(&self) -> Value {
        let mut c = self.chat_json();
        if let Some(o) = c.as_object_mut() {
            if let Some(u) = &self.username {
                o.insert("active_usernames".into(), json!([u]));
            }
            if self.kind == ChatKind::Supergroup {
                o.insert(
                    "permissions".into(),
                    json!({
                        "can_send_messages": true, "can_send_audios": true, "can_send_documents": true,
                        "can_send_photos": true, "can_send_videos": true, "can_send_video_notes": true,
                        "can_send_voice_notes": true, "can_send_polls": true, "can_send_other_messages": true,
                        "can_add_web_page_previews": true, "can_change_info": false, "can_invite_users": true,
                        "can_pin_messages": false, "can_manage_topics": false,
                    }),
                );
                o.insert("has_visible_history".into(), json!(true));
            }
            if let Some(p) = self.latest_pinned() {
                o.insert("pinned_message".into(), without_reply(&p.message));
            }
            o.insert(
                "accepted_gift_types".into(),
                json!({"unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false, "gifts_from_channels": false}),
            );
            o.insert("max_reaction_count".into(), json!(11));
            o.insert("accent_color_id".into(), json!(0));
        }
        c
    }

    fn word(&self) -> &'static str {
        self.kind.as_str()
    }

    /// Telegram's access check: banned bots get nothing; a bot that is not
    /// a member may only read a public chat.
    pub fn check_access(&self, bot_id: i64, access: Access) -> Result<ChatMembership, ApiErr> {
        let m = self.membership(bot_id);
        match m {
            ChatMembership::Kicked => Err(ApiErr::new(403, format!("Forbidden: bot was kicked from the {} chat", self.word()))),
            ChatMembership::Left if access == Access::Write || self.username.is_none() => {
                Err(ApiErr::new(403, format!("Forbidden: bot is not a member of the {} chat", self.word())))
            }
            _ => Ok(m),
        }
    }

    /// May the bot send here? Channels: an administrator with
    /// `can_post_messages`; supergroups: any member.
    pub fn check_post(&self, bot_id: i64) -> Result<(), ApiErr> {
        let m = self.check_access(bot_id, Access::Write)?;
        if self.kind == ChatKind::Channel && !m.rights().can_post_messages {
            return Err(ApiErr::bad("need administrator rights in the channel chat"));
        }
        Ok(())
    }

    /// A message that is there (not deleted).
    pub fn live_post(&self, message_id: i64) -> Option<&PostRec> {
        self.posts.iter().find(|p| p.message_id == message_id && !p.deleted)
    }
    pub fn live_post_mut(&mut self, message_id: i64) -> Option<&mut PostRec> {
        self.posts.iter_mut().find(|p| p.message_id == message_id && !p.deleted)
    }

    /// TDLib's `can_edit_message` for a bot: in a channel
    /// `can_edit_messages` edits any post, `can_post_messages` the bot's
    /// own; in a supergroup only the bot's own messages. No time limit for
    /// either (bots' own messages and editors' rights have none).
    pub fn check_edit(&self, bot_id: i64, post: &PostRec) -> Result<(), ApiErr> {
        let m = self.check_access(bot_id, Access::Write)?;
        let own = post.bot_id == Some(bot_id) && post.service.is_none();
        let ok = post.service.is_none()
            && match self.kind {
                ChatKind::Channel => m.rights().can_edit_messages || (m.rights().can_post_messages && own),
                ChatKind::Supergroup => own,
            };
        if ok {
            Ok(())
        } else {
            Err(ApiErr::bad("message can't be edited"))
        }
    }

    /// TDLib's `can_delete_channel_message` for a bot: nothing older than
    /// 48 hours and never message 1; with `can_delete_messages` anything
    /// else; the bot's own channel posts with `can_post_messages`; its own
    /// supergroup messages always.
    pub fn check_delete(&self, bot_id: i64, post: &PostRec, now: i64) -> Result<(), ApiErr> {
        let m = self.check_access(bot_id, Access::Write)?;
        let cant = || ApiErr::bad("message can't be deleted");
        if now >= post.date() + DELETE_WINDOW_SECS || post.message_id == 1 {
            return Err(cant());
        }
        if m.rights().can_delete_messages {
            return Ok(());
        }
        if post.bot_id != Some(bot_id) {
            return Err(cant());
        }
        match self.kind {
            ChatKind::Channel if !m.rights().can_post_messages => Err(cant()),
            _ => Ok(()),
        }
    }

    /// Pins and unpins: `can_edit_messages` in a channel (Telegram has no
    /// separate pin right there), `can_pin_messages` in a supergroup.
    pub fn check_pin(&self, bot_id: i64) -> Result<(), ApiErr> {
        let m = self.check_access(bot_id, Access::Write)?;
        let r = m.rights();
        let ok = match self.kind {
            ChatKind::Channel => r.can_edit_messages,
            ChatKind::Supergroup => r.can_pin_messages,
        };
        if ok {
            Ok(())
        } else {
            Err(ApiErr::bad("not enough rights to manage pinned messages in the chat"))
        }
    }

    /// The most recent pinned message (the highest id), as `getChat` shows it.
    pub fn latest_pinned(&self) -> Option<&PostRec> {
        self.posts.iter().filter(|p| p.pinned && !p.deleted).max_by_key(|p| p.message_id)
    }

    /// Pins `message_id` for `bot_id` (rights checked by the caller) and
    /// adds the service message a pin makes; pinning it again changes nothing.
    pub fn pin(&mut self, bot_id: i64, bot_user: &Value, message_id: i64, date: i64, at_ms: u64) -> Result<(), ApiErr> {
        let post = self.live_post_mut(message_id).ok_or_else(|| ApiErr::bad("message to pin not found"))?;
        if post.pinned {
            return Ok(());
        }
        post.pinned = true;
        let pinned = without_reply(&post.message);
        let service_id = self.take_message_id();
        let mut m = json!({"message_id": service_id, "chat": self.chat_json(), "date": date, "pinned_message": pinned});
        if let Some(o) = m.as_object_mut() {
            match self.kind {
                ChatKind::Channel => o.insert("sender_chat".into(), self.chat_json()),
                ChatKind::Supergroup => o.insert("from".into(), bot_user.clone()),
            };
        }
        self.posts.push(PostRec {
            message_id: service_id,
            bot_id: Some(bot_id),
            message: m,
            at_ms,
            edits: 0,
            pinned: false,
            deleted: false,
            service: Some("pinned_message"),
        });
        Ok(())
    }

    /// The chat member `getChatMember` shows for a bot (`user` = its User).
    pub fn member_json(&self, user: Value, m: ChatMembership) -> Value {
        let mut v = json!({"user": user, "status": m.status()});
        let Some(o) = v.as_object_mut() else { return v };
        match m {
            ChatMembership::Administrator(r) => {
                let channel = self.kind == ChatKind::Channel;
                o.insert("can_be_edited".into(), json!(false));
                o.insert("can_manage_chat".into(), json!(true));
                o.insert("can_change_info".into(), json!(false));
                if channel {
                    o.insert("can_post_messages".into(), json!(r.can_post_messages));
                    o.insert("can_edit_messages".into(), json!(r.can_edit_messages));
                }
                o.insert("can_delete_messages".into(), json!(r.can_delete_messages));
                o.insert("can_invite_users".into(), json!(false));
                o.insert("can_restrict_members".into(), json!(false));
                if !channel {
                    o.insert("can_pin_messages".into(), json!(r.can_pin_messages));
                    o.insert("can_manage_topics".into(), json!(false));
                }
                o.insert("can_promote_members".into(), json!(false));
                o.insert("can_manage_video_chats".into(), json!(false));
                o.insert("can_post_stories".into(), json!(false));
                o.insert("can_edit_stories".into(), json!(false));
                o.insert("can_delete_stories".into(), json!(false));
                o.insert("is_anonymous".into(), json!(false));
                o.insert("can_manage_voice_chats".into(), json!(false));
            }
            ChatMembership::Kicked => {
                o.insert("until_date".into(), json!(0));
            }
            ChatMembership::Member | ChatMembership::Left => {}
        }
        v
    }

    /// The owner as `getChatMember` / `getChatAdministrators` show them.
    pub fn owner_json(&self) -> Value {
        json!({"user": user_json(&self.owner), "status": "creator", "is_anonymous": false})
    }

    pub fn info(&self) -> ChannelInfo {
        let mut pinned: Vec<&PostRec> = self.posts.iter().filter(|p| p.pinned && !p.deleted).collect();
        pinned.sort_by_key(|p| p.message_id);
        ChannelInfo {
            id: self.id,
            kind: self.kind,
            title: self.title.clone(),
            username: self.username.clone(),
            owner: self.owner.clone(),
            bots: self.members.iter().map(|(b, m)| ChannelBot { bot_id: *b, membership: *m }).collect(),
            pinned: pinned.iter().map(|p| p.message_id).collect(),
        }
    }

    pub fn posts(&self) -> Vec<ChannelPost> {
        self.posts.iter().map(PostRec::snapshot).collect()
    }

    /// The bots' messages as a transcript (service messages left out).
    pub fn transcript_entries(&self) -> Vec<TranscriptEntry> {
        self.posts
            .iter()
            .filter(|p| p.service.is_none())
            .map(|p| TranscriptEntry {
                sender: Sender::Bot,
                message_id: p.message_id,
                message: p.message.clone(),
                at_ms: p.at_ms,
                reply_keyboard: None,
                edited: p.edits > 0,
                deleted: p.deleted,
                pinned: p.pinned,
            })
            .collect()
    }
}

/// A `User` object of a person.
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

/// A message as another message quotes it (no nested `reply_to_message`).
fn without_reply(m: &Value) -> Value {
    let mut m = m.clone();
    if let Some(o) = m.as_object_mut() {
        o.remove("reply_to_message");
    }
    m
}

/// Telegram's username rule: 5–32 of `A-Za-z0-9_`, a letter first, no `_` last.
pub(crate) fn valid_username(u: &str) -> bool {
    (5..=32).contains(&u.len())
        && u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && u.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && !u.ends_with('_')
}

/// Where a request's `chat_id` points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The private chat with this user.
    Private(i64),
    Channel(i64),
}

impl Target {
    pub fn id(self) -> i64 {
        match self {
            Target::Private(id) | Target::Channel(id) => id,
        }
    }
}

/// Resolves `chat_id`: `@username` names a public channel or supergroup;
/// a negative id a channel or supergroup the bot knows (it was added once,
/// or the chat is public); a positive id the private chat with that user
/// (whether it exists is checked by the caller).
pub(crate) fn resolve(st: &State, bot_id: i64, p: &Params) -> Result<Target, ApiErr> {
    if let Some(name) = p.str("chat_id").and_then(|s| s.trim().strip_prefix('@').map(str::to_owned)) {
        return st
            .channels
            .values()
            .find(|c| c.username.as_deref().is_some_and(|u| u.eq_ignore_ascii_case(&name)))
            .map(|c| Target::Channel(c.id))
            .ok_or_else(ApiErr::chat_not_found);
    }
    let id = p.chat_id()?;
    if id < 0 {
        return match st.channels.get(&id) {
            Some(c) if c.known_to(bot_id) => Ok(Target::Channel(id)),
            _ => Err(ApiErr::chat_not_found()),
        };
    }
    Ok(Target::Private(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(kind: ChatKind, username: Option<&str>) -> ChannelState {
        let spec = NewChannel { kind, title: "Cars".into(), username: username.map(str::to_owned), membership: full_admin(), owner: None };
        ChannelState::new(-1_001_900_000_001, &spec, UserRef { id: 5, first_name: "Owner".into(), ..UserRef::default() }, 1_000, 0)
    }

    fn post(ch: &mut ChannelState, bot_id: i64, date: i64) -> i64 {
        let id = ch.take_message_id();
        ch.posts.push(PostRec {
            message_id: id,
            bot_id: Some(bot_id),
            message: json!({"message_id": id, "date": date, "text": "x"}),
            at_ms: 0,
            edits: 0,
            pinned: false,
            deleted: false,
            service: None,
        });
        id
    }

    #[test]
    fn memberships_serialize_with_a_status_tag() {
        let admin = ChatMembership::Administrator(AdminRights { can_post_messages: true, ..AdminRights::NONE });
        let v = serde_json::to_value(admin).expect("json");
        assert_eq!(v["status"], "administrator");
        assert_eq!(v["can_post_messages"], true);
        assert_eq!(serde_json::to_value(ChatMembership::Left).expect("json"), json!({"status": "left"}));
        let back: ChatMembership = serde_json::from_value(json!({"status": "administrator", "can_edit_messages": true})).expect("parse");
        assert_eq!(back, ChatMembership::Administrator(AdminRights { can_edit_messages: true, ..AdminRights::NONE }));
        let n: NewChannel = serde_json::from_value(json!({"title": "T"})).expect("defaults");
        assert_eq!((n.kind, n.membership), (ChatKind::Channel, full_admin()));
    }

    #[test]
    fn access_depends_on_membership_and_publicity() {
        let mut private = channel(ChatKind::Channel, None);
        let err = private.check_access(7, Access::Read).expect_err("left, private");
        assert_eq!((err.code, err.description.as_str()), (403, "Forbidden: bot is not a member of the channel chat"));
        let public = channel(ChatKind::Supergroup, Some("cars_group"));
        public.check_access(7, Access::Read).expect("public chats can be read");
        let err = public.check_access(7, Access::Write).expect_err("but not written");
        assert_eq!(err.description, "Forbidden: bot is not a member of the supergroup chat");
        private.members.insert(7, ChatMembership::Kicked);
        assert_eq!(private.check_access(7, Access::Read).expect_err("kicked").description, "Forbidden: bot was kicked from the channel chat");
    }

    #[test]
    fn rights_for_edit_delete_and_pin() {
        let mut ch = channel(ChatKind::Channel, None);
        ch.members.insert(7, ChatMembership::Administrator(AdminRights { can_post_messages: true, ..AdminRights::NONE }));
        ch.members.insert(8, ChatMembership::Administrator(AdminRights::ALL));
        let mine = post(&mut ch, 7, 10_000);
        let theirs = post(&mut ch, 8, 10_000);
        let (mine, theirs) = (ch.live_post(mine).expect("mine").clone(), ch.live_post(theirs).expect("theirs").clone());
        ch.check_edit(7, &mine).expect("own post with can_post_messages");
        assert_eq!(ch.check_edit(7, &theirs).expect_err("not without can_edit").description, "Bad Request: message can't be edited");
        ch.check_edit(8, &mine).expect("can_edit_messages edits any post");
        ch.check_delete(7, &mine, 10_001).expect("own post");
        assert_eq!(ch.check_delete(7, &theirs, 10_001).expect_err("other's").description, "Bad Request: message can't be deleted");
        ch.check_delete(8, &mine, 10_000 + DELETE_WINDOW_SECS - 1).expect("just inside 48 h");
        assert!(ch.check_delete(8, &mine, 10_000 + DELETE_WINDOW_SECS).is_err(), "48 h even with can_delete_messages");
        let first = ch.live_post(1).expect("creation notice").clone();
        assert!(ch.check_delete(8, &first, 1_001).is_err(), "message 1 stays");
        assert!(ch.check_edit(8, &first).is_err());
        assert_eq!(ch.check_pin(7).expect_err("no can_edit_messages").description, "Bad Request: not enough rights to manage pinned messages in the chat");
        ch.check_pin(8).expect("can_edit_messages pins in channels");

        let mut sg = channel(ChatKind::Supergroup, None);
        sg.members.insert(7, ChatMembership::Member);
        let m = post(&mut sg, 7, 10_000);
        let m = sg.live_post(m).expect("m").clone();
        sg.check_post(7).expect("members write in groups");
        sg.check_edit(7, &m).expect("own");
        sg.check_delete(7, &m, 10_001).expect("own, no right needed");
        assert!(sg.check_pin(7).is_err());
        sg.members.insert(7, ChatMembership::Administrator(AdminRights { can_pin_messages: true, ..AdminRights::NONE }));
        sg.check_pin(7).expect("can_pin_messages in groups");
    }

    #[test]
    fn usernames() {
        for ok in ["cars_news", "Autohaus2024", "abcde"] {
            assert!(valid_username(ok), "{ok}");
        }
        for bad in ["abcd", "1cars", "cars_", "cars news", "ß_cars", &"a".repeat(33)] {
            assert!(!valid_username(bad), "{bad}");
        }
    }
}
