//! One part of a contact import (rows `part * 200 ..` of the CSV): each row
//! read by its header's columns, mapped to the person it names and written
//! (`cartie_store::contact_imports`), the part's report recorded once, the
//! next part queued. A part run twice reports its rows as the first run did.

use cartie_bot::BotError;
use cartie_domain::contact_import::{columns, read_row};
use cartie_domain::imports::{ImportStatus, RowOutcome, RowReport, ROWS_PER_PART};
use cartie_domain::jobs::Job;
use cartie_parser::feed::read_feed;
use cartie_platform::Services;
use cartie_store::imports::StockImport;
use cartie_store::util;

pub async fn run(svc: &Services, ws: &str, import_id: &str, part: u32) -> Result<(), BotError> {
    let Some(import) = svc.store.stock_import(ws, import_id).await? else {
        return Ok(());
    };
    if import.status != ImportStatus::Running {
        return Ok(());
    }
    if import.next_part != part {
        if import.next_part == part + 1 {
            next(svc, &import).await?;
        }
        return Ok(());
    }
    let Some(file) = svc.files.file(ws, &import.file_id).await? else {
        return Ok(svc.store.fail_stock_import(ws, import_id, "the file is gone (uploads are kept a week)").await?);
    };
    let table = match read_feed(&svc.files.read(&file, None).await?) {
        Ok(t) => t,
        Err(e) => return Ok(svc.store.fail_stock_import(ws, import_id, &e.to_string()).await?),
    };
    let cols = columns(&table.columns);
    let start = (part as usize * ROWS_PER_PART).min(table.rows.len());
    let end = (start + ROWS_PER_PART).min(table.rows.len());
    let now = util::now_ms();
    let mut report = Vec::with_capacity(end - start);
    for (i, cells) in table.rows[start..end].iter().enumerate() {
        let row = (start + i + 1) as u32;
        let r = match read_row(&table.columns, &cols, cells) {
            Err(e) => {
                RowReport { row, outcome: RowOutcome::Rejected, key: None, listing_id: None, contact_id: None, field: Some(e.field), message: Some(e.message) }
            }
            Ok(c) => {
                let id = svc.store.imported_contact_id(ws, &c).await?;
                let outcome = svc.store.import_contact(ws, id, &c, &format!("{import_id}#{row}"), now).await?;
                RowReport { row, outcome, key: None, listing_id: None, contact_id: Some(id.to_string()), field: None, message: None }
            }
        };
        report.push(r);
    }
    let last = end >= table.rows.len();
    if svc.store.record_import_part(ws, import_id, part, &report, last).await? && !last {
        next(svc, &StockImport { next_part: part + 1, ..import }).await?;
    }
    Ok(())
}

async fn next(svc: &Services, import: &StockImport) -> Result<(), BotError> {
    let job = Job::ImportContacts { workspace_id: import.workspace_id.clone(), import_id: import.id.clone(), part: import.next_part };
    svc.queues.send("jobs", &job).await?;
    Ok(())
}
