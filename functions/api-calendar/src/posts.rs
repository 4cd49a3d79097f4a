//! Posts: made from content or a template filled from a car, scheduled at
//! a wall-clock time in an explicit time zone (daylight-saving changes by
//! `calendar::schedule_at`) or at the channel's next free posting slot
//! (`queue`), warned about when another post to the same
//! channel is near, never overwritten; published now on request; edited,
//! pinned or deleted after they went out.

use cartie_apikit::dto::{PostList, PostQuery, PostRequest, PostView};
use cartie_apikit::http::no_content;
use cartie_apikit::ops::CalendarOp;
use cartie_apikit::{json, json_status, ApiError, App, Body, Ctx, Response, StatusCode};
use cartie_bot::{posts as publisher, BotError};
use cartie_domain::calendar::{check_auto_delete, fill_car, schedule_at, ChannelPost, PostStatus, SLOT_HORIZON_WEEKS};
use cartie_domain::campaigns::{CampaignContent, CampaignMedia};
use cartie_domain::inbox::MessageKind;
use cartie_domain::inventory::Photo;
use cartie_store::{util, StoreError};

use crate::slots;

/// The widest range one calendar read covers (a month view and its edges).
const MAX_RANGE_MS: i64 = 62 * 24 * 3600 * 1000;

pub async fn post(app: &App, ws: &str, id: &str) -> Result<ChannelPost, ApiError> {
    app.store.post(ws, id).await?.ok_or_else(|| ApiError::not_found("no such post"))
}

/// Other live posts to the same channel within the workspace's window.
async fn conflicts(app: &App, p: &ChannelPost) -> Result<Vec<String>, ApiError> {
    let Some(at) = p.due_ms.or(p.posted_at_ms) else { return Ok(vec![]) };
    let window = i64::from(app.store.calendar_settings(&p.workspace_id).await?.conflict_window_minutes) * 60_000;
    if window == 0 {
        return Ok(vec![]);
    }
    let near = app.store.posts_between(&p.workspace_id, at - window + 1, at + window - 1, 200).await?;
    Ok(near
        .into_iter()
        .filter(|o| o.id != p.id && o.channel_id == p.channel_id && matches!(o.status, PostStatus::Scheduled | PostStatus::Publishing | PostStatus::Posted))
        .map(|o| o.id)
        .collect())
}

pub async fn view(app: &App, p: &ChannelPost) -> Result<PostView, ApiError> {
    let channel = app.store.post_channel(&p.workspace_id, p.channel_id).await?;
    Ok(view_with(p, channel.map(|c| c.title), conflicts(app, p).await?))
}

fn view_with(p: &ChannelPost, channel_title: Option<String>, conflicts: Vec<String>) -> PostView {
    PostView {
        id: p.id.clone(),
        channel_id: p.channel_id,
        channel_title,
        bot_id: p.bot_id,
        content: p.content.clone(),
        car_id: p.car_id.clone(),
        status: p.status,
        send_at: p.send_at.clone(),
        time_zone: p.time_zone.clone(),
        due_at: p.due_ms.map(util::rfc3339),
        dst_shift: p.dst_shift,
        message_ids: p.message_ids.clone(),
        posted_at: p.posted_at_ms.map(util::rfc3339),
        error: p.error.clone(),
        auto_delete_hours: p.auto_delete_hours,
        auto_delete_at: p.auto_delete_at_ms().map(util::rfc3339),
        pinned: p.pinned,
        sold_action: p.sold_action,
        conflicts,
        created_by: p.created_by.clone(),
        updated_at: util::rfc3339(p.updated_at_ms),
    }
}

pub async fn list(app: &App, ws: &str, q: &PostQuery) -> Result<Response<Body>, ApiError> {
    let channels = app.store.post_channels(ws).await?;
    let title = |id: i64| channels.iter().find(|c| c.id == id).map(|c| c.title.clone());
    let channel: Option<i64> = match q.channel_id.as_deref() {
        Some(c) => Some(c.parse().map_err(|_| ApiError::invalid("channel_id", "must be a channel's id"))?),
        None => None,
    };
    let status = match q.status.as_deref() {
        Some(s) => Some(serde_json_status(s)?),
        None => None,
    };
    let mut posts = if status == Some(PostStatus::Draft) {
        app.store.draft_posts(ws).await?
    } else {
        let now = util::now_ms();
        let from = match q.from.as_deref() {
            Some(f) => util::parse_rfc3339(f).ok_or_else(|| ApiError::invalid("from", "must be a time like 2026-12-01T00:00:00Z"))?,
            None => now - MAX_RANGE_MS / 2,
        };
        let to = match q.to.as_deref() {
            Some(t) => util::parse_rfc3339(t).ok_or_else(|| ApiError::invalid("to", "must be a time like 2026-12-31T23:59:59Z"))?,
            None => from + MAX_RANGE_MS,
        };
        if to < from || to - from > MAX_RANGE_MS {
            return Err(ApiError::invalid("to", "must be after from, at most 62 days later"));
        }
        app.store.posts_between(ws, from, to, 1000).await?
    };
    posts.retain(|p| channel.is_none_or(|c| p.channel_id == c) && status.is_none_or(|s| p.status == s));
    // Conflicts from the posts at hand: the window is read once.
    let window = i64::from(app.store.calendar_settings(ws).await?.conflict_window_minutes) * 60_000;
    let items = posts
        .iter()
        .map(|p| {
            let at = p.due_ms.or(p.posted_at_ms);
            let near = posts
                .iter()
                .filter(|o| {
                    window > 0
                        && o.id != p.id
                        && o.channel_id == p.channel_id
                        && matches!(o.status, PostStatus::Scheduled | PostStatus::Publishing | PostStatus::Posted)
                        && matches!((at, o.due_ms.or(o.posted_at_ms)), (Some(a), Some(b)) if (a - b).abs() < window)
                })
                .map(|o| o.id.clone())
                .collect();
            view_with(p, title(p.channel_id), near)
        })
        .collect();
    json(&PostList { items })
}

fn serde_json_status(s: &str) -> Result<PostStatus, ApiError> {
    match s {
        "draft" => Ok(PostStatus::Draft),
        "scheduled" => Ok(PostStatus::Scheduled),
        "publishing" => Ok(PostStatus::Publishing),
        "posted" => Ok(PostStatus::Posted),
        "failed" => Ok(PostStatus::Failed),
        "unknown" => Ok(PostStatus::Unknown),
        "deleted" => Ok(PostStatus::Deleted),
        _ => Err(ApiError::invalid("status", "must be draft, scheduled, publishing, posted, failed, unknown or deleted")),
    }
}

/// The post a request describes (content, schedule), checked.
async fn build(app: &App, ctx: &Ctx<CalendarOp>, body: &PostRequest, base: Option<&ChannelPost>) -> Result<ChannelPost, ApiError> {
    let ws = ctx.ws()?;
    let channel = app.store.post_channel(ws, body.channel_id).await?.ok_or_else(|| ApiError::invalid("channel_id", "no such channel: connect it first"))?;
    let car = match body.car_id.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(id) => Some(app.store.listing(ws, id.trim()).await?.ok_or_else(|| ApiError::invalid("car_id", "no such car in your stock"))?),
        None => None,
    };
    let workspace = app.store.workspace(ws).await?;
    let company = workspace.as_ref().map(|w| w.name.clone()).unwrap_or_default();
    let link = match (&car, &app.public_url, &workspace) {
        (Some(c), Some(base), Some(w)) => Some(format!("{}/m/{}/{}", base.trim_end_matches('/'), w.slug, c.id)),
        _ => None,
    };
    let mut content = match (body.template_id.as_deref().filter(|t| !t.trim().is_empty()), &body.content) {
        (Some(t), _) => app.store.post_template(ws, t.trim()).await?.ok_or_else(|| ApiError::invalid("template_id", "no such template"))?.content,
        (None, Some(c)) => c.clone(),
        (None, None) => return Err(ApiError::invalid("content", "write the post, or pick a template")),
    };
    content.text = fill_car(&content.text, car.as_ref().map(|l| &l.car), link.as_deref(), &company);
    // A car's post without files of its own shows the car's photos (an album of up to 10).
    if let (Some(c), true) = (&car, content.media.is_empty()) {
        content.media =
            c.car.photos.iter().filter_map(Photo::file_id).take(10).map(|id| CampaignMedia { kind: MessageKind::Photo, upload_id: id.to_string() }).collect();
        if content.media.len() > 1 {
            content.buttons.clear(); // Telegram shows no buttons under an album.
        }
    }
    let content: CampaignContent = content.checked()?;
    let mut time_zone = match body.time_zone.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(tz) => tz.to_string(),
        None => workspace.and_then(|w| w.time_zone).unwrap_or_else(|| "UTC".into()),
    };
    let mut send_at = body.send_at.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if body.queue {
        // The channel's next free slot: an ordinary scheduled post at the slot's time, in the slots' zone.
        if send_at.is_some() {
            return Err(ApiError::invalid("queue", "choose a time or the next free slot, not both"));
        }
        let Some(zone) = channel.slot_time_zone.clone().filter(|_| !channel.slots.is_empty()) else {
            return Err(ApiError::invalid("queue", "this channel has no posting slots: add them in Channels"));
        };
        let slot = slots::Busy::load(app, ws).await?.free(&channel, base.map(|b| b.id.as_str()), 1)?.into_iter().next().ok_or_else(|| {
            ApiError::invalid(
                "queue",
                format!("every posting slot of this channel is taken for the next {SLOT_HORIZON_WEEKS} weeks: add slots, or pick a time"),
            )
        })?;
        send_at = Some(slot.local);
        time_zone = zone;
    }
    let (due_ms, dst_shift) = match send_at.as_deref() {
        Some(at) => {
            let (ms, shift) = schedule_at(at, &time_zone)?;
            (Some(ms), shift)
        }
        None => {
            // Checked even for a draft: a zone that does not exist is refused now.
            schedule_at("2000-01-01T00:00", &time_zone)?;
            (None, None)
        }
    };
    let now = util::now_ms();
    if due_ms.is_some_and(|d| d < now - 60_000) {
        return Err(ApiError::invalid("send_at", "is in the past: pick a later time, or publish now"));
    }
    let auto_delete_hours = check_auto_delete(body.auto_delete_hours)?;
    let created_by = ctx.caller()?.email.clone();
    Ok(ChannelPost {
        workspace_id: ws.into(),
        id: base.map(|b| b.id.clone()).unwrap_or_else(util::new_id),
        channel_id: channel.id,
        bot_id: channel.bot_id,
        content,
        car_id: car.map(|c| c.id),
        status: if due_ms.is_some() { PostStatus::Scheduled } else { PostStatus::Draft },
        send_at,
        time_zone,
        due_ms,
        dst_shift,
        message_ids: vec![],
        posted_at_ms: None,
        error: None,
        auto_delete_hours,
        pinned: false,
        sold_action: None,
        created_by: base.map(|b| b.created_by.clone()).unwrap_or(created_by),
        updated_at_ms: now,
        rev: base.map(|b| b.rev).unwrap_or(0),
    })
}

pub async fn create(app: &App, ctx: &Ctx<CalendarOp>, body: &PostRequest) -> Result<Response<Body>, ApiError> {
    let p = build(app, ctx, body, None).await?;
    app.store.create_post(&p).await?;
    publisher::schedule(app, &p).await?;
    json_status(StatusCode::CREATED, &view(app, &p).await?)
}

pub async fn update(app: &App, ctx: &Ctx<CalendarOp>, id: &str, body: &PostRequest) -> Result<Response<Body>, ApiError> {
    let old = post(app, ctx.ws()?, id).await?;
    if !matches!(old.status, PostStatus::Draft | PostStatus::Scheduled | PostStatus::Failed) {
        return Err(ApiError::conflict("this post has gone out (or is going): edit its text instead"));
    }
    if body.car_id != old.car_id {
        return Err(ApiError::invalid("car_id", "a post's car cannot change: make a new post"));
    }
    let p = build(app, ctx, body, Some(&old)).await?;
    let saved = app.store.save_post(&p).await?;
    // The old time's job finds the post moved and does nothing.
    publisher::schedule(app, &saved).await?;
    json(&view(app, &saved).await?)
}

fn telegram(e: BotError) -> ApiError {
    match e {
        BotError::Telegram(t) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "telegram_refused", t.to_string()),
        BotError::Store(s) => s.into(),
        other => ApiError::internal(other.to_string()),
    }
}

pub async fn delete(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let p = post(app, ws, id).await?;
    match p.status {
        PostStatus::Posted => {
            if !p.deletable(util::now_ms()) {
                return Err(ApiError::conflict("Telegram lets a bot delete its posts only for 48 hours: edit this one instead"));
            }
            publisher::delete_posted(app, p).await.map_err(telegram)?;
        }
        PostStatus::Publishing => return Err(ApiError::conflict("this post is being published right now; try again in a moment")),
        _ => app.store.delete_post_record(&p).await?,
    }
    no_content()
}

pub async fn publish_now(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let p = post(app, ws, id).await?;
    if !matches!(p.status, PostStatus::Draft | PostStatus::Scheduled | PostStatus::Failed) {
        return Err(ApiError::conflict("this post has gone out already (or is going)"));
    }
    let claimed = app.store.save_post(&ChannelPost { status: PostStatus::Publishing, due_ms: Some(util::now_ms()), ..p }).await.map_err(|e| match e {
        StoreError::Conflict(_) => ApiError::conflict("the post changed meanwhile; reload it"),
        other => other.into(),
    })?;
    publisher::send(app, claimed).await.map_err(telegram)?;
    json(&view(app, &post(app, ws, id).await?).await?)
}

pub async fn edit(app: &App, ws: &str, id: &str, text: &str) -> Result<Response<Body>, ApiError> {
    let p = post(app, ws, id).await?;
    if p.status != PostStatus::Posted {
        return Err(ApiError::conflict("only a post that went out can be edited this way; change the post instead"));
    }
    let mut checked = p.content.clone();
    checked.text = text.to_string();
    let checked = checked.checked()?;
    let edited = publisher::edit_posted(app, p, &checked.text).await.map_err(telegram)?;
    json(&view(app, &edited).await?)
}

pub async fn pin(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let p = post(app, ws, id).await?;
    let Some(first) = p.message_ids.first().copied().filter(|_| p.status == PostStatus::Posted) else {
        return Err(ApiError::conflict("only a post that went out can be pinned"));
    };
    let channel = app.store.post_channel(ws, p.channel_id).await?.ok_or_else(|| ApiError::conflict("the channel is no longer connected"))?;
    let bot = app.store.bot(ws, channel.bot_id).await?.ok_or_else(|| ApiError::conflict("the channel's bot is no longer connected"))?;
    let token = app.data_key.open(&bot.token_sealed).map_err(ApiError::internal)?;
    app.telegram.pin_post(&token, channel.id, first).await.map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "telegram_refused", e.to_string()))?;
    let pinned = app.store.save_post(&ChannelPost { pinned: true, ..p }).await?;
    json(&view(app, &pinned).await?)
}
