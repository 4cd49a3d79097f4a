// The Telegram hub's "Bot menu" tab: pick a bot (`?tab=menu&bot={id}`), edit
// its `/` commands, its menu button and its persistent reply keyboard, and
// save: the server stores the menu and applies it in Telegram
// (setMyCommands, setChatMenuButton).
import { useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, Plus, X } from 'lucide-react';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { keyOf, useApiQuery } from '../../api/query';
import type { BotList, BotView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { SelectField, TextField } from '../../components/Field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { formatDate } from '../../i18n/format';
import {
  bodyOf,
  cleanCommand,
  defaultMiniappText,
  draftOf,
  isShownField,
  MAX_COMMANDS,
  MAX_ROW_BUTTONS,
  MAX_ROWS,
  MENU_KINDS,
  newKey,
  sameMenu,
  validate,
  type BotMenuView,
  type MenuDraft,
  type MenuErrors,
} from './menu';

export function BotMenuTab() {
  const { t } = useTranslation('telegram');
  const { me } = useAuth();
  const canAdmin = atLeast(me?.role, 'admin');
  const [params, setParams] = useSearchParams();
  const bots = useApiQuery<BotList>('/api/bots');
  const list = bots.data?.bots ?? [];
  const wanted = params.get('bot');
  const bot = wanted ? list.find((b) => String(b.id) === wanted) : list[0];

  if (bots.isPending) return <Loading label={t('loading')} />;
  if (!bots.data) return <ErrorState title={t('loadError')} error={bots.error} onRetry={() => void bots.refetch()} />;
  if (list.length === 0) {
    return (
      <EmptyState title={t('empty')}>
        <Trans t={t} i18nKey="menuEditor.connectFirst" components={{ go: <Link to="/telegram?tab=bots" /> }} />
      </EmptyState>
    );
  }

  return (
    <>
      <div className="card bot-menu-picker">
        <SelectField
          label={t('menuEditor.bot')}
          value={bot ? String(bot.id) : ''}
          onChange={(e) => setParams({ tab: 'menu', bot: e.target.value })}
        >
          {!bot && <option value="">{t('menuEditor.chooseBot')}</option>}
          {list.map((b) => (
            <option key={b.id} value={String(b.id)}>
              @{b.username}
            </option>
          ))}
        </SelectField>
        <p className="muted small">
          <Trans t={t} i18nKey="menuEditor.intro" components={{ strong: <strong /> }} />
        </p>
        {!canAdmin && <p className="muted small">{t('menuEditor.onlyAdmins')}</p>}
      </div>
      {bot ? (
        <BotMenuEditor key={bot.id} bot={bot} canAdmin={canAdmin} />
      ) : (
        <EmptyState title={t('menuEditor.notConnected')}>{t('menuEditor.chooseAbove')}</EmptyState>
      )}
    </>
  );
}

/** One bot's menu, loaded; a bot that has none yet gets an empty one. */
export function BotMenuEditor({ bot, canAdmin }: { bot: BotView; canAdmin: boolean }) {
  const { t } = useTranslation('telegram');
  const client = useQueryClient();
  const path = `/api/bots/${bot.id}/menu`;
  const menu = useApiQuery<BotMenuView>(path);
  const none = menu.error instanceof ApiError && menu.error.status === 404;
  if (menu.isPending) return <Loading label={t('menuEditor.loading')} />;
  if ((menu.error && !none) || (!menu.data && !none)) {
    return <ErrorState title={t('menuEditor.loadError', { bot: bot.username })} error={menu.error} onRetry={() => void menu.refetch()} />;
  }
  return (
    <MenuForm
      bot={bot}
      initial={menu.data ?? { bot_id: bot.id }}
      canAdmin={canAdmin}
      onSaved={(v) => client.setQueryData(keyOf(path), v)}
    />
  );
}

function MenuForm({
  bot,
  initial,
  canAdmin,
  onSaved,
}: {
  bot: BotView;
  initial: BotMenuView;
  canAdmin: boolean;
  onSaved: (v: BotMenuView) => void;
}) {
  const { t } = useTranslation('telegram');
  const [saved, setSaved] = useState<BotMenuView>(initial);
  const [draft, setDraft] = useState<MenuDraft>(() => draftOf(initial));
  const base = useMemo(() => draftOf(saved), [saved]);
  const [errors, setErrors] = useState<MenuErrors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const dirty = !sameMenu(draft, base);
  const uid = useId();

  // After a failed check, the first input in error gets the focus.
  useEffect(() => {
    if (focusTick === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);

  /** Changes the draft; `clear` names the errors that edit answers ('all' when indexes move). */
  const edit = (fn: (d: MenuDraft) => MenuDraft, clear?: string | string[]) => {
    setDraft(fn);
    setNotice(null);
    if (clear === 'all') setErrors({});
    else if (clear) {
      const keys = Array.isArray(clear) ? clear : [clear];
      setErrors((e) => {
        if (!keys.some((k) => k in e)) return e;
        const next = { ...e };
        for (const k of keys) delete next[k];
        return next;
      });
    }
  };

  const setCommand = (i: number, k: 'command' | 'description', value: string) =>
    edit(
      (d) => ({ ...d, commands: d.commands.map((c, j) => (j === i ? { ...c, [k]: k === 'command' ? cleanCommand(value) : value } : c)) }),
      `commands[${i}].${k}`,
    );
  const moveCommand = (i: number, by: -1 | 1) =>
    edit((d) => {
      const commands = [...d.commands];
      const [c] = commands.splice(i, 1);
      commands.splice(i + by, 0, c);
      return { ...d, commands };
    }, 'all');
  const removeCommand = (i: number) => edit((d) => ({ ...d, commands: d.commands.filter((_, j) => j !== i) }), 'all');
  const addCommand = () => {
    edit((d) => ({ ...d, commands: [...d.commands, { key: newKey(), command: '', description: '' }] }), 'commands');
    // Focus the new command's input once it is there.
    setTimeout(() => {
      const inputs = formRef.current?.querySelectorAll<HTMLInputElement>('input[data-command]');
      inputs?.[inputs.length - 1]?.focus();
    }, 0);
  };

  const setLabel = (r: number, b: number, label: string) =>
    edit(
      (d) => ({
        ...d,
        keyboard: d.keyboard.map((row, i) =>
          i === r ? { ...row, buttons: row.buttons.map((x, j) => (j === b ? { ...x, label } : x)) } : row,
        ),
      }),
      `keyboard[${r}][${b}]`,
    );
  const addRow = () => edit((d) => ({ ...d, keyboard: [...d.keyboard, { key: newKey(), buttons: [{ key: newKey(), label: '' }] }] }), 'keyboard');
  const removeRow = (r: number) => edit((d) => ({ ...d, keyboard: d.keyboard.filter((_, i) => i !== r) }), 'all');
  const addButton = (r: number) =>
    edit(
      (d) => ({
        ...d,
        keyboard: d.keyboard.map((row, i) => (i === r ? { ...row, buttons: [...row.buttons, { key: newKey(), label: '' }] } : row)),
      }),
      `keyboard[${r}]`,
    );
  const removeButton = (r: number, b: number) =>
    edit(
      (d) => ({
        ...d,
        keyboard: d.keyboard.map((row, i) => (i === r ? { ...row, buttons: row.buttons.filter((_, j) => j !== b) } : row)),
      }),
      'all',
    );

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!canAdmin || busy) return;
    setBanner(null);
    setNotice(null);
    const found = validate(draft);
    if (Object.keys(found).length > 0) {
      setErrors(found);
      setFocusTick((n) => n + 1);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const v = await api<BotMenuView>(`/api/bots/${bot.id}/menu`, { method: 'PUT', body: bodyOf(draft) });
      const view = v ?? { bot_id: bot.id };
      setSaved(view);
      setDraft(draftOf(view));
      onSaved(view);
      setNotice(view.applied_at ? t('menuEditor.savedApplied') : t('menuEditor.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.field && isShownField(err.field, draft)) {
        setErrors({ [err.field]: errorMessage(err) });
        setFocusTick((n) => n + 1);
      } else if (err instanceof ApiError && (err.status === 502 || err.code === 'telegram_error')) {
        setBanner(t('menuEditor.telegramRefused', { error: errorMessage(err) }));
      } else {
        setBanner(t('menuEditor.saveFailed', { error: errorMessage(err) }));
      }
    } finally {
      setBusy(false);
    }
  };

  const kindName = `${uid}-kind`;
  const showText = draft.kind === 'web_app' || draft.kind === 'url';

  return (
    <form ref={formRef} className="card bot-menu" aria-label={t('menuOf', { bot: bot.username })} onSubmit={save} noValidate>
      <div className="card-header">
        <h2>
          <Trans
            t={t}
            i18nKey="menuEditor.title"
            values={{ bot: bot.username }}
            components={{ go: <a href={`https://t.me/${bot.username}`} target="_blank" rel="noreferrer" /> }}
          />
        </h2>
        <span className="muted small" data-testid="menu-applied">
          {saved.applied_at
            ? t('menuEditor.appliedAt', { time: formatDate(saved.applied_at, true) })
            : t('menuEditor.notApplied')}
        </span>
      </div>
      <FormError error={banner} />

      <fieldset className="bot-menu-fields" disabled={!canAdmin}>
        <section className="bot-menu-section" aria-labelledby={`${uid}-commands`}>
          <h3 id={`${uid}-commands`}>{t('menuEditor.commands')}</h3>
          <p className="field-hint">{t('menuEditor.commandsHint')}</p>
          <ErrorText id={`${uid}-commands-error`} error={errors.commands} />
          {draft.commands.length === 0 ? (
            <p className="muted small">{t('menuEditor.noCommands')}</p>
          ) : (
            <ol className="menu-commands">
              {draft.commands.map((c, i) => {
                const cmdErr = errors[`commands[${i}].command`];
                const descErr = errors[`commands[${i}].description`];
                const id = `${uid}-c${c.key}`;
                return (
                  <li key={c.key} className="menu-command">
                    <div className="menu-command-inputs">
                      <span className="menu-command-slash" aria-hidden="true">
                        /
                      </span>
                      <input
                        data-command
                        className="menu-command-name"
                        aria-label={t('menuEditor.commandN', { n: i + 1 })}
                        placeholder={t('menuEditor.commandPlaceholder')}
                        autoComplete="off"
                        autoCapitalize="none"
                        spellCheck={false}
                        value={c.command}
                        onChange={(e) => setCommand(i, 'command', e.target.value)}
                        aria-invalid={cmdErr ? true : undefined}
                        aria-describedby={cmdErr ? `${id}-cmd-error` : undefined}
                      />
                      <input
                        className="menu-command-desc"
                        aria-label={t('menuEditor.descriptionN', { n: i + 1 })}
                        placeholder={t('menuEditor.descriptionPlaceholder')}
                        value={c.description}
                        onChange={(e) => setCommand(i, 'description', e.target.value)}
                        aria-invalid={descErr ? true : undefined}
                        aria-describedby={descErr ? `${id}-desc-error` : undefined}
                      />
                      <span className="menu-row-actions">
                        <IconButton label={t('menuEditor.moveUp', { n: i + 1 })} disabled={i === 0} onClick={() => moveCommand(i, -1)}>
                          <ArrowUp size={16} />
                        </IconButton>
                        <IconButton
                          label={t('menuEditor.moveDown', { n: i + 1 })}
                          disabled={i === draft.commands.length - 1}
                          onClick={() => moveCommand(i, 1)}
                        >
                          <ArrowDown size={16} />
                        </IconButton>
                        <IconButton label={t('menuEditor.removeCommand', { n: i + 1 })} danger onClick={() => removeCommand(i)}>
                          <X size={16} />
                        </IconButton>
                      </span>
                    </div>
                    <ErrorText id={`${id}-cmd-error`} error={cmdErr} />
                    <ErrorText id={`${id}-desc-error`} error={descErr} />
                  </li>
                );
              })}
            </ol>
          )}
          {canAdmin && (
            <button type="button" className="btn btn-secondary btn-sm" onClick={addCommand} disabled={draft.commands.length >= MAX_COMMANDS}>
              {t('menuEditor.addCommand')}
            </button>
          )}
        </section>

        <fieldset className="bot-menu-section menu-kinds">
          <legend>{t('menuEditor.menuButton')}</legend>
          <p className="field-hint">{t('menuEditor.menuButtonHint')}</p>
          <ErrorText id={`${uid}-kind-error`} error={errors['menu_button.kind'] ?? errors.menu_button} />
          <div className="menu-kind-options">
            {MENU_KINDS.map((k) => (
              <label key={k.kind} className={draft.kind === k.kind ? 'menu-kind active' : 'menu-kind'}>
                <input
                  type="radio"
                  name={kindName}
                  value={k.kind}
                  checked={draft.kind === k.kind}
                  onChange={() =>
                    edit(
                      (d) => ({ ...d, kind: k.kind, text: k.kind === 'web_app' && !d.text.trim() ? defaultMiniappText() : d.text }),
                      ['menu_button', 'menu_button.kind', 'menu_button.text', 'menu_button.url'],
                    )
                  }
                />
                <span>
                  <span className="menu-kind-label">{t(`menuKinds.${k.kind}.label`)}</span>
                  <span className="field-hint">
                    {t(`menuKinds.${k.kind}.hint`)}
                    {k.kind === 'web_app' && (
                      <>
                        {' '}
                        {saved.miniapp_url ? (
                          <Trans
                            t={t}
                            i18nKey="menuEditor.opens"
                            values={{ url: saved.miniapp_url }}
                            components={{ code: <code className="break" translate="no" /> }}
                          />
                        ) : (
                          t('menuEditor.addressAfterSave')
                        )}
                      </>
                    )}
                  </span>
                </span>
              </label>
            ))}
          </div>
          {showText && (
            <div className="form-row">
              <TextField
                grow
                required
                label={t('menuEditor.buttonText')}
                placeholder={t('menuEditor.examplePlaceholder', { example: draft.kind === 'web_app' ? defaultMiniappText() : t('menuEditor.ourWebsite') })}
                value={draft.text}
                onChange={(e) => edit((d) => ({ ...d, text: e.target.value }), 'menu_button.text')}
                error={errors['menu_button.text']}
              />
              {draft.kind === 'url' && (
                <TextField
                  grow
                  required
                  label={t('menuEditor.pageAddress')}
                  type="url"
                  inputMode="url"
                  placeholder={t('menuEditor.examplePlaceholder', { example: 'https://example.com/cars' })}
                  autoComplete="off"
                  hint={t('menuEditor.httpsHint')}
                  value={draft.url}
                  onChange={(e) => edit((d) => ({ ...d, url: e.target.value }), 'menu_button.url')}
                  error={errors['menu_button.url']}
                />
              )}
            </div>
          )}
        </fieldset>

        <section className="bot-menu-section" aria-labelledby={`${uid}-keyboard`}>
          <h3 id={`${uid}-keyboard`}>{t('menuEditor.keyboard')}</h3>
          <p className="field-hint">{t('menuEditor.keyboardHint')}</p>
          <ErrorText id={`${uid}-keyboard-error`} error={errors.keyboard} />
          {draft.keyboard.length === 0 ? (
            <p className="muted small">{t('menuEditor.noKeyboard')}</p>
          ) : (
            <ol className="menu-keyboard">
              {draft.keyboard.map((row, r) => {
                const rowErr = errors[`keyboard[${r}]`];
                return (
                  <li key={row.key} className="menu-keyboard-row" aria-label={t('menuEditor.row', { n: r + 1 })}>
                    <div className="menu-keyboard-buttons">
                      {row.buttons.map((b, j) => {
                        const err = errors[`keyboard[${r}][${j}]`];
                        const id = `${uid}-k${b.key}`;
                        return (
                          <div key={b.key} className="menu-key">
                            <span className="menu-key-box">
                              <input
                                aria-label={t('menuEditor.rowButton', { row: r + 1, n: j + 1 })}
                                placeholder={t('menuEditor.keyPlaceholder')}
                                value={b.label}
                                onChange={(e) => setLabel(r, j, e.target.value)}
                                aria-invalid={err ? true : undefined}
                                aria-describedby={err ? `${id}-error` : undefined}
                              />
                              <IconButton label={t('menuEditor.removeButton', { row: r + 1, n: j + 1 })} danger onClick={() => removeButton(r, j)}>
                                <X size={16} />
                              </IconButton>
                            </span>
                            <ErrorText id={`${id}-error`} error={err} />
                          </div>
                        );
                      })}
                    </div>
                    <ErrorText id={`${uid}-r${row.key}-error`} error={rowErr} />
                    {canAdmin && (
                      <div className="menu-keyboard-row-actions">
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm"
                          onClick={() => addButton(r)}
                          disabled={row.buttons.length >= MAX_ROW_BUTTONS}
                          aria-label={t('menuEditor.addButtonTo', { n: r + 1 })}
                        >
                          <Plus size={14} aria-hidden="true" /> {t('menuEditor.button')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm btn-danger-text"
                          onClick={() => removeRow(r)}
                          aria-label={t('menuEditor.removeRowN', { n: r + 1 })}
                        >
                          {t('menuEditor.removeRow')}
                        </button>
                      </div>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
          {canAdmin && (
            <button type="button" className="btn btn-secondary btn-sm" onClick={addRow} disabled={draft.keyboard.length >= MAX_ROWS}>
              {t('menuEditor.addRow')}
            </button>
          )}
        </section>
      </fieldset>

      {canAdmin && (
        <div className="form-actions bot-menu-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common:actions.saving') : t('menuEditor.save')}
          </button>
          {dirty && !busy && <span className="muted small">{t('menuEditor.unsaved')}</span>}
          {notice && !dirty && (
            <span className="muted small" role="status">
              {notice}
            </span>
          )}
        </div>
      )}
    </form>
  );
}

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <span className="field-error" id={id}>
      {error}
    </span>
  );
}

function IconButton({
  label,
  onClick,
  disabled,
  danger,
  children,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={danger ? 'btn btn-ghost btn-sm icon-btn btn-danger-text' : 'btn btn-ghost btn-sm icon-btn'}
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
    >
      <span aria-hidden="true">{children}</span>
    </button>
  );
}
