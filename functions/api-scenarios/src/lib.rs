//! `api-scenarios`: bot scenarios — the editor's drafts (autosaved with a
//! revision check), publishing (refused while the draft has problems) as
//! immutable numbered versions with rollback, duplicates, starter templates,
//! per-node analytics, and the test chat, which runs the engine on the
//! draft against the workspace's real stock but sends nothing to Telegram.

use cartie_apikit::dto::{
    CreateScenarioRequest, NodeStats, ProblemView, SaveScenarioRequest, ScenarioAnalytics, ScenarioList, ScenarioSummary, ScenarioVersionList,
    ScenarioVersionView, ScenarioView, SplitStats, TemplateList, TemplateView,
};
use cartie_apikit::http::no_content;
use cartie_apikit::ops::ScenarioOp;
use cartie_apikit::{authorize, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::scenario::{self as engine, Scenario, Template};
use cartie_domain::{validate, Language};
use cartie_store::scenarios::{ScenarioRecord, VersionRecord};

mod testchat;
use cartie_store::{util, StoreError};

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<ScenarioOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
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

async fn route(app: &App, ctx: Ctx<ScenarioOp>) -> Result<Response<Body>, ApiError> {
    let ws = ctx.ws()?;
    match &ctx.op {
        ScenarioOp::ListScenarios {} => list(app, ws).await,
        ScenarioOp::ListScenarioTemplates { query } => templates(query.lang.unwrap_or_default()),
        ScenarioOp::CreateScenario { body } => create(app, ws, &ctx, body).await,
        ScenarioOp::GetScenario { id } => json(&view(&load(app, ws, id).await?)?),
        ScenarioOp::SaveScenario { id, body } => save(app, ws, &ctx, id, body).await,
        ScenarioOp::DeleteScenario { id } => {
            app.store.delete_scenario(ws, id).await.map_err(not_found)?;
            no_content()
        }
        ScenarioOp::PublishScenario { id } => publish(app, ws, &ctx, id).await,
        ScenarioOp::DuplicateScenario { id } => duplicate(app, ws, &ctx, id).await,
        ScenarioOp::ListScenarioVersions { id } => versions(app, ws, id).await,
        ScenarioOp::RollbackScenario { id, version } => rollback(app, ws, &ctx, id, *version).await,
        ScenarioOp::ScenarioAnalytics { id, query } => analytics(app, ws, id, query.version).await,
        ScenarioOp::TestScenario { id, body } => testchat::test_chat(app, ws, &ctx, id, body).await,
    }
}

async fn list(app: &App, ws: &str) -> Result<Response<Body>, ApiError> {
    let mut all = app.store.scenarios(ws).await?;
    all.sort_by_key(|s| std::cmp::Reverse(s.updated_at_ms));
    json(&ScenarioList { scenarios: all.iter().map(summary).collect() })
}

fn templates(lang: Language) -> Result<Response<Body>, ApiError> {
    json(&TemplateList {
        templates: Template::ALL
            .iter()
            .map(|t| TemplateView { key: t.key().into(), name: t.name(lang).into(), description: t.description(lang).into() })
            .collect(),
    })
}

async fn create(app: &App, ws: &str, ctx: &Ctx<ScenarioOp>, body: &CreateScenarioRequest) -> Result<Response<Body>, ApiError> {
    let graph = match body.template.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Scenario::default(),
        Some(key) => Template::from_key(key)
            .ok_or_else(|| ApiError::invalid("template", "must be lead_generation, catalog_search or support"))?
            .scenario(body.language.unwrap_or_default()),
    };
    let name = validate::name("name", &body.name, 80)?;
    let bot_ids = check_bots(app, ws, &body.bot_ids).await?;
    let r = new_record(ws, ctx, name, bot_ids, &graph)?;
    app.store.create_scenario(&r).await?;
    json_status(StatusCode::CREATED, &view(&r)?)
}

async fn save(app: &App, ws: &str, ctx: &Ctx<ScenarioOp>, id: &str, body: &SaveScenarioRequest) -> Result<Response<Body>, ApiError> {
    let mut r = load(app, ws, id).await?;
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

/// Publishes the draft as a new version, or refuses naming the first
/// problem's node and field.
async fn publish(app: &App, ws: &str, ctx: &Ctx<ScenarioOp>, id: &str) -> Result<Response<Body>, ApiError> {
    let r = load(app, ws, id).await?;
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
    json(&view(&load(app, ws, id).await?)?)
}

async fn duplicate(app: &App, ws: &str, ctx: &Ctx<ScenarioOp>, id: &str) -> Result<Response<Body>, ApiError> {
    let src = load(app, ws, id).await?;
    let name: String = format!("{} (copy)", src.name).chars().take(80).collect();
    let r = new_record(ws, ctx, name, src.bot_ids.clone(), &parse_graph(&src.draft)?)?;
    app.store.create_scenario(&r).await?;
    json_status(StatusCode::CREATED, &view(&r)?)
}

async fn versions(app: &App, ws: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let r = load(app, ws, id).await?;
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

/// The old graph becomes the draft and is published again as a new version:
/// history only grows, so "what ran when" stays answerable.
async fn rollback(app: &App, ws: &str, ctx: &Ctx<ScenarioOp>, id: &str, version: u32) -> Result<Response<Body>, ApiError> {
    let r = load(app, ws, id).await?;
    let old = app.store.scenario_version(ws, &r.id, version).await?.ok_or_else(|| ApiError::not_found("no such version").field("version"))?;
    let draft = ScenarioRecord { draft: old.scenario.clone(), updated_at_ms: util::now_ms(), updated_by: ctx.caller()?.email.clone(), ..r.clone() };
    let saved = app.store.save_scenario_draft(&draft, Some(r.revision)).await.map_err(not_found)?;
    let graph = parse_graph(&saved.draft)?;
    app.store.publish_scenario(&version_of(ws, &r.id, &saved.draft, &graph, ctx.caller()?.email.clone()), saved.revision).await?;
    json(&view(&load(app, ws, id).await?)?)
}

/// Per-node counts of a version (the current one unless asked), in the
/// version's node order; a node nobody reached shows zeros.
async fn analytics(app: &App, ws: &str, id: &str, asked: Option<u32>) -> Result<Response<Body>, ApiError> {
    let r = load(app, ws, id).await?;
    let Some(version) = asked.or(r.published_version) else { return json(&ScenarioAnalytics { version: None, nodes: vec![], splits: vec![] }) };
    let (mut counts, splits) = app.store.scenario_stats(ws, &r.id, version).await?;
    let order: Vec<String> = match app.store.scenario_version(ws, &r.id, version).await? {
        Some(v) => parse_graph(&v.scenario)?.nodes.into_iter().map(|n| n.id).collect(),
        None => vec![],
    };
    counts.sort_by_key(|c| order.iter().position(|n| *n == c.node).unwrap_or(usize::MAX));
    let mut nodes: Vec<NodeStats> = counts
        .iter()
        .map(|c| NodeStats { node: c.node.clone(), entered: c.entered, completed: c.completed, dropped: c.entered.saturating_sub(c.completed) })
        .collect();
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

fn to_json(g: &Scenario) -> Result<String, ApiError> {
    serde_json::to_string(g).map_err(|e| ApiError::internal(e.to_string()))
}

pub(crate) fn parse_graph(s: &str) -> Result<Scenario, ApiError> {
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

fn new_record(ws: &str, ctx: &Ctx<ScenarioOp>, name: String, bot_ids: Vec<i64>, graph: &Scenario) -> Result<ScenarioRecord, ApiError> {
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

pub(crate) async fn load(app: &App, ws: &str, id: &str) -> Result<ScenarioRecord, ApiError> {
    app.store.scenario(ws, id).await?.ok_or_else(|| ApiError::not_found("no such scenario"))
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
