/**
 * ITU-T G.711 μ-law (PCMU) and A-law (PCMA) by lookup table.
 *
 * The tables are computed once at module load from the reference algorithm (the classic Sun
 * g711.c, which is bit-exact with the ITU tables). Encoding indexes a table by the 14-bit
 * (μ-law) or 13-bit (A-law) linear value, since G.711 ignores the low bits of 16-bit PCM;
 * that keeps each encode table at 16 KB / 8 KB, small enough to stay in cache for a frame.
 */

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 8159;
const ULAW_SEG_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const ALAW_SEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segment(value: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= (ends[i] ?? 0)) return i;
  return ends.length;
}

/** Reference μ-law encoder for a 14-bit signed value (16-bit PCM >> 2). */
function ulawFrom14(v14: number): number {
  let v = v14;
  let mask = 0xff;
  if (v < 0) {
    v = -v;
    mask = 0x7f;
  }
  if (v > ULAW_CLIP) v = ULAW_CLIP;
  v += ULAW_BIAS >> 2;
  const seg = segment(v, ULAW_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((v >> (seg + 1)) & 0x0f)) ^ mask;
}

function ulawToLinearRef(byte: number): number {
  const u = ~byte & 0xff;
  let t = ((u & 0x0f) << 3) + ULAW_BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

/** Reference A-law encoder for a 13-bit signed value (16-bit PCM >> 3). */
function alawFrom13(v13: number): number {
  let v = v13;
  let mask = 0xd5;
  if (v < 0) {
    mask = 0x55;
    v = -v - 1;
  }
  const seg = segment(v, ALAW_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  const quant = seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f;
  return ((seg << 4) | quant) ^ mask;
}

function alawToLinearRef(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
for (let b = 0; b < 256; b++) {
  ULAW_DECODE[b] = ulawToLinearRef(b);
  ALAW_DECODE[b] = alawToLinearRef(b);
}

/** Indexed by (pcm >> 2) + 8192. */
const ULAW_ENCODE = new Uint8Array(16384);
for (let i = 0; i < 16384; i++) ULAW_ENCODE[i] = ulawFrom14(i - 8192);

/** Indexed by (pcm >> 3) + 4096. */
const ALAW_ENCODE = new Uint8Array(8192);
for (let i = 0; i < 8192; i++) ALAW_ENCODE[i] = alawFrom13(i - 4096);

/** Encodes into `out` (at least pcm.length long) and returns the part written; no allocation. */
export function pcmuEncodeInto(pcm: Int16Array, out: Uint8Array): Uint8Array {
  const n = pcm.length;
  for (let i = 0; i < n; i++) out[i] = ULAW_ENCODE[((pcm[i] ?? 0) >> 2) + 8192] ?? 0xff;
  return n === out.length ? out : out.subarray(0, n);
}

export function pcmuDecodeInto(bytes: Uint8Array, out: Int16Array): Int16Array {
  const n = bytes.length;
  for (let i = 0; i < n; i++) out[i] = ULAW_DECODE[bytes[i] ?? 0xff] ?? 0;
  return n === out.length ? out : out.subarray(0, n);
}

export function pcmaEncodeInto(pcm: Int16Array, out: Uint8Array): Uint8Array {
  const n = pcm.length;
  for (let i = 0; i < n; i++) out[i] = ALAW_ENCODE[((pcm[i] ?? 0) >> 3) + 4096] ?? 0xd5;
  return n === out.length ? out : out.subarray(0, n);
}

export function pcmaDecodeInto(bytes: Uint8Array, out: Int16Array): Int16Array {
  const n = bytes.length;
  for (let i = 0; i < n; i++) out[i] = ALAW_DECODE[bytes[i] ?? 0xd5] ?? 0;
  return n === out.length ? out : out.subarray(0, n);
}

export function pcmuEncode(pcm: Int16Array): Uint8Array {
  return pcmuEncodeInto(pcm, new Uint8Array(pcm.length));
}

export function pcmuDecode(bytes: Uint8Array): Int16Array {
  return pcmuDecodeInto(bytes, new Int16Array(bytes.length));
}

export function pcmaEncode(pcm: Int16Array): Uint8Array {
  return pcmaEncodeInto(pcm, new Uint8Array(pcm.length));
}

export function pcmaDecode(bytes: Uint8Array): Int16Array {
  return pcmaDecodeInto(bytes, new Int16Array(bytes.length));
}

/** The byte each codec uses for digital silence (what a sender fills gaps with). */
export const PCMU_SILENCE = 0xff;
export const PCMA_SILENCE = 0xd5;
