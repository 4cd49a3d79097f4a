//! `api-calendar`: the content calendar. Connect a channel or group to a
//! bot (its rights checked in Telegram) with its weekly posting slots,
//! keep post templates, and make, schedule (at a time, or at the channel's
//! next free slot), reschedule, publish, edit, pin and delete posts. Publishing
//! at the due time is the jobs worker's (`cartie_bot::posts`); this
//! function moves a post's state, queues work, and does what a manager asks
//! for now. The workspace always comes from the token.

mod channels;
mod posts;
mod slots;

use cartie_apikit::dto::*;
use cartie_apikit::http::no_content;
use cartie_apikit::ops::CalendarOp;
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::calendar::check_sold_label;
use cartie_store::calendar::{CalendarSettings as Settings, PostTemplate};
use cartie_store::{util, StoreError};

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<CalendarOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<CalendarOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match &ctx.op {
        CalendarOp::ListChannels {} => channels::list(app, ws).await,
        CalendarOp::ConnectChannel { body } => channels::connect(app, ws, body).await,
        CalendarOp::DisconnectChannel { channel_id } => {
            app.store.delete_post_channel(ws, *channel_id).await.map_err(not_found("no such channel"))?;
            no_content()
        }
        CalendarOp::SetChannelSlots { channel_id, body } => slots::set(app, ws, *channel_id, body).await,
        CalendarOp::ListPostTemplates {} => {
            let mut items = app.store.post_templates(ws).await?;
            items.sort_by_key(|t| t.name.to_lowercase());
            json(&PostTemplateList { items: items.iter().map(template_view).collect() })
        }
        CalendarOp::CreatePostTemplate { body } => {
            let t = template(ws, util::new_id(), body)?;
            app.store.save_post_template(&t).await?;
            json_status(StatusCode::CREATED, &template_view(&t))
        }
        CalendarOp::UpdatePostTemplate { template_id, body } => {
            app.store.post_template(ws, template_id).await?.ok_or_else(|| ApiError::not_found("no such template"))?;
            let t = template(ws, template_id.clone(), body)?;
            app.store.save_post_template(&t).await?;
            json(&template_view(&t))
        }
        CalendarOp::DeletePostTemplate { template_id } => {
            app.store.delete_post_template(ws, template_id).await.map_err(not_found("no such template"))?;
            no_content()
        }
        CalendarOp::ListPosts { query } => posts::list(app, ws, query).await,
        CalendarOp::CreatePost { body } => posts::create(app, &ctx, body).await,
        CalendarOp::GetPost { post_id } => {
            let p = posts::post(app, ws, post_id).await?;
            json(&posts::view(app, &p).await?)
        }
        CalendarOp::UpdatePost { post_id, body } => posts::update(app, &ctx, post_id, body).await,
        CalendarOp::DeletePost { post_id } => posts::delete(app, ws, post_id).await,
        CalendarOp::PublishPostNow { post_id } => posts::publish_now(app, ws, post_id).await,
        CalendarOp::EditPostedPost { post_id, body } => posts::edit(app, ws, post_id, &body.text).await,
        CalendarOp::PinPost { post_id } => posts::pin(app, ws, post_id).await,
        CalendarOp::GetCalendarSettings {} => json(&settings_view(&app.store.calendar_settings(ws).await?)),
        CalendarOp::SaveCalendarSettings { body } => {
            if body.conflict_window_minutes > 1440 {
                return Err(ApiError::invalid("conflict_window_minutes", "must be 0 to 1440 minutes"));
            }
            let s = Settings {
                sold_action: body.sold_action,
                sold_label: check_sold_label(&body.sold_label)?,
                conflict_window_minutes: body.conflict_window_minutes,
            };
            app.store.save_calendar_settings(ws, &s).await?;
            json(&settings_view(&s))
        }
    }
}

fn not_found(what: &'static str) -> impl Fn(StoreError) -> ApiError {
    move |e| match e {
        StoreError::NotFound => ApiError::not_found(what),
        other => other.into(),
    }
}

fn template(ws: &str, id: String, body: &PostTemplateRequest) -> Result<PostTemplate, ApiError> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(ApiError::invalid("name", "must be 1 to 120 characters"));
    }
    let content = body.content.clone().checked()?;
    Ok(PostTemplate { workspace_id: ws.into(), id, name: name.into(), content, updated_at_ms: util::now_ms() })
}

fn template_view(t: &PostTemplate) -> PostTemplateView {
    PostTemplateView { id: t.id.clone(), name: t.name.clone(), content: t.content.clone(), updated_at: util::rfc3339(t.updated_at_ms) }
}

fn settings_view(s: &Settings) -> CalendarSettings {
    CalendarSettings { sold_action: s.sold_action, sold_label: s.sold_label.clone(), conflict_window_minutes: s.conflict_window_minutes }
}
