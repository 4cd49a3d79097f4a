import { useCallback, useEffect, useRef, useState } from 'react';
import { RemuxError, webmToOgg } from './webmToOgg';

const OGG = 'audio/ogg;codecs=opus';
const WEBM = 'audio/webm;codecs=opus';

/** What to record in: Ogg/Opus as is where the browser can (Firefox), else WebM/Opus to remux (Chrome). */
export function recordingMime(isTypeSupported: (t: string) => boolean): string | null {
  if (isTypeSupported(OGG)) return OGG;
  if (isTypeSupported(WEBM)) return WEBM;
  return null;
}

/** The recording as the OGG/Opus file Telegram needs for a voice note. */
export async function toOggOpus(chunks: Blob[], mime: string): Promise<Blob> {
  const blob = new Blob(chunks, { type: mime });
  if (mime.startsWith('audio/ogg')) return new Blob([blob], { type: 'audio/ogg' });
  const { ogg } = webmToOgg(new Uint8Array(await blob.arrayBuffer()));
  return new Blob([ogg as BlobPart], { type: 'audio/ogg' });
}

export type RecorderState = 'idle' | 'starting' | 'recording' | 'processing';

export interface VoiceRecorder {
  state: RecorderState;
  seconds: number;
  error: string | null;
  supported: boolean;
  start: () => Promise<void>;
  /** Stops and hands the OGG/Opus file to `onDone`. */
  stop: () => void;
  cancel: () => void;
}

function explain(e: unknown): string {
  if (e instanceof DOMException) {
    if (e.name === 'NotAllowedError' || e.name === 'SecurityError')
      return 'Microphone access was denied. Allow it in the browser to record a voice message.';
    if (e.name === 'NotFoundError') return 'No microphone was found.';
  }
  if (e instanceof RemuxError) return `The recording could not be converted for Telegram: ${e.message}.`;
  return e instanceof Error ? e.message : 'The recording failed.';
}

export function useVoiceRecorder(onDone: (file: Blob, seconds: number) => void): VoiceRecorder {
  const [state, setState] = useState<RecorderState>('idle');
  const [seconds, setSeconds] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const rec = useRef<{ recorder: MediaRecorder; stream: MediaStream; chunks: Blob[]; mime: string; cancelled: boolean; startedAt: number } | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  }, [onDone]);

  const supported =
    typeof window !== 'undefined' &&
    typeof window.MediaRecorder !== 'undefined' &&
    !!navigator.mediaDevices?.getUserMedia &&
    recordingMime((t) => MediaRecorder.isTypeSupported(t)) !== null;

  const release = useCallback(() => {
    clearInterval(timer.current);
    rec.current?.stream.getTracks().forEach((t) => t.stop());
  }, []);

  useEffect(
    () => () => {
      if (rec.current) rec.current.cancelled = true;
      if (rec.current?.recorder.state === 'recording') rec.current.recorder.stop();
      release();
    },
    [release],
  );

  const start = useCallback(async () => {
    setError(null);
    const mime = typeof MediaRecorder !== 'undefined' ? recordingMime((t) => MediaRecorder.isTypeSupported(t)) : null;
    if (!mime || !navigator.mediaDevices?.getUserMedia) {
      setError('This browser cannot record Opus audio. Attach an audio file instead.');
      return;
    }
    setState('starting');
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const recorder = new MediaRecorder(stream, { mimeType: mime, audioBitsPerSecond: 32000 });
      const r = { recorder, stream, chunks: [] as Blob[], mime, cancelled: false, startedAt: Date.now() };
      rec.current = r;
      recorder.ondataavailable = (e) => {
        if (e.data.size > 0) r.chunks.push(e.data);
      };
      recorder.onstop = () => {
        release();
        const secs = Math.round((Date.now() - r.startedAt) / 1000);
        if (r.cancelled) {
          setState('idle');
          return;
        }
        setState('processing');
        toOggOpus(r.chunks, r.mime)
          .then((file) => {
            setState('idle');
            done.current(file, secs);
          })
          .catch((e: unknown) => {
            setState('idle');
            setError(explain(e));
          });
      };
      recorder.start(250);
      setSeconds(0);
      setState('recording');
      timer.current = setInterval(() => setSeconds(Math.floor((Date.now() - r.startedAt) / 1000)), 250);
    } catch (e) {
      release();
      setState('idle');
      setError(explain(e));
    }
  }, [release]);

  const stop = useCallback(() => {
    if (rec.current?.recorder.state === 'recording') rec.current.recorder.stop();
  }, []);

  const cancel = useCallback(() => {
    if (!rec.current) return;
    rec.current.cancelled = true;
    if (rec.current.recorder.state === 'recording') rec.current.recorder.stop();
    else release();
    setState('idle');
  }, [release]);

  return { state, seconds, error, supported, start, stop, cancel };
}
