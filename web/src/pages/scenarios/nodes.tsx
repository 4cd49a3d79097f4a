// The canvas node: one component for every step kind, showing the kind's
// icon and colour, a compact summary, the trigger badges, the problems
// marker and one source handle per exit. It reads the step only through the
// safe summaries of scenario.ts, and a per-node error boundary turns any
// surprise into a fallback instead of a blank canvas.
import { Component, memo, useEffect, type CSSProperties, type ReactNode } from 'react';
import { Handle, Position, useUpdateNodeInternals, type Node, type NodeProps } from '@xyflow/react';
import { Check, Play, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { KindIcon } from './kindIcons';
import { kindInfo, problemText, summarize, triggerText, type Exit } from './scenario';
import type { EditorNode, EditorTrigger, NodeStats, ProblemView } from './types';

export interface CanvasExit extends Exit {
  /** The exit names a node that does not exist. */
  missing: boolean;
}

export type StepNodeData = {
  node: EditorNode;
  exits: CanvasExit[];
  problems: ProblemView[];
  triggers: EditorTrigger[];
  stats: NodeStats | null;
  /** The test chat waits for the buyer at this node. */
  waiting: boolean;
};

export type StepFlowNode = Node<StepNodeData, 'step'>;

class NodeBoundary extends Component<{ id: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    if (this.state.failed) {
      return (
        <div className="sc-node sc-node-broken" data-testid={`node-${this.props.id}`} role="group" aria-label={i18n.t('scenarios:node.step', { id: this.props.id })}>
          <div className="sc-node-body">
            <div className="sc-line muted">{i18n.t('scenarios:node.broken')}</div>
          </div>
        </div>
      );
    }
    return this.props.children;
  }
}

function StepNodeView({ id, data, selected }: NodeProps<StepFlowNode>) {
  const updateInternals = useUpdateNodeInternals();
  const exits = Array.isArray(data?.exits) ? data.exits : [];
  const handleKey = exits.map((e) => e.handle).join('|');
  // Handles come and go with buttons and branches: let React Flow measure them again.
  useEffect(() => {
    updateInternals(id);
  }, [id, handleKey, updateInternals]);

  return (
    <NodeBoundary id={id}>
      <StepNodeBody id={id} data={data} selected={!!selected} exits={exits} />
    </NodeBoundary>
  );
}

function StepNodeBody({ id, data, selected, exits }: { id: string; data: StepNodeData; selected: boolean; exits: CanvasExit[] }) {
  const step = data.node?.step;
  const info = kindInfo(typeof step?.kind === 'string' ? step.kind : '');
  const lines = summarize(step);
  const problems = data.problems ?? [];
  const triggers = data.triggers ?? [];
  const classes = ['sc-node', `sc-kind-${info.kind || 'unknown'}`];
  if (selected) classes.push('is-selected');
  if (problems.length) classes.push('has-problems');
  if (data.waiting) classes.push('is-waiting');
  const { t } = useTranslation('scenarios');
  const problemLines = problems.map(problemText).join('\n');
  const label = problems.length
    ? t('node.labelProblems', { kind: info.label, id, count: problems.length })
    : t('node.label', { kind: info.label, id });

  return (
    <div
      className={classes.join(' ')}
      style={{ '--kind-color': info.color } as CSSProperties}
      data-testid={`node-${id}`}
      data-selected={selected ? 'true' : undefined}
      role="group"
      aria-label={label}
    >
      <Handle type="target" position={Position.Left} id="in" className="sc-handle-in" />
      {triggers.length > 0 && (
        <div className="sc-node-triggers">
          {triggers.map((tr, i) => (
            <span key={i} className="sc-trigger-badge" title={t('node.triggerTitle')}>
              <Play size={10} aria-hidden="true" /> {triggerText(tr)}
            </span>
          ))}
        </div>
      )}
      <div className="sc-node-head">
        <span className="sc-node-icon" aria-hidden="true">
          <KindIcon kind={info.kind} size={16} />
        </span>
        <span className="sc-node-kind">{info.label}</span>
        <span className="sc-node-id">{id}</span>
        {problems.length > 0 && (
          <span className="sc-node-problem" title={problemLines} aria-label={t('node.problems', { problems: problemLines })}>
            !
          </span>
        )}
      </div>
      <div className="sc-node-body">
        {lines.map((l, i) => (
          <div key={i} className={l.muted ? 'sc-line muted' : 'sc-line'}>
            {l.text}
          </div>
        ))}
        {problems.length > 0 && (
          <ul className="sc-node-problems">
            {problems.map((p, i) => (
              <li key={i}>{problemText(p)}</li>
            ))}
          </ul>
        )}
      </div>
      {exits.length > 0 && (
        <ul className="sc-node-exits">
          {exits.map((e) => (
            <li key={e.handle} className={e.missing ? 'sc-exit is-missing' : 'sc-exit'}>
              <span className="sc-exit-label">{e.label}</span>
              <span className="sc-exit-target">{e.target ? (e.missing ? t('node.toMissing', { target: e.target }) : `→ ${e.target}`) : ''}</span>
              <Handle type="source" position={Position.Right} id={e.handle} className="sc-handle-out" />
            </li>
          ))}
        </ul>
      )}
      {data.stats && (
        <div className="sc-node-stats" title={t('node.statsTitle')}>
          <Play size={10} aria-hidden="true" /> {formatNumber(data.stats.entered)} · <Check size={10} aria-hidden="true" />{' '}
          {formatNumber(data.stats.completed)} · <X size={10} aria-hidden="true" /> {formatNumber(data.stats.dropped)}
        </div>
      )}
      {data.waiting && <div className="sc-node-waiting">{t('node.waiting')}</div>}
    </div>
  );
}

export const StepNode = memo(StepNodeView);

/** Stable: React Flow warns when nodeTypes changes between renders. */
export const NODE_TYPES = { step: StepNode };
