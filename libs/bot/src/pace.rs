//! One bot's send budget for a campaign: at most the bot's cap (30 msg/s,
//! or 1,000 with paid broadcasts) in any sliding second, minus what the
//! bot's live conversations sent in that second. Live sends are counted in
//! the store (`note_live_send`) by whichever process makes them; the pacer
//! reads that counter once a second, so yielding costs one read per second,
//! not one per message.

use cartie_store::{Store, StoreError};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Slightly over a second: a send's arrival at Telegram lags its start by
/// a varying latency, and two sends a full window apart must not land in
/// the same second there.
const WINDOW: Duration = Duration::from_millis(1020);
const READ_LIVE_EVERY: Duration = Duration::from_secs(1);
/// After live traffic is seen, one send a second stays free for it.
const LIVE_RESERVE_FOR: Duration = Duration::from_secs(5);

pub struct Pacer {
    cap: u32,
    sent: VecDeque<Instant>,
    live: VecDeque<(Instant, u32)>,
    live_total: Option<u64>,
    next_read: Instant,
    reserve_until: Option<Instant>,
    hold_until: Option<Instant>,
}

impl Pacer {
    pub fn new(cap: u32) -> Pacer {
        Pacer {
            cap: cap.max(1),
            sent: VecDeque::new(),
            live: VecDeque::new(),
            live_total: None,
            next_read: Instant::now(),
            reserve_until: None,
            hold_until: None,
        }
    }

    /// Telegram said `retry_after`: nothing is sent by this bot until then.
    pub fn hold(&mut self, secs: u32) {
        self.hold_until = Some(Instant::now() + Duration::from_secs(u64::from(secs)));
        self.sent.clear();
    }

    /// How many sends fit in the current second now.
    fn budget(&self, now: Instant) -> usize {
        let live: u32 = self.live.iter().map(|(_, n)| n).sum();
        let reserve = u32::from(self.reserve_until.is_some_and(|r| now < r));
        self.cap.saturating_sub(live + reserve).max(1) as usize
    }

    /// Waits until `n` more messages fit, and counts them as sent now.
    pub async fn wait(&mut self, store: &Store, ws: &str, bot_id: i64, n: usize) -> Result<(), StoreError> {
        loop {
            let now = Instant::now();
            if now >= self.next_read {
                let total = store.live_sends(ws, bot_id).await?;
                if let Some(before) = self.live_total {
                    let d = total.saturating_sub(before);
                    if d > 0 {
                        self.live.push_back((now, d.min(u64::from(u32::MAX)) as u32));
                        self.reserve_until = Some(now + LIVE_RESERVE_FOR);
                    }
                }
                self.live_total = Some(total);
                self.next_read = now + READ_LIVE_EVERY;
            }
            if let Some(h) = self.hold_until {
                if now < h {
                    tokio::time::sleep(h - now).await;
                    continue;
                }
                self.hold_until = None;
            }
            while self.sent.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                self.sent.pop_front();
            }
            while self.live.front().is_some_and(|(t, _)| now.duration_since(*t) >= WINDOW) {
                self.live.pop_front();
            }
            let budget = self.budget(now);
            if self.sent.is_empty() || self.sent.len() + n <= budget {
                self.sent.extend(std::iter::repeat_n(now, n));
                return Ok(());
            }
            // Until enough of the window slides out (or the next live read).
            let must_leave = (self.sent.len() + n).saturating_sub(budget).clamp(1, self.sent.len());
            let until = self.sent[must_leave - 1] + WINDOW;
            let until = until.min(self.next_read).max(now + Duration::from_millis(1));
            tokio::time::sleep(until - now).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_sends_take_from_the_budget() {
        let mut p = Pacer::new(30);
        let now = Instant::now();
        assert_eq!(p.budget(now), 30);
        p.live.push_back((now, 4));
        p.reserve_until = Some(now + LIVE_RESERVE_FOR);
        assert_eq!(p.budget(now), 25, "4 live sends and one kept free");
        p.live.clear();
        assert_eq!(p.budget(now + LIVE_RESERVE_FOR), 30, "the reserve ends");
        p.live.push_back((now, 100));
        assert_eq!(p.budget(now), 1, "a campaign never stops for good");
    }
}
