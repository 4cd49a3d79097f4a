// A bot's menu as the editor holds it: the `/` commands, the menu button and
// the persistent reply keyboard, read from the API tolerantly (a bot that never
// had a menu, or an answer with fields missing, is an empty menu), checked with
// the server's rules, and written back as the API's `BotMenu`.
//
// Errors are keyed by the API's field paths (`commands[2].command`,
// `menu_button.url`, `keyboard[0][1]`), so the server's 422 lands on the same
// input as the editor's own checks.
import type { components } from '../../api/schema';

export type BotMenu = components['schemas']['BotMenu'];
export type BotMenuView = components['schemas']['BotMenuView'];
export type MenuButtonKind = components['schemas']['MenuButtonKind'];

export const MENU_KINDS: { kind: MenuButtonKind; label: string; hint: string }[] = [
  { kind: 'default', label: 'Default', hint: "Telegram's standard button." },
  { kind: 'commands', label: 'Commands list', hint: 'Opens the list of commands below.' },
  { kind: 'web_app', label: 'Mini App showcase', hint: 'Opens your car showcase right inside Telegram.' },
  { kind: 'url', label: 'Web page', hint: 'Opens a web page of yours inside Telegram.' },
];

export const MAX_COMMANDS = 100;
export const MAX_ROWS = 12;
export const MAX_ROW_BUTTONS = 8;
export const DEFAULT_MINIAPP_TEXT = 'Our cars';

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
  const errors: MenuErrors = {};
  if (d.commands.length > MAX_COMMANDS) errors.commands = `Telegram allows at most ${MAX_COMMANDS} commands.`;
  const seen = new Set<string>();
  d.commands.forEach((c, i) => {
    const cmd = cleanCommand(c.command.trim());
    if (!cmd) errors[`commands[${i}].command`] = 'Enter the command, e.g. cars.';
    else if (!COMMAND.test(cmd)) errors[`commands[${i}].command`] = 'Use 1–32 characters: a–z, 0–9 and _.';
    else if (seen.has(cmd)) errors[`commands[${i}].command`] = `/${cmd} is already in the list.`;
    seen.add(cmd);
    const desc = c.description.trim();
    if (!desc) errors[`commands[${i}].description`] = 'Enter what the command does.';
    else if ([...desc].length > 256) errors[`commands[${i}].description`] = 'At most 256 characters.';
  });
  if (d.kind === 'web_app' || d.kind === 'url') {
    const text = d.text.trim();
    if (!text) errors['menu_button.text'] = "Enter the button's text.";
    else if ([...text].length > 64) errors['menu_button.text'] = 'At most 64 characters.';
  }
  if (d.kind === 'url') {
    const url = d.url.trim();
    if (!url) errors['menu_button.url'] = "Enter the page's address.";
    else if (!isHttpsUrl(url)) errors['menu_button.url'] = 'Use an https:// address, e.g. https://example.com/cars.';
  }
  if (d.keyboard.length > MAX_ROWS) errors.keyboard = `At most ${MAX_ROWS} rows.`;
  d.keyboard.forEach((r, i) => {
    if (r.buttons.length === 0) errors[`keyboard[${i}]`] = 'Add a button to this row, or remove the row.';
    else if (r.buttons.length > MAX_ROW_BUTTONS) errors[`keyboard[${i}]`] = `At most ${MAX_ROW_BUTTONS} buttons in a row.`;
    r.buttons.forEach((b, j) => {
      const label = b.label.trim();
      if (!label) errors[`keyboard[${i}][${j}]`] = "Enter the button's text, or remove it.";
      else if ([...label].length > 64) errors[`keyboard[${i}][${j}]`] = 'At most 64 characters.';
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
