import { execFileSync } from 'node:child_process';

/**
 * Writes `file`: a steady sine tone made by Debian's sox, 16-bit PCM WAV. Test tones for fake
 * microphones (browsers, baresip), announcements and uploads.
 */
export function soxTone(
  file: string,
  o: { hz: number; seconds: number; rate?: number; channels?: number; volume?: number },
): string {
  const format = ['-r', String(o.rate ?? 8000), '-c', String(o.channels ?? 1), '-b', '16'];
  const volume = o.volume === undefined ? [] : ['vol', String(o.volume)];
  execFileSync('sox', ['-n', ...format, file, 'synth', String(o.seconds), 'sine', String(o.hz), ...volume]);
  return file;
}
