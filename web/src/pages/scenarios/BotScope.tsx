import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BotView } from '../../api/types';

/**
 * Which bots a scenario runs on, in the words a dealer expects: "All my
 * bots" (the API's empty list) or "Only these bots" with the ticked ones.
 */
export function BotScope({
  bots,
  botsError,
  botIds,
  onChange,
  onScope,
  error,
}: {
  bots: BotView[] | null;
  botsError: string | null;
  botIds: number[];
  onChange: (ids: number[]) => void;
  /** Told when the dealer picks "all" (false) or "only these" (true). */
  onScope?: (only: boolean) => void;
  /** Shown under the choice (e.g. "tick at least one bot"). */
  error?: string | null;
}) {
  const { t } = useTranslation('scenarios');
  const name = useId();
  const [onlyChosen, setOnlyChosen] = useState(botIds.length > 0);
  const only = onlyChosen || botIds.length > 0;
  const known = new Set((bots ?? []).map((b) => b.id));
  const toggle = (id: number, on: boolean) => onChange(on ? [...botIds.filter((b) => b !== id), id] : botIds.filter((b) => b !== id));

  return (
    <fieldset className="sc-bots">
      <legend className="field-label">{t('bots.legend')}</legend>
      {botsError && <p className="field-error">{t('bots.loadError', { error: botsError })}</p>}
      <label className="sc-check">
        <input
          type="radio"
          name={name}
          checked={!only}
          onChange={() => {
            setOnlyChosen(false);
            onScope?.(false);
            if (botIds.length) onChange([]);
          }}
        />
        {t('bots.all')}
      </label>
      <label className="sc-check">
        <input
          type="radio"
          name={name}
          checked={only}
          onChange={() => {
            setOnlyChosen(true);
            onScope?.(true);
          }}
        />
        {t('bots.only')}
      </label>
      {only && (
        <div className="sc-bots-list">
          {bots && bots.length === 0 && <p className="muted small">{t('bots.noneConnected')}</p>}
          {(bots ?? []).map((b) => (
            <label key={b.id} className="sc-check">
              <input type="checkbox" checked={botIds.includes(b.id)} onChange={(e) => toggle(b.id, e.target.checked)} />@{b.username}
            </label>
          ))}
          {bots &&
            botIds
              .filter((id) => !known.has(id))
              .map((id) => (
                <label key={id} className="sc-check">
                  <input type="checkbox" checked onChange={() => toggle(id, false)} />
                  {t('bots.gone', { id })}
                </label>
              ))}
        </div>
      )}
      {error ? (
        <span className="field-error">{error}</span>
      ) : (
        <span className="field-hint">{only ? t('bots.onlyHint') : t('bots.allHint')}</span>
      )}
    </fieldset>
  );
}
