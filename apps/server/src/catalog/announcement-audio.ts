import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ANNOUNCEMENT_MAX_MS } from '@parley/contract';
import { AppError } from '../http/app-error.js';
import { wavHeader } from '../media/wav.js';

const run = promisify(execFile);

/** What the media worker plays: 8 kHz, mono, 16-bit PCM. */
const TARGET = { sampleRate: 8000, channels: 1, bits: 16 } as const;
const SOX = 'sox';
const SOX_TIMEOUT_MS = 60_000;

const PCM = 1;
const FLOAT = 3;
const ALAW = 6;
const MULAW = 7;
const EXTENSIBLE = 0xfffe;

export interface WavInfo {
  /** 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law (an extensible file's sub-format). */
  format: number;
  channels: number;
  sampleRate: number;
  bits: number;
  blockAlign: number;
  /** Where the samples start in the file, and how many bytes of them. */
  dataOffset: number;
  dataBytes: number;
  durationMs: number;
}

const invalid = (why: string) => new AppError('AUDIO_INVALID', why);

function supported(format: number, bits: number): boolean {
  if (format === PCM) return bits === 8 || bits === 16 || bits === 24 || bits === 32;
  if (format === FLOAT) return bits === 32 || bits === 64;
  if (format === ALAW || format === MULAW) return bits === 8;
  return false;
}

/**
 * Reads a RIFF/WAVE file's fmt and data chunks (others, LIST and fact, are skipped) and refuses
 * what cannot be an announcement: not a WAV, an encoding other than PCM, float, A-law or µ-law, a
 * data chunk cut short (AUDIO_INVALID), no samples (AUDIO_EMPTY), longer than ten minutes
 * (AUDIO_TOO_LONG).
 */
export function inspectWav(b: Buffer): WavInfo {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WAVE')
    throw invalid('The file is not a WAV file (RIFF/WAVE)');
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'durationMs'> | undefined;
  let at = 12;
  while (at + 8 <= b.length) {
    const id = b.toString('latin1', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    const body = at + 8;
    const available = b.length - body;
    if (id === 'fmt ') {
      if (size < 16 || size > available) throw invalid('The WAV file’s format (fmt) chunk is truncated');
      let format = b.readUInt16LE(body);
      const channels = b.readUInt16LE(body + 2);
      const sampleRate = b.readUInt32LE(body + 4);
      const blockAlign = b.readUInt16LE(body + 12);
      const bits = b.readUInt16LE(body + 14);
      if (format === EXTENSIBLE) {
        if (size < 40) throw invalid('The WAV file’s extensible format chunk is truncated');
        format = b.readUInt16LE(body + 24);
      }
      if (!supported(format, bits))
        throw invalid(
          `The WAV file's encoding (format ${format}, ${bits} bits) is not supported: use PCM, float, A-law or µ-law`,
        );
      if (channels < 1 || channels > 8)
        throw invalid(`The WAV file has ${channels} channels (1 to 8 accepted)`);
      if (sampleRate < 1000 || sampleRate > 384_000)
        throw invalid(`The WAV file's sample rate (${sampleRate} Hz) is out of range`);
      if (blockAlign !== (channels * bits) / 8) throw invalid('The WAV file’s format chunk is inconsistent');
      fmt = { format, channels, sampleRate, bits, blockAlign };
    } else if (id === 'data') {
      if (!fmt) throw invalid('The WAV file has audio data before its format (fmt) chunk');
      if (size > available)
        throw invalid(`The WAV file is truncated: its data chunk holds ${available} of ${size} bytes`);
      const frames = Math.floor(size / fmt.blockAlign);
      if (frames === 0) throw new AppError('AUDIO_EMPTY', 'The WAV file holds no audio');
      const durationMs = Math.round((frames * 1000) / fmt.sampleRate);
      if (durationMs > ANNOUNCEMENT_MAX_MS)
        throw new AppError(
          'AUDIO_TOO_LONG',
          `The announcement lasts ${Math.round(durationMs / 1000)} s; at most ${ANNOUNCEMENT_MAX_MS / 60_000} minutes are accepted`,
        );
      return { ...fmt, dataOffset: body, dataBytes: frames * fmt.blockAlign, durationMs };
    }
    at = body + size + (size & 1);
  }
  throw invalid(
    fmt ? 'The WAV file has no audio data (data chunk)' : 'The WAV file has no format (fmt) chunk',
  );
}

const isTarget = (w: WavInfo) =>
  w.format === PCM &&
  w.sampleRate === TARGET.sampleRate &&
  w.channels === TARGET.channels &&
  w.bits === TARGET.bits;

/** A plain 44-byte-header WAV of the samples (the form the media worker and recordings use). */
function canonical(b: Buffer, w: WavInfo): Buffer {
  return Buffer.concat([
    wavHeader(w.channels, w.sampleRate, w.dataBytes),
    b.subarray(w.dataOffset, w.dataOffset + w.dataBytes),
  ]);
}

/**
 * The uploaded WAV as the media worker plays it: 8 kHz mono 16-bit PCM, converted with sox
 * (run without a shell, from a file in `workDir`, with a timeout) when it is anything else.
 * Refuses what inspectWav refuses, and a file sox cannot read (AUDIO_INVALID).
 */
export async function toAnnouncementWav(
  upload: Buffer,
  workDir: string,
): Promise<{ wav: Buffer; durationMs: number }> {
  const info = inspectWav(upload);
  if (isTarget(info)) return { wav: canonical(upload, info), durationMs: info.durationMs };
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(path.join(workDir, 'sox-'));
  try {
    const input = path.join(dir, 'in.wav');
    const output = path.join(dir, 'out.wav');
    await writeFile(input, upload, { mode: 0o600 });
    const args = ['-V1', '-t', 'wav', input, '-t', 'wav'];
    args.push('-r', String(TARGET.sampleRate), '-c', String(TARGET.channels));
    args.push('-b', String(TARGET.bits), '-e', 'signed-integer', output);
    try {
      await run(SOX, args, { timeout: SOX_TIMEOUT_MS, maxBuffer: 64 * 1024 });
    } catch (err) {
      const e = err as { code?: unknown; killed?: boolean; stderr?: string };
      if (e.code === 'ENOENT' || e.killed) throw err; // the server's fault, logged as INTERNAL
      const said = (e.stderr ?? '').trim().split('\n').pop()?.replace(dir, '') ?? '';
      throw invalid(`The WAV file could not be converted${said ? `: ${said}` : ''}`);
    }
    const converted = await readFile(output);
    const out = inspectWav(converted);
    if (!isTarget(out)) throw new Error('sox did not write 8 kHz mono 16-bit PCM');
    return { wav: canonical(converted, out), durationMs: out.durationMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
