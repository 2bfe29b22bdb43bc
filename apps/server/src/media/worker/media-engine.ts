import { ToneSource } from '../dsp/tone.js';
import type { MediaEndpoint } from '../endpoint.js';
import { Mixer, mixInto, saturateInto } from '../mixer.js';
import { readWav, WavWriter } from '../wav.js';
import { MediaError, type PlaySource, type RecordingMode, type WorkerEvent } from './rpc.js';

export const FRAME = 160;
const MAX_QUEUED_FRAMES = 5;
const SILENCE = new Int16Array(FRAME);

interface Leg {
  endpoint: MediaEndpoint;
  inbound: Int16Array[];
  sending: boolean;
  createdAt: number;
  timedOut: boolean;
  mixerId: string | undefined;
  playback: Playback | undefined;
}

interface Playback {
  id: string;
  next(): Int16Array | undefined;
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

interface MixerState {
  legs: string[];
  mixer: Mixer;
  recorders: Map<string, Recorder>;
}

/** An endpoint whose own jitter buffer is read on the clock (plain RTP) rather than pushed. */
type Pulling = MediaEndpoint & { pullAudio(): Int16Array };
const pulls = (e: MediaEndpoint): e is Pulling => typeof (e as Partial<Pulling>).pullAudio === 'function';

/**
 * The media state of one worker: legs (endpoints), mixers, players and recorders, advanced one
 * 20 ms tick at a time by the worker's clock. No timers here, so tests can tick it by hand.
 */
export class MediaEngine {
  private readonly legs = new Map<string, Leg>();
  private readonly mixers = new Map<string, MixerState>();
  private readonly sum = new Int32Array(FRAME);

  constructor(
    private readonly emit: (e: WorkerEvent) => void,
    private readonly now: () => number = Date.now,
    private readonly inactivityMs = 2000,
  ) {}

  get counts() {
    return { endpoints: this.legs.size, mixers: this.mixers.size };
  }

  addEndpoint(endpoint: MediaEndpoint): void {
    if (this.legs.has(endpoint.id)) throw new MediaError('MEDIA_EXISTS', `endpoint ${endpoint.id} exists`);
    const leg: Leg = {
      endpoint,
      inbound: [],
      sending: true,
      createdAt: this.now(),
      timedOut: false,
      mixerId: undefined,
      playback: undefined,
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
    this.mixers.set(id, { legs: [], mixer: new Mixer(FRAME), recorders: new Map() });
  }

  join(mixerId: string, endpointId: string): void {
    const mixer = this.mixer(mixerId);
    const leg = this.leg(endpointId);
    if (leg.mixerId) this.leave(leg.mixerId, endpointId);
    mixer.legs.push(endpointId);
    mixer.mixer.addParticipant(endpointId);
    leg.mixerId = mixerId;
  }

  leave(mixerId: string, endpointId: string): void {
    const mixer = this.mixer(mixerId);
    mixer.legs = mixer.legs.filter((l) => l !== endpointId);
    mixer.mixer.removeParticipant(endpointId);
    const leg = this.legs.get(endpointId);
    if (leg?.mixerId === mixerId) leg.mixerId = undefined;
  }

  async play(playbackId: string, endpointId: string, source: PlaySource, loop: boolean, stopOnDtmf: boolean) {
    const leg = this.leg(endpointId);
    let next: () => Int16Array | undefined;
    if (source.kind === 'tone') {
      const tone = new ToneSource(source.frequencies, source.amplitude ?? 8000);
      next = () => tone.next(FRAME);
    } else {
      const wav = await readWav(source.path);
      if (wav.sampleRate !== 8000 || wav.channels !== 1) {
        throw new MediaError('MEDIA_BAD_REQUEST', `${source.path} must be 8 kHz mono 16-bit PCM`);
      }
      let at = 0;
      next = () => {
        if (at >= wav.samples.length) {
          if (!loop || wav.samples.length === 0) return undefined;
          at = 0;
        }
        const frame = new Int16Array(FRAME);
        frame.set(wav.samples.subarray(at, Math.min(at + FRAME, wav.samples.length)));
        at += FRAME;
        return frame;
      };
    }
    if (leg.playback) this.endPlayback(leg, 'stopped');
    leg.playback = { id: playbackId, next, stopOnDtmf };
  }

  stopPlayback(playbackId: string): void {
    for (const leg of this.legs.values())
      if (leg.playback?.id === playbackId) this.endPlayback(leg, 'stopped');
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
      left: left ?? mixer.legs[0],
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
      this.legs.delete(id);
      await leg.endpoint.close();
      return;
    }
    const mixer = this.mixers.get(id);
    if (!mixer) throw new MediaError('MEDIA_NOT_FOUND', `${id} not found`);
    for (const r of [...mixer.recorders.keys()]) await this.stopRecording(r);
    for (const l of mixer.legs) {
      const member = this.legs.get(l);
      if (member) member.mixerId = undefined;
    }
    this.mixers.delete(id);
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.mixers.keys()]) await this.destroy(id);
    for (const id of [...this.legs.keys()]) await this.destroy(id);
  }

  /** One 20 ms step: take a frame from every leg, mix N-1, add players, send, record, watch. */
  tick(): void {
    const heard = new Map<string, Int16Array>();
    for (const [id, leg] of this.legs) {
      const frame = pulls(leg.endpoint) ? leg.endpoint.pullAudio() : (leg.inbound.shift() ?? SILENCE);
      heard.set(id, leg.sending ? frame : SILENCE);
      this.watch(id, leg);
    }
    const toLeg = new Map<string, Int16Array>();
    for (const m of this.mixers.values()) {
      for (const l of m.legs) m.mixer.push(l, heard.get(l) ?? SILENCE);
      const mixed = m.recorders.size ? m.mixer.mixAll() : SILENCE;
      const outs = m.mixer.mix();
      for (const rec of m.recorders.values()) this.record(rec, m, heard, mixed);
      for (const [l, frame] of outs) toLeg.set(l, frame);
    }
    for (const [id, leg] of this.legs) {
      this.sum.fill(0);
      mixInto(this.sum, toLeg.get(id) ?? SILENCE);
      if (leg.playback) {
        const p = leg.playback.next();
        if (p) mixInto(this.sum, p);
        else this.endPlayback(leg, 'finished');
      }
      if (leg.sending && !leg.endpoint.closed)
        leg.endpoint.sendAudio(saturateInto(new Int16Array(FRAME), this.sum));
    }
  }

  /**
   * Mixed: everyone in the mixer. Stereo: the left leg (the customer) on the left channel while it
   * is in the mixer (silence while held), everyone else on the right.
   */
  private record(rec: Recorder, m: MixerState, heard: Map<string, Int16Array>, mixed: Int16Array): void {
    rec.frames++;
    if (rec.mode === 'mixed') {
      rec.writer.write(rec.paused ? SILENCE : mixed);
      return;
    }
    const stereo = new Int16Array(FRAME * 2);
    if (rec.paused) {
      rec.writer.write(stereo);
      return;
    }
    this.sum.fill(0);
    for (const l of m.legs) if (l !== rec.left) mixInto(this.sum, heard.get(l) ?? SILENCE);
    const left = (rec.left && m.legs.includes(rec.left) && heard.get(rec.left)) || SILENCE;
    for (let i = 0; i < FRAME; i++) {
      const r = this.sum[i] ?? 0;
      stereo[2 * i] = left[i] ?? 0;
      stereo[2 * i + 1] = Math.min(32767, Math.max(r, -32768));
    }
    rec.writer.write(stereo);
  }

  private recorder(id: string): Recorder {
    for (const mixer of this.mixers.values()) {
      const rec = mixer.recorders.get(id);
      if (rec) return rec;
    }
    throw new MediaError('MEDIA_NOT_FOUND', `recording ${id} not found`);
  }

  /** RTP inactivity: a leg silent for inactivityMs is reported once, and again when it returns. */
  private watch(id: string, leg: Leg): void {
    const last = leg.endpoint.lastReceivedAt ?? leg.createdAt;
    const silent = this.now() - last > this.inactivityMs;
    if (silent && !leg.timedOut) {
      leg.timedOut = true;
      this.emit({ event: 'mediaTimeout', endpointId: id });
    } else if (!silent && leg.timedOut) {
      leg.timedOut = false;
      this.emit({ event: 'mediaResumed', endpointId: id });
    }
  }

  private endPlayback(leg: Leg, reason: 'finished' | 'dtmf' | 'stopped'): void {
    const p = leg.playback;
    if (!p) return;
    leg.playback = undefined;
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
