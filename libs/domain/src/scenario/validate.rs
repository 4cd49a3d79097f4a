//! The checks a scenario must pass before it is published: every arrow
//! leads somewhere, every step can be reached, nothing loops without the
//! buyer, and every message fits Telegram's limits. Each problem names the
//! step and field at fault so the editor can point at it.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::engine::{button_data, keywords, parse_number, waits_for_press, MAX_VISITS};
use super::model::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// The node at fault; None for scenario-level problems (e.g. no trigger).
    pub node: Option<NodeId>,
    /// The field in the node, e.g. "next", "buttons[2].label", "text".
    pub field: String,
    pub message: String,
}

/// Telegram's limits and Cartie's own.
const TEXT_MAX: usize = 4096;
const CAPTION_MAX: usize = 1024;
const LABEL_MAX: usize = 64;
const BUTTONS_MAX: usize = 100;
const CALLBACK_MAX: usize = 64;
const DELAY_MAX: u64 = 30 * 24 * 3600;

/// Everything that stops `s` from being published; empty = ready.
pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut p = Problems(Vec::new());
    if s.nodes.is_empty() {
        p.scenario("nodes", "The scenario has no steps yet: add at least one.");
    }
    if s.triggers.is_empty() {
        p.scenario("triggers", "Nothing starts this scenario: add a trigger, for example /start.");
    }
    check_ids(s, &mut p);
    check_triggers(s, &mut p);
    for node in &s.nodes {
        check_targets(s, node, &mut p);
        check_step(node, &mut p);
    }
    if !s.triggers.is_empty() {
        check_reachable(s, &mut p);
    }
    check_runs(s, &mut p);
    p.0
}

struct Problems(Vec<Problem>);

impl Problems {
    fn scenario(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(Problem { node: None, field: field.to_string(), message: message.into() });
    }
    fn node(&mut self, node: &str, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem { node: Some(node.to_string()), field: field.into(), message: message.into() });
    }
}

/// A node id: 1..=24 of `A-Z a-z 0-9 _ -` (it travels in callback data).
fn valid_id(id: &str) -> bool {
    (1..=24).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A variable name: 1..=32 of `a-z 0-9 _` (any case).
fn valid_var(name: &str) -> bool {
    (1..=32).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn check_ids(s: &Scenario, p: &mut Problems) {
    let mut seen = BTreeSet::new();
    for node in &s.nodes {
        if !valid_id(&node.id) {
            p.node(&node.id, "id", format!("The step id \"{}\" must be 1-24 letters, digits, _ or -.", node.id));
        }
        if !seen.insert(node.id.as_str()) {
            p.node(&node.id, "id", format!("Two steps have the id \"{}\"; each step needs its own.", node.id));
        }
    }
}

fn check_triggers(s: &Scenario, p: &mut Problems) {
    let mut seen: BTreeMap<(u8, String), usize> = BTreeMap::new();
    for (i, t) in s.triggers.iter().enumerate() {
        let n = i + 1;
        let field = format!("triggers[{i}].value");
        let value = t.value.trim();
        // The keys a later trigger with the same kind would clash on.
        let mut keys: Vec<String> = Vec::new();
        match t.kind {
            TriggerKind::Start => {
                let ok = t.value.len() <= 64 && t.value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !ok {
                    p.scenario(&field, format!("Trigger {n}: a start link code is up to 64 letters, digits, _ or - (no spaces)."));
                }
                keys.push(t.value.clone());
            }
            TriggerKind::Keyword => {
                let list = keywords(&t.value);
                if list.is_empty() {
                    p.scenario(&field, format!("Trigger {n} has no keywords: write at least one word."));
                }
                keys.extend(list.into_iter().map(|k| k.join(" ")));
            }
            TriggerKind::Menu => {
                if value.is_empty() {
                    p.scenario(&field, format!("Trigger {n} has no button label."));
                } else if chars(value) > LABEL_MAX {
                    p.scenario(&field, format!("Trigger {n}'s button label is {} characters; Telegram allows {LABEL_MAX}.", chars(value)));
                }
                keys.push(value.to_lowercase());
            }
            TriggerKind::Callback => {
                if t.value.is_empty() || t.value.len() > CALLBACK_MAX {
                    p.scenario(&field, format!("Trigger {n}: button data must be 1-{CALLBACK_MAX} bytes; it is {}.", t.value.len()));
                } else if t.value.starts_with("sc:") {
                    p.scenario(&field, format!("Trigger {n}: button data starting with \"sc:\" is reserved for scenario buttons."));
                }
                keys.push(t.value.clone());
            }
        }
        for key in keys {
            if let Some(first) = seen.insert((t.kind as u8, key.clone()), n) {
                if first != n {
                    let what = if key.is_empty() { "a plain /start".to_string() } else { format!("\"{key}\"") };
                    p.scenario(&field, format!("Triggers {first} and {n} both react to {what}; keep one."));
                }
            }
        }
        if s.node(&t.node).is_none() {
            p.scenario(&format!("triggers[{i}].node"), format!("Trigger {n} leads to the step \"{}\", which does not exist.", t.node));
        }
    }
}

/// Every arrow out of a step, with its field: all of them are checked and
/// count for reachability.
pub(crate) fn targets(step: &Step) -> Vec<(String, &NodeId)> {
    let mut out: Vec<(String, &NodeId)> = Vec::new();
    fn add<'a>(out: &mut Vec<(String, &'a NodeId)>, field: String, t: &'a Option<NodeId>) {
        if let Some(t) = t {
            out.push((field, t));
        }
    }
    match step {
        Step::Message { buttons, next, .. } => {
            for (i, b) in buttons.iter().enumerate() {
                add(&mut out, format!("buttons[{i}].next"), &b.next);
            }
            add(&mut out, "next".into(), next);
        }
        Step::Condition { branches, otherwise } => {
            for (i, b) in branches.iter().enumerate() {
                add(&mut out, format!("branches[{i}].next"), &b.next);
            }
            add(&mut out, "otherwise".into(), otherwise);
        }
        Step::Split { branches } => {
            for (i, b) in branches.iter().enumerate() {
                add(&mut out, format!("branches[{i}].next"), &b.next);
            }
        }
        Step::Search { next, no_match, .. } => {
            add(&mut out, "next".into(), next);
            add(&mut out, "no_match".into(), no_match);
        }
        Step::Offer { booked, next, .. } => {
            add(&mut out, "booked".into(), booked);
            add(&mut out, "next".into(), next);
        }
        Step::Question { next, .. }
        | Step::Delay { next, .. }
        | Step::CreateRequest { next, .. }
        | Step::ChannelPost { next, .. }
        | Step::AskContact { next, .. } => add(&mut out, "next".into(), next),
        Step::Jump { target } => out.push(("target".into(), target)),
        Step::Handoff { .. } | Step::End {} => {}
    }
    out
}

/// The arrows the engine may follow in the same call, without the buyer:
/// a loop made only of these would spin. A search counts too, because the
/// driver answers it at once. An offer's `next` counts even with `booked`,
/// because an offer whose listing comes out empty goes straight on.
fn immediate(step: &Step) -> Vec<&NodeId> {
    match step {
        Step::Message { buttons, .. } if waits_for_press(buttons) => Vec::new(),
        Step::Question { .. } | Step::AskContact { .. } | Step::Delay { .. } => Vec::new(),
        Step::Offer { next, .. } => next.iter().collect(),
        _ => targets(step).into_iter().map(|(_, t)| t).collect(),
    }
}

fn check_targets(s: &Scenario, node: &Node, p: &mut Problems) {
    for (field, target) in targets(&node.step) {
        if s.node(target).is_none() {
            let msg = if target.is_empty() {
                "This arrow leads to a step with no id.".to_string()
            } else {
                format!("This arrow leads to the step \"{target}\", which does not exist.")
            };
            p.node(&node.id, field, msg);
        }
    }
}

fn check_reachable(s: &Scenario, p: &mut Problems) {
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = s.triggers.iter().map(|t| t.node.as_str()).collect();
    while let Some(id) = queue.pop_front() {
        let Some(node) = s.node(id) else { continue };
        if !reached.insert(id) {
            continue;
        }
        queue.extend(targets(&node.step).into_iter().map(|(_, t)| t.as_str()));
    }
    let mut reported = BTreeSet::new();
    for node in &s.nodes {
        if !reached.contains(node.id.as_str()) && reported.insert(node.id.as_str()) {
            p.node(&node.id, "id", "Nothing leads to this step: link it from a trigger or another step.");
        }
    }
}

/// Loops the engine would spin in without the buyer, and chains of steps
/// too long for one run (both would hit the engine's safety net).
fn check_runs(s: &Scenario, p: &mut Problems) {
    let index: BTreeMap<&str, usize> = s.nodes.iter().enumerate().rev().map(|(i, n)| (n.id.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = s.nodes.iter().map(|n| immediate(&n.step).into_iter().filter_map(|t| index.get(t.as_str()).copied()).collect()).collect();

    // Depth-first search without recursion; a grey node is on the current path.
    const WHITE: u8 = 0;
    const GREY: u8 = 1;
    const BLACK: u8 = 2;
    let mut colour = vec![WHITE; s.nodes.len()];
    // The longest run (in steps) that starts at each node, ignoring loops.
    let mut depth = vec![0usize; s.nodes.len()];
    let mut loops: BTreeSet<Vec<usize>> = BTreeSet::new();
    for root in 0..s.nodes.len() {
        if colour[root] != WHITE {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        colour[root] = GREY;
        while let Some(&(u, i)) = stack.last() {
            match edges[u].get(i) {
                Some(&v) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    if colour[v] == WHITE {
                        colour[v] = GREY;
                        stack.push((v, 0));
                    } else if colour[v] == GREY {
                        let from = stack.iter().position(|&(w, _)| w == v).unwrap_or(0);
                        let mut members: Vec<usize> = stack[from..].iter().map(|&(w, _)| w).collect();
                        members.sort_unstable();
                        loops.insert(members);
                    }
                }
                None => {
                    colour[u] = BLACK;
                    depth[u] = 1 + edges[u].iter().map(|&v| if colour[v] == BLACK { depth[v] } else { 0 }).max().unwrap_or(0);
                    stack.pop();
                }
            }
        }
    }
    for members in &loops {
        let names: Vec<&str> = members.iter().take(10).map(|&i| s.nodes[i].id.as_str()).collect();
        let first = names.first().copied().unwrap_or("");
        let msg = if names.len() == 1 {
            "This step leads back to itself without waiting for the buyer; it would loop forever.".to_string()
        } else {
            format!("Steps {} go round in a loop without waiting for the buyer; add a question, a button or a delay to the loop.", names.join(", "))
        };
        p.node(first, "next", msg);
    }
    if loops.is_empty() {
        if let Some((i, &d)) = depth.iter().enumerate().max_by_key(|&(_, d)| *d) {
            if d > MAX_VISITS {
                p.node(
                    &s.nodes[i].id,
                    "next",
                    format!("{d} steps run in a row from here without waiting for the buyer; at most {MAX_VISITS} can. Add a question or a delay."),
                );
            }
        }
    }
}

fn check_step(node: &Node, p: &mut Problems) {
    let id = node.id.as_str();
    match &node.step {
        Step::Message { text, media, buttons, keyboard, .. } => {
            check_content(id, text, media, p);
            check_buttons(id, buttons, *keyboard, p);
        }
        Step::Question { text, variable, answer, choices, retry_text, .. } => {
            check_text(id, "text", text, true, p);
            check_text(id, "retry_text", retry_text, false, p);
            check_variable(id, "variable", variable, "Choose the variable that stores the answer.", p);
            if *answer == AnswerKind::Choice && choices.is_empty() {
                p.node(id, "choices", "A choice question needs at least one choice.");
            }
            if choices.len() > BUTTONS_MAX {
                p.node(id, "choices", format!("There are {} choices; Telegram shows at most {BUTTONS_MAX}.", choices.len()));
            }
            for (i, c) in choices.iter().enumerate() {
                check_label(id, &format!("choices[{i}]"), &format!("Choice {}", i + 1), c, p);
                if choices[..i].iter().any(|o| o.trim().to_lowercase() == c.trim().to_lowercase()) {
                    p.node(id, format!("choices[{i}]"), format!("Choice {} repeats an earlier choice.", i + 1));
                }
            }
        }
        Step::Condition { branches, .. } => {
            if branches.is_empty() {
                p.node(id, "branches", "A condition needs at least one branch.");
            }
            for (i, b) in branches.iter().enumerate() {
                let n = i + 1;
                check_variable(id, &format!("branches[{i}].variable"), &b.variable, &format!("Branch {n} does not say which variable to check."), p);
                let numeric = matches!(b.op, Op::Gt | Op::Gte | Op::Lt | Op::Lte);
                if numeric && parse_number(&b.value).is_none() {
                    p.node(id, format!("branches[{i}].value"), format!("Branch {n} compares with \"{}\", which is not a number.", b.value));
                }
            }
        }
        Step::Delay { seconds, .. } => {
            if !(1..=DELAY_MAX).contains(seconds) {
                p.node(id, "seconds", "A delay must be between 1 second and 30 days.");
            }
        }
        Step::Search { make_var, model_var, budget_var, year_var, limit, .. } => {
            if !(1..=10).contains(limit) {
                p.node(id, "limit", format!("Show between 1 and 10 cars (now {limit})."));
            }
            for (field, name) in [("make_var", make_var), ("model_var", model_var), ("budget_var", budget_var), ("year_var", year_var)] {
                check_optional_variable(id, field, name, p);
            }
        }
        Step::CreateRequest { make_var, model_var, year_var, budget_var, .. } => {
            check_variable(id, "make_var", make_var, "Choose the variable that holds the make.", p);
            check_variable(id, "model_var", model_var, "Choose the variable that holds the model.", p);
            check_optional_variable(id, "year_var", year_var, p);
            check_optional_variable(id, "budget_var", budget_var, p);
        }
        Step::ChannelPost { channel, text, media, .. } => {
            let c = channel.trim();
            let username = c.strip_prefix('@').is_some_and(|u| (1..=32).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
            let numeric = c.strip_prefix("-100").is_some_and(|d| !d.is_empty() && d.len() <= 16 && d.bytes().all(|b| b.is_ascii_digit()));
            if c.is_empty() {
                p.node(id, "channel", "Choose the channel to post to.");
            } else if !(username || numeric) {
                p.node(id, "channel", format!("\"{c}\" is not a channel: use its @username or its -100… id."));
            }
            check_content(id, text, media, p);
        }
        Step::Offer { listing_id, text, button_label, booked, .. } => {
            if listing_id.trim().is_empty() {
                p.node(id, "listing_id", "Choose the car to offer.");
            }
            if chars(text) > CAPTION_MAX {
                p.node(id, "text", format!("The text is {} characters; a car card allows {CAPTION_MAX}.", chars(text)));
            }
            if booked.is_some() {
                check_label(id, "button_label", "The booking button", button_label, p);
            }
        }
        Step::Handoff { text, .. } => check_text(id, "text", text, false, p),
        Step::Split { branches } => {
            if branches.len() < 2 {
                p.node(id, "branches", "An A/B split needs at least two branches.");
            } else if branches.iter().all(|b| b.weight == 0) {
                p.node(id, "branches", "Give at least one branch of the split a weight above 0.");
            }
        }
        Step::AskContact { text, button_label, variable, .. } => {
            check_text(id, "text", text, true, p);
            if chars(button_label.trim()) > LABEL_MAX {
                p.node(id, "button_label", format!("The button's label is {} characters; Telegram allows {LABEL_MAX}.", chars(button_label.trim())));
            }
            check_variable(id, "variable", variable, "Choose the variable that stores the answer.", p);
        }
        Step::Jump { .. } | Step::End {} => {}
    }
}

/// A text sent on its own: required or not, at most 4096 characters.
fn check_text(id: &str, field: &str, text: &str, required: bool, p: &mut Problems) {
    if required && text.trim().is_empty() {
        p.node(id, field, "Write the text the buyer will see.");
    } else if chars(text) > TEXT_MAX {
        p.node(id, field, format!("The text is {} characters; Telegram allows {TEXT_MAX}.", chars(text)));
    }
}

/// A message's text and media as Telegram accepts them.
fn check_content(id: &str, text: &str, media: &Option<Media>, p: &mut Problems) {
    let has_text = !text.trim().is_empty();
    match media {
        None if !has_text => p.node(id, "text", "No message: write a text or attach a file."),
        None => check_text(id, "text", text, false, p),
        Some(m) => {
            if m.file_id.trim().is_empty() {
                p.node(id, "media.file_id", "The attached file is missing: attach it again.");
            }
            let uncaptioned = match m.kind {
                MediaKind::Sticker => Some("a sticker"),
                MediaKind::VideoNote => Some("a round video"),
                _ => None,
            };
            match uncaptioned {
                Some(what) if has_text => p.node(id, "text", format!("Telegram cannot add text to {what}: remove the text or send it in a separate step.")),
                Some(_) => {}
                None if chars(text) > CAPTION_MAX => {
                    p.node(id, "text", format!("The text is {} characters; Telegram allows {CAPTION_MAX} with a file.", chars(text)))
                }
                None => {}
            }
        }
    }
}

fn check_buttons(id: &str, buttons: &[Button], keyboard: Keyboard, p: &mut Problems) {
    if buttons.len() > BUTTONS_MAX {
        p.node(id, "buttons", format!("There are {} buttons; Telegram allows {BUTTONS_MAX}.", buttons.len()));
    }
    for (i, b) in buttons.iter().enumerate() {
        let n = i + 1;
        let what = format!("Button {n}");
        check_label(id, &format!("buttons[{i}].label"), &what, &b.label, p);
        let field = |f: &str| format!("buttons[{i}].{f}");
        match (&b.url, &b.next, keyboard) {
            (Some(_), Some(_), _) => p.node(id, field("url"), format!("{what} both opens a link and leads to a step; choose one.")),
            (Some(_), None, Keyboard::Reply) => {
                p.node(id, field("url"), format!("{what}: keyboard buttons cannot open links; put link buttons under the message."))
            }
            (Some(url), None, Keyboard::Inline) if !valid_url(url) => {
                p.node(id, field("url"), format!("{what}'s link must start with https://, http:// or tg://."))
            }
            (None, None, Keyboard::Inline) => p.node(id, field("next"), format!("{what} does nothing: link it to a step or give it a link.")),
            _ => {}
        }
        if b.next.is_some() && button_data(id, i).len() > CALLBACK_MAX {
            p.node(id, field("next"), format!("{what}'s button data is too long for Telegram; shorten the step id."));
        }
        if keyboard == Keyboard::Reply
            && b.next.is_some()
            && buttons[..i].iter().any(|o| o.next.is_some() && o.label.trim().to_lowercase() == b.label.trim().to_lowercase())
        {
            p.node(id, field("label"), format!("{what} has the same label as an earlier button; the buyer could not tell them apart."));
        }
    }
}

fn check_label(id: &str, field: &str, what: &str, label: &str, p: &mut Problems) {
    let n = chars(label.trim());
    if n == 0 {
        p.node(id, field, format!("{what} has no label."));
    } else if n > LABEL_MAX {
        p.node(id, field, format!("{what}'s label is {n} characters; Telegram allows {LABEL_MAX}."));
    }
}

fn check_variable(id: &str, field: &str, name: &str, missing: &str, p: &mut Problems) {
    if name.trim().is_empty() {
        p.node(id, field, missing);
    } else {
        check_optional_variable(id, field, name, p);
    }
}

fn check_optional_variable(id: &str, field: &str, name: &str, p: &mut Problems) {
    if !name.is_empty() && !valid_var(name) {
        p.node(id, field, format!("The variable name \"{name}\" must be 1-32 letters, digits or _."));
    }
}

fn valid_url(url: &str) -> bool {
    let url = url.trim();
    let rest = ["https://", "http://", "tg://"]
        .iter()
        .find_map(|scheme| url.get(..scheme.len()).filter(|head| head.eq_ignore_ascii_case(scheme)).map(|_| &url[scheme.len()..]));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.chars().any(char::is_whitespace)) && url.len() <= 2048
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
    fn to(id: &str) -> Option<NodeId> {
        Some(id.to_string())
    }
    fn msg(text: &str, next: Option<NodeId>) -> Step {
        Step::Message { text: text.into(), media: None, buttons: vec![], keyboard: Keyboard::Inline, next }
    }
    fn with_buttons(buttons: Vec<Button>, keyboard: Keyboard) -> Step {
        Step::Message { text: "Pick".into(), media: None, buttons, keyboard, next: None }
    }
    fn button(label: &str, next: Option<NodeId>, url: Option<&str>) -> Button {
        Button { label: label.into(), next, url: url.map(str::to_string) }
    }
    fn question(variable: &str, next: Option<NodeId>) -> Step {
        Step::Question { text: "Q?".into(), variable: variable.into(), answer: AnswerKind::Text, choices: vec![], retry_text: String::new(), next }
    }
    /// A scenario started at its first node, plus an `end` node everything
    /// may lead to (with a trigger of its own, so it is never unreachable).
    fn scenario(mut nodes: Vec<Node>) -> Scenario {
        let first = nodes.first().map(|n| n.id.clone()).unwrap_or_default();
        nodes.push(node("end", Step::End {}));
        Scenario { triggers: vec![trigger(TriggerKind::Start, "", &first), trigger(TriggerKind::Callback, "bye", "end")], nodes }
    }
    /// One step that leads to `end`.
    fn one(step: Step) -> Scenario {
        scenario(vec![node("a", step)])
    }
    /// (node, field) of every problem.
    fn faults(s: &Scenario) -> Vec<(Option<String>, String)> {
        validate(s).into_iter().map(|p| (p.node, p.field)).collect()
    }
    fn at(node: &str, field: &str) -> (Option<String>, String) {
        (Some(node.to_string()), field.to_string())
    }
    fn top(field: &str) -> (Option<String>, String) {
        (None, field.to_string())
    }
    /// The messages of every problem, joined, for checking the wording.
    fn messages(s: &Scenario) -> String {
        validate(s).into_iter().map(|p| p.message).collect::<Vec<_>>().join(" | ")
    }

    #[test]
    fn a_good_scenario_passes() {
        let s = scenario(vec![node("a", msg("Hi", to("q"))), node("q", question("make", to("end")))]);
        assert_eq!(validate(&s), vec![]);
    }

    #[test]
    fn empty_scenario() {
        assert_eq!(faults(&Scenario::default()), vec![top("nodes"), top("triggers")]);
        let mut s = one(msg("Hi", to("end")));
        s.triggers.clear();
        assert_eq!(faults(&s), vec![top("triggers")], "no unreachable noise without triggers");
    }

    #[test]
    fn node_ids() {
        let long = "x".repeat(25);
        let s = scenario(vec![node("a", msg("Hi", to("bad id!"))), node("bad id!", msg("Hi", to(&long))), node(&long, msg("Hi", to("end")))]);
        assert_eq!(faults(&s), vec![at("bad id!", "id"), at(&long, "id")]);
        let s = scenario(vec![node("a", msg("Hi", to("end"))), node("a", msg("Again", to("end")))]);
        assert_eq!(faults(&s), vec![at("a", "id")]);
        assert!(messages(&s).contains("Two steps have the id \"a\""));
    }

    #[test]
    fn missing_targets() {
        let s = Scenario { triggers: vec![trigger(TriggerKind::Start, "", "ghost")], nodes: vec![node("a", Step::End {})] };
        let f = faults(&s);
        assert!(f.contains(&top("triggers[0].node")), "{f:?}");
        assert!(f.contains(&at("a", "id")), "a is unreachable: {f:?}");

        let cases: Vec<(Step, &str)> = vec![
            (msg("Hi", to("ghost")), "next"),
            (with_buttons(vec![button("Go", to("ghost"), None)], Keyboard::Inline), "buttons[0].next"),
            (
                Step::Condition {
                    branches: vec![Branch { variable: "x".into(), op: Op::IsSet, value: String::new(), next: to("end") }],
                    otherwise: to("ghost"),
                },
                "otherwise",
            ),
            (
                Step::Condition {
                    branches: vec![Branch { variable: "x".into(), op: Op::IsSet, value: String::new(), next: to("ghost") }],
                    otherwise: to("end"),
                },
                "branches[0].next",
            ),
            (Step::Offer { listing_id: "L1".into(), text: String::new(), button_label: "Book".into(), booked: to("ghost"), next: to("end") }, "booked"),
            (
                Step::Search {
                    make_var: String::new(),
                    model_var: String::new(),
                    budget_var: String::new(),
                    year_var: String::new(),
                    limit: 5,
                    next: to("end"),
                    no_match: to("ghost"),
                },
                "no_match",
            ),
            (Step::Jump { target: "ghost".into() }, "target"),
            (Step::Split { branches: vec![SplitBranch { weight: 1, next: to("end") }, SplitBranch { weight: 1, next: to("ghost") }] }, "branches[1].next"),
            (Step::Delay { seconds: 5, next: to("ghost") }, "next"),
        ];
        for (step, field) in cases {
            let s = one(step);
            assert_eq!(faults(&s), vec![at("a", field)], "{field}");
            assert!(messages(&s).contains("\"ghost\", which does not exist"));
        }
    }

    #[test]
    fn unreachable_steps() {
        let s = scenario(vec![node("a", msg("Hi", to("end"))), node("lonely", msg("Nobody comes here", to("end")))]);
        assert_eq!(faults(&s), vec![at("lonely", "id")]);
        // Any trigger counts as a way in.
        let mut s = s;
        s.triggers.push(trigger(TriggerKind::Keyword, "lonely", "lonely"));
        assert_eq!(validate(&s), vec![]);
    }

    #[test]
    fn variables() {
        assert_eq!(faults(&one(question("", to("end")))), vec![at("a", "variable")]);
        assert_eq!(faults(&one(question("my var", to("end")))), vec![at("a", "variable")]);
        assert_eq!(faults(&one(question(&"v".repeat(33), to("end")))), vec![at("a", "variable")]);
        assert_eq!(validate(&one(question("Budget_2", to("end")))), vec![], "case-insensitive is fine");
        let ask =
            Step::AskContact { text: "Phone?".into(), request: ContactRequest::Phone, button_label: String::new(), variable: String::new(), next: to("end") };
        assert_eq!(faults(&one(ask)), vec![at("a", "variable")]);
    }

    #[test]
    fn choices() {
        let choice = |choices: &[&str]| Step::Question {
            text: "Gearbox?".into(),
            variable: "gearbox".into(),
            answer: AnswerKind::Choice,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            retry_text: String::new(),
            next: to("end"),
        };
        assert_eq!(faults(&one(choice(&[]))), vec![at("a", "choices")]);
        assert_eq!(validate(&one(choice(&["Manual", "Automatic"]))), vec![]);
        assert_eq!(faults(&one(choice(&["Manual", " manual"]))), vec![at("a", "choices[1]")]);
        assert_eq!(faults(&one(choice(&["Manual", ""]))), vec![at("a", "choices[1]")]);
        let long = "x".repeat(65);
        assert_eq!(faults(&one(choice(&["Manual", &long]))), vec![at("a", "choices[1]")]);
    }

    #[test]
    fn loops_without_the_buyer() {
        // a -> b -> a with jumps.
        let s = scenario(vec![node("a", Step::Jump { target: "b".into() }), node("b", Step::Jump { target: "a".into() })]);
        let f = faults(&s);
        assert!(f.contains(&at("a", "next")), "{f:?}");
        assert!(messages(&s).contains("Steps a, b go round in a loop"));
        // A step pointing at itself.
        assert_eq!(faults(&one(msg("Spam", to("a")))), vec![at("a", "next")]);
        // Through a condition, a search (the driver answers at once) and an offer's next.
        let cond = Step::Condition { branches: vec![], otherwise: to("a") };
        assert!(faults(&one(cond)).contains(&at("a", "next")));
        let search = Step::Search {
            make_var: String::new(),
            model_var: String::new(),
            budget_var: String::new(),
            year_var: String::new(),
            limit: 5,
            next: to("a"),
            no_match: to("end"),
        };
        assert_eq!(faults(&one(search)), vec![at("a", "next")]);
        let offer = Step::Offer { listing_id: "{found_listing}".into(), text: String::new(), button_label: "Book".into(), booked: to("end"), next: to("a") };
        assert_eq!(faults(&one(offer)), vec![at("a", "next")]);

        // A loop through a question, a button, a delay or an ask-contact is fine.
        let s = scenario(vec![node("a", question("x", to("b"))), node("b", Step::Jump { target: "a".into() })]);
        assert_eq!(validate(&s), vec![]);
        let s = scenario(vec![node("a", with_buttons(vec![button("Again", to("b"), None)], Keyboard::Inline)), node("b", msg("Hi", to("a")))]);
        assert_eq!(validate(&s), vec![]);
        let s = scenario(vec![node("a", Step::Delay { seconds: 86400, next: to("b") }), node("b", msg("Still there?", to("a")))]);
        assert_eq!(validate(&s), vec![]);
    }

    #[test]
    fn long_runs_without_the_buyer() {
        // The engine visits at most 100 steps per call: 100 in a row are fine, 101 are not.
        let chain = |n: usize| {
            let mut nodes: Vec<Node> = (0..n - 1).map(|i| node(&format!("j{i}"), Step::Jump { target: format!("j{}", i + 1) })).collect();
            nodes.push(node(&format!("j{}", n - 1), Step::End {}));
            Scenario { triggers: vec![trigger(TriggerKind::Start, "", "j0")], nodes }
        };
        assert_eq!(validate(&chain(100)), vec![]);
        assert_eq!(faults(&chain(101)), vec![at("j0", "next")]);
        let (_, net) = super::super::engine::start_checked(&chain(100), "s", 1, "j0", BTreeMap::new(), 0);
        assert!(!net);
        let (_, net) = super::super::engine::start_checked(&chain(101), "s", 1, "j0", BTreeMap::new(), 0);
        assert!(net, "the rule matches the engine's limit");
    }

    #[test]
    fn message_limits() {
        assert_eq!(faults(&one(msg(&"x".repeat(4096), to("end")))), vec![]);
        assert_eq!(faults(&one(msg(&"x".repeat(4097), to("end")))), vec![at("a", "text")]);
        assert!(messages(&one(msg(&"x".repeat(4097), to("end")))).contains("4097 characters; Telegram allows 4096"));
        assert_eq!(faults(&one(msg("  ", to("end")))), vec![at("a", "text")]);
        assert!(messages(&one(msg("", to("end")))).contains("No message"));

        let media = |kind: MediaKind, file_id: &str, text: &str| Step::Message {
            text: text.into(),
            media: Some(Media { kind, file_id: file_id.into() }),
            buttons: vec![],
            keyboard: Keyboard::Inline,
            next: to("end"),
        };
        assert_eq!(validate(&one(media(MediaKind::Photo, "AgAD", ""))), vec![]);
        assert_eq!(validate(&one(media(MediaKind::Photo, "AgAD", &"x".repeat(1024)))), vec![]);
        assert_eq!(faults(&one(media(MediaKind::Photo, "AgAD", &"x".repeat(1025)))), vec![at("a", "text")]);
        assert_eq!(faults(&one(media(MediaKind::Video, " ", "Hi"))), vec![at("a", "media.file_id")]);
        assert_eq!(faults(&one(media(MediaKind::Sticker, "CAAD", "Hi"))), vec![at("a", "text")]);
        assert_eq!(faults(&one(media(MediaKind::VideoNote, "DQAD", "Hi"))), vec![at("a", "text")]);
        assert_eq!(validate(&one(media(MediaKind::Sticker, "CAAD", ""))), vec![]);
    }

    #[test]
    fn button_rules() {
        let ok = button("Go", to("end"), None);
        let check = |buttons: Vec<Button>, keyboard: Keyboard| faults(&one(with_buttons(buttons, keyboard)));
        assert_eq!(check(vec![ok.clone(), ok.clone(), button(&"x".repeat(72), to("end"), None)], Keyboard::Inline), vec![at("a", "buttons[2].label")]);
        assert!(messages(&one(with_buttons(vec![ok.clone(), ok.clone(), button(&"x".repeat(72), to("end"), None)], Keyboard::Inline)))
            .contains("Button 3's label is 72 characters; Telegram allows 64"));
        assert_eq!(check(vec![button(" ", to("end"), None)], Keyboard::Inline), vec![at("a", "buttons[0].label")]);
        assert_eq!(check(vec![ok.clone(); 100], Keyboard::Inline), vec![]);
        assert_eq!(check(vec![ok.clone(); 101], Keyboard::Inline), vec![at("a", "buttons")]);
        assert_eq!(check(vec![button("Site", None, Some("ftp://x.com"))], Keyboard::Inline), vec![at("a", "buttons[0].url")]);
        assert_eq!(check(vec![button("Site", None, Some("https://"))], Keyboard::Inline), vec![at("a", "buttons[0].url")]);
        assert_eq!(check(vec![button("Site", None, Some("javascript:alert(1)"))], Keyboard::Inline), vec![at("a", "buttons[0].url")]);
        assert_eq!(check(vec![button("Site", None, Some("https://dealer.example/cars")), ok.clone()], Keyboard::Inline), vec![]);
        assert_eq!(check(vec![button("Chat", None, Some("tg://resolve?domain=dealer"))], Keyboard::Inline), vec![]);
        assert_eq!(check(vec![button("Both", to("end"), Some("https://dealer.example"))], Keyboard::Inline), vec![at("a", "buttons[0].url")]);
        assert_eq!(check(vec![button("Site", None, Some("https://dealer.example")), ok.clone()], Keyboard::Reply), vec![at("a", "buttons[0].url")]);
        assert_eq!(check(vec![button("Nothing", None, None), ok.clone()], Keyboard::Inline), vec![at("a", "buttons[0].next")]);
        assert_eq!(check(vec![button("Menu", None, None), ok.clone()], Keyboard::Reply), vec![], "a reply button without a step is a menu button");
        assert_eq!(check(vec![ok.clone(), button(" go", to("end"), None)], Keyboard::Reply), vec![at("a", "buttons[1].label")]);
        assert_eq!(check(vec![ok.clone(), button(" go", to("end"), None)], Keyboard::Inline), vec![]);
    }

    #[test]
    fn condition_rules() {
        let cond = |branches: Vec<Branch>| Step::Condition { branches, otherwise: to("end") };
        let branch = |variable: &str, op: Op, value: &str| Branch { variable: variable.into(), op, value: value.into(), next: to("end") };
        assert_eq!(faults(&one(cond(vec![]))), vec![at("a", "branches")]);
        assert_eq!(faults(&one(cond(vec![branch("", Op::Eq, "x")]))), vec![at("a", "branches[0].variable")]);
        assert_eq!(faults(&one(cond(vec![branch("budget", Op::Gt, "lots")]))), vec![at("a", "branches[0].value")]);
        assert_eq!(faults(&one(cond(vec![branch("budget", Op::Lte, "")]))), vec![at("a", "branches[0].value")]);
        assert_eq!(validate(&one(cond(vec![branch("budget", Op::Gte, "25 000"), branch("make", Op::Eq, "")]))), vec![]);
    }

    #[test]
    fn delay_search_channel_offer_split_request() {
        let delay = |seconds| Step::Delay { seconds, next: to("end") };
        assert_eq!(faults(&one(delay(0))), vec![at("a", "seconds")]);
        assert_eq!(validate(&one(delay(30 * 86400))), vec![]);
        assert_eq!(faults(&one(delay(30 * 86400 + 1))), vec![at("a", "seconds")]);

        let search = |limit, make_var: &str| Step::Search {
            make_var: make_var.into(),
            model_var: String::new(),
            budget_var: String::new(),
            year_var: String::new(),
            limit,
            next: to("end"),
            no_match: to("end"),
        };
        assert_eq!(faults(&one(search(0, ""))), vec![at("a", "limit")]);
        assert_eq!(faults(&one(search(11, ""))), vec![at("a", "limit")]);
        assert_eq!(validate(&one(search(10, "make"))), vec![]);
        assert_eq!(faults(&one(search(5, "the make"))), vec![at("a", "make_var")]);

        let post = |channel: &str| Step::ChannelPost { channel: channel.into(), text: "New car".into(), media: None, next: to("end") };
        assert_eq!(faults(&one(post(""))), vec![at("a", "channel")]);
        assert_eq!(faults(&one(post("dealer_news"))), vec![at("a", "channel")]);
        assert_eq!(faults(&one(post("-12345"))), vec![at("a", "channel")]);
        assert_eq!(faults(&one(post("@"))), vec![at("a", "channel")]);
        assert_eq!(validate(&one(post("@dealer_news"))), vec![]);
        assert_eq!(validate(&one(post("-1001234567890"))), vec![]);
        let empty_post = Step::ChannelPost { channel: "@x".into(), text: String::new(), media: None, next: to("end") };
        assert_eq!(faults(&one(empty_post)), vec![at("a", "text")]);

        let offer = |listing: &str, label: &str| Step::Offer {
            listing_id: listing.into(),
            text: String::new(),
            button_label: label.into(),
            booked: to("end"),
            next: None,
        };
        assert_eq!(faults(&one(offer(" ", "Book"))), vec![at("a", "listing_id")]);
        assert_eq!(faults(&one(offer("L1", ""))), vec![at("a", "button_label")]);
        assert_eq!(validate(&one(offer("{found_listing}", "Book"))), vec![]);

        let split = |weights: &[u32]| Step::Split { branches: weights.iter().map(|&weight| SplitBranch { weight, next: to("end") }).collect() };
        assert_eq!(faults(&one(split(&[1]))), vec![at("a", "branches")]);
        assert_eq!(faults(&one(split(&[0, 0]))), vec![at("a", "branches")]);
        assert_eq!(validate(&one(split(&[0, 1]))), vec![], "a paused variant is fine");
        assert_eq!(validate(&one(split(&[u32::MAX, u32::MAX]))), vec![]);

        let request = |make_var: &str| Step::CreateRequest {
            make_var: make_var.into(),
            model_var: "model".into(),
            year_var: String::new(),
            budget_var: String::new(),
            note: String::new(),
            next: to("end"),
        };
        assert_eq!(faults(&one(request(""))), vec![at("a", "make_var")]);
        assert_eq!(validate(&one(request("make"))), vec![]);

        let handoff = Step::Handoff { text: "x".repeat(4097), quiet_minutes: 0 };
        assert_eq!(faults(&one(handoff)), vec![at("a", "text")]);
    }

    #[test]
    fn trigger_rules() {
        let with = |triggers: Vec<Trigger>| Scenario { triggers, nodes: vec![node("a", Step::End {})] };
        let t = |kind, value: &str| trigger(kind, value, "a");
        assert_eq!(
            validate(&with(vec![
                t(TriggerKind::Start, ""),
                t(TriggerKind::Start, "promo-1_x"),
                t(TriggerKind::Keyword, "cars, test drive"),
                t(TriggerKind::Menu, "Catalog"),
                t(TriggerKind::Callback, "open")
            ])),
            vec![]
        );
        assert_eq!(faults(&with(vec![t(TriggerKind::Keyword, " , ,!")])), vec![top("triggers[0].value")]);
        assert_eq!(faults(&with(vec![t(TriggerKind::Menu, " ")])), vec![top("triggers[0].value")]);
        assert_eq!(faults(&with(vec![t(TriggerKind::Menu, &"m".repeat(65))])), vec![top("triggers[0].value")]);
        assert_eq!(faults(&with(vec![t(TriggerKind::Callback, "")])), vec![top("triggers[0].value")]);
        assert_eq!(faults(&with(vec![t(TriggerKind::Callback, &"c".repeat(65))])), vec![top("triggers[0].value")]);
        assert_eq!(faults(&with(vec![t(TriggerKind::Callback, "sc:a:0")])), vec![top("triggers[0].value")]);
        assert_eq!(faults(&with(vec![t(TriggerKind::Start, "has space")])), vec![top("triggers[0].value")]);
        assert_eq!(faults(&with(vec![t(TriggerKind::Start, &"p".repeat(65))])), vec![top("triggers[0].value")]);

        // The same kind and value twice.
        assert_eq!(faults(&with(vec![t(TriggerKind::Start, ""), t(TriggerKind::Start, "")])), vec![top("triggers[1].value")]);
        assert!(messages(&with(vec![t(TriggerKind::Start, ""), t(TriggerKind::Start, "")])).contains("Triggers 1 and 2 both react to a plain /start"));
        assert_eq!(faults(&with(vec![t(TriggerKind::Menu, "Catalog"), t(TriggerKind::Menu, " catalog")])), vec![top("triggers[1].value")]);
        assert_eq!(faults(&with(vec![t(TriggerKind::Keyword, "cars, stock"), t(TriggerKind::Keyword, "Stock")])), vec![top("triggers[1].value")]);
        // Different kinds may share a value.
        assert_eq!(validate(&with(vec![t(TriggerKind::Menu, "help"), t(TriggerKind::Keyword, "help"), t(TriggerKind::Callback, "help")])), vec![]);
    }
}
