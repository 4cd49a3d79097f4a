import { Link, Navigate } from 'react-router-dom';
import type { Dashboard as DashboardData } from '../api/types';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth/AuthContext';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';

const numberFormat = new Intl.NumberFormat();

export function Dashboard() {
  const { me } = useAuth();
  const isPlatformAdmin = me?.role === 'superadmin' && !me.workspace;
  const dash = useApi<DashboardData>(isPlatformAdmin ? null : '/api/dashboard');

  if (isPlatformAdmin) return <Navigate to="/admin/workspaces" replace />;

  return (
    <>
      <PageHeader title="Dashboard" subtitle={dash.data ? dash.data.workspace.name : me?.workspace?.name} />
      {dash.loading ? (
        <Loading label="Loading your key figures…" />
      ) : dash.error || !dash.data ? (
        <ErrorState title="Could not load the dashboard" error={dash.error} onRetry={dash.reload} />
      ) : dash.data.kpis.length === 0 ? (
        <EmptyState title="No figures yet">Key figures appear here as your workspace gets going.</EmptyState>
      ) : (
        <section className="kpi-grid" aria-label="Key figures">
          {dash.data.kpis.map((k) => (
            <Link key={k.key} to={k.link} className="kpi-card" data-kpi={k.key}>
              <span className="kpi-value">{numberFormat.format(k.value)}</span>
              <span className="kpi-label">{k.label}</span>
            </Link>
          ))}
        </section>
      )}
      <section className="card getting-started">
        <h2>Getting started</h2>
        <ol>
          <li>
            <Link to="/telegram">Connect your Telegram bot</Link> in the Telegram hub, so buyers can reach you.
          </li>
          <li>
            <Link to="/inventory">Add your cars</Link> to the inventory, so bots and partners can find them.
          </li>
          <li>
            <Link to="/settings?tab=team">Invite your team</Link> and give everyone the right role.
          </li>
        </ol>
      </section>
    </>
  );
}
