//! What a signed-in account does with messages and files:
//! `messages.sendMessage`, `messages.sendMedia` (uploaded photos and
//! documents), `upload.saveFilePart` / `upload.saveBigFilePart`,
//! `upload.getFile`, `messages.getDialogs` and `users.getUsers`. Every send
//! is recorded (what, to whom) for tests to read.

use grammers_tl_types as tl;

use super::objects::{self, Answer, RpcErr};
use super::state::{now_secs, random_bytes, random_i64, MediaRef, MessageRecord, Peer, StoredFile, World};
use super::{SentMedia, SentMessage};
use crate::media;

/// Largest part `upload.saveFilePart` takes (Telegram's 512 KiB).
const MAX_PART: usize = 512 * 1024;
/// Largest chunk `upload.getFile` returns (Telegram's 1 MiB).
const MAX_CHUNK: i32 = 1024 * 1024;

fn target_user(world: &World, self_id: i64, peer: &tl::enums::InputPeer) -> Answer<i64> {
    match peer {
        tl::enums::InputPeer::PeerSelf => Ok(self_id),
        tl::enums::InputPeer::User(u) if world.users.get(&u.user_id).is_some_and(|r| r.access_hash == u.access_hash) => Ok(u.user_id),
        tl::enums::InputPeer::Channel(_) | tl::enums::InputPeer::Chat(_) => Err(RpcErr::bad("CHAT_WRITE_FORBIDDEN")),
        _ => Err(RpcErr::bad("PEER_ID_INVALID")),
    }
}

/// Stores an outgoing message in the account's box and answers like
/// Telegram does for a send: `updateMessageID` + `updateNewMessage`.
fn record_send(world: &mut World, self_id: i64, to: i64, random_id: i64, text: String, media: Option<(MediaRef, SentMedia)>) -> Answer<tl::enums::Updates> {
    let acc = world.accounts.get_mut(&self_id).ok_or_else(RpcErr::internal)?;
    acc.pts += 1;
    acc.next_message_id += 1;
    let msg = MessageRecord {
        id: acc.next_message_id,
        pts: acc.pts,
        date: now_secs(),
        out: true,
        peer: Peer::User(to),
        from: Some(self_id),
        text: text.clone(),
        media: media.as_ref().map(|m| m.0),
        grouped_id: None,
    };
    acc.messages.push(msg.clone());
    acc.sent.push(SentMessage { to_user_id: to, message_id: msg.id, text, media: media.map(|m| m.1), at_ms: crate::state::now_ms() });
    let tl::enums::Updates::Updates(mut updates) = super::updates::new_messages_updates(world, self_id, &[&msg])? else {
        return Err(RpcErr::internal());
    };
    updates.updates.insert(0, tl::types::UpdateMessageId { id: msg.id, random_id }.into());
    Ok(updates.into())
}

pub(crate) fn send_message(world: &mut World, self_id: i64, req: tl::functions::messages::SendMessage) -> Answer<tl::enums::Updates> {
    let to = target_user(world, self_id, &req.peer)?;
    if req.message.trim().is_empty() {
        return Err(RpcErr::bad("MESSAGE_EMPTY"));
    }
    if req.message.chars().count() > 4096 {
        return Err(RpcErr::bad("MESSAGE_TOO_LONG"));
    }
    record_send(world, self_id, to, req.random_id, req.message, None)
}

/// Joins the parts of an uploaded file; all must be there.
fn take_upload(world: &mut World, key_id: [u8; 8], file: &tl::enums::InputFile) -> Answer<(Vec<u8>, String)> {
    let (id, parts, name) = match file {
        tl::enums::InputFile::File(f) => (f.id, f.parts, f.name.clone()),
        tl::enums::InputFile::Big(f) => (f.id, f.parts, f.name.clone()),
        tl::enums::InputFile::StoryDocument(_) => return Err(RpcErr::bad("MEDIA_INVALID")),
    };
    let upload = world.uploads.remove(&(key_id, id)).ok_or_else(|| RpcErr::bad("FILE_PARTS_INVALID"))?;
    let complete = upload.parts.len() == parts as usize && upload.parts.keys().copied().eq(0..parts);
    if !complete || upload.total_parts.is_some_and(|t| t != parts) {
        return Err(RpcErr::bad("FILE_PARTS_INVALID"));
    }
    Ok((upload.parts.into_values().flatten().collect(), name))
}

fn store_file(world: &mut World, bytes: Vec<u8>, mime_type: String, file_name: Option<String>) -> StoredFile {
    let (width, height) = media::image_size(&bytes).unwrap_or((0, 0));
    StoredFile {
        id: world.next_id(),
        access_hash: random_i64(),
        file_reference: random_bytes::<8>().to_vec(),
        date: now_secs(),
        bytes,
        mime_type,
        file_name,
        width,
        height,
    }
}

pub(crate) fn send_media(world: &mut World, key_id: [u8; 8], self_id: i64, req: tl::functions::messages::SendMedia) -> Answer<tl::enums::Updates> {
    let to = target_user(world, self_id, &req.peer)?;
    if req.message.chars().count() > 1024 {
        return Err(RpcErr::bad("MEDIA_CAPTION_TOO_LONG"));
    }
    let (stored, kind) = match &req.media {
        tl::enums::InputMedia::UploadedPhoto(p) => {
            let (bytes, _) = take_upload(world, key_id, &p.file)?;
            let mime = media::sniff_mime(&bytes).filter(|m| m.starts_with("image/"));
            let mime = mime.ok_or_else(|| RpcErr::bad("IMAGE_PROCESS_FAILED"))?;
            (store_file(world, bytes, mime.to_string(), None), MediaRef::Photo as fn(i64) -> MediaRef)
        }
        tl::enums::InputMedia::UploadedDocument(d) => {
            let (bytes, name) = take_upload(world, key_id, &d.file)?;
            let file_name = d.attributes.iter().find_map(|a| match a {
                tl::enums::DocumentAttribute::Filename(f) => Some(f.file_name.clone()),
                _ => None,
            });
            (store_file(world, bytes, d.mime_type.clone(), file_name.or(Some(name))), MediaRef::Document as fn(i64) -> MediaRef)
        }
        _ => return Err(RpcErr::bad("MEDIA_INVALID")),
    };
    let media_ref = kind(stored.id);
    let sent = SentMedia {
        kind: if matches!(media_ref, MediaRef::Photo(_)) { super::SentMediaKind::Photo } else { super::SentMediaKind::Document },
        bytes: stored.bytes.clone(),
        mime_type: stored.mime_type.clone(),
        file_name: stored.file_name.clone(),
    };
    world.files.insert(stored.id, stored);
    record_send(world, self_id, to, req.random_id, req.message, Some((media_ref, sent)))
}

pub(crate) fn save_part(world: &mut World, key_id: [u8; 8], file_id: i64, part: i32, total: Option<i32>, bytes: Vec<u8>) -> Answer<bool> {
    if part < 0 || total.is_some_and(|t| part >= t || t > 8000) || part >= 8000 {
        return Err(RpcErr::bad("FILE_PART_INVALID"));
    }
    if bytes.len() > MAX_PART {
        return Err(RpcErr::bad("FILE_PART_TOO_BIG"));
    }
    let upload = world.uploads.entry((key_id, file_id)).or_default();
    if total.is_some() {
        upload.total_parts = total;
    }
    upload.parts.insert(part, bytes);
    Ok(true)
}

pub(crate) fn get_file(world: &World, req: tl::functions::upload::GetFile) -> Answer<tl::enums::upload::File> {
    let (id, hash, reference) = match &req.location {
        tl::enums::InputFileLocation::InputPhotoFileLocation(l) => (l.id, l.access_hash, &l.file_reference),
        tl::enums::InputFileLocation::InputDocumentFileLocation(l) => (l.id, l.access_hash, &l.file_reference),
        _ => return Err(RpcErr::bad("LOCATION_INVALID")),
    };
    let file = world.files.get(&id).filter(|f| f.access_hash == hash).ok_or_else(|| RpcErr::bad("LOCATION_INVALID"))?;
    if *reference != file.file_reference {
        return Err(RpcErr::bad("FILE_REFERENCE_EXPIRED"));
    }
    if req.limit <= 0 || req.limit > MAX_CHUNK || (!req.precise && req.limit % 4096 != 0) {
        return Err(RpcErr::bad("LIMIT_INVALID"));
    }
    if req.offset < 0 || (!req.precise && req.offset % 4096 != 0) {
        return Err(RpcErr::bad("OFFSET_INVALID"));
    }
    let start = usize::try_from(req.offset).unwrap_or(usize::MAX).min(file.bytes.len());
    let end = start.saturating_add(req.limit as usize).min(file.bytes.len());
    let r#type = match file.mime_type.as_str() {
        "image/jpeg" => tl::enums::storage::FileType::FileJpeg,
        "image/png" => tl::enums::storage::FileType::FilePng,
        "image/webp" => tl::enums::storage::FileType::FileWebp,
        "application/pdf" => tl::enums::storage::FileType::FilePdf,
        _ => tl::enums::storage::FileType::FileUnknown,
    };
    Ok(tl::types::upload::File { r#type, mtime: file.date, bytes: file.bytes[start..end].to_vec() }.into())
}

pub(crate) fn get_users(world: &World, self_id: i64, ids: &[tl::enums::InputUser]) -> Answer<Vec<tl::enums::User>> {
    ids.iter()
        .filter_map(|i| match i {
            tl::enums::InputUser::UserSelf => world.users.get(&self_id),
            tl::enums::InputUser::User(u) => world.users.get(&u.user_id).filter(|r| r.access_hash == u.access_hash),
            _ => None,
        })
        .map(|u| objects::user(u, u.id == self_id))
        .collect()
}

fn dialog(peer: Peer, top_message: i32, pts: Option<i32>) -> tl::enums::Dialog {
    tl::types::Dialog {
        pinned: false,
        unread_mark: false,
        view_forum_as_messages: false,
        peer: objects::peer(peer),
        top_message,
        read_inbox_max_id: top_message,
        read_outbox_max_id: top_message,
        unread_count: 0,
        unread_mentions_count: 0,
        unread_reactions_count: 0,
        unread_poll_votes_count: 0,
        notify_settings: tl::types::PeerNotifySettings {
            show_previews: None,
            silent: None,
            mute_until: None,
            ios_sound: None,
            android_sound: None,
            other_sound: None,
            stories_muted: None,
            stories_hide_sender: None,
            stories_ios_sound: None,
            stories_android_sound: None,
            stories_other_sound: None,
        }
        .into(),
        pts,
        draft: None,
        folder_id: None,
        ttl_period: None,
    }
    .into()
}

/// All dialogs at once (no paging): private chats and followed channels
/// (each with its pts, which grammers saves for catching up), newest first.
pub(crate) fn get_dialogs(world: &World, self_id: i64) -> Answer<tl::enums::messages::Dialogs> {
    let acc = world.accounts.get(&self_id).ok_or_else(RpcErr::internal)?;
    // (peer, last message, channel pts, date to sort by)
    let mut rows: Vec<(Peer, Option<&MessageRecord>, Option<i32>, i32)> = Vec::new();
    for m in acc.messages.iter().rev() {
        if !rows.iter().any(|r| r.0 == m.peer) {
            rows.push((m.peer, Some(m), None, m.date));
        }
    }
    let mut chats = Vec::new();
    for ch in acc.channels.iter().filter_map(|id| world.channels.get(id)) {
        chats.push(objects::channel(ch)?);
        let last = ch.posts.last();
        rows.push((Peer::Channel(ch.id), last, Some(ch.pts), last.map_or(ch.date, |m| m.date)));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.3));
    let tops: Vec<&MessageRecord> = rows.iter().filter_map(|r| r.1).collect();
    Ok(tl::types::messages::Dialogs {
        dialogs: rows.iter().map(|r| dialog(r.0, r.1.map_or(0, |m| m.id), r.2)).collect(),
        messages: tops.iter().map(|m| objects::message(world, m)).collect::<Answer<Vec<_>>>()?,
        chats,
        users: objects::users_of(world, self_id, &tops)?,
    }
    .into())
}
