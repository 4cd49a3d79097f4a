//! Starter scenarios a dealer can pick instead of a blank canvas, in
//! English and Ukrainian (what the bot says to buyers). Each one passes
//! `validate` as it is, so it can be published straight away.

use serde::{Deserialize, Serialize};

use super::model::*;
use crate::Language;

/// A text in both languages, picked by `lang`.
fn tr(lang: Language, en: &'static str, uk: &'static str) -> &'static str {
    match lang {
        Language::En => en,
        Language::Uk => uk,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    LeadGeneration,
    CatalogSearch,
    Support,
}

/// Steps follow each other left to right (the editor draws a node's exits
/// on its right), wrapping after `WRAP` steps so a template fits the editor
/// at a readable zoom; a side branch goes one lane down.
const STEP_X: f64 = 300.0;
/// Distance between lanes.
const STEP_Y: f64 = 190.0;
const WRAP: u32 = 4;
/// Lanes a template uses (a wrapped block is this many lanes tall).
const LANES: u32 = 2;

impl Template {
    pub const ALL: [Template; 3] = [Template::LeadGeneration, Template::CatalogSearch, Template::Support];

    /// The key the API uses (`lead_generation`, ...), as in the JSON.
    pub fn key(self) -> &'static str {
        match self {
            Template::LeadGeneration => "lead_generation",
            Template::CatalogSearch => "catalog_search",
            Template::Support => "support",
        }
    }

    pub fn from_key(key: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn name(self, lang: Language) -> &'static str {
        match self {
            Template::LeadGeneration => tr(lang, "Lead generation", "Збір заявок"),
            Template::CatalogSearch => tr(lang, "Catalog search", "Пошук у каталозі"),
            Template::Support => tr(lang, "Support", "Підтримка"),
        }
    }

    pub fn description(self, lang: Language) -> &'static str {
        match self {
            Template::LeadGeneration => tr(
                lang,
                "Asks what car the buyer wants, the budget and the phone number, creates a car request and hands over to a manager.",
                "Питає, яке авто шукає покупець, бюджет і номер телефону, створює запит на авто й передає розмову менеджеру.",
            ),
            Template::CatalogSearch => tr(
                lang,
                "Asks for the make and the budget, shows matching cars from your stock, and takes a request when nothing matches.",
                "Питає марку й бюджет, показує відповідні авто з вашого складу, а якщо нічого не підходить — приймає запит.",
            ),
            Template::Support => {
                tr(lang, "A menu with your opening hours and a button to talk to a manager.", "Меню з годинами роботи й кнопкою «Поговорити з менеджером».")
            }
        }
    }

    /// The scenario, with what the bot says in `lang`.
    pub fn scenario(self, lang: Language) -> Scenario {
        match self {
            Template::LeadGeneration => lead_generation(lang),
            Template::CatalogSearch => catalog_search(lang),
            Template::Support => support(lang),
        }
    }
}

fn node(id: &str, column: u32, row: u32, step: Step) -> Node {
    let (block, step_in_block) = (row / WRAP, row % WRAP);
    Node { id: id.to_string(), position: Position { x: f64::from(step_in_block) * STEP_X, y: f64::from(block * LANES + column) * STEP_Y }, step }
}

fn trigger(kind: TriggerKind, value: &str, node: &str) -> Trigger {
    Trigger { kind, value: value.to_string(), node: node.to_string() }
}

fn to(id: &str) -> Option<NodeId> {
    Some(id.to_string())
}

fn message(text: &str, buttons: Vec<Button>, next: Option<NodeId>) -> Step {
    Step::Message { text: text.to_string(), media: None, buttons, keyboard: Keyboard::Inline, next }
}

fn button(label: &str, next: &str) -> Button {
    Button { label: label.to_string(), next: to(next), url: None }
}

fn question(text: &str, variable: &str, answer: AnswerKind, retry_text: &str, next: &str) -> Step {
    Step::Question { text: text.to_string(), variable: variable.to_string(), answer, choices: Vec::new(), retry_text: retry_text.to_string(), next: to(next) }
}

fn handoff(text: &str) -> Step {
    Step::Handoff { text: text.to_string(), quiet_minutes: 0 }
}

fn create_request(note: &str, next: Option<NodeId>) -> Step {
    Step::CreateRequest {
        make_var: "make".into(),
        model_var: "model".into(),
        year_var: String::new(),
        budget_var: "budget".into(),
        note: note.to_string(),
        next,
    }
}

fn lead_generation(l: Language) -> Scenario {
    let budget_retry = tr(l, "Please send the budget as a number, for example 25000.", "Надішліть бюджет числом, наприклад 25000.");
    Scenario {
        triggers: vec![trigger(TriggerKind::Start, "", "welcome")],
        nodes: vec![
            node(
                "welcome",
                0,
                0,
                message(
                    tr(
                        l,
                        "Hi {first_name}! Let's find your next car — three quick questions.",
                        "Вітаємо, {first_name}! Підберімо вам авто — лише три короткі запитання.",
                    ),
                    Vec::new(),
                    to("make"),
                ),
            ),
            node("make", 0, 1, question(tr(l, "Which make are you looking for?", "Яку марку ви шукаєте?"), "make", AnswerKind::Text, "", "model")),
            node("model", 0, 2, question(tr(l, "Which model?", "Яку модель?"), "model", AnswerKind::Text, "", "budget")),
            node("budget", 0, 3, question(tr(l, "What is your budget?", "Який у вас бюджет?"), "budget", AnswerKind::Number, budget_retry, "phone")),
            node(
                "phone",
                0,
                4,
                Step::AskContact {
                    text: tr(l, "Share your phone number so a manager can call you back.", "Поділіться номером телефону, щоб менеджер вам передзвонив.").into(),
                    request: ContactRequest::Phone,
                    button_label: String::new(),
                    variable: "phone".into(),
                    next: to("request"),
                },
            ),
            node(
                "request",
                0,
                5,
                create_request(tr(l, "Lead from the Telegram bot: {first_name}, {phone}", "Заявка з Telegram-бота: {first_name}, {phone}"), to("handoff")),
            ),
            node("handoff", 0, 6, handoff(tr(l, "Thanks! A manager will contact you shortly.", "Дякуємо! Менеджер незабаром з вами зв'яжеться."))),
        ],
    }
}

fn catalog_search(l: Language) -> Scenario {
    let budget_retry = tr(l, "Please send the budget as a number, for example 25000.", "Надішліть бюджет числом, наприклад 25000.");
    let manager = tr(l, "Talk to a manager", "Поговорити з менеджером");
    Scenario {
        triggers: vec![
            trigger(TriggerKind::Start, "", "make"),
            trigger(TriggerKind::Keyword, tr(l, "cars, stock, catalog", "авто, машини, каталог, наявність"), "make"),
        ],
        nodes: vec![
            node("make", 0, 0, question(tr(l, "Which make are you interested in?", "Яка марка вас цікавить?"), "make", AnswerKind::Text, "", "budget")),
            node(
                "budget",
                0,
                1,
                question(tr(l, "What is your maximum budget?", "Який ваш максимальний бюджет?"), "budget", AnswerKind::Number, budget_retry, "search"),
            ),
            node(
                "search",
                0,
                2,
                Step::Search {
                    make_var: "make".into(),
                    model_var: String::new(),
                    budget_var: "budget".into(),
                    year_var: String::new(),
                    limit: 5,
                    next: to("more"),
                    no_match: to("nothing"),
                },
            ),
            node(
                "more",
                0,
                3,
                message(
                    tr(l, "Want to see more or talk to a manager?", "Показати ще чи поговорити з менеджером?"),
                    vec![button(tr(l, "Search again", "Шукати ще"), "make"), button(manager, "manager")],
                    None,
                ),
            ),
            node("manager", 0, 4, handoff(tr(l, "A manager will reply here shortly.", "Менеджер незабаром відповість тут."))),
            node(
                "nothing",
                1,
                3,
                message(
                    tr(l, "Nothing matches right now — we'll find it for you.", "Зараз нічого не підходить — ми знайдемо авто для вас."),
                    Vec::new(),
                    to("model"),
                ),
            ),
            // A car request needs the model too; only asked when the stock has nothing.
            node("model", 1, 4, question(tr(l, "Which model exactly?", "Яка саме модель?"), "model", AnswerKind::Text, "", "request")),
            node(
                "request",
                1,
                5,
                create_request(
                    tr(l, "Not in stock, asked in the Telegram bot: {first_name}", "Немає в наявності, запит із Telegram-бота: {first_name}"),
                    to("done"),
                ),
            ),
            node("done", 1, 6, Step::End {}),
        ],
    }
}

fn support(l: Language) -> Scenario {
    Scenario {
        triggers: vec![trigger(TriggerKind::Start, "", "menu"), trigger(TriggerKind::Keyword, tr(l, "help, support", "допомога, підтримка"), "menu")],
        nodes: vec![
            node(
                "menu",
                0,
                0,
                message(
                    tr(l, "Hi {first_name}! How can we help?", "Вітаємо, {first_name}! Чим можемо допомогти?"),
                    vec![button(tr(l, "Opening hours", "Години роботи"), "hours"), button(tr(l, "Talk to a manager", "Поговорити з менеджером"), "manager")],
                    None,
                ),
            ),
            node(
                "hours",
                0,
                1,
                message(tr(l, "We are open Monday to Saturday, 9:00 to 19:00.", "Ми працюємо з понеділка по суботу, з 9:00 до 19:00."), Vec::new(), to("done")),
            ),
            node("done", 0, 2, Step::End {}),
            node("manager", 1, 1, handoff(tr(l, "A manager will reply here shortly.", "Менеджер незабаром відповість тут."))),
        ],
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::scenario::engine::*;
    use crate::scenario::validate::validate;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
    fn sent_texts(o: &Outcome) -> Vec<&str> {
        o.effects.iter().filter_map(|e| if let Effect::Send(s) = e { Some(s.text.as_str()) } else { None }).collect()
    }
    fn text(t: &str) -> Input {
        Input::Text(t.to_string())
    }
    /// Starts `scenario` as the driver would for `incoming`.
    fn trigger_start(s: &Scenario, incoming: Incoming) -> Outcome {
        let t = find_trigger(s, &incoming).expect("a trigger fires");
        start(s, "tpl", 1, &t.node, vars(&[("first_name", "Ann")]), 0)
    }

    #[test]
    fn every_template_validates_clean() {
        for t in Template::ALL {
            for lang in [Language::En, Language::Uk] {
                assert_eq!(validate(&t.scenario(lang)), vec![], "{} in {lang:?}", t.name(lang));
                assert!(!t.name(lang).is_empty() && !t.description(lang).is_empty());
            }
            assert_ne!(t.scenario(Language::En), t.scenario(Language::Uk), "{}: the Ukrainian one is translated", t.key());
            assert_eq!(Template::from_key(t.key()), Some(t));
        }
        assert_eq!(Template::LeadGeneration.name(Language::En), "Lead generation");
        assert_eq!(Template::LeadGeneration.name(Language::Uk), "Збір заявок");
        assert_eq!(Template::from_key("nope"), None);
    }

    #[test]
    fn lead_generation_creates_a_request_and_hands_over() {
        let s = Template::LeadGeneration.scenario(Language::En);
        // Laid out in reading order: four steps to a row, then the next row.
        let xs: Vec<f64> = s.nodes.iter().map(|n| n.position.x).collect();
        assert_eq!(xs, vec![0.0, 300.0, 600.0, 900.0, 0.0, 300.0, 600.0]);
        for t in Template::ALL {
            let nodes = t.scenario(Language::En).nodes;
            for (i, a) in nodes.iter().enumerate() {
                for b in &nodes[i + 1..] {
                    let apart = (a.position.x - b.position.x).abs() >= 250.0 || (a.position.y - b.position.y).abs() >= 150.0;
                    assert!(apart, "{:?}: {} and {} overlap in the editor", t, a.id, b.id);
                }
            }
        }

        let out = trigger_start(&s, Incoming::Start { payload: "" });
        assert_eq!(sent_texts(&out), vec!["Hi Ann! Let's find your next car — three quick questions.", "Which make are you looking for?"]);
        let out = advance(&s, out.session, text("BMW"), 0);
        assert_eq!(sent_texts(&out), vec!["Which model?"]);
        let out = advance(&s, out.session, text("X5"), 0);
        assert_eq!(sent_texts(&out), vec!["What is your budget?"]);
        let out = advance(&s, out.session, text("lots"), 0);
        assert_eq!(sent_texts(&out), vec!["Please send the budget as a number, for example 25000."]);
        let out = advance(&s, out.session, text("30 000 $"), 0);
        assert_eq!(out.session.waiting, Waiting::Contact);
        let out = advance(&s, out.session, Input::Phone("+79161234567".into()), 0);
        let draft = RequestDraft {
            make: "BMW".into(),
            model: "X5".into(),
            year_min: None,
            budget_max: Some(30000),
            note: "Lead from the Telegram bot: Ann, +79161234567".into(),
        };
        assert!(out.effects.contains(&Effect::CreateRequest(draft)), "{:?}", out.effects);
        assert!(out.effects.contains(&Effect::Handoff { quiet_minutes: 0 }));
        assert_eq!(sent_texts(&out), vec!["Thanks! A manager will contact you shortly."]);
        assert_eq!(out.effects.last(), Some(&Effect::Ended));
        assert_eq!(out.session.vars.get("budget").map(String::as_str), Some("30000"));
    }

    #[test]
    fn catalog_search_shows_cars_or_takes_a_request() {
        let s = Template::CatalogSearch.scenario(Language::En);
        let out = trigger_start(&s, Incoming::Text("What's in stock?"));
        assert_eq!(sent_texts(&out), vec!["Which make are you interested in?"]);
        let out = advance(&s, out.session, text("Kia"), 0);
        let out = advance(&s, out.session, text("20 000"), 0);
        let query = SearchQuery { make: Some("Kia".into()), model: None, budget_max: Some(20000), year_min: None, limit: 5 };
        assert!(out.effects.contains(&Effect::Search(query)));
        let searching = out.session;

        // Cars found: offer to search again or talk to a manager.
        let found = advance(&s, searching.clone(), Input::SearchResults { listing_ids: vec!["L1".into()] }, 0);
        assert_eq!(sent_texts(&found), vec!["Want to see more or talk to a manager?"]);
        let again = advance(&s, found.session.clone(), Input::Callback("sc:more:0".into()), 0);
        assert_eq!(sent_texts(&again), vec!["Which make are you interested in?"]);
        let manager = advance(&s, found.session, Input::Callback("sc:more:1".into()), 0);
        assert!(manager.effects.contains(&Effect::Handoff { quiet_minutes: 0 }));

        // Nothing found: ask the model and take a request.
        let none = advance(&s, searching, Input::SearchResults { listing_ids: vec![] }, 0);
        assert_eq!(sent_texts(&none), vec!["Nothing matches right now — we'll find it for you.", "Which model exactly?"]);
        let done = advance(&s, none.session, text("Rio"), 0);
        let made = done.effects.iter().any(|e| matches!(e, Effect::CreateRequest(d) if d.make == "Kia" && d.model == "Rio" && d.budget_max == Some(20000)));
        assert!(made, "{:?}", done.effects);
        assert_eq!(done.effects.last(), Some(&Effect::Ended));
    }

    #[test]
    fn support_menu() {
        let s = Template::Support.scenario(Language::En);
        let out = trigger_start(&s, Incoming::Text("I need HELP"));
        assert_eq!(sent_texts(&out), vec!["Hi Ann! How can we help?"]);
        let hours = advance(&s, out.session.clone(), Input::Callback("sc:menu:0".into()), 0);
        assert_eq!(sent_texts(&hours), vec!["We are open Monday to Saturday, 9:00 to 19:00."]);
        assert_eq!(hours.effects.last(), Some(&Effect::Ended));
        let manager = advance(&s, out.session, Input::Callback("sc:menu:1".into()), 0);
        assert!(manager.effects.contains(&Effect::Handoff { quiet_minutes: 0 }));
    }
}
