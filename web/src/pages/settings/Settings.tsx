import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState } from '../../components/States';
import { CompanyTab } from './CompanyTab';
import { ParserTab } from './ParserTab';
import { TeamTab } from './TeamTab';
import { VersionsTab } from './VersionsTab';

interface Tab {
  key: string;
  label: string;
  /** What a tab that is not built yet will do. */
  soon?: string;
  /** Needs a workspace (the platform superadmin has none). */
  workspace?: boolean;
}

export const SETTINGS_TABS: Tab[] = [
  { key: 'team', label: 'Team', workspace: true },
  { key: 'company', label: 'Company', workspace: true },
  {
    key: 'dictionaries',
    label: 'Dictionaries',
    soon: 'Makes and models with their aliases, so "VW", "Volkswagen" and "Фольксваген" are one make everywhere.',
  },
  { key: 'backup', label: 'Backup', soon: 'Export all your workspace data to a file, and import it back.' },
  { key: 'parser', label: 'Parser', workspace: true },
  { key: 'api-keys', label: 'API keys', soon: 'Keys that let your other systems use the Cartie API on behalf of this workspace.' },
  { key: 'versions', label: 'Versions' },
];

export function Settings() {
  const { me } = useAuth();
  const [params] = useSearchParams();
  const hasWorkspace = !!me?.workspace;
  const fallback = hasWorkspace ? 'team' : 'versions';
  const tab = SETTINGS_TABS.find((t) => t.key === params.get('tab')) ?? SETTINGS_TABS.find((t) => t.key === fallback)!;

  let body;
  if (tab.workspace && !hasWorkspace) {
    body = (
      <EmptyState title="No workspace">
        The platform administrator belongs to no workspace. Open a workspace's settings by logging in as one of its
        members.
      </EmptyState>
    );
  } else if (tab.soon) {
    body = (
      <div className="card coming-soon-inline">
        <span className="pill">Coming soon</span>
        <h2>{tab.label}</h2>
        <p>{tab.soon}</p>
      </div>
    );
  } else if (tab.key === 'team') {
    body = <TeamTab />;
  } else if (tab.key === 'company') {
    body = <CompanyTab />;
  } else if (tab.key === 'parser') {
    body = <ParserTab />;
  } else {
    body = <VersionsTab />;
  }

  return (
    <>
      <PageHeader title="Settings" />
      <nav className="tabs" aria-label="Settings sections">
        {SETTINGS_TABS.map((t) => (
          <Link
            key={t.key}
            to={`/settings?tab=${t.key}`}
            className={t.key === tab.key ? 'tab active' : 'tab'}
            aria-current={t.key === tab.key ? 'page' : undefined}
          >
            {t.label}
            {t.soon && (
              <span className="tab-soon" aria-hidden="true">
                soon
              </span>
            )}
          </Link>
        ))}
      </nav>
      <div className="tab-panel">{body}</div>
    </>
  );
}
