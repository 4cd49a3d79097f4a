// A bot's menu as the editor holds it: the `/` commands, the menu button and
// the persistent reply keyboard, read from the API tolerantly (a bot that never
// had a menu, or an answer with fields missing, is an empty menu), checked with
// the server's rules, and written back as the API's `BotMenu`.
//
// Errors are keyed by the API's field paths (`commands[2].command`,
// `menu_button.url`, `keyboard[0][1]`), so the server's 422 lands on the same
// input as the editor's own checks.
import type { components } from '../../api/schema';
import { i18n } from '../../i18n';

export type BotMenu = components['schemas']['BotMenu'];
export type BotMenuView = components['schemas']['BotMenuView'];
export type MenuButtonKind = components['schemas']['MenuButtonKind'];

/** The menu button's kinds, in order (names and hints in `telegram:menuKinds`). */
export const MENU_KINDS: { kind: MenuButtonKind }[] = [{ kind: 'default' }, { kind: 'commands' }, { kind: 'web_app' }, { kind: 'url' }];

export const MAX_COMMANDS = 100;
export const MAX_ROWS = 12;
export const MAX_ROW_BUTTONS = 8;
/** The showcase button's text until the dealer writes one, in the dealer's language. */
export const defaultMiniappText = () => i18n.t('telegram:menuEditor.defaultMiniappText');

export interface DraftCommand {
  key: number;
  command: string;
  description: string;
}
export interface DraftButton {
  key: number;
  label: string;
}
export interface DraftRow {
  key: number;
  buttons: DraftButton[];
}
export interface MenuDraft {
  commands: DraftCommand[];
  kind: MenuButtonKind;
  text: string;
  url: string;
  keyboard: DraftRow[];
}

export type MenuErrors = Record<string, string>;

let seq = 0;
/** A key for React lists: rows and commands move, so their index cannot be it. */
export const newKey = () => ++seq;

const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** The editor's copy of a menu; anything missing or malformed counts as empty. */
export function draftOf(v: Partial<BotMenuView> | null | undefined): MenuDraft {
  const commands = Array.isArray(v?.commands) ? v.commands : [];
  const keyboard = Array.isArray(v?.keyboard) ? v.keyboard : [];
  const mb = v?.menu_button;
  const kind = MENU_KINDS.some((k) => k.kind === mb?.kind) ? mb!.kind : 'default';
  return {
    commands: commands.map((c) => ({ key: newKey(), command: str(c?.command), description: str(c?.description) })),
    kind,
    text: str(mb?.text),
    url: kind === 'url' ? str(mb?.url) : '',
    keyboard: keyboard.map((row) => ({
      key: newKey(),
      buttons: (Array.isArray(row) ? row : []).map((label) => ({ key: newKey(), label: str(label) })),
    })),
  };
}

/** What the user types as a command: the leading "/" goes, and it is lower case. */
export function cleanCommand(s: string): string {
  return s.replace(/^\s*\/+/, '').toLowerCase();
}

/** The `BotMenu` to PUT. */
export function bodyOf(d: MenuDraft): BotMenu {
  const menu_button: BotMenu['menu_button'] =
    d.kind === 'web_app'
      ? { kind: 'web_app', text: d.text.trim(), url: '' }
      : d.kind === 'url'
        ? { kind: 'url', text: d.text.trim(), url: d.url.trim() }
        : { kind: d.kind };
  return {
    commands: d.commands.map((c) => ({ command: cleanCommand(c.command.trim()), description: c.description.trim() })),
    menu_button,
    keyboard: d.keyboard.map((r) => r.buttons.map((b) => b.label.trim())),
  };
}

const COMMAND = /^[a-z0-9_]{1,32}$/;

function isHttpsUrl(s: string): boolean {
  if (/\s/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The editor's checks, the server's rules; empty when the menu can be saved. */
export function validate(d: MenuDraft): MenuErrors {
  const t = (key: string, opts: Record<string, unknown> = {}) => i18n.t(`telegram:menuCheck.${key}`, opts);
  const errors: MenuErrors = {};
  if (d.commands.length > MAX_COMMANDS) errors.commands = t('tooManyCommands', { count: MAX_COMMANDS });
  const seen = new Set<string>();
  d.commands.forEach((c, i) => {
    const cmd = cleanCommand(c.command.trim());
    if (!cmd) errors[`commands[${i}].command`] = t('commandMissing');
    else if (!COMMAND.test(cmd)) errors[`commands[${i}].command`] = t('commandBad');
    else if (seen.has(cmd)) errors[`commands[${i}].command`] = t('commandTwice', { command: cmd });
    seen.add(cmd);
    const desc = c.description.trim();
    if (!desc) errors[`commands[${i}].description`] = t('descriptionMissing');
    else if ([...desc].length > 256) errors[`commands[${i}].description`] = t('atMost', { count: 256 });
  });
  if (d.kind === 'web_app' || d.kind === 'url') {
    const text = d.text.trim();
    if (!text) errors['menu_button.text'] = t('buttonTextMissing');
    else if ([...text].length > 64) errors['menu_button.text'] = t('atMost', { count: 64 });
  }
  if (d.kind === 'url') {
    const url = d.url.trim();
    if (!url) errors['menu_button.url'] = t('urlMissing');
    else if (!isHttpsUrl(url)) errors['menu_button.url'] = t('urlBad');
  }
  if (d.keyboard.length > MAX_ROWS) errors.keyboard = t('tooManyRows', { count: MAX_ROWS });
  d.keyboard.forEach((r, i) => {
    if (r.buttons.length === 0) errors[`keyboard[${i}]`] = t('rowEmpty');
    else if (r.buttons.length > MAX_ROW_BUTTONS) errors[`keyboard[${i}]`] = t('tooManyButtons', { count: MAX_ROW_BUTTONS });
    r.buttons.forEach((b, j) => {
      const label = b.label.trim();
      if (!label) errors[`keyboard[${i}][${j}]`] = t('keyMissing');
      else if ([...label].length > 64) errors[`keyboard[${i}][${j}]`] = t('atMost', { count: 64 });
    });
  });
  return errors;
}

/** Whether the editor shows an error for `field` next to an input (else it goes in the banner). */
export function isShownField(field: string, d: MenuDraft): boolean {
  if (field === 'commands' || field === 'keyboard' || field === 'menu_button' || field === 'menu_button.kind') return true;
  if (field === 'menu_button.text') return d.kind === 'web_app' || d.kind === 'url';
  if (field === 'menu_button.url') return d.kind === 'url';
  let m = /^commands\[(\d+)\]\.(command|description)$/.exec(field);
  if (m) return Number(m[1]) < d.commands.length;
  m = /^keyboard\[(\d+)\]$/.exec(field);
  if (m) return Number(m[1]) < d.keyboard.length;
  m = /^keyboard\[(\d+)\]\[(\d+)\]$/.exec(field);
  if (m) return Number(m[1]) < d.keyboard.length && Number(m[2]) < d.keyboard[Number(m[1])].buttons.length;
  return false;
}

/** Whether two drafts would save the same menu. */
export function sameMenu(a: MenuDraft, b: MenuDraft): boolean {
  return JSON.stringify(bodyOf(a)) === JSON.stringify(bodyOf(b));
}
