// A post as its form edits it, to and from the API's shapes, and where a
// refused field's error goes.
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { PostRequest, PostTemplateView, PostView } from '../../api/types';
import { currentLanguage, i18n } from '../../i18n';
import { canonicalZone } from '../../i18n/zones';
import { contentErrorSlot, fieldError as contentFieldError, toContent, toContentDraft, type ContentDraft } from '../campaigns/campaign';
import { addDays, MAX_AUTO_DELETE_HOURS } from './calendar';

export interface PostDraft extends ContentDraft {
  /** The channel's chat id, as the select holds it ('' = none chosen). */
  channelId: string;
  carId: string;
  /** The template the content was copied from ('' = none). */
  templateId: string;
  /** The content as the template gave it: while it is unchanged, the server fills it from the template and the car. */
  templateContent: string | null;
  /** A draft, at `sendAt`, or at the channel's next free posting slot (`queue`). */
  when: 'draft' | 'schedule' | 'queue';
  /** `2026-12-08T10:00` in `timeZone`. */
  sendAt: string;
  timeZone: string;
  autoDelete: boolean;
  autoDeleteHours: string;
}

export interface Prefill {
  car?: string | null;
  /** A day (`2026-12-08`) the post goes on, at 10:00. */
  date?: string | null;
  channel?: string | null;
}

/** The form for a saved post, or a new one (tomorrow at 10:00 in the workspace's zone, or at 10:00 on `prefill.date`). */
export function toPostDraft(v: PostView | null, zone: string, todayKey: string, prefill: Prefill = {}): PostDraft {
  const hours = v?.auto_delete_hours ?? null;
  return {
    ...toContentDraft(v?.content),
    channelId: v ? String(v.channel_id) : (prefill.channel ?? ''),
    carId: v ? (v.car_id ?? '') : (prefill.car ?? ''),
    templateId: '',
    templateContent: null,
    when: v && !v.send_at ? 'draft' : 'schedule',
    sendAt: v?.send_at?.slice(0, 16) ?? `${prefill.date ?? addDays(todayKey, 1)}T10:00`,
    timeZone: canonicalZone(v?.time_zone || zone),
    autoDelete: hours !== null && hours >= 1,
    autoDeleteHours: hours !== null && hours >= 1 ? String(hours) : '24',
  };
}

/** The content of `tpl` copied into the form, remembered so that an unchanged copy is sent as the template. */
export function withTemplate(d: PostDraft, tpl: PostTemplateView | null): PostDraft {
  if (!tpl) return { ...d, templateId: '', templateContent: null };
  const content = toContentDraft(tpl.content);
  return { ...d, ...content, templateId: tpl.id, templateContent: JSON.stringify(toContent(content)) };
}

/** Whether the content is still the template's as copied (then the server fills it from the template and the car). */
export const fromTemplate = (d: PostDraft) => !!d.templateId && d.templateContent === JSON.stringify(toContent(d));

/** Why the form cannot be sent as it is (by slot), or nothing. */
export function checkPost(d: PostDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!d.channelId) errors.channel = i18n.t('calendar:form.errors.channel');
  if (d.when === 'schedule' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(d.sendAt)) errors.sendAt = i18n.t('calendar:form.errors.sendAt');
  if (d.autoDelete) {
    const h = Number(d.autoDeleteHours);
    if (!Number.isInteger(h) || h < 1 || h > MAX_AUTO_DELETE_HOURS) errors.autoDelete = i18n.t('calendar:form.errors.autoDelete', { max: MAX_AUTO_DELETE_HOURS });
  }
  return errors;
}

export function toPostRequest(d: PostDraft): PostRequest {
  return {
    channel_id: Number(d.channelId),
    content: toContent(d),
    template_id: fromTemplate(d) ? d.templateId : null,
    car_id: d.carId || null,
    send_at: d.when === 'schedule' ? d.sendAt.slice(0, 16) : null,
    time_zone: d.timeZone,
    auto_delete_hours: d.autoDelete ? Number(d.autoDeleteHours) : null,
    // The server picks the time: the channel's next slot no other post has taken.
    ...(d.when === 'queue' ? { queue: true } : {}),
  };
}

const SLOTS: Record<string, string> = {
  content: 'text',
  channel_id: 'channel',
  car_id: 'car',
  template_id: 'template',
  send_at: 'sendAt',
  time_zone: 'timeZone',
  auto_delete_hours: 'autoDelete',
  queue: 'queue',
  name: 'name',
};

const REVERSE: Record<string, true> = Object.fromEntries(Object.values(SLOTS).filter((s) => s !== 'text').map((s) => [s, true]));

/** Where a refused field's error shows on a post's or a template's form; null: above the form. */
export function postErrorSlot(field: string | null, d: ContentDraft): string | null {
  if (!field) return null;
  return SLOTS[field] ?? contentErrorSlot(field, d);
}

/** A refused field's message: the server's words in English, a sentence of ours about that field otherwise. */
export function postFieldError(e: ApiError, slot: string): string {
  if (!(slot in REVERSE)) return contentFieldError(e, slot);
  if (currentLanguage() === 'en') return errorMessage(e);
  return i18n.t(`calendar:fieldErrors.${slot}`);
}
