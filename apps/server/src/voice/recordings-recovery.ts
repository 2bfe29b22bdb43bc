import { open } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';

/** Sizes a WAV written by WavWriter holds: a 44-byte header, then 16-bit PCM. */
const HEADER_BYTES = 44;

/**
 * What a crash left of a recording: the samples on disk, but a header whose sizes were never
 * patched. Patches them, so the file plays to its end, and returns its length in ms (null when
 * the file is missing or is no WAV of ours).
 */
export async function finishWav(file: string): Promise<number | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r+');
  } catch {
    return null;
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES || header.toString('ascii', 0, 4) !== 'RIFF') return null;
    const channels = header.readUInt16LE(22);
    const sampleRate = header.readUInt32LE(24);
    if (channels < 1 || sampleRate < 1) return null;
    const { size } = await handle.stat();
    const frameBytes = 2 * channels;
    const dataBytes = Math.floor((size - HEADER_BYTES) / frameBytes) * frameBytes;
    const sizes = Buffer.alloc(4);
    sizes.writeUInt32LE(36 + dataBytes, 0);
    await handle.write(sizes, 0, 4, 4);
    sizes.writeUInt32LE(dataBytes, 0);
    await handle.write(sizes, 0, 4, 40);
    return Math.round(((dataBytes / frameBytes) * 1000) / sampleRate);
  } finally {
    await handle.close();
  }
}

/**
 * At start: recordings under this data folder still open were cut by a crash (a clean stop
 * closes every one). Each gets its end, duration and last segment's stop from the file.
 */
export async function closeLeftRecordings(
  db: Db,
  dataDir: string,
  clock: Clock,
  log: FastifyBaseLogger,
): Promise<number> {
  const root = path.join(dataDir, 'recordings') + path.sep;
  const open = await db
    .selectFrom('recordings')
    .select(['id', 'path', 'started_at', 'segments'])
    .where('ended_at', 'is', null)
    .where('path', 'like', `${root.replace(/[\\%_]/g, '\\$&')}%`)
    .execute();
  for (const rec of open) {
    const durationMs = await finishWav(rec.path);
    const segments = rec.segments.map((s) => (s.stopMs === null ? { ...s, stopMs: durationMs } : s));
    const endedAt = durationMs === null ? clock.now() : new Date(rec.started_at.getTime() + durationMs);
    await db
      .updateTable('recordings')
      .set({ ended_at: endedAt, duration_ms: durationMs, segments: JSON.stringify(segments) })
      .where('id', '=', rec.id)
      .execute();
  }
  if (open.length) log.info({ recordings: open.length }, 'recordings cut by the last run were closed');
  return open.length;
}
