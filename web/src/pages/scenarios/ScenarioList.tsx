// /scenarios — the workspace's bot scenarios: open, create (empty or from a
// starter template), duplicate and delete.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, useApiQuery } from '../../api/query';
import type { BotList, BotView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { currentLanguage } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { BotScope } from './BotScope';
import type { CreateScenarioRequest, ScenarioListResponse, ScenarioSummary, ScenarioView, TemplateList } from './types';

export function ScenarioList() {
  const { t } = useTranslation('scenarios');
  const { me } = useAuth();
  const canEdit = atLeast(me?.role, 'manager');
  const navigate = useNavigate();
  const client = useQueryClient();
  const list = useApiQuery<ScenarioListResponse>('/api/scenarios');
  const bots = useApiQuery<BotList>('/api/bots');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ScenarioSummary | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const botName = (id: number) => {
    const b = bots.data?.bots.find((x) => x.id === id);
    return b ? `@${b.username}` : t('botNumber', { id });
  };

  const duplicate = async (s: ScenarioSummary) => {
    setBusy(s.id);
    setError(null);
    setNotice(null);
    try {
      const copy = await api<ScenarioView>(`/api/scenarios/${seg(s.id)}/duplicate`, { method: 'POST' });
      setNotice(t('list.copied', { name: copy.name }));
      await invalidate(client, '/api/scenarios');
    } catch (e) {
      setError(t('list.duplicateFailed', { name: s.name, error: errorMessage(e) }));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (s: ScenarioSummary) => {
    setBusy(s.id);
    setError(null);
    setNotice(null);
    try {
      await api<void>(`/api/scenarios/${seg(s.id)}`, { method: 'DELETE' });
      setDeleting(null);
      setNotice(t('list.deleted', { name: s.name }));
      await invalidate(client, '/api/scenarios');
    } catch (e) {
      setDeleting(null);
      setError(t('list.deleteFailed', { name: s.name, error: errorMessage(e) }));
    } finally {
      setBusy(null);
    }
  };

  const scenarios = list.data?.scenarios ?? [];
  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          canEdit &&
          me?.workspace && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t('newScenario')}
            </button>
          )
        }
      />
      {!me?.workspace ? (
        <EmptyState title={t('common:states.noWorkspace')}>{t('list.noWorkspace')}</EmptyState>
      ) : (
        <section className="card" aria-label={t('title')}>
          {notice && (
            <div className="notice notice-ok" role="status">
              {notice}
            </div>
          )}
          <FormError error={error} />
          {list.isPending ? (
            <Loading label={t('list.loading')} />
          ) : list.error && !list.data ? (
            <ErrorState title={t('list.loadError')} error={list.error} onRetry={() => void list.refetch()} />
          ) : scenarios.length === 0 ? (
            <EmptyState title={t('list.empty')}>
              {canEdit ? (
                <>
                  <p>{t('list.emptyBody')}</p>
                  <button type="button" className="btn btn-primary btn-sm" onClick={() => setCreating(true)}>
                    {t('newScenario')}
                  </button>
                </>
              ) : (
                t('list.emptyOther')
              )}
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table sc-list">
                <thead>
                  <tr>
                    <th scope="col">{t('list.name')}</th>
                    <th scope="col">{t('list.bots')}</th>
                    <th scope="col">{t('list.published')}</th>
                    <th scope="col">{t('list.updated')}</th>
                    {canEdit && (
                      <th scope="col">
                        <span className="visually-hidden">{t('list.actions')}</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {scenarios.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/scenarios/${encodeURIComponent(s.id)}`} className="sc-list-name">
                          {s.name || t('untitled')}
                        </Link>
                      </td>
                      <td>{s.bot_ids.length === 0 ? <span className="muted">{t('list.allBots')}</span> : s.bot_ids.map(botName).join(', ')}</td>
                      <td>
                        {s.published_version ? t('versions.version', { version: s.published_version }) : <span className="muted">{t('draftOnly')}</span>}
                        {s.published_version && s.has_unpublished_changes && <span className="sc-badge-changes">{t('unpublishedChanges')}</span>}
                      </td>
                      <td className="muted small">{formatDate(s.updated_at, true)}</td>
                      {canEdit && (
                        <td className="actions">
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm"
                            onClick={() => void duplicate(s)}
                            disabled={busy !== null}
                            aria-label={t('list.duplicateName', { name: s.name })}
                          >
                            {busy === s.id && !deleting ? t('list.copying') : t('list.duplicate')}
                          </button>
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm btn-danger-text"
                            onClick={() => setDeleting(s)}
                            disabled={busy !== null}
                            aria-label={t('list.deleteName', { name: s.name })}
                          >
                            {t('common:actions.delete')}
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {creating && (
        <NewScenarioDialog
          bots={bots.data?.bots ?? null}
          botsError={bots.error ? errorMessage(bots.error) : null}
          onCancel={() => setCreating(false)}
          onCreated={(v) => navigate(`/scenarios/${encodeURIComponent(v.id)}`)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('list.deleteTitle', { name: deleting.name })}
          confirmLabel={t('list.deleteScenario')}
          busy={busy === deleting.id}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        >
          <p>{t('list.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function NewScenarioDialog({
  bots,
  botsError,
  onCancel,
  onCreated,
}: {
  bots: BotView[] | null;
  botsError: string | null;
  onCancel: () => void;
  onCreated: (v: ScenarioView) => void;
}) {
  const { t } = useTranslation('scenarios');
  const client = useQueryClient();
  const templates = useApiQuery<TemplateList>('/api/scenarios/templates');
  const [name, setName] = useState('');
  const [template, setTemplate] = useState('');
  // The language of the template's messages to buyers (not of this page).
  const [language, setLanguage] = useState<'en' | 'uk'>(currentLanguage() === 'uk' ? 'uk' : 'en');
  const [botIds, setBotIds] = useState<number[]>([]);
  const [onlyChosen, setOnlyChosen] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [botsProblem, setBotsProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busy) onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onCancel]);

  const chosen = templates.data?.templates.find((x) => x.key === template);
  // The server describes its templates in English; other languages have their own words for them.
  const english = currentLanguage() === 'en';
  const templateName = (x: { key: string; name: string }) => (english ? x.name : t(`templates.${x.key}.name`, { defaultValue: x.name }));
  const templateHelp = (x: { key: string; description: string }) =>
    english ? x.description : t(`templates.${x.key}.description`, { defaultValue: x.description });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const noName = !name.trim();
    // "Only these bots" with none ticked would mean every bot to the server: ask instead.
    const noBots = onlyChosen && botIds.length === 0;
    setNameError(noName ? t('list.nameMissing') : null);
    setBotsProblem(noBots ? t('bots.tickOne') : null);
    if (noName || noBots) return;
    setBusy(true);
    try {
      const body: CreateScenarioRequest = { name: name.trim(), template: template || null, language: template ? language : null, bot_ids: botIds };
      const v = await api<ScenarioView>('/api/scenarios', { method: 'POST', body });
      void invalidate(client, '/api/scenarios');
      onCreated(v);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'name') setNameError(errorMessage(err));
      else setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onClick={() => !busy && onCancel()}>
      <div className="modal modal-wide" role="dialog" aria-modal="true" aria-labelledby="new-scenario-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="new-scenario-title">{t('newScenario')}</h2>
        <form onSubmit={submit} noValidate>
          <FormError error={error} />
          <TextField
            label={t('list.name')}
            required
            value={name}
            maxLength={80}
            placeholder={t('list.namePlaceholder')}
            onChange={(e) => setName(e.target.value)}
            error={nameError}
            autoFocus
          />
          <SelectField label={t('list.template')} value={template} onChange={(e) => setTemplate(e.target.value)}>
            <option value="">{t('list.emptyScenario')}</option>
            {(templates.data?.templates ?? []).map((x) => (
              <option key={x.key} value={x.key}>
                {templateName(x)}
              </option>
            ))}
          </SelectField>
          {templates.error ? (
            <p className="field-error">{t('list.templatesFailed', { error: errorMessage(templates.error) })}</p>
          ) : templates.isPending ? (
            <p className="muted small">{t('list.templatesLoading')}</p>
          ) : (
            <p className="muted small">{chosen ? templateHelp(chosen) : t('list.blankCanvas')}</p>
          )}
          {template && (
            <SelectField label={t('list.templateLanguage')} value={language} onChange={(e) => setLanguage(e.target.value === 'uk' ? 'uk' : 'en')}>
              <option value="en">{t('list.templateLanguageEn')}</option>
              <option value="uk">{t('list.templateLanguageUk')}</option>
            </SelectField>
          )}
          <BotScope
            bots={bots}
            botsError={botsError}
            botIds={botIds}
            error={botsProblem}
            onChange={(ids) => {
              setBotIds(ids);
              setBotsProblem(null);
            }}
            onScope={(only) => {
              setOnlyChosen(only);
              setBotsProblem(null);
            }}
          />
          <div className="modal-actions">
            <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
              {t('common:actions.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('list.creating') : t('list.create')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
