//! Runs the bot's scenarios for one conversation: picks the trigger or the
//! buyer's running session, lets the pure engine decide, and performs what
//! it decided (send, search stock, create a request, post, hand off, wait).
//!
//! At least once, never twice on a retry: a decision is stored with the
//! session before anything is performed — the new session, the key of the
//! input it answered (`u{update_id}` or `t{token}`) and its effects as an
//! outbox — and each performed effect moves the outbox's `done` mark. A
//! redelivered input finds its key stored and performs only what is left.
//! Only a crash between a send and its mark can repeat that one message.

use std::collections::{BTreeMap, HashMap};

use cartie_apikit::Services;
use cartie_domain::inbox::{Message, MessageKind};
use cartie_domain::jobs::Job;
use cartie_domain::scenario::{self as engine, Effect, Incoming, Input, Scenario, Session, Waiting};
use cartie_store::inbox::CarRequest;
use cartie_store::inventory::ListingFilter;
use cartie_store::scenarios::SessionRecord;
use cartie_store::{util, StoreError};
use cartie_telegram::{Reply, TgError};
use serde::{Deserialize, Serialize};

/// One effect of the outbox, with an id fixed when it was decided (so a
/// request created on a retry is the same request).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    id: String,
    effect: Effect,
    /// The scenario and version the effect belongs to (for the counters).
    scenario_id: String,
    version: u32,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn roll() -> u32 {
    u32::from_le_bytes(util::random_bytes::<4>())
}

/// A published scenario version, parsed.
struct Running {
    id: String,
    version: u32,
    graph: std::sync::Arc<Scenario>,
}

async fn published_for_bot(svc: &Services, ws: &str, bot_id: i64) -> Result<Vec<Running>, String> {
    let mut out = Vec::new();
    let mut all = svc.store.scenarios(ws).await.map_err(err)?;
    all.sort_by_key(|s| s.created_at_ms);
    for s in all.into_iter().filter(|s| s.runs_on(bot_id)) {
        let Some(v) = s.published_version else { continue };
        if let Some(graph) = version(svc, ws, &s.id, v).await? {
            out.push(Running { id: s.id, version: v, graph });
        }
    }
    Ok(out)
}

/// Bots seen with no published scenario, and when (see `on_message`).
static NONE_PUBLISHED: std::sync::LazyLock<std::sync::Mutex<HashMap<(String, i64), std::time::Instant>>> =
    std::sync::LazyLock::new(|| std::sync::Mutex::new(HashMap::new()));
const NONE_PUBLISHED_FOR: std::time::Duration = std::time::Duration::from_secs(5);

/// Published versions never change, so a worker keeps the ones it has read
/// (a few hundred at most) instead of reading them for every message.
type VersionKey = (String, String, u32);
static VERSIONS: std::sync::LazyLock<std::sync::Mutex<HashMap<VersionKey, std::sync::Arc<Scenario>>>> =
    std::sync::LazyLock::new(|| std::sync::Mutex::new(HashMap::new()));
const VERSIONS_KEPT: usize = 512;

async fn version(svc: &Services, ws: &str, id: &str, v: u32) -> Result<Option<std::sync::Arc<Scenario>>, String> {
    let key = (ws.to_string(), id.to_string(), v);
    if let Some(g) = VERSIONS.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(Some(g));
    }
    let Some(rec) = svc.store.scenario_version(ws, id, v).await.map_err(err)? else { return Ok(None) };
    let Ok(graph) = serde_json::from_str::<Scenario>(&rec.scenario) else { return Ok(None) };
    let graph = std::sync::Arc::new(graph);
    if let Ok(mut m) = VERSIONS.lock() {
        if m.len() >= VERSIONS_KEPT {
            m.clear(); // crude, and rare: a worker sees few scenarios
        }
        m.insert(key, graph.clone());
    }
    Ok(Some(graph))
}

async fn pinned(svc: &Services, ws: &str, session: &Session) -> Result<Option<std::sync::Arc<Scenario>>, String> {
    version(svc, ws, &session.scenario_id, session.version).await
}

fn contact_vars(msg: &Message) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    if let Some(p) = &msg.from {
        vars.insert("first_name".to_string(), p.first_name.clone());
        if let Some(u) = &p.username {
            vars.insert("username".to_string(), u.clone());
        }
    }
    vars
}

/// What the buyer did, as engine input for a running session.
fn input_of(msg: &Message) -> Option<Input> {
    match msg.kind {
        MessageKind::Text => msg.text.clone().map(Input::Text),
        MessageKind::Callback => msg.callback_data.clone().map(Input::Callback),
        MessageKind::Contact => msg.contact_phone.clone().map(Input::Phone),
        MessageKind::Location => Some(Input::Location { lat: msg.latitude?, lon: msg.longitude? }),
        _ => None,
    }
}

/// Reacts to a buyer's message with the bot's scenarios. `Ok(true)` when a
/// scenario handled it (or the conversation is with a person), so the plain
/// auto-reply stays out of the way.
/// `handed_off`: the conversation (as the worker just read it) is with a
/// person.
pub async fn on_message(svc: &Services, ws: &str, msg: &Message, update_id: i64, handed_off: bool) -> Result<bool, String> {
    let (bot_id, chat_id) = (msg.bot_id, msg.chat_id);
    if handed_off {
        return Ok(true); // a person has this buyer; the bot stays quiet
    }
    // A bot with no published scenario has nothing to run (a session on a
    // scenario deleted since ends with it). Most bots have none, so that
    // answer is kept for a few seconds: a first publish takes effect within
    // them.
    let none_key = (ws.to_string(), bot_id);
    let known_none = NONE_PUBLISHED.lock().ok().and_then(|m| m.get(&none_key).copied()).is_some_and(|at| at.elapsed() < NONE_PUBLISHED_FOR);
    if known_none {
        return Ok(false);
    }
    let published = published_for_bot(svc, ws, bot_id).await?;
    if let Ok(mut m) = NONE_PUBLISHED.lock() {
        if published.is_empty() {
            if m.len() > 10_000 {
                m.clear();
            }
            m.insert(none_key, std::time::Instant::now());
        } else {
            m.remove(&none_key);
        }
    }
    if published.is_empty() {
        return Ok(false);
    }
    let key = format!("u{update_id}");
    let mut rec = svc.store.scenario_session(ws, bot_id, chat_id).await.map_err(err)?;
    if rec.last_input == key {
        flush(svc, ws, bot_id, chat_id, rec).await?;
        return Ok(true);
    }
    let session: Option<Session> = rec.session.as_deref().and_then(|s| serde_json::from_str(s).ok()).filter(|s: &Session| s.waiting != Waiting::Ended);
    let start_payload = crate::start_payload(msg);
    let outcome = match (start_payload, session) {
        // A running session takes the buyer's input, unless they /start over.
        (None, Some(s)) => match (pinned(svc, ws, &s).await?, input_of(msg)) {
            (Some(graph), Some(input)) => Some((s.scenario_id.clone(), s.version, engine::advance(&graph, s, input, roll()))),
            (Some(_), None) => None,
            // The version is gone (scenario deleted): fall back to triggers.
            (None, _) => start_by_trigger(&published, msg, None),
        },
        (payload, _) => start_by_trigger(&published, msg, payload),
    };
    let Some((scenario_id, version, outcome)) = outcome else {
        return Ok(false);
    };
    let before: Option<Session> = rec.session.as_deref().and_then(|s| serde_json::from_str(s).ok());
    let vars = (before.map(|s| s.vars).as_ref() != Some(&outcome.session.vars)).then(|| outcome.session.vars.clone());
    rec = decide(rec, &key, &scenario_id, version, outcome)?;
    svc.store.save_scenario_session(ws, bot_id, chat_id, &rec).await.map_err(err)?;
    // The answers also live on the contact, where managers look for them
    // (written only when an answer changed them).
    if let Some(vars) = vars {
        svc.store.set_contact_vars(ws, bot_id, chat_id, &vars).await.map_err(err)?;
    }
    flush(svc, ws, bot_id, chat_id, rec).await?;
    Ok(true)
}

fn start_by_trigger(published: &[Running], msg: &Message, payload: Option<Option<String>>) -> Option<(String, u32, engine::Outcome)> {
    let text = msg.text.clone().unwrap_or_default();
    let data = msg.callback_data.clone().unwrap_or_default();
    let incoming = match (&payload, msg.kind) {
        (Some(p), _) => Incoming::Start { payload: p.as_deref().unwrap_or("") },
        (None, MessageKind::Callback) => Incoming::Callback(&data),
        (None, MessageKind::Text) => Incoming::Text(&text),
        _ => return None,
    };
    published.iter().find_map(|s| {
        let t = engine::find_trigger(&s.graph, &incoming)?;
        Some((s.id.clone(), s.version, engine::start(&s.graph, &s.id, s.version, &t.node, contact_vars(msg), roll())))
    })
}

/// The session record after a decision: new session, the input's key, and
/// its effects queued after whatever is still pending.
fn decide(mut rec: SessionRecord, key: &str, scenario_id: &str, version: u32, outcome: engine::Outcome) -> Result<SessionRecord, String> {
    rec.session = Some(serde_json::to_string(&outcome.session).map_err(err)?);
    rec.last_input = key.to_string();
    rec.pending.drain(..rec.done.min(rec.pending.len()));
    rec.done = 0;
    for effect in outcome.effects {
        let p = Pending { id: util::new_id(), effect, scenario_id: scenario_id.into(), version };
        rec.pending.push(serde_json::to_string(&p).map_err(err)?);
    }
    rec.rev += 1;
    Ok(rec)
}

/// A delay is over (or one 15-minute leg of a longer one).
pub async fn on_timer(svc: &Services, ws: &str, bot_id: i64, chat_id: i64, token: u64, due_ms: i64) -> Result<(), String> {
    let left_ms = due_ms - util::now_ms();
    if left_ms > 1000 {
        let job = Job::ScenarioTimer { workspace_id: ws.into(), bot_id, chat_id, token, due_ms };
        return svc.queues.send_delayed("jobs", &job, ((left_ms + 999) / 1000).min(900) as u32).await.map_err(err);
    }
    let key = format!("t{token}");
    let rec = svc.store.scenario_session(ws, bot_id, chat_id).await.map_err(err)?;
    if rec.last_input == key {
        return flush(svc, ws, bot_id, chat_id, rec).await;
    }
    let Some(session) = rec.session.as_deref().and_then(|s| serde_json::from_str::<Session>(s).ok()) else { return Ok(()) };
    if session.waiting != (Waiting::Timer { token }) {
        return Ok(()); // the buyer restarted or the session ended: a stale timer
    }
    if svc.store.conversation(ws, bot_id, chat_id).await.map_err(err)?.is_some_and(|c| c.handed_off(util::now_ms())) {
        return Ok(());
    }
    let Some(graph) = pinned(svc, ws, &session).await? else { return Ok(()) };
    let (id, version) = (session.scenario_id.clone(), session.version);
    let outcome = engine::advance(&graph, session, Input::TimerFired { token }, roll());
    let rec = decide(rec, &key, &id, version, outcome)?;
    svc.store.save_scenario_session(ws, bot_id, chat_id, &rec).await.map_err(err)?;
    flush(svc, ws, bot_id, chat_id, rec).await
}

struct Chat<'a> {
    svc: &'a Services,
    ws: &'a str,
    bot_id: i64,
    chat_id: i64,
    token: String,
}

impl Chat<'_> {
    /// Sends and records one message; a 429 waits as Telegram asks, once.
    async fn send(&self, reply: &Reply) -> Result<Message, TgError> {
        let sent = match self.svc.telegram.send(&self.token, self.bot_id, self.chat_id, reply).await {
            Err(TgError::RetryAfter(s)) => {
                tokio::time::sleep(std::time::Duration::from_secs(u64::from(s))).await;
                self.svc.telegram.send(&self.token, self.bot_id, self.chat_id, reply).await
            }
            other => other,
        }?;
        let sent = Message { sent_by: Some("Scenario".into()), ..sent };
        if let Err(e) = self.svc.store.record_message(self.ws, &sent, None, None).await {
            tracing::warn!(error = %e, "a scenario message was sent but not stored");
        }
        Ok(sent)
    }

    /// A car as a card: its first photo with the facts as the caption, or
    /// the facts alone when there is no usable photo. A photo is fetched
    /// SSRF-safely and uploaded once per bot (never fetched by Telegram);
    /// later cards re-send Telegram's `file_id` of it.
    async fn card(&self, car: &cartie_domain::inventory::ListingInput, intro: &str, markup: Option<serde_json::Value>) -> Result<(), TgError> {
        let facts = cartie_domain::inventory::card_text(car);
        let text = if intro.trim().is_empty() { facts } else { format!("{}\n\n{facts}", intro.trim()) };
        let caption: String = text.chars().take(cartie_domain::inbox::MAX_CAPTION).collect();
        let photo = |media| Reply { kind: MessageKind::Photo, text: None, caption: Some(caption.clone()), media: Some(media), reply_markup: markup.clone(), reply_to: None };
        if let Some(url) = car.photos.first() {
            let known = self.svc.store.telegram_photo(self.ws, self.bot_id, url).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "photo cache unreadable");
                None
            });
            if let Some(file_id) = known {
                match self.send(&photo(cartie_telegram::Media::FileId(file_id))).await {
                    Ok(_) => return Ok(()),
                    // Telegram forgot the file: upload it again below.
                    Err(TgError::Refused(m)) => tracing::info!(reason = %m, url, "cached car photo refused; uploading again"),
                    Err(e) => return Err(e),
                }
            }
            let limits = cartie_parser::fetch::FetchLimits { max_bytes: 10 * 1024 * 1024, allowed_hosts_for_tests: self.svc.parser_allow_hosts.clone(), ..Default::default() };
            match cartie_parser::fetch::fetch_image(url, &limits).await {
                Ok(img) => {
                    let sent = self.send(&photo(cartie_telegram::Media::Upload { bytes: img.bytes.into(), file_name: "car.jpg".into() })).await?;
                    if let Some(file_id) = sent.file_id.as_deref() {
                        if let Err(e) = self.svc.store.remember_telegram_photo(self.ws, self.bot_id, url, file_id).await {
                            tracing::warn!(error = %e, "photo cache not written");
                        }
                    }
                    return Ok(());
                }
                Err(e) => tracing::info!(error = %e, url, "car photo not usable; sending the card as text"),
            }
        }
        self.send(&Reply { reply_markup: markup, ..Reply::text(text) }).await.map(|_| ())
    }
}

/// Performs the outbox from its `done` mark, saving the mark after each
/// effect. A search's results go back into the engine, whose new effects
/// join the outbox.
async fn flush(svc: &Services, ws: &str, bot_id: i64, chat_id: i64, mut rec: SessionRecord) -> Result<(), String> {
    if rec.done >= rec.pending.len() {
        return Ok(());
    }
    let Some(bot) = svc.store.bot(ws, bot_id).await.map_err(err)? else { return Ok(()) };
    let chat = Chat { svc, ws, bot_id, chat_id, token: svc.data_key.open(&bot.token_sealed)? };
    // The bot menu's persistent keyboard comes back whenever a scenario
    // message brings no keyboard of its own (or drops a question's).
    let menu_keyboard = crate::menu_keyboard(svc, ws, bot_id).await?;
    let mut graphs: HashMap<(String, u32), std::sync::Arc<Scenario>> = HashMap::new();
    while rec.done < rec.pending.len() {
        let p: Pending = serde_json::from_str(&rec.pending[rec.done]).map_err(err)?;
        let mut more: Option<engine::Outcome> = None;
        match &p.effect {
            Effect::Send(out) => {
                if let Some(mut reply) = cartie_telegram::scenario::reply(out) {
                    if matches!(out.keyboard, engine::OutKeyboard::None | engine::OutKeyboard::Remove) && menu_keyboard.is_some() {
                        reply.reply_markup = menu_keyboard.clone();
                    }
                    match chat.send(&reply).await {
                        Ok(_) => {}
                        Err(TgError::Blocked) => {
                            svc.store.set_blocked(ws, bot_id, chat_id, true).await.map_err(err)?;
                            rec.done = rec.pending.len(); // nobody to talk to
                            rec.rev += 1;
                            return svc.store.save_scenario_session(ws, bot_id, chat_id, &rec).await.map_err(err);
                        }
                        Err(e) => return Err(format!("scenario message not delivered: {e}")),
                    }
                }
            }
            Effect::Search(q) => {
                let page = svc.store.listings(ws, &ListingFilter::for_search(q), usize::from(q.limit.clamp(1, 10)), None).await.map_err(err)?;
                for l in &page.items {
                    chat.card(&l.car, "", None).await.map_err(err)?;
                }
                let session: Option<Session> = rec.session.as_deref().and_then(|s| serde_json::from_str(s).ok());
                if let Some(session) = session.filter(|s| s.waiting == Waiting::Search) {
                    let key = (p.scenario_id.clone(), p.version);
                    if !graphs.contains_key(&key) {
                        if let Some(g) = pinned(svc, ws, &session).await? {
                            graphs.insert(key.clone(), g);
                        }
                    }
                    if let Some(g) = graphs.get(&key) {
                        more = Some(engine::advance(g, session, Input::SearchResults { listing_ids: page.items.iter().map(|l| l.id.clone()).collect() }, roll()));
                    }
                }
            }
            Effect::Offer { listing_id, text, button } => match svc.store.listing(ws, listing_id).await.map_err(err)? {
                Some(l) => {
                    let markup = button.as_ref().map(|(label, data)| serde_json::json!({ "inline_keyboard": [[{ "text": label, "callback_data": data }]] }));
                    chat.card(&l.car, text, markup).await.map_err(err)?;
                }
                None => tracing::info!(listing_id, "offer skipped: the car is no longer in stock"),
            },
            Effect::CreateRequest(d) => {
                let r = CarRequest {
                    workspace_id: ws.into(),
                    id: p.id.clone(),
                    make: d.make.clone(),
                    model: Some(d.model.clone()).filter(|m| !m.is_empty()),
                    year_from: d.year_min,
                    year_to: None,
                    budget: d.budget_max,
                    currency: "EUR".into(),
                    priority: "normal".into(),
                    status: "open".into(),
                    conversation: Some(cartie_store::inbox::conversation_id(bot_id, chat_id)),
                    created_by: "Scenario".into(),
                    created_at_ms: util::now_ms(),
                };
                svc.store.create_request(&r).await.map_err(err)?;
            }
            Effect::ChannelPost { channel, text, media } => {
                let out = engine::Outgoing { text: text.clone(), media: media.clone(), buttons: vec![], keyboard: engine::OutKeyboard::None };
                if let Some(reply) = cartie_telegram::scenario::reply(&out) {
                    let mut posted = svc.telegram.post_to_channel(&chat.token, bot_id, channel, &reply).await;
                    if let Err(TgError::RetryAfter(s)) = posted {
                        tokio::time::sleep(std::time::Duration::from_secs(u64::from(s))).await;
                        posted = svc.telegram.post_to_channel(&chat.token, bot_id, channel, &reply).await;
                    }
                    if let Err(e) = posted {
                        // The dealer's channel set-up is wrong; the buyer's flow goes on.
                        tracing::warn!(error = %e, channel, "scenario channel post refused");
                    }
                }
            }
            Effect::Handoff { quiet_minutes } => {
                let until = if *quiet_minutes == 0 { i64::MAX } else { util::now_ms() + i64::from(*quiet_minutes) * 60_000 };
                match svc.store.set_handoff(ws, bot_id, chat_id, Some(until)).await {
                    Ok(()) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(err(e)),
                }
            }
            Effect::Timer { seconds, token } => {
                let due_ms = util::now_ms() + (*seconds as i64).saturating_mul(1000);
                let job = Job::ScenarioTimer { workspace_id: ws.into(), bot_id, chat_id, token: *token, due_ms };
                if *seconds <= 900 {
                    svc.queues.send_delayed("jobs", &job, *seconds as u32).await.map_err(err)?;
                } else {
                    // Beyond SQS's 15 minutes: the scheduler queues it when due.
                    let job = serde_json::to_string(&job).map_err(err)?;
                    svc.store.schedule_due(ws, &format!("TIMER#{bot_id}#{chat_id}#{token}"), due_ms, &job).await.map_err(err)?;
                }
            }
            Effect::Entered(node) => svc.store.count_nodes(ws, &p.scenario_id, p.version, std::slice::from_ref(node), &[]).await.map_err(err)?,
            Effect::Completed(node) => svc.store.count_nodes(ws, &p.scenario_id, p.version, &[], std::slice::from_ref(node)).await.map_err(err)?,
            Effect::SplitPick { node, branch } => svc.store.count_split(ws, &p.scenario_id, p.version, node, *branch).await.map_err(err)?,
            Effect::Ended => {}
        }
        rec.done += 1;
        if let Some(o) = more {
            rec.session = Some(serde_json::to_string(&o.session).map_err(err)?);
            for effect in o.effects {
                let np = Pending { id: util::new_id(), effect, scenario_id: p.scenario_id.clone(), version: p.version };
                rec.pending.push(serde_json::to_string(&np).map_err(err)?);
            }
        }
        rec.rev += 1;
        svc.store.save_scenario_session(ws, bot_id, chat_id, &rec).await.map_err(err)?;
    }
    Ok(())
}
