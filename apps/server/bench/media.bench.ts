// npm run bench:media: one media worker carrying bridged, recorded RTP calls, stepping the count;
// prints the worker's CPU per call, late ticks, and the calls it would hold at 60% of a core.
// Peers run in this process (one shared 20 ms sender), so they do not count against the worker.
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pcmuEncode } from '../src/media/codec/g711.js';
import { ToneSource } from '../src/media/dsp/tone.js';
import { serializeRtp } from '../src/media/rtp/rtp-packet.js';
import { MediaWorker } from '../src/media/worker/media-worker-client.js';

const STEPS = (process.env.STEPS ?? '25,50,100,150').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 5);
const TICK = 100; // USER_HZ: /proc stat times are in clock ticks of 1/100 s on Linux

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICK; // utime + stime
}

interface Peer {
  socket: dgram.Socket;
  to: number;
  seq: number;
  ts: number;
}

async function bindPeer(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  s.on('message', () => {});
  return s;
}

async function run(kind: 'bridged' | 'hold', calls: number, dir: string) {
  const worker = new MediaWorker(0);
  const pid = worker.pid ?? 0;
  const peers: Peer[] = [];
  const payload = pcmuEncode(new ToneSource([700]).next(160));
  for (let c = 0; c < calls; c++) {
    const legs = kind === 'bridged' ? ['a', 'b'] : ['a'];
    await worker.call('createMixer', { mixerId: `m${c}` });
    for (const leg of legs) {
      const id = `${leg}${c}`;
      const local = await worker.call('createRtpEndpoint', { endpointId: id });
      const socket = await bindPeer();
      await worker.call('applyRemote', {
        endpointId: id,
        address: '127.0.0.1',
        port: socket.address().port,
        payloadType: 0,
      });
      await worker.call('join', { mixerId: `m${c}`, endpointId: id });
      peers.push({ socket, to: local.port, seq: 0, ts: 0 });
    }
    if (kind === 'bridged') {
      await worker.call('startRecording', {
        recordingId: `r${c}`,
        mixerId: `m${c}`,
        path: path.join(dir, `${c}.wav`),
        mode: 'stereo',
      });
    } else {
      await worker.call('play', {
        playbackId: `p${c}`,
        endpointId: `a${c}`,
        source: { kind: 'tone', frequencies: [440, 480] },
        loop: true,
      });
    }
  }
  const sender = setInterval(() => {
    for (const p of peers) {
      p.socket.send(
        serializeRtp({
          marker: false,
          payloadType: 0,
          sequenceNumber: p.seq,
          timestamp: p.ts,
          ssrc: 7,
          payload,
        }),
        p.to,
        '127.0.0.1',
      );
      p.seq = (p.seq + 1) & 0xffff;
      p.ts = (p.ts + 160) >>> 0;
    }
  }, 20);
  await new Promise((r) => setTimeout(r, 1000));
  const before = await worker.call('ping', {});
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
  const after = await worker.call('ping', {});
  clearInterval(sender);
  for (const p of peers) p.socket.close();
  await worker.stop();
  return { cpu, late: after.lateTicks - before.lateTicks, maxLag: after.maxTickLagMs };
}

const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-media-'));
for (const kind of ['bridged', 'hold'] as const) {
  console.log(
    kind === 'bridged'
      ? '\nbridged calls: 2 RTP legs, N-1 mix, stereo WAV recording'
      : '\nheld calls: 1 RTP leg with looped hold music',
  );
  console.log('calls  worker CPU  per call   late ticks  max lag   calls at 60%');
  for (const n of STEPS) {
    const r = await run(kind, kind === 'hold' ? n * 2 : n, dir);
    const calls = kind === 'hold' ? n * 2 : n;
    const per = r.cpu / calls;
    console.log(
      `${String(calls).padStart(5)}  ${(r.cpu * 100).toFixed(1).padStart(8)}%  ${(per * 100).toFixed(3).padStart(7)}%  ${String(r.late).padStart(10)}  ${r.maxLag.toFixed(1).padStart(6)} ms  ${Math.floor(
        0.6 / per,
      )
        .toString()
        .padStart(8)}`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
