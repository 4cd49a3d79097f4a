//! One part of a stock feed import (rows `part * 200 ..`): each row made a
//! car by the import's mapping, then created, updated or left unchanged by
//! its key within the source (VIN or the source's id); the part's report
//! recorded once; the next part queued. A part run twice reports its rows
//! as the first run did (each row's record says which import and row wrote
//! it last).

use cartie_bot::BotError;
use cartie_domain::imports::{ImportStatus, RowOutcome, RowReport, ROWS_PER_PART};
use cartie_domain::inventory::Photo;
use cartie_domain::jobs::Job;
use cartie_parser::feed::{read_feed, row_to_car};
use cartie_platform::Services;
use cartie_store::imports::{FeedCarRecord, StockImport};
use cartie_store::util;

pub async fn run(svc: &Services, ws: &str, import_id: &str, part: u32) -> Result<(), BotError> {
    let Some(import) = svc.store.stock_import(ws, import_id).await? else {
        return Ok(());
    };
    if import.status != ImportStatus::Running {
        return Ok(());
    }
    if import.next_part != part {
        // Recorded before; the next part's job may have been lost then.
        if import.next_part == part + 1 {
            next(svc, &import).await?;
        }
        return Ok(());
    }
    let file = match svc.files.file(ws, &import.file_id).await? {
        Some(f) => f,
        None => return Ok(svc.store.fail_stock_import(ws, import_id, "the feed file is gone (uploads are kept a week)").await?),
    };
    let bytes = svc.files.read(&file, None).await?;
    let table = match read_feed(&bytes) {
        Ok(t) => t,
        Err(e) => return Ok(svc.store.fail_stock_import(ws, import_id, &e.to_string()).await?),
    };
    let start = (part as usize * ROWS_PER_PART).min(table.rows.len());
    let end = (start + ROWS_PER_PART).min(table.rows.len());
    let mut report = Vec::with_capacity(end - start);
    for (i, row) in table.rows[start..end].iter().enumerate() {
        report.push(one_row(svc, &import, (start + i + 1) as u32, &table.columns, row).await?);
    }
    let last = end >= table.rows.len();
    let recorded = svc.store.record_import_part(ws, import_id, part, &report, last).await?;
    if recorded && !last {
        let import = cartie_store::imports::StockImport { next_part: part + 1, ..import };
        next(svc, &import).await?;
    }
    Ok(())
}

async fn next(svc: &Services, import: &StockImport) -> Result<(), BotError> {
    let job = Job::ImportStock { workspace_id: import.workspace_id.clone(), import_id: import.id.clone(), part: import.next_part };
    svc.queues.send("jobs", &job).await?;
    Ok(())
}

async fn one_row(svc: &Services, import: &StockImport, row: u32, columns: &[String], values: &[String]) -> Result<RowReport, BotError> {
    let ws = import.workspace_id.as_str();
    let report = |outcome, key: Option<&str>, listing_id: Option<&str>| RowReport {
        row,
        outcome,
        key: key.map(str::to_string),
        listing_id: listing_id.map(str::to_string),
        contact_id: None,
        field: None,
        message: None,
    };
    let car = match row_to_car(&import.mapping, columns, values, import.currency.as_deref(), util::this_year()) {
        Ok(c) => c,
        Err(p) => return Ok(RowReport { field: Some(p.field), message: Some(p.message), ..report(RowOutcome::Rejected, None, None) }),
    };
    let key = car.key.as_str();
    let hash = util::sha256_hex(&serde_json::to_string(&car.car).map_err(|e| BotError::Corrupt(e.to_string()))?);
    let before = svc.store.feed_car(ws, &import.source_key, key).await?;
    if let Some(b) = before.as_ref().filter(|b| b.import_id == import.id) {
        if b.row == row {
            return Ok(report(b.outcome, Some(key), Some(&b.listing_id)));
        }
        let field = if key.starts_with("vin:") { "vin" } else { "id" };
        return Ok(RowReport {
            field: Some(field.into()),
            message: Some(format!("the same car as row {}", b.row)),
            ..report(RowOutcome::Rejected, Some(key), None)
        });
    }
    let existing = match &before {
        Some(b) => svc.store.listing(ws, &b.listing_id).await?,
        None => None,
    };
    let (listing_id, outcome) = match existing {
        Some(l) if before.as_ref().is_some_and(|b| b.row_hash == hash) => (l.id, RowOutcome::Unchanged),
        Some(l) => {
            let mut new = car.car;
            // What the team decided in Cartie stays: the car's status (sold,
            // reserved), and photos they uploaded.
            new.status = l.car.status;
            if new.photos.is_empty() || l.car.photos.iter().any(|p| matches!(p, Photo::Uploaded { .. })) {
                new.photos = l.car.photos.clone();
            }
            svc.store.replace_listing(ws, &l.id, new).await?;
            (l.id, RowOutcome::Updated)
        }
        // New, or its car was deleted in Cartie since: added again.
        None => (svc.store.create_listing(ws, car.car).await?.id, RowOutcome::Created),
    };
    if outcome != RowOutcome::Unchanged {
        // New or changed stock meets open requests (own and partners').
        svc.queues.send("jobs", &cartie_domain::jobs::Job::MatchCar { workspace_id: ws.into(), car_id: listing_id.clone() }).await?;
    }
    let record = FeedCarRecord { workspace_id: ws.into(), listing_id: listing_id.clone(), row_hash: hash, import_id: import.id.clone(), row, outcome };
    svc.store.put_feed_car(ws, &import.source_key, key, &record).await?;
    Ok(report(outcome, Some(key), Some(&listing_id)))
}
