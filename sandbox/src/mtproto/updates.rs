//! Update state: `updates.getState`, `updates.getDifference` from an
//! account's pts, `updates.getChannelDifference` from a channel's pts, and
//! the `Updates` pushed to live connections for a new private message or
//! channel post. Pushed updates carry seq = 0 (pts alone orders them).

use grammers_tl_types::{self as tl, Serializable};

use super::objects::{self, Answer, RpcErr};
use super::state::{now_secs, MessageRecord, World};

/// At most this many messages per difference; more come as a slice.
const DIFFERENCE_LIMIT: usize = 100;

fn state(pts: i32) -> tl::enums::updates::State {
    tl::types::updates::State { pts, qts: 0, date: now_secs(), seq: 0, unread_count: 0 }.into()
}

pub(crate) fn get_state(world: &World, user_id: i64) -> Answer<tl::enums::updates::State> {
    let acc = world.accounts.get(&user_id).ok_or_else(RpcErr::internal)?;
    Ok(state(acc.pts))
}

pub(crate) fn get_difference(world: &World, user_id: i64, req: tl::functions::updates::GetDifference) -> Answer<tl::enums::updates::Difference> {
    let acc = world.accounts.get(&user_id).ok_or_else(RpcErr::internal)?;
    if req.pts > acc.pts {
        // A pts from the future: the client's state is not ours.
        return Ok(tl::types::updates::DifferenceTooLong { pts: acc.pts }.into());
    }
    let missed: Vec<&MessageRecord> = acc.messages.iter().filter(|m| m.pts > req.pts).collect();
    if missed.is_empty() {
        return Ok(tl::types::updates::DifferenceEmpty { date: now_secs(), seq: 0 }.into());
    }
    let page: Vec<&MessageRecord> = missed.iter().take(DIFFERENCE_LIMIT).copied().collect();
    let new_messages = page.iter().map(|m| objects::message(world, m)).collect::<Answer<Vec<_>>>()?;
    let users = objects::users_of(world, user_id, &page)?;
    let last_pts = page.last().map_or(acc.pts, |m| m.pts);
    if missed.len() > page.len() {
        return Ok(tl::types::updates::DifferenceSlice {
            new_messages,
            new_encrypted_messages: vec![],
            other_updates: vec![],
            chats: vec![],
            users,
            intermediate_state: state(last_pts),
        }
        .into());
    }
    Ok(tl::types::updates::Difference { new_messages, new_encrypted_messages: vec![], other_updates: vec![], chats: vec![], users, state: state(acc.pts) }
        .into())
}

pub(crate) fn get_channel_difference(
    world: &World,
    user_id: i64,
    req: tl::functions::updates::GetChannelDifference,
) -> Answer<tl::enums::updates::ChannelDifference> {
    let tl::enums::InputChannel::Channel(input) = req.channel else {
        return Err(RpcErr::bad("CHANNEL_INVALID"));
    };
    let ch = world.channels.get(&input.channel_id).filter(|c| c.access_hash == input.access_hash);
    let ch = ch.ok_or_else(|| RpcErr::bad("CHANNEL_INVALID"))?;
    let follows = world.accounts.get(&user_id).is_some_and(|a| a.channels.contains(&ch.id));
    if !follows {
        return Err(RpcErr::bad("CHANNEL_PRIVATE"));
    }
    let limit = usize::try_from(req.limit).unwrap_or(0).clamp(1, DIFFERENCE_LIMIT);
    let missed: Vec<&MessageRecord> = ch.posts.iter().filter(|m| m.pts > req.pts).take(limit).collect();
    if missed.is_empty() {
        return Ok(tl::types::updates::ChannelDifferenceEmpty { r#final: true, pts: ch.pts, timeout: None }.into());
    }
    let last_pts = missed.last().map_or(ch.pts, |m| m.pts);
    Ok(tl::types::updates::ChannelDifference {
        r#final: last_pts == ch.pts,
        pts: last_pts,
        timeout: None,
        new_messages: missed.iter().map(|m| objects::message(world, m)).collect::<Answer<Vec<_>>>()?,
        other_updates: vec![],
        chats: vec![objects::channel(ch)?],
        users: vec![],
    }
    .into())
}

/// `Updates` for new messages of an account's private chats.
pub(crate) fn new_messages_updates(world: &World, user_id: i64, msgs: &[&MessageRecord]) -> Answer<tl::enums::Updates> {
    let updates = msgs
        .iter()
        .map(|m| Ok(tl::types::UpdateNewMessage { message: objects::message(world, m)?, pts: m.pts, pts_count: 1 }.into()))
        .collect::<Answer<Vec<tl::enums::Update>>>()?;
    Ok(tl::types::Updates { updates, users: objects::users_of(world, user_id, msgs)?, chats: vec![], date: now_secs(), seq: 0 }.into())
}

/// Pushes a new private message to the account's live connections.
pub(crate) fn push_new_message(world: &World, user_id: i64, msg: &MessageRecord) -> Answer<()> {
    let bytes = new_messages_updates(world, user_id, &[msg])?.to_bytes();
    world.push_to_account(user_id, &bytes);
    Ok(())
}

/// Pushes new posts of a channel to the live connections of its followers.
pub(crate) fn push_channel_posts(world: &World, channel_id: i64, posts: &[MessageRecord]) -> Answer<()> {
    let ch = world.channels.get(&channel_id).ok_or_else(RpcErr::internal)?;
    let updates = posts
        .iter()
        .map(|m| Ok(tl::types::UpdateNewChannelMessage { message: objects::message(world, m)?, pts: m.pts, pts_count: 1 }.into()))
        .collect::<Answer<Vec<tl::enums::Update>>>()?;
    let bytes =
        tl::enums::Updates::from(tl::types::Updates { updates, users: vec![], chats: vec![objects::channel(ch)?], date: now_secs(), seq: 0 }).to_bytes();
    for acc in world.accounts.values().filter(|a| a.channels.contains(&channel_id)) {
        world.push_to_account(acc.user_id, &bytes);
    }
    Ok(())
}
