// /scenarios/:id — the visual editor of one scenario: the canvas, a palette
// and tools above it, and a side panel with the selected step's properties
// (or the scenario's settings), the test chat, versions and analytics.
// The scenario model lives in an undo history; autosave sends it to the API.
import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, Maximize2, Minimize2 } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { BotList, BotView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { useDocumentTitle } from '../../components/PageHeader';
import { ErrorState, Loading } from '../../components/States';
import { KindIcon } from './kindIcons';
import { useAutosave, type SaveStatus } from './autosave';
import { EditorBoundary } from './boundary';
import { Canvas, FIT_VIEW, type EdgeRef } from './canvas';
import { NodePanel, ScenarioPanel } from './panel';
import {
  commit,
  connect,
  defaultStep,
  freeSpot,
  initHistory,
  KINDS,
  NODE_W,
  nextNodeId,
  normalizeDraft,
  problemsByNode,
  problemText,
  redo,
  removeNodes,
  undo,
  variablesOf,
  type History,
} from './scenario';
import { AnalyticsPanel, VersionsPanel } from './sidepanels';
import { TestChat } from './testchat';
import type { Draft, EditorDoc, LooseStep, NodeStats, Position, ProblemView, ScenarioView, StepKind } from './types';

export function ScenarioEditor() {
  const { t } = useTranslation('scenarios');
  const { id = '' } = useParams();
  const { me } = useAuth();
  const canEdit = atLeast(me?.role, 'manager');
  const client = useQueryClient();
  const path = `/api/scenarios/${seg(id)}`;
  // The editor holds the scenario from here on (autosave writes it): no refetch behind its back.
  const res = useApiQuery<ScenarioView>(path, { staleTime: Infinity, refetchOnWindowFocus: false });
  const bots = useApiQuery<BotList>('/api/bots');
  const [generation, setGeneration] = useState(0);
  const { refetch } = res;
  useDocumentTitle(res.data?.name?.trim() || t('title'));

  const reload = useCallback(() => {
    setGeneration((g) => g + 1);
    void refetch();
  }, [refetch]);
  const replace = useCallback(
    (v: ScenarioView) => {
      client.setQueryData(keyOf(path), v);
      void invalidate(client, '/api/scenarios', { exact: true });
      setGeneration((g) => g + 1);
    },
    [client, path],
  );

  if (res.error && !res.data) {
    return (
      <>
        <BackLink />
        <ErrorState title={t('editor.loadError')} error={res.error} onRetry={() => void res.refetch()} />
      </>
    );
  }
  if (!res.data) return <Loading label={t('editor.loading')} />;
  return (
    <EditorBoundary onReload={reload}>
      <ReactFlowProvider>
        <Editor
          key={`${res.data.id}#${generation}`}
          view={res.data}
          bots={bots.data?.bots ?? null}
          botsError={bots.error ? errorMessage(bots.error) : null}
          canEdit={canEdit}
          onReload={reload}
          onReplace={replace}
        />
      </ReactFlowProvider>
    </EditorBoundary>
  );
}

function BackLink() {
  const { t } = useTranslation('scenarios');
  return (
    <Link to="/scenarios" className="sc-back" aria-label={t('editor.backToList')}>
      <ArrowLeft size={16} aria-hidden="true" /> {t('title')}
    </Link>
  );
}

type Tab = 'properties' | 'test' | 'versions' | 'analytics';
const TABS: Tab[] = ['properties', 'test', 'versions', 'analytics'];

interface Meta {
  problems: ProblemView[];
  published_version: number | null;
  has_unpublished_changes: boolean;
}

const metaOf = (v: ScenarioView): Meta => ({
  problems: Array.isArray(v.problems) ? v.problems : [],
  published_version: v.published_version ?? null,
  has_unpublished_changes: !!v.has_unpublished_changes,
});

function docOf(v: ScenarioView): EditorDoc {
  return {
    name: typeof v.name === 'string' ? v.name : '',
    bot_ids: Array.isArray(v.bot_ids) ? v.bot_ids.filter((b) => typeof b === 'number') : [],
    draft: normalizeDraft(v.draft),
  };
}

function Editor({
  view,
  bots,
  botsError,
  canEdit,
  onReload,
  onReplace,
}: {
  view: ScenarioView;
  bots: BotView[] | null;
  botsError: string | null;
  canEdit: boolean;
  onReload: () => void;
  onReplace: (v: ScenarioView) => void;
}) {
  const { t } = useTranslation('scenarios');
  const client = useQueryClient();
  const rf = useReactFlow();
  const readOnly = !canEdit;
  const [history, setHistory] = useState<History<EditorDoc>>(() => initHistory(docOf(view)));
  const doc = history.present;
  const [meta, setMeta] = useState<Meta>(() => metaOf(view));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('properties');
  const [showProblems, setShowProblems] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [fullScreen, setFullScreen] = useState(false);
  const [stats, setStats] = useState<Map<string, NodeStats> | null>(null);
  const [waitingAt, setWaitingAt] = useState<string | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);

  const onSaved = useCallback(
    (v: ScenarioView) => {
      setMeta(metaOf(v));
      // The list shows names, bots and versions: it is asked again when next shown.
      void invalidate(client, '/api/scenarios', { exact: true });
    },
    [client],
  );
  const autosave = useAutosave({ id: view.id, doc, revision: view.revision, enabled: canEdit, onSaved });

  // ---- edits ----
  const change = useCallback(
    (fn: (d: EditorDoc) => EditorDoc, key: string | null = null) => {
      if (readOnly) return;
      setHistory((h) => commit(h, fn(h.present), key));
    },
    [readOnly],
  );
  const changeDraft = useCallback(
    (fn: (d: Draft) => Draft, key: string | null = null) =>
      change((d) => {
        const draft = fn(d.draft);
        return draft === d.draft ? d : { ...d, draft };
      }, key),
    [change],
  );

  const select = useCallback((id: string | null) => {
    setSelectedId(id);
    setSelectedEdge(null);
    if (id) setTab('properties');
  }, []);
  const selectEdge = useCallback((id: string | null) => {
    setSelectedEdge(id);
    if (id) setSelectedId(null);
  }, []);
  const focusNode = (id: string) => {
    select(id);
    setShowProblems(false);
    void rf.fitView({ nodes: [{ id }], maxZoom: 1, padding: 0.6 });
  };

  /** Adds a step right of the selected one (building a chain), else near the middle of the view. */
  const addNode = (kind: StepKind) => {
    const rect = canvasRef.current?.getBoundingClientRect();
    const visible = rect && rect.width > 0;
    const centre = visible ? rf.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
    const after = selectedId ? doc.draft.nodes.find((n) => n.id === selectedId) : undefined;
    const wanted = after
      ? { x: after.position.x + NODE_W + 60, y: after.position.y }
      : { x: Math.round(centre.x - NODE_W / 2), y: Math.round(centre.y - 60) };
    const id = nextNodeId(doc.draft);
    const position = freeSpot(doc.draft.nodes, wanted);
    changeDraft((d) => (d.nodes.some((n) => n.id === id) ? d : { ...d, nodes: [...d.nodes, { id, position, step: defaultStep(kind) }] }));
    select(id);
    // Keep the new step in sight (same zoom).
    if (visible) {
      const topLeft = rf.screenToFlowPosition({ x: rect.left, y: rect.top });
      const bottomRight = rf.screenToFlowPosition({ x: rect.right, y: rect.bottom });
      const inside =
        position.x >= topLeft.x && position.y >= topLeft.y && position.x + NODE_W <= bottomRight.x && position.y + 120 <= bottomRight.y;
      if (!inside) void rf.setCenter(position.x + NODE_W / 2, position.y + 60, { zoom: rf.getZoom() });
    }
  };

  const deleteSelected = () => {
    if (selectedId) {
      const id = selectedId;
      changeDraft((d) => removeNodes(d, [id]));
      setSelectedId(null);
    } else if (selectedEdge) {
      const cut = selectedEdge.lastIndexOf('>');
      const source = selectedEdge.slice(0, cut);
      const handle = selectedEdge.slice(cut + 1);
      changeDraft((d) => connect(d, source, handle, null));
      setSelectedEdge(null);
    }
  };

  const onConnect = useCallback(
    (source: string, handle: string, to: string) => changeDraft((d) => connect(d, source, handle, to)),
    [changeDraft],
  );
  const onDelete = useCallback(
    (nodeIds: string[], edges: EdgeRef[]) => {
      changeDraft((d) => removeNodes(edges.reduce((x, e) => connect(x, e.source, e.handle, null), d), nodeIds));
      setSelectedId((s) => (s && nodeIds.includes(s) ? null : s));
      setSelectedEdge(null);
    },
    [changeDraft],
  );
  const onMove = useCallback(
    (positions: Record<string, Position>) =>
      changeDraft((d) => {
        let moved = false;
        const nodes = d.nodes.map((n) => {
          const p = positions[n.id];
          if (!p || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return n;
          const next = { x: Math.round(p.x), y: Math.round(p.y) };
          if (next.x === n.position.x && next.y === n.position.y) return n;
          moved = true;
          return { ...n, position: next };
        });
        return moved ? { ...d, nodes } : d;
      }),
    [changeDraft],
  );
  const onStep = useCallback(
    (id: string, step: LooseStep, key: string | null) => changeDraft((d) => ({ ...d, nodes: d.nodes.map((n) => (n.id === id ? { ...n, step } : n)) }), key),
    [changeDraft],
  );

  // Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z (or Ctrl+Y) redoes, anywhere but the test chat.
  useEffect(() => {
    if (readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k !== 'z' && k !== 'y') return;
      if (e.target instanceof Element && e.target.closest('[data-own-undo]')) return;
      e.preventDefault();
      if (k === 'y' || e.shiftKey) setHistory((h) => redo(h));
      else setHistory((h) => undo(h));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [readOnly]);

  // ---- publish ----
  const publish = async () => {
    setPublishError(null);
    setNotice(null);
    setPublishing(true);
    try {
      const saved = await autosave.flush();
      if (!saved) {
        setPublishError(t('editor.notSavedNotPublished'));
        return;
      }
      const v = await autosave.run(() => api<ScenarioView>(`/api/scenarios/${seg(view.id)}/publish`, { method: 'POST' }));
      autosave.adopt(v);
      setMeta(metaOf(v));
      setNotice(t('editor.published', { version: v.published_version ?? '?' }));
      void invalidate(client, '/api/scenarios', { exact: true });
    } catch (e) {
      setPublishError(
        e instanceof ApiError && e.status === 422
          ? t('editor.notPublished', { error: errorMessage(e) })
          : t('editor.publishFailed', { error: errorMessage(e) }),
      );
    } finally {
      setPublishing(false);
    }
  };

  const onRolledBack = useCallback(
    (v: ScenarioView) => {
      autosave.stop();
      onReplace(v);
    },
    [autosave, onReplace],
  );

  // ---- derived ----
  const problems = meta.problems;
  const problemMap = useMemo(() => problemsByNode(problems), [problems]);
  const scenarioProblems = useMemo(() => problems.filter((p) => !p.node), [problems]);
  const variables = useMemo(() => variablesOf(doc.draft), [doc.draft]);
  const selectedNode = selectedId ? (doc.draft.nodes.find((n) => n.id === selectedId) ?? null) : null;
  const status = autosave.status;
  const conflict = status.kind === 'conflict';
  const canUndo = history.past.length > 0;
  const canRedo = history.future.length > 0;

  // Full screen: the editor covers the window (Esc leaves); the view is fitted again to the new size.
  useEffect(() => {
    const id = window.setTimeout(() => void rf.fitView(FIT_VIEW), 50);
    if (!fullScreen) return () => window.clearTimeout(id);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !(e.target instanceof Element && e.target.closest('.modal'))) setFullScreen(false);
    };
    window.addEventListener('keydown', onKey);
    document.body.classList.add('sc-fullscreen-open');
    return () => {
      window.clearTimeout(id);
      window.removeEventListener('keydown', onKey);
      document.body.classList.remove('sc-fullscreen-open');
    };
  }, [fullScreen, rf]);

  return (
    <div className={fullScreen ? 'scenario-editor is-fullscreen' : 'scenario-editor'}>
      <header className="sc-header">
        <div className="sc-title">
          <BackLink />
          <h1>{doc.name.trim() || t('untitled')}</h1>
          <span className={meta.published_version ? 'pill' : 'pill pill-muted'}>
            {meta.published_version ? t('editor.live', { version: meta.published_version }) : t('draftOnly')}
          </span>
          {meta.published_version && meta.has_unpublished_changes && <span className="sc-badge-changes">{t('unpublishedChanges')}</span>}
        </div>
        <div className="sc-header-actions">
          {readOnly ? <span className="muted small">{t('editor.readOnly')}</span> : <SaveIndicator status={status} onRetry={autosave.retryNow} />}
          {problems.length > 0 && (
            <button
              type="button"
              className="btn btn-ghost btn-sm sc-problems-toggle"
              aria-expanded={showProblems}
              aria-controls="sc-problems"
              onClick={() => setShowProblems((s) => !s)}
            >
              {t('editor.problems', { count: problems.length })}
            </button>
          )}
          {canEdit && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void publish()}
              disabled={publishing || problems.length > 0 || conflict}
              title={problems.length > 0 ? t('editor.fixToPublish', { count: problems.length }) : undefined}
            >
              {publishing ? t('editor.publishing') : t('editor.publish')}
            </button>
          )}
        </div>
      </header>

      {conflict && (
        <div className="notice notice-warn sc-banner" role="alert">
          <strong>{t('editor.conflictTitle')}</strong> {t('editor.conflictBody')}
          <div className="sc-banner-actions">
            <button type="button" className="btn btn-secondary btn-sm" onClick={onReload}>
              {t('editor.reloadTheirs')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => void autosave.overwrite()}>
              {t('editor.overwrite')}
            </button>
          </div>
        </div>
      )}
      {notice && (
        <div className="notice notice-ok sc-banner" role="status">
          {notice}
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setNotice(null)}>
            {t('common:actions.dismiss')}
          </button>
        </div>
      )}
      {publishError && (
        <div className="form-error sc-banner" role="alert">
          {publishError}
        </div>
      )}
      {showProblems && problems.length > 0 && (
        <div className="sc-problem-list" id="sc-problems">
          <strong>{t('editor.fixThese')}</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {p.node ? (
                  <button type="button" className="btn-link" onClick={() => focusNode(p.node as string)}>
                    <span className="mono">{p.node}</span>: {problemText(p)}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="btn-link"
                    onClick={() => {
                      select(null);
                      setShowProblems(false);
                    }}
                  >
                    {t('editor.scenarioProblem', { problem: problemText(p) })}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}

      {!readOnly && (
        <div className="sc-toolbar" role="toolbar" aria-label={t('editor.tools')}>
          <div className="sc-palette" role="group" aria-label={t('editor.addStep')}>
            {KINDS.map((k) => (
              <button
                key={k.kind}
                type="button"
                className="sc-palette-btn"
                aria-label={t('editor.addKind', { kind: k.label.toLocaleLowerCase() })}
                title={k.help}
                style={{ borderLeftColor: k.color }}
                onClick={() => addNode(k.kind)}
              >
                <KindIcon kind={k.kind} /> {k.label}
              </button>
            ))}
          </div>
          <div className="sc-tools" role="group" aria-label={t('editor.edit')}>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setHistory((h) => undo(h))} disabled={!canUndo} title={t('editor.undoTitle')}>
              {t('editor.undo')}
            </button>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setHistory((h) => redo(h))} disabled={!canRedo} title={t('editor.redoTitle')}>
              {t('editor.redo')}
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-sm btn-danger-text"
              onClick={deleteSelected}
              disabled={!selectedNode && !selectedEdge}
              title={t('editor.deleteSelectedTitle')}
            >
              {t('editor.deleteSelected')}
            </button>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => void rf.fitView(FIT_VIEW)}>
              {t('editor.fitView')}
            </button>
            <FullScreenButton on={fullScreen} onToggle={() => setFullScreen((f) => !f)} />
          </div>
        </div>
      )}
      {readOnly && (
        <div className="sc-toolbar">
          <span />
          <div className="sc-tools">
            <FullScreenButton on={fullScreen} onToggle={() => setFullScreen((f) => !f)} />
          </div>
        </div>
      )}

      <div className="sc-body">
        <div className="sc-canvas" ref={canvasRef}>
          <EditorBoundary onReload={onReload} title={t('editor.canvasFailed')}>
            <Canvas
              draft={doc.draft}
              selectedId={selectedId}
              selectedEdge={selectedEdge}
              problems={problemMap}
              stats={stats}
              waitingAt={waitingAt}
              readOnly={readOnly}
              onSelectNode={select}
              onSelectEdge={selectEdge}
              onConnect={onConnect}
              onDelete={onDelete}
              onMove={onMove}
            />
          </EditorBoundary>
          {doc.draft.nodes.length === 0 && (
            <div className="sc-canvas-empty">
              {readOnly ? t('editor.noSteps') : t('editor.emptyCanvas')}
            </div>
          )}
        </div>
        <aside className="sc-side">
          <div className="sc-tabs" role="tablist" aria-label={t('editor.panels')}>
            {TABS.map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                id={`sc-tab-${k}`}
                aria-selected={tab === k}
                aria-controls={`sc-tabpanel-${k}`}
                className={tab === k ? 'sc-tab active' : 'sc-tab'}
                onClick={() => setTab(k)}
              >
                {t(`editor.tabs.${k}`)}
              </button>
            ))}
          </div>
          <div className="sc-tabpanel" role="tabpanel" id="sc-tabpanel-properties" aria-labelledby="sc-tab-properties" hidden={tab !== 'properties'}>
            {selectedNode ? (
              <NodePanel
                key={selectedNode.id}
                node={selectedNode}
                nodes={doc.draft.nodes}
                problems={problemMap.get(selectedNode.id) ?? []}
                variables={variables}
                readOnly={readOnly}
                onStep={(step, key) => onStep(selectedNode.id, step, key)}
                onDelete={deleteSelected}
                onClose={() => select(null)}
              />
            ) : (
              <ScenarioPanel
                doc={doc}
                bots={bots}
                botsError={botsError}
                problems={scenarioProblems}
                readOnly={readOnly}
                onDoc={change}
                onSelectNode={focusNode}
              />
            )}
          </div>
          <div className="sc-tabpanel" role="tabpanel" id="sc-tabpanel-test" aria-labelledby="sc-tab-test" hidden={tab !== 'test'}>
            <TestChat scenarioId={view.id} flush={autosave.flush} onWaitingAt={setWaitingAt} />
          </div>
          {tab === 'versions' && (
            <div className="sc-tabpanel" role="tabpanel" id="sc-tabpanel-versions" aria-labelledby="sc-tab-versions">
              <VersionsPanel
                key={meta.published_version ?? 0}
                scenarioId={view.id}
                canEdit={canEdit}
                run={autosave.run}
                onRolledBack={onRolledBack}
              />
            </div>
          )}
          {tab === 'analytics' && (
            <div className="sc-tabpanel" role="tabpanel" id="sc-tabpanel-analytics" aria-labelledby="sc-tab-analytics">
              <AnalyticsPanel scenarioId={view.id} draft={doc.draft} onStats={setStats} />
            </div>
          )}
        </aside>
      </div>
    </div>
  );
}

/** Switches the editor between its place in the page and the whole window. */
function FullScreenButton({ on, onToggle }: { on: boolean; onToggle: () => void }) {
  const { t } = useTranslation('scenarios');
  return (
    <button type="button" className="btn btn-secondary btn-sm" onClick={onToggle} aria-pressed={on} title={on ? t('editor.exitFullScreenTitle') : undefined}>
      {on ? <Minimize2 size={14} aria-hidden="true" /> : <Maximize2 size={14} aria-hidden="true" />}{' '}
      {on ? t('editor.exitFullScreen') : t('editor.fullScreen')}
    </button>
  );
}

function SaveIndicator({ status, onRetry }: { status: SaveStatus; onRetry: () => void }) {
  const { t } = useTranslation('scenarios');
  let text: string;
  let cls = 'sc-save';
  let title: string | undefined;
  let retry = false;
  switch (status.kind) {
    case 'saved':
      text = t('save.saved');
      cls += ' is-saved';
      break;
    case 'dirty':
      text = t('save.dirty');
      break;
    case 'saving':
      text = t('common:actions.saving');
      break;
    case 'retrying':
      text = t('save.retrying');
      title = status.message;
      cls += ' is-error';
      break;
    case 'failed':
      text = t('save.notSaved', { error: status.message });
      cls += ' is-error';
      retry = true;
      break;
    case 'invalid':
      text = t('save.notSaved', { error: status.message });
      cls += ' is-error';
      break;
    case 'conflict':
      text = t('save.conflict');
      cls += ' is-error';
      break;
    default:
      text = '';
  }
  return (
    <span className="sc-save-wrap">
      <span className={cls} role="status" aria-live="polite" title={title}>
        {text}
      </span>
      {status.kind === 'retrying' && <span className="sc-save-detail">{status.message}</span>}
      {retry && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={onRetry}>
          {t('common:actions.retry')}
        </button>
      )}
    </span>
  );
}
