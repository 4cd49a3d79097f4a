import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the browser tab's title to "<page> · Cartie" while the page is shown. */
export function useDocumentTitle(title: string | null | undefined) {
  const { t } = useTranslation();
  const brand = t('brand');
  useEffect(() => {
    document.title = title ? t('shell.documentTitle', { page: title, brand }) : brand;
  }, [title, brand, t]);
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
