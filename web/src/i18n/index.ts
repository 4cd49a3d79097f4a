// The app's languages: i18next with one JSON file per page (namespace) and
// language under src/locales, each loaded only when a page asks for it, so
// the first page downloads the active language's texts and nothing else.
//
// Which language: the user's stored choice on the server (`me.language`)
// wins; before login, the choice remembered in this browser, then the
// browser's languages. The buyer-facing Mini App follows the buyer's
// Telegram language instead (see `miniappLanguage`).
//
// A pseudo-locale (`?pseudo=1`, remembered for the tab) wraps every
// translated text and every formatted value in ⟦…⟧: the browser test uses it
// to find text that bypasses translation.
import i18n, { type BackendModule, type PostProcessorModule } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['en', 'uk'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the switch in the header. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', uk: 'Українська' };

export const NAMESPACES = [
  'common',
  'modules',
  'auth',
  'dashboard',
  'inbox',
  'contacts',
  'requests',
  'partners',
  'inventory',
  'stockImport',
  'parser',
  'scenarios',
  'telegram',
  'miniapp',
  'showcase',
  'settings',
  'admin',
  'notifications',
  'password',
  'campaigns',
  'tgaccounts',
  'calendar',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

const STORAGE_KEY = 'cartie.language';
const PSEUDO_KEY = 'cartie.pseudo';

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/** `uk`, `uk-UA` → uk; `en-GB` → en; anything else → null. */
export function languageOf(tag: string | null | undefined): Language | null {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : null;
}

/** The browser's preferred language among ours, English when none is. */
export function browserLanguage(): Language {
  const tags = typeof navigator === 'undefined' ? [] : [...(navigator.languages ?? []), navigator.language];
  for (const t of tags) {
    const l = languageOf(t);
    if (l) return l;
  }
  return 'en';
}

export function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

function remember(lang: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage unavailable: the choice lasts as long as the page */
  }
}

/**
 * The buyer's language in the Mini App: Telegram's `language_code` of the
 * user in the launch data (uk → Ukrainian, anything else English); outside
 * Telegram, the browser's.
 */
export function miniappLanguage(launch: string | null | undefined = telegramLaunchData()): Language {
  if (launch) {
    try {
      const user = new URLSearchParams(launch).get('user');
      const code = user ? (JSON.parse(user) as { language_code?: unknown }).language_code : undefined;
      return typeof code === 'string' && languageOf(code) === 'uk' ? 'uk' : 'en';
    } catch {
      return 'en';
    }
  }
  return browserLanguage();
}

/** Telegram's signed launch data from the address (`#tgWebAppData=…`) or what its script kept for this tab. */
function telegramLaunchData(): string | null {
  if (typeof window === 'undefined') return null;
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('tgWebAppData');
  if (fromHash) return fromHash;
  try {
    const kept = sessionStorage.getItem('__telegram__initParams');
    const data = kept ? (JSON.parse(kept) as { tgWebAppData?: unknown }).tgWebAppData : null;
    return typeof data === 'string' && data ? data : null;
  } catch {
    return null;
  }
}

export const isMiniappPath = (path: string) => path.startsWith('/m/');

/** The language to start in, before the server has said anything. */
export function initialLanguage(path: string): Language {
  if (isMiniappPath(path)) return miniappLanguage();
  return storedLanguage() ?? browserLanguage();
}

export function pseudoEnabled(): boolean {
  if (typeof window === 'undefined') return false;
  try {
    if (new URLSearchParams(window.location.search).get('pseudo') === '1') sessionStorage.setItem(PSEUDO_KEY, '1');
    return sessionStorage.getItem(PSEUDO_KEY) === '1';
  } catch {
    return false;
  }
}

let pseudo = false;
/** Whether texts are being marked for the browser test (the pseudo-locale). */
export const isPseudo = () => pseudo;
/** Marks a localised value in the pseudo-locale; the value itself otherwise. */
export const mark = (s: string) => (pseudo ? `⟦${s}⟧` : s);

const pseudoProcessor: PostProcessorModule = {
  type: 'postProcessor',
  name: 'pseudo',
  process: (value: string) => `⟦${value}⟧`,
};

const loaders = import.meta.glob<{ default: Record<string, unknown> }>('../locales/*/*.json');

/** Loads `locales/{language}/{namespace}.json` on demand (a chunk of its own). */
const lazyFiles: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, namespace, callback) {
    const load = loaders[`../locales/${language}/${namespace}.json`];
    if (!load) {
      callback(new Error(`no texts for ${language}/${namespace}`), false);
      return;
    }
    load().then(
      (m) => callback(null, m.default),
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), true),
    );
  },
};

function syncDocument(lang: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** Starts i18next in `lang` and waits for the shared texts (`common`). */
export async function initI18n(lang: Language, opts: { pseudo?: boolean } = {}): Promise<typeof i18n> {
  pseudo = opts.pseudo ?? false;
  if (!i18n.isInitialized) {
    i18n.on('languageChanged', syncDocument);
    await i18n
      .use(lazyFiles)
      .use(pseudoProcessor)
      .use(initReactI18next)
      .init({
        lng: lang,
        fallbackLng: false,
        supportedLngs: [...LANGUAGES],
        ns: ['common'],
        defaultNS: 'common',
        postProcess: pseudo ? ['pseudo'] : false,
        interpolation: { escapeValue: false },
        returnNull: false,
        react: { useSuspense: true },
        // A text missing from a language is a bug: say so where tests and the browser walk see it.
        saveMissing: true,
        // (A key asked with a `defaultValue` has a fallback on purpose: data the app may not know, like a new status.)
        missingKeyHandler: (lngs, ns, key, _fallback, _update, options) => {
          if ((options as { defaultValue?: unknown } | undefined)?.defaultValue !== undefined) return;
          console.error(`i18n: no text for ${ns}:${key} in ${lngs.join(', ')}`);
        },
      });
  } else if (i18n.language !== lang) {
    await i18n.changeLanguage(lang);
  }
  syncDocument(lang);
  return i18n;
}

/** The language in force now. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** Switches the whole UI (and `<html lang>`); `persist` remembers it in this browser. */
export async function setLanguage(lang: Language, persist = true): Promise<void> {
  if (persist) remember(lang);
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
}

export { i18n };
