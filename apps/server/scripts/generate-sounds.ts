/**
 * Writes the platform's stock sounds (8 kHz mono 16-bit WAV) into apps/server/sounds. The WAVs
 * are committed; run this only to change them:
 *   node --conditions=source --import tsx apps/server/scripts/generate-sounds.ts
 *
 * Every sound keeps clear of the frequencies tests give their parties (700, 1000 and 1300 Hz),
 * so what a party hears can be told apart by frequency.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beep, sineFrame } from '../src/media/dsp/tone.js';
import { WavWriter } from '../src/media/wav.js';

const RATE = 8000;
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sounds');

/** A note with a soft attack and decay, so a melody of them does not click. */
function note(hz: number, ms: number, amplitude = 5000): Int16Array {
  const n = Math.round((ms * RATE) / 1000);
  const out = sineFrame(hz, amplitude, RATE, 0, n);
  const attack = Math.round(RATE * 0.02);
  for (let i = 0; i < n; i++) {
    const rise = i < attack ? i / attack : 1;
    const fall = Math.exp((-2.5 * i) / n);
    out[i] = Math.round((out[i] ?? 0) * rise * fall);
  }
  return out;
}

function silence(ms: number): Int16Array {
  return new Int16Array(Math.round((ms * RATE) / 1000));
}

async function write(name: string, parts: Int16Array[]): Promise<void> {
  const w = await WavWriter.open(path.join(dir, name), { channels: 1, sampleRate: RATE });
  for (const p of parts) w.write(p);
  const done = await w.close();
  console.log(`${name}: ${done.durationMs} ms`);
}

// The call-delivery beep a persistent agent hears (B5): 1400 Hz, 250 ms.
await write('beep.wav', [beep(250, 1400), silence(50)]);

// Hold and queue music: a gentle eight-bar loop in G major, all notes below 600 Hz.
const G4 = 392;
const A4 = 440;
const B4 = 494;
const C5 = 523;
const D5 = 587;
const E4 = 330;
const D4 = 294;
const melody: [number, number][] = [
  [G4, 400],
  [B4, 400],
  [D5, 800],
  [C5, 400],
  [B4, 400],
  [A4, 800],
  [G4, 400],
  [A4, 400],
  [B4, 400],
  [D5, 400],
  [C5, 800],
  [A4, 800],
  [E4, 400],
  [G4, 400],
  [A4, 800],
  [B4, 400],
  [A4, 400],
  [G4, 800],
  [D4, 400],
  [E4, 400],
  [G4, 400],
  [A4, 400],
  [G4, 1600],
];
await write(
  'hold-music.wav',
  melody.map(([hz, ms]) => note(hz, ms)),
);

/** Two tones together, each at `amplitude`. */
function dualTone(a: number, b: number, ms: number, amplitude = 3000): Int16Array {
  const n = Math.round((ms * RATE) / 1000);
  const x = sineFrame(a, amplitude, RATE, 0, n);
  const y = sineFrame(b, amplitude, RATE, 0, n);
  return x.map((v, i) => v + (y[i] ?? 0));
}

// Ringback, heard by an agent while a number they called rings (F1): 400 + 450 Hz in the
// double-ring cadence of the UK and Australia (0.4 s on, 0.2 off, 0.4 on, 2 off), one cycle.
await write('ringback.wav', [dualTone(400, 450, 400), silence(200), dualTone(400, 450, 400), silence(2000)]);
