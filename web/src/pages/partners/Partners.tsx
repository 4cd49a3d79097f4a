import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState } from '../../components/States';
import { CompanyTab } from './CompanyTab';
import { InviteTab } from './InviteTab';
import { PartnerList } from './PartnerList';
import { PartnerRequestPage } from './PartnerRequestPage';
import { PartnerRequests } from './PartnerRequests';

/** The page's tabs, each at its own address under `/partners`. */
const TABS = [
  { key: 'partners', path: '/partners' },
  { key: 'requests', path: '/partners/requests' },
  { key: 'invite', path: '/partners/invite' },
  { key: 'company', path: '/partners/company' },
] as const;

/**
 * `/partners/*`: partner dealers. `/partners` (the list; `?invitation=<id>`
 * from a notification marks that invitation), `/partners/requests` (what
 * partners share), `/partners/requests/:partnerId/:requestId` (one of them,
 * with your matching cars and offers), `/partners/invite` and
 * `/partners/connect/:slug` (a partner's invite link: the form filled in),
 * `/partners/company` (your card).
 */
export function Partners() {
  const { t } = useTranslation('partners');
  const { me } = useAuth();
  const rest = useParams()['*'] ?? '';
  const [first, second, third] = rest.split('/');

  if (!me?.workspace) {
    return (
      <>
        <PageHeader title={t('title')} />
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      </>
    );
  }

  if (first === 'requests' && second && third) {
    return <PartnerRequestPage key={`${second}/${third}`} partnerId={decodeURIComponent(second)} requestId={decodeURIComponent(third)} />;
  }

  const connectSlug = first === 'connect' && second ? decodeURIComponent(second) : null;
  const tab = connectSlug ? TABS[2] : (TABS.find((x) => x.path === `/partners/${first}`) ?? TABS[0]);
  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <nav className="tabs" aria-label={t('sections')}>
        {TABS.map((x) => (
          <Link key={x.key} to={x.path} className={x.key === tab.key ? 'tab active' : 'tab'} aria-current={x.key === tab.key ? 'page' : undefined}>
            {t(`tabs.${x.key}`)}
          </Link>
        ))}
      </nav>
      <div className="tab-panel">
        {tab.key === 'requests' ? (
          <PartnerRequests />
        ) : tab.key === 'invite' ? (
          <InviteTab key={connectSlug ?? ''} slug={connectSlug} />
        ) : tab.key === 'company' ? (
          <CompanyTab />
        ) : (
          <PartnerList />
        )}
      </div>
    </>
  );
}
