// Every module of the product (PRODUCT.md), in the order and groups the
// sidebar shows them. `built: false` modules render the shared ComingSoon page.

export interface Module {
  key: string;
  label: string;
  path: string;
  /** One line of what the module does, shown on its page until it is built. */
  summary: string;
  built: boolean;
}

export interface NavGroup {
  label: string;
  modules: Module[];
}

export const NAV_GROUPS: NavGroup[] = [
  {
    label: 'Overview',
    modules: [
      {
        key: 'dashboard',
        label: 'Dashboard',
        path: '/',
        summary: 'Key figures of your dealership, each leading to the right page.',
        built: true,
      },
    ],
  },
  {
    label: 'Sales',
    modules: [
      {
        key: 'inbox',
        label: 'Inbox',
        path: '/inbox',
        summary:
          'Every conversation across all your bots and Telegram accounts in one place: read the history, reply with any media, assign to a manager, create a request from a chat.',
        built: true,
      },
      {
        key: 'contacts',
        label: 'Contacts',
        path: '/contacts',
        summary:
          'Everyone who wrote to your bots, with tags, the answers your scenarios collected, where they came from, and whether they blocked or unsubscribed.',
        built: false,
      },
      {
        key: 'requests',
        label: 'Requests',
        path: '/requests',
        summary:
          'Post a wanted car (make, model, years, budget, priority) to partner dealers and collect their offers from stock.',
        built: true,
      },
      {
        key: 'partners',
        label: 'Partners',
        path: '/partners',
        summary: 'The dealers you work with as partners, and their company profiles.',
        built: false,
      },
    ],
  },
  {
    label: 'Stock',
    modules: [
      {
        key: 'inventory',
        label: 'Inventory',
        path: '/inventory',
        summary:
          'Your car listings — make, model, year, price, mileage, VIN, specs, photos and status — with search and filters.',
        built: true,
      },
      {
        key: 'parser',
        label: 'Parser',
        path: '/parser',
        summary:
          'Paste a car page URL, check the detected fields, and import it; the mapping is remembered per site so the next import is one click.',
        built: true,
      },
    ],
  },
  {
    label: 'Telegram',
    modules: [
      {
        key: 'telegram',
        label: 'Telegram hub',
        path: '/telegram',
        summary: 'Connect your bots (the webhook is set for you) and edit their menu: commands, menu button, keyboard.',
        built: true,
      },
      {
        key: 'scenarios',
        label: 'Scenarios',
        path: '/scenarios',
        summary:
          'Design bot conversations visually — messages, questions, conditions, delays, stock search, hand-off to a human — with drafts, published versions and a test chat.',
        built: true,
      },
      {
        key: 'campaigns',
        label: 'Campaigns',
        path: '/campaigns',
        summary:
          'Broadcast offers to an audience segment now or on a schedule, with live progress and pause, resume or cancel.',
        built: false,
      },
      {
        key: 'content',
        label: 'Content calendar',
        path: '/content',
        summary: 'Schedule channel posts from templates in an explicit time zone, with a warning when slots clash.',
        built: false,
      },
      {
        key: 'miniapp',
        label: 'Mini App',
        path: '/miniapp',
        summary: 'A Telegram Mini App that showcases your stock to buyers, right inside Telegram.',
        built: true,
      },
      {
        key: 'accounts',
        label: 'Telegram accounts',
        path: '/accounts',
        summary:
          'Connect Telegram user accounts that stay online: read the channels they follow and reply from the Inbox as that user.',
        built: false,
      },
    ],
  },
  {
    label: 'Workspace',
    modules: [
      {
        key: 'integrations',
        label: 'Integrations',
        path: '/integrations',
        summary: 'Outgoing webhooks on events such as a new lead or request, workspace API keys, and SendPulse.',
        built: false,
      },
      {
        key: 'entities',
        label: 'Entities',
        path: '/entities',
        summary: 'Define your own record types with typed fields, and keep their records validated and searchable.',
        built: false,
      },
      {
        key: 'templates',
        label: 'Template library',
        path: '/templates',
        summary: 'Curated scenario and post templates you can install into your workspace in one click.',
        built: false,
      },
      {
        key: 'settings',
        label: 'Settings',
        path: '/settings',
        summary: 'Team and roles, company profile, dictionaries, backup, API keys and the deployed versions.',
        built: true,
      },
    ],
  },
];

/** Only the platform's superadmin sees this group. */
export const ADMIN_GROUP: NavGroup = {
  label: 'Platform admin',
  modules: [
    {
      key: 'admin-workspaces',
      label: 'Workspaces',
      path: '/admin/workspaces',
      summary: 'Create workspaces (companies) and invite their owners.',
      built: true,
    },
  ],
};

export const ALL_MODULES: Module[] = NAV_GROUPS.flatMap((g) => g.modules);
