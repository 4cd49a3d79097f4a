//! `api-contacts`: the workspace's contacts, one per person (the Telegram
//! user id) across its bots and the Mini App — the list with search and
//! filters, the contact page, the dealer's edits and bulk tag changes.
//! Contacts are created and moved by the updates worker and the Mini App
//! (`cartie_store::contacts`); this function never writes messages or
//! talks to Telegram. The workspace always comes from the token.
//! Segments (saved filters, the audiences of campaigns) live here too; their
//! counts are made by the jobs worker ([`segments`]).

mod exports;
mod imports;
mod segments;

use cartie_apikit::dto::*;
use cartie_apikit::http::no_content;
use cartie_apikit::ops::ContactsOp;
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::contacts::{self, Channel, MAX_SELECTION};
use cartie_domain::jobs::Job;
use cartie_domain::segments::{Audience, VarCondition, VarOp};
use cartie_store::bulk_tags::BulkTag;
use cartie_store::contacts::{ContactEdit, ContactFilter, ContactRecord};
use cartie_store::inbox::conversation_id;
use cartie_store::merge::MergeRefused;
use cartie_store::{util, StoreError};
use std::collections::{BTreeSet, HashMap};

/// Bot id -> @username, to name a contact's channels.
type BotNames = HashMap<i64, String>;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<ContactsOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<ContactsOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match &ctx.op {
        ContactsOp::ListContacts { query } => {
            let filter = filter(query)?;
            let page = app.store.contacts(ws, &filter, query.limit(50)? as i32, query.cursor.as_deref()).await?;
            let bots = bot_names(app, ws).await?;
            json(&ContactPage { items: page.items.iter().map(|c| view(c, &bots)).collect(), next_cursor: page.next })
        }
        ContactsOp::GetContact { contact_id } => json(&detail(app, ws, *contact_id).await?),
        ContactsOp::UpdateContact { contact_id, body } => {
            let edit = ContactEdit {
                name: body.name.as_ref().map(|n| n.as_deref().map(name).transpose()).transpose()?,
                phone: body.phone.as_ref().map(|p| p.as_deref().map(phone).transpose()).transpose()?,
                tags: body.tags.as_deref().map(|t| contacts::tags("tags", t)).transpose()?,
            };
            app.store.edit_contact(ws, *contact_id, &edit).await.map_err(not_found)?;
            json(&detail(app, ws, *contact_id).await?)
        }
        ContactsOp::EraseContact { contact_id } => {
            app.store.start_erasing(ws, *contact_id).await.map_err(not_found)?;
            // Queued after the mark: a lost send is redone by repeating the
            // request, which finds the contact still there.
            app.queues.send("jobs", &Job::EraseContact { workspace_id: ws.to_string(), user_id: *contact_id }).await?;
            no_content()
        }
        ContactsOp::MergeContact { contact_id, body } => {
            let other = body.other_id.trim().parse::<i64>().map_err(|_| ApiError::invalid("other_id", "must be a contact id"))?;
            let (kept, gone) = match app.store.merge_contacts(ws, *contact_id, other).await? {
                Ok(ids) => ids,
                Err(MergeRefused::Same) => return Err(ApiError::invalid("other_id", "is this contact itself")),
                Err(MergeRefused::NotFound) => return Err(not_found(StoreError::NotFound)),
                Err(MergeRefused::BothHaveChats) => {
                    return Err(
                        ApiError::conflict("both contacts wrote to your bots from their own Telegram accounts; they stay two contacts").field("other_id")
                    )
                }
            };
            app.queues.send("jobs", &Job::EraseContact { workspace_id: ws.to_string(), user_id: gone }).await?;
            json(&detail(app, ws, kept).await?)
        }
        ContactsOp::TagContacts { body } => {
            if body.ids.is_empty() || body.ids.len() > MAX_SELECTION {
                return Err(ApiError::invalid("ids", format!("select 1 to {MAX_SELECTION} contacts")));
            }
            let ids =
                body.ids.iter().map(|id| id.parse::<i64>()).collect::<Result<BTreeSet<_>, _>>().map_err(|_| ApiError::invalid("ids", "must be contact ids"))?;
            let add = contacts::tags("add", &body.add)?;
            let remove = contacts::tags("remove", &body.remove)?;
            if add.is_empty() && remove.is_empty() {
                return Err(ApiError::invalid("add", "name a tag to add or remove"));
            }
            let ids: Vec<i64> = ids.into_iter().collect();
            let changed = app.store.tag_contacts(ws, &ids, &add, &remove).await?;
            json(&TagContactsResult { changed })
        }
        ContactsOp::TagContactsByFilter { body } => {
            let audience = body.filter.clone().checked("filter.")?;
            let q = body.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
            if q.is_some_and(|q| q.chars().count() > 100) {
                return Err(ApiError::invalid("q", "at most 100 characters"));
            }
            let add = contacts::tags("add", &body.add)?;
            let remove = contacts::tags("remove", &body.remove)?;
            if add.is_empty() && remove.is_empty() {
                return Err(ApiError::invalid("add", "name a tag to add or remove"));
            }
            let job = BulkTag::new(ws, audience, q.map(String::from), add, remove, &ctx.caller()?.email);
            app.store.create_bulk_tag(&job).await?;
            app.queues.send("jobs", &Job::TagContacts { workspace_id: ws.to_string(), bulk_id: job.id.clone(), step: 0 }).await?;
            json_status(StatusCode::CREATED, &BulkTagView::from(&job))
        }
        ContactsOp::GetBulkTag { bulk_id } => {
            let job = app.store.bulk_tag(ws, bulk_id).await?.ok_or_else(|| ApiError::not_found("no such tagging job").field("bulk_id"))?;
            json(&BulkTagView::from(&job))
        }
        ContactsOp::ListSegments {} => segments::list(app, ws).await,
        ContactsOp::CreateSegment { body } => segments::create(app, ws, &ctx.caller()?.email, body).await,
        ContactsOp::GetSegment { segment_id } => segments::get(app, ws, segment_id).await,
        ContactsOp::UpdateSegment { segment_id, body } => segments::update(app, ws, segment_id, body).await,
        ContactsOp::DeleteSegment { segment_id } => segments::delete(app, ws, segment_id).await,
        ContactsOp::CountSegment { segment_id } => segments::recount(app, ws, segment_id).await,
        ContactsOp::ExportContacts { body } => exports::start(app, ws, &ctx.caller()?.email, body).await,
        ContactsOp::GetContactExport { export_id } => exports::get(app, ws, export_id).await,
        ContactsOp::StartContactImport { body } => imports::start(app, ws, &ctx.caller()?.email, body).await,
        ContactsOp::GetContactImport { import_id, query } => imports::get(app, ws, import_id, query).await,
    }
}

fn filter(query: &ContactQuery) -> Result<ContactFilter, ApiError> {
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if q.is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::invalid("q", "at most 100 characters"));
    }
    let audience = Audience {
        bot_id: query.bot_id,
        tag: query.tag.clone(),
        language: query.language.clone(),
        blocked: flag("blocked", query.blocked.as_deref())?,
        unsubscribed: flag("unsubscribed", query.unsubscribed.as_deref())?,
        active_days: query.active_days,
        source: query.source.clone(),
        variable: variable(query)?,
        open_request: flag("open_request", query.open_request.as_deref())?,
    }
    .checked("")?;
    Ok(ContactFilter::of(&audience, q.map(String::from), util::now_ms()))
}

/// `var`, `var_op`, `var_value` of the list's query: one variable condition.
fn variable(query: &ContactQuery) -> Result<Option<VarCondition>, ApiError> {
    let Some(name) = query.var.clone().filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let op = match query.var_op.as_deref() {
        None => VarOp::Set,
        Some(op) => op.parse().map_err(|_| ApiError::invalid("var_op", "must be eq, ne, contains, gt, lt, set or unset"))?,
    };
    // Field names of the query: `var`, `var_value`.
    VarCondition { name, op, value: query.var_value.clone() }.checked("var").map(Some).map_err(|e| {
        let field = if e.field.ends_with(".name") { "var" } else { "var_value" };
        ApiError::invalid(field, e.message)
    })
}

fn name(raw: &str) -> Result<String, ApiError> {
    let n = raw.trim();
    if n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control) {
        return Err(ApiError::invalid("name", "must be 1-100 characters (null goes back to the Telegram name)"));
    }
    Ok(n.to_string())
}

/// A phone in E.164; a number without a country code is read as Ukrainian.
fn phone(raw: &str) -> Result<String, ApiError> {
    cartie_domain::values::e164(raw, "ua").ok_or_else(|| ApiError::invalid("phone", "is not a phone number (e.g. +380 67 123 45 67)"))
}

fn not_found(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("no such contact").field("contact_id"),
        other => other.into(),
    }
}

async fn bot_names(app: &App, ws: &str) -> Result<BotNames, ApiError> {
    Ok(app.store.bots(ws).await?.into_iter().map(|b| (b.bot_id, b.username)).collect())
}

async fn detail(app: &App, ws: &str, contact_id: i64) -> Result<ContactDetail, ApiError> {
    let c = app.store.contact_record(ws, contact_id).await?.filter(|c| !c.erasing).ok_or_else(|| not_found(StoreError::NotFound))?;
    let bots: Vec<i64> = c.channels().into_iter().filter_map(|ch| if let Channel::Bot(b) = ch { Some(b) } else { None }).collect();
    // Contacts stored before they kept variables have them per bot only.
    let mut variables = app.store.contact_vars(ws, contact_id, &bots).await?;
    variables.extend(c.vars.clone());
    let requests: Vec<CarRequestView> = app.store.contact_requests(&c).await?.iter().map(CarRequestView::from).collect();
    let bots = bot_names(app, ws).await?;
    let duplicates = app.store.possible_duplicates(&c).await?.iter().map(|d| view(d, &bots)).collect();
    let mut interests: Vec<(&String, &cartie_store::contacts::Interest)> = c.interests.iter().collect();
    interests.sort_by_key(|(_, i)| std::cmp::Reverse(i.at_ms));
    let interests: Vec<ContactInterestView> =
        interests.into_iter().map(|(id, i)| ContactInterestView { listing_id: id.clone(), title: i.title.clone(), at: util::rfc3339(i.at_ms) }).collect();
    let timeline = timeline(&c, &interests, &requests);
    Ok(ContactDetail { contact: view(&c, &bots), variables, requests, duplicates, interests, timeline })
}

/// The contact's story from what the contact item and its requests hold,
/// newest first (no extra reads).
fn timeline(c: &ContactRecord, interests: &[ContactInterestView], requests: &[CarRequestView]) -> Vec<TimelineEvent> {
    let mut events = Vec::new();
    if c.first_seen_ms > 0 {
        events.push(TimelineEvent { at: util::rfc3339(c.first_seen_ms), kind: TimelineKind::FirstSeen, detail: c.source.clone(), ref_id: None });
    }
    for i in interests {
        events.push(TimelineEvent { at: i.at.clone(), kind: TimelineKind::Interest, detail: Some(i.title.clone()), ref_id: Some(i.listing_id.clone()) });
    }
    for r in requests {
        let what = [Some(r.make.as_str()), r.model.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        events.push(TimelineEvent { at: r.created_at.clone(), kind: TimelineKind::Request, detail: Some(what), ref_id: Some(r.id.clone()) });
    }
    if c.last_active_ms > c.first_seen_ms {
        events.push(TimelineEvent { at: util::rfc3339(c.last_active_ms), kind: TimelineKind::LastActive, detail: None, ref_id: None });
    }
    // RFC 3339 in UTC sorts as text.
    events.sort_by(|a, b| b.at.cmp(&a.at));
    events
}

fn view(c: &ContactRecord, bots: &BotNames) -> ContactView {
    let channels = c
        .channels()
        .into_iter()
        .map(|ch| match ch {
            Channel::Bot(b) => ContactChannelView {
                kind: "bot".into(),
                id: Some(b),
                username: bots.get(&b).cloned(),
                blocked: c.blocked_on(b),
                unsubscribed: c.unsubscribed_from(b),
                conversation_id: Some(conversation_id(b, c.user_id)),
            },
            Channel::MiniApp => {
                ContactChannelView { kind: "miniapp".into(), id: None, username: None, blocked: false, unsubscribed: false, conversation_id: None }
            }
            Channel::Account(a) => {
                ContactChannelView { kind: "account".into(), id: Some(a), username: None, blocked: false, unsubscribed: false, conversation_id: None }
            }
        })
        .collect();
    ContactView {
        id: c.user_id.to_string(),
        name: c.display_name(),
        telegram_name: c.person.as_ref().map(|p| p.display_name()),
        username: c.person.as_ref().and_then(|p| p.username.clone()),
        phone: c.phone.clone(),
        language: c.language.clone(),
        source: c.source.clone(),
        tags: c.tags.iter().cloned().collect(),
        channels,
        reachable: c.reachable(),
        unsubscribed_all: c.unsubscribed_all,
        first_seen_at: (c.first_seen_ms > 0).then(|| util::rfc3339(c.first_seen_ms)),
        last_active_at: (c.last_active_ms > 0).then(|| util::rfc3339(c.last_active_ms)),
    }
}
