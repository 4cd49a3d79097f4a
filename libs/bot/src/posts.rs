//! Channel posts in Telegram: publishing a scheduled post once, deleting it
//! after its hours, and marking a sold car's posts.
//!
//! At most once: a post is claimed (`scheduled` → `publishing`, by its
//! version) before it is sent, and recorded `posted` after. A redelivered
//! job finds it claimed or posted and sends nothing. A crash between the
//! send and the record leaves it `publishing`; the next job for it marks
//! it `unknown` for the dealer to check, never sending it again blindly.
//! Transient refusals (a 429) put it back to `scheduled` for later.

use crate::BotError;
use cartie_domain::calendar::{sold_text, ChannelPost, PostStatus, SoldAction};
use cartie_domain::jobs::Job;
use cartie_domain::notify::{Event, Notice, Recipients};
use cartie_platform::Services;
use cartie_store::{util, StoreError};
use cartie_telegram::campaign::{markup, Post};
use cartie_telegram::{Media, TgError};

/// The key of a post's publish job in the scheduler's buckets.
pub fn publish_key(post_id: &str, due_ms: i64) -> String {
    format!("post:{post_id}:{due_ms}")
}

/// Schedules the post's publication at its due time.
pub async fn schedule(svc: &Services, p: &ChannelPost) -> Result<(), StoreError> {
    let Some(due) = p.due_ms else { return Ok(()) };
    let job = Job::PublishPost { workspace_id: p.workspace_id.clone(), post_id: p.id.clone(), due_ms: due };
    cartie_platform::later::schedule(svc, &p.workspace_id, &publish_key(&p.id, due), due, &job).await
}

/// A `PublishPost` job: sends the post if it is still scheduled for
/// `due_ms` and its time has come.
pub async fn publish(svc: &Services, ws: &str, post_id: &str, due_ms: i64) -> Result<(), BotError> {
    let store = &svc.store;
    let Some(p) = store.post(ws, post_id).await? else { return Ok(()) };
    if p.due_ms != Some(due_ms) {
        return Ok(()); // Rescheduled or unscheduled since: another job covers it.
    }
    match p.status {
        PostStatus::Scheduled => {}
        // A claim whose job came again: the first attempt died between
        // send and record. It may be in the channel: say so, send nothing.
        PostStatus::Publishing => {
            let unknown = ChannelPost {
                status: PostStatus::Unknown,
                error: Some("Cartie stopped while posting this: check the channel before posting it again".into()),
                ..p
            };
            return match store.save_post(&unknown).await {
                Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
                Err(e) => Err(e.into()),
            };
        }
        _ => return Ok(()),
    }
    if due_ms > util::now_ms() + 1000 {
        // Early (an SQS delay is capped): back to the queue until its time.
        schedule(svc, &p).await?;
        return Ok(());
    }
    let claimed = match store.save_post(&ChannelPost { status: PostStatus::Publishing, ..p }).await {
        Ok(c) => c,
        Err(StoreError::Conflict(_)) => return Ok(()), // Another worker took it.
        Err(e) => return Err(e.into()),
    };
    send(svc, claimed).await
}

/// Publishes a claimed post now ("publish now" too).
pub async fn send(svc: &Services, claimed: ChannelPost) -> Result<(), BotError> {
    let store = &svc.store;
    let ws = claimed.workspace_id.clone();
    let channel = store.post_channel(&ws, claimed.channel_id).await?;
    let bot = match &channel {
        Some(c) => store.bot(&ws, c.bot_id).await?,
        None => None,
    };
    let (Some(channel), Some(bot)) = (channel, bot) else {
        return fail(svc, claimed, "the channel or its bot is no longer connected").await;
    };
    let token = svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?;
    let mut files = Vec::with_capacity(claimed.content.media.len());
    for m in &claimed.content.media {
        let Some(f) = svc.files.file(&ws, &m.upload_id).await? else {
            return fail(svc, claimed, "one of its files is gone: add it again").await;
        };
        let bytes = svc.files.read(&f, None).await?;
        files.push((m.kind, Media::Upload { bytes: bytes.into(), file_name: f.name.clone() }));
    }
    let post = Post { text: claimed.content.text.clone(), files, markup: markup(&claimed.content), paid: false };
    match svc.telegram.send_post(&token, bot.bot_id, channel.id, &post).await {
        Ok(sent) => {
            let now = util::now_ms();
            let posted = ChannelPost {
                status: PostStatus::Posted,
                message_ids: sent.iter().map(|m| m.message_id).collect(),
                posted_at_ms: Some(now),
                error: None,
                ..claimed
            };
            let posted = store.save_post(&posted).await?;
            if let Some(at) = posted.auto_delete_at_ms() {
                let job = Job::AutoDeletePost { workspace_id: ws.clone(), post_id: posted.id.clone(), at_ms: at };
                cartie_platform::later::schedule(svc, &ws, &format!("postdel:{}", posted.id), at, &job).await?;
            }
            Ok(())
        }
        Err(TgError::RetryAfter(s)) => {
            // Not sent: back to scheduled, a little later.
            let due = util::now_ms() + i64::from(s) * 1000;
            let again = store.save_post(&ChannelPost { status: PostStatus::Scheduled, due_ms: Some(due), ..claimed }).await?;
            Ok(schedule(svc, &again).await?)
        }
        Err(TgError::Network(m)) => {
            let unknown = ChannelPost {
                status: PostStatus::Unknown,
                error: Some(format!("Telegram did not answer ({m}): check the channel before posting it again")),
                ..claimed
            };
            store.save_post(&unknown).await?;
            Ok(())
        }
        Err(e) => fail(svc, claimed, &e.to_string()).await,
    }
}

/// Telegram refused the post: kept as failed with the reason, and the
/// team hears of it.
async fn fail(svc: &Services, p: ChannelPost, why: &str) -> Result<(), BotError> {
    let ws = p.workspace_id.clone();
    let channel = svc.store.post_channel(&ws, p.channel_id).await?.map(|c| c.title).unwrap_or_default();
    let failed = svc.store.save_post(&ChannelPost { status: PostStatus::Failed, error: Some(why.to_string()), ..p }).await?;
    let event = Event {
        id: format!("postfailed:{}:{}", failed.id, failed.rev),
        workspace_id: ws,
        at_ms: util::now_ms(),
        notice: Notice::PostFailed { post_id: failed.id.clone(), channel },
        recipients: Recipients::MembersAtLeast { role: cartie_domain::Role::Manager },
        actor: None,
    };
    Ok(cartie_platform::notify::notify(svc, event).await?)
}

/// The token of the bot that posts to the post's channel.
async fn channel_token(svc: &Services, p: &ChannelPost) -> Result<Option<String>, BotError> {
    let Some(c) = svc.store.post_channel(&p.workspace_id, p.channel_id).await? else { return Ok(None) };
    let Some(bot) = svc.store.bot(&p.workspace_id, c.bot_id).await? else { return Ok(None) };
    Ok(Some(svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?))
}

/// Deletes a posted post from its channel (every message of an album)
/// and records it; Telegram allows this for 48 hours.
pub async fn delete_posted(svc: &Services, p: ChannelPost) -> Result<ChannelPost, BotError> {
    if let Some(token) = channel_token(svc, &p).await? {
        for id in &p.message_ids {
            svc.telegram.delete_post(&token, p.channel_id, *id).await.map_err(BotError::Telegram)?;
        }
    }
    Ok(svc.store.save_post(&ChannelPost { status: PostStatus::Deleted, ..p }).await?)
}

/// Replaces a posted post's text (its caption when it has media).
pub async fn edit_posted(svc: &Services, p: ChannelPost, text: &str) -> Result<ChannelPost, BotError> {
    let token = channel_token(svc, &p).await?.ok_or_else(|| BotError::Telegram(TgError::Refused("the channel or its bot is no longer connected".into())))?;
    let first = p.message_ids.first().copied().ok_or_else(|| BotError::Corrupt("a posted post without a message id".into()))?;
    let caption = !p.content.media.is_empty();
    svc.telegram.edit_post(&token, p.channel_id, first, text, caption).await.map_err(BotError::Telegram)?;
    let mut content = p.content.clone();
    content.text = text.to_string();
    Ok(svc.store.save_post(&ChannelPost { content, ..p }).await?)
}

/// An `AutoDeletePost` job: deletes the post when its hours are up (once:
/// a deleted post is left alone).
pub async fn auto_delete(svc: &Services, ws: &str, post_id: &str, at_ms: i64) -> Result<(), BotError> {
    let Some(p) = svc.store.post(ws, post_id).await? else { return Ok(()) };
    if p.status != PostStatus::Posted || p.auto_delete_at_ms() != Some(at_ms) {
        return Ok(());
    }
    if at_ms > util::now_ms() + 1000 {
        let job = Job::AutoDeletePost { workspace_id: ws.into(), post_id: post_id.into(), at_ms };
        return Ok(cartie_platform::later::schedule(svc, ws, &format!("postdel:{post_id}"), at_ms, &job).await?);
    }
    delete_posted(svc, p).await.map(|_| ())
}

/// A `CarSold` job: every posted post of the car is deleted (within 48
/// hours, when the workspace asks for that) or edited with the sold label,
/// once; posts not yet out are cancelled back to drafts. Safe to repeat:
/// a post with its sold action recorded is left alone, and Telegram's
/// "not modified" / "already deleted" count as done.
pub async fn car_sold(svc: &Services, ws: &str, car_id: &str) -> Result<(), BotError> {
    let settings = svc.store.calendar_settings(ws).await?;
    for id in svc.store.car_post_ids(ws, car_id).await? {
        let Some(p) = svc.store.post(ws, &id).await? else { continue };
        if p.sold_action.is_some() {
            continue;
        }
        match p.status {
            PostStatus::Posted => {
                let now = util::now_ms();
                let done = if settings.sold_action == SoldAction::Delete && p.deletable(now) {
                    delete_posted(svc, p).await?;
                    SoldAction::Delete
                } else {
                    let text = sold_text(&settings.sold_label, &p.content.text);
                    edit_posted(svc, p, &text).await?;
                    SoldAction::Edit
                };
                // Read again: the edit or delete moved its version.
                if let Some(p) = svc.store.post(ws, &id).await? {
                    svc.store.save_post(&ChannelPost { sold_action: Some(done), ..p }).await?;
                }
            }
            PostStatus::Scheduled | PostStatus::Draft => {
                let cancelled = ChannelPost { status: PostStatus::Draft, due_ms: None, send_at: None, error: Some("its car was sold: not posted".into()), ..p };
                svc.store.save_post(&cancelled).await?;
            }
            _ => {}
        }
    }
    Ok(())
}
