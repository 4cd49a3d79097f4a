import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApiQuery } from '../../api/query';
import type { CompanyView, InvitePartnerRequest, PartnerView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { TextField } from '../../components/Field';
import { ErrorState, FormError, Loading } from '../../components/States';
import { ADMIN_ROLE, refreshPartners } from './PartnerList';

/** A slug typed, or the whole invite link pasted: the slug either way. */
export function slugOf(input: string): string {
  const v = input.trim();
  const m = /\/partners\/connect\/([^/?#\s]+)/.exec(v);
  return (m ? decodeURIComponent(m[1]) : v).replace(/^@/, '').trim();
}

/** `/partners/invite` and `/partners/connect/:slug`: your own invite link, and the form that invites a company by its slug. */
export function InviteTab({ slug }: { slug: string | null }) {
  const { t } = useTranslation('partners');
  const { me } = useAuth();
  const client = useQueryClient();
  const canInvite = atLeast(me?.role, ADMIN_ROLE);
  const [value, setValue] = useState(slug ?? '');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [general, setGeneral] = useState<unknown>(null);
  const [sent, setSent] = useState<PartnerView | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setFieldError(null);
    setSent(null);
    const s = slugOf(value);
    if (!s) {
      setFieldError(t('invite.slugMissing'));
      return;
    }
    setBusy(true);
    try {
      const body: InvitePartnerRequest = { slug: s };
      const p = await api<PartnerView>('/api/partners', { method: 'POST', body });
      refreshPartners(client);
      setSent(p);
      setValue('');
    } catch (err) {
      if (err instanceof ApiError && err.field === 'slug') setFieldError(errorMessage(err));
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="b2b-invite">
      <section className="card" aria-labelledby="invite-title">
        <h2 id="invite-title">{t('invite.title')}</h2>
        {slug ? <p>{t('invite.fromLink', { slug })}</p> : <p className="muted">{t('invite.intro')}</p>}
        {sent && (
          <p className="notice notice-ok" role="status">
            {sent.status === 'active' ? t('invite.nowPartners', { name: sent.profile.name || sent.slug }) : t('invite.sent', { name: sent.profile.name || sent.slug })}{' '}
            <Link to="/partners">{t('invite.seeList')}</Link>
          </p>
        )}
        {!canInvite && <p className="muted small">{t('onlyAdmins')}</p>}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <FormError error={general} />
          <fieldset disabled={!canInvite || busy} className="b2b-fieldset">
            <div className="form-row">
              <TextField
                grow
                required
                label={t('invite.slug')}
                name="slug"
                value={value}
                onChange={(e) => setValue(e.target.value)}
                error={fieldError}
                hint={t('invite.slugHint')}
                autoComplete="off"
                autoFocus={!!slug}
              />
            </div>
            <button type="submit" className="btn btn-primary">
              {busy ? t('common:actions.sending') : t('invite.send')}
            </button>
          </fieldset>
        </form>
      </section>
      <MyLink />
    </div>
  );
}

/** Your own invite link, to send to a dealer you want as a partner. */
function MyLink() {
  const { t } = useTranslation('partners');
  const company = useApiQuery<CompanyView>('/api/company');
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const url = company.data ? `${window.location.origin}/partners/connect/${encodeURIComponent(company.data.slug)}` : '';
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="card" aria-labelledby="my-link-title">
      <h2 id="my-link-title">{t('invite.myLinkTitle')}</h2>
      {company.data ? (
        <>
          <p className="muted">{t('invite.myLinkIntro', { slug: company.data.slug })}</p>
          <div className="invite-link-row">
            <input readOnly value={url} aria-label={t('invite.myLink')} onFocus={(e) => e.currentTarget.select()} className="mono" />
            <button type="button" className="btn btn-primary" onClick={() => void copy()}>
              {copied === 'yes' ? t('common:actions.copied') : t('common:actions.copy')}
            </button>
          </div>
          {copied === 'failed' && <p className="small">{t('common:invite.copyFailed')}</p>}
        </>
      ) : company.error ? (
        <ErrorState title={t('invite.myLinkError')} error={company.error} onRetry={() => void company.refetch()} />
      ) : (
        <Loading />
      )}
    </section>
  );
}
