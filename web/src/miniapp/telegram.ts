// Telegram's WebApp object for the buyer-facing Mini App.
//
// `@twa-dev/sdk` bundles Telegram's telegram-web-app.js, which runs on import:
// it reads the launch parameters (initData, version, platform, theme) from the
// address's `#tgWebAppData=…` hash, sets `--tg-*` CSS variables and posts
// events to the Telegram client. The dealer app must not run it, so it is
// imported here on demand, only when a showcase page mounts (before the page
// can navigate and drop the hash; the script also keeps the parameters in
// sessionStorage).
import { useEffect, useState, type CSSProperties } from 'react';

export type TgWebApp = typeof import('@twa-dev/sdk').default;

let loading: Promise<TgWebApp | null> | null = null;

/** The module's WebApp, whatever the CommonJS interop wrapped it in. */
function pick(mod: unknown): TgWebApp | null {
  let v: unknown = (mod as { default?: unknown } | null)?.default ?? mod;
  if (v && typeof v === 'object' && !('ready' in v) && 'default' in v) v = (v as { default: unknown }).default;
  if (v && typeof (v as TgWebApp).ready === 'function') return v as TgWebApp;
  const w = (window as { Telegram?: { WebApp?: TgWebApp } }).Telegram?.WebApp;
  return w ?? null;
}

/**
 * Loads the SDK once and tells Telegram the app is ready (and to use the full
 * height). `null` when the script could not be loaded: the showcase still works
 * as a web page.
 */
export function loadTelegram(): Promise<TgWebApp | null> {
  loading ??= import('@twa-dev/sdk')
    .then((m) => {
      const tg = pick(m);
      if (tg) {
        try {
          tg.ready();
          tg.expand();
        } catch {
          /* an old client: the page works without */
        }
      }
      return tg;
    })
    .catch(() => null);
  return loading;
}

/** The signed launch data, or '' in a normal browser (not opened from the bot). */
export function initDataOf(tg: TgWebApp | null): string {
  const d = tg?.initData;
  return typeof d === 'string' ? d : '';
}

/** Whether `tg` runs inside a Telegram client that knows `version`'s features. */
export function supports(tg: TgWebApp | null, version: string): boolean {
  if (!tg || !initDataOf(tg)) return false;
  try {
    return tg.isVersionAtLeast(version);
  } catch {
    return false;
  }
}

type ThemeKey = keyof TgWebApp['themeParams'];

/**
 * The showcase's CSS variables and the Telegram theme parameters they take,
 * the first one the client sends (older clients send fewer: a dark theme with
 * only `bg_color` must still not get the light page behind it).
 */
const THEME_VARS: [string, ThemeKey[]][] = [
  ['--ma-bg', ['bg_color']],
  ['--ma-bg2', ['secondary_bg_color', 'bg_color']],
  ['--ma-card', ['section_bg_color', 'bg_color']],
  ['--ma-fg', ['text_color']],
  ['--ma-hint', ['hint_color', 'subtitle_text_color']],
  ['--ma-link', ['link_color', 'accent_text_color', 'button_color']],
  ['--ma-btn', ['button_color', 'link_color']],
  ['--ma-btn-fg', ['button_text_color']],
  ['--ma-danger', ['destructive_text_color']],
  ['--ma-border', ['section_separator_color']],
];

const COLOR = /^#[0-9a-f]{3,8}$/i;

/** The CSS variables for Telegram's theme; the stylesheet's neutral theme fills in the rest. */
export function themeStyle(tg: TgWebApp | null): CSSProperties {
  const params = (tg?.themeParams ?? {}) as Partial<Record<string, unknown>>;
  const style: Record<string, string> = {};
  for (const [cssVar, keys] of THEME_VARS) {
    const v = keys.map((k) => params[k]).find((x): x is string => typeof x === 'string' && COLOR.test(x));
    if (v) style[cssVar] = v;
  }
  if (tg?.colorScheme === 'dark') style.colorScheme = 'dark';
  return style as CSSProperties;
}

/** The WebApp once loaded (null before, and when it cannot be), and its theme as CSS variables. */
export function useTelegram(): { tg: TgWebApp | null; theme: CSSProperties } {
  const [tg, setTg] = useState<TgWebApp | null>(null);
  const [theme, setTheme] = useState<CSSProperties>({});

  useEffect(() => {
    let alive = true;
    void loadTelegram().then((w) => {
      if (!alive) return;
      setTg(w);
      setTheme(themeStyle(w));
    });
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    if (!tg) return;
    const onTheme = () => setTheme(themeStyle(tg));
    tg.onEvent('themeChanged', onTheme);
    return () => tg.offEvent('themeChanged', onTheme);
  }, [tg]);

  return { tg, theme };
}
