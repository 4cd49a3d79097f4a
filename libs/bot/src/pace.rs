//! One bot's send budget for a campaign: at most the bot's cap (30 msg/s,
//! or 1,000 with paid broadcasts) in any sliding second, minus what the
//! bot's live conversations sent in that second. Live sends are counted in
//! the store (`note_live_send`) by whichever process makes them, before
//! they go; the campaign's record transaction checks the count (no extra
//! request), and a live send waits a moment while a campaign is busy, so
//! the campaign gives way before the live send reaches Telegram.

use std::collections::{HashMap, VecDeque};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Pacers between chunks, by bot: the next chunk of a bot sent by this
/// process goes on from the last one's window instead of bursting.
static IDLE: LazyLock<Mutex<HashMap<i64, Pacer>>> = LazyLock::new(Mutex::default);

/// A bot's pacer for one chunk, handed back when the chunk is done.
pub struct Lease {
    bot_id: i64,
    pacer: Option<Pacer>,
}

/// The bot's pacer at `cap`. A pacer this process does not have yet (a
/// new instance) waits a full window first when the bot may have sent a
/// moment ago (`warm`: not the campaign's first chunk), so the window
/// Telegram counts never holds more than the cap.
pub fn lease(bot_id: i64, cap: u32, warm: bool) -> Lease {
    let kept = IDLE.lock().ok().and_then(|mut m| m.remove(&bot_id)).filter(|p| p.cap == cap.max(1));
    let pacer = kept.unwrap_or_else(|| {
        let mut p = Pacer::new(cap);
        if warm {
            p.hold_until = Some(Instant::now() + WINDOW);
        }
        p
    });
    Lease { bot_id, pacer: Some(pacer) }
}

impl std::ops::Deref for Lease {
    type Target = Pacer;
    fn deref(&self) -> &Pacer {
        self.pacer.as_ref().expect("a lease holds its pacer until dropped")
    }
}

impl std::ops::DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Pacer {
        self.pacer.as_mut().expect("a lease holds its pacer until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let (Some(p), Ok(mut m)) = (self.pacer.take(), IDLE.lock()) {
            m.insert(self.bot_id, p);
        }
    }
}

/// A second (and a hair): sends count from their answer, which comes after
/// Telegram counted them, so a slot reused a window later never lands in
/// the same second there.
const WINDOW: Duration = Duration::from_millis(1002);
/// Announced live sends keep their slots this long from when the sender
/// saw them: they go out after a give-way wait of under a second.
const LIVE_RESERVE_FOR: Duration = Duration::from_secs(2);

pub struct Pacer {
    cap: u32,
    /// When sends were answered: a send reaches Telegram before its answer
    /// comes back, so counting from the answer never undercounts Telegram's
    /// window, however the sends in flight interleave.
    sent: VecDeque<Instant>,
    in_flight: usize,
    live: VecDeque<(Instant, u32)>,
    live_total: Option<u64>,
    hold_until: Option<Instant>,
}

impl Pacer {
    pub fn new(cap: u32) -> Pacer {
        Pacer { cap: cap.max(1), sent: VecDeque::new(), in_flight: 0, live: VecDeque::new(), live_total: None, hold_until: None }
    }

    /// Telegram said `retry_after`: nothing is sent by this bot until then.
    pub fn hold(&mut self, secs: u32) {
        self.hold_until = Some(Instant::now() + Duration::from_secs(u64::from(secs)));
    }

    /// How many sends fit in the current second now.
    fn budget(&self, now: Instant) -> usize {
        let live: u32 = self.live.iter().filter(|(t, _)| now.duration_since(*t) < LIVE_RESERVE_FOR).map(|(_, n)| n).sum();
        self.cap.saturating_sub(live).max(1) as usize
    }

    /// Waits until `n` more messages fit, and counts them in flight.
    /// `Ok(false)` when only answers to the sends in flight can make room
    /// (the caller collects some, then asks again).
    pub async fn wait(&mut self, n: usize) -> bool {
        loop {
            let now = Instant::now();
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
            while self.live.front().is_some_and(|(t, _)| now.duration_since(*t) >= LIVE_RESERVE_FOR) {
                self.live.pop_front();
            }
            let budget = self.budget(now);
            let used = self.sent.len() + self.in_flight;
            if used == 0 || used + n <= budget {
                self.in_flight += n;
                return true;
            }
            // Answers to sends in flight free room (and must be taken in,
            // or their slots would look busy): the caller collects one.
            if self.in_flight > 0 {
                return false;
            }
            // Until enough of the window slides out (or the next live
            // read). More than the budget at once (an album while live chats
            // take most of it) waits for the whole window to empty.
            let leaving = (used + n - budget).min(self.sent.len()).max(1);
            let until = (self.sent[leaving - 1] + WINDOW).max(now + Duration::from_millis(1));
            tokio::time::sleep(until - now).await;
        }
    }

    /// The bot's live-send count the sender found (when it starts, and when
    /// a record says it moved): the new live sends keep their slots for
    /// [`LIVE_RESERVE_FOR`].
    pub fn saw_live(&mut self, total: u64) {
        let now = Instant::now();
        if let Some(before) = self.live_total {
            let d = total.saturating_sub(before);
            if d > 0 {
                let d = d.min(u64::from(u32::MAX)) as u32;
                self.live.push_back((now, d));
            }
        }
        self.live_total = Some(total);
    }

    /// The live-send count the sender last saw (none before the first look).
    pub fn live_seen(&self) -> Option<u64> {
        self.live_total
    }

    /// `n` sends in flight were answered: delivered ones now count in the
    /// window (a refused one, e.g. a 429, does not).
    pub fn answered(&mut self, n: usize, delivered: bool) {
        self.in_flight = self.in_flight.saturating_sub(n);
        if delivered {
            let now = Instant::now();
            self.sent.extend(std::iter::repeat_n(now, n));
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
        p.saw_live(10);
        assert_eq!(p.budget(now), 30, "the first look only sets where counting starts");
        p.saw_live(14);
        assert_eq!(p.budget(Instant::now()), 26, "4 announced live sends keep their slots");
        assert_eq!(p.budget(Instant::now() + LIVE_RESERVE_FOR), 30, "for a while");
        p.live.clear();
        p.live.push_back((now, 100));
        assert_eq!(p.budget(now), 1, "a campaign never stops for good");
    }
}
