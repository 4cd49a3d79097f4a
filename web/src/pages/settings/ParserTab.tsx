import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, seg } from '../../api/client';
import type { MappingList, MappingView } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState, Loading, errorMessage } from '../../components/States';
import { formatDate } from '../../format';

/** Settings → Parser: the saved per-site mappings, and forgetting one (the next import of that site maps again). */
export function ParserTab() {
  const { me } = useAuth();
  const canEdit = atLeast(me?.role, 'manager');
  const list = useApi<MappingList>('/api/parser/mappings');
  const [forget, setForget] = useState<MappingView | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  const doForget = async () => {
    if (!forget) return;
    setBusy(true);
    const q = forget.path_prefix ? `?path_prefix=${encodeURIComponent(forget.path_prefix)}` : '';
    try {
      await api<void>(`/api/parser/mappings/${seg(forget.domain)}${q}`, { method: 'DELETE' });
      setNotice({ ok: true, text: `Forgot the mapping for ${where(forget)}; its next import is mapped again.` });
      list.reload();
    } catch (e) {
      setNotice({ ok: false, text: `Could not forget it: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
      setForget(null);
    }
  };

  return (
    <div className="card">
      <div className="card-header">
        <h2>Parser</h2>
        <Link to="/parser" className="btn btn-primary">
          Open the parser
        </Link>
      </div>
      <p>
        Import a car from its web page: paste the address, check what was found, and choose what feeds each field. Each
        site's mapping is remembered, so its next car is one click.
      </p>
      <h3>Saved site mappings</h3>
      {notice && (
        <div className={notice.ok ? 'notice' : 'form-error'} role="status">
          {notice.text}
        </div>
      )}
      {list.loading && !list.data ? (
        <Loading label="Loading the mappings…" />
      ) : list.error && !list.data ? (
        <ErrorState title="Could not load the mappings" error={list.error} onRetry={list.reload} />
      ) : !list.data?.mappings.length ? (
        <p className="muted">No mappings yet. They are saved when you import with “Remember this mapping”.</p>
      ) : (
        <table className="table" aria-label="Saved site mappings">
          <thead>
            <tr>
              <th>Site</th>
              <th>Pages</th>
              <th>Fields mapped</th>
              <th>Saved</th>
              {canEdit && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {list.data.mappings.map((m) => (
              <tr key={`${m.domain}${m.path_prefix ?? ''}`}>
                <td>{m.domain}</td>
                <td>{m.path_prefix ? <code>{m.path_prefix}…</code> : 'whole site'}</td>
                <td>{m.rules.map((r) => r.field).join(', ') || '—'}</td>
                <td>{formatDate(m.updated_at)}</td>
                {canEdit && (
                  <td>
                    <button type="button" className="btn btn-ghost btn-sm" onClick={() => setForget(m)}>
                      Forget
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {forget && (
        <ConfirmDialog title="Forget this mapping?" confirmLabel="Forget" busy={busy} onConfirm={() => void doForget()} onCancel={() => setForget(null)}>
          The next car imported from {where(forget)} starts from what the parser detects, and you map it again.
        </ConfirmDialog>
      )}
    </div>
  );
}

function where(m: MappingView): string {
  return m.path_prefix ? `${m.domain}${m.path_prefix}` : m.domain;
}
