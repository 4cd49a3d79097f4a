//! The scenario engine: moves one buyer's session through a scenario graph.
//! Pure: it returns effects (send this, search that, wake me in an hour) and
//! the update worker performs them, then feeds back what happened through
//! `advance`. Nothing here panics on what a buyer or a dealer typed.
//!
//! Versions: a session is pinned to the version it started on
//! (`Session::version`). `advance` only reads the scenario it is given, so
//! the driver must load `session.scenario_id` at `session.version`, not the
//! newest published version.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::*;

/// Most node visits in one `start`/`advance` call: a safety net against
/// loops that validation should already have refused.
pub(crate) const MAX_VISITS: usize = 100;

/// One buyer's place in one scenario version; stored per contact in DynamoDB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub scenario_id: String,
    /// The version is pinned at start: publishing a new version does not move conversations in flight.
    pub version: u32,
    /// The node waiting for input; None once ended.
    pub at: Option<NodeId>,
    pub waiting: Waiting,
    pub vars: BTreeMap<String, String>,
    /// Incremented on every advance; timer tokens come from it so a stale timer is ignored.
    /// It starts from the start call's `roll` (shifted left by 20 bits), so a
    /// timer left over from an earlier session of the same buyer does not
    /// match, while staying below 2^53 (exact as a JavaScript number, since
    /// the test chat round-trips sessions through the browser).
    pub seq: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Waiting {
    Ended,
    /// A question waits for its answer.
    Answer,
    /// A message or an offer waits for a press on one of its buttons.
    Button,
    /// An ask-contact step waits for the phone or the location.
    Contact,
    /// A delay waits for its timer; other tokens are stale.
    Timer {
        token: u64,
    },
    /// A search waits for the driver's results.
    Search,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Text(String),
    Callback(String),
    Phone(String),
    Location { lat: f64, lon: f64 },
    TimerFired { token: u64 },
    SearchResults { listing_ids: Vec<String> },
}

/// What the buyer wrote that may start a scenario (when not inside one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Incoming<'a> {
    Start { payload: &'a str },
    Text(&'a str),
    Callback(&'a str),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    pub text: String,
    pub media: Option<Media>,
    pub buttons: Vec<OutButton>,
    pub keyboard: OutKeyboard,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OutButton {
    Callback { label: String, data: String },
    Url { label: String, url: String },
    Text { label: String },
    RequestContact { label: String },
    RequestLocation { label: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutKeyboard {
    /// No buttons; leave the keyboard as it is.
    None,
    Inline,
    Reply,
    /// Remove a reply keyboard shown earlier.
    Remove,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub make: Option<String>,
    pub model: Option<String>,
    pub budget_max: Option<i64>,
    pub year_min: Option<i32>,
    pub limit: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestDraft {
    pub make: String,
    pub model: String,
    pub year_min: Option<i32>,
    pub budget_max: Option<i64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    Send(Outgoing),
    /// The driver searches stock, sends the cards, then calls advance with Input::SearchResults.
    Search(SearchQuery),
    CreateRequest(RequestDraft),
    ChannelPost {
        channel: String,
        text: String,
        media: Option<Media>,
    },
    /// The driver looks the listing up and sends the car card; `button` = (label, callback data) when a press is awaited.
    Offer {
        listing_id: String,
        text: String,
        button: Option<(String, String)>,
    },
    /// Flag the conversation for a human; bot quiet for quiet_minutes (0 = until released).
    Handoff {
        quiet_minutes: u32,
    },
    /// Call advance with Input::TimerFired { token } after `seconds`.
    Timer {
        seconds: u64,
        token: u64,
    },
    Entered(NodeId),
    Completed(NodeId),
    SplitPick {
        node: NodeId,
        branch: usize,
    },
    /// The scenario ended for this buyer.
    Ended,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub session: Session,
    pub effects: Vec<Effect>,
}

/// The trigger that `incoming` fires, if any (start with exact payload beats start with empty payload; keywords are whole words, case-insensitive; menu matches the label exactly ignoring case and surrounding spaces; callback matches the data exactly).
pub fn find_trigger<'s>(scenario: &'s Scenario, incoming: &Incoming) -> Option<&'s Trigger> {
    let of_kind = |kind: TriggerKind| scenario.triggers.iter().filter(move |t| t.kind == kind);
    match *incoming {
        Incoming::Start { payload } => {
            let payload = payload.trim();
            of_kind(TriggerKind::Start)
                .find(|t| !t.value.is_empty() && t.value == payload)
                .or_else(|| of_kind(TriggerKind::Start).find(|t| t.value.trim().is_empty()))
        }
        // A menu label is the more specific match, so it goes before keywords.
        Incoming::Text(text) => of_kind(TriggerKind::Menu).find(|t| !t.value.trim().is_empty() && same_text(&t.value, text)).or_else(|| {
            let said = words(text);
            of_kind(TriggerKind::Keyword).find(|t| keywords(&t.value).iter().any(|k| contains_words(&said, k)))
        }),
        Incoming::Callback(data) => of_kind(TriggerKind::Callback).find(|t| !t.value.is_empty() && t.value == data),
    }
}

/// Starts a session at `node` and runs until it waits or ends. `vars` are the contact's known variables (first_name, username, phone, ...). `roll` is a random number for A/B splits (the driver passes a fresh random u32).
pub fn start(scenario: &Scenario, scenario_id: &str, version: u32, node: &str, vars: BTreeMap<String, String>, roll: u32) -> Outcome {
    start_checked(scenario, scenario_id, version, node, vars, roll).0
}

/// Feeds one input to a waiting session and runs until it waits again or ends. An input the node does not expect (e.g. a stale button of another node, a timer with an old token, text while waiting for a timer) changes nothing and returns no effects, except that text sent to a message or offer waiting for a press, or a wrong answer, gets the message or the question again.
///
/// The driver must pass the scenario at `session.version` (see the module
/// docs). If the session's node is missing there, or cannot wait for what the
/// session waits for, the session ends rather than leave the buyer stuck.
pub fn advance(scenario: &Scenario, session: Session, input: Input, roll: u32) -> Outcome {
    advance_checked(scenario, session, input, roll).0
}

/// `start`, also telling whether the 100-visit safety net was hit (tests
/// use it to show validation makes the net unreachable).
pub(crate) fn start_checked(scenario: &Scenario, scenario_id: &str, version: u32, node: &str, vars: BTreeMap<String, String>, roll: u32) -> (Outcome, bool) {
    let session = Session { scenario_id: scenario_id.to_string(), version, at: None, waiting: Waiting::Ended, vars, seq: (u64::from(roll) << 20) + 1 };
    let mut run = Run::new(scenario, session, roll);
    run.go(Some(node.to_string()));
    run.finish()
}

/// `advance`, also telling whether the 100-visit safety net was hit.
pub(crate) fn advance_checked(scenario: &Scenario, session: Session, input: Input, roll: u32) -> (Outcome, bool) {
    if session.waiting == Waiting::Ended {
        return (Outcome { session, effects: Vec::new() }, false);
    }
    let node = session.at.as_deref().and_then(|id| scenario.node(id)).filter(|n| can_wait(&n.step, &session.waiting));
    let mut run = Run::new(scenario, session, roll);
    let Some(node) = node else {
        run.bump();
        run.end();
        return run.finish();
    };
    match decide(node, &run.session, &input) {
        Decision::Ignore => {}
        Decision::Resend(effect) => run.effects.push(effect),
        Decision::Move { set, next } => {
            run.bump();
            for (name, value) in set {
                run.session.vars.insert(name, value);
            }
            run.effects.push(Effect::Completed(node.id.clone()));
            run.clear_keyboard = shows_reply_keyboard(&node.step);
            run.go(next);
        }
    }
    run.finish()
}

/// Whether a session waiting as `waiting` may sit at a node with this step.
pub(crate) fn can_wait(step: &Step, waiting: &Waiting) -> bool {
    match (step, waiting) {
        (Step::Message { buttons, .. }, Waiting::Button) => waits_for_press(buttons),
        (Step::Offer { booked, .. }, Waiting::Button) => booked.is_some(),
        (Step::Question { .. }, Waiting::Answer) => true,
        (Step::AskContact { .. }, Waiting::Contact) => true,
        (Step::Delay { .. }, Waiting::Timer { .. }) => true,
        (Step::Search { .. }, Waiting::Search) => true,
        _ => false,
    }
}

/// A message waits only when some button leads somewhere.
pub(crate) fn waits_for_press(buttons: &[Button]) -> bool {
    buttons.iter().any(|b| b.next.is_some())
}

/// Replaces `{name}` with the variable's value; unknown names become empty.
/// Braces around anything that is not a variable name stay as written.
pub fn substitute(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        if (1..=32).contains(&name_len) && after[name_len..].starts_with('}') {
            if let Some(value) = vars.get(&after[..name_len]) {
                out.push_str(value);
            }
            rest = &after[name_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

// Numbers and phones are read by the shared value parsers, so a page and
// a buyer's answer mean the same thing by "25 000 $".
pub use crate::values::number::{normalise_number, parse_number};
pub use crate::values::phone::normalise_phone;

/// Checks an answer against the question's kind; returns what to store.
pub fn check_answer(kind: AnswerKind, choices: &[String], raw: &str) -> Option<String> {
    match kind {
        AnswerKind::Text => {
            let t = raw.trim();
            (!t.is_empty() && t.chars().count() <= 500).then(|| t.to_string())
        }
        AnswerKind::Number => normalise_number(raw),
        AnswerKind::Phone => normalise_phone(raw),
        AnswerKind::Year => {
            let v = parse_number(raw)?;
            (v.fract() == 0.0 && (1900.0..=2100.0).contains(&v)).then(|| format!("{}", v as i64))
        }
        AnswerKind::Choice => choices.iter().find(|c| same_text(c, raw)).cloned(),
    }
}

/// What an input does to the node a session waits at.
enum Decision {
    Ignore,
    /// Show the node's message again; the session stays as it is.
    Resend(Effect),
    /// Store these variables, complete the node and go on.
    Move {
        set: Vec<(String, String)>,
        next: Option<NodeId>,
    },
}

fn decide(node: &Node, session: &Session, input: &Input) -> Decision {
    let vars = &session.vars;
    let is_message = matches!(input, Input::Text(_) | Input::Phone(_) | Input::Location { .. });
    let go = |next: &Option<NodeId>| Decision::Move { set: Vec::new(), next: next.clone() };
    match &node.step {
        Step::Message { text, media, buttons, keyboard, .. } => {
            let pressed = match input {
                Input::Callback(data) => button_index(&node.id, data).and_then(|i| buttons.get(i)),
                Input::Text(t) if *keyboard == Keyboard::Reply => buttons.iter().find(|b| b.next.is_some() && same_text(&b.label, t)),
                _ => None,
            };
            match pressed.and_then(|b| b.next.as_ref()) {
                Some(next) => go(&Some(next.clone())),
                None if is_message => Decision::Resend(Effect::Send(message_out(&node.id, text, media, buttons, *keyboard, vars))),
                None => Decision::Ignore,
            }
        }
        Step::Offer { booked, .. } => match input {
            Input::Callback(data) if *data == book_data(&node.id) => go(booked),
            _ if is_message => match offer_effect(node, vars) {
                Some(effect) => Decision::Resend(effect),
                None => Decision::Ignore,
            },
            _ => Decision::Ignore,
        },
        Step::Question { text, variable, answer, choices, retry_text, next } => {
            let value = match input {
                Input::Text(t) => check_answer(*answer, choices, t),
                Input::Phone(p) if *answer == AnswerKind::Phone => normalise_phone(p),
                Input::Phone(_) | Input::Location { .. } => None,
                _ => return Decision::Ignore,
            };
            match value {
                Some(v) => Decision::Move { set: vec![(variable.clone(), v)], next: next.clone() },
                None => {
                    let retry = if retry_text.trim().is_empty() { format!("Please answer again: {text}") } else { retry_text.clone() };
                    Decision::Resend(Effect::Send(question_out(&retry, choices, vars)))
                }
            }
        }
        Step::AskContact { text, request, button_label, variable, next } => {
            let set = match (request, input) {
                (ContactRequest::Phone, Input::Phone(p) | Input::Text(p)) => {
                    normalise_phone(p).map(|p| vec![(variable.clone(), p.clone()), ("phone".to_string(), p)])
                }
                (ContactRequest::Location, Input::Location { lat, lon }) => Some(vec![(variable.clone(), format!("{lat},{lon}"))]),
                _ => None,
            };
            match set {
                Some(set) => Decision::Move { set, next: next.clone() },
                None if is_message => Decision::Resend(Effect::Send(ask_out(text, *request, button_label, vars))),
                None => Decision::Ignore,
            }
        }
        Step::Delay { next, .. } => match (input, session.waiting) {
            (Input::TimerFired { token }, Waiting::Timer { token: expected }) if *token == expected => go(next),
            _ => Decision::Ignore,
        },
        Step::Search { next, no_match, .. } => match input {
            Input::SearchResults { listing_ids } => {
                let first = listing_ids.first().cloned().unwrap_or_default();
                let set = vec![("found_count".to_string(), listing_ids.len().to_string()), ("found_listing".to_string(), first)];
                let next = if listing_ids.is_empty() { no_match } else { next };
                Decision::Move { set, next: next.clone() }
            }
            _ => Decision::Ignore,
        },
        _ => Decision::Ignore,
    }
}

/// Whether leaving this node's wait should take its reply keyboard away.
fn shows_reply_keyboard(step: &Step) -> bool {
    match step {
        Step::Question { choices, .. } => !choices.is_empty(),
        Step::AskContact { .. } => true,
        Step::Message { buttons, keyboard, .. } => *keyboard == Keyboard::Reply && !buttons.is_empty(),
        _ => false,
    }
}

/// How a node reacted to being entered.
enum Flow {
    Wait(Waiting),
    Next(Option<NodeId>),
    End,
}

/// One call's worth of running: the session as it moves and what to do.
struct Run<'s> {
    scenario: &'s Scenario,
    session: Session,
    effects: Vec<Effect>,
    roll: u32,
    /// A reply keyboard from the node just left is still on screen.
    clear_keyboard: bool,
    net_hit: bool,
}

impl<'s> Run<'s> {
    fn new(scenario: &'s Scenario, session: Session, roll: u32) -> Self {
        Run { scenario, session, effects: Vec::new(), roll, clear_keyboard: false, net_hit: false }
    }

    fn finish(self) -> (Outcome, bool) {
        (Outcome { session: self.session, effects: self.effects }, self.net_hit)
    }

    /// Counts a change, so a timer set before it no longer matches.
    fn bump(&mut self) {
        self.session.seq = self.session.seq.wrapping_add(1);
    }

    fn end(&mut self) {
        self.session.at = None;
        self.session.waiting = Waiting::Ended;
        self.effects.push(Effect::Ended);
    }

    /// Sends `out`, taking an old reply keyboard away with the first send
    /// that has no buttons (one with reply buttons replaces it anyway).
    fn send(&mut self, mut out: Outgoing) {
        if self.clear_keyboard {
            match out.keyboard {
                OutKeyboard::None => {
                    out.keyboard = OutKeyboard::Remove;
                    self.clear_keyboard = false;
                }
                OutKeyboard::Reply | OutKeyboard::Remove => self.clear_keyboard = false,
                OutKeyboard::Inline => {}
            }
        }
        self.effects.push(Effect::Send(out));
    }

    /// A fresh number for each split in one call, so two splits in a row
    /// are not tied to the same pick.
    fn next_roll(&mut self) -> u32 {
        let r = self.roll;
        let mut x = r ^ 0x9E37_79B9;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.roll = x;
        r
    }

    /// Visits nodes from `target` until one waits or the scenario ends.
    fn go(&mut self, mut target: Option<NodeId>) {
        let mut visits = 0;
        loop {
            let Some(node) = target.as_deref().and_then(|id| self.scenario.node(id)) else {
                self.end();
                return;
            };
            visits += 1;
            if visits > MAX_VISITS {
                self.net_hit = true;
                self.end();
                return;
            }
            self.effects.push(Effect::Entered(node.id.clone()));
            match self.enter(node) {
                Flow::Wait(waiting) => {
                    self.session.at = Some(node.id.clone());
                    self.session.waiting = waiting;
                    return;
                }
                Flow::Next(next) => {
                    self.effects.push(Effect::Completed(node.id.clone()));
                    target = next;
                }
                Flow::End => {
                    self.effects.push(Effect::Completed(node.id.clone()));
                    self.end();
                    return;
                }
            }
        }
    }

    /// Does what a node does on arrival.
    fn enter(&mut self, node: &Node) -> Flow {
        let vars = &self.session.vars;
        match &node.step {
            Step::Message { text, media, buttons, keyboard, next } => {
                let out = message_out(&node.id, text, media, buttons, *keyboard, vars);
                self.send(out);
                if waits_for_press(buttons) {
                    Flow::Wait(Waiting::Button)
                } else {
                    Flow::Next(next.clone())
                }
            }
            Step::Question { text, choices, .. } => {
                let out = question_out(text, choices, vars);
                self.send(out);
                Flow::Wait(Waiting::Answer)
            }
            Step::Condition { branches, otherwise } => {
                let next = branches.iter().find(|b| holds(b, vars)).map_or(otherwise, |b| &b.next);
                Flow::Next(next.clone())
            }
            Step::Delay { seconds, .. } => {
                let token = self.session.seq;
                self.effects.push(Effect::Timer { seconds: *seconds, token });
                Flow::Wait(Waiting::Timer { token })
            }
            Step::Search { make_var, model_var, budget_var, year_var, limit, .. } => {
                let query = SearchQuery {
                    make: var_text(vars, make_var),
                    model: var_text(vars, model_var),
                    budget_max: var_number(vars, budget_var),
                    year_min: var_year(vars, year_var),
                    limit: (*limit).clamp(1, 10),
                };
                self.effects.push(Effect::Search(query));
                Flow::Wait(Waiting::Search)
            }
            Step::CreateRequest { make_var, model_var, year_var, budget_var, note, next } => {
                if let (Some(make), Some(model)) = (var_text(vars, make_var), var_text(vars, model_var)) {
                    let draft = RequestDraft {
                        make,
                        model,
                        year_min: var_year(vars, year_var),
                        budget_max: var_number(vars, budget_var),
                        note: substitute(note, vars),
                    };
                    self.effects.push(Effect::CreateRequest(draft));
                }
                Flow::Next(next.clone())
            }
            Step::ChannelPost { channel, text, media, next } => {
                let post = Effect::ChannelPost { channel: channel.trim().to_string(), text: substitute(text, vars), media: media.clone() };
                self.effects.push(post);
                Flow::Next(next.clone())
            }
            Step::Offer { booked, next, .. } => match offer_effect(node, vars) {
                Some(effect) => {
                    self.effects.push(effect);
                    if booked.is_some() {
                        Flow::Wait(Waiting::Button)
                    } else {
                        Flow::Next(next.clone())
                    }
                }
                // No car to show (e.g. `{found_listing}` is empty): go on rather than wait for a press on nothing.
                None => Flow::Next(next.clone()),
            },
            Step::Handoff { text, quiet_minutes } => {
                if !text.trim().is_empty() {
                    let out = plain(substitute(text, vars));
                    self.send(out);
                }
                self.effects.push(Effect::Handoff { quiet_minutes: *quiet_minutes });
                Flow::End
            }
            Step::Split { branches } => {
                let total: u64 = branches.iter().map(|b| u64::from(b.weight)).sum();
                if total == 0 {
                    return Flow::End;
                }
                let mut pick = u64::from(self.next_roll()) % total;
                for (i, b) in branches.iter().enumerate() {
                    let w = u64::from(b.weight);
                    if pick < w {
                        self.effects.push(Effect::SplitPick { node: node.id.clone(), branch: i });
                        return Flow::Next(b.next.clone());
                    }
                    pick -= w;
                }
                Flow::End
            }
            Step::AskContact { text, request, button_label, .. } => {
                let out = ask_out(text, *request, button_label, vars);
                self.send(out);
                Flow::Wait(Waiting::Contact)
            }
            Step::Jump { target } => Flow::Next(Some(target.clone())),
            Step::End {} => Flow::End,
        }
    }
}

fn plain(text: String) -> Outgoing {
    Outgoing { text, media: None, buttons: Vec::new(), keyboard: OutKeyboard::None }
}

fn message_out(node: &str, text: &str, media: &Option<Media>, buttons: &[Button], keyboard: Keyboard, vars: &BTreeMap<String, String>) -> Outgoing {
    let mut out_buttons = Vec::new();
    for (i, b) in buttons.iter().enumerate() {
        let label = b.label.clone();
        let button = match (keyboard, &b.url) {
            (Keyboard::Inline, Some(url)) if b.next.is_none() => OutButton::Url { label, url: url.clone() },
            (Keyboard::Inline, _) => OutButton::Callback { label, data: button_data(node, i) },
            // A reply keyboard cannot open links (validation refuses it); skip such a button.
            (Keyboard::Reply, Some(_)) if b.next.is_none() => continue,
            (Keyboard::Reply, _) => OutButton::Text { label },
        };
        out_buttons.push(button);
    }
    let out_keyboard = match keyboard {
        _ if out_buttons.is_empty() => OutKeyboard::None,
        Keyboard::Inline => OutKeyboard::Inline,
        Keyboard::Reply => OutKeyboard::Reply,
    };
    Outgoing { text: substitute(text, vars), media: media.clone(), buttons: out_buttons, keyboard: out_keyboard }
}

fn question_out(text: &str, choices: &[String], vars: &BTreeMap<String, String>) -> Outgoing {
    let buttons: Vec<OutButton> = choices.iter().map(|c| OutButton::Text { label: c.clone() }).collect();
    let keyboard = if buttons.is_empty() { OutKeyboard::None } else { OutKeyboard::Reply };
    Outgoing { text: substitute(text, vars), media: None, buttons, keyboard }
}

fn ask_out(text: &str, request: ContactRequest, button_label: &str, vars: &BTreeMap<String, String>) -> Outgoing {
    let label = button_label.trim();
    let button = match request {
        ContactRequest::Phone => OutButton::RequestContact { label: if label.is_empty() { "Share my phone number" } else { label }.to_string() },
        ContactRequest::Location => OutButton::RequestLocation { label: if label.is_empty() { "Share my location" } else { label }.to_string() },
    };
    Outgoing { text: substitute(text, vars), media: None, buttons: vec![button], keyboard: OutKeyboard::Reply }
}

/// The offer card to show, or None when the listing id comes out empty.
fn offer_effect(node: &Node, vars: &BTreeMap<String, String>) -> Option<Effect> {
    let Step::Offer { listing_id, text, button_label, booked, .. } = &node.step else {
        return None;
    };
    let listing_id = substitute(listing_id, vars).trim().to_string();
    if listing_id.is_empty() {
        return None;
    }
    let label = if button_label.trim().is_empty() { "Book a viewing".to_string() } else { button_label.clone() };
    let button = booked.as_ref().map(|_| (label, book_data(&node.id)));
    Some(Effect::Offer { listing_id, text: substitute(text, vars), button })
}

/// Callback data of a message's button: `sc:{node}:{index}`.
pub(crate) fn button_data(node: &str, index: usize) -> String {
    format!("sc:{node}:{index}")
}

/// Callback data of an offer's "book" button.
pub(crate) fn book_data(node: &str) -> String {
    format!("sc:{node}:book")
}

/// The button index in `data` if it is a press on this node's message.
fn button_index(node: &str, data: &str) -> Option<usize> {
    let (id, index) = data.strip_prefix("sc:")?.rsplit_once(':')?;
    if id != node || index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    index.parse().ok()
}

fn holds(branch: &Branch, vars: &BTreeMap<String, String>) -> bool {
    let value = vars.get(&branch.variable).map_or("", String::as_str);
    let numbers = || parse_number(value).zip(parse_number(&branch.value));
    match branch.op {
        Op::Eq => same_text(value, &branch.value),
        Op::Ne => !same_text(value, &branch.value),
        Op::Contains => value.to_lowercase().contains(&branch.value.trim().to_lowercase()),
        Op::Gt => numbers().is_some_and(|(a, b)| a > b),
        Op::Gte => numbers().is_some_and(|(a, b)| a >= b),
        Op::Lt => numbers().is_some_and(|(a, b)| a < b),
        Op::Lte => numbers().is_some_and(|(a, b)| a <= b),
        Op::IsSet => !value.trim().is_empty(),
        Op::IsNotSet => value.trim().is_empty(),
    }
}

/// A variable's trimmed text, None when unset, empty or `name` is empty.
fn var_text(vars: &BTreeMap<String, String>, name: &str) -> Option<String> {
    let v = vars.get(name)?.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn var_number(vars: &BTreeMap<String, String>, name: &str) -> Option<i64> {
    let v = parse_number(vars.get(name)?)?.round();
    (v.abs() < 9.0e15).then_some(v as i64)
}

fn var_year(vars: &BTreeMap<String, String>, name: &str) -> Option<i32> {
    let v = parse_number(vars.get(name)?)?;
    (v.fract() == 0.0 && v.abs() <= f64::from(i32::MAX)).then_some(v as i32)
}

/// Equal ignoring case and surrounding spaces.
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Lower-cased words: runs of letters and digits.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A keyword trigger's keywords (comma-separated, each one or more words).
pub(crate) fn keywords(value: &str) -> Vec<Vec<String>> {
    value.split(',').map(words).filter(|k| !k.is_empty()).collect()
}

/// Whether `keyword`'s words appear in a row in `said`.
fn contains_words(said: &[String], keyword: &[String]) -> bool {
    !keyword.is_empty() && said.windows(keyword.len()).any(|w| w == keyword)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, step: Step) -> Node {
        Node { id: id.to_string(), position: Position::default(), step }
    }
    fn trigger(kind: TriggerKind, value: &str, node: &str) -> Trigger {
        Trigger { kind, value: value.to_string(), node: node.to_string() }
    }
    fn scenario(nodes: Vec<Node>) -> Scenario {
        let first = nodes.first().map(|n| n.id.clone()).unwrap_or_default();
        Scenario { triggers: vec![trigger(TriggerKind::Start, "", &first)], nodes }
    }
    fn to(id: &str) -> Option<NodeId> {
        Some(id.to_string())
    }
    fn msg(text: &str, next: Option<NodeId>) -> Step {
        Step::Message { text: text.into(), media: None, buttons: vec![], keyboard: Keyboard::Inline, next }
    }
    fn msg_buttons(text: &str, keyboard: Keyboard, buttons: Vec<Button>) -> Step {
        Step::Message { text: text.into(), media: None, buttons, keyboard, next: None }
    }
    fn button(label: &str, next: Option<NodeId>, url: Option<&str>) -> Button {
        Button { label: label.into(), next, url: url.map(str::to_string) }
    }
    fn question(kind: AnswerKind, choices: &[&str], retry: &str, next: Option<NodeId>) -> Step {
        Step::Question {
            text: "Q?".into(),
            variable: "v".into(),
            answer: kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            retry_text: retry.into(),
            next,
        }
    }
    fn end() -> Step {
        Step::End {}
    }
    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
    fn begin(s: &Scenario, v: BTreeMap<String, String>) -> Outcome {
        let first = s.nodes.first().map(|n| n.id.clone()).unwrap_or_default();
        start(s, "sc1", 1, &first, v, 0)
    }
    fn text(t: &str) -> Input {
        Input::Text(t.to_string())
    }
    fn sends(effects: &[Effect]) -> Vec<&Outgoing> {
        effects.iter().filter_map(|e| if let Effect::Send(o) = e { Some(o) } else { None }).collect()
    }
    fn plain_send(t: &str) -> Effect {
        Effect::Send(plain(t.to_string()))
    }
    fn entered(o: &Outcome) -> Vec<&str> {
        o.effects.iter().filter_map(|e| if let Effect::Entered(id) = e { Some(id.as_str()) } else { None }).collect()
    }
    /// Asserts an input changed nothing and produced nothing.
    fn assert_ignored(s: &Scenario, session: &Session, input: Input) {
        let out = advance(s, session.clone(), input.clone(), 0);
        assert_eq!(out.session, *session, "{input:?} changed the session");
        assert!(out.effects.is_empty(), "{input:?} produced {:?}", out.effects);
    }

    #[test]
    fn substitutes_variables() {
        let v = vars(&[("first_name", "Ann"), ("make", "BMW")]);
        assert_eq!(substitute("Hi {first_name}, {make}{unknown}!", &v), "Hi Ann, BMW!");
        assert_eq!(substitute("{} {a b} {{make}} {make", &v), "{} {a b} {BMW} {make");
        assert_eq!(substitute("price: {\"x\": 1}", &v), "price: {\"x\": 1}");
        // Values are not substituted again.
        let v = vars(&[("a", "{b}"), ("b", "no")]);
        assert_eq!(substitute("{a}", &v), "{b}");
        assert_eq!(substitute("Привет, {a}…", &v), "Привет, {b}…");
    }

    #[test]
    fn finds_triggers() {
        let s = Scenario {
            triggers: vec![
                trigger(TriggerKind::Start, "", "plain"),
                trigger(TriggerKind::Start, "promo_1", "promo"),
                trigger(TriggerKind::Keyword, "cars, test drive", "kw"),
                trigger(TriggerKind::Menu, " Catalog ", "menu"),
                trigger(TriggerKind::Callback, "open_catalog", "cb"),
            ],
            nodes: vec![],
        };
        let hit = |i: Incoming| find_trigger(&s, &i).map(|t| t.node.as_str());
        assert_eq!(hit(Incoming::Start { payload: "promo_1" }), Some("promo"));
        assert_eq!(hit(Incoming::Start { payload: "" }), Some("plain"));
        assert_eq!(hit(Incoming::Start { payload: "other" }), Some("plain"));
        assert_eq!(hit(Incoming::Text("Do you have CARS?")), Some("kw"));
        assert_eq!(hit(Incoming::Text("scars and stripes")), None);
        assert_eq!(hit(Incoming::Text("I want a Test  Drive please")), Some("kw"));
        assert_eq!(hit(Incoming::Text("a test of a drive")), None);
        assert_eq!(hit(Incoming::Text("  catalog ")), Some("menu"));
        assert_eq!(hit(Incoming::Text("catalogs")), None);
        assert_eq!(hit(Incoming::Callback("open_catalog")), Some("cb"));
        assert_eq!(hit(Incoming::Callback("open_catalog ")), None);
        assert_eq!(hit(Incoming::Callback("")), None);

        let only_payload = Scenario { triggers: vec![trigger(TriggerKind::Start, "promo_1", "promo")], nodes: vec![] };
        assert!(find_trigger(&only_payload, &Incoming::Start { payload: "" }).is_none());
        assert!(find_trigger(&only_payload, &Incoming::Start { payload: "promo_2" }).is_none());
    }

    #[test]
    fn message_runs_on_to_next_and_end() {
        let s = scenario(vec![node("a", msg("Hi {first_name}{nope}", to("b"))), node("b", end())]);
        let out = begin(&s, vars(&[("first_name", "Ann")]));
        let want = vec![
            Effect::Entered("a".into()),
            plain_send("Hi Ann"),
            Effect::Completed("a".into()),
            Effect::Entered("b".into()),
            Effect::Completed("b".into()),
            Effect::Ended,
        ];
        assert_eq!(out.effects, want);
        assert_eq!(out.session.at, None);
        assert_eq!(out.session.waiting, Waiting::Ended);
        assert_eq!((out.session.scenario_id.as_str(), out.session.version), ("sc1", 1));
        // An ended session ignores everything.
        assert_ignored(&s, &out.session, text("hello"));
    }

    #[test]
    fn null_target_or_missing_node_ends() {
        let s = scenario(vec![node("a", msg("Hi", None))]);
        let out = begin(&s, BTreeMap::new());
        assert_eq!(out.effects.last(), Some(&Effect::Ended));
        assert!(out.effects.contains(&Effect::Completed("a".into())));

        let s = scenario(vec![node("a", msg("Hi", to("ghost")))]);
        let out = begin(&s, BTreeMap::new());
        assert_eq!(out.effects.last(), Some(&Effect::Ended));
        let out = start(&s, "sc1", 1, "nowhere", BTreeMap::new(), 0);
        assert_eq!(out.effects, vec![Effect::Ended]);
        assert_eq!(out.session.waiting, Waiting::Ended);
    }

    #[test]
    fn inline_buttons_wait_for_a_press() {
        let buttons = vec![button("Yes", to("b"), None), button("Site", None, Some("https://dealer.example")), button("Plain", None, None)];
        let s = scenario(vec![node("a", msg_buttons("Pick", Keyboard::Inline, buttons)), node("b", msg("Great", None))]);
        let out = begin(&s, BTreeMap::new());
        let shown = Outgoing {
            text: "Pick".into(),
            media: None,
            buttons: vec![
                OutButton::Callback { label: "Yes".into(), data: "sc:a:0".into() },
                OutButton::Url { label: "Site".into(), url: "https://dealer.example".into() },
                OutButton::Callback { label: "Plain".into(), data: "sc:a:2".into() },
            ],
            keyboard: OutKeyboard::Inline,
        };
        assert_eq!(out.effects, vec![Effect::Entered("a".into()), Effect::Send(shown.clone())]);
        assert_eq!((out.session.at.as_deref(), out.session.waiting), (Some("a"), Waiting::Button));
        let waiting = out.session;

        // Stale buttons and unrelated inputs change nothing.
        for input in [
            Input::Callback("sc:b:0".into()),
            Input::Callback("sc:a:2".into()),
            Input::Callback("sc:a:9".into()),
            Input::Callback("sc:a:".into()),
            Input::Callback("sc:a:-1".into()),
            Input::Callback("garbage".into()),
            Input::TimerFired { token: waiting.seq },
            Input::SearchResults { listing_ids: vec![] },
        ] {
            assert_ignored(&s, &waiting, input);
        }
        // Text shows the buttons again.
        let again = advance(&s, waiting.clone(), text("what?"), 0);
        assert_eq!(again.session, waiting);
        assert_eq!(again.effects, vec![Effect::Send(shown)]);
        // The press goes on.
        let out = advance(&s, waiting.clone(), Input::Callback("sc:a:0".into()), 0);
        assert_eq!(
            out.effects,
            vec![Effect::Completed("a".into()), Effect::Entered("b".into()), plain_send("Great"), Effect::Completed("b".into()), Effect::Ended]
        );
        assert_eq!(out.session.seq, waiting.seq + 1);
    }

    #[test]
    fn reply_buttons_match_the_label_and_remove_the_keyboard_after() {
        let buttons = vec![button("Used cars", to("b"), None), button("Menu only", None, None)];
        let s = scenario(vec![
            node("a", msg_buttons("Menu", Keyboard::Reply, buttons)),
            node("b", msg("Here they are", to("c"))),
            node("c", msg("And more", None)),
        ]);
        let out = begin(&s, BTreeMap::new());
        let sent = sends(&out.effects);
        assert_eq!(sent[0].keyboard, OutKeyboard::Reply);
        assert_eq!(sent[0].buttons, vec![OutButton::Text { label: "Used cars".into() }, OutButton::Text { label: "Menu only".into() }]);
        // The label without a next and a callback do not count as a press.
        let resend = advance(&s, out.session.clone(), text("menu only"), 0);
        assert_eq!(resend.session, out.session);
        assert_eq!(sends(&resend.effects).len(), 1);
        assert_ignored(&s, &out.session, Input::Callback("sc:a:1".into()));
        let next = advance(&s, out.session, text("  USED cars "), 0);
        let sent = sends(&next.effects);
        assert_eq!(sent[0].keyboard, OutKeyboard::Remove, "the old keyboard goes away");
        assert_eq!(sent[1].keyboard, OutKeyboard::None, "only once");
    }

    #[test]
    fn the_old_keyboard_goes_with_the_first_send_without_buttons() {
        let link = Step::Message {
            text: "Our site".into(),
            media: None,
            buttons: vec![button("Open", None, Some("https://dealer.example"))],
            keyboard: Keyboard::Inline,
            next: to("c"),
        };
        let s = scenario(vec![node("q", question(AnswerKind::Choice, &["Yes"], "", to("b"))), node("b", link), node("c", msg("Bye", None))]);
        let out = begin(&s, BTreeMap::new());
        let next = advance(&s, out.session, text("yes"), 0);
        let keyboards: Vec<OutKeyboard> = sends(&next.effects).iter().map(|o| o.keyboard).collect();
        assert_eq!(keyboards, vec![OutKeyboard::Inline, OutKeyboard::Remove]);
    }

    #[test]
    fn message_with_media() {
        let media = Media { kind: MediaKind::Photo, file_id: "AgAD".into() };
        let step = Step::Message { text: "Look".into(), media: Some(media.clone()), buttons: vec![], keyboard: Keyboard::Inline, next: None };
        let s = scenario(vec![node("a", step)]);
        let out = begin(&s, BTreeMap::new());
        assert_eq!(sends(&out.effects)[0].media, Some(media));
    }

    /// Runs a one-question scenario with `answer`: Ok(stored value) when it
    /// was accepted, Err(the retry message) when asked again.
    fn answer(kind: AnswerKind, choices: &[&str], retry: &str, input: Input) -> Result<String, Outgoing> {
        let s = scenario(vec![node("q", question(kind, choices, retry, to("done"))), node("done", end())]);
        let first = begin(&s, vars(&[("first_name", "Ann")]));
        assert_eq!(first.session.waiting, Waiting::Answer);
        let out = advance(&s, first.session.clone(), input, 0);
        if out.session.waiting == Waiting::Ended {
            assert_eq!(out.effects[0], Effect::Completed("q".into()));
            assert_eq!(out.session.seq, first.session.seq + 1);
            Ok(out.session.vars.get("v").cloned().unwrap_or_default())
        } else {
            assert_eq!(out.session, first.session, "a wrong answer changes nothing");
            assert_eq!(out.effects.len(), 1);
            match out.effects.into_iter().next() {
                Some(Effect::Send(o)) => Err(o),
                other => panic!("expected a retry, got {other:?}"),
            }
        }
    }

    #[test]
    fn text_answers() {
        assert_eq!(answer(AnswerKind::Text, &[], "", text("  BMW X5 ")), Ok("BMW X5".into()));
        assert_eq!(answer(AnswerKind::Text, &[], "", text(&"a".repeat(500))), Ok("a".repeat(500)));
        let retry = answer(AnswerKind::Text, &[], "", text("   ")).unwrap_err();
        assert_eq!(retry.text, "Please answer again: Q?");
        assert!(answer(AnswerKind::Text, &[], "", text(&"a".repeat(501))).is_err());
        let retry = answer(AnswerKind::Text, &[], "Try again, {first_name}", Input::Location { lat: 1.0, lon: 2.0 }).unwrap_err();
        assert_eq!(retry.text, "Try again, Ann");
    }

    #[test]
    fn number_answers() {
        let ok = [
            ("25000", "25000"),
            ("25 000", "25000"),
            ("25\u{2009}000", "25000"),
            ("25\u{a0}000 ₽", "25000"),
            ("25,000 $", "25000"),
            ("$25,000", "25000"),
            ("25 000 руб.", "25000"),
            ("25000 USD", "25000"),
            ("1,250,000.50", "1250000.50"),
            ("1.250.000", "1250000"),
            ("1.250.000,5", "1250000.5"),
            ("12,5", "12.5"),
            ("0,500", "0.500"),
            ("12.5", "12.5"),
            ("007", "7"),
            ("-5", "-5"),
            (".5", "0.5"),
        ];
        for (raw, want) in ok {
            assert_eq!(answer(AnswerKind::Number, &[], "", text(raw)), Ok(want.to_string()), "{raw}");
            assert_eq!(normalise_number(raw).as_deref(), Some(want), "{raw}");
        }
        for raw in [
            "",
            "abc",
            "25k",
            "2 млн",
            "1e5",
            "inf",
            "NaN",
            "1,2,3",
            "12.3.4",
            "1,25,000",
            "5.",
            "--5",
            "25 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 0",
        ] {
            assert!(normalise_number(raw).is_none(), "{raw}");
        }
        let retry = answer(AnswerKind::Number, &[], "Numbers only please", text("lots")).unwrap_err();
        assert_eq!(retry.text, "Numbers only please");
        assert_eq!(parse_number("25 000 $"), Some(25000.0));
    }

    #[test]
    fn phone_answers() {
        assert_eq!(answer(AnswerKind::Phone, &[], "", text("+7 (916) 123-45-67")), Ok("+79161234567".into()));
        assert_eq!(answer(AnswerKind::Phone, &[], "", text("8 916 123 45 67")), Ok("89161234567".into()));
        assert_eq!(answer(AnswerKind::Phone, &[], "", Input::Phone("79161234567".into())), Ok("79161234567".into()));
        for bad in ["123", "+1234567890123456", "916-12a-4567", "call me", "++79161234567"] {
            assert!(answer(AnswerKind::Phone, &[], "", text(bad)).is_err(), "{bad}");
        }
        // A shared contact is only an answer to a phone question.
        assert!(answer(AnswerKind::Text, &[], "", Input::Phone("79161234567".into())).is_err());
    }

    #[test]
    fn year_answers() {
        assert_eq!(answer(AnswerKind::Year, &[], "", text("2015")), Ok("2015".into()));
        assert_eq!(answer(AnswerKind::Year, &[], "", text(" 2015 г.")), Ok("2015".into()));
        assert_eq!(answer(AnswerKind::Year, &[], "", text("1900")), Ok("1900".into()));
        assert_eq!(answer(AnswerKind::Year, &[], "", text("2100")), Ok("2100".into()));
        for bad in ["1899", "2101", "2015.5", "twenty fifteen", "15"] {
            assert!(answer(AnswerKind::Year, &[], "", text(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn choice_answers() {
        let choices = ["Manual", "Automatic"];
        assert_eq!(answer(AnswerKind::Choice, &choices, "", text("  manual ")), Ok("Manual".into()));
        let retry = answer(AnswerKind::Choice, &choices, "", text("boat")).unwrap_err();
        assert_eq!(retry.keyboard, OutKeyboard::Reply, "the choices are shown again");
        assert_eq!(retry.buttons, vec![OutButton::Text { label: "Manual".into() }, OutButton::Text { label: "Automatic".into() }]);
    }

    #[test]
    fn question_ignores_non_answers_and_removes_choice_keyboard() {
        let s = scenario(vec![node("q", question(AnswerKind::Choice, &["Yes", "No"], "", to("n"))), node("n", msg("Noted: {v}", None))]);
        let out = begin(&s, BTreeMap::new());
        assert_eq!(sends(&out.effects)[0].keyboard, OutKeyboard::Reply);
        assert_ignored(&s, &out.session, Input::Callback("sc:q:0".into()));
        assert_ignored(&s, &out.session, Input::TimerFired { token: out.session.seq });
        assert_ignored(&s, &out.session, Input::SearchResults { listing_ids: vec!["x".into()] });
        let next = advance(&s, out.session, text("yes"), 0);
        let sent = sends(&next.effects);
        assert_eq!(sent[0].text, "Noted: Yes");
        assert_eq!(sent[0].keyboard, OutKeyboard::Remove);
    }

    #[test]
    fn conditions() {
        let check = |op: Op, var: Option<&str>, value: &str| -> bool {
            let branch = Branch { variable: "x".into(), op, value: value.into(), next: to("yes") };
            let s = scenario(vec![node("c", Step::Condition { branches: vec![branch], otherwise: to("no") }), node("yes", end()), node("no", end())]);
            let v = var.map(|v| vars(&[("x", v)])).unwrap_or_default();
            let out = begin(&s, v);
            assert_eq!(out.session.waiting, Waiting::Ended);
            entered(&out).contains(&"yes")
        };
        assert!(check(Op::Eq, Some("BMW"), " bmw "));
        assert!(!check(Op::Eq, Some("Audi"), "bmw"));
        assert!(check(Op::Ne, Some("Audi"), "bmw"));
        assert!(check(Op::Ne, None, "bmw"));
        assert!(!check(Op::Ne, Some("BMW"), "bmw"));
        assert!(check(Op::Contains, Some("BMW X5 2019"), "x5"));
        assert!(!check(Op::Contains, Some("BMW X3"), "x5"));
        assert!(check(Op::Gt, Some("25 000"), "20000"));
        assert!(!check(Op::Gt, Some("20000"), "20000"));
        assert!(!check(Op::Gt, Some("lots"), "1"));
        assert!(!check(Op::Gt, None, "1"));
        assert!(check(Op::Gte, Some("20,000 $"), "20000"));
        assert!(check(Op::Lt, Some("4"), "4.5"));
        assert!(check(Op::Lte, Some("5"), "5"));
        assert!(!check(Op::Lte, Some("6"), "5"));
        assert!(check(Op::IsSet, Some("a"), ""));
        assert!(!check(Op::IsSet, Some("  "), ""));
        assert!(!check(Op::IsSet, None, ""));
        assert!(check(Op::IsNotSet, None, ""));
        assert!(!check(Op::IsNotSet, Some("a"), ""));

        // The first branch that holds wins; nothing holding and no otherwise ends.
        let branches = vec![
            Branch { variable: "x".into(), op: Op::IsSet, value: String::new(), next: to("one") },
            Branch { variable: "x".into(), op: Op::Eq, value: "a".into(), next: to("two") },
        ];
        let s = scenario(vec![node("c", Step::Condition { branches, otherwise: None }), node("one", end()), node("two", end())]);
        assert_eq!(entered(&begin(&s, vars(&[("x", "a")]))), vec!["c", "one"]);
        let out = begin(&s, BTreeMap::new());
        assert_eq!(entered(&out), vec!["c"]);
        assert_eq!(out.effects.last(), Some(&Effect::Ended));
    }

    #[test]
    fn delay_waits_for_its_own_timer() {
        let s = scenario(vec![node("d", Step::Delay { seconds: 3600, next: to("m") }), node("m", msg("Still looking?", None))]);
        let out = begin(&s, BTreeMap::new());
        let token = out.session.seq;
        assert_eq!(out.effects, vec![Effect::Entered("d".into()), Effect::Timer { seconds: 3600, token }]);
        assert_eq!(out.session.waiting, Waiting::Timer { token });
        assert_ignored(&s, &out.session, text("hello"));
        assert_ignored(&s, &out.session, Input::TimerFired { token: token + 1 });
        assert_ignored(&s, &out.session, Input::TimerFired { token: token.wrapping_sub(1) });
        let fired = advance(&s, out.session, Input::TimerFired { token }, 0);
        assert_eq!(fired.effects[0], Effect::Completed("d".into()));
        assert_eq!(sends(&fired.effects)[0].text, "Still looking?");

        // A restarted session gets other tokens, so a timer of the old one is stale.
        let again = start(&s, "sc1", 1, "d", BTreeMap::new(), 7);
        assert_ne!(again.session.waiting, Waiting::Timer { token });
        assert_ignored(&s, &again.session, Input::TimerFired { token });
    }

    #[test]
    fn a_loop_with_a_delay_gets_a_new_token_each_round() {
        let s = scenario(vec![node("d", Step::Delay { seconds: 60, next: to("m") }), node("m", msg("Ping", to("d")))]);
        let out = begin(&s, BTreeMap::new());
        let Waiting::Timer { token: first } = out.session.waiting else { panic!("not waiting") };
        let out = advance(&s, out.session, Input::TimerFired { token: first }, 0);
        let Waiting::Timer { token: second } = out.session.waiting else { panic!("not waiting") };
        assert_ne!(first, second);
        assert_ignored(&s, &out.session, Input::TimerFired { token: first });
    }

    fn search_step(limit: u8) -> Step {
        Step::Search {
            make_var: "make".into(),
            model_var: "model".into(),
            budget_var: "budget".into(),
            year_var: "year".into(),
            limit,
            next: to("offer"),
            no_match: to("none"),
        }
    }

    #[test]
    fn search_then_offer_and_book() {
        let s = scenario(vec![
            node("s", search_step(50)),
            node(
                "offer",
                Step::Offer {
                    listing_id: "{found_listing}".into(),
                    text: "{found_count} found, look at this {make}".into(),
                    button_label: "Book".into(),
                    booked: to("booked"),
                    next: None,
                },
            ),
            node("booked", Step::Handoff { text: "We'll call you".into(), quiet_minutes: 30 }),
            node("none", msg("Nothing", None)),
        ]);
        let out = begin(&s, vars(&[("make", " BMW "), ("model", "  "), ("budget", "30 000 $"), ("year", "old")]));
        let query = SearchQuery { make: Some("BMW".into()), model: None, budget_max: Some(30000), year_min: None, limit: 10 };
        assert_eq!(out.effects, vec![Effect::Entered("s".into()), Effect::Search(query)]);
        assert_eq!(out.session.waiting, Waiting::Search);
        assert_ignored(&s, &out.session, text("hurry up"));
        assert_ignored(&s, &out.session, Input::Callback("sc:offer:book".into()));

        let found = advance(&s, out.session.clone(), Input::SearchResults { listing_ids: vec!["l1".into(), "l2".into()] }, 0);
        assert_eq!(found.session.vars.get("found_count").map(String::as_str), Some("2"));
        assert_eq!(found.session.vars.get("found_listing").map(String::as_str), Some("l1"));
        let offer =
            Effect::Offer { listing_id: "l1".into(), text: "2 found, look at this  BMW ".into(), button: Some(("Book".into(), "sc:offer:book".into())) };
        assert_eq!(found.effects, vec![Effect::Completed("s".into()), Effect::Entered("offer".into()), offer.clone()]);
        assert_eq!((found.session.at.as_deref(), found.session.waiting), (Some("offer"), Waiting::Button));

        assert_ignored(&s, &found.session, Input::Callback("sc:s:book".into()));
        assert_ignored(&s, &found.session, Input::Callback("sc:offer:0".into()));
        let again = advance(&s, found.session.clone(), text("?"), 0);
        assert_eq!((again.effects, again.session), (vec![offer], found.session.clone()));

        let booked = advance(&s, found.session, Input::Callback("sc:offer:book".into()), 0);
        assert_eq!(
            booked.effects,
            vec![
                Effect::Completed("offer".into()),
                Effect::Entered("booked".into()),
                plain_send("We'll call you"),
                Effect::Handoff { quiet_minutes: 30 },
                Effect::Completed("booked".into()),
                Effect::Ended,
            ]
        );

        let none = advance(&s, out.session, Input::SearchResults { listing_ids: vec![] }, 0);
        assert_eq!(none.session.vars.get("found_count").map(String::as_str), Some("0"));
        assert_eq!(none.session.vars.get("found_listing").map(String::as_str), Some(""));
        assert_eq!(entered(&none), vec!["none"]);
    }

    #[test]
    fn search_limit_is_clamped_and_empty_vars_are_no_filter() {
        let s = scenario(vec![node("s", search_step(0)), node("offer", end()), node("none", end())]);
        let out = begin(&s, BTreeMap::new());
        let query = SearchQuery { make: None, model: None, budget_max: None, year_min: None, limit: 1 };
        assert_eq!(out.effects[1], Effect::Search(query));
        let out = begin(&s, vars(&[("year", "2018"), ("budget", "12,5")]));
        let Effect::Search(q) = &out.effects[1] else { panic!("no search") };
        assert_eq!((q.year_min, q.budget_max), (Some(2018), Some(13)));
    }

    #[test]
    fn offer_without_booking_goes_on_and_empty_listing_is_skipped() {
        let offer =
            |listing: &str| Step::Offer { listing_id: listing.into(), text: String::new(), button_label: "Book".into(), booked: to("b"), next: to("n") };
        let s = scenario(vec![node("o", offer("{found_listing}")), node("b", end()), node("n", end())]);
        let out = begin(&s, BTreeMap::new());
        assert!(!out.effects.iter().any(|e| matches!(e, Effect::Offer { .. })));
        assert_eq!(entered(&out), vec!["o", "n"]);

        let s = scenario(vec![
            node("o", Step::Offer { listing_id: "L-7".into(), text: "Hi".into(), button_label: String::new(), booked: None, next: to("n") }),
            node("n", end()),
        ]);
        let out = begin(&s, BTreeMap::new());
        assert!(out.effects.contains(&Effect::Offer { listing_id: "L-7".into(), text: "Hi".into(), button: None }));
        assert_eq!(entered(&out), vec!["o", "n"]);
    }

    #[test]
    fn create_request_needs_make_and_model() {
        let step = Step::CreateRequest {
            make_var: "make".into(),
            model_var: "model".into(),
            year_var: "year".into(),
            budget_var: "budget".into(),
            note: "From {first_name}".into(),
            next: to("n"),
        };
        let s = scenario(vec![node("r", step), node("n", end())]);
        let out = begin(&s, vars(&[("make", "BMW"), ("model", "X5"), ("year", "2018"), ("budget", "25,000"), ("first_name", "Ann")]));
        let draft = RequestDraft { make: "BMW".into(), model: "X5".into(), year_min: Some(2018), budget_max: Some(25000), note: "From Ann".into() };
        assert_eq!(out.effects[1], Effect::CreateRequest(draft));
        assert_eq!(entered(&out), vec!["r", "n"]);

        let out = begin(&s, vars(&[("make", "BMW")]));
        assert!(!out.effects.iter().any(|e| matches!(e, Effect::CreateRequest(_))));
        assert_eq!(entered(&out), vec!["r", "n"]);
    }

    #[test]
    fn channel_post() {
        let media = Some(Media { kind: MediaKind::Photo, file_id: "F".into() });
        let step = Step::ChannelPost { channel: " @dealer_news ".into(), text: "New lead: {make}".into(), media: media.clone(), next: None };
        let s = scenario(vec![node("p", step)]);
        let out = begin(&s, vars(&[("make", "Kia")]));
        assert_eq!(out.effects[1], Effect::ChannelPost { channel: "@dealer_news".into(), text: "New lead: Kia".into(), media });
        assert_eq!(out.effects.last(), Some(&Effect::Ended));
    }

    #[test]
    fn handoff_ends() {
        let s = scenario(vec![node("h", Step::Handoff { text: String::new(), quiet_minutes: 0 })]);
        let out = begin(&s, BTreeMap::new());
        assert_eq!(out.effects, vec![Effect::Entered("h".into()), Effect::Handoff { quiet_minutes: 0 }, Effect::Completed("h".into()), Effect::Ended]);
    }

    #[test]
    fn split_picks_by_weight() {
        let branches = vec![SplitBranch { weight: 1, next: to("a") }, SplitBranch { weight: 3, next: to("b") }];
        let s = scenario(vec![node("s", Step::Split { branches }), node("a", end()), node("b", end())]);
        let pick = |roll: u32| {
            let out = start(&s, "sc1", 1, "s", BTreeMap::new(), roll);
            let branch = out.effects.iter().find_map(|e| if let Effect::SplitPick { branch, .. } = e { Some(*branch) } else { None });
            (branch, entered(&out).last().map(|s| s.to_string()))
        };
        assert_eq!(pick(0), (Some(0), Some("a".into())));
        assert_eq!(pick(1), (Some(1), Some("b".into())));
        assert_eq!(pick(3), (Some(1), Some("b".into())));
        assert_eq!(pick(4), (Some(0), Some("a".into())));
        assert_eq!(pick(u32::MAX), (Some(1), Some("b".into())));

        let zero = vec![SplitBranch { weight: 0, next: to("a") }, SplitBranch { weight: 0, next: to("a") }];
        let s = scenario(vec![node("s", Step::Split { branches: zero }), node("a", end())]);
        let out = begin(&s, BTreeMap::new());
        assert!(!out.effects.iter().any(|e| matches!(e, Effect::SplitPick { .. })));
        assert_eq!(out.effects.last(), Some(&Effect::Ended));
    }

    fn ask(request: ContactRequest, label: &str) -> Step {
        Step::AskContact { text: "Your phone?".into(), request, button_label: label.into(), variable: "tel".into(), next: to("n") }
    }

    #[test]
    fn ask_for_phone() {
        let s = scenario(vec![node("a", ask(ContactRequest::Phone, "")), node("n", msg("Thanks", None))]);
        let out = begin(&s, BTreeMap::new());
        let shown = Outgoing {
            text: "Your phone?".into(),
            media: None,
            buttons: vec![OutButton::RequestContact { label: "Share my phone number".into() }],
            keyboard: OutKeyboard::Reply,
        };
        assert_eq!(out.effects, vec![Effect::Entered("a".into()), Effect::Send(shown.clone())]);
        assert_eq!(out.session.waiting, Waiting::Contact);
        for input in [text("no"), Input::Location { lat: 1.0, lon: 2.0 }, Input::Phone("12".into())] {
            let again = advance(&s, out.session.clone(), input, 0);
            assert_eq!((again.effects, &again.session), (vec![Effect::Send(shown.clone())], &out.session));
        }
        assert_ignored(&s, &out.session, Input::Callback("sc:a:0".into()));

        let shared = advance(&s, out.session.clone(), Input::Phone("79161234567".into()), 0);
        assert_eq!(shared.session.vars.get("tel").map(String::as_str), Some("79161234567"));
        assert_eq!(shared.session.vars.get("phone").map(String::as_str), Some("79161234567"));
        assert_eq!(sends(&shared.effects)[0].keyboard, OutKeyboard::Remove);

        let typed = advance(&s, out.session, text("+7 916 123-45-67"), 0);
        assert_eq!(typed.session.vars.get("phone").map(String::as_str), Some("+79161234567"));
    }

    #[test]
    fn ask_for_location() {
        let s = scenario(vec![node("a", ask(ContactRequest::Location, "Where are you?")), node("n", end())]);
        let out = begin(&s, BTreeMap::new());
        assert_eq!(sends(&out.effects)[0].buttons, vec![OutButton::RequestLocation { label: "Where are you?".into() }]);
        let again = advance(&s, out.session.clone(), Input::Phone("79161234567".into()), 0);
        assert_eq!(again.session, out.session);
        let done = advance(&s, out.session, Input::Location { lat: 55.75, lon: 37.61 }, 0);
        assert_eq!(done.session.vars.get("tel").map(String::as_str), Some("55.75,37.61"));
        assert_eq!(done.session.waiting, Waiting::Ended);
    }

    #[test]
    fn jump_and_end() {
        let s = scenario(vec![node("j", Step::Jump { target: "e".into() }), node("x", msg("skipped", None)), node("e", end())]);
        let out = begin(&s, BTreeMap::new());
        assert_eq!(
            out.effects,
            vec![Effect::Entered("j".into()), Effect::Completed("j".into()), Effect::Entered("e".into()), Effect::Completed("e".into()), Effect::Ended]
        );
    }

    #[test]
    fn safety_net_stops_a_spinning_loop() {
        let s = scenario(vec![node("a", Step::Jump { target: "b".into() }), node("b", Step::Jump { target: "a".into() })]);
        let (out, net) = start_checked(&s, "sc1", 1, "a", BTreeMap::new(), 0);
        assert!(net);
        assert_eq!(entered(&out).len(), 100);
        assert_eq!(out.effects.last(), Some(&Effect::Ended));
        assert_eq!(out.session.waiting, Waiting::Ended);
    }

    #[test]
    fn seq_counts_changes_only() {
        let s = scenario(vec![node("q", question(AnswerKind::Number, &[], "", to("q2"))), node("q2", question(AnswerKind::Text, &[], "", None))]);
        let out = start(&s, "sc1", 1, "q", BTreeMap::new(), 5);
        assert_eq!(out.session.seq, (5 << 20) + 1);
        assert!(start(&s, "sc1", 1, "q", BTreeMap::new(), u32::MAX).session.seq < 1 << 53);
        let retry = advance(&s, out.session.clone(), text("x"), 0);
        assert_eq!(retry.session.seq, out.session.seq);
        let moved = advance(&s, out.session.clone(), text("5"), 0);
        assert_eq!(moved.session.seq, out.session.seq + 1);
    }

    #[test]
    fn a_session_at_a_node_the_scenario_lacks_ends() {
        let v1 = scenario(vec![node("q", question(AnswerKind::Text, &[], "", None))]);
        let other = scenario(vec![node("x", msg("Hi", None))]);
        let out = begin(&v1, BTreeMap::new());
        let lost = advance(&other, out.session.clone(), text("hello"), 0);
        assert_eq!(lost.effects, vec![Effect::Ended]);
        assert_eq!((lost.session.at, lost.session.waiting), (None, Waiting::Ended));
        // Same id, but a step that cannot wait for an answer.
        let changed = scenario(vec![node("q", msg("Hi", None))]);
        assert_eq!(advance(&changed, out.session, text("hello"), 0).effects, vec![Effect::Ended]);
    }

    /// The driver stores every published version and runs a session on the
    /// version it started on (`session.version`), not the newest one.
    #[test]
    fn sessions_stay_on_their_version() {
        let v1 = scenario(vec![
            node(
                "name",
                Step::Question {
                    text: "Your name?".into(),
                    variable: "name".into(),
                    answer: AnswerKind::Text,
                    choices: vec![],
                    retry_text: String::new(),
                    next: to("bye"),
                },
            ),
            node("bye", msg("Bye {name} (v1)", None)),
        ]);
        let mut v2 = scenario(vec![node("hello", msg("Welcome to v2", None))]);
        v2.triggers[0].node = "hello".into();
        let mut published: BTreeMap<(String, u32), Scenario> = BTreeMap::new();
        published.insert(("sc1".into(), 1), v1.clone());

        let out = start(&v1, "sc1", 1, "name", BTreeMap::new(), 0);
        // Version 2 is published while the buyer is mid-conversation.
        published.insert(("sc1".into(), 2), v2.clone());

        let session = out.session;
        let pinned = published.get(&(session.scenario_id.clone(), session.version)).cloned().unwrap_or_default();
        let done = advance(&pinned, session.clone(), text("Ann"), 0);
        assert_eq!(sends(&done.effects)[0].text, "Bye Ann (v1)");
        assert_eq!(done.session.version, 1);

        // Passing the newest version instead would lose the buyer.
        assert_eq!(advance(&v2, session, text("Ann"), 0).effects, vec![Effect::Ended]);
        // New conversations start on v2.
        assert_eq!(sends(&start(&v2, "sc1", 2, "hello", BTreeMap::new(), 0).effects)[0].text, "Welcome to v2");
    }

    use super::super::validate::targets;

    /// A tiny xorshift generator: property tests without a dependency.
    /// `bad` is the percent chance that a field gets a value validation
    /// refuses (set per graph, so some graphs are clean and some sloppy).
    struct Rng {
        state: u64,
        bad: u64,
    }

    impl Rng {
        fn next(&mut self) -> u64 {
            let mut x = self.state;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.state = x;
            x
        }
        fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }
        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
        fn pick<T: Clone>(&mut self, items: &[T]) -> T {
            items[self.below(items.len())].clone()
        }
        /// One of `good`, or now and then one of `bad`.
        fn value<T: Clone>(&mut self, good: &[T], bad: &[T]) -> T {
            if !bad.is_empty() && self.chance(self.bad) {
                self.pick(bad)
            } else {
                self.pick(good)
            }
        }
        fn text(&mut self, good: &[&str], bad: &[&str]) -> String {
            self.value(good, bad).to_string()
        }
    }

    /// A random arrow out of node `i` of `n`: mostly to the next node (so
    /// many graphs pass validation), sometimes further on, backwards or to
    /// itself (loops), nowhere, or to a missing node.
    fn random_target(r: &mut Rng, i: usize, n: usize) -> Option<NodeId> {
        if r.chance(r.bad) {
            return Some("ghost".into());
        }
        match r.below(20) {
            0 | 1 => None,
            2..=5 => Some(format!("n{}", r.below(n))),
            6..=9 if i + 1 < n => Some(format!("n{}", i + 1 + r.below(n - i - 1))),
            _ if i + 1 < n => Some(format!("n{}", i + 1)),
            _ => None,
        }
    }

    fn random_step(r: &mut Rng, i: usize, n: usize) -> Step {
        let vars = ["make", "model", "budget", "year", "phone", "found_listing"];
        let var = |r: &mut Rng| r.text(&vars, &["", "bad name"]);
        // Steps that end or jump are rarer, so later nodes stay reachable.
        let kind = if r.chance(85) { r.pick(&[0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 10, 11]) } else { r.pick(&[9, 12, 13]) };
        match kind {
            0 => {
                let media = match r.below(8) {
                    0 => Some(Media { kind: MediaKind::Photo, file_id: r.text(&["AgAD"], &[""]) }),
                    1 => Some(Media { kind: MediaKind::Sticker, file_id: "CAAD".into() }),
                    _ => None,
                };
                let text = match &media {
                    Some(m) if m.kind == MediaKind::Sticker => r.text(&[""], &["Hi"]),
                    Some(_) => r.text(&["", "Look {first_name}"], &[]),
                    None => r.text(&["Hi {first_name}", "Welcome", "Budget {budget}"], &["", " "]),
                };
                Step::Message { text, media, buttons: vec![], keyboard: Keyboard::Inline, next: random_target(r, i, n) }
            }
            1 => {
                let keyboard = if r.chance(50) { Keyboard::Inline } else { Keyboard::Reply };
                let buttons = (0..1 + r.below(3))
                    .map(|b| {
                        let url = (keyboard == Keyboard::Inline && r.chance(15)).then(|| r.text(&["https://dealer.example"], &["ftp://x"]));
                        let mut next = if url.is_some() && !r.chance(r.bad) { None } else { random_target(r, i, n) };
                        if next.is_none() && url.is_none() && keyboard == Keyboard::Inline && !r.chance(r.bad) {
                            next = Some(format!("n{}", (i + 1).min(n - 1)));
                        }
                        let label = format!("{}{b}", r.text(&["Yes ", "No ", "More "], &[""]));
                        Button { label, next, url }
                    })
                    .collect();
                let next = if r.chance(30) { random_target(r, i, n) } else { None };
                Step::Message { text: "Pick".into(), media: None, buttons, keyboard, next }
            }
            2 => {
                let answer = r.pick(&[AnswerKind::Text, AnswerKind::Number, AnswerKind::Phone, AnswerKind::Year, AnswerKind::Choice]);
                let with_choices = if answer == AnswerKind::Choice { !r.chance(r.bad) } else { r.chance(10) };
                let choices = if with_choices { vec!["Manual".into(), "Automatic".into()] } else { vec![] };
                Step::Question {
                    text: "Q {make}?".into(),
                    variable: var(r),
                    answer,
                    choices,
                    retry_text: r.text(&["", "Again please"], &[]),
                    next: random_target(r, i, n),
                }
            }
            3 => {
                let ops = [Op::Eq, Op::Ne, Op::Gt, Op::Gte, Op::Lt, Op::Lte, Op::Contains, Op::IsSet, Op::IsNotSet];
                let count = r.value(&[1, 2], &[0]);
                let branches = (0..count)
                    .map(|_| {
                        let op = r.pick(&ops);
                        let numeric = matches!(op, Op::Gt | Op::Gte | Op::Lt | Op::Lte);
                        let value = if numeric { r.text(&["100", "25 000"], &["abc"]) } else { r.text(&["bmw", "", "100"], &[]) };
                        Branch { variable: var(r), op, value, next: random_target(r, i, n) }
                    })
                    .collect();
                Step::Condition { branches, otherwise: random_target(r, i, n) }
            }
            4 => Step::Delay { seconds: r.value(&[5, 60, 86400], &[0, 3_000_000]), next: random_target(r, i, n) },
            5 => Step::Search {
                make_var: r.text(&vars, &[]),
                model_var: r.text(&["", "model"], &[]),
                budget_var: r.text(&vars, &[]),
                year_var: r.text(&["", "year"], &[]),
                limit: r.value(&[1, 5, 10], &[0, 11]),
                next: random_target(r, i, n),
                no_match: random_target(r, i, n),
            },
            6 => Step::CreateRequest {
                make_var: r.text(&["make"], &[""]),
                model_var: r.text(&["model", "make"], &[]),
                year_var: r.text(&["", "year"], &[]),
                budget_var: r.text(&["", "budget"], &[]),
                note: "Lead {first_name}".into(),
                next: random_target(r, i, n),
            },
            7 => Step::ChannelPost {
                channel: r.text(&["@dealer_news", "-1001234"], &["news"]),
                text: r.text(&["New lead {make}"], &[""]),
                media: None,
                next: random_target(r, i, n),
            },
            8 => Step::Offer {
                listing_id: r.text(&["{found_listing}", "L1", "{nothing}"], &[""]),
                text: "Look".into(),
                button_label: r.text(&["Book"], &[""]),
                booked: if r.chance(60) { random_target(r, i, n) } else { None },
                next: random_target(r, i, n),
            },
            9 => Step::Handoff { text: r.text(&["", "A manager will reply"], &[]), quiet_minutes: r.pick(&[0, 30]) },
            10 => {
                let count = r.value(&[2, 3], &[1]);
                let branches = (0..count).map(|_| SplitBranch { weight: r.pick(&[0, 1, 3]), next: random_target(r, i, n) }).collect();
                Step::Split { branches }
            }
            11 => Step::AskContact {
                text: "Share".into(),
                request: if r.chance(60) { ContactRequest::Phone } else { ContactRequest::Location },
                button_label: r.text(&["", "Send"], &[]),
                variable: var(r),
                next: random_target(r, i, n),
            },
            12 => Step::Jump { target: random_target(r, i, n).unwrap_or_else(|| format!("n{}", r.below(n))) },
            _ => Step::End {},
        }
    }

    fn random_scenario(r: &mut Rng) -> Scenario {
        r.bad = r.pick(&[0, 0, 2, 5, 20]);
        let n = 1 + r.below(8);
        let nodes = (0..n).map(|i| node(&format!("n{i}"), random_step(r, i, n))).collect();
        let count = r.value(&[1, 1, 2, 3], &[0]);
        let mut triggers: Vec<Trigger> = Vec::new();
        for t in 0..count {
            let (kind, value) = match (t, r.below(4)) {
                (0, _) => (TriggerKind::Start, r.text(&[""], &["bad payload"])),
                (_, 0) => (TriggerKind::Start, format!("promo{t}")),
                (_, 1) => (TriggerKind::Keyword, r.text(&["cars, stock", "help"], &[""])),
                (_, 2) => (TriggerKind::Menu, r.text(&["Catalog"], &[""])),
                _ => (TriggerKind::Callback, r.text(&["open"], &["sc:n0:0"])),
            };
            let node = if r.chance(r.bad) {
                "ghost".to_string()
            } else if t == 0 || r.chance(50) {
                "n0".to_string()
            } else {
                format!("n{}", r.below(n))
            };
            triggers.push(Trigger { kind, value, node });
        }
        Scenario { triggers, nodes }
    }

    /// What the buyer could press: the buttons of the last messages shown.
    #[derive(Default)]
    struct Screen {
        callbacks: Vec<String>,
        labels: Vec<String>,
        tokens: Vec<u64>,
    }

    impl Screen {
        fn see(&mut self, effects: &[Effect]) {
            for e in effects {
                match e {
                    Effect::Send(o) => {
                        for b in &o.buttons {
                            match b {
                                OutButton::Callback { data, .. } => self.callbacks.push(data.clone()),
                                OutButton::Text { label } => self.labels.push(label.clone()),
                                _ => {}
                            }
                        }
                    }
                    Effect::Offer { button: Some((_, data)), .. } => self.callbacks.push(data.clone()),
                    Effect::Timer { token, .. } => self.tokens.push(*token),
                    _ => {}
                }
            }
        }
    }

    fn random_input(r: &mut Rng, session: &Session, screen: &Screen) -> Input {
        let texts = ["BMW", "  ", "25 000", "lots", "2015", "1800", "+7 916 123 45 67", "123", "manual", "Yes 0", "hello"];
        let phone = |r: &mut Rng| Input::Phone(r.text(&["79161234567", "+7 916 1234567", "12"], &[]));
        let results = |r: &mut Rng| Input::SearchResults { listing_ids: (0..r.below(3)).map(|i| format!("L{i}")).collect() };
        let location = Input::Location { lat: 55.75, lon: 37.61 };
        // Mostly something that fits what the session waits for...
        if r.chance(60) {
            match session.waiting {
                Waiting::Answer if r.chance(30) && !screen.labels.is_empty() => return Input::Text(r.pick(&screen.labels)),
                Waiting::Answer => return if r.chance(10) { phone(r) } else { Input::Text(r.text(&texts, &[])) },
                Waiting::Button if !screen.callbacks.is_empty() && r.chance(70) => return Input::Callback(r.pick(&screen.callbacks)),
                Waiting::Button if !screen.labels.is_empty() => return Input::Text(r.pick(&screen.labels)),
                Waiting::Contact => {
                    return if r.chance(50) {
                        phone(r)
                    } else if r.chance(50) {
                        location
                    } else {
                        Input::Text(r.text(&texts, &[]))
                    }
                }
                Waiting::Timer { token } => return Input::TimerFired { token },
                Waiting::Search => return results(r),
                _ => {}
            }
        }
        // ...otherwise anything, including stale buttons and old timers.
        match r.below(7) {
            0 => Input::Text(r.text(&texts, &[])),
            1 if !screen.callbacks.is_empty() => Input::Callback(r.pick(&screen.callbacks)),
            1 => Input::Callback("sc:n0:0".into()),
            2 if !screen.tokens.is_empty() => Input::TimerFired { token: r.pick(&screen.tokens) },
            2 => Input::TimerFired { token: r.next() },
            3 => results(r),
            4 => phone(r),
            5 => location,
            _ => Input::Callback("sc:n1:book".into()),
        }
    }

    /// What must hold after every call, whatever the graph and the input.
    fn check_outcome(s: &Scenario, before: Option<&Session>, out: &Outcome, net: bool, accepted: bool, what: &str) {
        if accepted {
            assert!(!net, "{what}: a validated scenario hit the safety net");
        }
        let session = &out.session;
        match (&session.at, session.waiting) {
            (None, Waiting::Ended) => {}
            (Some(at), waiting) if waiting != Waiting::Ended => {
                let node = s.node(at).unwrap_or_else(|| panic!("{what}: waits at a missing node {at}"));
                assert!(can_wait(&node.step, &waiting), "{what}: {waiting:?} at {:?}", node.step);
            }
            other => panic!("{what}: inconsistent session {other:?}"),
        }
        for e in &out.effects {
            match e {
                Effect::Send(o) => {
                    for b in &o.buttons {
                        if let OutButton::Callback { data, .. } = b {
                            assert!(data.len() <= 64, "{what}: callback data {data}");
                        }
                    }
                    assert_eq!(o.buttons.is_empty(), matches!(o.keyboard, OutKeyboard::None | OutKeyboard::Remove), "{what}: {o:?}");
                }
                Effect::Offer { button: Some((_, data)), .. } => assert!(data.len() <= 64),
                _ => {}
            }
        }
        if let Some(before) = before {
            let moved = out.effects.iter().any(|e| matches!(e, Effect::Completed(_) | Effect::Ended));
            if !moved {
                assert_eq!(session, before, "{what}: an input that moved nothing changed the session");
                assert!(out.effects.len() <= 1, "{what}: {:?}", out.effects);
            }
            if before.waiting == Waiting::Ended {
                assert!(out.effects.is_empty(), "{what}: an ended session did something");
            }
        }
        if session.waiting == Waiting::Ended && before.is_none_or(|b| b.waiting != Waiting::Ended) {
            assert_eq!(out.effects.last(), Some(&Effect::Ended), "{what}: ended without saying so");
        }
    }

    #[test]
    fn random_graphs_never_spin_or_get_lost() {
        let mut r = Rng { state: 0x5EED_CA7E_2024_0001, bad: 0 };
        let graphs = 20_000;
        let mut accepted = 0;
        // Accepted graphs with an arrow back to an earlier step or itself (a loop through a wait).
        let mut with_loops = 0;
        let mut waits: BTreeMap<&str, usize> = BTreeMap::new();
        for g in 0..graphs {
            let s = random_scenario(&mut r);
            let ok = super::super::validate::validate(&s).is_empty();
            accepted += usize::from(ok);
            let index = |id: &str| s.nodes.iter().position(|n| n.id == id);
            let loops_back = s.nodes.iter().enumerate().any(|(i, n)| targets(&n.step).iter().any(|(_, t)| index(t).is_some_and(|j| j <= i)));
            with_loops += usize::from(ok && loops_back);
            // Rejected graphs still must not break the engine; fewer inputs suffice.
            let budget = if ok { 30 } else { 8 };
            let mut inputs = 0;
            let mut session: Option<Session> = None;
            let mut screen = Screen::default();
            while inputs < budget {
                let live = session.as_ref().filter(|s| s.waiting != Waiting::Ended).cloned();
                let Some(current) = live else {
                    // (Re)start from a random trigger, or a random node when there is none.
                    let from = if s.triggers.is_empty() { format!("n{}", r.below(s.nodes.len())) } else { r.pick(&s.triggers).node };
                    let (out, net) = start_checked(&s, "sc", 1, &from, vars(&[("first_name", "Ann"), ("budget", "30000")]), r.next() as u32);
                    check_outcome(&s, None, &out, net, ok, &format!("graph {g} start"));
                    screen = Screen::default();
                    screen.see(&out.effects);
                    session = Some(out.session);
                    inputs += 1;
                    continue;
                };
                let input = random_input(&mut r, &current, &screen);
                let (out, net) = advance_checked(&s, current.clone(), input.clone(), r.next() as u32);
                check_outcome(&s, Some(&current), &out, net, ok, &format!("graph {g} input {inputs} {input:?}"));
                if ok {
                    let kind = match out.session.waiting {
                        Waiting::Ended => "ended",
                        Waiting::Answer => "answer",
                        Waiting::Button => "button",
                        Waiting::Contact => "contact",
                        Waiting::Timer { .. } => "timer",
                        Waiting::Search => "search",
                    };
                    *waits.entry(kind).or_default() += 1;
                }
                screen.see(&out.effects);
                session = Some(out.session);
                inputs += 1;
            }
        }
        println!("random graphs: {graphs}, accepted by validate: {accepted} ({with_loops} with loops), waits seen: {waits:?}");
        assert!(accepted >= 2000 && with_loops >= 200, "only {accepted} graphs ({with_loops} with loops) passed validation; the generator needs tuning");
        assert!(waits.len() == 6, "every kind of wait is exercised: {waits:?}");
    }
}
