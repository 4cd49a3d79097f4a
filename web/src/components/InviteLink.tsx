import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';

/** The full link of a just-created invite, with a Copy button. The server shows it only once. */
export function InviteLink({ email, linkPath }: { email: string; linkPath: string }) {
  const { t } = useTranslation();
  const url = `${window.location.origin}${linkPath}`;
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
    <div className="invite-link" role="status">
      <div className="invite-link-title">{t('invite.linkFor', { email })}</div>
      <div className="invite-link-row">
        <input
          readOnly
          value={url}
          aria-label={t('invite.link')}
          onFocus={(e) => e.currentTarget.select()}
          className="mono"
        />
        <button type="button" className="btn btn-primary" onClick={copy}>
          {copied === 'yes' ? t('actions.copied') : t('actions.copy')}
        </button>
      </div>
      <p className="small">
        {copied === 'failed' ? `${t('invite.copyFailed')} ` : ''}
        <Trans i18nKey="invite.sendOnce" values={{ email }} components={{ strong: <strong /> }} />
      </p>
    </div>
  );
}
