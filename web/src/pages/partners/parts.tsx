import { useTranslation } from 'react-i18next';
import type { CompanyProfile } from '../../api/types';

/** A Telegram @username as a t.me link (the server keeps it as `@name`). */
export function telegramUrl(v: string): string | null {
  const name = v.trim().replace(/^@/, '');
  return /^[A-Za-z0-9_]{4,}$/.test(name) ? `https://t.me/${name}` : null;
}

/** What a company's card says: where it is, how to reach it, about it. */
export function CompanyCard({ profile, slug }: { profile: CompanyProfile; slug?: string }) {
  const { t } = useTranslation('partners');
  const place = [profile.city, profile.region].filter(Boolean).join(', ');
  const tg = profile.telegram ? telegramUrl(profile.telegram) : null;
  return (
    <div className="b2b-company">
      {place && <div className="small">{place}</div>}
      {profile.address && <div className="small muted b2b-wrap">{profile.address}</div>}
      <div className="b2b-contacts small">
        {profile.phone && (
          <a href={`tel:${profile.phone.replace(/[^\d+]/g, '')}`} aria-label={t('card.call', { phone: profile.phone })}>
            {profile.phone}
          </a>
        )}
        {profile.telegram &&
          (tg ? (
            <a href={tg} target="_blank" rel="noreferrer" aria-label={t('card.telegram', { name: profile.telegram })}>
              {profile.telegram}
            </a>
          ) : (
            <span>{profile.telegram}</span>
          ))}
        {slug && (
          <span className="muted mono" translate="no">
            {slug}
          </span>
        )}
      </div>
      {profile.about && <p className="small b2b-pre">{profile.about}</p>}
    </div>
  );
}
