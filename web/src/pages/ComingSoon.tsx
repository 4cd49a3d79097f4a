import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useDocumentTitle } from '../components/PageHeader';
import type { Module } from '../nav';

/** The page of a module that is not built yet: what it is and what it will do. */
export function ComingSoon({ module }: { module: Module }) {
  const { t } = useTranslation(['common', 'modules']);
  const name = t(`nav.${module.key}`);
  useDocumentTitle(name);
  return (
    <div className="coming-soon">
      <div className="coming-soon-card">
        <span className="pill">{t('comingSoon.pill')}</span>
        <h1>{name}</h1>
        <p>{t(`modules:${module.key}`)}</p>
        <p className="muted">
          <Trans
            i18nKey="comingSoon.meanwhile"
            components={{ dashboard: <Link to="/" />, team: <Link to="/settings?tab=team" /> }}
          />
        </p>
      </div>
    </div>
  );
}
