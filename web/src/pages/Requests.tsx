import { Link } from 'react-router-dom';
import type { CarRequestList, CarRequestView, Team } from '../api/types';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth/AuthContext';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDate } from '../format';
import { memberName } from './inbox/names';

function years(r: CarRequestView): string {
  if (r.year_from && r.year_to) return r.year_from === r.year_to ? String(r.year_from) : `${r.year_from}–${r.year_to}`;
  if (r.year_from) return `from ${r.year_from}`;
  if (r.year_to) return `up to ${r.year_to}`;
  return 'any';
}

function money(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return '—';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${amount.toLocaleString()} ${currency}`;
  }
}

export function Requests() {
  const { me } = useAuth();
  const hasWorkspace = !!me?.workspace;
  const requests = useApi<CarRequestList>(hasWorkspace ? '/api/requests' : null);
  const team = useApi<Team>(hasWorkspace ? '/api/team' : null);

  return (
    <>
      <PageHeader title="Requests" subtitle="Cars your buyers want, to find in stock or through partner dealers." />
      <p className="muted small">
        Requests are created from a chat in the <Link to="/inbox">Inbox</Link>; posting them here and partners' offers are
        coming in a later release.
      </p>
      {!hasWorkspace ? (
        <EmptyState title="No workspace">Requests belong to a workspace; log in as one of its members.</EmptyState>
      ) : requests.loading && !requests.data ? (
        <Loading label="Loading requests…" />
      ) : requests.error || !requests.data ? (
        <ErrorState title="Could not load the requests" error={requests.error} onRetry={requests.reload} />
      ) : requests.data.requests.length === 0 ? (
        <EmptyState title="No requests yet">
          Open a conversation in the <Link to="/inbox">Inbox</Link> and press “Create request” when a buyer asks for a car.
        </EmptyState>
      ) : (
        <section className="card">
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Car</th>
                  <th>Years</th>
                  <th>Budget</th>
                  <th>Priority</th>
                  <th>Status</th>
                  <th>Created</th>
                  <th>Source</th>
                </tr>
              </thead>
              <tbody>
                {requests.data.requests.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <strong>{r.make}</strong> {r.model}
                    </td>
                    <td>{years(r)}</td>
                    <td>{money(r.budget, r.currency)}</td>
                    <td>
                      <span className={`priority priority-${r.priority}`}>{r.priority}</span>
                    </td>
                    <td>
                      <span className="pill pill-status">{r.status}</span>
                    </td>
                    <td>
                      {formatDate(r.created_at)}
                      <div className="muted small">by {memberName(r.created_by, team.data?.members)}</div>
                    </td>
                    <td>{r.conversation ? <Link to={`/inbox/${r.conversation}`}>Open chat</Link> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
