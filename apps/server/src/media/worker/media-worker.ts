// A media worker process: owns RTP ports and the 20 ms media clock; driven by the server over IPC.
import { createRtpEndpoint } from '../rtp/rtp-endpoint.js';
import { answerWebRtc } from '../webrtc/werift-endpoint.js';
import { MediaClock } from './media-clock.js';
import { MediaEngine } from './media-engine.js';
import { type FromWorker, MediaError, type ToWorker, type WorkerRequests } from './rpc.js';

if (!process.send) throw new Error('media-worker must be started by the server (child_process.fork)');

// After the server has gone (shutdown), there is nobody to tell: events are dropped, not thrown.
const send = (m: FromWorker) => {
  if (process.connected) process.send?.(m);
};
const engine = new MediaEngine(send);
const clock = new MediaClock(() => engine.tick());

type Handlers = {
  [M in keyof WorkerRequests]: (p: WorkerRequests[M]['params']) => Promise<WorkerRequests[M]['result']>;
};

const handlers: Handlers = {
  ping: async () => ({
    pid: process.pid,
    ...engine.counts,
    lateTicks: clock.lateTicks,
    maxTickLagMs: clock.maxLagMs,
  }),
  stats: async () => ({
    lateTicks: clock.lateTicks,
    maxTickLagMs: clock.takeMaxLag(),
    audioFrames: engine.audioFrames,
  }),
  createRtpEndpoint: async ({ endpointId, address }) => {
    const endpoint = await createRtpEndpoint(endpointId, { address: address ?? '127.0.0.1' });
    engine.addEndpoint(endpoint);
    return endpoint.local;
  },
  applyRemote: async ({ endpointId, ...remote }) => {
    const endpoint = engine.endpoint(endpointId);
    if (endpoint.kind !== 'rtp' || !('applyRemote' in endpoint)) {
      throw new MediaError('MEDIA_BAD_REQUEST', 'applyRemote is for RTP endpoints');
    }
    (endpoint as { applyRemote(r: typeof remote): void }).applyRemote(remote);
    return {};
  },
  createWebRtcEndpoint: async ({ endpointId, offerSdp, addresses }) => {
    const { endpoint, answerSdp } = await answerWebRtc(offerSdp, {
      id: endpointId,
      ...(addresses && { addresses }),
    });
    engine.addEndpoint(endpoint);
    return { answerSdp };
  },
  setDirection: async ({ endpointId, direction }) => {
    engine.setDirection(endpointId, direction);
    return {};
  },
  createMixer: async ({ mixerId }) => {
    engine.createMixer(mixerId);
    return {};
  },
  join: async ({ mixerId, endpointId, hearing, whisperTo }) => {
    engine.join(mixerId, endpointId, hearing, whisperTo);
    return {};
  },
  setHearing: async ({ mixerId, endpointId, hearing, whisperTo }) => {
    engine.setHearing(mixerId, endpointId, hearing, whisperTo);
    return {};
  },
  leave: async ({ mixerId, endpointId }) => {
    engine.leave(mixerId, endpointId);
    return {};
  },
  play: async ({ playbackId, endpointId, source, loop, stopOnDtmf }) => {
    await engine.play(playbackId, endpointId, source, loop ?? false, stopOnDtmf ?? false);
    return {};
  },
  playToMixer: async ({ playbackId, mixerId, source, loop }) => {
    await engine.playToMixer(playbackId, mixerId, source, loop ?? false);
    return {};
  },
  stopPlayback: async ({ playbackId }) => {
    engine.stopPlayback(playbackId);
    return {};
  },
  startRecording: async ({ recordingId, mixerId, path, mode, leftEndpointId }) => {
    await engine.startRecording(recordingId, mixerId, path, mode, leftEndpointId);
    return {};
  },
  setRecordingPaused: async ({ recordingId, paused }) => engine.setRecordingPaused(recordingId, paused),
  stopRecording: async ({ recordingId }) => engine.stopRecording(recordingId),
  sendDtmf: async ({ endpointId, digit }) => {
    engine.endpoint(endpointId).sendDtmf(digit);
    return {};
  },
  destroy: async ({ id }) => {
    await engine.destroy(id);
    return {};
  },
};

process.on('message', (raw) => {
  const { id, method, params } = raw as ToWorker;
  const handler = handlers[method] as ((p: unknown) => Promise<unknown>) | undefined;
  if (!handler) {
    send({
      id,
      ok: false,
      error: { code: 'MEDIA_BAD_REQUEST', message: `unknown method ${String(method)}` },
    });
    return;
  }
  handler(params).then(
    (result) => send({ id, ok: true, result }),
    (err: unknown) =>
      send({
        id,
        ok: false,
        error: {
          code: err instanceof MediaError ? err.code : 'MEDIA_FAILED',
          message: err instanceof Error ? err.message : String(err),
        },
      }),
  );
});

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  clock.stop();
  // A worker never outlives its server: whatever a leg's closing waits for, it ends in 2 s.
  setTimeout(() => process.exit(0), 2000);
  await engine.closeAll().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());
// Its server gone without the IPC channel saying so (adopted by init): the same. The server's
// pid comes from the server itself: a worker still loading when its server died has init as its
// parent by the time it could read its own.
const parent = Number(process.env.PARLEY_SERVER_PID) || process.ppid;
const serverGone = () => process.ppid !== parent || !process.connected;
setInterval(() => {
  if (serverGone()) void shutdown();
}, 1000).unref();
if (serverGone()) void shutdown();
clock.start();
