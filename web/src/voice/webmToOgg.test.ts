import { describe, expect, it } from 'vitest';
import { buildOpusHead, opusPacketSamples, parseWebmOpus, RemuxError, webmToOgg } from './webmToOgg';

// --- a tiny EBML writer, to build WebM fixtures the way MediaRecorder does ---

function vintSize(n: number): number[] {
  for (let len = 1; len <= 8; len++) {
    if (n < 2 ** (7 * len) - 1) {
      const out: number[] = [];
      let v = n;
      for (let i = 0; i < len; i++) {
        out.unshift(v % 256);
        v = Math.floor(v / 256);
      }
      out[0] |= 0x80 >> (len - 1);
      return out;
    }
  }
  throw new Error('too big');
}
const UNKNOWN = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function idBytes(id: number): number[] {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return out;
}
function el(id: number, body: number[] | Uint8Array, unknownSize = false): number[] {
  const b = Array.from(body);
  return [...idBytes(id), ...(unknownSize ? UNKNOWN : vintSize(b.length)), ...b];
}
const uint = (n: number, bytes = 1) => Array.from({ length: bytes }, (_, i) => (n >> (8 * (bytes - 1 - i))) & 0xff);
const str = (s: string) => Array.from(new TextEncoder().encode(s));
const float64 = (f: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, f);
  return Array.from(b);
};

/** An Opus packet: TOC 0xF8 = CELT fullband 20 ms, one frame (960 samples), then filler. */
function packet(i: number, size = 40): number[] {
  return [0xf8, ...Array.from({ length: size - 1 }, (_, j) => (i * 7 + j) & 0xff)];
}
function simpleBlock(track: number, timecode: number, frame: number[]): number[] {
  return el(0xa3, [...vintSize(track), ...uint(timecode, 2), 0x80, ...frame]);
}

function webm({ codecPrivate = true, packets = 7 }: { codecPrivate?: boolean; packets?: number } = {}): Uint8Array {
  const head = buildOpusHead(1, 312, 48000);
  const trackEntry = el(0xae, [
    ...el(0xd7, [1]), // TrackNumber
    ...el(0x73c5, uint(12345, 2)), // TrackUID
    ...el(0x86, str('A_OPUS')), // CodecID
    ...(codecPrivate ? el(0x63a2, head) : el(0x56aa, uint(6_500_000, 4))), // CodecPrivate, or CodecDelay 6.5 ms
    ...el(0x83, [2]), // TrackType audio
    ...el(0xe1, [...el(0xb5, float64(48000)), ...el(0x9f, [1])]), // Audio
  ]);
  const videoEntry = el(0xae, [...el(0xd7, [2]), ...el(0x86, str('V_VP8'))]);
  const firstHalf = Math.ceil(packets / 2);
  const cluster1 = el(
    0x1f43b675,
    [
      ...el(0xe7, [0]), // Timecode
      ...Array.from({ length: firstHalf }, (_, i) => simpleBlock(1, i * 20, packet(i))).flat(),
      ...simpleBlock(2, 0, [1, 2, 3]), // a block of another track: ignored
    ],
    true,
  );
  const cluster2 = el(
    0x1f43b675,
    [
      ...el(0xe7, uint(firstHalf * 20, 2)),
      ...Array.from({ length: packets - firstHalf }, (_, i) =>
        // One in a BlockGroup, the way some muxers write the last frame.
        i === 0
          ? el(0xa0, el(0xa1, [...vintSize(1), ...uint(0, 2), 0x00, ...packet(firstHalf + i, 300)]))
          : simpleBlock(1, i * 20, packet(firstHalf + i)),
      ).flat(),
    ],
    true,
  );
  return new Uint8Array([
    ...el(0x1a45dfa3, [...el(0x4286, [1]), ...el(0x4282, str('webm'))]), // EBML header
    ...el(
      0x18538067,
      [
        ...el(0x1549a966, [...el(0x2ad7b1, uint(1_000_000, 3)), ...el(0x4d80, str('Chrome'))]), // Info
        ...el(0x1654ae6b, [...trackEntry, ...videoEntry]), // Tracks
        ...cluster1,
        ...cluster2,
      ],
      true,
    ),
  ]);
}

// --- an independent Ogg reader (bitwise CRC, not the module's table) ---

function crcBitwise(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    crc >>>= 0;
  }
  return crc >>> 0;
}

interface Page {
  flags: number;
  granule: bigint;
  serial: number;
  seq: number;
  crcOk: boolean;
  packets: Uint8Array[];
}

function readOgg(b: Uint8Array): Page[] {
  const pages: Page[] = [];
  let pos = 0;
  while (pos < b.length) {
    expect(String.fromCharCode(...b.subarray(pos, pos + 4))).toBe('OggS');
    const dv = new DataView(b.buffer, b.byteOffset + pos);
    const nseg = b[pos + 26];
    const lacing = Array.from(b.subarray(pos + 27, pos + 27 + nseg));
    const len = 27 + nseg + lacing.reduce((a, x) => a + x, 0);
    const raw = b.slice(pos, pos + len);
    const stored = new DataView(raw.buffer).getUint32(22, true);
    new DataView(raw.buffer).setUint32(22, 0, true);
    const packets: Uint8Array[] = [];
    let off = pos + 27 + nseg;
    let size = 0;
    for (const l of lacing) {
      size += l;
      if (l < 255) {
        packets.push(b.subarray(off, off + size));
        off += size;
        size = 0;
      }
    }
    pages.push({
      flags: dv.getUint8(5),
      granule: dv.getBigUint64(6, true),
      serial: dv.getUint32(14, true),
      seq: dv.getUint32(18, true),
      crcOk: crcBitwise(raw) === stored,
      packets,
    });
    pos += len;
  }
  return pages;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('webmToOgg', () => {
  it('remuxes the Opus track of a WebM recording into valid Ogg pages', () => {
    const { ogg, packets, duration } = webmToOgg(webm({ packets: 7 }), { serial: 0x1234, maxPacketsPerPage: 3 });
    expect(text(ogg.subarray(0, 4))).toBe('OggS');
    // What the server checks before it accepts a voice note.
    expect(text(ogg.subarray(28, 36))).toBe('OpusHead');
    expect(text(ogg)).toContain('OpusTags');
    expect(packets).toBe(7);

    const pages = readOgg(ogg);
    expect(pages.every((p) => p.crcOk)).toBe(true);
    expect(pages.every((p) => p.serial === 0x1234)).toBe(true);
    expect(pages.map((p) => p.seq)).toEqual(pages.map((_, i) => i));
    // OpusHead alone on the first (BOS) page, OpusTags alone on the second.
    expect(pages[0].flags).toBe(2);
    expect(pages[0].packets).toHaveLength(1);
    expect(text(pages[0].packets[0].subarray(0, 8))).toBe('OpusHead');
    expect(pages[1].packets).toHaveLength(1);
    expect(text(pages[1].packets[0].subarray(0, 8))).toBe('OpusTags');
    expect(pages[0].granule).toBe(0n);
    expect(pages[1].granule).toBe(0n);

    // 7 audio packets over pages of at most 3; the other track's block left out.
    const audio = pages.slice(2);
    expect(audio.map((p) => p.packets.length)).toEqual([3, 3, 1]);
    expect(audio.flatMap((p) => p.packets).map((p) => p[0])).toEqual(Array(7).fill(0xf8));
    // The 300-byte packet (from the BlockGroup) spans two lacing values and survives intact.
    expect(audio.flatMap((p) => p.packets).map((p) => p.length)).toEqual([40, 40, 40, 40, 300, 40, 40]);
    // Granule positions: samples at 48 kHz up to the end of each page.
    expect(audio.map((p) => p.granule)).toEqual([2880n, 5760n, 6720n]);
    expect(audio[2].flags).toBe(4); // EOS on the last page only
    expect(audio.slice(0, 2).every((p) => p.flags === 0)).toBe(true);
    // The pre-skip of the recording's own OpusHead is kept.
    expect(new DataView(pages[0].packets[0].buffer, pages[0].packets[0].byteOffset).getUint16(10, true)).toBe(312);
    expect(duration).toBeCloseTo((6720 - 312) / 48000, 5);
  });

  it('builds an OpusHead when the track has no CodecPrivate', () => {
    const { ogg } = webmToOgg(webm({ codecPrivate: false, packets: 2 }));
    const pages = readOgg(ogg);
    const head = pages[0].packets[0];
    expect(text(head.subarray(0, 8))).toBe('OpusHead');
    const dv = new DataView(head.buffer, head.byteOffset);
    expect(head[8]).toBe(1); // version
    expect(head[9]).toBe(1); // mono
    expect(dv.getUint16(10, true)).toBe(312); // 6.5 ms CodecDelay at 48 kHz
    expect(dv.getUint32(12, true)).toBe(48000);
    expect(pages.every((p) => p.crcOk)).toBe(true);
    expect(pages.slice(2).flatMap((p) => p.packets)).toHaveLength(2);
  });

  it('reads the frame count and duration of Opus packets from the TOC byte', () => {
    expect(opusPacketSamples(Uint8Array.of(0xf8))).toBe(960); // CELT 20 ms
    expect(opusPacketSamples(Uint8Array.of(0xf9))).toBe(1920); // two frames
    expect(opusPacketSamples(Uint8Array.of(0x08))).toBe(960); // SILK 20 ms
    expect(opusPacketSamples(Uint8Array.of(0x18))).toBe(2880); // SILK 60 ms
    expect(opusPacketSamples(Uint8Array.of(0x78))).toBe(960); // Hybrid 20 ms
    expect(opusPacketSamples(Uint8Array.of(0xf3, 0x03))).toBe(3 * 480); // code 3: 3 × CELT 10 ms
  });

  it('refuses what is not a WebM with Opus audio', () => {
    expect(() => webmToOgg(new TextEncoder().encode('OggS not webm'))).toThrow(RemuxError);
    const noOpus = new Uint8Array([
      ...el(0x1a45dfa3, el(0x4282, str('webm'))),
      ...el(0x18538067, el(0x1654ae6b, el(0xae, [...el(0xd7, [1]), ...el(0x86, str('A_VORBIS'))])), true),
    ]);
    expect(() => parseWebmOpus(noOpus)).toThrow(/no Opus audio track/);
    expect(() => webmToOgg(webm({ packets: 0 }))).toThrow(/no audio/);
  });
});
