//! Builds the TL objects the fake returns (users, channels, messages,
//! photos, documents, config) from the world's records, and the RPC error
//! type every handler returns. TL structs have dozens of optional fields;
//! the big ones start from a "blank" decoded from minimal bytes (all flags
//! off) so only the fields that matter are spelled out.

use grammers_tl_types::{self as tl, Deserializable, Serializable};

use super::state::{MediaRef, MessageRecord, Peer, StoredFile, UserRecord, World};

/// An RPC error as Telegram sends it: `rpc_error { error_code, error_message }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RpcErr {
    pub code: i32,
    pub name: String,
}

impl RpcErr {
    pub fn new(code: i32, name: impl Into<String>) -> RpcErr {
        RpcErr { code, name: name.into() }
    }
    pub fn bad(name: &str) -> RpcErr {
        RpcErr::new(400, name)
    }
    pub fn internal() -> RpcErr {
        RpcErr::new(500, "INTERNAL")
    }
}

pub(crate) type Answer<T> = Result<T, RpcErr>;

/// A struct decoded from `bytes`: its required fields, all flags off.
fn blank<T: Deserializable>(bytes: &[u8]) -> Answer<T> {
    T::from_bytes(bytes).map_err(|_| RpcErr::internal())
}

pub(crate) fn peer(p: Peer) -> tl::enums::Peer {
    match p {
        Peer::User(user_id) => tl::types::PeerUser { user_id }.into(),
        Peer::Channel(channel_id) => tl::types::PeerChannel { channel_id }.into(),
    }
}

pub(crate) fn user(u: &UserRecord, is_self: bool) -> Answer<tl::enums::User> {
    let mut b = Vec::new();
    0u32.serialize(&mut b); // flags
    0u32.serialize(&mut b); // flags2
    u.id.serialize(&mut b);
    let base: tl::types::User = blank(&b)?;
    Ok(tl::types::User {
        is_self,
        contact: !is_self,
        access_hash: Some(u.access_hash),
        first_name: Some(u.first_name.clone()),
        last_name: u.last_name.clone(),
        username: u.username.clone(),
        phone: u.phone.clone(),
        ..base
    }
    .into())
}

pub(crate) fn channel(c: &super::state::Channel) -> Answer<tl::enums::Chat> {
    let mut b = Vec::new();
    0u32.serialize(&mut b);
    0u32.serialize(&mut b);
    c.id.serialize(&mut b);
    c.title.serialize(&mut b);
    tl::enums::ChatPhoto::Empty.serialize(&mut b);
    0i32.serialize(&mut b);
    let base: tl::types::Channel = blank(&b)?;
    Ok(tl::types::Channel { broadcast: true, access_hash: Some(c.access_hash), username: c.username.clone(), date: c.date, ..base }.into())
}

pub(crate) fn photo(f: &StoredFile) -> tl::enums::Photo {
    tl::types::Photo {
        has_stickers: false,
        id: f.id,
        access_hash: f.access_hash,
        file_reference: f.file_reference.clone(),
        date: f.date,
        // One size serving the original bytes, as the Bot API sandbox does.
        sizes: vec![tl::types::PhotoSize { r#type: "y".into(), w: f.width as i32, h: f.height as i32, size: f.bytes.len() as i32 }.into()],
        video_sizes: None,
        dc_id: super::DC_ID,
    }
    .into()
}

pub(crate) fn document(f: &StoredFile) -> tl::enums::Document {
    tl::types::Document {
        id: f.id,
        access_hash: f.access_hash,
        file_reference: f.file_reference.clone(),
        date: f.date,
        mime_type: f.mime_type.clone(),
        size: f.bytes.len() as i64,
        thumbs: None,
        video_thumbs: None,
        dc_id: super::DC_ID,
        attributes: f.file_name.iter().map(|n| tl::types::DocumentAttributeFilename { file_name: n.clone() }.into()).collect(),
    }
    .into()
}

fn media(world: &World, m: MediaRef) -> Option<tl::enums::MessageMedia> {
    Some(match m {
        MediaRef::Photo(id) => {
            tl::types::MessageMediaPhoto { spoiler: false, live_photo: false, photo: Some(photo(world.files.get(&id)?)), ttl_seconds: None, video: None }.into()
        }
        MediaRef::Document(id) => tl::types::MessageMediaDocument {
            nopremium: false,
            spoiler: false,
            video: false,
            round: false,
            voice: false,
            document: Some(document(world.files.get(&id)?)),
            alt_documents: None,
            video_cover: None,
            video_timestamp: None,
            ttl_seconds: None,
        }
        .into(),
    })
}

pub(crate) fn message(world: &World, m: &MessageRecord) -> Answer<tl::enums::Message> {
    let mut b = Vec::new();
    0u32.serialize(&mut b);
    0u32.serialize(&mut b);
    m.id.serialize(&mut b);
    peer(m.peer).serialize(&mut b);
    m.date.serialize(&mut b);
    m.text.serialize(&mut b);
    let base: tl::types::Message = blank(&b)?;
    Ok(tl::types::Message {
        out: m.out,
        post: matches!(m.peer, Peer::Channel(_)),
        from_id: m.from.map(|u| peer(Peer::User(u))),
        media: m.media.and_then(|x| media(world, x)),
        grouped_id: m.grouped_id,
        ..base
    }
    .into())
}

/// The users a set of messages mentions, plus the account itself.
pub(crate) fn users_of(world: &World, self_id: i64, msgs: &[&MessageRecord]) -> Answer<Vec<tl::enums::User>> {
    let mut ids = vec![self_id];
    for m in msgs {
        for id in [m.from, if let Peer::User(u) = m.peer { Some(u) } else { None }].into_iter().flatten() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids.iter().filter_map(|id| world.users.get(id)).map(|u| user(u, u.id == self_id)).collect()
}

pub(crate) fn config(world: &World) -> tl::enums::Config {
    let addr = world.addr.unwrap_or_else(|| ([127, 0, 0, 1], 0).into());
    let now = super::state::now_secs();
    let dc_option = tl::types::DcOption {
        ipv6: addr.is_ipv6(),
        media_only: false,
        tcpo_only: false,
        cdn: false,
        // grammers only takes static options into the session.
        r#static: true,
        this_port_only: false,
        id: super::DC_ID,
        ip_address: addr.ip().to_string(),
        port: i32::from(addr.port()),
        secret: None,
    };
    tl::types::Config {
        default_p2p_contacts: false,
        preload_featured_stickers: false,
        revoke_pm_inbox: true,
        blocked_mode: false,
        force_try_ipv6: false,
        date: now,
        expires: now + 3600,
        test_mode: false,
        this_dc: super::DC_ID,
        dc_options: vec![dc_option.into()],
        dc_txt_domain_name: "sandbox.invalid".into(),
        chat_size_max: 200,
        megagroup_size_max: 200_000,
        forwarded_count_max: 100,
        online_update_period_ms: 210_000,
        offline_blur_timeout_ms: 5000,
        offline_idle_timeout_ms: 30_000,
        online_cloud_timeout_ms: 300_000,
        notify_cloud_delay_ms: 30_000,
        notify_default_delay_ms: 1500,
        push_chat_period_ms: 60_000,
        push_chat_limit: 2,
        edit_time_limit: 172_800,
        revoke_time_limit: i32::MAX,
        revoke_pm_time_limit: i32::MAX,
        rating_e_decay: 2_419_200,
        stickers_recent_limit: 200,
        channels_read_media_period: 604_800,
        tmp_sessions: None,
        call_receive_timeout_ms: 20_000,
        call_ring_timeout_ms: 90_000,
        call_connect_timeout_ms: 30_000,
        call_packet_timeout_ms: 10_000,
        me_url_prefix: "https://t.me/".into(),
        autoupdate_url_prefix: None,
        gif_search_username: None,
        venue_search_username: None,
        img_search_username: None,
        static_maps_provider: None,
        caption_length_max: 1024,
        message_length_max: 4096,
        webfile_dc_id: super::DC_ID,
        suggested_lang_code: None,
        lang_pack_version: None,
        base_lang_pack_version: None,
        reactions_default: None,
        autologin_token: None,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_decode_and_keep_the_fields_set() {
        let u = UserRecord { id: 5, access_hash: 9, first_name: "Olena".into(), last_name: None, username: Some("olena".into()), phone: None };
        let tl::enums::User::User(got) = user(&u, true).unwrap() else { panic!("empty user") };
        assert!(got.is_self && got.id == 5 && got.access_hash == Some(9));
        let world = World::default();
        let m = MessageRecord { id: 3, pts: 1, date: 100, out: false, peer: Peer::User(5), from: Some(5), text: "hi".into(), media: None, grouped_id: None };
        let tl::enums::Message::Message(got) = message(&world, &m).unwrap() else { panic!("not a message") };
        assert_eq!((got.id, got.date, got.message.as_str()), (3, 100, "hi"));
    }
}
