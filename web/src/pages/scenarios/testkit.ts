// Test fixtures for the scenario pages: API shapes, a fake backend and the
// DOM pieces React Flow needs that jsdom lacks. Used by the *.test.tsx files
// of this folder only.
import { vi } from 'vitest';
import { jsonResponse } from '../../test/http';
import { inboxBackend, type Route } from '../../test/inbox';
import type { ScenarioSummary, ScenarioView, TestChatResponse } from './types';

export function scenarioView(over: Omit<Partial<ScenarioView>, 'draft'> & { draft?: unknown } = {}): ScenarioView {
  const { draft, ...rest } = over;
  return {
    id: 's1',
    name: 'Welcome flow',
    bot_ids: [],
    draft: (draft ?? { triggers: [], nodes: [] }) as ScenarioView['draft'],
    revision: 3,
    has_unpublished_changes: false,
    problems: [],
    published_version: null,
    updated_at: '2025-03-01T10:00:00Z',
    updated_by: 'owner@demo.test',
    ...rest,
  };
}

export function summary(over: Partial<ScenarioSummary> = {}): ScenarioSummary {
  return {
    id: 's1',
    name: 'Welcome flow',
    bot_ids: [],
    has_unpublished_changes: false,
    published_version: null,
    updated_at: '2025-03-01T10:00:00Z',
    ...over,
  };
}

export function testAnswer(over: Partial<TestChatResponse> = {}): TestChatResponse {
  return { replies: [], events: [], session: null, waiting_at: null, ...over };
}

/** Every kind of step, with content the canvas summarises. */
export const EVERY_KIND = {
  triggers: [{ kind: 'start', value: '', node: 'm1' }],
  nodes: [
    {
      id: 'm1',
      position: { x: 0, y: 0 },
      step: {
        kind: 'message',
        text: 'Hello {first_name}! Welcome to Demo Motors.',
        media: null,
        buttons: [
          { label: 'Browse cars', next: 'q1', url: null },
          { label: 'Our website', next: null, url: 'https://demo.test' },
        ],
        keyboard: 'inline',
        next: null,
      },
    },
    { id: 'm2', position: { x: 0, y: 200 }, step: { kind: 'message', text: '', media: null, buttons: [], keyboard: 'inline', next: null } },
    {
      id: 'q1',
      position: { x: 300, y: 0 },
      step: { kind: 'question', text: 'What is your budget?', variable: 'budget', answer: 'number', choices: [], retry_text: '', next: 'c1' },
    },
    {
      id: 'c1',
      position: { x: 600, y: 0 },
      step: { kind: 'condition', branches: [{ variable: 'budget', op: 'gt', value: '20000', next: 's1' }], otherwise: 'd1' },
    },
    { id: 'd1', position: { x: 900, y: 0 }, step: { kind: 'delay', seconds: 7200, next: 'h1' } },
    {
      id: 's1',
      position: { x: 900, y: 200 },
      step: { kind: 'search', make_var: 'make', model_var: '', budget_var: 'budget', year_var: '', limit: 3, next: 'o1', no_match: 'r1' },
    },
    {
      id: 'r1',
      position: { x: 1200, y: 200 },
      step: { kind: 'create_request', make_var: 'make', model_var: 'model', year_var: '', budget_var: '', note: 'From the bot', next: null },
    },
    { id: 'p1', position: { x: 1200, y: 400 }, step: { kind: 'channel_post', channel: '@demo_cars', text: 'New lead!', media: null, next: null } },
    {
      id: 'o1',
      position: { x: 1200, y: 0 },
      step: { kind: 'offer', listing_id: 'L42', text: '', button_label: 'Book a test drive', booked: 'a1', next: null },
    },
    { id: 'h1', position: { x: 1500, y: 0 }, step: { kind: 'handoff', text: 'A manager will answer soon.', quiet_minutes: 30 } },
    {
      id: 'sp',
      position: { x: 0, y: 400 },
      step: {
        kind: 'split',
        branches: [
          { weight: 70, next: 'm1' },
          { weight: 30, next: 'm2' },
        ],
      },
    },
    {
      id: 'a1',
      position: { x: 1500, y: 200 },
      step: { kind: 'ask_contact', text: 'Share your phone?', request: 'phone', button_label: 'Share', variable: 'phone', next: 'e1' },
    },
    { id: 'j1', position: { x: 300, y: 400 }, step: { kind: 'jump', target: 'm1' } },
    { id: 'e1', position: { x: 1800, y: 200 }, step: { kind: 'end' } },
  ],
};

/** A backend for the scenario pages: `route` answers first, then the shared routes. */
export function scenarioBackend(route: Route, role: 'manager' | 'viewer' | 'owner' = 'manager') {
  return inboxBackend(role, (url, init) => {
    const r = route(url, init);
    if (r) return r;
    if (url === '/api/scenarios/templates')
      return jsonResponse(200, {
        templates: [
          { key: 'lead_generation', name: 'Lead generation', description: 'Ask what the buyer wants and create a request.' },
          { key: 'catalog_search', name: 'Catalog search', description: 'Search the stock by make and budget.' },
        ],
      });
    return undefined;
  });
}

/** The JSON bodies sent to `url` with `method`. */
export function bodiesOf(fetchMock: ReturnType<typeof vi.fn>, url: string, method: string): unknown[] {
  return fetchMock.mock.calls
    .filter(([u, init]) => String(u) === url && (init as RequestInit | undefined)?.method === method)
    .map(([, init]) => JSON.parse(String((init as RequestInit).body ?? 'null')));
}

/**
 * React Flow measures nodes with ResizeObserver and reads zoom from
 * DOMMatrixReadOnly; jsdom has neither and lays nothing out. Stub them so
 * every node gets a (tiny) size and renders.
 */
export function stubReactFlowDom() {
  class ResizeObserverStub {
    private cb: ResizeObserverCallback;
    constructor(cb: ResizeObserverCallback) {
      this.cb = cb;
    }
    observe(target: Element) {
      this.cb([{ target } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
    }
    unobserve() {}
    disconnect() {}
  }
  class DOMMatrixReadOnlyStub {
    m22: number;
    constructor(transform?: string) {
      const scale = typeof transform === 'string' ? /scale\(([\d.]+)\)/.exec(transform)?.[1] : undefined;
      this.m22 = scale !== undefined ? Number(scale) : 1;
    }
  }
  vi.stubGlobal('ResizeObserver', ResizeObserverStub);
  vi.stubGlobal('DOMMatrixReadOnly', DOMMatrixReadOnlyStub);
  const size = (dim: 'width' | 'height') =>
    function (this: HTMLElement) {
      return parseFloat(this.style?.[dim]) || 100;
    };
  const restore = [
    Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth'),
    Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight'),
  ];
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: size('width') });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: size('height') });
  return () => {
    if (restore[0]) Object.defineProperty(HTMLElement.prototype, 'offsetWidth', restore[0]);
    if (restore[1]) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', restore[1]);
  };
}
