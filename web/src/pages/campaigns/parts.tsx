// Small pieces the campaign pages share: the status badge, the progress
// bar, the bots' names, and a saved file's thumbnail.
import { FileText, Film, Music } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, seg } from '../../api/client';
import { useApiQuery } from '../../api/query';
import type { BotList, CampaignStatus, FileView } from '../../api/types';
import { formatNumber } from '../../i18n/format';
import type { MediaKind } from './campaign';

/** "Load more" under a paged list, with the failure of the last try. */
export function LoadMore({ list, label }: { list: { hasMore: boolean; loadingMore: boolean; moreError: string | null; loadMore: () => Promise<void> | void }; label: string }) {
  const { t } = useTranslation('campaigns');
  if (!list.hasMore) return null;
  return (
    <div className="load-more">
      <button type="button" className="btn btn-secondary" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
        {list.loadingMore ? t('common:states.loading') : label}
      </button>
      {list.moreError && (
        <div className="field-error" role="alert">
          {t('moreFailed', { error: list.moreError })}
        </div>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation('campaigns');
  return <span className={`campaign-status campaign-status-${status}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}

/** A bar with its percent beside it; `big` on a campaign's own page. */
export function ProgressBar({ percent, label, big = false }: { percent: number; label: string; big?: boolean }) {
  const pct = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div className={big ? 'campaign-bar campaign-bar-big' : 'campaign-bar'}>
      <div className="campaign-bar-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <span className="campaign-bar-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="campaign-bar-percent">{formatNumber(pct / 100, { style: 'percent' })}</span>
    </div>
  );
}

/** `@username` of each bot of the workspace, by id. */
export function useBotNames(): (id: number) => string {
  const bots = useApiQuery<BotList>('/api/bots');
  return (id) => {
    const b = bots.data?.bots.find((x) => x.id === id);
    return b ? `@${b.username}` : `#${id}`;
  };
}

function KindIcon({ kind }: { kind: MediaKind }) {
  if (kind === 'video' || kind === 'animation') return <Film size={22} aria-hidden="true" />;
  if (kind === 'audio') return <Music size={22} aria-hidden="true" />;
  return <FileText size={22} aria-hidden="true" />;
}

/**
 * A file already in the file store: a photo shows itself (a short-lived
 * link the API gives), anything else its kind and name. A file the store
 * no longer keeps says so.
 */
export function SavedMedia({ uploadId, kind, n }: { uploadId: string; kind: MediaKind; n: number }) {
  const { t } = useTranslation('campaigns');
  const file = useApiQuery<FileView>(`/api/files/${seg(uploadId)}`, { staleTime: 60_000, refetchOnWindowFocus: false });
  const [broken, setBroken] = useState(false);
  const gone = file.error instanceof ApiError && file.error.status === 404;
  const url = file.data?.download_url;
  const picture = (kind === 'photo' || (kind === 'animation' && file.data?.content_type === 'image/gif')) && url && !broken;
  return (
    <figure className="campaign-media-thumb">
      {picture ? (
        <img src={url} alt={t('media.previewOf', { n })} onError={() => setBroken(true)} />
      ) : (
        <span className="campaign-media-icon" aria-hidden="true">
          <KindIcon kind={kind} />
        </span>
      )}
      <figcaption className="small">
        <span className="muted">{t(`media.kinds.${kind}`)}</span>{' '}
        {gone ? (
          <span className="field-error">{t('media.gone')}</span>
        ) : (
          file.data && (
            <span className="break" translate="no">
              {file.data.name}
            </span>
          )
        )}
      </figcaption>
    </figure>
  );
}

export { KindIcon };
