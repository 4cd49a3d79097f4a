import { Trans, useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useDocumentTitle } from '../components/PageHeader';

export function NotFound() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="coming-soon">
      <div className="coming-soon-card">
        <span className="pill pill-muted">{t('notFound.code')}</span>
        <h1>{t('notFound.title')}</h1>
        <p>
          <Trans i18nKey="notFound.body" values={{ path: pathname }} components={{ code: <code translate="no" /> }} />
        </p>
        <Link to="/" className="btn btn-primary">
          {t('notFound.home')}
        </Link>
      </div>
    </div>
  );
}
