import { describe, expect, it } from 'vitest';
import { recordingMime } from '../../voice/useVoiceRecorder';
import { checkUpload, formatBytes, MAX_UPLOAD_BYTES, takesCaption } from './uploads';

const MB = 1024 * 1024;

describe('upload guard', () => {
  it("accepts files up to Telegram's limits (10 MB photos, 50 MB otherwise)", () => {
    expect(checkUpload('photo', { size: 10 * MB, name: 'a.jpg', type: 'image/jpeg' })).toBeNull();
    expect(checkUpload('video', { size: MAX_UPLOAD_BYTES, name: 'a.mp4' })).toBeNull();
    expect(checkUpload('document', { size: 1, name: 'a.pdf' })).toBeNull();
  });

  it("names Telegram's photo limit for a large photo", () => {
    expect(checkUpload('photo', { size: 10 * MB + 1, name: 'a.jpg' })).toMatch(/photo is 10\.0 MB; Telegram accepts photos of at most 10 MB/);
  });

  it('names the upload limit for every other kind', () => {
    expect(checkUpload('video', { size: 25 * MB, name: 'a.mp4' })).toBeNull();
    expect(checkUpload('video', { size: 51 * MB, name: 'a.mp4' })).toBe(
      "This video is 51.0 MB; the Inbox can upload files of at most 50 MB (Telegram's limit for bots).",
    );
    expect(checkUpload('document', { size: 60 * MB, name: 'a.zip' })).toMatch(/document is 60\.0 MB/);
    expect(checkUpload('voice', { size: 51 * MB, name: 'voice.ogg' })).toMatch(/voice message/);
  });

  it('refuses empty files and stickers that are not .webp', () => {
    expect(checkUpload('audio', { size: 0, name: 'a.mp3' })).toMatch(/empty/);
    expect(checkUpload('sticker', { size: 10, name: 'smile.png', type: 'image/png' })).toMatch(/\.webp/);
    expect(checkUpload('sticker', { size: 10, name: 'smile.WEBP', type: '' })).toBeNull();
  });

  it('knows which kinds take a caption', () => {
    expect(takesCaption('photo')).toBe(true);
    expect(takesCaption('voice')).toBe(true);
    expect(takesCaption('sticker')).toBe(false);
    expect(takesCaption('video_note')).toBe(false);
  });

  it('formats sizes', () => {
    expect(formatBytes(12)).toBe('12 bytes');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(12.34 * MB)).toBe('12.3 MB');
  });
});

describe('voice recording format', () => {
  it('records Ogg/Opus where the browser can, else WebM/Opus to remux, else nothing', () => {
    expect(recordingMime((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus');
    expect(recordingMime((t) => t === 'audio/webm;codecs=opus')).toBe('audio/webm;codecs=opus');
    expect(recordingMime(() => false)).toBeNull();
  });
});
