// Small pieces the Telegram accounts tab shares: an account's state chip
// and the list's placeholder while it loads.
import { useTranslation } from 'react-i18next';
import type { TelegramAccountView } from '../../api/types';
import { STATE_TONE, stateLabel } from './account';

/** The account's state in colour: green online, amber on its way or waiting, red when someone must act. */
export function StateChip({ account }: { account: Pick<TelegramAccountView, 'state' | 'flood_wait_until'> }) {
  const { t } = useTranslation('tgaccounts');
  return (
    <span className={`tg-state tg-state-${STATE_TONE[account.state] ?? 'info'}`} data-state={account.state}>
      {stateLabel(t, account)}
    </span>
  );
}

/** Grey cards where the accounts will be, with the loading text for screen readers. */
export function AccountsSkeleton({ label, rows = 2 }: { label: string; rows?: number }) {
  return (
    <div className="tg-skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="tg-skeleton-card" aria-hidden="true">
          <span className="tg-skel tg-skel-title" />
          <span className="tg-skel tg-skel-line" />
          <span className="tg-skel tg-skel-line tg-skel-short" />
        </div>
      ))}
    </div>
  );
}
