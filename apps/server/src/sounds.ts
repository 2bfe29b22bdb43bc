import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The stock sounds (beep, hold music; prompts/ for IVR): beside the bundle (dist/) or above src/. */
export function soundsDir(): string {
  const candidates = [path.resolve(here, '../sounds'), path.resolve(here, '../../sounds')];
  return candidates.find((dir) => existsSync(path.join(dir, 'beep.wav'))) ?? (candidates[0] as string);
}

export function promptsDir(): string {
  return path.join(soundsDir(), 'prompts');
}
