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

use crate::outbound::{Chat, WAIT_INLINE_SECS};
use crate::BotError;
use cartie_domain::inbox::{Message, MessageKind};
use cartie_domain::jobs::Job;
use cartie_domain::partners::RequestStatus;
use cartie_domain::scenario::{self as engine, Effect, Incoming, Input, Scenario, Session, Waiting};
use cartie_platform::Services;
use cartie_store::inbox::CarRequest;
use cartie_store::inventory::ListingFilter;
use cartie_store::scenarios::SessionRecord;
use cartie_store::{util, StoreError};
use cartie_telegram::TgError;
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

fn encode<T: Serialize>(v: &T) -> Result<String, BotError> {
    serde_json::to_string(v).map_err(|e| BotError::Corrupt(e.to_string()))
}

/// The buyer's session as stored; a session that does not parse is a bug
/// or a schema drift: logged and surfaced, never silently restarted.
fn stored_session(rec: &SessionRecord) -> Result<Option<Session>, BotError> {
    match rec.session.as_deref() {
        None => Ok(None),
        Some(s) => serde_json::from_str(s).map(Some).map_err(|e| {
            tracing::error!(error = %e, "a stored scenario session does not parse");
            BotError::Corrupt(format!("scenario session: {e}"))
        }),
    }
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

async fn published_for_bot(svc: &Services, ws: &str, bot_id: i64) -> Result<Vec<Running>, BotError> {
    let mut out = Vec::new();
    let mut all = svc.store.scenarios(ws).await?;
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
/// (When, by the clock: tests move it rather than wait.)
static NONE_PUBLISHED: std::sync::LazyLock<std::sync::Mutex<HashMap<(String, i64), i64>>> = std::sync::LazyLock::new(|| std::sync::Mutex::new(HashMap::new()));
const NONE_PUBLISHED_FOR_MS: i64 = 5_000;

/// Published versions never change, so a worker keeps the ones it has read
/// (a few hundred at most) instead of reading them for every message.
type VersionKey = (String, String, u32);
static VERSIONS: std::sync::LazyLock<std::sync::Mutex<HashMap<VersionKey, std::sync::Arc<Scenario>>>> =
    std::sync::LazyLock::new(|| std::sync::Mutex::new(HashMap::new()));
const VERSIONS_KEPT: usize = 512;

async fn version(svc: &Services, ws: &str, id: &str, v: u32) -> Result<Option<std::sync::Arc<Scenario>>, BotError> {
    let key = (ws.to_string(), id.to_string(), v);
    if let Some(g) = VERSIONS.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(Some(g));
    }
    let Some(rec) = svc.store.scenario_version(ws, id, v).await? else { return Ok(None) };
    let graph = serde_json::from_str::<Scenario>(&rec.scenario).map_err(|e| {
        tracing::error!(error = %e, scenario = id, version = v, "a published scenario version does not parse");
        BotError::Corrupt(format!("scenario {id} version {v}: {e}"))
    })?;
    let graph = std::sync::Arc::new(graph);
    if let Ok(mut m) = VERSIONS.lock() {
        if m.len() >= VERSIONS_KEPT {
            m.clear(); // crude, and rare: a worker sees few scenarios
        }
        m.insert(key, graph.clone());
    }
    Ok(Some(graph))
}

async fn pinned(svc: &Services, ws: &str, session: &Session) -> Result<Option<std::sync::Arc<Scenario>>, BotError> {
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
pub async fn on_message(svc: &Services, ws: &str, msg: &Message, update_id: i64, handed_off: bool) -> Result<bool, BotError> {
    let (bot_id, chat_id) = (msg.bot_id, msg.chat_id);
    if handed_off {
        return Ok(true); // a person has this buyer; the bot stays quiet
    }
    if !may_have_scenarios(svc, ws, bot_id).await? {
        return Ok(false);
    }
    let published = published_for_bot(svc, ws, bot_id).await?;
    remember_published(ws, bot_id, !published.is_empty());
    if published.is_empty() {
        return Ok(false);
    }
    let key = format!("u{update_id}");
    let mut rec = svc.store.scenario_session(ws, bot_id, chat_id).await?;
    if rec.last_input == key {
        flush(svc, ws, bot_id, chat_id, rec).await?;
        return Ok(true);
    }
    let before = stored_session(&rec)?;
    let session: Option<Session> = before.clone().filter(|s: &Session| s.waiting != Waiting::Ended);
    let start_payload = crate::menu::start_payload(msg);
    // A campaign's "start scenario" button starts it over, whatever runs.
    let pressed = msg.callback_data.as_deref().and_then(cartie_domain::campaigns::scenario_of_callback);
    let outcome = match (pressed, start_payload, session) {
        (Some(id), _, _) => start_from_button(&published, msg, id),
        (None, start_payload, session) => match (start_payload, session) {
            // A running session takes the buyer's input, unless they /start over.
            (None, Some(s)) => match (pinned(svc, ws, &s).await?, input_of(msg)) {
                (Some(graph), Some(input)) => Some((s.scenario_id.clone(), s.version, engine::advance(&graph, s, input, roll()))),
                (Some(_), None) => None,
                // The version is gone (scenario deleted): fall back to triggers.
                (None, _) => start_by_trigger(&published, msg, None),
            },
            (payload, _) => start_by_trigger(&published, msg, payload),
        },
    };
    let Some((scenario_id, version, outcome)) = outcome else {
        return Ok(false);
    };
    let vars = (before.map(|s| s.vars).as_ref() != Some(&outcome.session.vars)).then(|| outcome.session.vars.clone());
    rec = decide(rec, &key, &scenario_id, version, outcome)?;
    svc.store.save_scenario_session(ws, bot_id, chat_id, &rec).await?;
    // The answers also live on the contact — the person who wrote, not the
    // chat (in a group they differ) — where managers look for them
    // (written only when an answer changed them).
    if let (Some(vars), Some(person)) = (vars, msg.from.as_ref()) {
        svc.store.set_contact_vars(ws, bot_id, person.id, &vars).await?;
    }
    flush(svc, ws, bot_id, chat_id, rec).await?;
    Ok(true)
}

/// Starts the published scenario `id` at its start trigger (or its first
/// trigger): a campaign button asked for it by id.
fn start_from_button(published: &[Running], msg: &Message, id: &str) -> Option<(String, u32, engine::Outcome)> {
    let s = published.iter().find(|s| s.id == id)?;
    let t = s.graph.triggers.iter().find(|t| t.kind == cartie_domain::scenario::TriggerKind::Start).or_else(|| s.graph.triggers.first())?;
    Some((s.id.clone(), s.version, engine::start(&s.graph, &s.id, s.version, &t.node, contact_vars(msg), roll())))
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
fn decide(mut rec: SessionRecord, key: &str, scenario_id: &str, version: u32, outcome: engine::Outcome) -> Result<SessionRecord, BotError> {
    rec.session = Some(encode(&outcome.session)?);
    rec.last_input = key.to_string();
    rec.pending.drain(..rec.done.min(rec.pending.len()));
    rec.done = 0;
    for effect in outcome.effects {
        let p = Pending { id: util::new_id(), effect, scenario_id: scenario_id.into(), version };
        rec.pending.push(encode(&p)?);
    }
    rec.rev += 1;
    Ok(rec)
}

/// A delay is over (or one 15-minute leg of a longer one).
pub async fn on_timer(svc: &Services, ws: &str, bot_id: i64, chat_id: i64, token: u64, due_ms: i64) -> Result<(), BotError> {
    let left_ms = due_ms - util::now_ms();
    if left_ms > 1000 {
        let job = Job::ScenarioTimer { workspace_id: ws.into(), bot_id, chat_id, token, due_ms };
        return Ok(schedule(svc, ws, &format!("TIMER#{bot_id}#{chat_id}#{token}"), due_ms, &job).await?);
    }
    let key = format!("t{token}");
    let rec = svc.store.scenario_session(ws, bot_id, chat_id).await?;
    if rec.last_input == key {
        return flush(svc, ws, bot_id, chat_id, rec).await;
    }
    let Some(session) = stored_session(&rec)? else { return Ok(()) };
    if session.waiting != (Waiting::Timer { token }) {
        return Ok(()); // the buyer restarted or the session ended: a stale timer
    }
    if svc.store.conversation(ws, bot_id, chat_id).await?.is_some_and(|c| c.handed_off(util::now_ms())) {
        return Ok(());
    }
    let Some(graph) = pinned(svc, ws, &session).await? else { return Ok(()) };
    let (id, version) = (session.scenario_id.clone(), session.version);
    let outcome = engine::advance(&graph, session, Input::TimerFired { token }, roll());
    let rec = decide(rec, &key, &id, version, outcome)?;
    svc.store.save_scenario_session(ws, bot_id, chat_id, &rec).await?;
    flush(svc, ws, bot_id, chat_id, rec).await
}

/// Queues `job` to run at `due_ms`: with an SQS delay when it is within
/// SQS's 15 minutes, else in the scheduler's due-minute buckets (`key`
/// makes scheduling the same thing twice one item).
pub async fn schedule(svc: &Services, ws: &str, key: &str, due_ms: i64, job: &Job) -> Result<(), StoreError> {
    cartie_platform::later::schedule(svc, ws, key, due_ms, job).await
}

/// Whether the bot may have published scenarios. Most bots have none, so
/// a worker remembers "none" for a few seconds (a first publish takes
/// effect within them) instead of reading the scenario list per message.
pub async fn may_have_scenarios(_svc: &Services, ws: &str, bot_id: i64) -> Result<bool, BotError> {
    let key = (ws.to_string(), bot_id);
    let known_none =
        NONE_PUBLISHED.lock().ok().and_then(|m| m.get(&key).copied()).is_some_and(|at| (0..NONE_PUBLISHED_FOR_MS).contains(&(util::now_ms() - at)));
    Ok(!known_none)
}

/// Learns whether a bot has published scenarios (see [`may_have_scenarios`]).
pub async fn has_scenarios(svc: &Services, ws: &str, bot_id: i64) -> Result<bool, BotError> {
    if !may_have_scenarios(svc, ws, bot_id).await? {
        return Ok(false);
    }
    let any = !published_for_bot(svc, ws, bot_id).await?.is_empty();
    remember_published(ws, bot_id, any);
    Ok(any)
}

fn remember_published(ws: &str, bot_id: i64, any: bool) {
    if let Ok(mut m) = NONE_PUBLISHED.lock() {
        let key = (ws.to_string(), bot_id);
        if any {
            m.remove(&key);
        } else {
            if m.len() > 10_000 {
                m.clear();
            }
            m.insert(key, util::now_ms());
        }
    }
}

/// Performs the outbox from its `done` mark, saving the mark after each
/// effect. A search's results go back into the engine, whose new effects
/// join the outbox.
async fn flush(svc: &Services, ws: &str, bot_id: i64, chat_id: i64, mut rec: SessionRecord) -> Result<(), BotError> {
    if rec.done >= rec.pending.len() {
        return Ok(());
    }
    let Some(bot) = svc.store.bot(ws, bot_id).await? else { return Ok(()) };
    let token = svc.data_key.open(&bot.token_sealed).map_err(BotError::Sealed)?;
    let chat = Chat { svc, ws, bot_id, chat_id, token, sent_by: "Scenario" };
    // The bot menu's persistent keyboard comes back whenever a scenario
    // message brings no keyboard of its own (or drops a question's).
    let menu_keyboard = crate::menu::menu_keyboard(svc, ws, bot_id).await?;
    let mut graphs: HashMap<(String, u32), std::sync::Arc<Scenario>> = HashMap::new();
    while rec.done < rec.pending.len() {
        let p: Pending = serde_json::from_str(&rec.pending[rec.done]).map_err(|e| BotError::Corrupt(format!("scenario outbox: {e}")))?;
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
                            svc.store.set_blocked(ws, bot_id, chat_id, true).await?;
                            rec.done = rec.pending.len(); // nobody to talk to
                            rec.rev += 1;
                            return Ok(svc.store.save_scenario_session(ws, bot_id, chat_id, &rec).await?);
                        }
                        // Telegram will refuse this message every time (too
                        // long, a bad file): the flow goes on without it.
                        Err(TgError::Refused(why)) => tracing::warn!(reason = %why, chat_id, "scenario message refused by Telegram; skipped"),
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            Effect::Search(q) => {
                let page = svc.store.listings(ws, &ListingFilter::for_search(q), usize::from(q.limit.clamp(1, 10)), None).await?;
                for l in &page.items {
                    chat.card(&l.car, "", None).await?;
                }
                let session = stored_session(&rec)?;
                if let Some(session) = session.filter(|s| s.waiting == Waiting::Search) {
                    let key = (p.scenario_id.clone(), p.version);
                    if !graphs.contains_key(&key) {
                        if let Some(g) = pinned(svc, ws, &session).await? {
                            graphs.insert(key.clone(), g);
                        }
                    }
                    if let Some(g) = graphs.get(&key) {
                        more =
                            Some(engine::advance(g, session, Input::SearchResults { listing_ids: page.items.iter().map(|l| l.id.clone()).collect() }, roll()));
                    }
                }
            }
            Effect::Offer { listing_id, text, button } => match svc.store.listing(ws, listing_id).await? {
                Some(l) => {
                    let markup = button.as_ref().map(|(label, data)| serde_json::json!({ "inline_keyboard": [[{ "text": label, "callback_data": data }]] }));
                    chat.card(&l.car, text, markup).await?;
                }
                None => tracing::info!(listing_id, "offer skipped: the car is no longer in stock"),
            },
            Effect::CreateRequest(d) => {
                let wanted = cartie_domain::b2b::Wanted {
                    make: d.make.clone(),
                    model: Some(d.model.clone()).filter(|m| !m.is_empty()),
                    year_from: d.year_min,
                    year_to: None,
                    budget: d.budget_max,
                    currency: "EUR".into(),
                    max_mileage_km: None,
                    fuel: None,
                    transmission: None,
                    body: None,
                    color: None,
                };
                let mut r = CarRequest::new(ws, p.id.clone(), wanted, Default::default(), RequestStatus::Open, "Scenario");
                r.conversation = Some(cartie_store::inbox::conversation_id(bot_id, chat_id));
                svc.store.create_request(&r).await?;
                svc.queues.send("jobs", &cartie_domain::jobs::Job::MatchRequest { workspace_id: ws.into(), request_id: r.id.clone() }).await?;
            }
            Effect::ChannelPost { channel, text, media } => {
                let out = engine::Outgoing { text: text.clone(), media: media.clone(), buttons: vec![], keyboard: engine::OutKeyboard::None };
                if let Some(reply) = cartie_telegram::scenario::reply(&out) {
                    let mut posted = svc.telegram.post_to_channel(&chat.token, bot_id, channel, &reply).await;
                    if let Err(TgError::RetryAfter(s)) = posted {
                        if s > WAIT_INLINE_SECS {
                            return Err(BotError::RetryAfter(s)); // this post stays pending
                        }
                        tokio::time::sleep(std::time::Duration::from_secs(u64::from(s))).await;
                        posted = svc.telegram.post_to_channel(&chat.token, bot_id, channel, &reply).await;
                    }
                    match posted {
                        Ok(_) => {}
                        Err(TgError::Network(m)) => return Err(BotError::Telegram(TgError::Network(m))),
                        Err(TgError::RetryAfter(s)) => return Err(BotError::RetryAfter(s)),
                        // The dealer's channel set-up is wrong; the buyer's flow goes on.
                        Err(e) => tracing::warn!(error = %e, channel, "scenario channel post refused"),
                    }
                }
            }
            Effect::Handoff { quiet_minutes } => {
                let until = if *quiet_minutes == 0 { i64::MAX } else { util::now_ms() + i64::from(*quiet_minutes) * 60_000 };
                match svc.store.set_handoff(ws, bot_id, chat_id, Some(until)).await {
                    Ok(()) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Effect::Timer { seconds, token } => {
                let due_ms = util::now_ms() + (*seconds as i64).saturating_mul(1000);
                let job = Job::ScenarioTimer { workspace_id: ws.into(), bot_id, chat_id, token: *token, due_ms };
                schedule(svc, ws, &format!("TIMER#{bot_id}#{chat_id}#{token}"), due_ms, &job).await?;
            }
            Effect::Entered(node) => svc.store.count_nodes(ws, &p.scenario_id, p.version, std::slice::from_ref(node), &[]).await?,
            Effect::Completed(node) => svc.store.count_nodes(ws, &p.scenario_id, p.version, &[], std::slice::from_ref(node)).await?,
            Effect::SplitPick { node, branch } => svc.store.count_split(ws, &p.scenario_id, p.version, node, *branch).await?,
            Effect::Ended => {}
        }
        rec.done += 1;
        if let Some(o) = more {
            rec.session = Some(encode(&o.session)?);
            for effect in o.effects {
                let np = Pending { id: util::new_id(), effect, scenario_id: p.scenario_id.clone(), version: p.version };
                rec.pending.push(encode(&np)?);
            }
        }
        rec.rev += 1;
        svc.store.save_scenario_session(ws, bot_id, chat_id, &rec).await?;
    }
    Ok(())
}
