// npm run bench:media: one media worker carrying many calls, stepping the count; prints the
// worker's CPU per call, late ticks, and the calls it would hold at 60% of a core.
//
//   bridged  two plain RTP legs in one mixer, stereo WAV recording (SIP customer to SIP agent)
//   webrtc   one RTP leg and one WebRTC leg (werift, PCMU, DTLS-SRTP over loopback) in one mixer,
//            stereo WAV recording: a SIP customer talking to an agent's browser
//   hold     one RTP leg hearing looped hold music (a two-tone player); steps are doubled
//
// The peers (RTP senders and the "browsers", werift RTCPeerConnections) run in this process,
// one shared 20 ms sender, so they do not count against the worker; their CPU is printed too,
// because they share the machine's cores with the worker.
//
// Environment: KINDS (default bridged,webrtc,hold), STEPS (default 25,50,100,150), SECONDS
// (measured, default 5), MEDIA_WORKER_PROF=<dir> (a CPU profile of each worker, see
// media-worker-client.ts).
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RTCPeerConnection, RTCRtpCodecParameters, type RTCRtpSender, RtpHeader, RtpPacket } from 'werift';
import { pcmuEncode } from '../src/media/codec/g711.js';
import { ToneSource } from '../src/media/dsp/tone.js';
import { serializeRtp } from '../src/media/rtp/rtp-packet.js';
import { MediaWorker } from '../src/media/worker/media-worker-client.js';

const KINDS = (process.env.KINDS ?? 'bridged,webrtc,hold').split(',');
const STEPS = (process.env.STEPS ?? '25,50,100,150').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 5);
const TICK = 100; // USER_HZ: /proc stat times are in clock ticks of 1/100 s on Linux
/** Calls set up at once (WebRTC set-up is an ICE + DTLS handshake each). */
const SETUP_BATCH = 10;

type Kind = 'bridged' | 'webrtc' | 'hold';

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICK; // utime + stime
}

const payload = Buffer.from(pcmuEncode(new ToneSource([700]).next(160)));

/** One sending peer: a plain RTP socket, or a "browser" sending on its werift track. */
interface Peer {
  send(): void;
  /** Packets sent to the worker. */
  readonly sent: number;
  /** Packets the worker sent this peer. */
  readonly received: number;
  close(): Promise<void>;
}

async function rtpPeer(worker: MediaWorker, endpointId: string): Promise<Peer> {
  const local = await worker.call('createRtpEndpoint', { endpointId });
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  let received = 0;
  socket.on('message', () => {
    received++;
  });
  await worker.call('applyRemote', {
    endpointId,
    address: '127.0.0.1',
    port: socket.address().port,
    payloadType: 0,
  });
  let seq = 0;
  let ts = 0;
  let sent = 0;
  return {
    send() {
      const packet = serializeRtp({
        marker: false,
        payloadType: 0,
        sequenceNumber: seq,
        timestamp: ts,
        ssrc: 7,
        payload,
      });
      socket.send(packet, local.port, '127.0.0.1');
      seq = (seq + 1) & 0xffff;
      ts = (ts + 160) >>> 0;
      sent++;
    },
    get sent() {
      return sent;
    },
    get received() {
      return received;
    },
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

/** Only loopback candidates: the machine's other addresses are not for this benchmark. */
const loopbackOnly = (sdp: string) =>
  sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') || l.split(' ')[4] === '127.0.0.1')
    .join('\r\n');

function until<T>(subscribe: (done: (v: T) => void) => void, what: string, ms = 15_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    subscribe((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

/**
 * A browser stand-in: a werift RTCPeerConnection offering PCMU (and telephone-event, as
 * browsers do) with loopback candidates only, answered by the worker's createWebRtcEndpoint.
 */
async function browserPeer(worker: MediaWorker, endpointId: string): Promise<Peer> {
  const codec = (mimeType: string, payloadType: number) =>
    new RTCRtpCodecParameters({ mimeType, clockRate: 8000, channels: 1, payloadType });
  const pc = new RTCPeerConnection({
    codecs: { audio: [codec('audio/PCMU', 0), codec('audio/telephone-event', 101)] },
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
  });
  const sender: RTCRtpSender = pc.addTransceiver('audio', { direction: 'sendrecv' }).sender;
  let received = 0;
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe(() => {
      received++;
    }),
  );
  const gathered = until<void>((done) => {
    pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && done());
  }, 'ICE gathering');
  await pc.setLocalDescription(await pc.createOffer());
  await gathered;
  const offerSdp = loopbackOnly(pc.localDescription?.sdp ?? '');
  const connected = until<void>((done) => {
    pc.connectionStateChange.subscribe((s) => s === 'connected' && done());
  }, `${endpointId} connected`);
  const { answerSdp } = await worker.call('createWebRtcEndpoint', { endpointId, offerSdp });
  await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  await connected;
  let seq = 0;
  let ts = 0;
  let sent = 0;
  return {
    send() {
      const header = new RtpHeader({ payloadType: 0, sequenceNumber: seq, timestamp: ts, marker: false });
      sender.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
      seq = (seq + 1) & 0xffff;
      ts = (ts + 160) >>> 0;
      sent++;
    },
    get sent() {
      return sent;
    },
    get received() {
      return received;
    },
    close: () => pc.close(),
  };
}

async function setUpCall(worker: MediaWorker, kind: Kind, c: number, dir: string): Promise<Peer[]> {
  await worker.call('createMixer', { mixerId: `m${c}` });
  const peers = [await rtpPeer(worker, `a${c}`)];
  if (kind === 'bridged') peers.push(await rtpPeer(worker, `b${c}`));
  if (kind === 'webrtc') peers.push(await browserPeer(worker, `w${c}`));
  for (const leg of kind === 'hold' ? ['a'] : ['a', kind === 'bridged' ? 'b' : 'w'])
    await worker.call('join', { mixerId: `m${c}`, endpointId: `${leg}${c}` });
  if (kind === 'hold') {
    await worker.call('play', {
      playbackId: `p${c}`,
      endpointId: `a${c}`,
      source: { kind: 'tone', frequencies: [440, 480] },
      loop: true,
    });
  } else {
    await worker.call('startRecording', {
      recordingId: `r${c}`,
      mixerId: `m${c}`,
      path: path.join(dir, `${c}.wav`),
      mode: 'stereo',
      leftEndpointId: `a${c}`,
    });
  }
  return peers;
}

async function run(kind: Kind, calls: number, dir: string) {
  const worker = new MediaWorker(0);
  const pid = worker.pid ?? 0;
  const peers: Peer[] = [];
  for (let c = 0; c < calls; c += SETUP_BATCH) {
    const batch = [];
    for (let k = c; k < Math.min(calls, c + SETUP_BATCH); k++) batch.push(setUpCall(worker, kind, k, dir));
    for (const legs of await Promise.all(batch)) peers.push(...legs);
  }
  // One packet per peer per 20 ms, caught up after a late timer, so the worker gets the full
  // packet rate however busy this process is (the "sent" column checks it).
  const start = performance.now();
  let ticks = 0;
  const sender = setInterval(() => {
    const due = Math.round((performance.now() - start) / 20);
    for (; ticks < due; ticks++) for (const p of peers) p.send();
  }, 20);
  await new Promise((r) => setTimeout(r, 1000));
  const before = await worker.call('ping', {});
  const cpu0 = cpuSeconds(pid);
  const self0 = process.cpuUsage();
  const rx0 = peers.reduce((n, p) => n + p.received, 0);
  const tx0 = peers.reduce((n, p) => n + p.sent, 0);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (cpuSeconds(pid) - cpu0) / seconds;
  const self = process.cpuUsage(self0);
  const rx = peers.reduce((n, p) => n + p.received, 0) - rx0;
  const tx = peers.reduce((n, p) => n + p.sent, 0) - tx0;
  const after = await worker.call('ping', {});
  clearInterval(sender);
  await Promise.all(peers.map((p) => p.close()));
  await worker.stop();
  return {
    cpu,
    peersCpu: (self.user + self.system) / 1e6 / seconds,
    /** Packets the peers sent to the worker, as a share of 50 a second each. */
    sent: tx / (peers.length * 50 * seconds),
    /** Packets the peers received from the worker, as a share of 50 a second each. */
    delivered: rx / (peers.length * 50 * seconds),
    late: after.lateTicks - before.lateTicks,
    maxLag: after.maxTickLagMs,
  };
}

const TITLES: Record<Kind, string> = {
  bridged: 'bridged calls: 2 RTP legs, N-1 mix, stereo WAV recording',
  webrtc: 'bridged calls: 1 RTP leg + 1 WebRTC leg (werift, DTLS-SRTP), N-1 mix, stereo WAV recording',
  hold: 'held calls: 1 RTP leg with looped hold music',
};

const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-media-'));
for (const kind of (['bridged', 'webrtc', 'hold'] as const).filter((k) => KINDS.includes(k))) {
  console.log(`\n${TITLES[kind]}`);
  console.log(
    'calls  worker CPU  per call   late ticks  max lag   calls at 60%  peers CPU       sent  delivered',
  );
  for (const n of STEPS) {
    const calls = kind === 'hold' ? n * 2 : n;
    const r = await run(kind, calls, dir);
    const per = r.cpu / calls;
    console.log(
      [
        String(calls).padStart(5),
        `${(r.cpu * 100).toFixed(1).padStart(9)}%`,
        `${(per * 100).toFixed(3).padStart(7)}%`,
        String(r.late).padStart(11),
        `${r.maxLag.toFixed(1).padStart(6)} ms`,
        String(Math.floor(0.6 / per)).padStart(13),
        `${(r.peersCpu * 100).toFixed(1).padStart(9)}%`,
        `${(r.sent * 100).toFixed(1).padStart(9)}%`,
        `${(r.delivered * 100).toFixed(1).padStart(9)}%`,
      ].join('  '),
    );
  }
}
rmSync(dir, { recursive: true, force: true });
