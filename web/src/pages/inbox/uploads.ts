// What can be attached in the Inbox composer, and the checks made before an
// upload starts (so a too-large file fails at once, not after a long upload).
// The file goes to the file store, then the reply names it (`upload_id`).
import type { MessageKind } from '../../api/types';
import { i18n } from '../../i18n';
import { formatBytes } from '../../i18n/format';

export { formatBytes };

/** Kinds a manager can upload from the composer. */
export type UploadKind = Extract<
  MessageKind,
  'photo' | 'video' | 'audio' | 'voice' | 'document' | 'animation' | 'sticker' | 'video_note'
>;

/**
 * Telegram's limit for what a bot sends. Files go to the file store first
 * (straight to the bucket), so API Gateway's 10 MB request limit does not apply.
 */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Telegram's own limit for photos (it is larger for the other kinds). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface AttachOption {
  kind: UploadKind;
  /** The file picker's `accept`. */
  accept: string;
}

/** The attach menu, in order (names in `inbox:kinds`, icons in kindIcons). Voice notes are recorded, not picked. */
export const ATTACH_OPTIONS: AttachOption[] = [
  { kind: 'photo', accept: 'image/jpeg,image/png,image/webp' },
  { kind: 'video', accept: 'video/mp4,video/*' },
  { kind: 'audio', accept: 'audio/mpeg,audio/mp4,audio/*' },
  { kind: 'document', accept: '' },
  { kind: 'animation', accept: 'image/gif,video/mp4' },
  { kind: 'sticker', accept: '.webp,image/webp' },
  { kind: 'video_note', accept: 'video/mp4' },
];

/** What a kind of file is called in a sentence ("this video"). */
export function kindName(kind: UploadKind): string {
  return i18n.t(`inbox:kinds.${kind}`);
}

/** Stickers and round video messages cannot carry a caption. */
export function takesCaption(kind: UploadKind): boolean {
  return kind !== 'sticker' && kind !== 'video_note';
}

/** Why this file cannot be sent as `kind`, or null when it can. */
export function checkUpload(kind: UploadKind, file: { size: number; name?: string; type?: string }): string | null {
  const t = i18n.t.bind(i18n);
  if (file.size === 0) return t('inbox:upload.empty');
  if (kind === 'photo' && file.size > MAX_PHOTO_BYTES) return t('inbox:upload.photoTooLarge', { size: formatBytes(file.size) });
  if (file.size > MAX_UPLOAD_BYTES) {
    return t(`inbox:upload.tooLarge.${kind}`, { size: formatBytes(file.size) });
  }
  if (kind === 'sticker') {
    const isWebp = file.type === 'image/webp' || (file.name ?? '').toLowerCase().endsWith('.webp');
    if (!isWebp) return t('inbox:upload.stickerWebp');
  }
  return null;
}
