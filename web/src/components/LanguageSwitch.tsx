import { Languages } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, setLanguage, type Language } from '../i18n';

/**
 * The language choice: switches at once and is remembered in the browser;
 * the logged-in header passes `onChoose` to store it on the server too.
 */
export function LanguageSwitch({ onChoose = setLanguage }: { onChoose?: (lang: Language) => Promise<void> }) {
  const { t } = useTranslation();
  return (
    <label className="lang-switch">
      <Languages size={16} aria-hidden="true" />
      <select
        aria-label={t('shell.language')}
        value={currentLanguage()}
        onChange={(e) => {
          if (isLanguage(e.target.value)) void onChoose(e.target.value).catch(() => undefined);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l} translate="no">
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
