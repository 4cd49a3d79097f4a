import { NavLink } from 'react-router-dom';
import type { Role } from '../api/types';
import { ADMIN_GROUP, NAV_GROUPS, type NavGroup } from '../nav';

export function Sidebar({ role, onNavigate }: { role: Role | undefined; onNavigate?: () => void }) {
  const groups: NavGroup[] = role === 'superadmin' ? [ADMIN_GROUP, ...NAV_GROUPS] : NAV_GROUPS;
  return (
    <nav className="sidebar-nav" aria-label="Main navigation">
      {groups.map((g) => (
        <div className="nav-group" key={g.label}>
          <div className="nav-group-label">{g.label}</div>
          <ul>
            {g.modules.map((m) => (
              <li key={m.key}>
                <NavLink
                  to={m.path}
                  end={m.path === '/'}
                  className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}
                  onClick={onNavigate}
                >
                  {m.label}
                  {!m.built && (
                    <span className="nav-soon" aria-hidden="true">
                      soon
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
