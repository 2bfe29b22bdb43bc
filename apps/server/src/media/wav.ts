/**
 * Streaming WAV (RIFF, PCM 16-bit little-endian) writer and a reader.
 *
 * The writer puts a 44-byte header with zero sizes first, streams PCM as it comes (batched into
 * 16 KB writes, so a recording costs one syscall a second rather than one per frame) and patches
 * the RIFF and data sizes on close. A recording cut short by a crash is still readable: the
 * reader, like sox, takes a zero or oversized data length to mean "to the end of the file".
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { endianness } from 'node:os';

const HEADER_BYTES = 44;
const CHUNK_BYTES = 16384;
const LITTLE_ENDIAN = endianness() === 'LE';

export function wavHeader(channels: number, sampleRate: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export interface WavSummary {
  path: string;
  /** Samples per channel. */
  samples: number;
  durationMs: number;
}

export class WavWriter {
  private chunk = new ArrayBuffer(CHUNK_BYTES);
  private chunkSamples = new Int16Array(this.chunk);
  private used = 0;
  private dataBytes = 0;
  private error: Error | undefined;
  private closing: Promise<WavSummary> | undefined;

  private constructor(
    readonly path: string,
    readonly channels: 1 | 2,
    readonly sampleRate: number,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (err) => {
      this.error ??= err;
    });
  }

  static async open(path: string, options: { channels: 1 | 2; sampleRate?: number }): Promise<WavWriter> {
    const sampleRate = options.sampleRate ?? 8000;
    const stream = createWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    stream.write(wavHeader(options.channels, sampleRate, 0));
    return new WavWriter(path, options.channels, sampleRate, stream);
  }

  /** Appends samples (interleaved L,R for stereo); copied, so the caller may reuse the frame. */
  write(frame: Int16Array): void {
    if (this.closing) throw new Error(`WAV ${this.path} is closed`);
    if (this.error) throw this.error;
    if (frame.length % this.channels !== 0)
      throw new RangeError('stereo frames need an even number of samples');
    let at = 0;
    while (at < frame.length) {
      const room = this.chunkSamples.length - this.used;
      const take = Math.min(room, frame.length - at);
      this.chunkSamples.set(frame.subarray(at, at + take), this.used);
      this.used += take;
      at += take;
      if (this.used === this.chunkSamples.length) this.flush();
    }
  }

  /** Flushes, patches the sizes, closes; later calls return the same result. */
  close(): Promise<WavSummary> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private flush(): void {
    if (this.used === 0) return;
    // Hand the chunk to the stream and start a new one, instead of copying it.
    const bytes = Buffer.from(this.chunk, 0, this.used * 2);
    if (!LITTLE_ENDIAN) bytes.swap16();
    this.stream.write(bytes);
    this.dataBytes += this.used * 2;
    this.chunk = new ArrayBuffer(CHUNK_BYTES);
    this.chunkSamples = new Int16Array(this.chunk);
    this.used = 0;
  }

  private async finish(): Promise<WavSummary> {
    this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.error) throw this.error;
    const file = await open(this.path, 'r+');
    try {
      const sizes = Buffer.alloc(4);
      sizes.writeUInt32LE(36 + this.dataBytes, 0);
      await file.write(sizes, 0, 4, 4);
      sizes.writeUInt32LE(this.dataBytes, 0);
      await file.write(sizes, 0, 4, 40);
    } finally {
      await file.close();
    }
    const samples = this.dataBytes / 2 / this.channels;
    return { path: this.path, samples, durationMs: (samples * 1000) / this.sampleRate };
  }
}

export interface WavData {
  sampleRate: number;
  channels: number;
  /** Interleaved for more than one channel. */
  samples: Int16Array;
}

export async function readWav(path: string): Promise<WavData> {
  const buf = await readFile(path);
  try {
    return parseWav(buf);
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Parses a RIFF WAVE file in memory, walking its chunks (LIST, fact, ... are skipped). */
export function parseWav(buf: Uint8Array): WavData {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF WAVE file');
  }
  let format: { channels: number; sampleRate: number } | undefined;
  let at = 12;
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > b.length) throw new Error('truncated fmt chunk');
      let tag = b.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (tag === 0xfffe && size >= 40 && body + 26 <= b.length) tag = b.readUInt16LE(body + 24);
      const channels = b.readUInt16LE(body + 2);
      const bits = b.readUInt16LE(body + 14);
      if (tag !== 1 || bits !== 16) {
        throw new Error(`unsupported WAV format (tag ${tag}, ${bits} bits): only 16-bit PCM is supported`);
      }
      if (channels < 1) throw new Error('WAV has no channels');
      format = { channels, sampleRate: b.readUInt32LE(body + 4) };
    } else if (id === 'data') {
      if (!format) throw new Error('data chunk before fmt chunk');
      // Zero or oversized: an unfinished recording; take what is there, whole frames only.
      const available = b.length - body;
      const bytes = size === 0 || size > available ? available : size;
      const frameBytes = 2 * format.channels;
      const count = Math.floor(bytes / frameBytes) * format.channels;
      const samples = new Int16Array(count);
      const copy = Buffer.from(samples.buffer);
      b.copy(copy, 0, body, body + count * 2);
      if (!LITTLE_ENDIAN) copy.swap16();
      return { ...format, samples };
    }
    at = body + size + (size & 1); // chunks are padded to an even length
  }
  throw new Error(format ? 'no data chunk' : 'no fmt chunk');
}
