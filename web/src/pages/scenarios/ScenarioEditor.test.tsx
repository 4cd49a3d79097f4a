import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { renderApp } from '../../test/renderApp';
import { bodiesOf, EVERY_KIND, scenarioBackend, scenarioView, stubReactFlowDom, testAnswer } from './testkit';
import type { ProblemView } from './types';

let restoreDom: () => void;
let consoleError: MockInstance<typeof console.error>;

beforeEach(() => {
  setToken('tok');
  restoreDom = stubReactFlowDom();
  consoleError = vi.spyOn(console, 'error');
});

afterEach(() => {
  restoreDom();
});

/** No React warning (keys, act, …) and no crash report reached the console. */
function expectCleanConsole() {
  expect(consoleError.mock.calls.map((c: unknown[]) => String(c[0]))).toEqual([]);
}

/** The editor is on screen with its canvas drawn (React Flow renders nodes a moment after the page). */
async function editorReady(draft: unknown = EVERY_KIND) {
  await screen.findByRole('heading', { name: 'Welcome flow' });
  const nodes = (draft as { nodes?: unknown[] } | null)?.nodes ?? [];
  await waitFor(() => expect(document.querySelectorAll('[data-testid^="node-"]').length).toBe(countValidNodes(nodes)), { timeout: 3000 });
}

/** How many nodes the editor draws from `nodes` (objects only). */
function countValidNodes(nodes: unknown[]) {
  return nodes.filter((n) => typeof n === 'object' && n !== null && !Array.isArray(n)).length;
}

type Saved = { draft: { nodes: { id: string; step: Record<string, unknown> }[]; triggers: unknown[] }; name: string; revision: number };

/** A backend holding one scenario; PUT answers with `problemsAfterSave` (default none). */
function editorBackend(draft: unknown, opts: { problems?: ProblemView[]; problemsAfterSave?: ProblemView[]; putStatus?: number } = {}) {
  let revision = 3;
  return scenarioBackend((url, init) => {
    if (url === '/api/scenarios/s1' && (!init?.method || init.method === 'GET'))
      return jsonResponse(200, scenarioView({ draft, revision, problems: opts.problems ?? [] }));
    if (url === '/api/scenarios/s1' && init?.method === 'PUT') {
      if (opts.putStatus) return jsonResponse(opts.putStatus, { error: { code: 'conflict', message: 'changed by someone else', field: null } });
      const body = JSON.parse(String(init.body)) as Saved;
      revision += 1;
      return jsonResponse(200, scenarioView({ draft: body.draft, name: body.name, revision, problems: opts.problemsAfterSave ?? [] }));
    }
    return undefined;
  });
}

async function openEditor(draft: unknown = EVERY_KIND, opts: Parameters<typeof editorBackend>[1] = {}) {
  const fetchMock = editorBackend(draft, opts);
  const app = renderApp('/scenarios/s1');
  await editorReady(draft);
  return { fetchMock, app };
}

describe('Scenario editor canvas', () => {
  it('summarises every kind of step on its node', async () => {
    await openEditor();
    const node = (id: string) => within(screen.getByTestId(`node-${id}`));

    expect(node('m1').getByText('Hello {first_name}! Welcome to Demo Motors.')).toBeTruthy();
    expect(node('m1').getByText('Browse cars')).toBeTruthy();
    expect(node('m1').getByText('→ q1')).toBeTruthy();
    expect(node('m1').getByText('Link: Our website')).toBeTruthy();
    expect(node('m1').getByText('/start')).toBeTruthy();
    expect(node('m2').getByText('No message').className).toContain('muted');
    expect(node('q1').getByText('What is your budget?')).toBeTruthy();
    expect(node('q1').getByText('→ {budget} · number')).toBeTruthy();
    expect(node('c1').getByText('budget greater than 20000')).toBeTruthy();
    expect(node('c1').getByText('else')).toBeTruthy();
    expect(node('d1').getByText('Wait 2 h')).toBeTruthy();
    expect(node('s1').getByText('make ← {make}')).toBeTruthy();
    expect(node('s1').getByText('max price ← {budget}')).toBeTruthy();
    expect(node('s1').getByText('No match')).toBeTruthy();
    expect(node('r1').getByText('Request: make ← {make}, model ← {model}')).toBeTruthy();
    expect(node('p1').getByText('To @demo_cars')).toBeTruthy();
    expect(node('o1').getByText('Car L42')).toBeTruthy();
    expect(node('o1').getByText('Button: "Book a test drive"')).toBeTruthy();
    expect(node('o1').getByText('Booked')).toBeTruthy();
    expect(node('h1').getByText('Hand off to a manager (quiet 30 min)')).toBeTruthy();
    expect(node('sp').getByText('Split 70% / 30%')).toBeTruthy();
    expect(node('sp').getByText('A · 70%')).toBeTruthy();
    expect(node('a1').getByText('Ask for the phone number → {phone}')).toBeTruthy();
    expect(node('j1').getByText('Jump to m1')).toBeTruthy();
    expect(node('e1').getByText('End of the conversation')).toBeTruthy();
    expect(screen.getByTestId('node-c1').getAttribute('aria-label')).toBe('Condition step c1');
    expectCleanConsole();
  });

  it('highlights the selected node and shows its properties', async () => {
    await openEditor();
    expect(screen.getByRole('heading', { name: 'Scenario settings' })).toBeTruthy();
    fireEvent.click(screen.getByTestId('node-q1'));
    await waitFor(() => expect(screen.getByTestId('node-q1').className).toContain('is-selected'));
    expect(screen.getByTestId('node-m1').className).not.toContain('is-selected');
    const form = screen.getByRole('form', { name: 'Question q1 properties' });
    expect((within(form).getByLabelText('Text') as HTMLTextAreaElement).value).toBe('What is your budget?');
    expect((within(form).getByLabelText('Variable') as HTMLInputElement).value).toBe('budget');
    expect((within(form).getByLabelText('Answer type') as HTMLSelectElement).value).toBe('number');
    expect((within(form).getByLabelText('Next step') as HTMLSelectElement).value).toBe('c1');
    for (const section of ['Content', 'Answer', 'Where next']) expect(within(form).getByRole('region', { name: section })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Scenario settings' }));
    await waitFor(() => expect(screen.getByTestId('node-q1').className).not.toContain('is-selected'));
    expectCleanConsole();
  });

  it('autosaves an edit and undo brings the previous value back', async () => {
    const { fetchMock } = await openEditor();
    fireEvent.click(screen.getByTestId('node-q1'));
    const text = () => screen.getByLabelText('Text') as HTMLTextAreaElement;
    fireEvent.change(text(), { target: { value: 'How much can you spend?' } });
    expect(await within(screen.getByTestId('node-q1')).findByText('How much can you spend?')).toBeTruthy();
    expect(screen.getByText('Unsaved changes')).toBeTruthy();

    await waitFor(() => expect(bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT')).toHaveLength(1), { timeout: 3000 });
    const [put] = bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT') as Saved[];
    expect(put.revision).toBe(3);
    expect(put.name).toBe('Welcome flow');
    expect(put.draft.nodes.find((n) => n.id === 'q1')!.step.text).toBe('How much can you spend?');
    expect(put.draft.nodes).toHaveLength(EVERY_KIND.nodes.length);
    expect(await screen.findByText('Saved')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(text().value).toBe('What is your budget?');
    expect(await within(screen.getByTestId('node-q1')).findByText('What is your budget?')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Redo' }));
    expect(text().value).toBe('How much can you spend?');
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(text().value).toBe('What is your budget?');

    // The undone value is saved too, with the revision of the last save.
    await waitFor(() => expect(bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT')).toHaveLength(2), { timeout: 3000 });
    const second = bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT')[1] as Saved;
    expect(second.revision).toBe(4);
    expect(second.draft.nodes.find((n) => n.id === 'q1')!.step.text).toBe('What is your budget?');
    expectCleanConsole();
  });

  it('adds a step from the palette, connects it through the panel and deletes it', async () => {
    const { fetchMock } = await openEditor({ triggers: [], nodes: [] });
    expect(screen.getByText(/Empty scenario: add a first step/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add message' }));
    fireEvent.change(screen.getByLabelText('Text'), { target: { value: 'Hi! Looking for a car?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add question' }));
    await waitFor(() => expect(screen.getByTestId('node-n2').className).toContain('is-selected'));
    fireEvent.change(screen.getByLabelText('Variable'), { target: { value: 'make' } });

    fireEvent.click(screen.getByTestId('node-n1'));
    fireEvent.change(screen.getByLabelText('Next step'), { target: { value: 'n2' } });
    expect(await within(screen.getByTestId('node-n1')).findByText('→ n2')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Scenario settings' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add trigger' }));
    fireEvent.change(screen.getByLabelText('Trigger 1 start step'), { target: { value: 'n1' } });
    expect(await within(screen.getByTestId('node-n1')).findByText('/start')).toBeTruthy();

    await waitFor(
      () => {
        const puts = bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT') as Saved[];
        expect(puts.at(-1)?.draft.triggers).toEqual([{ kind: 'start', value: '', node: 'n1' }]);
      },
      { timeout: 3000 },
    );
    const saved = (bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT') as Saved[]).at(-1)!;
    expect(saved.draft.nodes.map((n) => [n.id, n.step.kind, n.step.next])).toEqual([
      ['n1', 'message', 'n2'],
      ['n2', 'question', null],
    ]);

    // Deleting n2 clears n1's link to it.
    fireEvent.click(screen.getByTestId('node-n2'));
    fireEvent.click(screen.getByRole('button', { name: 'Delete selected' }));
    await waitFor(() => expect(screen.queryByTestId('node-n2')).toBeNull());
    await waitFor(() => expect(within(screen.getByTestId('node-n1')).queryByText('→ n2')).toBeNull());
    await waitFor(
      () => {
        const puts = bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT') as Saved[];
        expect(puts.at(-1)?.draft.nodes.map((n) => [n.id, n.step.next])).toEqual([['n1', null]]);
      },
      { timeout: 3000 },
    );
    expectCleanConsole();
  });

  it('shows the problems of the last save on the nodes and keeps Publish disabled', async () => {
    await openEditor(EVERY_KIND, {
      problems: [{ node: null, field: 'triggers', message: 'Add a trigger' }],
      problemsAfterSave: [{ node: 'q1', field: 'variable', message: 'Name the variable the answer is saved in' }],
    });
    const publish = screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement;
    expect(publish.disabled).toBe(true);
    expect(screen.getByRole('button', { name: '1 problem' })).toBeTruthy();

    fireEvent.click(screen.getByTestId('node-q1'));
    fireEvent.change(screen.getByLabelText('Variable'), { target: { value: '' } });
    const marker = await screen.findByLabelText('Problems: Name the variable the answer is saved in', {}, { timeout: 3000 });
    expect(screen.getByTestId('node-q1').contains(marker)).toBe(true);
    expect(screen.getByTestId('node-q1').className).toContain('has-problems');
    expect(within(screen.getByTestId('node-q1')).getByText('Name the variable the answer is saved in')).toBeTruthy();
    // …and in the panel of the selected step.
    expect(within(screen.getByRole('alert')).getByText('Name the variable the answer is saved in')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(true);

    // The list of problems selects the node at fault.
    fireEvent.click(screen.getByRole('button', { name: 'Scenario settings' }));
    fireEvent.click(screen.getByRole('button', { name: '1 problem' }));
    fireEvent.click(screen.getByRole('button', { name: /q1: Name the variable/ }));
    await waitFor(() => expect(screen.getByTestId('node-q1').className).toContain('is-selected'));
    expectCleanConsole();
  });

  it('marks the input a problem names and shows the message next to it', async () => {
    const message = "Button 1's label is 70 characters; Telegram allows 64";
    const long = 'x'.repeat(70);
    const draft = {
      triggers: [{ kind: 'start', value: '', node: 'n1' }],
      nodes: [
        {
          id: 'n1',
          position: { x: 0, y: 0 },
          step: { kind: 'message', text: 'Hi', media: null, buttons: [{ label: long, next: null, url: 'https://demo.test' }], keyboard: 'inline', next: null },
        },
      ],
    };
    await openEditor(draft, { problemsAfterSave: [{ node: 'n1', field: 'buttons[0].label', message }] });
    fireEvent.click(screen.getByTestId('node-n1'));
    const form = screen.getByRole('form', { name: 'Message n1 properties' });
    const label = within(form).getByLabelText('Button 1 label') as HTMLInputElement;
    expect(label.getAttribute('aria-invalid')).toBeNull();

    fireEvent.change(within(form).getByLabelText('Text'), { target: { value: 'Hello' } });
    await waitFor(() => expect(label.getAttribute('aria-invalid')).toBe('true'), { timeout: 3000 });
    const error = within(form).getByText(message);
    expect(error.className).toContain('field-error');
    expect(label.getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
    expect(label.closest('.field')!.contains(error)).toBe(true);
    // Only the named input is marked; the list at the top keeps the message too.
    expect(within(form).getByLabelText('Text').getAttribute('aria-invalid')).toBeNull();
    expect(within(form).getByLabelText('Button 1 URL').getAttribute('aria-invalid')).toBeNull();
    expect(within(screen.getByRole('alert')).getByText(message)).toBeTruthy();
    expectCleanConsole();
  });

  it('publishes once there are no problems', async () => {
    const fetchMock = scenarioBackend((url, init) => {
      if (url === '/api/scenarios/s1' && init?.method === 'GET') return jsonResponse(200, scenarioView({ draft: EVERY_KIND }));
      if (url === '/api/scenarios/s1/publish' && init?.method === 'POST')
        return jsonResponse(200, scenarioView({ draft: EVERY_KIND, published_version: 4, revision: 4 }));
      return undefined;
    });
    renderApp('/scenarios/s1');
    await editorReady();
    expect(screen.getByText('Draft only')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Published version 4.')).toBeTruthy();
    expect(screen.getByText('Live: version 4')).toBeTruthy();
    expect(bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT')).toHaveLength(0);
    expectCleanConsole();
  });

  it('shows a conflict banner when someone else saved', async () => {
    await openEditor(EVERY_KIND, { putStatus: 409 });
    fireEvent.click(screen.getByTestId('node-m2'));
    fireEvent.change(screen.getByLabelText('Text'), { target: { value: 'Mine' } });
    expect(await screen.findByText('Someone else saved this scenario.', {}, { timeout: 3000 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reload their version' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Overwrite with mine' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(true);
    // The edit is still on screen.
    expect((screen.getByLabelText('Text') as HTMLTextAreaElement).value).toBe('Mine');
  });

  it('draws a malformed scenario with fallbacks instead of crashing', async () => {
    await openEditor({
      triggers: [{ kind: 'start', node: 'bad' }, null],
      nodes: [
        { id: 'bad', position: { x: 0, y: 0 }, step: { kind: 'message', text: 42, buttons: 'oops', media: 'x', next: 7 } },
        { id: 'weird', position: { x: 'a' }, step: { kind: 'teleport', where: 'moon' } },
        { id: 'nostep', position: { x: 300, y: 0 } },
        { position: { x: 600, y: 0 }, step: { kind: 'end' } },
        null,
        'junk',
        { id: 'cond', position: { x: 0, y: 300 }, step: { kind: 'condition', branches: [null, { variable: 5 }], otherwise: 'ghost' } },
      ],
    });
    expect(within(screen.getByTestId('node-bad')).getByText('42')).toBeTruthy();
    expect(within(screen.getByTestId('node-weird')).getByText('Unknown step "teleport"')).toBeTruthy();
    expect(within(screen.getByTestId('node-nostep')).getByText('Unreadable step')).toBeTruthy();
    expect(within(screen.getByTestId('node-n1')).getByText('End of the conversation')).toBeTruthy();
    expect(within(screen.getByTestId('node-cond')).getByText('→ ghost (missing)')).toBeTruthy();

    fireEvent.click(screen.getByTestId('node-weird'));
    expect(screen.getByText(/does not know steps of the kind “teleport”/)).toBeTruthy();
    fireEvent.click(screen.getByTestId('node-bad'));
    expect((screen.getByLabelText('Text') as HTMLTextAreaElement).value).toBe('42');
    expect(screen.getByText('No buttons.')).toBeTruthy();
    fireEvent.click(screen.getByTestId('node-cond'));
    expect((screen.getByLabelText('Otherwise') as HTMLSelectElement).value).toBe('ghost');
    expectCleanConsole();
  });
});

describe('Scenario versions, analytics and read-only access', () => {
  it('rolls back to an earlier version after confirming, and shows per-step analytics', async () => {
    const rolledBack = {
      triggers: [{ kind: 'start', value: '', node: 'old' }],
      nodes: [{ id: 'old', position: { x: 0, y: 0 }, step: { kind: 'message', text: 'The old greeting', buttons: [], next: null } }],
    };
    const fetchMock = scenarioBackend((url, init) => {
      if (url === '/api/scenarios/s1' && init?.method === 'GET') return jsonResponse(200, scenarioView({ draft: EVERY_KIND, published_version: 2 }));
      if (url === '/api/scenarios/s1/versions')
        return jsonResponse(200, {
          versions: [
            { version: 2, published_at: '2025-03-02T10:00:00Z', published_by: 'mia@demo.test', nodes: 14, current: true },
            { version: 1, published_at: '2025-03-01T10:00:00Z', published_by: 'owner@demo.test', nodes: 1, current: false },
          ],
        });
      if (url === '/api/scenarios/s1/versions/1/rollback' && init?.method === 'POST')
        return jsonResponse(200, scenarioView({ draft: rolledBack, published_version: 3, revision: 9 }));
      if (url === '/api/scenarios/s1/analytics')
        return jsonResponse(200, {
          version: 2,
          nodes: [
            { node: 'm1', entered: 40, completed: 31, dropped: 9 },
            { node: 'q1', entered: 31, completed: 20, dropped: 11 },
          ],
          splits: [{ node: 'sp', branch: 1, picked: 12 }],
        });
      return undefined;
    });
    renderApp('/scenarios/s1');
    await editorReady();

    fireEvent.click(screen.getByRole('tab', { name: 'Analytics' }));
    const q1Row = (await screen.findByText('q1', { selector: '.mono' })).closest('tr')!;
    expect(within(q1Row).getByText('Question')).toBeTruthy();
    expect(within(q1Row).getByText('31')).toBeTruthy();
    expect(within(q1Row).getByText('11')).toBeTruthy();
    expect(screen.getByText(/branch B: 12 picked/)).toBeTruthy();
    expect(await within(screen.getByTestId('node-m1')).findByText('40 · 31 · 9')).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: 'Versions' }));
    const current = (await screen.findByText('Version 2')).closest('li')!;
    expect(within(current).getByText('Current')).toBeTruthy();
    expect(within(current).queryByRole('button', { name: 'Roll back to this' })).toBeNull();
    const older = screen.getByText('Version 1').closest('li')!;
    fireEvent.click(within(older).getByRole('button', { name: 'Roll back to this' }));
    const dialog = screen.getByRole('dialog', { name: 'Roll back to version 1?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));

    // The editor now holds the rolled-back draft.
    expect(await screen.findByTestId('node-old')).toBeTruthy();
    expect(screen.queryByTestId('node-m1')).toBeNull();
    expect(screen.getByText('Live: version 3')).toBeTruthy();
    expect(bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT')).toHaveLength(0);
    expectCleanConsole();
  });

  it('lets a viewer look and test but not edit', async () => {
    scenarioBackend(
      (url, init) => (url === '/api/scenarios/s1' && init?.method === 'GET' ? jsonResponse(200, scenarioView({ draft: EVERY_KIND })) : undefined),
      'viewer',
    );
    renderApp('/scenarios/s1');
    await editorReady();
    expect(screen.getByText('Read only: managers can edit')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Publish' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add message' })).toBeNull();
    fireEvent.click(screen.getByTestId('node-q1'));
    expect(screen.getByLabelText('Text').matches(':disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Delete this step' })).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: 'Test chat' }));
    expect((screen.getByRole('button', { name: 'Restart' }) as HTMLButtonElement).disabled).toBe(false);
    expectCleanConsole();
  });
});

describe('Scenario test chat', () => {
  it('saves pending edits, sends buyer input and renders replies with their buttons', async () => {
    const calls: unknown[] = [];
    const fetchMock = editorBackend(EVERY_KIND);
    const base = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation((input, init) => {
      if (String(input) === '/api/scenarios/s1/test') {
        const body = JSON.parse(String(init!.body));
        calls.push(body);
        if (body.kind === 'start')
          return Promise.resolve(
            jsonResponse(
              200,
              testAnswer({
                session: { step: 1 } as never,
                waiting_at: 'm1',
                replies: [
                  {
                    text: 'Hi! Looking for a car?',
                    keyboard: 'inline',
                    buttons: [
                      { label: 'Browse cars', kind: 'callback', value: 'm1:0' },
                      { label: 'Our website', kind: 'url', value: 'https://demo.test' },
                    ],
                  },
                ],
              }),
            ),
          );
        if (body.kind === 'callback')
          return Promise.resolve(
            jsonResponse(
              200,
              testAnswer({
                session: { step: 2 } as never,
                waiting_at: 'a1',
                events: ['request created: BMW X5'],
                replies: [
                  { text: 'BMW X5 2020', keyboard: 'none', buttons: [], photo_url: 'https://cdn.test/x5.jpg' },
                  { text: 'Share your phone?', keyboard: 'reply', buttons: [{ label: 'Share', kind: 'request_contact', value: '' }] },
                ],
              }),
            ),
          );
        return Promise.resolve(jsonResponse(200, testAnswer({ replies: [{ text: `You said ${body.text}`, keyboard: 'none', buttons: [] }] })));
      }
      return base(input, init);
    });

    renderApp('/scenarios/s1');
    await editorReady();
    // An unsaved edit is saved before the test runs.
    fireEvent.click(screen.getByTestId('node-m2'));
    fireEvent.change(screen.getByLabelText('Text'), { target: { value: 'Edited' } });

    fireEvent.click(screen.getByRole('tab', { name: 'Test chat' }));
    fireEvent.click(screen.getByRole('button', { name: 'Restart' }));
    const log = screen.getByRole('log', { name: 'Test chat messages' });
    expect(await within(log).findByText('Hi! Looking for a car?')).toBeTruthy();
    expect(bodiesOf(fetchMock, '/api/scenarios/s1', 'PUT')).toHaveLength(1);
    const putIndex = fetchMock.mock.calls.findIndex(([u, i]) => String(u) === '/api/scenarios/s1' && i?.method === 'PUT');
    const testIndex = fetchMock.mock.calls.findIndex(([u]) => String(u) === '/api/scenarios/s1/test');
    expect(putIndex).toBeLessThan(testIndex);
    expect(calls[0]).toEqual({ session: null, kind: 'start', text: '' });
    expect(within(log).getByText('/start')).toBeTruthy();
    expect(within(log).getByRole('link', { name: 'Our website' }).getAttribute('href')).toBe('https://demo.test');
    expect(screen.getByText('Waiting for the buyer at m1.')).toBeTruthy();
    expect(await within(screen.getByTestId('node-m1')).findByText('Test chat waits here')).toBeTruthy();

    fireEvent.click(within(log).getByRole('button', { name: 'Browse cars' }));
    expect(await within(log).findByText('BMW X5 2020')).toBeTruthy();
    expect(calls[1]).toEqual({ session: { step: 1 }, kind: 'callback', text: 'm1:0' });
    expect(within(log).getByRole('img', { name: 'Car photo' }).getAttribute('src')).toBe('https://cdn.test/x5.jpg');
    expect(within(log).getByText('request created: BMW X5')).toBeTruthy();

    // A request_contact button asks for the number to share, prefilled.
    fireEvent.click(within(log).getByRole('button', { name: 'Share' }));
    const phone = screen.getByLabelText('Phone number to share') as HTMLInputElement;
    expect(phone.value).toBe('+15551234567');
    fireEvent.click(screen.getByRole('button', { name: 'Share phone' }));
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[2]).toEqual({ session: { step: 2 }, kind: 'phone', text: '+15551234567' });

    fireEvent.change(screen.getByLabelText('Message as buyer'), { target: { value: 'BMW' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await within(log).findByText('You said BMW')).toBeTruthy();
    expect(calls[3]).toMatchObject({ kind: 'text', text: 'BMW' });

    fireEvent.click(screen.getByRole('button', { name: 'Skip delay' }));
    await waitFor(() => expect(calls).toHaveLength(5));
    expect(calls[4]).toMatchObject({ kind: 'timer' });
    await act(async () => {});
    expectCleanConsole();
  });
});
