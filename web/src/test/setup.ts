import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeAll, vi } from 'vitest';
import { i18n, initI18n, NAMESPACES, setLanguage } from '../i18n';
import { setTimeZone } from '../i18n/format';

// Tests read the English texts, every namespace loaded up front (the app loads them per page).
await initI18n('en');
await i18n.loadNamespaces([...NAMESPACES]);

beforeAll(() => {
  // A text missing from the English files fails the test that shows it.
  i18n.options.missingKeyHandler = (_lngs, ns, key, _fallback, _update, options) => {
    if ((options as { defaultValue?: unknown } | undefined)?.defaultValue !== undefined) return;
    throw new Error(`i18n: no text for ${ns}:${key}`);
  };
});

afterEach(async () => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
  setTimeZone(null);
  await setLanguage('en', false);
});

// Pages are lazily loaded chunks (the app's code splitting): the first render of one waits for its module,
// which on a busy 2-core machine can take several seconds.
configure({ asyncUtilTimeout: 10_000 });
