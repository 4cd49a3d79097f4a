//! Versioned, idempotent data migrations and their runner.
//!
//! The ledger item (`SYSTEM/MIGRATIONS`) records the highest version
//! applied. Running the list twice is a no-op; each migration must itself be
//! safe to re-run (a crash between its work and the ledger write repeats
//! it). A process whose code expects a newer version than the ledger says so
//! in `/api/health/deep` instead of crash-looping.
//!
//! To add one: append to [`MIGRATIONS`] with the next version number; never
//! renumber or edit one that has shipped.

use cartie_store::{Store, StoreError};
use std::future::Future;
use std::pin::Pin;

pub type MigrationFuture<'a> = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send + 'a>>;

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub run: for<'a> fn(&'a Store) -> MigrationFuture<'a>,
}

/// Every migration, in order. Versions are 1, 2, 3, ... without gaps.
pub const MIGRATIONS: &[Migration] =
    &[Migration { version: 1, name: "baseline", run: baseline }, Migration { version: 2, name: "dashboard counters", run: dashboard_counters }];

/// The ledger version this build of the code expects.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// Version 1 marks a table created by this generation; it has no data to move.
fn baseline(_store: &Store) -> MigrationFuture<'_> {
    Box::pin(async { Ok(()) })
}

/// Version 2: the dashboard reads stock on sale, its value, live requests
/// and offers to answer from counters; workspaces with data from before
/// the counters get them counted once (the day items start empty).
fn dashboard_counters(store: &Store) -> MigrationFuture<'_> {
    Box::pin(async move {
        for w in store.workspaces().await? {
            store.recount_totals(&w.id).await?;
        }
        Ok(())
    })
}

/// Applies every migration above the ledger's version, in order. Returns
/// the versions applied now (empty when up to date).
pub async fn run_pending(store: &Store, list: &[Migration]) -> Result<Vec<u32>, StoreError> {
    let mut applied = Vec::new();
    let current = store.ledger().await?.version;
    for m in list.iter().filter(|m| m.version > current) {
        tracing::info!(version = m.version, name = m.name, "applying migration");
        (m.run)(store).await?;
        match store.record_migration(m.version, m.name).await {
            Ok(()) => applied.push(m.version),
            // Another process recorded it first: it ran too, and the work is
            // idempotent, so this is fine.
            Err(StoreError::Conflict(_)) if store.ledger().await?.version >= m.version => {}
            Err(e) => return Err(e),
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "migration {} is out of order", m.name);
        }
    }
}
