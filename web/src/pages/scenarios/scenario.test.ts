import { describe, expect, it } from 'vitest';
import {
  branchText,
  commit,
  connect,
  defaultStep,
  exitsOf,
  formatDuration,
  freeSpot,
  initHistory,
  KINDS,
  nextNodeId,
  normalizeDraft,
  redo,
  removeNodes,
  setExit,
  splitDuration,
  summarize,
  undo,
  variablesOf,
} from './scenario';
import type { Draft } from './types';

const texts = (step: unknown) => summarize(step).map((l) => l.text);

describe('formatDuration and splitDuration', () => {
  it('says how long in the largest units', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(86400)).toBe('1 day');
    expect(formatDuration(3 * 86400)).toBe('3 days');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('picks the largest unit that divides evenly for the editor', () => {
    expect(splitDuration(7200)).toEqual({ value: 2, unit: 'hours' });
    expect(splitDuration(2 * 86400)).toEqual({ value: 2, unit: 'days' });
    expect(splitDuration(90)).toEqual({ value: 90, unit: 'seconds' });
    expect(splitDuration(300)).toEqual({ value: 5, unit: 'minutes' });
    expect(splitDuration(0)).toEqual({ value: 0, unit: 'minutes' });
  });
});

describe('summarize', () => {
  it('summarises every kind, with placeholders for empty content', () => {
    expect(texts(defaultStep('message'))).toEqual(['No message']);
    expect(texts({ kind: 'message', text: 'x'.repeat(80) })[0]).toHaveLength(60);
    expect(texts({ kind: 'message', text: '', media: { kind: 'photo', file_id: 'f' } })).toEqual(['Media: photo']);
    expect(texts({ kind: 'question', text: 'Which make?', variable: 'make', answer: 'text' })).toEqual(['Which make?', '→ {make} · text']);
    expect(texts({ kind: 'delay', seconds: 7200 })).toEqual(['Wait 2 h']);
    expect(texts({ kind: 'search', make_var: 'make', budget_var: 'budget', limit: 3 })).toEqual([
      'make ← {make}',
      'max price ← {budget}',
      'Up to 3 cars',
    ]);
    expect(texts({ kind: 'handoff', quiet_minutes: 0 })).toEqual(['Hand off to a manager (quiet until released)']);
    expect(texts({ kind: 'handoff', quiet_minutes: 45 })).toEqual(['Hand off to a manager (quiet 45 min)']);
    expect(texts({ kind: 'split', branches: [{ weight: 3 }, { weight: 1 }] })).toEqual(['Split 75% / 25%']);
    expect(texts({ kind: 'ask_contact', request: 'location', variable: 'loc' })).toEqual(['Ask for the location → {loc}']);
    expect(texts({ kind: 'jump', target: 'n1' })).toEqual(['Jump to n1']);
    expect(texts({ kind: 'end' })).toEqual(['End of the conversation']);
    for (const k of KINDS) expect(summarize(defaultStep(k.kind)).length).toBeGreaterThan(0);
  });

  it('never throws on malformed steps', () => {
    expect(texts(null)).toEqual(['Unreadable step']);
    expect(texts({ kind: 7 })).toEqual(['Unreadable step']);
    expect(texts({ kind: 'teleport' })).toEqual(['Unknown step "teleport"']);
    expect(texts({ kind: 'message', text: 42, buttons: 'oops', media: 'x' })).toEqual(['42']);
    expect(texts({ kind: 'condition', branches: [null, { variable: 5 }] })).toEqual(['The first branch that holds wins']);
    expect(exitsOf({ kind: 'condition', branches: [null, { variable: 5 }] }).map((e) => e.label)).toEqual(['? ?', '5 ?', 'else']);
    expect(texts({ kind: 'delay', seconds: 'soon' })).toEqual(['Wait ?']);
  });

  it('writes a condition branch as "var op value"', () => {
    expect(branchText({ variable: 'budget', op: 'gt', value: '20000' })).toBe('budget greater than 20000');
    expect(branchText({ variable: 'phone', op: 'is_set', value: 'ignored' })).toBe('phone is set');
  });
});

describe('exits and connections', () => {
  const message = { kind: 'message', text: 'Hi', buttons: [{ label: 'Yes', next: 'a' }, { label: 'Site', url: 'https://x.test' }, { label: 'No', next: null }], next: 'z' };

  it('lists one exit per target, skipping link buttons', () => {
    expect(exitsOf(message)).toEqual([
      { handle: 'btn-0', label: 'Yes', target: 'a' },
      { handle: 'btn-2', label: 'No', target: null },
      { handle: 'next', label: 'Next', target: 'z' },
    ]);
    expect(exitsOf({ kind: 'condition', branches: [{ variable: 'v', op: 'eq', value: '1', next: 'b' }], otherwise: 'c' }).map((e) => [e.handle, e.target])).toEqual([
      ['br-0', 'b'],
      ['otherwise', 'c'],
    ]);
    expect(exitsOf({ kind: 'search', next: 'a', no_match: 'b' }).map((e) => e.handle)).toEqual(['next', 'no_match']);
    expect(exitsOf({ kind: 'offer', booked: 'a' }).map((e) => e.handle)).toEqual(['booked', 'next']);
    expect(exitsOf({ kind: 'split', branches: [{ weight: 1, next: 'a' }, { weight: 1 }] }).map((e) => e.label)).toEqual(['A · 50%', 'B · 50%']);
    expect(exitsOf({ kind: 'end' })).toEqual([]);
    expect(exitsOf({ kind: 'handoff' })).toEqual([]);
    expect(exitsOf('garbage')).toEqual([]);
  });

  it('sets and clears a target by handle', () => {
    const s = { ...message, kind: 'message' };
    expect(setExit(s, 'btn-2', 'q').buttons).toEqual([{ label: 'Yes', next: 'a' }, { label: 'Site', url: 'https://x.test' }, { label: 'No', next: 'q' }]);
    expect(setExit(s, 'next', null).next).toBeNull();
    expect(setExit(s, 'btn-9', 'q')).toBe(s);
    expect(setExit({ kind: 'jump', target: 'a' }, 'target', null)).toEqual({ kind: 'jump', target: '' });
    expect(setExit({ kind: 'split', branches: [{ weight: 1 }] }, 'split-0', 'x').branches).toEqual([{ weight: 1, next: 'x' }]);
  });

  it('removing a node clears every exit and trigger pointing at it', () => {
    const draft: Draft = {
      triggers: [{ kind: 'start', value: '', node: 'b' }],
      nodes: [
        { id: 'a', position: { x: 0, y: 0 }, step: { kind: 'condition', branches: [{ variable: 'v', op: 'eq', value: '', next: 'b' }], otherwise: 'b' } },
        { id: 'b', position: { x: 0, y: 0 }, step: { kind: 'end' } },
        { id: 'c', position: { x: 0, y: 0 }, step: { kind: 'jump', target: 'b' } },
      ],
    };
    const after = removeNodes(draft, ['b']);
    expect(after.nodes.map((n) => n.id)).toEqual(['a', 'c']);
    expect(exitsOf(after.nodes[0].step).map((e) => e.target)).toEqual([null, null]);
    expect(after.nodes[1].step.target).toBe('');
    expect(after.triggers[0].node).toBe('');
    expect(removeNodes(draft, ['zzz'])).toBe(draft);
    expect(connect(draft, 'c', 'target', 'a').nodes[2].step.target).toBe('a');
  });
});

describe('ids, layout and normalisation', () => {
  it('generates unique ids', () => {
    const d = (ids: string[]): Draft => ({ triggers: [], nodes: ids.map((id) => ({ id, position: { x: 0, y: 0 }, step: { kind: 'end' } })) });
    expect(nextNodeId(d([]))).toBe('n1');
    expect(nextNodeId(d(['n1', 'n2']))).toBe('n3');
    expect(nextNodeId(d(['n1', 'n3']))).toBe('n4');
    expect(nextNodeId(d(['n2']))).toBe('n3');
  });

  it('places a new node where nothing is', () => {
    expect(freeSpot([], { x: 10, y: 20 })).toEqual({ x: 10, y: 20 });
    const first = freeSpot([{ position: { x: 0, y: 0 } }], { x: 0, y: 0 });
    expect(first).not.toEqual({ x: 0, y: 0 });
    const second = freeSpot([{ position: { x: 0, y: 0 } }, { position: first }], { x: 0, y: 0 });
    expect([{ x: 0, y: 0 }, first]).not.toContainEqual(second);
  });

  it('repairs a malformed draft without losing what it can keep', () => {
    const d = normalizeDraft({
      triggers: [{ kind: 'start', node: 'a' }, null, { value: 3 }],
      nodes: [
        { id: 'a', position: { x: 1, y: 2 }, step: { kind: 'message', text: 'Hi', extra: true } },
        { id: 'a', step: { kind: 'end' } },
        { position: { x: 'x' }, step: null },
        'junk',
      ],
    });
    expect(d.triggers).toEqual([
      { kind: 'start', value: '', node: 'a' },
      { kind: 'start', value: '3', node: '' },
    ]);
    expect(d.nodes.map((n) => n.id)).toEqual(['a', 'n1', 'n2']);
    expect(d.nodes[0]).toEqual({ id: 'a', position: { x: 1, y: 2 }, step: { kind: 'message', text: 'Hi', extra: true } });
    expect(d.nodes[2].step).toEqual({ kind: '' });
    expect(Number.isFinite(d.nodes[2].position.x)).toBe(true);
    expect(normalizeDraft(null)).toEqual({ triggers: [], nodes: [] });
  });

  it('collects the variables texts may use', () => {
    const d = normalizeDraft({ nodes: [{ id: 'q', step: { kind: 'question', variable: 'make' } }, { id: 'c', step: { kind: 'ask_contact', variable: 'phone' } }] });
    expect(variablesOf(d)).toEqual(['first_name', 'username', 'phone', 'make']);
  });
});

describe('undo history', () => {
  it('undoes and redoes, dropping the redo branch on a new change', () => {
    let h = initHistory('a');
    h = commit(h, 'b', null, 0);
    h = commit(h, 'c', null, 10);
    expect(undo(h).present).toBe('b');
    expect(undo(undo(h)).present).toBe('a');
    expect(undo(undo(undo(h))).present).toBe('a');
    expect(redo(undo(h)).present).toBe('c');
    const branched = commit(undo(h), 'd', null, 20);
    expect(branched.future).toEqual([]);
    expect(redo(branched)).toBe(branched);
  });

  it('makes typing in one field one undo step', () => {
    let h = initHistory('');
    h = commit(h, 'H', 'text', 0);
    h = commit(h, 'Hi', 'text', 300);
    h = commit(h, 'Hi!', 'text', 600);
    expect(h.past).toEqual(['']);
    h = commit(h, 'Hi!!', 'other', 700);
    expect(h.past).toEqual(['', 'Hi!']);
    h = commit(h, 'Hi!!?', 'other', 10_000);
    expect(h.past).toEqual(['', 'Hi!', 'Hi!!']);
    expect(commit(h, h.present)).toBe(h);
  });
});
