// WebM (Matroska) with one Opus track -> Ogg/Opus (RFC 7845), in plain
// TypeScript. Chrome's MediaRecorder only records `audio/webm;codecs=opus`,
// while Telegram plays a voice note only from OGG/Opus; the Opus packets are
// the same in both containers, so they are copied, not re-encoded.

// --- EBML ------------------------------------------------------------------

const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  Info: 0x1549a966,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  CodecDelay: 0x56aa,
  Audio: 0xe1,
  SamplingFrequency: 0xb5,
  Channels: 0x9f,
  Cluster: 0x1f43b675,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
} as const;

/** Masters whose children we read: walked into instead of skipped (their size may be "unknown"). */
const DESCEND = new Set<number>([ID.Segment, ID.Tracks, ID.TrackEntry, ID.Audio, ID.Cluster, ID.BlockGroup]);

export class RemuxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemuxError';
  }
}

/** A variable-length integer at `pos`: its value (marker bit removed unless `keepMarker`), length, and whether all its value bits are 1 ("unknown size"). */
function readVint(b: Uint8Array, pos: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } {
  if (pos >= b.length) throw new RemuxError('the recording ends in the middle of an element');
  const first = b[pos];
  let length = 1;
  let mask = 0x80;
  while (length <= 8 && !(first & mask)) {
    length += 1;
    mask >>= 1;
  }
  if (length > 8) throw new RemuxError('the recording is not a valid WebM file');
  if (pos + length > b.length) throw new RemuxError('the recording ends in the middle of an element');
  let value = keepMarker ? first : first & (mask - 1);
  let allOnes = (first & (mask - 1)) === mask - 1;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[pos + i];
    if (b[pos + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readUint(b: Uint8Array, start: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[start + i];
  return v;
}

function readFloat(b: Uint8Array, start: number, size: number): number {
  const dv = new DataView(b.buffer, b.byteOffset + start, size);
  return size === 4 ? dv.getFloat32(0) : size === 8 ? dv.getFloat64(0) : 0;
}

interface Track {
  number: number;
  codecId: string;
  codecPrivate: Uint8Array | null;
  codecDelayNs: number;
  channels: number;
  sampleRate: number;
}

/** The frames of a Block/SimpleBlock body (after the track number, timecode and flags), lacing undone. */
function unlace(b: Uint8Array, start: number, end: number, flags: number): Uint8Array[] {
  const lacing = (flags >> 1) & 3;
  if (lacing === 0) return [b.subarray(start, end)];
  let pos = start;
  const count = b[pos++] + 1;
  const sizes: number[] = [];
  if (lacing === 1) {
    // Xiph: each size is a run of 255s plus a last byte.
    for (let i = 0; i < count - 1; i++) {
      let size = 0;
      let v: number;
      do {
        v = b[pos++];
        size += v;
      } while (v === 255);
      sizes.push(size);
    }
  } else if (lacing === 3) {
    // EBML: the first size as a vint, then signed differences.
    const first = readVint(b, pos, false);
    pos += first.length;
    sizes.push(first.value);
    for (let i = 1; i < count - 1; i++) {
      const d = readVint(b, pos, false);
      pos += d.length;
      const bias = 2 ** (7 * d.length - 1) - 1;
      sizes.push(sizes[i - 1] + d.value - bias);
    }
  } else {
    // Fixed: equal sizes.
    const each = (end - pos) / count;
    if (!Number.isInteger(each)) throw new RemuxError('a block of the recording has an invalid fixed lacing');
    for (let i = 0; i < count - 1; i++) sizes.push(each);
  }
  const used = sizes.reduce((a, s) => a + s, 0);
  sizes.push(end - pos - used);
  const frames: Uint8Array[] = [];
  for (const s of sizes) {
    if (s < 0 || pos + s > end) throw new RemuxError('a block of the recording has invalid lacing');
    frames.push(b.subarray(pos, pos + s));
    pos += s;
  }
  return frames;
}

/** The Opus track and its packets, in order. */
export function parseWebmOpus(webm: Uint8Array): { track: Track; packets: Uint8Array[] } {
  const tracks: Track[] = [];
  const blocks: { track: number; frames: Uint8Array[] }[] = [];
  let current: Track | null = null;
  let pos = 0;
  if (webm.length < 4 || readUint(webm, 0, 4) !== ID.EBML) throw new RemuxError('the recording is not a WebM file');

  while (pos < webm.length) {
    const id = readVint(webm, pos, true);
    let p = pos + id.length;
    if (p >= webm.length) break; // trailing garbage (a cut-off last element)
    const size = readVint(webm, p, false);
    p += size.length;
    const bodyEnd = size.unknown ? webm.length : Math.min(p + size.value, webm.length);

    if (DESCEND.has(id.value)) {
      if (id.value === ID.TrackEntry) {
        current = { number: 0, codecId: '', codecPrivate: null, codecDelayNs: 0, channels: 1, sampleRate: 48000 };
        tracks.push(current);
      }
      pos = p; // walk into its children
      continue;
    }
    if (size.unknown) throw new RemuxError('the recording has an element of unknown size where none is allowed');

    switch (id.value) {
      case ID.TrackNumber:
        if (current) current.number = readUint(webm, p, bodyEnd - p);
        break;
      case ID.CodecID:
        if (current) current.codecId = new TextDecoder().decode(webm.subarray(p, bodyEnd)).replace(/\0+$/, '');
        break;
      case ID.CodecPrivate:
        if (current) current.codecPrivate = webm.slice(p, bodyEnd);
        break;
      case ID.CodecDelay:
        if (current) current.codecDelayNs = readUint(webm, p, bodyEnd - p);
        break;
      case ID.Channels:
        if (current) current.channels = readUint(webm, p, bodyEnd - p);
        break;
      case ID.SamplingFrequency:
        if (current) current.sampleRate = readFloat(webm, p, bodyEnd - p);
        break;
      case ID.SimpleBlock:
      case ID.Block: {
        const tn = readVint(webm, p, false);
        const headerEnd = p + tn.length + 3; // int16 relative timecode + flags
        if (headerEnd > bodyEnd) throw new RemuxError('a block of the recording is cut off');
        const flags = webm[p + tn.length + 2];
        blocks.push({ track: tn.value, frames: unlace(webm, headerEnd, bodyEnd, flags) });
        break;
      }
      default:
        break; // EBML header, SeekHead, Info, Cues, Tags, Void...: not needed
    }
    pos = bodyEnd;
  }

  const track = tracks.find((t) => t.codecId === 'A_OPUS');
  if (!track) throw new RemuxError('the recording has no Opus audio track');
  const packets = blocks.filter((b) => b.track === track.number).flatMap((b) => b.frames).filter((f) => f.length > 0);
  return { track, packets };
}

// --- Opus ------------------------------------------------------------------

/** Samples at 48 kHz in one Opus packet, from its TOC byte (RFC 6716 §3.1). */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.length === 0) return 0;
  const toc = packet[0];
  const config = toc >> 3;
  let frame: number;
  if (config < 12) frame = [480, 960, 1920, 2880][config & 3]; // SILK 10/20/40/60 ms
  else if (config < 16) frame = [480, 960][config & 1]; // Hybrid 10/20 ms
  else frame = [120, 240, 480, 960][config & 3]; // CELT 2.5/5/10/20 ms
  const code = toc & 3;
  const count = code === 0 ? 1 : code === 3 ? (packet.length > 1 ? packet[1] & 0x3f : 0) : 2;
  return frame * count;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** An `OpusHead` identification header (channel mapping family 0: mono or stereo). */
export function buildOpusHead(channels: number, preSkip: number, inputSampleRate: number): Uint8Array {
  const head = new Uint8Array(19);
  head.set(ascii('OpusHead'), 0);
  const dv = new DataView(head.buffer);
  dv.setUint8(8, 1); // version
  dv.setUint8(9, Math.min(Math.max(channels, 1), 2));
  dv.setUint16(10, preSkip, true);
  dv.setUint32(12, Math.round(inputSampleRate) || 48000, true);
  dv.setInt16(16, 0, true); // output gain
  dv.setUint8(18, 0); // mapping family
  return head;
}

export function buildOpusTags(vendor = 'Cartie webm-to-ogg'): Uint8Array {
  const v = new TextEncoder().encode(vendor);
  const tags = new Uint8Array(8 + 4 + v.length + 4);
  tags.set(ascii('OpusTags'), 0);
  const dv = new DataView(tags.buffer);
  dv.setUint32(8, v.length, true);
  tags.set(v, 12);
  dv.setUint32(12 + v.length, 0, true); // no user comments
  return tags;
}

// --- Ogg -------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** Ogg's CRC-32 (polynomial 0x04C11DB7, no reflection, initial value 0). */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]) & 0xff]) >>> 0;
  return crc >>> 0;
}

const FLAG_CONTINUED = 1;
const FLAG_BOS = 2;
const FLAG_EOS = 4;

function oggPage(packets: Uint8Array[], granule: bigint, serial: number, seq: number, flags: number): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let n = p.length; ; n -= 255) {
      if (n >= 255) lacing.push(255);
      else {
        lacing.push(n);
        break;
      }
    }
  }
  if (lacing.length > 255) throw new RemuxError('an Opus packet is too large for one Ogg page');
  const dataLen = packets.reduce((a, p) => a + p.length, 0);
  const page = new Uint8Array(27 + lacing.length + dataLen);
  const dv = new DataView(page.buffer);
  page.set(ascii('OggS'), 0);
  dv.setUint8(4, 0); // version
  dv.setUint8(5, flags);
  dv.setBigUint64(6, granule, true);
  dv.setUint32(14, serial, true);
  dv.setUint32(18, seq, true);
  dv.setUint32(22, 0, true); // CRC, filled below
  dv.setUint8(26, lacing.length);
  page.set(lacing, 27);
  let off = 27 + lacing.length;
  for (const p of packets) {
    page.set(p, off);
    off += p.length;
  }
  dv.setUint32(22, oggCrc(page), true);
  return page;
}

function lacingCount(p: Uint8Array): number {
  return Math.floor(p.length / 255) + 1;
}

export interface RemuxResult {
  ogg: Uint8Array;
  /** Audio packets written. */
  packets: number;
  /** Length in seconds, pre-skip excluded. */
  duration: number;
}

/** Turns a WebM/Opus recording into an Ogg/Opus file Telegram accepts as a voice note. */
export function webmToOgg(webm: Uint8Array, opts: { serial?: number; maxPacketsPerPage?: number } = {}): RemuxResult {
  const { track, packets } = parseWebmOpus(webm);
  if (packets.length === 0) throw new RemuxError('the recording has no audio');

  const given = track.codecPrivate;
  const head =
    given && given.length >= 19 && new TextDecoder().decode(given.subarray(0, 8)) === 'OpusHead'
      ? given
      : buildOpusHead(track.channels, Math.round((track.codecDelayNs * 48000) / 1e9), track.sampleRate);
  const preSkip = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint16(10, true);

  const serial = opts.serial ?? (Math.floor(Math.random() * 0xffffffff) >>> 0);
  const perPage = opts.maxPacketsPerPage ?? 50; // 50 × 20 ms = one page a second
  const pages: Uint8Array[] = [];
  let seq = 0;
  pages.push(oggPage([head], 0n, serial, seq++, FLAG_BOS));
  pages.push(oggPage([buildOpusTags()], 0n, serial, seq++, 0));

  let granule = 0n;
  let batch: Uint8Array[] = [];
  let segments = 0;
  const flush = (last: boolean) => {
    pages.push(oggPage(batch, granule, serial, seq++, last ? FLAG_EOS : 0));
    batch = [];
    segments = 0;
  };
  packets.forEach((p, i) => {
    const need = lacingCount(p);
    if (batch.length > 0 && (batch.length >= perPage || segments + need > 255)) flush(false);
    batch.push(p);
    segments += need;
    granule += BigInt(opusPacketSamples(p));
    if (i === packets.length - 1) flush(true);
  });

  const total = pages.reduce((a, p) => a + p.length, 0);
  const ogg = new Uint8Array(total);
  let off = 0;
  for (const p of pages) {
    ogg.set(p, off);
    off += p.length;
  }
  return { ogg, packets: packets.length, duration: Math.max(0, Number(granule) - preSkip) / 48000 };
}

// Exported for tests: the page flags.
export const OGG_FLAGS = { CONTINUED: FLAG_CONTINUED, BOS: FLAG_BOS, EOS: FLAG_EOS };
