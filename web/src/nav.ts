// Every module of the product, in the order and groups the sidebar shows
// them. Names and summaries are texts of the `common` namespace
// (`nav.<key>`, `modules.<key>`, `navGroups.<group>`). `built: false`
// modules render the shared ComingSoon page.

export interface Module {
  key: string;
  path: string;
  built: boolean;
}

export interface NavGroup {
  key: string;
  modules: Module[];
}

export const NAV_GROUPS: NavGroup[] = [
  { key: 'overview', modules: [{ key: 'dashboard', path: '/', built: true }] },
  {
    key: 'sales',
    modules: [
      { key: 'inbox', path: '/inbox', built: true },
      { key: 'contacts', path: '/contacts', built: true },
      { key: 'requests', path: '/requests', built: true },
      { key: 'partners', path: '/partners', built: true },
    ],
  },
  {
    key: 'stock',
    modules: [
      { key: 'inventory', path: '/inventory', built: true },
      { key: 'parser', path: '/parser', built: true },
    ],
  },
  {
    key: 'telegram',
    modules: [
      { key: 'telegram', path: '/telegram', built: true },
      { key: 'scenarios', path: '/scenarios', built: true },
      { key: 'campaigns', path: '/campaigns', built: true },
      { key: 'content', path: '/calendar', built: true },
      { key: 'miniapp', path: '/miniapp', built: true },
      { key: 'accounts', path: '/telegram/accounts', built: true },
    ],
  },
  {
    key: 'workspace',
    modules: [
      { key: 'integrations', path: '/integrations', built: false },
      { key: 'entities', path: '/entities', built: false },
      { key: 'templates', path: '/templates', built: false },
      { key: 'settings', path: '/settings', built: true },
    ],
  },
];

/** Only the platform's superadmin sees this group. */
export const ADMIN_GROUP: NavGroup = {
  key: 'admin',
  modules: [{ key: 'admin-workspaces', path: '/admin/workspaces', built: true }],
};

export const ALL_MODULES: Module[] = NAV_GROUPS.flatMap((g) => g.modules);
