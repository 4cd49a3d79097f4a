import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState } from '../../components/States';
import { AccountTab } from './AccountTab';
import { CompanyTab } from './CompanyTab';
import { NotificationsTab } from './NotificationsTab';
import { ParserTab } from './ParserTab';
import { TeamTab } from './TeamTab';
import { VersionsTab } from './VersionsTab';

interface Tab {
  key: string;
  /** Not built yet: the tab says what it will do (`tabs.<key>.soon`). */
  soon?: boolean;
  /** Needs a workspace (the platform superadmin has none). */
  workspace?: boolean;
}

export const SETTINGS_TABS: Tab[] = [
  { key: 'team', workspace: true },
  { key: 'company', workspace: true },
  { key: 'account' },
  { key: 'notifications', workspace: true },
  { key: 'dictionaries', soon: true },
  { key: 'backup', soon: true },
  { key: 'parser', workspace: true },
  { key: 'api-keys', soon: true },
  { key: 'versions' },
];

export function Settings() {
  const { t } = useTranslation('settings');
  const { me } = useAuth();
  const [params] = useSearchParams();
  const hasWorkspace = !!me?.workspace;
  const fallback = hasWorkspace ? 'team' : 'account';
  const tab = SETTINGS_TABS.find((x) => x.key === params.get('tab')) ?? SETTINGS_TABS.find((x) => x.key === fallback)!;

  let body;
  if (tab.workspace && !hasWorkspace) {
    body = <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>;
  } else if (tab.soon) {
    body = (
      <div className="card coming-soon-inline">
        <span className="pill">{t('common:comingSoon.pill')}</span>
        <h2>{t(`tabs.${tab.key}.label`)}</h2>
        <p>{t(`tabs.${tab.key}.soon`)}</p>
      </div>
    );
  } else if (tab.key === 'team') {
    body = <TeamTab />;
  } else if (tab.key === 'company') {
    body = <CompanyTab />;
  } else if (tab.key === 'account') {
    body = <AccountTab />;
  } else if (tab.key === 'notifications') {
    body = <NotificationsTab />;
  } else if (tab.key === 'parser') {
    body = <ParserTab />;
  } else {
    body = <VersionsTab />;
  }

  return (
    <>
      <PageHeader title={t('title')} />
      <nav className="tabs" aria-label={t('sections')}>
        {SETTINGS_TABS.map((x) => (
          <Link
            key={x.key}
            to={`/settings?tab=${x.key}`}
            className={x.key === tab.key ? 'tab active' : 'tab'}
            aria-current={x.key === tab.key ? 'page' : undefined}
          >
            {t(`tabs.${x.key}.label`)}
            {x.soon && (
              <span className="tab-soon" aria-hidden="true">
                {t('common:shell.soon')}
              </span>
            )}
          </Link>
        ))}
      </nav>
      <div className="tab-panel">{body}</div>
    </>
  );
}
