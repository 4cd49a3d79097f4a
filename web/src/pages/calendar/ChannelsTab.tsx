import { useQueryClient } from '@tanstack/react-query';
import { Check, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { BotList, ChannelList, ChannelRights, ChannelView, ConnectChannelRequest } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField, TextField } from '../../components/Field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { currentLanguage } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { CHANNELS_PATH, useChannels } from './parts';
import { SlotsEditor } from './SlotsEditor';

const RIGHTS: (keyof ChannelRights)[] = ['post', 'edit', 'delete', 'pin'];

/** `/calendar/channels`: the channels and groups the bots post in, connecting one (admins), and each one's posting slots (managers). */
export function ChannelsTab({ canManage, canPlan }: { canManage: boolean; canPlan: boolean }) {
  const { t } = useTranslation('calendar');
  const client = useQueryClient();
  const channels = useChannels();
  const [pending, setPending] = useState<ChannelView | null>(null);
  const [removing, setRemoving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [connected, setConnected] = useState<string | null>(null);
  const list = channels.data?.items ?? [];

  const setList = (items: ChannelView[]) => {
    client.setQueryData<ChannelList>(keyOf(CHANNELS_PATH), { items });
    void invalidate(client, CHANNELS_PATH, { exact: true });
  };

  const disconnect = async () => {
    if (!pending) return;
    setRemoving(true);
    setActionError(null);
    try {
      await api<void>(`${CHANNELS_PATH}/${encodeURIComponent(String(pending.id))}`, { method: 'DELETE' });
      setList(list.filter((c) => c.id !== pending.id));
    } catch (e) {
      setActionError(t('channels.disconnectFailed', { channel: pending.title, error: errorMessage(e) }));
    } finally {
      setRemoving(false);
      setPending(null);
    }
  };

  return (
    <>
      {canManage ? (
        <section className="card" aria-labelledby="channel-connect-title">
          <h2 id="channel-connect-title">{t('channels.connectTitle')}</h2>
          <p className="muted small">{t('channels.connectIntro')}</p>
          <ConnectChannelForm
            onConnected={(c) => {
              setList([...list.filter((x) => x.id !== c.id), c]);
              setConnected(c.title);
            }}
          />
          {connected && (
            <div className="notice notice-ok" role="status">
              {t('channels.connected', { channel: connected })}
            </div>
          )}
        </section>
      ) : (
        <p className="muted small">{t('channels.onlyAdmins')}</p>
      )}
      <FormError error={actionError} />
      <section className="card" aria-labelledby="channel-list-title">
        <h2 id="channel-list-title">{t('channels.title')}</h2>
        {channels.data ? (
          list.length === 0 ? (
            <EmptyState title={t('channels.empty')}>{t('channels.emptyBody')}</EmptyState>
          ) : (
            <ul className="tg-channel-list">
              {list.map((c) => (
                <ChannelRow
                  key={c.id}
                  channel={c}
                  canManage={canManage}
                  canPlan={canPlan}
                  onDisconnect={() => setPending(c)}
                  onSlots={(saved) => setList(list.map((x) => (x.id === saved.id ? saved : x)))}
                />
              ))}
            </ul>
          )
        ) : channels.error ? (
          <ErrorState title={t('channels.loadError')} error={channels.error} onRetry={() => void channels.refetch()} />
        ) : (
          <Loading label={t('channels.loading')} />
        )}
      </section>
      {pending && (
        <ConfirmDialog
          title={t('channels.disconnectTitle', { channel: pending.title })}
          confirmLabel={t('channels.disconnect')}
          busy={removing}
          onConfirm={() => void disconnect()}
          onCancel={() => setPending(null)}
        >
          <p>{t('channels.disconnectBody')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ChannelRow({
  channel: c,
  canManage,
  canPlan,
  onDisconnect,
  onSlots,
}: {
  channel: ChannelView;
  canManage: boolean;
  canPlan: boolean;
  onDisconnect: () => void;
  onSlots: (c: ChannelView) => void;
}) {
  const { t } = useTranslation('calendar');
  // The rights say what the bot may not do; a problem the rights do not explain is shown in the server's words (English).
  const other = RIGHTS.every((r) => c.rights[r]) && c.problems.length > 0;
  return (
    <li className="tg-channel channel-row" data-channel={c.id}>
      <div className="tg-channel-main">
        <strong>{c.title}</strong>
        <span className="muted small">
          {t(`channels.kind.${c.kind === 'group' ? 'group' : 'channel'}`)} ·{' '}
          <span translate="no">{c.username ? `@${c.username}` : c.id}</span>
          {c.bot_username && (
            <>
              {' '}
              · {t('channels.via')} <span translate="no">@{c.bot_username}</span>
            </>
          )}
        </span>
        <span className="muted small">{t('channels.connectedAt', { date: formatDate(c.connected_at) })}</span>
        <ul className="channel-rights" aria-label={t('rights.title')}>
          {RIGHTS.map((r) => (
            <li key={r} className={c.rights[r] ? 'channel-right channel-right-ok' : 'channel-right channel-right-no'}>
              {c.rights[r] ? <Check size={13} aria-hidden="true" /> : <X size={13} aria-hidden="true" />}
              {c.rights[r] ? t(`rights.can.${r}`) : t(`rights.cannot.${r}`)}
            </li>
          ))}
        </ul>
        {other && (
          <p className="small channel-problems" role="note">
            {currentLanguage() === 'en' ? t('channels.problems', { problems: c.problems.join('; ') }) : t('channels.problemsOther')}
          </p>
        )}
      </div>
      {canManage && (
        <button type="button" className="btn btn-ghost btn-sm btn-danger-text" onClick={onDisconnect}>
          {t('channels.disconnect')}
        </button>
      )}
      <SlotsEditor channel={c} canEdit={canPlan} onSaved={onSlots} />
    </li>
  );
}

function ConnectChannelForm({ onConnected }: { onConnected: (c: ChannelView) => void }) {
  const { t } = useTranslation('calendar');
  const bots = useApiQuery<BotList>('/api/bots');
  const [botId, setBotId] = useState('');
  const [chat, setChat] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ chat?: string; bot?: string }>({});
  const [general, setGeneral] = useState<unknown>(null);
  const botList = bots.data?.bots ?? [];
  const bot = botId || (botList.length === 1 ? String(botList[0].id) : '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const next: { chat?: string; bot?: string } = {};
    if (!bot) next.bot = t('channels.errors.bot');
    if (!chat.trim()) next.chat = t('channels.errors.chat');
    setErrors(next);
    if (next.bot || next.chat) return;
    setBusy(true);
    try {
      const body: ConnectChannelRequest = { bot_id: Number(bot), chat: chat.trim() };
      const c = await api<ChannelView>(CHANNELS_PATH, { method: 'POST', body });
      setChat('');
      onConnected(c);
    } catch (err) {
      // Not found, the bot is not an admin there, or it lacks the right to post: the server says which.
      const why = err instanceof ApiError && currentLanguage() !== 'en' ? t(`channels.fieldErrors.${err.field === 'bot_id' ? 'bot' : 'chat'}`) : errorMessage(err);
      if (err instanceof ApiError && err.field === 'chat') setErrors({ chat: why });
      else if (err instanceof ApiError && err.field === 'bot_id') setErrors({ bot: why });
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  if (bots.data && botList.length === 0) {
    return (
      <p className="notice notice-warn">
        {t('channels.noBots')} <Link to="/telegram">{t('channels.connectBot')}</Link>
      </p>
    );
  }
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <FormError error={general} />
      <div className="form-row">
        <SelectField label={t('channels.bot')} value={bot} onChange={(e) => setBotId(e.target.value)} error={errors.bot} required>
          <option value="">{bots.isPending ? t('common:states.loading') : t('channels.chooseBot')}</option>
          {botList.map((b) => (
            <option key={b.id} value={String(b.id)}>
              @{b.username}
            </option>
          ))}
        </SelectField>
        <TextField
          grow
          required
          label={t('channels.chat')}
          placeholder={t('channels.chatPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          value={chat}
          onChange={(e) => setChat(e.target.value)}
          error={errors.chat}
          hint={t('channels.chatHint')}
        />
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('channels.connecting') : t('channels.connect')}
          </button>
        </div>
      </div>
    </form>
  );
}
