import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { Sidebar } from './Sidebar';

const EVERY_MODULE: [string, string][] = [
  ['Dashboard', '/'],
  ['Inbox', '/inbox'],
  ['Contacts', '/contacts'],
  ['Inventory', '/inventory'],
  ['Parser', '/parser'],
  ['Requests', '/requests'],
  ['Partners', '/partners'],
  ['Telegram hub', '/telegram'],
  ['Scenarios', '/scenarios'],
  ['Campaigns', '/campaigns'],
  ['Content calendar', '/calendar'],
  ['Mini App', '/miniapp'],
  ['Telegram accounts', '/telegram/accounts'],
  ['Integrations', '/integrations'],
  ['Entities', '/entities'],
  ['Template library', '/templates'],
  ['Settings', '/settings'],
];

function renderNav(role: 'viewer' | 'owner' | 'superadmin') {
  render(
    <MemoryRouter>
      <Sidebar role={role} />
    </MemoryRouter>,
  );
  return screen.getByRole('navigation', { name: 'Main navigation' });
}

describe('Sidebar navigation', () => {
  it('links to every module of the product, even for a viewer', () => {
    const nav = renderNav('viewer');
    for (const [label, path] of EVERY_MODULE) {
      const link = within(nav).getByRole('link', { name: label });
      expect(link.getAttribute('href')).toBe(path);
    }
    expect(within(nav).getAllByRole('link')).toHaveLength(EVERY_MODULE.length);
  });

  it('hides Admin → Workspaces from workspace members', () => {
    const ownerNav = renderNav('owner');
    expect(within(ownerNav).queryByRole('link', { name: 'Workspaces' })).toBeNull();
  });

  it('shows Admin → Workspaces to the superadmin', () => {
    const adminNav = renderNav('superadmin');
    expect(within(adminNav).getByRole('link', { name: 'Workspaces' }).getAttribute('href')).toBe('/admin/workspaces');
    for (const [label] of EVERY_MODULE) expect(within(adminNav).getByRole('link', { name: label })).toBeTruthy();
  });
});
