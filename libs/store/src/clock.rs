//! The one clock. Everything time-based in Cartie (expiries, leases,
//! delays, schedules, snoozes, retries) reads the time here, through
//! [`now_ms`] (or `util::now_ms`, which is this). In Lambda it is the
//! system clock. Tests and the local runtime can freeze it at an instant
//! and move it forward, so "in two hours" is tested by advancing the
//! clock, never by sleeping.
//!
//! It is process-wide on purpose: one process is one Lambda instance (or
//! one test under nextest, which runs each test in its own process), and a
//! second clock would be a second truth.

use std::sync::atomic::{AtomicI64, Ordering};

/// `i64::MIN` = not frozen: follow the system clock plus [`OFFSET_MS`].
static FROZEN_MS: AtomicI64 = AtomicI64::new(i64::MIN);
static OFFSET_MS: AtomicI64 = AtomicI64::new(0);

fn system_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Epoch milliseconds, as the clock says.
pub fn now_ms() -> i64 {
    match FROZEN_MS.load(Ordering::SeqCst) {
        i64::MIN => system_ms() + OFFSET_MS.load(Ordering::SeqCst),
        frozen => frozen,
    }
}

/// Stops the clock at `ms` (epoch milliseconds).
pub fn freeze_at(ms: i64) {
    FROZEN_MS.store(ms, Ordering::SeqCst);
}

/// Stops the clock where it is now.
pub fn freeze() -> i64 {
    let now = now_ms();
    freeze_at(now);
    now
}

/// Moves the clock forward by `ms` (frozen or running).
pub fn advance(ms: i64) {
    if FROZEN_MS.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |f| (f != i64::MIN).then(|| f + ms)).is_err() {
        OFFSET_MS.fetch_add(ms, Ordering::SeqCst);
    }
}

/// Lets the clock run again from where it stands (keeping any advance).
pub fn resume() {
    let frozen = FROZEN_MS.swap(i64::MIN, Ordering::SeqCst);
    if frozen != i64::MIN {
        OFFSET_MS.store(frozen - system_ms(), Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freezes_advances_and_resumes() {
        freeze_at(1_000_000);
        assert_eq!(now_ms(), 1_000_000);
        advance(7_200_000);
        assert_eq!(now_ms(), 8_200_000);
        resume();
        let after = now_ms();
        assert!((8_200_000..8_300_000).contains(&after), "{after}");
    }
}
