//! One step of a contact CSV export: up to [`PAGES_PER_STEP`] pages of the
//! contact list under the export's filter written as a part (once: a
//! redelivered step reads the part it wrote), the export moved on under its
//! `rev`, then the next step queued; the last step joins the parts under a
//! header and puts the file in the file store (kept a week).

use cartie_bot::BotError;
use cartie_domain::csv;
use cartie_domain::jobs::Job;
use cartie_platform::Services;
use cartie_store::contact_exports::{ContactExport, ExportPart, ExportStatus};
use cartie_store::contacts::{ContactFilter, ContactRecord};
use cartie_store::util;
use std::collections::HashMap;

/// Contact list pages per step (100 contacts each).
pub const PAGES_PER_STEP: usize = 10;
const PAGE: i32 = 100;

/// The file's columns.
pub const HEADER: [&str; 13] = [
    "id",
    "name",
    "telegram_name",
    "username",
    "phone",
    "language",
    "tags",
    "bots",
    "blocked_bots",
    "unsubscribed_bots",
    "source",
    "first_seen",
    "last_active",
];

pub async fn run(svc: &Services, ws: &str, export_id: &str, step: u32) -> Result<(), BotError> {
    let Some(exp) = svc.store.contact_export(ws, export_id).await? else {
        return Ok(());
    };
    if exp.status != ExportStatus::Running || exp.step > step {
        // Done before; or this step was recorded and its successor's job
        // may have been lost: queue it again (it is idempotent too).
        if exp.status == ExportStatus::Running && exp.step == step + 1 {
            next(svc, &exp).await?;
        }
        return Ok(());
    }
    if exp.step < step {
        return Ok(());
    }
    let part = match svc.store.export_part(ws, export_id, step).await? {
        Some(p) => p,
        None => {
            let p = read_part(svc, &exp).await?;
            svc.store.put_export_part(ws, export_id, step, &p).await?
        }
    };
    let rows = exp.rows + part.rows;
    match part.next {
        Some(cursor) => {
            let moved = ContactExport { step: step + 1, cursor: Some(cursor), rows, ..exp.clone() };
            if svc.store.advance_contact_export(&exp, moved.clone()).await? {
                next(svc, &moved).await?;
            }
        }
        None => {
            let mut body = csv::line(&HEADER);
            for p in svc.store.export_parts(ws, export_id).await? {
                body.push_str(&p.csv);
            }
            let (file, _) = svc.files.put_export_bytes(ws, &exp.file_name, "text/csv; charset=utf-8", body.into_bytes(), &exp.created_by).await?;
            let done = ContactExport { step: step + 1, cursor: None, rows, status: ExportStatus::Done, file_id: Some(file.id), ..exp.clone() };
            svc.store.advance_contact_export(&exp, done).await?;
        }
    }
    Ok(())
}

async fn read_part(svc: &Services, exp: &ContactExport) -> Result<ExportPart, BotError> {
    let ws = exp.workspace_id.as_str();
    let filter = ContactFilter::of(&exp.audience, None, exp.created_at_ms);
    let bots: HashMap<i64, String> = svc.store.bots(ws).await?.into_iter().map(|b| (b.bot_id, b.username)).collect();
    let mut csv_out = String::new();
    let mut rows = 0;
    let mut cursor = exp.cursor.clone();
    for _ in 0..PAGES_PER_STEP {
        let page = svc.store.contacts(ws, &filter, PAGE, cursor.as_deref()).await?;
        for c in &page.items {
            csv_out.push_str(&row(c, &bots));
            rows += 1;
        }
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    Ok(ExportPart { csv: csv_out, rows, next: cursor, expires_at: exp.expires_at })
}

/// A contact as one CSV line (bots by @username when still connected).
fn row(c: &ContactRecord, bots: &HashMap<i64, String>) -> String {
    let bot_names = |ids: &mut dyn Iterator<Item = i64>| -> String {
        ids.map(|b| bots.get(&b).map(|u| format!("@{u}")).unwrap_or_else(|| b.to_string())).collect::<Vec<_>>().join("; ")
    };
    let channel_bots = bot_names(&mut c.channels().into_iter().filter_map(|ch| match ch {
        cartie_domain::contacts::Channel::Bot(b) => Some(b),
        _ => None,
    }));
    let blocked = bot_names(&mut c.blocked.iter().filter_map(|b| b.parse().ok()));
    let unsubscribed = bot_names(&mut c.unsubscribed.iter().filter_map(|b| b.parse().ok()));
    let when = |ms: i64| if ms > 0 { util::rfc3339(ms) } else { String::new() };
    csv::line(&[
        c.user_id.to_string(),
        c.display_name(),
        c.person.as_ref().map(|p| p.display_name()).unwrap_or_default(),
        c.person.as_ref().and_then(|p| p.username.clone()).unwrap_or_default(),
        c.phone.clone().unwrap_or_default(),
        c.language.clone().unwrap_or_default(),
        c.tags.iter().cloned().collect::<Vec<_>>().join("; "),
        channel_bots,
        blocked,
        unsubscribed,
        c.source.clone().unwrap_or_default(),
        when(c.first_seen_ms),
        when(c.last_active_ms),
    ])
}

async fn next(svc: &Services, exp: &ContactExport) -> Result<(), BotError> {
    let job = Job::ExportContacts { workspace_id: exp.workspace_id.clone(), export_id: exp.id.clone(), step: exp.step };
    svc.queues.send("jobs", &job).await?;
    Ok(())
}
