import { useState } from 'react';
import { Link, Outlet, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { ROLE_LABELS } from '../auth/roles';
import { BUILD_SHA } from '../version';
import { Sidebar } from './Sidebar';
import { VersionBanner } from './VersionBanner';

export function Layout() {
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);

  const onLogout = () => {
    logout();
    navigate('/login', { replace: true });
  };

  const workspaceName = me?.workspace?.name ?? (me?.role === 'superadmin' ? 'Platform administration' : 'No workspace');

  return (
    <div className={menuOpen ? 'app menu-open' : 'app'}>
      <aside className="sidebar">
        <Link to="/" className="brand" onClick={() => setMenuOpen(false)}>
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          <span className="brand-name">Cartie</span>
        </Link>
        <Sidebar role={me?.role} onNavigate={() => setMenuOpen(false)} />
      </aside>
      <div className="main-col">
        <VersionBanner />
        <header className="topbar">
          <button
            type="button"
            className="btn btn-ghost menu-toggle"
            aria-label="Toggle navigation"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen((o) => !o)}
          >
            ☰
          </button>
          <div className="topbar-workspace" title={me?.workspace?.slug}>
            {workspaceName}
          </div>
          <div className="topbar-user">
            <span className="user-name">{me?.name || me?.email}</span>
            {me && <span className={`role-badge role-${me.role}`}>{ROLE_LABELS[me.role]}</span>}
            <button type="button" className="btn btn-ghost btn-sm" onClick={onLogout}>
              Log out
            </button>
          </div>
        </header>
        <main className="content">
          <Outlet />
        </main>
        <footer className="footer">
          Cartie web · build <code data-testid="build-sha">{BUILD_SHA}</code>
        </footer>
      </div>
      {menuOpen && <div className="scrim" onClick={() => setMenuOpen(false)} aria-hidden="true" />}
    </div>
  );
}
