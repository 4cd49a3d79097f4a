// What can be attached in the Inbox composer, and the checks made before an
// upload starts (so a too-large file fails at once, not after a long upload).
import type { MessageKind } from '../../api/types';

/** Kinds a manager can upload from the composer. */
export type UploadKind = Extract<
  MessageKind,
  'photo' | 'video' | 'audio' | 'voice' | 'document' | 'animation' | 'sticker' | 'video_note'
>;

/** The API gateway refuses request bodies over 10 MB, whatever Telegram would take. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Telegram's own limit for photos (it is larger for the other kinds). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface AttachOption {
  kind: UploadKind;
  label: string;
  icon: string;
  /** The file picker's `accept`. */
  accept: string;
}

/** The attach menu, in order. Voice notes are recorded, not picked. */
export const ATTACH_OPTIONS: AttachOption[] = [
  { kind: 'photo', label: 'Photo', icon: '🖼️', accept: 'image/jpeg,image/png,image/webp' },
  { kind: 'video', label: 'Video', icon: '🎬', accept: 'video/mp4,video/*' },
  { kind: 'audio', label: 'Audio', icon: '🎵', accept: 'audio/mpeg,audio/mp4,audio/*' },
  { kind: 'document', label: 'Document', icon: '📄', accept: '' },
  { kind: 'animation', label: 'GIF', icon: '🎞️', accept: 'image/gif,video/mp4' },
  { kind: 'sticker', label: 'Sticker (.webp)', icon: '🏷️', accept: '.webp,image/webp' },
  { kind: 'video_note', label: 'Video message', icon: '⏺️', accept: 'video/mp4' },
];

export const KIND_NAMES: Record<UploadKind, string> = {
  photo: 'photo',
  video: 'video',
  audio: 'audio file',
  voice: 'voice message',
  document: 'document',
  animation: 'GIF',
  sticker: 'sticker',
  video_note: 'video message',
};

/** Stickers and round video messages cannot carry a caption. */
export function takesCaption(kind: UploadKind): boolean {
  return kind !== 'sticker' && kind !== 'video_note';
}

/** `12.3 MB`, `456 KB`, `12 bytes`. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Why this file cannot be sent as `kind`, or null when it can. */
export function checkUpload(kind: UploadKind, file: { size: number; name?: string; type?: string }): string | null {
  const what = KIND_NAMES[kind];
  if (file.size === 0) return `This file is empty.`;
  if (kind === 'photo' && file.size > MAX_PHOTO_BYTES) {
    return `This photo is ${formatBytes(file.size)}; Telegram accepts photos of at most 10 MB. Send it as a document, or make it smaller.`;
  }
  if (file.size > MAX_UPLOAD_BYTES) {
    return `This ${what} is ${formatBytes(file.size)}; the Inbox can upload files of at most 10 MB.`;
  }
  if (kind === 'sticker') {
    const isWebp = file.type === 'image/webp' || (file.name ?? '').toLowerCase().endsWith('.webp');
    if (!isWebp) return 'A sticker must be a .webp image.';
  }
  return null;
}
