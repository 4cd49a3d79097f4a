//! The test chat: one buyer input to the draft, answered with what the
//! bot would send. The engine runs as in the live bot, with stock searches
//! and offers read from the real inventory; requests, channel posts and
//! hand-offs are described rather than performed, and nothing reaches
//! Telegram.

use std::collections::BTreeMap;

use cartie_apikit::dto::{TestButton, TestChatRequest, TestChatResponse, TestInputKind, TestReply};
use cartie_apikit::ops::ScenarioOp;
use cartie_apikit::photos::{Audience, PhotoLinks};
use cartie_apikit::{json, ApiError, App, Body, Ctx, Response};
use cartie_domain::scenario::{self as engine, Effect, Incoming, Input, OutButton, OutKeyboard, Outgoing, Session, Waiting};
use cartie_store::inventory::ListingFilter;
use cartie_store::util;

use crate::{load, parse_graph};

fn roll() -> u32 {
    u32::from_le_bytes(util::random_bytes::<4>())
}

fn test_reply(out: &Outgoing) -> TestReply {
    let buttons = out
        .buttons
        .iter()
        .map(|b| match b {
            OutButton::Callback { label, data } => TestButton { label: label.clone(), kind: "callback".into(), value: data.clone() },
            OutButton::Url { label, url } => TestButton { label: label.clone(), kind: "url".into(), value: url.clone() },
            OutButton::Text { label } => TestButton { label: label.clone(), kind: "text".into(), value: label.clone() },
            OutButton::RequestContact { label } => TestButton { label: label.clone(), kind: "request_contact".into(), value: String::new() },
            OutButton::RequestLocation { label } => TestButton { label: label.clone(), kind: "request_location".into(), value: String::new() },
        })
        .collect();
    let keyboard = match out.keyboard {
        OutKeyboard::None => "none",
        OutKeyboard::Inline => "inline",
        OutKeyboard::Reply => "reply",
        OutKeyboard::Remove => "remove",
    };
    TestReply {
        text: out.text.clone(),
        media: out.media.as_ref().map(|m| serde_json::to_value(m.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()),
        photo_url: None,
        buttons,
        keyboard: keyboard.into(),
    }
}

fn minutes(m: u32) -> String {
    if m == 0 {
        "until a manager releases it".into()
    } else {
        format!("for {m} min")
    }
}

fn duration(secs: u64) -> String {
    match secs {
        s if s % 86_400 == 0 => format!("{} day(s)", s / 86_400),
        s if s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// One buyer input to the draft: the engine runs as in the live bot, with
/// stock searches and offers read from the real inventory; requests,
/// channel posts and hand-offs are described rather than performed.
pub(crate) async fn test_chat(app: &App, ws: &str, ctx: &Ctx<ScenarioOp>, id: &str, body: &TestChatRequest) -> Result<Response<Body>, ApiError> {
    let r = load(app, ws, id).await?;
    let graph = parse_graph(&r.draft)?;
    let session: Option<Session> = match body.session.clone().filter(|v| !v.is_null()) {
        Some(v) => Some(serde_json::from_value(v).map_err(|_| ApiError::invalid("session", "is not a session from an earlier answer; restart the chat"))?),
        None => None,
    };
    let session = session.filter(|s| s.waiting != Waiting::Ended);
    let caller = ctx.caller()?;
    let vars: BTreeMap<String, String> =
        [("first_name".to_string(), caller.name.split_whitespace().next().unwrap_or("Buyer").to_string()), ("username".to_string(), "test_buyer".to_string())]
            .into();
    let mut outcome = match (body.kind, session) {
        (TestInputKind::Start, _) => {
            let t = engine::find_trigger(&graph, &Incoming::Start { payload: body.text.trim() })
                .ok_or_else(|| ApiError::invalid("kind", "no trigger of this scenario starts on /start; add a start trigger"))?;
            engine::start(&graph, &r.id, 0, &t.node, vars, roll())
        }
        (kind, Some(s)) => {
            let input = match kind {
                // (`Start` was taken by the first arm.)
                TestInputKind::Text | TestInputKind::Start => Input::Text(body.text.clone()),
                TestInputKind::Callback => Input::Callback(body.text.clone()),
                TestInputKind::Phone => Input::Phone(body.text.clone()),
                TestInputKind::Location => {
                    let (lat, lon) = body
                        .text
                        .split_once(',')
                        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
                        .ok_or_else(|| ApiError::invalid("text", "a location is `lat,lon`"))?;
                    Input::Location { lat, lon }
                }
                TestInputKind::Timer => match s.waiting {
                    Waiting::Timer { token } => Input::TimerFired { token },
                    _ => return Err(ApiError::invalid("kind", "the scenario is not waiting on a delay")),
                },
            };
            engine::advance(&graph, s, input, roll())
        }
        (kind, None) => {
            let incoming = match kind {
                TestInputKind::Text => Incoming::Text(body.text.trim()),
                TestInputKind::Callback => Incoming::Callback(body.text.trim()),
                _ => return Err(ApiError::invalid("kind", "the chat has not started: send /start first")),
            };
            let t = engine::find_trigger(&graph, &incoming)
                .ok_or_else(|| ApiError::invalid("text", "nothing in this scenario reacts to that; send /start first"))?;
            engine::start(&graph, &r.id, 0, &t.node, vars, roll())
        }
    };
    let mut replies = Vec::new();
    let mut events = Vec::new();
    // A search feeds its results back into the engine, which may search
    // again; the engine's own visit limit bounds the rounds.
    for _ in 0..20 {
        let mut follow_up = None;
        for effect in &outcome.effects {
            match effect {
                Effect::Send(out) => replies.push(test_reply(out)),
                Effect::Search(q) => {
                    let page = app.store.listings(ws, &ListingFilter::for_search(q), usize::from(q.limit.clamp(1, 10)), None).await?;
                    for l in &page.items {
                        replies.push(TestReply {
                            text: cartie_domain::inventory::card_text(&l.car),
                            media: None,
                            photo_url: cover(app, ws, &l.car).await?,
                            buttons: vec![],
                            keyboard: "none".into(),
                        });
                    }
                    events.push(format!("stock search: {} car(s) found", page.items.len()));
                    follow_up = Some(Input::SearchResults { listing_ids: page.items.iter().map(|l| l.id.clone()).collect() });
                }
                Effect::Offer { listing_id, text, button } => match app.store.listing(ws, listing_id).await? {
                    Some(l) => {
                        let card = cartie_domain::inventory::card_text(&l.car);
                        let text = if text.trim().is_empty() { card } else { format!("{text}\n\n{card}") };
                        let buttons =
                            button.iter().map(|(label, data)| TestButton { label: label.clone(), kind: "callback".into(), value: data.clone() }).collect();
                        replies.push(TestReply { text, media: None, photo_url: cover(app, ws, &l.car).await?, buttons, keyboard: "inline".into() });
                    }
                    None => events.push(format!("offer skipped: no car {listing_id} in stock")),
                },
                Effect::CreateRequest(d) => events.push(format!("request created: {} {}", d.make, d.model)),
                Effect::ChannelPost { channel, .. } => events.push(format!("posts to {channel}")),
                Effect::Handoff { quiet_minutes } => events.push(format!("handed off to a manager; the bot stays quiet {}", minutes(*quiet_minutes))),
                Effect::Timer { seconds, .. } => events.push(format!("waits {} (press Skip delay to go on)", duration(*seconds))),
                Effect::SplitPick { node, branch } => events.push(format!("A/B split {node}: branch {}", branch + 1)),
                Effect::Ended => events.push("scenario ended".into()),
                Effect::Entered(_) | Effect::Completed(_) => {}
            }
        }
        match follow_up {
            Some(input) => outcome = engine::advance(&graph, outcome.session.clone(), input, roll()),
            None => break,
        }
    }
    let s = outcome.session;
    let waiting_at = (s.waiting != Waiting::Ended).then(|| s.at.clone()).flatten();
    json(&TestChatResponse { session: Some(serde_json::to_value(&s).map_err(|e| ApiError::internal(e.to_string()))?), replies, events, waiting_at })
}

/// A car card's photo as the test chat shows it: its cover, an upload as a
/// short-lived link to its large variant.
async fn cover(app: &App, ws: &str, car: &cartie_domain::inventory::ListingInput) -> Result<Option<String>, ApiError> {
    let Some(first) = car.photos.first() else { return Ok(None) };
    let links = PhotoLinks::read(&app.files, ws, [first], Audience::Team).await?;
    Ok(links.link(first).await?.map(|l| l.full))
}
