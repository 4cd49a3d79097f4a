import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState } from '../../components/States';
import { CalendarView } from './CalendarView';
import { ChannelsTab } from './ChannelsTab';
import { PostPage } from './PostPage';
import { SettingsTab } from './SettingsTab';
import { TemplatesTab } from './TemplatesTab';

/** The page's tabs, each at its own address under `/calendar`. */
const TABS = [
  { key: 'calendar', path: '/calendar' },
  { key: 'channels', path: '/calendar/channels' },
  { key: 'templates', path: '/calendar/templates' },
  { key: 'settings', path: '/calendar/settings' },
] as const;

/** Who may do what (the server checks the same): managers post and keep templates, admins connect channels and set the rules. */
const POST_ROLE = 'manager';
const MANAGE_ROLE = 'admin';

/**
 * `/calendar/*`: the content calendar. `/calendar` (month, week or list),
 * `/calendar/channels`, `/calendar/templates`, `/calendar/settings`, and a
 * post: `/calendar/new` (`?car=<id>` from Inventory), `/calendar/posts/:id`.
 * One route for all, so a new post's form stays on screen when it gets its
 * address.
 */
export function ContentCalendar() {
  const { t } = useTranslation('calendar');
  const { me } = useAuth();
  const rest = useParams()['*'] ?? '';
  const { search } = useLocation();
  const canPost = atLeast(me?.role, POST_ROLE);
  const canManage = atLeast(me?.role, MANAGE_ROLE);
  const [first, second] = rest.split('/');

  if (!me?.workspace) {
    return (
      <>
        <PageHeader title={t('title')} />
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      </>
    );
  }

  if (first === 'new') return <PostPage id="new" canEdit={canPost} />;
  if (first === 'posts' && second) return <PostPage id={second} canEdit={canPost} />;

  const tab = TABS.find((x) => x.key === first) ?? TABS[0];
  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          canPost && (
            <Link to="/calendar/new" className="btn btn-primary">
              {t('newPost')}
            </Link>
          )
        }
      />
      <nav className="tabs" aria-label={t('sections')}>
        {TABS.map((x) => (
          <Link
            key={x.key}
            // The calendar keeps its view, day and filters when coming back to it.
            to={x.key === 'calendar' && tab.key === 'calendar' ? `${x.path}${search}` : x.path}
            className={x.key === tab.key ? 'tab active' : 'tab'}
            aria-current={x.key === tab.key ? 'page' : undefined}
          >
            {t(`tabs.${x.key}`)}
          </Link>
        ))}
      </nav>
      <div className="tab-panel">
        {tab.key === 'channels' ? (
          <ChannelsTab canManage={canManage} canPlan={canPost} />
        ) : tab.key === 'templates' ? (
          <TemplatesTab canEdit={canPost} />
        ) : tab.key === 'settings' ? (
          <SettingsTab canManage={canManage} />
        ) : (
          <CalendarView canEdit={canPost} />
        )}
      </div>
    </>
  );
}
