import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseWav, wavHeader } from '../media/wav.js';
import { finishWav } from './recordings-recovery.js';

describe('finishWav: a recording cut by a crash', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-rec-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('its header gets the sizes of what is on disk, and its length is returned', async () => {
    const file = path.join(dir, 'cut.wav');
    // Stereo, 8 kHz: 1.5 s of samples, then half a frame the crash cut off; sizes never patched.
    const samples = Buffer.alloc(12_000 * 2 * 2 + 2, 1);
    writeFileSync(file, Buffer.concat([wavHeader(2, 8000, 0), samples]));
    assert.equal(await finishWav(file), 1500);
    const bytes = readFileSync(file);
    assert.equal(bytes.readUInt32LE(40), 12_000 * 4, 'data size: whole frames only');
    assert.equal(bytes.readUInt32LE(4), 36 + 12_000 * 4);
    const wav = parseWav(bytes);
    assert.equal(wav.samples.length, 24_000);
  });

  test('a missing file or one that is no WAV has no length', async () => {
    assert.equal(await finishWav(path.join(dir, 'missing.wav')), null);
    const junk = path.join(dir, 'junk.wav');
    writeFileSync(junk, 'not a wav at all, but long enough to have a header of 44 bytes');
    assert.equal(await finishWav(junk), null);
  });
});
