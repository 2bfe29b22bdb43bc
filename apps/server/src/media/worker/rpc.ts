/**
 * The narrow, typed RPC between the server (signalling, call control) and a media worker
 * process (RTP ports, the 20 ms clock). Plain JSON over the child-process IPC channel.
 */

export type PlaySource =
  | { kind: 'tone'; frequencies: number[]; amplitude?: number }
  | { kind: 'file'; path: string };

export type RecordingMode = 'mixed' | 'stereo';

/**
 * Who a mixer member hears and who hears it. `full`: everyone else, heard by everyone, recorded.
 * `listen`: hears the full members, heard by nobody, not recorded (a supervisor listening).
 * `whisper`: hears like a listener and is heard only by its `whisperTo` member, not recorded.
 */
export type Hearing = 'full' | 'listen' | 'whisper';

export interface WorkerRequests {
  ping: {
    params: Record<string, never>;
    result: { pid: number; endpoints: number; mixers: number; lateTicks: number; maxTickLagMs: number };
  };
  /**
   * Counters for benchmarks and diagnostics. `audioFrames`: per leg, the 20 ms frames with sound
   * (a non-zero sample) the clock took from it, which is what the leg received and the worker
   * mixed. `lateTicks`: ticks late by more than 20 ms since the worker started. `maxTickLagMs`:
   * the latest a tick ran since the previous `stats` call (the first call: since the start).
   */
  stats: {
    params: Record<string, never>;
    result: { lateTicks: number; maxTickLagMs: number; audioFrames: Record<string, number> };
  };
  createRtpEndpoint: {
    params: { endpointId: string; address?: string };
    result: { address: string; port: number };
  };
  /** Where to send, and the payload types agreed in SDP (0 PCMU, 8 PCMA; telephone-event). */
  applyRemote: {
    params: {
      endpointId: string;
      address: string;
      port: number;
      payloadType: number;
      dtmfPayloadType?: number;
    };
    result: Record<string, never>;
  };
  createWebRtcEndpoint: {
    params: { endpointId: string; offerSdp: string; addresses?: string[] };
    result: { answerSdp: string };
  };
  /** sendrecv, or inactive: an inactive leg neither hears nor is heard (hold). */
  setDirection: {
    params: { endpointId: string; direction: 'sendrecv' | 'inactive' };
    result: Record<string, never>;
  };
  createMixer: { params: { mixerId: string }; result: Record<string, never> };
  /**
   * Joins (leaving any other mixer); `hearing` defaults to full. `whisperTo`, only with whisper,
   * names a member already in the mixer; should it leave, the whisperer is heard by nobody.
   */
  join: {
    params: { mixerId: string; endpointId: string; hearing?: Hearing; whisperTo?: string };
    result: Record<string, never>;
  };
  /** Changes a member's hearing in place (listen, whisper, barge in), from the next tick. */
  setHearing: {
    params: { mixerId: string; endpointId: string; hearing: Hearing; whisperTo?: string };
    result: Record<string, never>;
  };
  leave: { params: { mixerId: string; endpointId: string }; result: Record<string, never> };
  /** Plays to one endpoint only (a beep to the agent, music to a held customer). */
  play: {
    params: {
      playbackId: string;
      endpointId: string;
      source: PlaySource;
      loop?: boolean;
      stopOnDtmf?: boolean;
    };
    result: Record<string, never>;
  };
  /**
   * Plays to every member of a mixer, whatever its hearing, and into its recordings (stereo: on
   * the right). One at a time per mixer: a second replaces the first (which reports stopped).
   */
  playToMixer: {
    params: { playbackId: string; mixerId: string; source: PlaySource; loop?: boolean };
    result: Record<string, never>;
  };
  /** Stops a playback to an endpoint or to a mixer. */
  stopPlayback: { params: { playbackId: string }; result: Record<string, never> };
  /** Stereo puts `leftEndpointId` (default: the first full member to join) left and everyone else right. */
  startRecording: {
    params: {
      recordingId: string;
      mixerId: string;
      path: string;
      mode: RecordingMode;
      leftEndpointId?: string;
    };
    result: Record<string, never>;
  };
  /** Paused, the recorder writes silence: the file keeps the call's timeline. */
  setRecordingPaused: {
    params: { recordingId: string; paused: boolean };
    result: { atMs: number };
  };
  stopRecording: { params: { recordingId: string }; result: { path: string; durationMs: number } };
  sendDtmf: { params: { endpointId: string; digit: string }; result: Record<string, never> };
  destroy: { params: { id: string }; result: Record<string, never> };
}

export type WorkerMethod = keyof WorkerRequests;

export type WorkerEvent =
  | { event: 'dtmf'; endpointId: string; digit: string }
  | { event: 'mediaStarted'; endpointId: string }
  | { event: 'mediaTimeout'; endpointId: string }
  | { event: 'mediaResumed'; endpointId: string }
  | { event: 'playbackDone'; playbackId: string; reason: 'finished' | 'dtmf' | 'stopped' }
  | { event: 'recordingDone'; recordingId: string; path: string; durationMs: number }
  /** The file could not be written (disk full): the recording ends there, the call goes on. */
  | { event: 'recordingFailed'; recordingId: string; message: string; durationMs: number }
  | { event: 'stats'; endpoints: number; mixers: number; lateTicks: number; maxTickLagMs: number };

export type ToWorker = { id: number; method: WorkerMethod; params: unknown };
export type FromWorker =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | WorkerEvent;

/** Errors a worker returns, with stable codes. */
export const MEDIA_ERROR_CODES = [
  'MEDIA_NOT_FOUND',
  'MEDIA_EXISTS',
  'MEDIA_BAD_REQUEST',
  'MEDIA_FAILED',
  'MEDIA_WORKER_GONE',
] as const;
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number];

export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}
