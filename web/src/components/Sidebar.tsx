import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import type { Role } from '../api/types';
import { ADMIN_GROUP, ALL_MODULES, NAV_GROUPS, type NavGroup } from '../nav';

/** A module with another one under its address (the hub and its Accounts tab) is current only on its own page. */
const exactOnly = (path: string) => path === '/' || ALL_MODULES.some((m) => m.path.startsWith(`${path}/`));

export function Sidebar({ role, onNavigate }: { role: Role | undefined; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const groups: NavGroup[] = role === 'superadmin' ? [ADMIN_GROUP, ...NAV_GROUPS] : NAV_GROUPS;
  return (
    <nav className="sidebar-nav" aria-label={t('shell.mainNavigation')}>
      {groups.map((g) => (
        <div className="nav-group" key={g.key}>
          <div className="nav-group-label">{t(`navGroups.${g.key}`)}</div>
          <ul>
            {g.modules.map((m) => (
              <li key={m.key}>
                <NavLink
                  to={m.path}
                  end={exactOnly(m.path)}
                  className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}
                  onClick={onNavigate}
                >
                  {t(`nav.${m.key}`)}
                  {!m.built && (
                    <span className="nav-soon" aria-hidden="true">
                      {t('shell.soon')}
                    </span>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
