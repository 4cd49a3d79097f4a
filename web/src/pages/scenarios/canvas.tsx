// The React Flow canvas. Nodes and edges are derived from the scenario model
// on every render (the model is the only truth); React Flow's changes are
// turned back into model edits: a finished drag moves nodes, a new
// connection sets an exit's target, a deleted edge clears it.
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnDelete,
  useNodesInitialized,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useTranslation } from 'react-i18next';
import { NODE_TYPES, type CanvasExit, type StepFlowNode } from './nodes';
import { exitsOf, kindInfo } from './scenario';
import type { Draft, NodeStats, Position, ProblemView } from './types';

export interface EdgeRef {
  source: string;
  handle: string;
}

export interface CanvasProps {
  draft: Draft;
  selectedId: string | null;
  selectedEdge: string | null;
  problems: Map<string, ProblemView[]>;
  stats: Map<string, NodeStats> | null;
  waitingAt: string | null;
  readOnly: boolean;
  onSelectNode: (id: string | null) => void;
  onSelectEdge: (id: string | null) => void;
  onConnect: (source: string, handle: string, target: string) => void;
  onDelete: (nodeIds: string[], edges: EdgeRef[]) => void;
  onMove: (positions: Record<string, Position>) => void;
}

export const edgeId = (source: string, handle: string) => `${source}>${handle}`;

const EDGE_STYLE = { strokeWidth: 2 };
/**
 * The smallest zoom at which a node's smallest text (12 px, see .sc-node in
 * styles.css) still reads at about 11 px. Fitting the view never goes below
 * it: a large scenario is panned (or seen whole in full-screen mode), not
 * shrunk to unreadable text. Zooming out by hand can go further.
 */
export const READABLE_ZOOM = 0.92;
export const FIT_VIEW = { maxZoom: 1, minZoom: READABLE_ZOOM, padding: 0.2 };

/** Edge-creation warnings for handles React Flow has not measured yet are transient; others are worth seeing. */
function onFlowError(code: string, message: string) {
  if (code === '008') return;
  console.warn(`React Flow ${code}: ${message}`);
}

export function Canvas(props: CanvasProps) {
  const { t } = useTranslation('scenarios');
  const { draft, selectedId, selectedEdge, problems, stats, waitingAt, readOnly } = props;
  // Sizes React Flow measured (kept so re-derived nodes are not measured again)
  // and positions of a drag in progress (the model changes when it ends).
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [dragging, setDragging] = useState<Record<string, Position> | null>(null);

  const ids = useMemo(() => new Set(draft.nodes.map((n) => n.id)), [draft.nodes]);

  // Fit the whole scenario once every node has its size (React Flow's own
  // `fitView` runs at the first measurement, when only some nodes have one).
  const rf = useReactFlow();
  const initialized = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!initialized || fitted.current) return;
    fitted.current = true;
    void rf.fitView(FIT_VIEW);
  }, [initialized, rf]);

  const nodes: StepFlowNode[] = useMemo(
    () =>
      draft.nodes.map((n) => {
        const exits: CanvasExit[] = exitsOf(n.step).map((e) => ({ ...e, missing: !!e.target && !ids.has(e.target) }));
        return {
          id: n.id,
          type: 'step' as const,
          position: dragging?.[n.id] ?? n.position,
          selected: n.id === selectedId,
          ariaLabel: t('node.label', { kind: kindInfo(n.step.kind).label, id: n.id }),
          measured: measured[n.id],
          data: {
            node: n,
            exits,
            problems: problems.get(n.id) ?? [],
            triggers: draft.triggers.filter((t) => t.node === n.id),
            stats: stats?.get(n.id) ?? null,
            waiting: waitingAt === n.id,
          },
        };
      }),
    [draft, ids, selectedId, measured, dragging, problems, stats, waitingAt, t],
  );

  const edges: Edge[] = useMemo(
    () =>
      draft.nodes.flatMap((n) =>
        exitsOf(n.step)
          .filter((e) => e.target !== null && ids.has(e.target))
          .map((e) => {
            const id = edgeId(n.id, e.handle);
            return {
              id,
              source: n.id,
              sourceHandle: e.handle,
              target: e.target as string,
              targetHandle: 'in',
              selected: id === selectedEdge,
              markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
              style: EDGE_STYLE,
              ariaLabel: t('node.edge', { from: n.id, exit: e.label, to: e.target }),
            };
          }),
      ),
    [draft.nodes, ids, selectedEdge, t],
  );

  const onNodesChange = (changes: NodeChange<StepFlowNode>[]) => {
    const sizes: Record<string, { width: number; height: number }> = {};
    const moving: Record<string, Position> = {};
    const moved: Record<string, Position> = {};
    for (const c of changes) {
      if (c.type === 'dimensions' && c.dimensions) sizes[c.id] = c.dimensions;
      else if (c.type === 'position' && c.position) (c.dragging ? moving : moved)[c.id] = c.position;
      else if (c.type === 'select' && c.selected) props.onSelectNode(c.id);
    }
    if (Object.keys(sizes).length) setMeasured((m) => ({ ...m, ...sizes }));
    if (Object.keys(moving).length) setDragging((d) => ({ ...d, ...moving }));
    if (Object.keys(moved).length && !readOnly) props.onMove(moved);
  };

  const onEdgesChange = (changes: EdgeChange[]) => {
    for (const c of changes) {
      if (c.type === 'select') {
        if (c.selected) props.onSelectEdge(c.id);
        else if (c.id === selectedEdge) props.onSelectEdge(null);
      }
    }
  };

  const onNodeDragStop = () => {
    if (dragging && !readOnly) props.onMove(dragging);
    setDragging(null);
  };

  const onConnect = (c: Connection) => {
    if (readOnly || !c.source || !c.sourceHandle || !c.target) return;
    props.onConnect(c.source, c.sourceHandle, c.target);
  };

  const onDelete: OnDelete<StepFlowNode, Edge> = ({ nodes: gone, edges: cut }) => {
    if (readOnly) return;
    props.onDelete(
      gone.map((n) => n.id),
      cut.filter((e) => e.sourceHandle).map((e) => ({ source: e.source, handle: e.sourceHandle as string })),
    );
  };

  return (
    <ReactFlow<StepFlowNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onNodeDragStop={onNodeDragStop}
      onNodeClick={(_, n) => props.onSelectNode(n.id)}
      onEdgeClick={(_, e) => props.onSelectEdge(e.id)}
      onPaneClick={() => {
        props.onSelectNode(null);
        props.onSelectEdge(null);
      }}
      onConnect={onConnect}
      onDelete={onDelete}
      isValidConnection={(c) => !!c.target && ids.has(c.target) && c.targetHandle === 'in'}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
      multiSelectionKeyCode={null}
      selectionKeyCode={null}
      minZoom={0.2}
      maxZoom={1.5}
      onError={onFlowError}
      aria-label={t('editor.canvas')}
      ariaLabelConfig={{
        'node.a11yDescription.default': t('flow.node'),
        'node.a11yDescription.keyboardDisabled': t('flow.nodeKeyboard'),
        'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }) => t('flow.moved', { direction: t(`flow.directions.${direction}`), x, y }),
        'edge.a11yDescription.default': t('flow.edge'),
        'controls.ariaLabel': t('flow.controls'),
        'controls.zoomIn.ariaLabel': t('flow.zoomIn'),
        'controls.zoomOut.ariaLabel': t('flow.zoomOut'),
        'controls.fitView.ariaLabel': t('editor.fitView'),
        'controls.interactive.ariaLabel': t('flow.interactive'),
        'minimap.ariaLabel': t('flow.minimap'),
        'handle.ariaLabel': t('flow.handle'),
      }}
    >
      <Background gap={20} />
      <Controls showFitView={false} showInteractive={false} />
    </ReactFlow>
  );
}
