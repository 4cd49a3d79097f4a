//! The campaign sender: sends one chunk (≤ 100 recipients) of a campaign
//! through one bot, paced at the bot's cap, yielding to its live
//! conversations, and hands the bot's next chunk to the queue. One chunk
//! message per bot is in flight at a time (the campaigns queue is FIFO,
//! grouped by bot), so the cap holds across any number of Lambda instances.
//!
//! Exactly once, at a storage cost of one transaction per batch (see
//! `cartie_store::campaigns`): claim a batch, send it, record it together
//! with the next claim. A sender killed between a send and its record
//! leaves that batch claimed; the next sender reports it *unknown* and
//! never sends it again.
//!
//! Telegram's answers: 429 → the whole bot waits exactly `retry_after`
//! (a long wait goes back to the queue as a postponed message); 403 → the
//! contact is marked blocked; other refusals (chat not found, deactivated)
//! → failed, not retried; network errors and 5xx → retried with backoff,
//! then the chunk is retried later by the queue.

use crate::BotError;
use cartie_domain::campaigns::{personalise, CampaignStatus, Outcome, FREE_PER_SECOND, PAID_PER_SECOND};
use cartie_domain::jobs::SendChunk;
use cartie_domain::notify::{Event, Notice, Recipients};
use cartie_domain::Role;
use cartie_platform::Services;
use cartie_store::campaigns::{Campaign, Chunk, Record, Recorded, Tally};
use cartie_store::util;
use cartie_telegram::campaign::{markup, Post};
use cartie_telegram::{Media, TgError};
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::time::Duration;

/// Recipients claimed per storage write: the most that can come out
/// "unknown" after a crash, and what one transaction pays for.
const BATCH_FREE: u32 = 16;
const BATCH_PAID: u32 = 50;
/// Sends in flight at once (Telegram's latency would cap one-at-a-time
/// sending below the rate).
const IN_FLIGHT_FREE: usize = 4;
const IN_FLIGHT_PAID: usize = 32;
/// A `retry_after` up to this long is waited out here; a longer one
/// postpones the chunk's message.
const WAIT_HERE_SECS: u32 = 30;
const NETWORK_TRIES: u32 = 4;
/// How long one run goes on to the bot's next chunks (well under the
/// function's timeout and the queue's visibility timeout).
const KEEP_SENDING: Duration = Duration::from_secs(45);
/// How long after a record the bot counts as busy with the campaign (more
/// than between two records).
const BUSY_FOR_MS: i64 = 3_000;

/// What became of one send.
enum Sent {
    Done(Outcome, Option<String>, Vec<String>),
    /// Telegram asks for a long wait, or stays unreachable: stop here.
    Stop(BotError),
}

pub async fn send_chunk(svc: &Services, m: &SendChunk) -> Result<(), BotError> {
    let ws = m.workspace_id.as_str();
    let Some(c) = svc.store.campaign(ws, &m.campaign_id).await? else { return Ok(()) };
    // Paused or cancelled: resuming puts the bot's chunk back on the queue.
    if c.status != CampaignStatus::Running {
        return Ok(());
    }
    // The bot goes on where it is (a redelivered message of a chunk sent
    // since, by a run that went on to later chunks, must not stop the bot).
    let count = c.chunks.get(&m.bot_id.to_string()).copied().unwrap_or(0);
    let at_chunk = c.at_chunk.get(&m.bot_id.to_string()).copied().unwrap_or(0).max(m.chunk);
    if at_chunk >= count {
        // Every chunk sent; the bot's "done" may have been lost.
        if !c.bots_done.contains(&m.bot_id.to_string()) {
            return next(svc, &c, &SendChunk { chunk: count.saturating_sub(1), ..m.clone() }).await;
        }
        return Ok(());
    }
    let Some(chunk) = svc.store.chunk(ws, &m.campaign_id, m.bot_id, at_chunk).await? else { return Ok(()) };
    // The bot's next chunks are sent by this same run while time allows
    // (one sender per bot still: the next message is queued only when this
    // run stops), so the pace does not break between chunks.
    let started = std::time::Instant::now();
    let (mut at, mut chunk) = (SendChunk { chunk: at_chunk, ..m.clone() }, chunk);
    loop {
        if !run(svc, &c, &chunk).await? {
            return Ok(());
        }
        if at.chunk + 1 >= count || started.elapsed() > KEEP_SENDING {
            return next(svc, &c, &at).await;
        }
        at.chunk += 1;
        match svc.store.chunk(ws, &at.campaign_id, at.bot_id, at.chunk).await? {
            Some(n) => chunk = n,
            None => return Ok(()),
        }
    }
}

/// Sends what is left of the chunk. `Ok(true)` when it is all recorded.
async fn run(svc: &Services, c: &Campaign, chunk: &Chunk) -> Result<bool, BotError> {
    let (ws, bot_id) = (c.workspace_id.as_str(), chunk.bot_id);
    let len = chunk.len();
    let mut outcomes: Vec<char> = chunk.outcomes.chars().collect();
    outcomes.resize(len as usize, Outcome::Pending.letter());
    let mut errors = chunk.errors.clone();
    let mut tally = Tally::default();
    let mut expect = chunk.claimed;
    let mut done = chunk.done;
    // A sender died holding a claim: those of its recipients not recorded
    // may have got it. They are never sent again.
    for o in outcomes.iter_mut().take(chunk.claimed.min(len) as usize).skip(done as usize) {
        if *o == Outcome::Pending.letter() {
            *o = Outcome::Unknown.letter();
            tally.unknown += 1;
        }
    }
    done = done.max(chunk.claimed.min(len));

    let Some(bot) = svc.store.bot(ws, bot_id).await? else {
        // The bot was disconnected: its recipients fail, recorded once.
        for o in outcomes.iter_mut().skip(done as usize) {
            *o = Outcome::Failed.letter();
            tally.failed += 1;
        }
        let text: String = outcomes.iter().collect();
        let rec = Record {
            chunk,
            expect_claimed: expect,
            done: len,
            claimed: len,
            outcomes: &text,
            errors: &errors,
            tally,
            while_running: false,
            finished: true,
            pace: None,
        };
        return Ok(svc.store.record_chunk(rec).await? == Recorded::Ok);
    };
    let token = svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?;
    let paid = c.is_paid(bot_id);
    let (batch, in_flight, cap) = if paid { (BATCH_PAID, IN_FLIGHT_PAID, PAID_PER_SECOND) } else { (BATCH_FREE, IN_FLIGHT_FREE, FREE_PER_SECOND) };
    let mut pacer = crate::pace::lease(bot_id, cap, chunk.n > 0 || chunk.done > 0);
    if pacer.live_seen().is_none() {
        pacer.saw_live(svc.store.live_sends(ws, bot_id).await?);
    }
    let mut files = media(svc, c, bot_id).await?;
    let buttons = markup(&c.content);
    let per_send = files.len().max(1);
    let pending_letter = Outcome::Pending.letter();

    // Recipients `[done, claimed)` are this sender's; below `next_i` they
    // were dispatched (or recorded before). Sends run as tasks, so they go
    // on while the claim is extended — the sender never idles on storage.
    let mut claimed = done;
    let mut next_i = done;
    let mut again: std::collections::VecDeque<u32> = std::collections::VecDeque::new();
    let mut pending = FuturesUnordered::new();
    let mut stop: Option<BotError> = None;
    let mut stopped = false;
    loop {
        while (next_i as usize) < outcomes.len() && outcomes[next_i as usize] != pending_letter {
            next_i += 1; // recorded before (sent after a gap)
        }
        let prefix = outcomes.iter().position(|o| *o == pending_letter).map_or(len, |p| p as u32);
        let quiet = c.quiet_hours.and_then(|q| q.resume_at(util::now_ms(), &c.time_zone));
        let halting = stop.is_some() || stopped || quiet.is_some();
        let finished = prefix >= len;
        let need_claim = !halting && next_i >= claimed && claimed < len && again.is_empty();
        if finished || need_claim || (halting && pending.is_empty()) {
            // One write: the outcomes so far and the next claim (none when
            // stopping: recipients not sent are left unclaimed, and those
            // sent are recorded, so nobody is sent twice or skipped).
            let next_claim = if finished || halting { prefix } else { (claimed + batch).min(len) };
            let text: String = outcomes.iter().collect();
            let rec = Record {
                chunk,
                expect_claimed: expect,
                done: prefix,
                claimed: next_claim.max(prefix),
                outcomes: &text,
                errors: &errors,
                tally,
                while_running: !finished && !halting,
                finished,
                // Busy for a while past the next record: live sends give way.
                pace: pacer.live_seen().filter(|_| !finished && !halting).map(|seen| (seen, util::now_ms() + BUSY_FOR_MS)),
            };
            match svc.store.record_chunk(rec).await? {
                Recorded::LiveChanged => {
                    // Live sends came: they get their slots, then the record again.
                    pacer.saw_live(svc.store.live_sends(ws, bot_id).await?);
                    continue;
                }
                Recorded::Ok => {
                    tally = Tally::default();
                    expect = next_claim.max(prefix);
                    claimed = expect;
                }
                // Another run wrote the claim (one that died with its write in
                // flight, or a duplicate message): the queue tries again
                // later, and the next run takes over from what is recorded.
                Recorded::LostClaim => return Err(BotError::Store(cartie_store::StoreError::Contended("another run holds this chunk".into()))),
                // Paused or cancelled: nothing new is claimed; the sends in
                // flight are awaited and recorded, then the sender stops.
                Recorded::Stopped => {
                    stopped = true;
                    continue;
                }
            }
            if finished {
                return Ok(true);
            }
            if halting {
                if let Some(at) = quiet.filter(|_| stop.is_none() && !stopped) {
                    // Quiet hours: the chunk's message comes back when they end.
                    return Err(BotError::RetryAfter((((at - util::now_ms()).max(1000)) / 1000) as u32));
                }
                return match stop {
                    Some(e) => Err(e),
                    None => Ok(false),
                };
            }
        }
        // Dispatch within the claim while the pacer allows.
        let uploading = files.iter().any(|(_, m)| matches!(m, Media::Upload { .. }));
        let limit = if uploading { 1 } else { in_flight };
        while !halting && pending.len() < limit && (!again.is_empty() || next_i < claimed) {
            if !pacer.wait(per_send).await {
                break; // room comes only with answers to the sends in flight
            }
            let i = again.pop_front().unwrap_or_else(|| {
                next_i += 1;
                next_i - 1
            });
            let r = &chunk.recipients[i as usize];
            let post = Post { text: personalise(&c.content.text, &r.vars, !files.is_empty()), files: files.clone(), markup: buttons.clone(), paid };
            let (tg, token, chat_id) = (svc.telegram.clone(), token.clone(), r.chat_id);
            pending.push(tokio::spawn(async move { (i, send_one(&tg, &token, bot_id, chat_id, post).await) }));
        }
        let Some(joined) = pending.next().await else {
            if halting || (next_i >= claimed && again.is_empty()) {
                continue; // to the record above
            }
            // Nothing in flight and the pacer wants answers: cannot happen;
            // go round to wait on the pacer again.
            continue;
        };
        let (i, result) = joined.map_err(|e| BotError::Corrupt(format!("a send task failed: {e}")))?;
        match result {
            Err(wait) => {
                // The whole bot waits exactly as long as Telegram asked,
                // then this recipient is tried again.
                pacer.answered(per_send, false);
                pacer.hold(wait);
                again.push_back(i);
            }
            Ok(Sent::Stop(e)) => {
                pacer.answered(per_send, false);
                if stop.is_none() {
                    stop = Some(e);
                }
            }
            Ok(Sent::Done(o, why, ids)) => {
                pacer.answered(per_send, o == Outcome::Sent);
                if o == Outcome::Sent && uploading && ids.len() == files.len() {
                    svc.store.set_campaign_file_ids(ws, &c.id, bot_id, &ids).await?;
                    files = files.iter().zip(&ids).map(|((k, _), id)| (*k, Media::FileId(id.clone()))).collect();
                }
                outcomes[i as usize] = o.letter();
                tally.add(o);
                if let Some(why) = why {
                    errors.insert(i.to_string(), why);
                }
                if o == Outcome::Blocked {
                    match svc.store.set_blocked(ws, bot_id, chunk.recipients[i as usize].chat_id, true).await {
                        Ok(()) | Err(cartie_store::StoreError::NotFound) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
    }
}

/// Sends one recipient's message. `Err(secs)`: Telegram asks the bot to
/// wait that long (short enough to wait here).
async fn send_one(tg: &cartie_telegram::Telegram, token: &str, bot_id: i64, chat_id: i64, post: Post) -> Result<Sent, u32> {
    let mut backoff = Duration::from_millis(500);
    for attempt in 1..=NETWORK_TRIES {
        match tg.send_post(token, bot_id, chat_id, &post).await {
            Ok(sent) => {
                let ids = sent.iter().filter_map(|m| m.file_id.clone()).collect();
                return Ok(Sent::Done(Outcome::Sent, None, ids));
            }
            Err(TgError::RetryAfter(s)) if s <= WAIT_HERE_SECS => return Err(s),
            Err(TgError::RetryAfter(s)) => return Ok(Sent::Stop(BotError::RetryAfter(s))),
            Err(TgError::Blocked) => return Ok(Sent::Done(Outcome::Blocked, None, vec![])),
            Err(TgError::Network(e)) if attempt == NETWORK_TRIES => return Ok(Sent::Stop(BotError::Telegram(TgError::Network(e)))),
            Err(TgError::Network(_)) => {
                tokio::time::sleep(backoff).await;
                backoff *= 2;
            }
            Err(e @ (TgError::Refused(_) | TgError::InvalidToken)) => return Ok(Sent::Done(Outcome::Failed, Some(e.to_string()), vec![])),
        }
    }
    Ok(Sent::Stop(BotError::Telegram(TgError::Network("unreachable".into()))))
}

/// The campaign's files for this bot: Telegram's `file_id`s when this bot
/// sent them before, else the bytes from the file store (uploaded once).
async fn media(svc: &Services, c: &Campaign, bot_id: i64) -> Result<Vec<(cartie_domain::inbox::MessageKind, Media)>, BotError> {
    let known = c.file_ids.get(&bot_id.to_string()).filter(|ids| ids.len() == c.content.media.len());
    let mut out = Vec::with_capacity(c.content.media.len());
    for (i, m) in c.content.media.iter().enumerate() {
        if let Some(ids) = known {
            out.push((m.kind, Media::FileId(ids[i].clone())));
            continue;
        }
        let f =
            svc.files.file(&c.workspace_id, &m.upload_id).await?.ok_or_else(|| BotError::Corrupt(format!("the campaign's file {} is gone", m.upload_id)))?;
        let bytes = svc.files.read(&f, None).await?;
        out.push((m.kind, Media::Upload { bytes: bytes.into(), file_name: f.name.clone() }));
    }
    Ok(out)
}

/// The bot's next chunk goes on the queue; after its last one, the bot is
/// done, and the campaign when every bot is.
async fn next(svc: &Services, c: &Campaign, m: &SendChunk) -> Result<(), BotError> {
    let count = c.chunks.get(&m.bot_id.to_string()).copied().unwrap_or(0);
    if m.chunk + 1 < count {
        let msg = SendChunk { chunk: m.chunk + 1, ..m.clone() };
        svc.queues.send_fifo("campaigns", &m.bot_id.to_string(), &format!("{}:{}:{}", c.id, m.bot_id, m.chunk + 1), &msg).await?;
        return Ok(());
    }
    if let Some(done) = svc.store.finish_campaign_bot(&c.workspace_id, &c.id, m.bot_id).await? {
        finished(svc, &done).await?;
    }
    Ok(())
}

/// Tells the team a campaign went out to its whole audience (the event's
/// id is the campaign's, so telling twice is one notice).
pub async fn finished(svc: &Services, c: &Campaign) -> Result<(), BotError> {
    let event = Event {
        id: format!("campaign-{}", c.id),
        workspace_id: c.workspace_id.clone(),
        at_ms: util::now_ms(),
        notice: Notice::CampaignFinished {
            campaign_id: c.id.clone(),
            name: c.name.clone(),
            sent: c.sent.min(u64::from(u32::MAX)) as u32,
            failed: (c.failed + c.blocked + c.unknown).min(u64::from(u32::MAX)) as u32,
        },
        recipients: Recipients::MembersAtLeast { role: Role::Manager },
        actor: None,
    };
    Ok(cartie_platform::notify::notify(svc, event).await?)
}
