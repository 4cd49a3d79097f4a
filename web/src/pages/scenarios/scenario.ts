// Pure helpers for the scenario model: kinds, defaults, summaries, the exits
// (targets) of each step, edits that keep the graph consistent, layout and
// the undo history. No React here; everything is unit-tested.
import { currentLanguage, i18n, isPseudo } from '../../i18n';
import type { ApiScenario, Draft, EditorNode, EditorTrigger, LooseStep, Position, ProblemView, StepKind } from './types';

/** A text of the scenario model (`scenarios:model.*`), in the user's language. */
const tr = (key: string, opts: Record<string, unknown> = {}) => i18n.t(`scenarios:model.${key}`, opts);

// ---- safe readers ------------------------------------------------------------

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
/** A message button that opens a link (its `url` is set) rather than leading to a step. */
export const isLinkButton = (b: unknown): boolean => typeof rec(b).url === 'string';
/** A target field: a node id, or null for none. */
export const target = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

// ---- kinds -------------------------------------------------------------------

/** A kind of step; its name and help are read in the user's language (`scenarios:kinds.<kind>`), its icon is in kindIcons. */
export interface KindInfo {
  kind: StepKind;
  label: string;
  color: string;
  help: string;
}

function kind(k: StepKind, color: string): KindInfo {
  return {
    kind: k,
    color,
    get label() {
      return i18n.t(`scenarios:kinds.${k}.label`);
    },
    get help() {
      return i18n.t(`scenarios:kinds.${k}.help`);
    },
  };
}

export const KINDS: KindInfo[] = [
  kind('message', '#2563eb'),
  kind('question', '#7c3aed'),
  kind('condition', '#b45309'),
  kind('delay', '#0e7490'),
  kind('search', '#047857'),
  kind('create_request', '#0f766e'),
  kind('channel_post', '#be185d'),
  kind('offer', '#15803d'),
  kind('handoff', '#dc2626'),
  kind('split', '#9333ea'),
  kind('ask_contact', '#0369a1'),
  kind('jump', '#475569'),
  kind('end', '#334155'),
];

export function kindInfo(k: string): Omit<KindInfo, 'kind'> & { kind: string } {
  return (
    KINDS.find((x) => x.kind === k) ?? {
      kind: k,
      color: '#64748b',
      help: '',
      get label() {
        return i18n.t('scenarios:kinds.unknown.label');
      },
    }
  );
}

export function isKnownKind(kind: string): kind is StepKind {
  return KINDS.some((k) => k.kind === kind);
}

function op(o: string, needsValue: boolean): { op: string; label: string; needsValue: boolean } {
  return {
    op: o,
    needsValue,
    get label() {
      return i18n.t(`scenarios:ops.${o}`);
    },
  };
}

export const OPS: { op: string; label: string; needsValue: boolean }[] = [
  op('eq', true),
  op('ne', true),
  op('gt', true),
  op('gte', true),
  op('lt', true),
  op('lte', true),
  op('contains', true),
  op('is_set', false),
  op('is_not_set', false),
];

export const ANSWER_KINDS = ['text', 'number', 'phone', 'year', 'choice'] as const;
export const MEDIA_KINDS = ['photo', 'video', 'audio', 'voice', 'document', 'animation', 'sticker', 'video_note'] as const;
function triggerKind(k: string): { kind: string; label: string; valueLabel: string; hint: string } {
  return {
    kind: k,
    get label() {
      return i18n.t(`scenarios:triggerKinds.${k}.label`);
    },
    get valueLabel() {
      return i18n.t(`scenarios:triggerKinds.${k}.valueLabel`);
    },
    get hint() {
      return i18n.t(`scenarios:triggerKinds.${k}.hint`);
    },
  };
}

export const TRIGGER_KINDS = ['start', 'keyword', 'menu', 'callback'].map(triggerKind);

/** A new step of `kind` with every field set. */
export function defaultStep(kind: StepKind): LooseStep {
  switch (kind) {
    case 'message':
      return { kind, text: '', media: null, buttons: [], keyboard: 'inline', next: null };
    case 'question':
      return { kind, text: '', variable: '', answer: 'text', choices: [], retry_text: '', next: null };
    case 'condition':
      return { kind, branches: [{ variable: '', op: 'eq', value: '', next: null }], otherwise: null };
    case 'delay':
      return { kind, seconds: 3600, next: null };
    case 'search':
      return { kind, make_var: '', model_var: '', budget_var: '', year_var: '', limit: 5, next: null, no_match: null };
    case 'create_request':
      return { kind, make_var: '', model_var: '', year_var: '', budget_var: '', note: '', next: null };
    case 'channel_post':
      return { kind, channel: '', text: '', media: null, next: null };
    case 'offer':
      return { kind, listing_id: '', text: '', button_label: tr('bookViewing'), booked: null, next: null };
    case 'handoff':
      return { kind, text: '', quiet_minutes: 0 };
    case 'split':
      return {
        kind,
        branches: [
          { weight: 50, next: null },
          { weight: 50, next: null },
        ],
      };
    case 'ask_contact':
      return { kind, text: '', request: 'phone', button_label: tr('sharePhone'), variable: 'phone', next: null };
    case 'jump':
      return { kind, target: '' };
    case 'end':
      return { kind };
  }
}

// ---- reading a draft from the server ----------------------------------------

/**
 * The server's draft as the editor holds it: arrays where arrays belong,
 * unique string ids, finite positions (missing ones laid out on a grid) and
 * a step object with a string `kind`. Unknown fields and kinds are kept.
 */
export function normalizeDraft(raw: unknown): Draft {
  const r = rec(raw);
  const triggers: EditorTrigger[] = list(r.triggers)
    .filter(isRecord)
    .map((t) => ({ ...t, kind: str(t.kind) || 'start', value: str(t.value), node: str(t.node) }));
  const seen = new Set<string>();
  const objects = list(r.nodes).filter(isRecord);
  for (const o of objects) if (typeof o.id === 'string') seen.add(o.id);
  const taken = new Set<string>();
  let fresh = 1;
  const nodes: EditorNode[] = objects.map((o, i) => {
    let id = typeof o.id === 'string' && o.id !== '' ? o.id : '';
    if (!id || taken.has(id)) {
      while (seen.has(`n${fresh}`) || taken.has(`n${fresh}`)) fresh += 1;
      id = `n${fresh}`;
    }
    taken.add(id);
    const p = rec(o.position);
    const x = num(p.x, NaN);
    const y = num(p.y, NaN);
    const position = Number.isFinite(x) && Number.isFinite(y) ? { x, y } : { x: (i % 4) * 300, y: Math.floor(i / 4) * 200 };
    const s = rec(o.step);
    const step: LooseStep = { ...s, kind: typeof s.kind === 'string' ? s.kind : '' };
    return { ...o, id, position, step };
  });
  return { triggers, nodes };
}

/** The draft as the API's type (the editor's loose model is the same JSON). */
export function toApiScenario(draft: Draft): ApiScenario {
  return draft as unknown as ApiScenario;
}

// ---- summaries ---------------------------------------------------------------

export interface SummaryLine {
  text: string;
  muted?: boolean;
}

export function truncate(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  if (one.length <= max) return one;
  const cut = one.slice(0, max - 1).trimEnd();
  if (!isPseudo()) return `${cut}…`;
  // In the pseudo-locale a shortened text keeps its closing marks, so the browser test can tell it was translated.
  const open = (cut.match(/⟦/g) ?? []).length - (cut.match(/⟧/g) ?? []).length;
  return `${cut}…${'⟧'.repeat(Math.max(0, open))}`;
}

/** "2 h", "3 days", "1 h 30 min", "45 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  let rest = Math.round(seconds);
  if (rest === 0) return tr('duration.s', { count: 0 });
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const parts: string[] = [];
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(tr(`duration.${unit}`, { count: n }));
      rest -= n * size;
      if (parts.length === 2) break;
    } else if (parts.length > 0) {
      break;
    }
  }
  return parts.join(' ');
}

function durationUnit(unit: string, seconds: number): { unit: string; label: string; seconds: number } {
  return {
    unit,
    seconds,
    get label() {
      return i18n.t(`scenarios:model.units.${unit}`);
    },
  };
}

export const DURATION_UNITS = [durationUnit('seconds', 1), durationUnit('minutes', 60), durationUnit('hours', 3600), durationUnit('days', 86400)];

/** The largest unit that divides `seconds` evenly, for the delay editor. */
export function splitDuration(seconds: number): { value: number; unit: string } {
  const s = Math.max(0, Math.round(num(seconds)));
  if (s === 0) return { value: 0, unit: 'minutes' };
  for (const u of [...DURATION_UNITS].reverse()) if (s % u.seconds === 0) return { value: s / u.seconds, unit: u.unit };
  return { value: s, unit: 'seconds' };
}

export function branchText(b: unknown): string {
  const r = rec(b);
  const op = str(r.op);
  const known = OPS.find((o) => o.op === op);
  const needsValue = known?.needsValue ?? true;
  const opText = known ? known.label : op.replace(/_/g, ' ') || '?';
  return [str(r.variable) || '?', opText, needsValue ? str(r.value) : ''].filter((s) => s !== '').join(' ');
}

/** Each split branch's share of the total weight, in whole percent. */
export function splitShares(branches: unknown[]): number[] {
  const weights = branches.map((b) => Math.max(0, num(rec(b).weight)));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? Math.round((w * 100) / total) : 0));
}

const varRef = (v: unknown) => `{${str(v)}}`;

/** A kind of media in words ("photo", "video message"). */
export function mediaName(kind: string): string {
  return i18n.t(`scenarios:media.${kind}`, { defaultValue: kind.replace(/_/g, ' ') });
}

/** What the node on the canvas says about its step, never throwing. */
export function summarize(step: unknown): SummaryLine[] {
  try {
    return summarizeUnsafe(step);
  } catch {
    return [{ text: tr('cannotShow'), muted: true }];
  }
}

function summarizeUnsafe(raw: unknown): SummaryLine[] {
  if (!isRecord(raw) || typeof raw.kind !== 'string' || raw.kind === '') return [{ text: tr('unreadable'), muted: true }];
  const s = raw;
  const text = truncate(str(s.text));
  const lines: SummaryLine[] = [];
  switch (s.kind) {
    case 'message': {
      const media = rec(s.media);
      if (text) lines.push({ text });
      if (str(media.kind)) lines.push({ text: tr('attached', { what: mediaName(str(media.kind)) }) });
      if (lines.length === 0) lines.push({ text: tr('noMessage'), muted: true });
      for (const b of list(s.buttons)) {
        const br = rec(b);
        if (isLinkButton(br)) lines.push({ text: tr('linkButton', { label: str(br.label) || tr('link') }) });
      }
      if (str(s.keyboard) === 'reply' && list(s.buttons).length) lines.push({ text: tr('replyKeyboard'), muted: true });
      return lines;
    }
    case 'question': {
      lines.push(text ? { text } : { text: tr('noQuestion'), muted: true });
      const answer = str(s.answer) || 'text';
      const answerName = i18n.t(`scenarios:answers.${answer}`, { defaultValue: answer });
      lines.push({ text: `→ ${str(s.variable) ? varRef(s.variable) : tr('noVariable')} · ${answerName}` });
      if (answer === 'choice') {
        const choices = list(s.choices).map(str).filter(Boolean);
        lines.push(choices.length ? { text: truncate(choices.join(', '), 50) } : { text: tr('noChoices'), muted: true });
      }
      return lines;
    }
    case 'condition':
      return [list(s.branches).length === 0 ? { text: tr('noBranches'), muted: true } : { text: tr('firstBranchWins'), muted: true }];
    case 'delay':
      return [{ text: tr('wait', { duration: formatDuration(num(s.seconds, NaN)) }) }];
    case 'search': {
      const filters: [string, unknown][] = [
        ['make', s.make_var],
        ['model', s.model_var],
        ['maxPrice', s.budget_var],
        ['minYear', s.year_var],
      ];
      for (const [label, v] of filters) if (str(v)) lines.push({ text: `${tr(`vars.${label}`)} ← ${varRef(v)}` });
      if (lines.length === 0) lines.push({ text: tr('allCars'), muted: true });
      lines.push({ text: tr('upTo', { count: num(s.limit, 5) }), muted: true });
      return lines;
    }
    case 'create_request': {
      const vars: [string, unknown][] = [
        ['make', s.make_var],
        ['model', s.model_var],
        ['year', s.year_var],
        ['budget', s.budget_var],
      ];
      const set = vars.filter(([, v]) => str(v)).map(([label, v]) => `${tr(`vars.${label}`)} ← ${varRef(v)}`);
      lines.push(set.length ? { text: tr('request', { vars: set.join(', ') }) } : { text: tr('requestNoVars'), muted: true });
      if (str(s.note)) lines.push({ text: tr('note', { note: truncate(str(s.note), 40) }) });
      return lines;
    }
    case 'channel_post':
      lines.push(str(s.channel) ? { text: tr('to', { channel: str(s.channel) }) } : { text: tr('noChannel'), muted: true });
      if (text) lines.push({ text });
      else if (str(rec(s.media).kind)) lines.push({ text: tr('attached', { what: mediaName(str(rec(s.media).kind)) }) });
      return lines;
    case 'offer':
      lines.push(str(s.listing_id) ? { text: tr('car', { id: str(s.listing_id) }) } : { text: tr('noCar'), muted: true });
      if (text) lines.push({ text });
      lines.push({ text: tr('button', { label: str(s.button_label) || tr('bookViewing') }) });
      return lines;
    case 'handoff': {
      const quiet = num(s.quiet_minutes);
      lines.push({ text: quiet > 0 ? tr('handoffQuiet', { count: quiet }) : tr('handoffUntilReleased') });
      if (text) lines.push({ text, muted: true });
      return lines;
    }
    case 'split': {
      const shares = splitShares(list(s.branches));
      lines.push(shares.length ? { text: tr('split', { shares: shares.map((p) => `${p}%`).join(' / ') }) } : { text: tr('noBranches'), muted: true });
      return lines;
    }
    case 'ask_contact': {
      const variable = str(s.variable) ? varRef(s.variable) : tr('noVariable');
      lines.push({ text: str(s.request) === 'location' ? tr('askLocation', { variable }) : tr('askPhone', { variable }) });
      if (text) lines.push({ text, muted: true });
      return lines;
    }
    case 'jump':
      return [str(s.target) ? { text: tr('jumpTo', { target: str(s.target) }) } : { text: tr('noTarget'), muted: true }];
    case 'end':
      return [{ text: tr('endOfConversation') }];
    default:
      return [{ text: tr('unknownStep', { kind: truncate(str(s.kind), 30) }), muted: true }];
  }
}

// ---- exits (targets) ---------------------------------------------------------

/** One exit of a step: a source handle on the canvas and where it leads. */
export interface Exit {
  handle: string;
  label: string;
  target: string | null;
}

/** The exits of a step, in the order the node shows them. */
export function exitsOf(step: unknown): Exit[] {
  if (!isRecord(step)) return [];
  const s = step;
  const next = (label = tr('exits.next')): Exit => ({ handle: 'next', label, target: target(s.next) });
  switch (s.kind) {
    case 'message': {
      const exits: Exit[] = [];
      list(s.buttons).forEach((b, i) => {
        const br = rec(b);
        if (isLinkButton(br)) return;
        exits.push({ handle: `btn-${i}`, label: str(br.label) || tr('exits.buttonN', { n: i + 1 }), target: target(br.next) });
      });
      exits.push(next());
      return exits;
    }
    case 'question':
    case 'delay':
    case 'create_request':
    case 'channel_post':
    case 'ask_contact':
      return [next()];
    case 'condition':
      return [
        ...list(s.branches).map((b, i) => ({ handle: `br-${i}`, label: branchText(b), target: target(rec(b).next) })),
        { handle: 'otherwise', label: tr('exits.else'), target: target(s.otherwise) },
      ];
    case 'search':
      return [next(tr('exits.found')), { handle: 'no_match', label: tr('exits.noMatch'), target: target(s.no_match) }];
    case 'offer':
      return [{ handle: 'booked', label: tr('exits.booked'), target: target(s.booked) }, next()];
    case 'split': {
      const branches = list(s.branches);
      const shares = splitShares(branches);
      return branches.map((b, i) => ({
        handle: `split-${i}`,
        label: `${String.fromCharCode(65 + (i % 26))} · ${shares[i]}%`,
        target: target(rec(b).next),
      }));
    }
    case 'jump':
      return [{ handle: 'target', label: tr('exits.jumpTo'), target: target(s.target) }];
    default:
      return [];
  }
}

function setInList(items: unknown, i: number, key: string, value: string | null): unknown[] | null {
  const arr = list(items);
  if (i < 0 || i >= arr.length) return null;
  return arr.map((item, j) => (j === i ? { ...rec(item), [key]: value } : item));
}

/** The step with the exit `handle` leading to `to` (null: nowhere). Unknown handles change nothing. */
export function setExit(step: LooseStep, handle: string, to: string | null): LooseStep {
  if (['next', 'otherwise', 'no_match', 'booked'].includes(handle)) return { ...step, [handle]: to };
  if (handle === 'target') return { ...step, target: to ?? '' };
  const m = /^(btn|br|split)-(\d+)$/.exec(handle);
  if (!m) return step;
  const key = m[1] === 'btn' ? 'buttons' : 'branches';
  const updated = setInList(step[key], Number(m[2]), 'next', to);
  return updated ? { ...step, [key]: updated } : step;
}

export function updateNode(draft: Draft, id: string, fn: (n: EditorNode) => EditorNode): Draft {
  return { ...draft, nodes: draft.nodes.map((n) => (n.id === id ? fn(n) : n)) };
}

/** Connects exit `handle` of node `source` to `to` (null disconnects). */
export function connect(draft: Draft, source: string, handle: string, to: string | null): Draft {
  return updateNode(draft, source, (n) => ({ ...n, step: setExit(n.step, handle, to) }));
}

/** Removes nodes, and every exit and trigger that pointed at them. */
export function removeNodes(draft: Draft, ids: string[]): Draft {
  const gone = new Set(ids);
  if (!draft.nodes.some((n) => gone.has(n.id))) return draft;
  const nodes = draft.nodes
    .filter((n) => !gone.has(n.id))
    .map((n) => {
      let step = n.step;
      for (const e of exitsOf(step)) if (e.target && gone.has(e.target)) step = setExit(step, e.handle, null);
      return step === n.step ? n : { ...n, step };
    });
  const triggers = draft.triggers.map((t) => (gone.has(t.node) ? { ...t, node: '' } : t));
  return { triggers, nodes };
}

/** A fresh id `nK`, K counting on from the number of nodes. */
export function nextNodeId(draft: Draft): string {
  const ids = new Set(draft.nodes.map((n) => n.id));
  let k = draft.nodes.length + 1;
  while (ids.has(`n${k}`)) k += 1;
  return `n${k}`;
}

export const NODE_W = 240;
export const NODE_H = 150;

/**
 * Where a new node goes: `wanted` (its top-left corner) if that is free,
 * else the nearest free cell of a grid around it (to the right first, then
 * below; left and above last).
 */
export function freeSpot(nodes: { position: Position }[], wanted: Position): Position {
  const dx = NODE_W + 50;
  const dy = NODE_H + 40;
  const cells: { i: number; j: number; d: number }[] = [];
  for (let i = -4; i <= 4; i++)
    for (let j = -4; j <= 4; j++) cells.push({ i, j, d: Math.hypot(i * 0.8, j) + (i < 0 ? 1.5 : 0) + (j < 0 ? 0.5 : 0) });
  cells.sort((a, b) => a.d - b.d);
  const overlaps = (p: Position) =>
    nodes.some((n) => Math.abs(n.position.x - p.x) < NODE_W + 20 && Math.abs(n.position.y - p.y) < NODE_H + 10);
  for (const c of cells) {
    const p = { x: Math.round(wanted.x + c.i * dx), y: Math.round(wanted.y + c.j * dy) };
    if (!overlaps(p)) return p;
  }
  return { x: Math.round(wanted.x + 5 * dx), y: Math.round(wanted.y) };
}

// ---- problems, triggers, variables ------------------------------------------

/**
 * A problem in the user's words. The server explains it in English (naming
 * the field); other languages say which field of the step needs a look.
 */
export function problemText(p: ProblemView): string {
  if (currentLanguage() === 'en') return p.message;
  const base = p.field.replace(/\[\d+\]/g, '').split('.').pop() ?? p.field;
  const field = i18n.t(`scenarios:fields.${base}`, { defaultValue: base });
  return i18n.t('scenarios:model.problem', { field });
}

export function problemsByNode(problems: ProblemView[]): Map<string, ProblemView[]> {
  const m = new Map<string, ProblemView[]>();
  for (const p of problems) {
    if (!p.node) continue;
    m.set(p.node, [...(m.get(p.node) ?? []), p]);
  }
  return m;
}

export function triggerText(t: EditorTrigger): string {
  switch (t.kind) {
    case 'start':
      return t.value ? `/start ${t.value}` : '/start';
    case 'keyword':
    case 'menu':
    case 'callback':
      return tr(`trigger.${t.kind}`, { value: t.value || '?' });
    default:
      return `${t.kind}: ${t.value}`;
  }
}

export const BUILTIN_VARIABLES = ['first_name', 'username', 'phone'];

/** Variables a text may use: the built-in ones and those questions and contact steps store. */
export function variablesOf(draft: Draft): string[] {
  const vars = new Set(BUILTIN_VARIABLES);
  for (const n of draft.nodes) {
    if (n.step.kind === 'question' || n.step.kind === 'ask_contact') {
      const v = str(n.step.variable).trim();
      if (v) vars.add(v);
    }
  }
  return [...vars];
}

/** A short label of a node for selects: "n2 · Question: Which make?". */
export function nodeLabel(n: EditorNode): string {
  const info = kindInfo(n.step.kind);
  const first = summarize(n.step)[0];
  const what = first && !first.muted ? `: ${truncate(first.text, 30)}` : '';
  return `${n.id} · ${info.label}${what}`;
}

// ---- undo history -----------------------------------------------------------

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The coalescing key of the last change and when it happened. */
  lastKey: string | null;
  lastAt: number;
}

export const HISTORY_LIMIT = 100;
export const COALESCE_MS = 1500;

export function initHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

/**
 * Records `next` as the present. Changes with the same `key` (typing in one
 * field) within COALESCE_MS of each other make one undo step.
 */
export function commit<T>(h: History<T>, next: T, key: string | null = null, now = Date.now()): History<T> {
  if (next === h.present) return h;
  if (key !== null && key === h.lastKey && now - h.lastAt < COALESCE_MS) {
    return { ...h, present: next, future: [], lastAt: now };
  }
  const past = [...h.past, h.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], lastKey: key, lastAt: now };
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future], lastKey: null, lastAt: 0 };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1), lastKey: null, lastAt: 0 };
}
