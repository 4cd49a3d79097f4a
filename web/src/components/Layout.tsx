import { Menu } from 'lucide-react';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { BUILD_SHA } from '../version';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './notifications/NotificationBell';
import { Sidebar } from './Sidebar';
import { Loading } from './States';
import { VersionBanner } from './VersionBanner';

export function Layout() {
  const { t } = useTranslation();
  const { me, logout, chooseLanguage } = useAuth();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);

  const onLogout = () => {
    logout();
    navigate('/login', { replace: true });
  };

  const workspaceName = me?.workspace?.name ?? (me?.role === 'superadmin' ? t('shell.platformAdministration') : t('shell.noWorkspace'));

  return (
    <div className={menuOpen ? 'app menu-open' : 'app'}>
      <aside className="sidebar">
        <Link to="/" className="brand" onClick={() => setMenuOpen(false)}>
          <span className="brand-mark" aria-hidden="true">
            {t('brandMark')}
          </span>
          <span className="brand-name">{t('brand')}</span>
        </Link>
        <Sidebar role={me?.role} onNavigate={() => setMenuOpen(false)} />
      </aside>
      <div className="main-col">
        <VersionBanner />
        <header className="topbar">
          <button
            type="button"
            className="btn btn-ghost menu-toggle"
            aria-label={t('shell.toggleNavigation')}
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen((o) => !o)}
          >
            <Menu size={20} aria-hidden="true" />
          </button>
          <div className="topbar-workspace" title={me?.workspace?.slug}>
            {workspaceName}
          </div>
          <div className="topbar-user">
            {me?.workspace && <NotificationBell />}
            <LanguageSwitch onChoose={chooseLanguage} />
            <span className="user-name">{me?.name || me?.email}</span>
            {me && <span className={`role-badge role-${me.role}`}>{t(`roles.${me.role}`)}</span>}
            <button type="button" className="btn btn-ghost btn-sm" onClick={onLogout}>
              {t('shell.logOut')}
            </button>
          </div>
        </header>
        <main className="content">
          {/* Each page is its own chunk: the shell stays while the next one loads. */}
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
        <footer className="footer">
          {t('shell.footer')} <code data-testid="build-sha" translate="no">{BUILD_SHA}</code>
        </footer>
      </div>
      {menuOpen && <div className="scrim" onClick={() => setMenuOpen(false)} aria-hidden="true" />}
    </div>
  );
}
