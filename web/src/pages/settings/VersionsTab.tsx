import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/query';
import type { Version } from '../../api/types';
import { ErrorState, Loading } from '../../components/States';
import { formatDate } from '../../i18n/format';
import { BUILD_SHA, isKnownSha, isNewerBuild } from '../../version';

export function VersionsTab() {
  const { t } = useTranslation('settings');
  const v = useApiQuery<Version>('/api/version');
  let status;
  if (v.data) {
    if (isNewerBuild(v.data.git_sha, BUILD_SHA)) {
      status = (
        <div className="notice notice-warn">
          {t('versions.differs')}{' '}
          <button type="button" className="btn btn-sm btn-primary" onClick={() => window.location.reload()}>
            {t('common:actions.reload')}
          </button>
        </div>
      );
    } else if (!isKnownSha(BUILD_SHA) || !isKnownSha(v.data.git_sha)) {
      status = <div className="notice">{t('versions.unknown')}</div>;
    } else {
      status = <div className="notice notice-ok">{t('versions.same')}</div>;
    }
  }
  return (
    <div className="card">
      <h2>{t('versions.title')}</h2>
      <dl className="facts">
        <dt>{t('versions.web')}</dt>
        <dd>
          <code translate="no">{BUILD_SHA}</code>
        </dd>
        {v.data && (
          <>
            <dt>{t('versions.api')}</dt>
            <dd>
              <code translate="no">{v.data.git_sha}</code>
            </dd>
            <dt>{t('versions.builtAt')}</dt>
            <dd>{formatDate(v.data.build_time, true)}</dd>
            <dt>{t('versions.schema')}</dt>
            <dd translate="no">{v.data.schema_version}</dd>
          </>
        )}
      </dl>
      {v.isPending ? (
        <Loading label={t('versions.loading')} />
      ) : v.error || !v.data ? (
        <ErrorState title={t('versions.loadError')} error={v.error} onRetry={() => void v.refetch()} />
      ) : (
        status
      )}
    </div>
  );
}
