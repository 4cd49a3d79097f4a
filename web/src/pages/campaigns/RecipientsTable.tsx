import { Download } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { apiBlob, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { CampaignRecipientPage, CampaignRecipientView, CampaignStatus, RecipientOutcome } from '../../api/types';
import { SelectField } from '../../components/Field';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { isKeyOf } from '../../urlFilters';
import { isLive, OUTCOMES } from './campaign';
import { useMorePages } from './paging';
import { LoadMore, useBotNames } from './parts';

/** Chunks of 100 recipients a page asks for. */
const CHUNKS_PER_PAGE = 2;

/** The outcome filter in the address (`?outcome=failed`), or none. */
export function useOutcomeFilter(): [RecipientOutcome | '', (o: RecipientOutcome | '') => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('outcome');
  const outcome = isKeyOf(OUTCOMES, raw) ? raw : '';
  const set = (o: RecipientOutcome | '') =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (o) next.set('outcome', o);
        else next.delete('outcome');
        return next;
      },
      { replace: true },
    );
  return [outcome, set];
}

/**
 * Who the campaign went to and what became of each, filtered by outcome
 * (kept in the address), a page at a time; the whole report as CSV. While
 * it sends, the first page is asked again every few seconds, and once
 * more whenever its status changes.
 */
export function RecipientsTable({ campaignId, campaignName, status }: { campaignId: string; campaignName: string; status: CampaignStatus }) {
  const { t } = useTranslation('campaigns');
  const [outcome, setOutcome] = useOutcomeFilter();
  const botName = useBotNames();
  const path = `/api/campaigns/${seg(campaignId)}/recipients?limit=${CHUNKS_PER_PAGE}${outcome ? `&outcome=${outcome}` : ''}`;
  const live = isLive(status);
  const list = useMorePages<CampaignRecipientPage, CampaignRecipientView>(path, (r) => `${r.bot_id}:${r.user_id}`, () => (live ? 5000 : false));
  // Asked again when the status changes (not on the first render: the page was just asked for).
  const refetch = list.refetchFirst;
  const shown = useRef(status);
  useEffect(() => {
    if (shown.current === status) return;
    shown.current = status;
    refetch();
  }, [status, refetch]);

  return (
    <section className="card" aria-labelledby="campaign-recipients-title">
      <div className="card-header">
        <h2 id="campaign-recipients-title">{t('recipients.title')}</h2>
        <CsvButton campaignId={campaignId} campaignName={campaignName} />
      </div>
      <div className="campaign-recipients-filter">
        <SelectField label={t('recipients.show')} value={outcome} onChange={(e) => setOutcome(e.target.value as RecipientOutcome | '')}>
          <option value="">{t('recipients.all')}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`outcomes.${o}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {list.loading ? (
        <Loading label={t('recipients.loading')} />
      ) : list.error ? (
        <ErrorState title={t('recipients.loadError')} error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 && !list.hasMore ? (
        <EmptyState title={outcome ? t('recipients.noneWith', { outcome: t(`outcomes.${outcome}`) }) : t('recipients.none')} />
      ) : (
        <>
          {list.items.length === 0 ? (
            <p className="muted small">{t('recipients.noneYet')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table campaign-recipients">
                <thead>
                  <tr>
                    <th>{t('recipients.name')}</th>
                    <th>{t('recipients.outcome')}</th>
                    <th className="hide-narrow">{t('recipients.bot')}</th>
                    <th>{t('recipients.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((r) => (
                    <tr key={`${r.bot_id}:${r.user_id}`} data-outcome={r.outcome}>
                      <td>
                        <span className="break">{r.name}</span>
                      </td>
                      <td>
                        <span className={`campaign-outcome campaign-outcome-${r.outcome}`}>{t(`outcomes.${r.outcome}`, { defaultValue: r.outcome })}</span>
                      </td>
                      <td className="hide-narrow" translate="no">
                        {botName(r.bot_id)}
                      </td>
                      <td className="small break">{r.error ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <LoadMore list={list} label={t('recipients.loadMore')} />
        </>
      )}
    </section>
  );
}

/** Downloads the report: the route needs the session token, so it is fetched and saved from a blob. */
function CsvButton({ campaignId, campaignName }: { campaignId: string; campaignName: string }) {
  const { t } = useTranslation('campaigns');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await apiBlob(`/api/campaigns/${seg(campaignId)}/report.csv`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `campaign-${campaignName.replace(/[^\p{L}\p{N}-]+/gu, '_')}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(t('csvFailed', { error: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="campaign-csv">
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => void download()} disabled={busy}>
        <Download size={14} aria-hidden="true" /> {busy ? t('common:states.working') : t('recipients.csv')}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
