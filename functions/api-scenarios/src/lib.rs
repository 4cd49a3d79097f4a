//! `api-scenarios`: bot scenarios — the editor's drafts (autosaved with a
//! revision check), publishing (refused while the draft has problems) as
//! immutable numbered versions with rollback, duplicates, starter templates,
//! per-node analytics, and the test chat, which runs the engine on the
//! draft against the workspace's real stock but sends nothing to Telegram.

use std::collections::BTreeMap;

use cartie_apikit::dto::{
    CreateScenarioRequest, NodeStats, ProblemView, SaveScenarioRequest, ScenarioAnalytics, ScenarioList, ScenarioSummary, ScenarioVersionList,
    ScenarioVersionView, ScenarioView, SplitStats, TemplateList, TemplateView, TestButton, TestChatRequest, TestChatResponse, TestInputKind, TestReply,
};
use cartie_apikit::http::{no_content, query};
use cartie_apikit::{authorize, json, json_status, parse_json, ApiError, App, Body, Ctx, Function, Request, Response, StatusCode};
use cartie_domain::validate;
use cartie_domain::scenario::{self as engine, Effect, Incoming, Input, OutButton, OutKeyboard, Outgoing, Scenario, Session, Template, Waiting};
use cartie_store::inventory::ListingFilter;
use cartie_store::scenarios::{ScenarioRecord, VersionRecord};
use cartie_store::{util, StoreError};

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize(app, Function::ApiScenarios, &req).await {
        Ok(ctx) => route(app, ctx, &req).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

fn not_found(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("no such scenario"),
        other => other.into(),
    }
}

async fn route(app: &App, ctx: Ctx, req: &Request) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match ctx.route.op {
        "listScenarios" => {
            let mut all = app.store.scenarios(ws).await?;
            all.sort_by_key(|s| std::cmp::Reverse(s.updated_at_ms));
            json(&ScenarioList { scenarios: all.iter().map(summary).collect() })
        }
        "listScenarioTemplates" => json(&TemplateList {
            templates: Template::ALL.iter().map(|t| TemplateView { key: t.key().into(), name: t.name().into(), description: t.description().into() }).collect(),
        }),
        "createScenario" => {
            let body: CreateScenarioRequest = parse_json(req)?;
            let graph = match body.template.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => Scenario::default(),
                Some(key) => Template::from_key(key).ok_or_else(|| ApiError::invalid("template", "must be lead_generation, catalog_search or support"))?.scenario(),
            };
            let name = validate::name("name", &body.name, 80)?;
            let bot_ids = check_bots(app, ws, &body.bot_ids).await?;
            let r = new_record(ws, &ctx, name, bot_ids, &graph)?;
            app.store.create_scenario(&r).await?;
            json_status(StatusCode::CREATED, &view(&r)?)
        }
        "getScenario" => json(&view(&load(app, ws, &ctx).await?)?),
        "saveScenario" => {
            let body: SaveScenarioRequest = parse_json(req)?;
            let mut r = load(app, ws, &ctx).await?;
            r.name = validate::name("name", &body.name, 80)?;
            r.bot_ids = check_bots(app, ws, &body.bot_ids).await?;
            r.draft = to_json(&body.draft)?;
            if r.draft.len() > 300_000 {
                return Err(ApiError::invalid("draft", "the scenario is too large to store (300 KB of JSON at most)"));
            }
            r.updated_at_ms = util::now_ms();
            r.updated_by = ctx.caller()?.email.clone();
            let saved = app.store.save_scenario_draft(&r, body.revision).await.map_err(not_found)?;
            json(&view(&saved)?)
        }
        "deleteScenario" => {
            app.store.delete_scenario(ws, ctx.param("id")).await.map_err(not_found)?;
            no_content()
        }
        "publishScenario" => {
            let r = load(app, ws, &ctx).await?;
            let graph = parse_graph(&r.draft)?;
            let problems = engine::validate(&graph);
            if let Some(p) = problems.first() {
                let field = match &p.node {
                    Some(n) => format!("nodes.{n}.{}", p.field),
                    None => p.field.clone(),
                };
                let more = if problems.len() > 1 { format!(" (and {} more problems)", problems.len() - 1) } else { String::new() };
                let at = p.node.as_deref().map(|n| format!("node {n}: ")).unwrap_or_default();
                return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_scenario", format!("cannot publish: {at}{}{more}", p.message)).field(field));
            }
            let by = ctx.caller()?.email.clone();
            app.store.publish_scenario(&version_of(ws, &r.id, &r.draft, &graph, by), r.revision).await.map_err(not_found)?;
            json(&view(&load(app, ws, &ctx).await?)?)
        }
        "duplicateScenario" => {
            let src = load(app, ws, &ctx).await?;
            let name: String = format!("{} (copy)", src.name).chars().take(80).collect();
            let r = new_record(ws, &ctx, name, src.bot_ids.clone(), &parse_graph(&src.draft)?)?;
            app.store.create_scenario(&r).await?;
            json_status(StatusCode::CREATED, &view(&r)?)
        }
        "listScenarioVersions" => {
            let r = load(app, ws, &ctx).await?;
            let versions = app.store.scenario_versions(ws, &r.id).await?;
            json(&ScenarioVersionList {
                versions: versions
                    .iter()
                    .map(|v| ScenarioVersionView {
                        version: v.version,
                        published_at: util::rfc3339(v.published_at_ms),
                        published_by: v.published_by.clone(),
                        nodes: v.nodes,
                        current: Some(v.version) == r.published_version,
                    })
                    .collect(),
            })
        }
        "rollbackScenario" => {
            let r = load(app, ws, &ctx).await?;
            let version: u32 = ctx.param("version").parse().map_err(|_| ApiError::not_found("no such version"))?;
            let old = app.store.scenario_version(ws, &r.id, version).await?.ok_or_else(|| ApiError::not_found("no such version"))?;
            // The old graph becomes the draft and is published again as a new
            // version: history only grows, so "what ran when" stays answerable.
            let draft = ScenarioRecord { draft: old.scenario.clone(), updated_at_ms: util::now_ms(), updated_by: ctx.caller()?.email.clone(), ..r.clone() };
            let saved = app.store.save_scenario_draft(&draft, Some(r.revision)).await.map_err(not_found)?;
            let graph = parse_graph(&saved.draft)?;
            app.store.publish_scenario(&version_of(ws, &r.id, &saved.draft, &graph, ctx.caller()?.email.clone()), saved.revision).await?;
            json(&view(&load(app, ws, &ctx).await?)?)
        }
        "scenarioAnalytics" => {
            let r = load(app, ws, &ctx).await?;
            let version = match query(req, "version").filter(|v| !v.is_empty()) {
                Some(v) => Some(v.parse::<u32>().map_err(|_| ApiError::invalid("version", "must be a version number"))?),
                None => r.published_version,
            };
            let Some(version) = version else { return json(&ScenarioAnalytics { version: None, nodes: vec![], splits: vec![] }) };
            let (mut counts, splits) = app.store.scenario_stats(ws, &r.id, version).await?;
            // Nodes in the version's order; a node nobody reached shows zeros.
            let order: Vec<String> = match app.store.scenario_version(ws, &r.id, version).await? {
                Some(v) => parse_graph(&v.scenario)?.nodes.into_iter().map(|n| n.id).collect(),
                None => vec![],
            };
            counts.sort_by_key(|c| order.iter().position(|n| *n == c.node).unwrap_or(usize::MAX));
            let mut nodes: Vec<NodeStats> =
                counts.iter().map(|c| NodeStats { node: c.node.clone(), entered: c.entered, completed: c.completed, dropped: c.entered.saturating_sub(c.completed) }).collect();
            for n in order {
                if !nodes.iter().any(|s| s.node == n) {
                    nodes.push(NodeStats { node: n, entered: 0, completed: 0, dropped: 0 });
                }
            }
            json(&ScenarioAnalytics {
                version: Some(version),
                nodes,
                splits: splits.into_iter().map(|(node, branch, picked)| SplitStats { node, branch, picked }).collect(),
            })
        }
        "testScenario" => test_chat(app, ws, &ctx, parse_json(req)?).await,
        other => Err(ApiError::internal(format!("route {other} is not handled by api-scenarios"))),
    }
}

fn to_json(g: &Scenario) -> Result<String, ApiError> {
    serde_json::to_string(g).map_err(|e| ApiError::internal(e.to_string()))
}

fn parse_graph(s: &str) -> Result<Scenario, ApiError> {
    serde_json::from_str(s).map_err(|e| ApiError::internal(format!("a stored scenario does not parse: {e}")))
}

fn version_of(ws: &str, id: &str, draft: &str, graph: &Scenario, by: String) -> VersionRecord {
    VersionRecord {
        workspace_id: ws.into(),
        scenario_id: id.into(),
        version: 0,
        scenario: draft.into(),
        published_at_ms: util::now_ms(),
        published_by: by,
        nodes: graph.nodes.len() as u32,
    }
}

fn new_record(ws: &str, ctx: &Ctx, name: String, bot_ids: Vec<i64>, graph: &Scenario) -> Result<ScenarioRecord, ApiError> {
    let now = util::now_ms();
    Ok(ScenarioRecord {
        workspace_id: ws.into(),
        id: util::new_id(),
        name,
        bot_ids,
        draft: to_json(graph)?,
        revision: 1,
        published_version: None,
        published_revision: None,
        created_at_ms: now,
        updated_at_ms: now,
        updated_by: ctx.caller()?.email.clone(),
    })
}

async fn load(app: &App, ws: &str, ctx: &Ctx) -> Result<ScenarioRecord, ApiError> {
    app.store.scenario(ws, ctx.param("id")).await?.ok_or_else(|| ApiError::not_found("no such scenario"))
}

/// Only the workspace's own bots may be named.
async fn check_bots(app: &App, ws: &str, ids: &[i64]) -> Result<Vec<i64>, ApiError> {
    let bots = app.store.bots(ws).await?;
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if !bots.iter().any(|b| b.bot_id == *id) {
            return Err(ApiError::invalid(format!("bot_ids[{i}]"), "is not a bot of this workspace"));
        }
        if !out.contains(id) {
            out.push(*id);
        }
    }
    Ok(out)
}

fn summary(r: &ScenarioRecord) -> ScenarioSummary {
    ScenarioSummary {
        id: r.id.clone(),
        name: r.name.clone(),
        bot_ids: r.bot_ids.clone(),
        published_version: r.published_version,
        has_unpublished_changes: r.has_unpublished_changes(),
        updated_at: util::rfc3339(r.updated_at_ms),
    }
}

fn view(r: &ScenarioRecord) -> Result<ScenarioView, ApiError> {
    let draft = parse_graph(&r.draft)?;
    let problems = engine::validate(&draft).into_iter().map(|p| ProblemView { node: p.node, field: p.field, message: p.message }).collect();
    Ok(ScenarioView {
        id: r.id.clone(),
        name: r.name.clone(),
        bot_ids: r.bot_ids.clone(),
        draft,
        revision: r.revision,
        published_version: r.published_version,
        has_unpublished_changes: r.has_unpublished_changes(),
        problems,
        updated_at: util::rfc3339(r.updated_at_ms),
        updated_by: r.updated_by.clone(),
    })
}

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
async fn test_chat(app: &App, ws: &str, ctx: &Ctx, body: TestChatRequest) -> Result<Response<Body>, ApiError> {
    let r = load(app, ws, ctx).await?;
    let graph = parse_graph(&r.draft)?;
    let session: Option<Session> = match body.session.filter(|v| !v.is_null()) {
        Some(v) => Some(serde_json::from_value(v).map_err(|_| ApiError::invalid("session", "is not a session from an earlier answer; restart the chat"))?),
        None => None,
    };
    let session = session.filter(|s| s.waiting != Waiting::Ended);
    let caller = ctx.caller()?;
    let vars: BTreeMap<String, String> =
        [("first_name".to_string(), caller.name.split_whitespace().next().unwrap_or("Buyer").to_string()), ("username".to_string(), "test_buyer".to_string())].into();
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
                    let (lat, lon) = body.text.split_once(',').and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?))).ok_or_else(|| ApiError::invalid("text", "a location is `lat,lon`"))?;
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
            let t = engine::find_trigger(&graph, &incoming).ok_or_else(|| ApiError::invalid("text", "nothing in this scenario reacts to that; send /start first"))?;
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
                        replies.push(TestReply { text: cartie_domain::inventory::card_text(&l.car), media: None, photo_url: l.car.photos.first().cloned(), buttons: vec![], keyboard: "none".into() });
                    }
                    events.push(format!("stock search: {} car(s) found", page.items.len()));
                    follow_up = Some(Input::SearchResults { listing_ids: page.items.iter().map(|l| l.id.clone()).collect() });
                }
                Effect::Offer { listing_id, text, button } => match app.store.listing(ws, listing_id).await? {
                    Some(l) => {
                        let card = cartie_domain::inventory::card_text(&l.car);
                        let text = if text.trim().is_empty() { card } else { format!("{text}\n\n{card}") };
                        let buttons = button.iter().map(|(label, data)| TestButton { label: label.clone(), kind: "callback".into(), value: data.clone() }).collect();
                        replies.push(TestReply { text, media: None, photo_url: l.car.photos.first().cloned(), buttons, keyboard: "inline".into() });
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
