import { Route, Routes } from 'react-router-dom';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { ALL_MODULES } from './nav';
import { AdminWorkspaces } from './pages/AdminWorkspaces';
import { ComingSoon } from './pages/ComingSoon';
import { Dashboard } from './pages/Dashboard';
import { Inbox } from './pages/inbox/Inbox';
import { Inventory } from './pages/inventory/Inventory';
import { ListingPage } from './pages/inventory/ListingPage';
import { Invite } from './pages/Invite';
import { Login } from './pages/Login';
import { Parser } from './pages/parser/Parser';
import { ScenarioEditor } from './pages/scenarios/ScenarioEditor';
import { ScenarioList } from './pages/scenarios/ScenarioList';
import { MiniAppAdmin } from './pages/miniapp/MiniAppAdmin';
import { Showcase } from './miniapp/Showcase';
import { NotFound } from './pages/NotFound';
import { Requests } from './pages/Requests';
import { Settings } from './pages/settings/Settings';
import { TelegramHub } from './pages/telegram/TelegramHub';

/** All routes; `main.tsx` wraps this in BrowserRouter and AuthProvider. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<Login />} />
      <Route path="/invite/:token" element={<Invite />} />
      {/* The buyer-facing Mini App: public, opened inside Telegram. */}
      <Route path="/m/:slug/:carId?" element={<Showcase />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<Dashboard />} />
        <Route path="settings" element={<Settings />} />
        <Route path="admin/workspaces" element={<AdminWorkspaces />} />
        <Route path="inbox/:conversationId?" element={<Inbox />} />
        <Route path="requests" element={<Requests />} />
        <Route path="telegram" element={<TelegramHub />} />
        <Route path="inventory" element={<Inventory />} />
        {/* `new` adds a car; one route for both, so the form stays on screen when a new car gets its address. */}
        <Route path="inventory/:id" element={<ListingPage />} />
        <Route path="parser" element={<Parser />} />
        <Route path="scenarios" element={<ScenarioList />} />
        <Route path="scenarios/:id" element={<ScenarioEditor />} />
        <Route path="miniapp" element={<MiniAppAdmin />} />
        {ALL_MODULES.filter((m) => !m.built).map((m) => (
          <Route key={m.key} path={m.path.slice(1)} element={<ComingSoon module={m} />} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
