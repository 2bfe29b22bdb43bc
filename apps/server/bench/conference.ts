// npm run bench:conference: three-party conferences in a media worker (issue #14, point 9).
//
// 1. Capacity. In one media worker process, conferences of three plain RTP legs in one mixer, as
//    a call is after Merge Lines (customer, agent and consulted party in the call's bridge:
//    `Call.merge()` in voice/call/call.ts). Each leg is fed 20 ms PCMU packets from its own UDP
//    socket in this process, one tone per party. The count steps up until the worker uses more
//    than 60% of a core (or, starved on a busy machine, takes in under 90% of its frames two
//    steps in a row, or reaches MAX). Per step, over a steady window: the worker's CPU
//    (/proc/<pid>/stat, pid from `ping`), its late ticks and latest tick (`stats`), what it took
//    in (its own count), what the parties got back, and whether each party heard both others
//    (each leg's next frame decoded and checked with Goertzel once a second). Capacity: the
//    largest count at or under 60% with no late ticks.
// 2. Merge Lines. TRIALS times: a consult state (the customer out of the mixer hearing music,
//    agent and consulted party in it, checked by ear), then merge's RPCs in merge's order (join
//    the consulted party, which `partyIn` does even when it is in; stop the customer's music;
//    join the customer), timed from the first RPC to the moment every party's socket has decoded
//    a frame holding both other parties' tones.
//
// Environment: SECONDS (measured per step, default 5), STEPS (conference counts, e.g.
// 50,100,200; default START, START+STEP, ... with START and STEP 25, until the worker passes 60%
// or MAX, default 1000), RECORD=1 (a stereo WAV recording per conference, customer left),
// TRIALS (default 100), MERGE_LOAD (conferences carried by the worker during the trials,
// default 0). A smoke run: STEPS=10,20 SECONDS=2 TRIALS=5 npm run bench:conference.
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pcmuDecodeInto, pcmuEncode } from '../src/media/codec/g711.js';
import { goertzelPower } from '../src/media/dsp/goertzel.js';
import { ToneSource } from '../src/media/dsp/tone.js';
import { parseRtp, serializeRtp } from '../src/media/rtp/rtp-packet.js';
import { MediaWorker } from '../src/media/worker/media-worker-client.js';
import { cpuSeconds } from './platform.js';

const SECONDS = Number(process.env.SECONDS ?? 5);
const START = Number(process.env.START ?? 25);
const STEP = Number(process.env.STEP ?? 25);
const MAX = Number(process.env.MAX ?? 1000);
const EXPLICIT_STEPS = process.env.STEPS?.split(',').map(Number);
const RECORD = process.env.RECORD === '1';
const TRIALS = Number(process.env.TRIALS ?? 100);
const MERGE_LOAD = Number(process.env.MERGE_LOAD ?? 0);
const CPU_LIMIT = 0.6;
const SETUP_BATCH = 10;
/** RPC time-out: a starved worker on a loaded machine can take seconds to answer; not measured. */
const RPC_TIMEOUT_MS = 60_000;
/** Steps in a row with the worker taking in under 90% of its frames: it is the machine's limit. */
const BEHIND_STEPS = 2;
/** A trial whose parties have not all heard each other by then is counted as failed. */
const HEAR_TIMEOUT_MS = 5000;

type Role = 'customer' | 'agent' | 'consulted';
const ROLES: Role[] = ['customer', 'agent', 'consulted'];
// Whole periods in 160 samples (14, 20, 26 and 8): one payload repeated is a continuous tone, and
// Goertzel over one 20 ms frame sees no leakage between them.
const TONE: Record<Role, number> = { customer: 700, agent: 1000, consulted: 1300 };
const MUSIC_HZ = 400;
/** Heard: at least -30 dBFS at the tone (each is sent at about -12 dBFS). */
const HEARD = 1e-3;
const PAYLOAD: Record<Role, Buffer> = {
  customer: Buffer.from(pcmuEncode(new ToneSource([TONE.customer]).next(160))),
  agent: Buffer.from(pcmuEncode(new ToneSource([TONE.agent]).next(160))),
  consulted: Buffer.from(pcmuEncode(new ToneSource([TONE.consulted]).next(160))),
};
const others = (role: Role) => ROLES.filter((r) => r !== role).map((r) => TONE[r]);
const hears = (pcm: Int16Array, hz: number) => goertzelPower(pcm, 8000, hz) >= HEARD;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Failed sends, counted and the first kept for printing: a failure is never swallowed. */
const sendErrors = { count: 0, first: '' };

/** One party: its leg in the worker and the UDP socket in this process that talks and listens. */
class Party {
  offered = 0;
  received = 0;
  /** Decode the next frame and count whether both other parties were in it (capacity checks). */
  checkNext = false;
  checked = 0;
  heardBoth = 0;
  /** Every frame, decoded, with its arrival time (the merge trials). */
  onFrame: ((pcm: Int16Array, at: number) => void) | undefined;
  private seq = 0;
  private readonly pcm = new Int16Array(160);

  constructor(
    readonly role: Role,
    readonly endpointId: string,
    private readonly socket: dgram.Socket,
    private readonly port: number,
  ) {
    socket.on('message', (msg) => this.receive(msg));
  }

  static async open(worker: MediaWorker, role: Role, endpointId: string): Promise<Party> {
    const { port } = await worker.call('createRtpEndpoint', { endpointId });
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const local = socket.address().port;
    await worker.call('applyRemote', { endpointId, address: '127.0.0.1', port: local, payloadType: 0 });
    return new Party(role, endpointId, socket, port);
  }

  send(): void {
    const packet = serializeRtp({
      marker: false,
      payloadType: 0,
      sequenceNumber: this.seq & 0xffff,
      timestamp: (this.seq * 160) >>> 0,
      ssrc: 1000 + ROLES.indexOf(this.role),
      payload: PAYLOAD[this.role],
    });
    this.socket.send(packet, this.port, '127.0.0.1', (err) => {
      if (!err) return;
      sendErrors.count++;
      sendErrors.first ||= err.message;
    });
    this.seq++;
    this.offered++;
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }

  private receive(msg: Buffer): void {
    const at = performance.now();
    this.received++;
    if (!this.checkNext && !this.onFrame) return;
    const pcm = pcmuDecodeInto(parseRtp(msg).payload, this.pcm);
    if (this.checkNext) {
      this.checkNext = false;
      this.checked++;
      if (others(this.role).every((hz) => hears(pcm, hz))) this.heardBoth++;
    }
    this.onFrame?.(pcm, at);
  }
}

/** Every party talking: one packet each per 20 ms, caught up after a late timer. */
class Talkers {
  readonly parties = new Set<Party>();
  private readonly start = performance.now();
  private ticks = 0;
  private readonly timer = setInterval(() => {
    const due = Math.floor((performance.now() - this.start) / 20);
    for (; this.ticks < due; this.ticks++) for (const p of this.parties) p.send();
  }, 20);

  stop(): void {
    clearInterval(this.timer);
  }
}

interface Conference {
  mixerId: string;
  parties: Party[];
}

/** Three parties in one mixer, as after Merge Lines (optionally recorded, the customer left). */
async function conference(worker: MediaWorker, id: string, dir: string): Promise<Conference> {
  const mixerId = `bridge-${id}`;
  await worker.call('createMixer', { mixerId });
  const parties = await Promise.all(ROLES.map((role) => Party.open(worker, role, `${role}-${id}`)));
  for (const p of parties) await worker.call('join', { mixerId, endpointId: p.endpointId });
  if (RECORD)
    await worker.call('startRecording', {
      recordingId: `rec-${id}`,
      mixerId,
      path: path.join(dir, `${id}.wav`),
      mode: 'stereo',
      leftEndpointId: `customer-${id}`,
    });
  return { mixerId, parties };
}

async function addConferences(
  worker: MediaWorker,
  talkers: Talkers,
  list: Conference[],
  to: number,
  dir: string,
) {
  while (list.length < to) {
    const batch = [];
    for (let k = list.length; k < Math.min(to, list.length + SETUP_BATCH); k++)
      batch.push(conference(worker, `c${k}`, dir));
    for (const c of await Promise.all(batch)) {
      list.push(c);
      for (const p of c.parties) talkers.parties.add(p);
    }
  }
}

/** The main thread's time waiting for a CPU while runnable (/proc/<pid>/schedstat), in seconds. */
function waitSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1] ?? 0) / 1e9;
  } catch {
    return 0;
  }
}

const framesTaken = (stats: { audioFrames: Record<string, number> }) =>
  Object.values(stats.audioFrames).reduce((n, f) => n + f, 0);
const pct = (x: number, width: number, digits = 1) => `${(x * 100).toFixed(digits).padStart(width)}%`;

/** One step's steady window: everything in it measured, nothing taken from the inputs. */
async function measure(worker: MediaWorker, pid: number, parties: Party[]) {
  await sleep(1000); // warm-up: the new legs' jitter buffers fill, set-up is not in the window
  const sum = (f: (p: Party) => number) => parties.reduce((n, p) => n + f(p), 0);
  const before = await worker.call('stats', {}); // also starts the worker's max-lag window
  const cpu0 = cpuSeconds(pid);
  const wait0 = waitSeconds(pid);
  const self0 = process.cpuUsage();
  const [tx0, rx0, ck0, ok0] = [
    sum((p) => p.offered),
    sum((p) => p.received),
    sum((p) => p.checked),
    sum((p) => p.heardBoth),
  ];
  const t0 = performance.now();
  for (let s = 0; s < SECONDS; s++) {
    for (const p of parties) p.checkNext = true;
    await sleep(1000);
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = await worker.call('stats', {});
  const self = process.cpuUsage(self0);
  const expected = parties.length * 50 * seconds;
  const checked = sum((p) => p.checked) - ck0;
  return {
    cpu: (cpuSeconds(pid) - cpu0) / seconds,
    waited: (waitSeconds(pid) - wait0) / seconds,
    late: after.lateTicks - before.lateTicks,
    maxLag: after.maxTickLagMs,
    received: (framesTaken(after) - framesTaken(before)) / expected,
    offered: (sum((p) => p.offered) - tx0) / expected,
    delivered: (sum((p) => p.received) - rx0) / expected,
    heard: checked > 0 ? (sum((p) => p.heardBoth) - ok0) / checked : 0,
    benchCpu: (self.user + self.system) / 1e6 / seconds,
    load: loadavg()[0] ?? 0,
  };
}

function nextCount(previous: number | undefined): number | undefined {
  if (EXPLICIT_STEPS)
    return EXPLICIT_STEPS[previous === undefined ? 0 : EXPLICIT_STEPS.indexOf(previous) + 1];
  const next = previous === undefined ? START : previous + STEP;
  return next <= MAX ? next : undefined;
}

async function capacity(dir: string): Promise<void> {
  console.log(
    `\n1. three-party conferences in one media worker: 3 RTP legs (PCMU, 20 ms) in one mixer${RECORD ? ', stereo WAV recording' : ''}`,
  );
  console.log(
    `   ${SECONDS} s measured per step after 1 s of warm-up; conferences are added, the worker is the same`,
  );
  console.log(
    'confs  legs  worker CPU  per conf  late >20ms  max lag    <=60%, no late  received  offered  delivered  heard both  bench CPU  worker waited  load',
  );
  const worker = new MediaWorker(0, RPC_TIMEOUT_MS);
  const talkers = new Talkers();
  const list: Conference[] = [];
  const rows: { count: number; cpu: number; late: number }[] = [];
  let stopped = 'the last step';
  let behind = 0;
  try {
    const { pid } = await worker.call('ping', {});
    for (let count = nextCount(undefined); count !== undefined; count = nextCount(count)) {
      await addConferences(worker, talkers, list, count, dir);
      const r = await measure(worker, pid, [...talkers.parties]);
      rows.push({ count, cpu: r.cpu, late: r.late });
      console.log(
        [
          String(count).padStart(5),
          String(count * 3).padStart(4),
          pct(r.cpu, 9),
          pct(r.cpu / count, 7, 3),
          String(r.late).padStart(10),
          `${r.maxLag.toFixed(1).padStart(6)} ms`,
          (r.cpu <= CPU_LIMIT && r.late === 0 ? 'yes' : 'no').padStart(14),
          pct(r.received, 7),
          pct(r.offered, 7),
          pct(r.delivered, 8),
          pct(r.heard, 9),
          pct(r.benchCpu, 8),
          pct(r.waited, 12),
          r.load.toFixed(2).padStart(5),
        ].join('  '),
      );
      if (r.cpu > CPU_LIMIT) {
        stopped = `the worker passed 60% at ${count}`;
        break;
      }
      behind = r.received < 0.9 ? behind + 1 : 0;
      if (behind === BEHIND_STEPS) {
        stopped = `the worker took in under 90% of its frames ${BEHIND_STEPS} steps in a row, below 60% CPU (starved)`;
        break;
      }
    }
  } finally {
    talkers.stop();
    await worker.stop();
    await Promise.all([...talkers.parties].map((p) => p.close()));
  }
  const best = rows.filter((r) => r.cpu <= CPU_LIMIT && r.late === 0).at(-1);
  console.log(
    best
      ? `capacity: ${best.count} three-party conferences (${best.count * 3} legs) per media core at ` +
          `<= 60% CPU with no late tick (${(best.cpu * 100).toFixed(1)}% measured); stepping stopped: ${stopped}`
      : `capacity: no step was at or under 60% CPU without late ticks; stepping stopped: ${stopped}`,
  );
  if (behind === BEHIND_STEPS)
    console.log('   the machine ran out of CPU before the worker reached 60%: re-measure on a quiet machine');
  else if (!rows.some((r) => r.cpu > CPU_LIMIT))
    console.log('   the worker never passed 60%: the capacity is at least this, not measured to its end');
}

/** Resolves when every party has had `ok` true for `frames` frames in a row (arrivals after `since`). */
function allHear(parties: Party[], ok: (p: Party, pcm: Int16Array) => boolean, since: number, frames = 1) {
  return new Promise<Map<Party, number>>((resolve) => {
    const when = new Map<Party, number>();
    const runs = new Map<Party, number>();
    const timer = setTimeout(() => resolve(when), HEAR_TIMEOUT_MS);
    for (const p of parties)
      p.onFrame = (pcm, at) => {
        if (at < since || when.has(p)) return;
        const run = ok(p, pcm) ? (runs.get(p) ?? 0) + 1 : 0;
        runs.set(p, run);
        if (run < frames) return;
        when.set(p, at);
        if (when.size === parties.length) {
          clearTimeout(timer);
          resolve(when);
        }
      };
  });
}

/** The consult state as the call model has it: who hears what, by ear. */
const inConsult = (p: Party, pcm: Int16Array) => {
  if (p.role === 'customer')
    return hears(pcm, MUSIC_HZ) && !hears(pcm, TONE.agent) && !hears(pcm, TONE.consulted);
  const other = p.role === 'agent' ? TONE.consulted : TONE.agent;
  return hears(pcm, other) && !hears(pcm, TONE.customer);
};
const merged = (p: Party, pcm: Int16Array) => others(p.role).every((hz) => hears(pcm, hz));

async function mergeTrial(worker: MediaWorker, talkers: Talkers, n: number) {
  const mixerId = `bridge-t${n}`;
  await worker.call('createMixer', { mixerId });
  const parties = await Promise.all(ROLES.map((role) => Party.open(worker, role, `${role}-t${n}`)));
  const [customer, agent, consulted] = parties as [Party, Party, Party];
  const musicId = `music-t${n}`;
  try {
    await worker.call('join', { mixerId, endpointId: agent.endpointId });
    await worker.call('join', { mixerId, endpointId: consulted.endpointId });
    await worker.call('play', {
      playbackId: musicId,
      endpointId: customer.endpointId,
      source: { kind: 'tone', frequencies: [MUSIC_HZ] },
      loop: true,
    });
    for (const p of parties) talkers.parties.add(p);
    const consult = await allHear(parties, inConsult, performance.now(), 3);
    if (consult.size < 3) throw new Error(`trial ${n}: the consult state was not heard as such`);
    // The consult check ends on a frame the worker has just sent: a click on Merge Lines comes at
    // any point of its 20 ms tick, not just after one.
    await sleep(Math.random() * 20);
    const heard = allHear(parties, merged, performance.now());
    const t0 = performance.now();
    await worker.call('join', { mixerId, endpointId: consulted.endpointId });
    await worker.call('stopPlayback', { playbackId: musicId });
    await worker.call('join', { mixerId, endpointId: customer.endpointId });
    const rpcMs = performance.now() - t0;
    const when = await heard;
    const ms = (p: Party) => (when.get(p) ?? Number.NaN) - t0;
    return { ok: when.size === 3, rpcMs, allMs: Math.max(...parties.map(ms)), per: parties.map(ms) };
  } finally {
    for (const p of parties) {
      talkers.parties.delete(p);
      p.onFrame = undefined;
    }
    for (const id of [...parties.map((p) => p.endpointId), mixerId]) await worker.call('destroy', { id });
    await Promise.all(parties.map((p) => p.close()));
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1).padStart(6);
  return `p50 ${f(quantile(s, 0.5))}  p95 ${f(quantile(s, 0.95))}  max ${f(s.at(-1) ?? Number.NaN)} ms`;
}

async function mergeLines(dir: string): Promise<void> {
  console.log(
    `\n2. Merge Lines to all parties hearing each other: ${TRIALS} trials in a fresh worker` +
      (MERGE_LOAD > 0 ? ` carrying ${MERGE_LOAD} conferences` : ' carrying nothing else'),
  );
  const worker = new MediaWorker(0, RPC_TIMEOUT_MS);
  const talkers = new Talkers();
  const load: Conference[] = [];
  const results = [];
  try {
    await addConferences(worker, talkers, load, MERGE_LOAD, dir);
    const { pid } = await worker.call('ping', {});
    await worker.call('stats', {});
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    for (let n = 0; n < TRIALS; n++) results.push(await mergeTrial(worker, talkers, n));
    const cpu = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
    const stats = await worker.call('stats', {});
    const ok = results.filter((r) => r.ok);
    console.log(
      `first merge RPC → every party hears both others  ${summary(ok.map((r) => r.allMs))}  (n=${ok.length})`,
    );
    for (const [i, role] of ROLES.entries())
      console.log(`  ${`${role} hears both`.padEnd(45)}  ${summary(ok.map((r) => r.per[i] ?? Number.NaN))}`);
    console.log(
      `  ${'merge RPCs (join, stopPlayback, join)'.padEnd(45)}  ${summary(ok.map((r) => r.rpcMs))}`,
    );
    console.log(
      `  failed (a party not hearing both within ${HEAR_TIMEOUT_MS} ms): ${results.length - ok.length}; ` +
        `worker during the trials: ${(cpu * 100).toFixed(1)}% CPU, ${stats.lateTicks} late ticks in its life, ` +
        `latest tick ${stats.maxTickLagMs.toFixed(1)} ms`,
    );
  } finally {
    talkers.stop();
    await worker.stop();
    await Promise.all([...talkers.parties].map((p) => p.close()));
  }
}

const began = performance.now();
const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-conference-'));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}`;
const load = loadavg().map((l) => l.toFixed(2));
console.log(`bench:conference ${new Date().toISOString()}: ${machine}, load average ${load.join(' ')}`);
try {
  await capacity(dir);
  await mergeLines(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (sendErrors.count) console.log(`\n${sendErrors.count} send errors, the first: ${sendErrors.first}`);
console.log(`\ntook ${((performance.now() - began) / 1000).toFixed(0)} s`);
