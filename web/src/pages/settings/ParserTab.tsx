import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, useApiQuery } from '../../api/query';
import type { MappingList, MappingView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { QueryView } from '../../components/States';
import { formatDate } from '../../i18n/format';

/** Settings → Parser: the saved per-site mappings, and forgetting one (the next import of that site maps again). */
export function ParserTab() {
  const { t } = useTranslation(['settings', 'parser']);
  const { me } = useAuth();
  const canEdit = atLeast(me?.role, 'manager');
  const client = useQueryClient();
  const list = useApiQuery<MappingList>('/api/parser/mappings');
  const [forget, setForget] = useState<MappingView | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  const doForget = async () => {
    if (!forget) return;
    setBusy(true);
    const q = forget.path_prefix ? `?path_prefix=${encodeURIComponent(forget.path_prefix)}` : '';
    try {
      await api<void>(`/api/parser/mappings/${seg(forget.domain)}${q}`, { method: 'DELETE' });
      setNotice({ ok: true, text: t('parserTab.forgotten', { site: where(forget) }) });
      await invalidate(client, '/api/parser/mappings');
    } catch (e) {
      setNotice({ ok: false, text: t('parserTab.forgetFailed', { error: errorMessage(e) }) });
    } finally {
      setBusy(false);
      setForget(null);
    }
  };

  return (
    <div className="card">
      <div className="card-header">
        <h2>{t('parserTab.title')}</h2>
        <Link to="/parser" className="btn btn-primary">
          {t('parserTab.open')}
        </Link>
      </div>
      <p>{t('parserTab.intro')}</p>
      <h3>{t('parserTab.saved')}</h3>
      {notice && (
        <div className={notice.ok ? 'notice' : 'form-error'} role="status">
          {notice.text}
        </div>
      )}
      <QueryView query={list} loading={t('parserTab.loading')} errorTitle={t('parserTab.loadError')}>
        {(data) =>
          !data.mappings.length ? (
            <p className="muted">{t('parserTab.empty')}</p>
          ) : (
            <table className="table" aria-label={t('parserTab.saved')}>
              <thead>
                <tr>
                  <th>{t('parserTab.site')}</th>
                  <th>{t('parserTab.pages')}</th>
                  <th>{t('parserTab.fields')}</th>
                  <th>{t('parserTab.savedAt')}</th>
                  {canEdit && <th aria-label={t('parserTab.actions')} />}
                </tr>
              </thead>
              <tbody>
                {data.mappings.map((m) => (
                  <tr key={`${m.domain}${m.path_prefix ?? ''}`}>
                    <td>{m.domain}</td>
                    <td>{m.path_prefix ? <code>{m.path_prefix}…</code> : t('parserTab.wholeSite')}</td>
                    <td>{m.rules.map((r) => t(`parser:fields.${r.field}`, { defaultValue: r.field })).join(', ') || '—'}</td>
                    <td>{formatDate(m.updated_at)}</td>
                    {canEdit && (
                      <td>
                        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setForget(m)}>
                          {t('parserTab.forget')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
      {forget && (
        <ConfirmDialog
          title={t('parserTab.forgetTitle')}
          confirmLabel={t('parserTab.forget')}
          busy={busy}
          onConfirm={() => void doForget()}
          onCancel={() => setForget(null)}
        >
          {t('parserTab.forgetBody', { site: where(forget) })}
        </ConfirmDialog>
      )}
    </div>
  );
}

function where(m: MappingView): string {
  return m.path_prefix ? `${m.domain}${m.path_prefix}` : m.domain;
}
