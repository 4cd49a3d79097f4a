import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { renderApp } from '../../test/renderApp';
import { bodiesOf, scenarioBackend, scenarioView, stubReactFlowDom, summary } from './testkit';

let restoreDom: () => void;
beforeEach(() => {
  setToken('tok');
  restoreDom = stubReactFlowDom();
});
afterEach(() => restoreDom());

describe('Scenario list', () => {
  it('lists the scenarios with their bots, version and changes', async () => {
    scenarioBackend((url) =>
      url === '/api/scenarios'
        ? jsonResponse(200, {
            scenarios: [
              summary({ id: 'a', name: 'Welcome flow', published_version: 2, has_unpublished_changes: true, bot_ids: [1] }),
              summary({ id: 'b', name: 'Catalog', published_version: null, has_unpublished_changes: true }),
            ],
          })
        : undefined,
    );
    renderApp('/scenarios');
    const link = await screen.findByRole('link', { name: 'Welcome flow' });
    expect(link.getAttribute('href')).toBe('/scenarios/a');
    const welcome = link.closest('tr')!;
    expect(within(welcome).getByText('@DemoMotorsBot')).toBeTruthy();
    expect(within(welcome).getByText('Version 2')).toBeTruthy();
    expect(within(welcome).getByText('unpublished changes')).toBeTruthy();
    const catalog = screen.getByRole('link', { name: 'Catalog' }).closest('tr')!;
    expect(within(catalog).getByText('All bots')).toBeTruthy();
    expect(within(catalog).getByText('Draft only')).toBeTruthy();
    expect(within(catalog).queryByText('unpublished changes')).toBeNull();
  });

  it('creates a scenario from a template and opens it', async () => {
    const fetchMock = scenarioBackend((url, init) => {
      if (url === '/api/scenarios' && init?.method === 'POST') return jsonResponse(201, scenarioView({ id: 'new1', name: 'Leads' }));
      if (url === '/api/scenarios') return jsonResponse(200, { scenarios: [] });
      if (url === '/api/scenarios/new1') return jsonResponse(200, scenarioView({ id: 'new1', name: 'Leads' }));
      return undefined;
    });
    const app = renderApp('/scenarios');
    expect(await screen.findByText('No scenarios yet')).toBeTruthy();
    fireEvent.click(screen.getAllByRole('button', { name: 'New scenario' })[0]);
    const dialog = screen.getByRole('dialog', { name: 'New scenario' });

    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(within(dialog).getByText('Enter a name, e.g. “Welcome and search”.')).toBeTruthy();

    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Leads' } });
    await within(dialog).findByRole('option', { name: 'Lead generation' });
    fireEvent.change(within(dialog).getByLabelText('Starter template'), { target: { value: 'lead_generation' } });
    expect(within(dialog).getByText('Ask what the buyer wants and create a request.')).toBeTruthy();
    // The template's messages to buyers in Ukrainian, while this page stays English.
    expect((within(dialog).getByLabelText('Its messages to buyers in') as HTMLSelectElement).value).toBe('en');
    fireEvent.change(within(dialog).getByLabelText('Its messages to buyers in'), { target: { value: 'uk' } });
    fireEvent.click(within(dialog).getByLabelText('Only these bots'));
    fireEvent.click(await within(dialog).findByLabelText('@DemoMotorsBot'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(app.url()).toBe('/scenarios/new1'));
    expect(bodiesOf(fetchMock, '/api/scenarios', 'POST')).toEqual([{ name: 'Leads', template: 'lead_generation', language: 'uk', bot_ids: [1] }]);
    expect(await screen.findByRole('heading', { name: 'Leads' })).toBeTruthy();
  });

  it('creates an empty scenario for all bots when nothing is picked', async () => {
    const fetchMock = scenarioBackend((url, init) => {
      if (url === '/api/scenarios' && init?.method === 'POST') return jsonResponse(201, scenarioView({ id: 'new2' }));
      if (url === '/api/scenarios') return jsonResponse(200, { scenarios: [] });
      if (url === '/api/scenarios/new2') return jsonResponse(200, scenarioView({ id: 'new2' }));
      return undefined;
    });
    const app = renderApp('/scenarios');
    fireEvent.click((await screen.findAllByRole('button', { name: 'New scenario' }))[0]);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: ' Blank ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(app.url()).toBe('/scenarios/new2'));
    expect(bodiesOf(fetchMock, '/api/scenarios', 'POST')).toEqual([{ name: 'Blank', template: null, language: null, bot_ids: [] }]);
  });

  it('duplicates and deletes (after confirming)', async () => {
    let scenarios = [summary({ id: 'a', name: 'Welcome flow' })];
    const fetchMock = scenarioBackend((url, init) => {
      if (url === '/api/scenarios') return jsonResponse(200, { scenarios });
      if (url === '/api/scenarios/a/duplicate' && init?.method === 'POST') {
        scenarios = [...scenarios, summary({ id: 'c', name: 'Welcome flow (copy)' })];
        return jsonResponse(201, scenarioView({ id: 'c', name: 'Welcome flow (copy)' }));
      }
      if (url === '/api/scenarios/a' && init?.method === 'DELETE') {
        scenarios = scenarios.filter((s) => s.id !== 'a');
        return new Response(null, { status: 204 });
      }
      return undefined;
    });
    renderApp('/scenarios');
    fireEvent.click(await screen.findByRole('button', { name: 'Duplicate Welcome flow' }));
    expect(await screen.findByRole('link', { name: 'Welcome flow (copy)' })).toBeTruthy();
    expect(screen.getByText('Copied as “Welcome flow (copy)”.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Delete Welcome flow' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete “Welcome flow”?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'DELETE')).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Delete Welcome flow' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete scenario' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Welcome flow' })).toBeNull());
    expect(screen.getByRole('link', { name: 'Welcome flow (copy)' })).toBeTruthy();
  });

  it('offers a retry when the list cannot be loaded, and hides editing from viewers', async () => {
    let calls = 0;
    scenarioBackend((url) => {
      if (url !== '/api/scenarios') return undefined;
      calls += 1;
      // The first load and its two automatic retries fail; the page then offers its own Retry.
      return calls <= 3
        ? jsonResponse(503, { error: { code: 'unavailable', message: 'Try later.', field: null } })
        : jsonResponse(200, { scenarios: [summary()] });
    }, 'viewer');
    renderApp('/scenarios');
    expect(await screen.findByText('The service is unavailable for a moment. Please try again.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('link', { name: 'Welcome flow' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New scenario' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
  });

  it('shows a scenario that does not exist as an error with a way back', async () => {
    scenarioBackend(() => undefined);
    renderApp('/scenarios/nope');
    expect(await screen.findByText('Could not load the scenario')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to the scenarios' }).getAttribute('href')).toBe('/scenarios');
  });
});
