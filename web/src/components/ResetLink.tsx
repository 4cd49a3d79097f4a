import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { PasswordResetView } from '../api/types';
import { formatDate } from '../i18n/format';

/**
 * A password reset link just issued, with a Copy button and when it stops
 * working. The server shows it only once (only a hash of its token is kept).
 */
export function ResetLink({ reset, onDismiss }: { reset: PasswordResetView; onDismiss?: () => void }) {
  const { t } = useTranslation('password');
  const url = `${window.location.origin}${reset.link_path}`;
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <div className="invite-link reset-link" role="status">
      <div className="invite-link-title">{t('link.linkFor', { email: reset.email })}</div>
      <div className="invite-link-row">
        <input readOnly value={url} aria-label={t('link.link')} onFocus={(e) => e.currentTarget.select()} className="mono" />
        <button type="button" className="btn btn-primary" onClick={copy}>
          {copied === 'yes' ? t('common:actions.copied') : t('common:actions.copy')}
        </button>
      </div>
      <p className="small">
        {copied === 'failed' ? `${t('common:invite.copyFailed')} ` : ''}
        <Trans
          t={t}
          i18nKey="link.sendOnce"
          values={{ email: reset.email, expires: formatDate(reset.expires_at, true) }}
          components={{ strong: <strong /> }}
        />
      </p>
      {onDismiss && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDismiss}>
          {t('common:actions.close')}
        </button>
      )}
    </div>
  );
}
