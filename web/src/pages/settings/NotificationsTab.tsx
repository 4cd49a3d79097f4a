import { useQueryClient } from '@tanstack/react-query';
import { ExternalLink, Link2, Unlink } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { invalidate, keyOf, usePolledQuery } from '../../api/query';
import type { NoticeKind, NotificationPreferences, StartTelegramLinkRequest, TelegramLinkStart, TelegramSettings } from '../../api/types';
import { FormError, QueryView } from '../../components/States';
import { formatDate, formatTime } from '../../i18n/format';

const SETTINGS = '/api/notifications/telegram';

/**
 * The member's own notification settings: their Telegram account, linked
 * through one of the workspace's bots with a one-time deep link, and which
 * kinds of notification also go there.
 */
export function NotificationsTab() {
  const { t } = useTranslation('notifications');
  const client = useQueryClient();
  const [pending, setPending] = useState<{ start: TelegramLinkStart; linkedBefore: string | null } | null>(null);
  // While a link waits for its Start in Telegram, the page asks often.
  const settings = usePolledQuery<TelegramSettings>(SETTINGS, pending ? 2_000 : 60_000);
  const [bot, setBot] = useState<number | null>(null);
  const [busy, setBusy] = useState<'link' | 'unlink' | 'save' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<'linked' | 'unlinked' | 'saved' | null>(null);
  const [chosen, setChosen] = useState<Set<NoticeKind> | null>(null);

  const linkedAt = settings.data?.link?.linked_at ?? null;
  useEffect(() => {
    if (pending && linkedAt && linkedAt !== pending.linkedBefore) {
      setPending(null);
      setDone('linked');
    }
  }, [pending, linkedAt]);

  const refresh = () => invalidate(client, SETTINGS, { exact: true });

  const startLink = async (s: TelegramSettings) => {
    const botId = bot ?? s.bots[0]?.bot_id;
    if (botId === undefined) return;
    setBusy('link');
    setError(null);
    setDone(null);
    try {
      const body: StartTelegramLinkRequest = { bot_id: botId };
      const start = await api<TelegramLinkStart>(`${SETTINGS}/link`, { method: 'POST', body });
      setPending({ start, linkedBefore: s.link?.linked_at ?? null });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const unlink = async () => {
    setBusy('unlink');
    setError(null);
    setDone(null);
    try {
      await api<void>(SETTINGS, { method: 'DELETE' });
      setPending(null);
      setChosen(null);
      setDone('unlinked');
      await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const save = async (kinds: Set<NoticeKind>) => {
    setBusy('save');
    setError(null);
    setDone(null);
    try {
      const body: NotificationPreferences = { telegram: [...kinds] };
      const updated = await api<TelegramSettings>(`${SETTINGS}/preferences`, { method: 'PUT', body });
      client.setQueryData([...keyOf(SETTINGS), 'polled'], { body: updated, etag: null });
      setChosen(null);
      setDone('saved');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <QueryView query={settings} errorTitle={t('couldNotLoad')}>
      {(s) => {
        const link = s.link;
        const selected = chosen ?? new Set(s.telegram);
        const toggle = (k: NoticeKind, on: boolean) => {
          const next = new Set(selected);
          if (on) next.add(k);
          else next.delete(k);
          setChosen(next);
        };
        return (
          <div className="notif-settings">
            <section className="card" aria-labelledby="tg-link-title">
              <h2 id="tg-link-title">{t('telegram.title')}</h2>
              <p className="muted">{t('telegram.intro')}</p>
              <FormError error={error} />
              {done === 'linked' && (
                <div className="notice notice-ok" role="status">
                  {t('telegram.done')}
                </div>
              )}
              {done === 'unlinked' && (
                <div className="notice notice-ok" role="status">
                  {t('telegram.unlinked')}
                </div>
              )}
              {link && (
                <div className="tg-linked">
                  <div>
                    <strong>{t('telegram.linked', { name: link.telegram_name + (link.telegram_username ? ` (@${link.telegram_username})` : '') })}</strong>
                    <div className="muted small">
                      {link.bot_username ? t('telegram.linkedVia', { bot: link.bot_username, date: formatDate(link.linked_at) }) : t('telegram.removedBot')}
                    </div>
                  </div>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => void unlink()} disabled={busy !== null}>
                    <Unlink size={16} aria-hidden="true" /> {busy === 'unlink' ? t('telegram.unlinking') : t('telegram.unlink')}
                  </button>
                </div>
              )}
              {link?.broken && (
                <div className="notice notice-warn" role="alert">
                  {t('telegram.broken')}
                </div>
              )}
              {s.bots.length === 0 ? (
                <p>
                  {t('telegram.noBots')} <Link to="/telegram">{t('telegram.openHub')}</Link>
                </p>
              ) : (
                <div className="tg-link-form">
                  {s.bots.length > 1 && (
                    <label className="field">
                      <span className="field-label">{t('telegram.bot')}</span>
                      <select value={bot ?? s.bots[0].bot_id} onChange={(e) => setBot(Number(e.target.value))}>
                        {s.bots.map((b) => (
                          <option key={b.bot_id} value={b.bot_id}>
                            @{b.username}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                  <button type="button" className="btn btn-primary" onClick={() => void startLink(s)} disabled={busy !== null}>
                    <Link2 size={16} aria-hidden="true" /> {busy === 'link' ? t('telegram.creating') : link ? t('telegram.linkAgain') : t('telegram.link')}
                  </button>
                </div>
              )}
              {pending && (
                <div className="tg-pending" role="status">
                  <strong>{t('telegram.pendingTitle')}</strong>
                  <p>{t('telegram.pendingBody', { time: formatTime(pending.start.expires_at) })}</p>
                  <a className="btn btn-secondary" href={pending.start.url} target="_blank" rel="noopener noreferrer">
                    <ExternalLink size={16} aria-hidden="true" /> {t('telegram.openTelegram')}
                  </a>
                  <code className="tg-url" translate="no">
                    {pending.start.url}
                  </code>
                </div>
              )}
            </section>
            <section className="card" aria-labelledby="tg-prefs-title">
              <h2 id="tg-prefs-title">{t('preferences.title')}</h2>
              <p className="muted">{link ? t('preferences.hint') : t('preferences.needsLink')}</p>
              <fieldset className="tg-kinds" disabled={!link || busy !== null}>
                <legend className="visually-hidden">{t('preferences.title')}</legend>
                {s.kinds.map((k) => (
                  <label key={k} className="tg-kind">
                    <input type="checkbox" checked={!!link && selected.has(k)} onChange={(e) => toggle(k, e.target.checked)} />
                    {t(`kindNames.${k}`)}
                  </label>
                ))}
              </fieldset>
              {link && (
                <div className="form-actions">
                  <button type="button" className="btn btn-primary" onClick={() => void save(selected)} disabled={busy !== null || chosen === null}>
                    {busy === 'save' ? t('common:actions.saving') : t('common:actions.save')}
                  </button>
                  {done === 'saved' && (
                    <span className="ok-text" role="status">
                      {t('preferences.saved')}
                    </span>
                  )}
                </div>
              )}
            </section>
          </div>
        );
      }}
    </QueryView>
  );
}
