import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/query';
import type { ButtonAction } from '../../api/types';
import { SelectField, TextField } from '../../components/Field';
import type { ScenarioListResponse } from '../scenarios/types';
import { ACTIONS, MAX_BUTTON_TEXT, MAX_BUTTONS, newButton, type ButtonDraft } from './campaign';

/**
 * The buttons under the message (up to 10): each opens a link or a Mini
 * App, or starts one of the workspace's scenarios for whoever presses it.
 */
export function ButtonsEditor({
  buttons,
  onChange,
  errors,
  error,
  album,
}: {
  buttons: ButtonDraft[];
  onChange: (next: ButtonDraft[]) => void;
  /** Errors by slot (`button:<key>:text|url|scenario`). */
  errors: Record<string, string | undefined>;
  error?: string | null;
  /** An album cannot carry buttons. */
  album: boolean;
}) {
  const { t } = useTranslation('campaigns');
  const wantsScenarios = buttons.some((b) => b.action === 'scenario');
  const scenarios = useApiQuery<ScenarioListResponse>(wantsScenarios ? '/api/scenarios' : null);
  const set = (key: number, p: Partial<ButtonDraft>) => onChange(buttons.map((b) => (b.key === key ? { ...b, ...p } : b)));

  return (
    <div className="campaign-buttons">
      {album && buttons.length > 0 && (
        <p className="notice notice-warn" role="status">
          {t('buttons.albumWarning')}
        </p>
      )}
      {buttons.length === 0 && <p className="muted small">{t('buttons.none')}</p>}
      <ol className="campaign-button-list">
        {buttons.map((b, i) => {
          const n = i + 1;
          return (
            <li key={b.key} className="campaign-button-row">
              <TextField
                grow
                label={t('buttons.text', { n })}
                value={b.text}
                maxLength={MAX_BUTTON_TEXT}
                onChange={(e) => set(b.key, { text: e.target.value })}
                error={errors[`button:${b.key}:text`]}
              />
              <SelectField label={t('buttons.action', { n })} value={b.action} onChange={(e) => set(b.key, { action: e.target.value as ButtonAction })}>
                {ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {t(`buttons.actions.${a}`)}
                  </option>
                ))}
              </SelectField>
              {b.action === 'scenario' ? (
                <SelectField
                  grow
                  label={t('buttons.scenario', { n })}
                  value={b.scenarioId}
                  onChange={(e) => set(b.key, { scenarioId: e.target.value })}
                  error={errors[`button:${b.key}:scenario`]}
                  hint={scenarios.data && scenarios.data.scenarios.length === 0 ? t('buttons.noScenarios') : undefined}
                >
                  <option value="">{t('buttons.chooseScenario')}</option>
                  {(scenarios.data?.scenarios ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </SelectField>
              ) : (
                <TextField
                  grow
                  label={b.action === 'mini_app' ? t('buttons.miniAppUrl', { n }) : t('buttons.url', { n })}
                  type="url"
                  inputMode="url"
                  spellCheck={false}
                  placeholder={t('buttons.urlPlaceholder')}
                  value={b.url}
                  onChange={(e) => set(b.key, { url: e.target.value })}
                  error={errors[`button:${b.key}:url`]}
                />
              )}
              <div className="field field-button">
                <button
                  type="button"
                  className="btn btn-ghost btn-sm btn-danger-text"
                  onClick={() => onChange(buttons.filter((x) => x.key !== b.key))}
                  aria-label={t('buttons.remove', { n })}
                >
                  {t('common:actions.remove')}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      {error && <div className="field-error">{error}</div>}
      <div className="form-actions">
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => onChange([...buttons, newButton()])} disabled={buttons.length >= MAX_BUTTONS || album}>
          {t('buttons.add')}
        </button>
        <span className="field-hint">{album ? t('buttons.albumHint') : t('buttons.hint', { count: MAX_BUTTONS, max: MAX_BUTTON_TEXT })}</span>
      </div>
    </div>
  );
}
