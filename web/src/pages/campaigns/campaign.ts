// A campaign as the composer edits it (the draft), to and from the API's
// shapes, Telegram's limits the server checks, and where a refused field's
// error goes on the form.
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { ButtonAction, CampaignContent, CampaignRequest, CampaignStatus, CampaignView, RecipientOutcome } from '../../api/types';
import { currentLanguage, i18n, mark } from '../../i18n';
import { browserZone, canonicalZone } from '../../i18n/zones';

export const STATUSES: CampaignStatus[] = ['draft', 'scheduled', 'starting', 'running', 'paused', 'cancelled', 'finished'];
export const OUTCOMES: RecipientOutcome[] = ['pending', 'sent', 'failed', 'blocked', 'unknown'];
export const ACTIONS: ButtonAction[] = ['url', 'mini_app', 'scenario'];
/** Every contact has these; a scenario's answers (`{budget}`) work too. */
export const VARIABLES = ['first_name', 'last_name', 'name', 'username', 'phone'] as const;

// Telegram's limits, as the server checks them.
export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;
export const MAX_BUTTONS = 10;
export const MAX_BUTTON_TEXT = 64;
export const MAX_ALBUM = 10;
export const MAX_NAME = 120;
export const MAX_BOTS = 10;
/** What a bot may send (the file store's limit for attachments), and Telegram's smaller one for photos. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** The composer is shown while a campaign can still be changed. */
export const isEditable = (s: CampaignStatus | undefined) => s === 'draft' || s === 'scheduled';
/** Sending, or about to: the page asks for its progress every second. */
export const isLive = (s: CampaignStatus | undefined) => s === 'starting' || s === 'running';
/** Over: it can be deleted, never sent again. */
export const isOver = (s: CampaignStatus | undefined) => s === 'cancelled' || s === 'finished';
/** Under way: scheduled, sending or paused (what the dashboard counts as active, the list's `?status=active`). */
export const isActive = (s: CampaignStatus | undefined) => s === 'scheduled' || s === 'starting' || s === 'running' || s === 'paused';

/** The list's status filter (`?status=`): the active ones, or one status; '' for all. */
export type StatusFilter = '' | 'active' | CampaignStatus;

export function statusFilterOf(v: string | null | undefined): StatusFilter {
  if (v === 'active') return v;
  return STATUSES.find((s) => s === v) ?? '';
}

export function matchesStatus(filter: StatusFilter, s: CampaignStatus): boolean {
  return filter === '' || (filter === 'active' ? isActive(s) : s === filter);
}

/** The kinds a campaign's media can be. */
export type MediaKind = 'photo' | 'video' | 'document' | 'animation' | 'audio';
/** The three pickers: what the dealer means to send. */
export type PickKind = 'photo' | 'video' | 'document';

export interface MediaItem {
  /** Keeps the row (and its preview) while others come and go. */
  key: number;
  kind: MediaKind;
  name: string;
  status: 'uploading' | 'ready' | 'failed';
  /** 0..1 of the bytes sent. */
  progress: number;
  /** The file store's id, once ready. */
  uploadId?: string;
  /** A local preview of a picked picture (blob: URL). */
  preview?: string;
  /** The picked file, kept to try again. */
  file?: File;
  error?: string;
}

export interface ButtonDraft {
  key: number;
  text: string;
  action: ButtonAction;
  url: string;
  scenarioId: string;
}

/** A message as the content editor edits it: text, media, buttons (campaigns, channel posts and their templates). */
export interface ContentDraft {
  text: string;
  media: MediaItem[];
  buttons: ButtonDraft[];
}

export interface Draft extends ContentDraft {
  name: string;
  /** '' = every contact. */
  segmentId: string;
  botIds: number[];
  paidBotIds: number[];
  when: 'now' | 'schedule';
  /** `2026-12-08T09:30` (a datetime-local input's value), in `timeZone`. */
  sendAt: string;
  timeZone: string;
  quiet: boolean;
  quietFrom: number;
  quietTo: number;
}

let lastKey = 0;
export const nextKey = () => ++lastKey;

export function newButton(): ButtonDraft {
  return { key: nextKey(), text: '', action: 'url', url: '', scenarioId: '' };
}

const MEDIA_KINDS: MediaKind[] = ['photo', 'video', 'document', 'animation', 'audio'];
const asMediaKind = (k: string): MediaKind => (MEDIA_KINDS as string[]).includes(k) ? (k as MediaKind) : 'document';

/** The editor's form of saved content (media already uploaded, buttons with keys). */
export function toContentDraft(c: CampaignContent | null | undefined): ContentDraft {
  return {
    text: c?.text ?? '',
    media: (c?.media ?? []).map((m) => ({
      key: nextKey(),
      kind: asMediaKind(m.kind),
      name: '',
      status: 'ready',
      progress: 1,
      uploadId: m.upload_id,
    })),
    buttons: (c?.buttons ?? []).map((b) => ({ key: nextKey(), text: b.text, action: b.action, url: b.url ?? '', scenarioId: b.scenario_id ?? '' })),
  };
}

/** The form for `v` (a saved campaign), or an empty one in the browser's time zone. */
export function toDraft(v: CampaignView | null, zone: string = canonicalZone(browserZone())): Draft {
  return {
    name: v?.name ?? '',
    ...toContentDraft(v?.content),
    segmentId: v?.segment_id ?? '',
    botIds: v?.bot_ids ?? [],
    paidBotIds: v?.paid_bot_ids ?? [],
    when: v?.send_at ? 'schedule' : 'now',
    sendAt: (v?.send_at ?? '').slice(0, 16),
    timeZone: v?.time_zone || zone,
    quiet: !!v?.quiet_hours,
    quietFrom: v?.quiet_hours?.from ?? 21,
    quietTo: v?.quiet_hours?.to ?? 9,
  };
}

/** The media the request names: ready uploads, in order (a refused index points into this list). */
export const sentMedia = (d: ContentDraft) => d.media.filter((m) => m.status === 'ready' && m.uploadId);

/** The content as the API takes it. */
export function toContent(d: ContentDraft): CampaignContent {
  return {
    text: d.text,
    media: sentMedia(d).map((m) => ({ upload_id: m.uploadId!, kind: m.kind })),
    buttons: d.buttons.map((b) =>
      b.action === 'scenario' ? { text: b.text, action: b.action, scenario_id: b.scenarioId } : { text: b.text, action: b.action, url: b.url.trim() },
    ),
  };
}

export function toRequest(d: Draft): CampaignRequest {
  return {
    name: d.name.trim(),
    content: toContent(d),
    segment_id: d.segmentId || null,
    bot_ids: d.botIds,
    paid_bot_ids: d.paidBotIds.filter((id) => d.botIds.includes(id)),
    send_at: d.when === 'schedule' ? d.sendAt : null,
    time_zone: d.timeZone,
    quiet_hours: d.quiet ? { from: d.quietFrom, to: d.quietTo } : null,
  };
}

/** The most characters the text may have: a caption is shorter. */
export const textLimit = (d: ContentDraft) => (d.media.length > 0 ? MAX_CAPTION : MAX_TEXT);

/** Several photos or videos go as an album, which Telegram shows without buttons. */
export const isAlbum = (d: ContentDraft) => d.media.length > 1;

/** The kind a picked file is sent as: a GIF picked as a photo moves (an animation). */
export function kindOf(file: { type: string; name: string }, picked: PickKind): MediaKind {
  if (picked === 'photo' && (file.type === 'image/gif' || file.name.toLowerCase().endsWith('.gif'))) return 'animation';
  return picked;
}

/**
 * Where the error of a refused content field (`content.text`,
 * `content.media[1]`, `content.buttons[0].url`…) is shown: `text`,
 * `media:<key>`, `button:<key>:url`…; null when `field` is not about content.
 */
export function contentErrorSlot(field: string, d: ContentDraft): string | null {
  if (field === 'content.text') return 'text';
  const media = /^content\.media(?:\[(\d+)\])?/.exec(field);
  if (media) {
    const item = media[1] === undefined ? undefined : sentMedia(d)[Number(media[1])];
    return item ? `media:${item.key}` : 'media';
  }
  const button = /^content\.buttons\[(\d+)\]\.(text|url|scenario_id)$/.exec(field);
  if (button) {
    const b = d.buttons[Number(button[1])];
    return b ? `button:${b.key}:${button[2] === 'scenario_id' ? 'scenario' : button[2]}` : 'buttons';
  }
  if (field.startsWith('content.buttons')) return 'buttons';
  return null;
}

/**
 * Where the error of a refused `field` is shown: a slot of the form
 * (`text`, `media:<key>`, `button:<key>:url`…), or null for the message
 * above the form.
 */
export function errorSlot(field: string | null, d: Draft): string | null {
  if (!field) return null;
  if (field === 'name') return 'name';
  const content = contentErrorSlot(field, d);
  if (content) return content;
  if (field === 'segment_id') return 'segment';
  if (field === 'bot_ids' || field === 'paid_bot_ids') return 'bots';
  if (field === 'send_at') return 'sendAt';
  if (field === 'time_zone') return 'timeZone';
  if (field.startsWith('quiet_hours')) return 'quiet';
  return null;
}

/** The kind of slot (`button:7:url` → `buttonUrl`): what its message in another language says. */
function slotKind(slot: string): string {
  if (slot.startsWith('media')) return 'media';
  const b = /^button:\d+:(\w+)$/.exec(slot);
  if (b) return `button${b[1].charAt(0).toUpperCase()}${b[1].slice(1)}`;
  return slot;
}

/**
 * A refused field's message beside it: the server's own words in English
 * (they name the limit), a sentence of ours about that field otherwise.
 */
export function fieldError(e: ApiError, slot: string): string {
  if (currentLanguage() === 'en') return errorMessage(e);
  return i18n.t(`campaigns:fieldErrors.${slotKind(slot)}`);
}

/** `2026-12-08T09:30` as the user's language writes a date and time (the wall clock as it is: no zone change). */
export function formatWallClock(local: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local ?? '');
  if (!m) return local ?? '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
  return mark(new Intl.DateTimeFormat(currentLanguage(), { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }).format(d));
}

/** An hour of the day, `08:00`. */
export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** A length of time in the largest unit that fits (`45 sec`, `3 min`, `2 hr`), in the user's language. */
export function formatDuration(seconds: number): string {
  const unit = seconds < 90 ? 'second' : seconds < 90 * 60 ? 'minute' : 'hour';
  const value = unit === 'second' ? Math.max(1, Math.round(seconds)) : unit === 'minute' ? Math.round(seconds / 60) : Math.round(seconds / 360) / 10;
  return mark(new Intl.NumberFormat(currentLanguage(), { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value));
}

/** The current hour in `zone` (0-23), for a quiet-hours note. */
export function hourIn(zone: string, now = new Date()): number | null {
  try {
    const h = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(now);
    return Number(h);
  } catch {
    return null;
  }
}

/** Whether `hour` falls in quiet hours `from`→`to` (22 → 8 spans midnight), as the sender decides. */
export function inQuietHours(hour: number, from: number, to: number): boolean {
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}
