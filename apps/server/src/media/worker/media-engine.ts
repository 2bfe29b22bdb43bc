import { ToneSource } from '../dsp/tone.js';
import type { MediaEndpoint } from '../endpoint.js';
import { Mixer, mixInto, saturateInto } from '../mixer.js';
import { readWav, WavWriter } from '../wav.js';
import { type Hearing, MediaError, type PlaySource, type RecordingMode, type WorkerEvent } from './rpc.js';

/** A gap between ticks this long is the worker's own stall, not its legs' silence. */
const STALL_MS = 500;

export const FRAME = 160;
const MAX_QUEUED_FRAMES = 5;
/** Shared silent frames: read only, never handed to anything that writes. */
const SILENCE = new Int16Array(FRAME);
const STEREO_SILENCE = new Int16Array(FRAME * 2);

/**
 * One endpoint and its per-tick state. The frame buffers are the leg's own scratch, reused
 * every tick: nothing outside the tick keeps them (the mixer and the WAV writer copy what they
 * are given, and endpoints encode a frame before sendAudio returns).
 */
interface Leg {
  id: string;
  endpoint: MediaEndpoint;
  /** The endpoint's own jitter buffer, read on the clock (plain RTP); else frames are pushed. */
  pulling: Pulling | undefined;
  inbound: Int16Array[];
  sending: boolean;
  createdAt: number;
  /** Its first packet arrived (reported once, as mediaStarted). */
  flowing: boolean;
  timedOut: boolean;
  /** 20 ms frames with sound taken from the leg (the `stats` RPC). */
  audioFrames: number;
  mixerId: string | undefined;
  /** Its rule in its mixer (full outside one). */
  hearing: Hearing;
  /** A whisper's one listener; cleared when that member leaves (the whisper then reaches nobody). */
  whisperTo: string | undefined;
  playback: Playback | undefined;
  /** This tick: what the leg says (silence when it is not sending). Valid until the next tick. */
  heard: Int16Array;
  /** This tick: whether `fromMixer` holds what its mixer gives it (else it hears nobody). */
  mixed: boolean;
  fromMixer: Int16Array;
  played: Int16Array;
  out: Int16Array;
}

interface Playback {
  id: string;
  /** Fills `out` with the next frame and returns it, or returns undefined at the end. */
  next(out: Int16Array): Int16Array | undefined;
  stopOnDtmf: boolean;
}

interface Recorder {
  id: string;
  mode: RecordingMode;
  writer: WavWriter;
  /** Stereo: the leg on the left channel (the customer); everyone else is on the right. */
  left: string | undefined;
  /** Paused: silence is written, so the file keeps the call's timeline and shows the gap. */
  paused: boolean;
  frames: number;
}

/**
 * Only full members are pushed into `mixer`: so its N-1 mix is what a full member hears, and what
 * a listener or whisperer (never pushed) hears is the whole of it.
 */
interface MixerState {
  id: string;
  /** The legs in the mixer, in the order they joined. */
  legs: Leg[];
  mixer: Mixer;
  recorders: Map<string, Recorder>;
  /** The full mix, for mixed recordings (scratch, filled when one needs it). */
  all: Int16Array;
  /** A playback every member hears and the recordings hold (announcements). */
  playback: Playback | undefined;
  /** This tick's frame of that playback, in `played` (scratch); undefined when none. */
  playing: Int16Array | undefined;
  played: Int16Array;
}

/** An endpoint whose own jitter buffer is read on the clock (plain RTP) rather than pushed. */
type Pulling = MediaEndpoint & { pullAudio(): Int16Array };
const pulls = (e: MediaEndpoint): e is Pulling => typeof (e as Partial<Pulling>).pullAudio === 'function';

const HEARINGS: readonly string[] = ['full', 'listen', 'whisper'] satisfies Hearing[];

/** A player's frames, 20 ms at a time: a tone, or an 8 kHz mono file (looped or not). */
async function openSource(source: PlaySource, loop: boolean): Promise<Playback['next']> {
  if (source.kind === 'tone') {
    const tone = new ToneSource(source.frequencies, source.amplitude ?? 8000);
    return (out) => tone.nextInto(out);
  }
  const wav = await readWav(source.path);
  if (wav.sampleRate !== 8000 || wav.channels !== 1) {
    throw new MediaError('MEDIA_BAD_REQUEST', `${source.path} must be 8 kHz mono 16-bit PCM`);
  }
  let at = 0;
  return (out) => {
    if (at >= wav.samples.length) {
      if (!loop || wav.samples.length === 0) return undefined;
      at = 0;
    }
    const end = Math.min(at + FRAME, wav.samples.length);
    out.set(wav.samples.subarray(at, end));
    out.fill(0, end - at); // the last frame of a file is padded with silence
    at += FRAME;
    return out;
  };
}

/** Any non-zero sample. A jitter buffer with nothing due gives all zeros. */
function hasSound(frame: Int16Array): boolean {
  for (let i = 0; i < frame.length; i++) if (frame[i] !== 0) return true;
  return false;
}

/**
 * The media state of one worker: legs (endpoints), mixers, players and recorders, advanced one
 * 20 ms tick at a time by the worker's clock. No timers here, so tests can tick it by hand.
 */
export class MediaEngine {
  private readonly legs = new Map<string, Leg>();
  private readonly mixers = new Map<string, MixerState>();
  private readonly sum = new Int32Array(FRAME);
  private readonly stereo = new Int16Array(FRAME * 2);
  /** When the previous tick ran, and when the worker last came back from a stall of its own. */
  private lastTickAt: number | undefined;
  private stallEndedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly emit: (e: WorkerEvent) => void,
    private readonly now: () => number = Date.now,
    private readonly inactivityMs = 2000,
  ) {}

  get counts() {
    return { endpoints: this.legs.size, mixers: this.mixers.size };
  }

  /** Per leg, the 20 ms frames with sound the clock took from it: what it received and mixed. */
  get audioFrames(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const leg of this.legs.values()) counts[leg.id] = leg.audioFrames;
    return counts;
  }

  addEndpoint(endpoint: MediaEndpoint): void {
    if (this.legs.has(endpoint.id)) throw new MediaError('MEDIA_EXISTS', `endpoint ${endpoint.id} exists`);
    const leg: Leg = {
      id: endpoint.id,
      endpoint,
      pulling: pulls(endpoint) ? endpoint : undefined,
      inbound: [],
      sending: true,
      createdAt: this.now(),
      flowing: false,
      timedOut: false,
      audioFrames: 0,
      mixerId: undefined,
      hearing: 'full',
      whisperTo: undefined,
      playback: undefined,
      heard: SILENCE,
      mixed: false,
      fromMixer: new Int16Array(FRAME),
      played: new Int16Array(FRAME),
      out: new Int16Array(FRAME),
    };
    endpoint.onAudio((frame) => {
      if (leg.inbound.length >= MAX_QUEUED_FRAMES) leg.inbound.shift();
      leg.inbound.push(frame);
    });
    endpoint.onDtmf((digit) => {
      this.emit({ event: 'dtmf', endpointId: endpoint.id, digit });
      if (leg.playback?.stopOnDtmf) this.endPlayback(leg, 'dtmf');
    });
    this.legs.set(endpoint.id, leg);
  }

  endpoint(id: string): MediaEndpoint {
    return this.leg(id).endpoint;
  }

  setDirection(id: string, direction: 'sendrecv' | 'inactive'): void {
    this.leg(id).sending = direction === 'sendrecv';
  }

  createMixer(id: string): void {
    if (this.mixers.has(id)) throw new MediaError('MEDIA_EXISTS', `mixer ${id} exists`);
    this.mixers.set(id, {
      id,
      legs: [],
      mixer: new Mixer(FRAME),
      recorders: new Map(),
      all: new Int16Array(FRAME),
      playback: undefined,
      playing: undefined,
      played: new Int16Array(FRAME),
    });
  }

  join(mixerId: string, endpointId: string, hearing: Hearing = 'full', whisperTo?: string): void {
    const mixer = this.mixer(mixerId);
    const leg = this.leg(endpointId);
    checkHearing(mixer, endpointId, hearing, whisperTo);
    if (leg.mixerId) this.leave(leg.mixerId, endpointId);
    mixer.legs.push(leg);
    mixer.mixer.addParticipant(endpointId);
    leg.mixerId = mixerId;
    leg.hearing = hearing;
    leg.whisperTo = whisperTo;
  }

  /** A member's new rule (listen, whisper, barge in), heard from the next tick on. */
  setHearing(mixerId: string, endpointId: string, hearing: Hearing, whisperTo?: string): void {
    const mixer = this.mixer(mixerId);
    const leg = this.leg(endpointId);
    if (leg.mixerId !== mixerId) {
      throw new MediaError('MEDIA_BAD_REQUEST', `${endpointId} is not in mixer ${mixerId}`);
    }
    checkHearing(mixer, endpointId, hearing, whisperTo);
    leg.hearing = hearing;
    leg.whisperTo = whisperTo;
  }

  leave(mixerId: string, endpointId: string): void {
    const mixer = this.mixer(mixerId);
    mixer.legs = mixer.legs.filter((l) => l.id !== endpointId);
    mixer.mixer.removeParticipant(endpointId);
    // Not kept for a later return: a whisper resumes only when the call layer says so.
    for (const other of mixer.legs) if (other.whisperTo === endpointId) other.whisperTo = undefined;
    const leg = this.legs.get(endpointId);
    if (leg?.mixerId === mixerId) outOfMixer(leg);
  }

  async play(playbackId: string, endpointId: string, source: PlaySource, loop: boolean, stopOnDtmf: boolean) {
    this.leg(endpointId); // an unknown leg is refused before its file is read
    const next = await openSource(source, loop);
    const leg = this.leg(endpointId); // again: a leg destroyed during the read is refused
    this.endPlayback(leg, 'stopped');
    leg.playback = { id: playbackId, next, stopOnDtmf };
  }

  /** Plays to every member of the mixer and into its recordings, replacing its playback if any. */
  async playToMixer(playbackId: string, mixerId: string, source: PlaySource, loop: boolean) {
    this.mixer(mixerId);
    const next = await openSource(source, loop);
    const mixer = this.mixer(mixerId); // again: a playback on a destroyed mixer would never end
    this.endPlayback(mixer, 'stopped');
    mixer.playback = { id: playbackId, next, stopOnDtmf: false };
  }

  stopPlayback(playbackId: string): void {
    for (const leg of this.legs.values())
      if (leg.playback?.id === playbackId) this.endPlayback(leg, 'stopped');
    for (const mixer of this.mixers.values())
      if (mixer.playback?.id === playbackId) this.endPlayback(mixer, 'stopped');
  }

  async startRecording(
    recordingId: string,
    mixerId: string,
    path: string,
    mode: RecordingMode,
    left?: string,
  ): Promise<void> {
    const mixer = this.mixer(mixerId);
    const writer = await WavWriter.open(path, { channels: mode === 'stereo' ? 2 : 1, sampleRate: 8000 });
    mixer.recorders.set(recordingId, {
      id: recordingId,
      mode,
      writer,
      left: left ?? mixer.legs.find((l) => l.hearing === 'full')?.id,
      paused: false,
      frames: 0,
    });
  }

  /** Pauses or resumes a recording; returns where in the file (ms) that happened. */
  setRecordingPaused(recordingId: string, paused: boolean): { atMs: number } {
    const rec = this.recorder(recordingId);
    rec.paused = paused;
    return { atMs: rec.frames * 20 };
  }

  async stopRecording(recordingId: string): Promise<{ path: string; durationMs: number }> {
    for (const mixer of this.mixers.values()) {
      const rec = mixer.recorders.get(recordingId);
      if (!rec) continue;
      mixer.recorders.delete(recordingId);
      const done = await rec.writer.close();
      this.emit({ event: 'recordingDone', recordingId, path: done.path, durationMs: done.durationMs });
      return { path: done.path, durationMs: done.durationMs };
    }
    throw new MediaError('MEDIA_NOT_FOUND', `recording ${recordingId} not found`);
  }

  async destroy(id: string): Promise<void> {
    const leg = this.legs.get(id);
    if (leg) {
      if (leg.mixerId) this.leave(leg.mixerId, id);
      // Whoever waits for its prompt to end is told now, not left waiting for a timeout.
      this.endPlayback(leg, 'stopped');
      this.legs.delete(id);
      await leg.endpoint.close();
      return;
    }
    const mixer = this.mixers.get(id);
    if (!mixer) throw new MediaError('MEDIA_NOT_FOUND', `${id} not found`);
    for (const r of [...mixer.recorders.keys()]) await this.stopRecording(r);
    this.endPlayback(mixer, 'stopped');
    for (const member of mixer.legs) outOfMixer(member);
    this.mixers.delete(id);
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.mixers.keys()]) await this.destroy(id);
    for (const id of [...this.legs.keys()]) await this.destroy(id);
  }

  /**
   * One 20 ms step: take a frame from every leg, mix, add players, send, record, watch.
   * Allocation-free: every frame lives in a leg's, mixer's or the engine's scratch buffers.
   */
  tick(): void {
    const now = this.now();
    // Ticks 20 ms apart; a long gap means this process itself stood still (CPU starvation, GC).
    // Packets that arrived meanwhile still wait in the sockets, so no leg may be judged silent
    // until it has had the inactivity window again.
    if (this.lastTickAt !== undefined && now - this.lastTickAt > STALL_MS) this.stallEndedAt = now;
    this.lastTickAt = now;
    for (const leg of this.legs.values()) {
      const frame = leg.pulling ? leg.pulling.pullAudio() : (leg.inbound.shift() ?? SILENCE);
      if (frame !== SILENCE && hasSound(frame)) leg.audioFrames++;
      leg.heard = leg.sending ? frame : SILENCE;
      leg.mixed = false;
      this.watch(leg, now);
    }
    for (const m of this.mixers.values()) this.mix(m);
    for (const leg of this.legs.values()) {
      const fromMixer = leg.mixed ? leg.fromMixer : SILENCE;
      let frame = fromMixer;
      if (leg.playback) {
        const p = leg.playback.next(leg.played);
        if (p) {
          // The mix is already saturated; the player is added to it and saturated again.
          const sum = this.sum;
          sum.fill(0);
          mixInto(sum, fromMixer);
          mixInto(sum, p);
          frame = saturateInto(leg.out, sum);
        } else this.endPlayback(leg, 'finished');
      }
      if (leg.sending && !leg.endpoint.closed) leg.endpoint.sendAudio(frame);
    }
  }

  /**
   * One mixer's tick: full members N-1; listeners and whisperers hear the full members; a whisper
   * is added to its one member's output, the mixer's playback to everyone's and the recordings.
   */
  private mix(m: MixerState): void {
    const mixer = m.mixer;
    let whispers = false;
    for (const leg of m.legs) {
      if (leg.hearing === 'full') mixer.push(leg.id, leg.heard);
      else if (leg.hearing === 'whisper' && leg.whisperTo !== undefined) whispers = true;
    }
    m.playing = undefined;
    if (m.playback) {
      m.playing = m.playback.next(m.played);
      if (!m.playing) this.endPlayback(m, 'finished');
    }
    for (const rec of m.recorders.values()) {
      try {
        this.record(rec, m);
      } catch (err) {
        this.recordingFailed(m, rec, err);
      }
    }
    for (const leg of m.legs) {
      mixer.heardBy(leg.id, leg.fromMixer);
      if (whispers || m.playing) this.addOutsideMix(m, leg);
      leg.mixed = true;
    }
    mixer.clear();
  }

  /** What the mix leaves out, added to what `leg` hears: the mixer's playback, whispers to it. */
  private addOutsideMix(m: MixerState, leg: Leg): void {
    const sum = this.sum;
    sum.fill(0);
    mixInto(sum, leg.fromMixer);
    if (m.playing) mixInto(sum, m.playing);
    for (const w of m.legs) if (w.hearing === 'whisper' && w.whisperTo === leg.id) mixInto(sum, w.heard);
    saturateInto(leg.fromMixer, sum);
  }

  /**
   * Full members and the mixer's playback; not listeners or whisperers. Mixed: all of them.
   * Stereo: the left leg (the customer) on the left channel while it is in the mixer (silence
   * while held), everyone else and the playback on the right.
   */
  private record(rec: Recorder, m: MixerState): void {
    rec.frames++;
    if (rec.mode === 'mixed') {
      rec.writer.write(rec.paused ? SILENCE : this.mixAll(m));
      return;
    }
    if (rec.paused) {
      rec.writer.write(STEREO_SILENCE);
      return;
    }
    const sum = this.sum;
    sum.fill(0);
    let left: Int16Array = SILENCE;
    for (const leg of m.legs) {
      if (leg.hearing !== 'full') continue;
      if (leg.id === rec.left) left = leg.heard;
      else mixInto(sum, leg.heard);
    }
    if (m.playing) mixInto(sum, m.playing);
    const stereo = this.stereo;
    for (let i = 0; i < FRAME; i++) {
      const r = sum[i] ?? 0;
      stereo[2 * i] = left[i] ?? 0;
      stereo[2 * i + 1] = Math.min(32767, Math.max(r, -32768));
    }
    rec.writer.write(stereo);
  }

  /** Every full member and the mixer's playback, into the mixer's scratch. */
  private mixAll(m: MixerState): Int16Array {
    const all = m.mixer.mixAllInto(m.all);
    if (!m.playing) return all;
    const sum = this.sum;
    sum.fill(0);
    mixInto(sum, all);
    mixInto(sum, m.playing);
    return saturateInto(all, sum);
  }

  /**
   * A file that cannot be written (disk full, the folder gone) ends its recording, not the tick:
   * every other leg and call on this worker goes on, and the server is told.
   */
  private recordingFailed(m: MixerState, rec: Recorder, err: unknown): void {
    m.recorders.delete(rec.id);
    void rec.writer.close().catch(() => undefined);
    this.emit({
      event: 'recordingFailed',
      recordingId: rec.id,
      message: err instanceof Error ? err.message : String(err),
      durationMs: rec.frames * 20,
    });
  }

  private recorder(id: string): Recorder {
    for (const mixer of this.mixers.values()) {
      const rec = mixer.recorders.get(id);
      if (rec) return rec;
    }
    throw new MediaError('MEDIA_NOT_FOUND', `recording ${id} not found`);
  }

  /**
   * The first packet from the far end is reported once (its side is listening: a caller's
   * browser finished ICE and DTLS); RTP inactivity: a leg silent for inactivityMs is reported
   * once, and again when it returns.
   */
  private watch(leg: Leg, now: number): void {
    if (!leg.flowing && leg.endpoint.lastReceivedAt !== undefined) {
      leg.flowing = true;
      this.emit({ event: 'mediaStarted', endpointId: leg.id });
    }
    const last = Math.max(leg.endpoint.lastReceivedAt ?? leg.createdAt, this.stallEndedAt);
    const silent = now - last > this.inactivityMs;
    if (silent && !leg.timedOut) {
      leg.timedOut = true;
      this.emit({ event: 'mediaTimeout', endpointId: leg.id });
    } else if (!silent && leg.timedOut) {
      leg.timedOut = false;
      this.emit({ event: 'mediaResumed', endpointId: leg.id });
    }
  }

  private endPlayback(on: Leg | MixerState, reason: 'finished' | 'dtmf' | 'stopped'): void {
    const p = on.playback;
    if (!p) return;
    on.playback = undefined;
    this.emit({ event: 'playbackDone', playbackId: p.id, reason });
  }

  private leg(id: string): Leg {
    const leg = this.legs.get(id);
    if (!leg) throw new MediaError('MEDIA_NOT_FOUND', `endpoint ${id} not found`);
    return leg;
  }

  private mixer(id: string): MixerState {
    const mixer = this.mixers.get(id);
    if (!mixer) throw new MediaError('MEDIA_NOT_FOUND', `mixer ${id} not found`);
    return mixer;
  }
}

/** Refuses a rule that cannot hold: a whisper needs a member of the mixer to whisper to. */
function checkHearing(
  m: MixerState,
  endpointId: string,
  hearing: Hearing,
  whisperTo: string | undefined,
): void {
  const bad = (why: string) => new MediaError('MEDIA_BAD_REQUEST', `${endpointId} in ${m.id}: ${why}`);
  if (!HEARINGS.includes(hearing)) throw bad(`hearing must be full, listen or whisper, not ${hearing}`);
  if (hearing !== 'whisper') {
    if (whisperTo !== undefined) throw bad('whisperTo is only for a whisper');
    return;
  }
  if (whisperTo === undefined) throw bad('a whisper needs whisperTo');
  if (whisperTo === endpointId) throw bad('a leg cannot whisper to itself');
  if (!m.legs.some((l) => l.id === whisperTo)) throw bad(`${whisperTo} is not in the mixer`);
}

function outOfMixer(leg: Leg): void {
  leg.mixerId = undefined;
  leg.hearing = 'full';
  leg.whisperTo = undefined;
}
