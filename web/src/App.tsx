import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes, useSearchParams } from 'react-router-dom';
import { RequireAuth } from './auth/RequireAuth';
import { Loading } from './components/States';
import { i18n, type Namespace } from './i18n';
import { ALL_MODULES } from './nav';
import { Login } from './pages/LoginPage';

// Every page but the login is its own chunk, loaded when it is first opened
// together with its texts in the active language: the first page downloads
// only what it shows (the scenario editor's flow library, for one, loads
// with the editor).
// `any`: a page component, whatever its props.
function page<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
  namespaces: Namespace[] = [],
) {
  return lazy<M[K]>(async () => {
    const [m] = await Promise.all([load(), i18n.loadNamespaces(namespaces)]);
    return { default: m[name] };
  });
}

const Layout = page(() => import('./components/Layout'), 'Layout');
const Invite = page(() => import('./pages/Invite'), 'Invite', ['auth']);
const ResetPassword = page(() => import('./pages/ResetPassword'), 'ResetPassword', ['password']);
const Showcase = page(() => import('./miniapp/Showcase'), 'Showcase', ['showcase']);
const Dashboard = page(() => import('./pages/Dashboard'), 'Dashboard', ['dashboard']);
const Settings = page(() => import('./pages/settings/Settings'), 'Settings', ['settings', 'parser', 'notifications', 'password']);
const AdminWorkspaces = page(() => import('./pages/AdminWorkspaces'), 'AdminWorkspaces', ['admin', 'password']);
const Notifications = page(() => import('./pages/notifications/Notifications'), 'Notifications', ['notifications']);
const Inbox = page(() => import('./pages/inbox/Inbox'), 'Inbox', ['inbox']);
const Contacts = page(() => import('./pages/contacts/Contacts'), 'Contacts', ['contacts']);
const ContactPage = page(() => import('./pages/contacts/ContactPage'), 'ContactPage', ['contacts', 'requests']);
const ContactImport = page(() => import('./pages/contacts/ContactImport'), 'ContactImport', ['contacts']);
const Requests = page(() => import('./pages/requests/Requests'), 'Requests', ['requests']);
const RequestPage = page(() => import('./pages/requests/RequestPage'), 'RequestPage', ['requests']);
const Partners = page(() => import('./pages/partners/Partners'), 'Partners', ['partners', 'requests']);
const TelegramHub = page(() => import('./pages/telegram/TelegramHub'), 'TelegramHub', ['telegram', 'tgaccounts']);
const Inventory = page(() => import('./pages/inventory/Inventory'), 'Inventory', ['inventory']);
const StockImport = page(() => import('./pages/inventory/StockImport'), 'StockImport', ['stockImport']);
const ListingPage = page(() => import('./pages/inventory/ListingPage'), 'ListingPage', ['inventory']);
const Parser = page(() => import('./pages/parser/Parser'), 'Parser', ['parser', 'inventory']);
const ScenarioList = page(() => import('./pages/scenarios/ScenarioList'), 'ScenarioList', ['scenarios']);
const ScenarioEditor = page(() => import('./pages/scenarios/ScenarioEditor'), 'ScenarioEditor', ['scenarios']);
const Campaigns = page(() => import('./pages/campaigns/Campaigns'), 'Campaigns', ['campaigns']);
const CampaignPage = page(() => import('./pages/campaigns/CampaignPage'), 'CampaignPage', ['campaigns']);
const ContentCalendar = page(() => import('./pages/calendar/ContentCalendar'), 'ContentCalendar', ['calendar', 'campaigns']);
const MiniAppAdmin = page(() => import('./pages/miniapp/MiniAppAdmin'), 'MiniAppAdmin', ['miniapp', 'telegram']);
const ComingSoon = page(() => import('./pages/ComingSoon'), 'ComingSoon', ['modules']);
const NotFound = page(() => import('./pages/NotFound'), 'NotFound');

/** A page outside the logged-in layout, with the splash spinner while its chunk loads. */
function Standalone({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div className="splash">
          <Loading />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

/** The module's first address and a notification's link (`/accounts?account=<id>`): the hub's Accounts tab. */
function AccountsRedirect() {
  const [params] = useSearchParams();
  const id = params.get('account');
  return <Navigate to={id ? `/telegram/accounts/${encodeURIComponent(id)}` : '/telegram/accounts'} replace />;
}

/** All routes; `main.tsx` wraps this in BrowserRouter, the query cache and AuthProvider. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<Login />} />
      <Route path="/invite/:token" element={<Standalone><Invite /></Standalone>} />
      <Route path="/reset/:token" element={<Standalone><ResetPassword /></Standalone>} />
      {/* The buyer-facing Mini App: public, opened inside Telegram. */}
      <Route path="/m/:slug/:carId?" element={<Standalone><Showcase /></Standalone>} />
      <Route
        element={
          <RequireAuth>
            <Standalone>
              <Layout />
            </Standalone>
          </RequireAuth>
        }
      >
        <Route index element={<Dashboard />} />
        <Route path="settings" element={<Settings />} />
        <Route path="admin/workspaces" element={<AdminWorkspaces />} />
        <Route path="inbox/:conversationId?" element={<Inbox />} />
        <Route path="notifications" element={<Notifications />} />
        <Route path="contacts" element={<Contacts />} />
        <Route path="contacts/import" element={<ContactImport />} />
        <Route path="contacts/:id" element={<ContactPage />} />
        <Route path="requests" element={<Requests />} />
        {/* `new` posts a request; one route for both, like campaigns. */}
        <Route path="requests/:id" element={<RequestPage />} />
        {/* Partners, their shared requests (`requests/:partnerId/:requestId`), an invite link (`connect/:slug`), the company card. */}
        <Route path="partners/*" element={<Partners />} />
        <Route path="telegram" element={<TelegramHub />} />
        {/* The hub's Accounts tab; `:accountId` opens that account's channels. */}
        <Route path="telegram/accounts/:accountId?" element={<TelegramHub />} />
        <Route path="accounts" element={<AccountsRedirect />} />
        <Route path="inventory" element={<Inventory />} />
        <Route path="inventory/import" element={<StockImport />} />
        {/* `new` adds a car; one route for both, so the form stays on screen when a new car gets its address. */}
        <Route path="inventory/:id" element={<ListingPage />} />
        <Route path="parser" element={<Parser />} />
        <Route path="scenarios" element={<ScenarioList />} />
        <Route path="scenarios/:id" element={<ScenarioEditor />} />
        <Route path="campaigns" element={<Campaigns />} />
        {/* `new` composes a campaign; one route for both, so the composer stays on screen when a new campaign gets its address. */}
        <Route path="campaigns/:id" element={<CampaignPage />} />
        {/* The content calendar, its tabs and its posts (`new`, `posts/:id`): one route, so a new post's form stays on screen when it gets its address. */}
        <Route path="calendar/*" element={<ContentCalendar />} />
        {/* The module's address while it was announced. */}
        <Route path="content" element={<Navigate to="/calendar" replace />} />
        <Route path="miniapp" element={<MiniAppAdmin />} />
        {ALL_MODULES.filter((m) => !m.built).map((m) => (
          <Route key={m.key} path={m.path.slice(1)} element={<ComingSoon module={m} />} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
