import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HttpClient, RealtimeClient, type SocketLike } from '@parley/client';
import type { InteractionSummary, Snapshot } from '@parley/contract';
import { WebSocket } from 'ws';
import { systemClock } from '../src/clock.js';
import { PCMU_SILENCE, pcmuDecodeInto, pcmuEncode } from '../src/media/codec/g711.js';
import { goertzelPower } from '../src/media/dsp/goertzel.js';
import { ToneSource } from '../src/media/dsp/tone.js';
import { DtmfSchedule } from '../src/media/rtp/dtmf-schedule.js';
import { parseRtp, serializeRtp } from '../src/media/rtp/rtp-packet.js';
import { parseNameAddr } from '../src/sip/message/parse.js';
import { SipHeaders, type SipRequest, type SipResponse } from '../src/sip/message/sip-message.js';
import { createOffer, parseRemoteAudio } from '../src/sip/sdp/offer-answer.js';
import { type Peer, SipTransport } from '../src/sip/transport/sip-transport.js';
import { newBranch, SipClient } from '../src/sip/uac/sip-client.js';
import { buildResponse } from '../src/sip/uas/sip-server.js';
import { createStore } from '../test/helpers.js';
import { cpuSeconds, LOCAL, mediaWorkers, startPlatform, stopPlatform } from './platform.js';

const AGENTS = Number(process.env.INBOUND_AGENTS ?? 50);
const RATE = Number(process.env.INBOUND_RATE ?? 10);
const SECONDS = Number(process.env.INBOUND_SECONDS ?? 20);
const HOLD_MS = Number(process.env.INBOUND_HOLD_MS ?? 3000);
const CALLER_RTP = process.env.INBOUND_CALLER_RTP !== '0';
const DB = process.env.INBOUND_DB === 'postgres' ? 'postgres' : 'pglite';
const PROF = process.env.INBOUND_PROF;
const PASSWORD = 'bench-password-123';
const NUMBER = '+61290007100';
const DIAL_IN = '+61290009999'; // the demo workspace's agent dial-in number
const FIRST_AGENT_ID = 7001;
const BEEP_HZ = 1400;

// --- the platform, as its own process --------------------------------------------------------

/**
 * The main thread's time on a CPU and waiting for one (runnable, another task running), in
 * seconds: /proc/<pid>/schedstat. Waiting is what a busy machine adds to every figure.
 */
function schedSeconds(pid: number): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run: (run ?? 0) / 1e9, wait: (wait ?? 0) / 1e9 };
  } catch {
    return { run: 0, wait: 0 };
  }
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- SIP user agent: INVITE, ACK, BYE with the project's stack -------------------------------

interface Dialog {
  callId: string;
  from: string;
  to: string;
  target: string;
  ended: boolean;
  /** The platform hung up (a BYE from its side). */
  onBye?: () => void;
}

const tagOf = (value: string | undefined) => (value ? parseNameAddr(value).params.tag : undefined) ?? '';

/** Calls out through the project's SIP transport and client transactions (UDP). */
class UserAgent {
  readonly transport = new SipTransport(LOCAL);
  private client!: SipClient;
  /** By Call-ID and the platform's tag. */
  private readonly dialogs = new Map<string, Dialog>();
  private readonly acks = new Map<string, SipRequest>();
  /** Call-IDs of our INVITEs that were answered. */
  private readonly answered = new Set<string>();
  /** INVITEs sent (first sends and retransmissions) by Call-ID. */
  readonly inviteSends = new Map<string, number>();
  /** 2xx answers that opened a second dialog for an INVITE already answered (ACKed, then BYE). */
  extraDialogs = 0;
  private server!: Peer;

  async start(serverPort: number): Promise<void> {
    await this.transport.listen(0);
    // Count INVITE (re)transmissions: the client transaction resends at T1, 2T1, ... until a
    // response, and the platform sends no 100 Trying, so a slow answer means retransmissions.
    const send = this.transport.send.bind(this.transport);
    this.transport.send = (m, to) => {
      if (m.kind === 'request' && m.method === 'INVITE') {
        const id = m.headers.get('Call-ID') ?? '';
        this.inviteSends.set(id, (this.inviteSends.get(id) ?? 0) + 1);
      }
      send(m, to);
    };
    this.client = new SipClient(this.transport, systemClock);
    this.server = { transport: 'udp', address: LOCAL, port: serverPort };
    this.transport.on('message', (m, peer) => {
      const callId = m.headers.get('Call-ID') ?? '';
      if (m.kind === 'request') {
        // A BYE (or anything else) in one of our dialogs: 200, and the call is over.
        if (m.method === 'ACK') return;
        const dialog = this.dialogs.get(`${callId}|${tagOf(m.headers.get('From'))}`);
        const known = dialog || m.method !== 'BYE';
        this.transport.send(
          buildResponse(m, known ? 200 : 481, known ? 'OK' : 'Call/Transaction Does Not Exist'),
          peer,
        );
        if (m.method === 'BYE' && dialog && !dialog.ended) {
          dialog.ended = true;
          dialog.onBye?.();
        }
        return;
      }
      if (m.status < 200 || m.status >= 300 || !/INVITE/i.test(m.headers.get('CSeq') ?? '')) return;
      const key = `${callId}|${tagOf(m.headers.get('To'))}`;
      const ack = this.acks.get(key);
      // The 2xx again (our ACK was lost, or crossed it): ACK again.
      if (ack) this.transport.send(ack, this.server);
      // A 2xx from another dialog for an INVITE already answered (RFC 3261 §13.2.2.4): ACK it,
      // then BYE, as a carrier would.
      else if (this.answered.has(callId)) {
        this.extraDialogs++;
        const extra = this.dialogFrom(m, callId);
        this.acks.set(key, this.request('ACK', extra, 1));
        this.transport.send(this.request('ACK', extra, 1), this.server);
        this.dialogs.set(key, extra);
        void this.bye(extra);
      }
    });
  }

  private dialogFrom(response: SipResponse, callId: string, fallbackUri = ''): Dialog {
    const contact = response.headers.get('Contact');
    return {
      callId,
      from: response.headers.get('From') ?? '',
      to: response.headers.get('To') ?? '',
      target: contact ? parseNameAddr(contact).uri : fallbackUri,
      ended: false,
    };
  }

  /**
   * INVITE `number` from `fromUser`, media at `rtpPort`; `sent` is told the moment the INVITE
   * first leaves, and its Call-ID. On a 2xx the ACK goes at once and the dialog is kept for BYE.
   */
  async invite(
    number: string,
    fromUser: string,
    rtpPort: number,
    sent: (at: number, callId: string) => void,
  ): Promise<{ response: SipResponse; dialog?: Dialog }> {
    const callId = `${randomBytes(10).toString('hex')}@bench`;
    const from = `<sip:${fromUser}@${LOCAL}:${this.transport.port}>;tag=${randomBytes(5).toString('hex')}`;
    const uri = `sip:${number}@${LOCAL}:${this.server.port}`;
    const headers = new SipHeaders([
      ['Via', this.client.via(this.server, LOCAL)],
      ['Max-Forwards', '70'],
      ['From', from],
      ['To', `<${uri}>`],
      ['Call-ID', callId],
      ['CSeq', '1 INVITE'],
      ['Contact', `<sip:bench@${LOCAL}:${this.transport.port}>`],
      ['Content-Type', 'application/sdp'],
    ]);
    const body = new TextEncoder().encode(createOffer({ address: LOCAL, port: rtpPort, codecs: ['PCMU'] }));
    const invite: SipRequest = { kind: 'request', method: 'INVITE', uri, version: 'SIP/2.0', headers, body };
    sent(performance.now(), callId);
    const response = await this.client.send(invite, this.server);
    if (response.status < 200 || response.status >= 300) return { response };
    const dialog = this.dialogFrom(response, callId, uri);
    const key = `${callId}|${tagOf(dialog.to)}`;
    const ack = this.request('ACK', dialog, 1);
    this.acks.set(key, ack);
    this.dialogs.set(key, dialog);
    this.answered.add(callId);
    this.transport.send(ack, this.server);
    return { response, dialog };
  }

  /** Hangs up; resolves with the BYE's final status (0 if the platform had hung up already). */
  async bye(dialog: Dialog): Promise<number> {
    if (dialog.ended) return 0;
    dialog.ended = true;
    const response = await this.client.send(this.request('BYE', dialog, 2), this.server);
    const key = `${dialog.callId}|${tagOf(dialog.to)}`;
    this.dialogs.delete(key);
    this.acks.delete(key);
    return response.status;
  }

  private request(method: 'ACK' | 'BYE', d: Dialog, cseq: number): SipRequest {
    const headers = new SipHeaders([
      ['Via', `SIP/2.0/UDP ${LOCAL}:${this.transport.port};branch=${newBranch()};rport`],
      ['Max-Forwards', '70'],
      ['From', d.from],
      ['To', d.to],
      ['Call-ID', d.callId],
      ['CSeq', `${cseq} ${method}`],
      ['Content-Length', '0'],
    ]);
    return { kind: 'request', method, uri: d.target, version: 'SIP/2.0', headers, body: new Uint8Array() };
  }
}

// --- the agents' phones: RTP sockets that send silence (or DTMF) and listen for the beep ------

const SILENCE_PAYLOAD = new Uint8Array(160).fill(PCMU_SILENCE);
/** Frames without the tone before another beep counts (the beep itself is 300 ms). */
const REARM_FRAMES = 10;

class AgentPhone {
  readonly socket = dgram.createSocket('udp4');
  remote: { address: string; port: number; dtmfPayloadType: number } | undefined;
  readonly dtmf = new DtmfSchedule({ durationMs: 80, gapMs: 60 });
  /** Beep onsets heard (performance.now()), once listening. */
  readonly beeps: number[] = [];
  listening = false;
  private seq = 0;
  private ts = 0;
  private readonly ssrc = randomBytes(4).readUInt32BE(0);
  private readonly frame = new Int16Array(160);
  private quiet = 0;

  async bind(): Promise<number> {
    await new Promise<void>((r) => this.socket.bind(0, LOCAL, () => r()));
    this.socket.on('message', (buf) => this.hear(buf));
    return this.socket.address().port;
  }

  /** One 20 ms tick: a DTMF packet when a key press is due, otherwise silence. */
  tick(): void {
    const remote = this.remote;
    if (!remote) return;
    const next = this.dtmf.next(this.ts);
    let packet: Uint8Array | undefined;
    if (next.send === 'audio')
      packet = serializeRtp({
        marker: false,
        payloadType: 0,
        sequenceNumber: this.seq,
        timestamp: this.ts,
        ssrc: this.ssrc,
        payload: SILENCE_PAYLOAD,
      });
    else if (next.send === 'dtmf')
      packet = serializeRtp({
        marker: next.packet.marker,
        payloadType: remote.dtmfPayloadType,
        sequenceNumber: this.seq,
        timestamp: next.packet.timestamp,
        ssrc: this.ssrc,
        payload: next.packet.payload,
      });
    this.ts = (this.ts + 160) >>> 0;
    if (!packet) return;
    this.seq = (this.seq + 1) & 0xffff;
    this.socket.send(packet, remote.port, remote.address);
  }

  /** Decodes a packet; the first frame with clear 1400 Hz energy after a quiet spell is a beep. */
  private hear(buf: Buffer): void {
    const at = performance.now();
    let payload: Uint8Array;
    try {
      const p = parseRtp(buf);
      if (p.payloadType !== 0) return;
      payload = p.payload;
    } catch {
      return;
    }
    const samples = pcmuDecodeInto(payload, this.frame);
    const level = goertzelPower(samples, 8000, BEEP_HZ);
    let energy = 0;
    for (let i = 0; i < samples.length; i++) energy += (samples[i] ?? 0) ** 2;
    // A sine of amplitude A: Goertzel power ≈ A², mean square A²/2 (see goertzel.ts).
    const total = (2 * energy) / (samples.length * 32768 * 32768);
    const tone = level > 1e-3 && level > 0.5 * total;
    if (!tone) {
      this.quiet++;
      return;
    }
    if (this.listening && this.quiet >= REARM_FRAMES) this.beeps.push(at);
    this.quiet = 0;
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

// --- agents: a user, a signed-in toolbar, a phone that called in -----------------------------

interface Seen {
  agent: number;
  entryId: string;
  label: string;
  /** When the interaction first showed on the agent's toolbar. */
  at: number;
}

interface Agent {
  index: number;
  http: HttpClient;
  rt: RealtimeClient;
  phone: AgentPhone;
  wrapping: Set<string>;
}

function openToolbar(url: string, client: HttpClient): RealtimeClient {
  const ws = `${url.replace('http', 'ws')}/api/realtime`;
  const rt = new RealtimeClient({
    connect: () =>
      new WebSocket(ws, {
        headers: { cookie: client.sessionCookie ?? '', origin: url },
      }) as unknown as SocketLike,
    maxBackoffMs: 200,
  });
  rt.start();
  return rt;
}

const free = (s: Snapshot | undefined) =>
  s?.agent.status.kind === 'available' && s.agent.voice === 'connected' && s.agent.interactions.length === 0;

// --- the run ---------------------------------------------------------------------------------

interface Call {
  k: number;
  callId?: string;
  label: string;
  sentAt: number;
  okAt?: number;
  status?: number;
  /** When the caller sent its BYE. */
  byeAt?: number;
  byeStatus?: number;
  hungUpByPlatform?: boolean;
  freeAgents: number;
  seen?: Seen;
  beepAt?: number;
}

function pct(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1).padStart(7);
  return `p50 ${f(pct(s, 0.5))}  p95 ${f(pct(s, 0.95))}  max ${f(s.at(-1) ?? Number.NaN)} ms  (n=${s.length})`;
}

const store = await createStore(DB);
const server = await startPlatform({
  dataDir: store.dataDir,
  databaseUrl: store.databaseUrl,
  password: PASSWORD,
  prof: PROF,
  logLevel: process.env.LOG_LEVEL ?? 'error',
  logLines: true,
}).catch(async (err) => {
  await store.drop();
  throw err;
});
const ua = new UserAgent();
const agents = new Map<number, Agent>();
const seen = new Map<string, Seen>();
let wrapFailures = 0;
let callerRtp: dgram.Socket | undefined;
let ticker: NodeJS.Timeout | undefined;
try {
  await ua.start(server.sipPort);
  const admin = new HttpClient({ baseUrl: server.url, manageCookies: true });
  const session = await admin.login({ username: 'admin', password: PASSWORD });
  const ws = session.workspace.id;
  const care = (await admin.campaigns(ws).list()).find((c) => c.name === 'Customer Care');
  const team = (await admin.teams(ws).list()).find((t) => t.name === 'Customer Care');
  const profile = (await admin.agentProfiles(ws).list())[0];
  if (!care || !team || !profile)
    throw new Error('the demo workspace has no Customer Care campaign and team');
  const outcome = (await admin.wrapCodes(ws, care.id).list())[0];
  if (!outcome) throw new Error('Customer Care has no outcome');
  await admin.numbers(ws).create({ number: NUMBER, name: 'Bench inbound', campaignId: care.id });

  console.log(
    `bench:inbound: ${AGENTS} agents (desk phones called in), ${RATE} calls/s for ${SECONDS} s, ` +
      `held ${HOLD_MS} ms after the 200 OK, callers ${CALLER_RTP ? 'send a 500 Hz tone' : 'send no RTP'}, ` +
      `${DB === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${process.env.MEDIA_WORKERS ?? 'default'} media workers`,
  );
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`load average before: ${load()} (other work on the machine skews every figure)`);

  // One 20 ms clock for every phone and caller, catching up when it runs late.
  const phones: AgentPhone[] = [];
  const talking = new Set<{ remote: { address: string; port: number }; seq: number; ts: number }>();
  const tone = Buffer.from(pcmuEncode(new ToneSource([500]).next(160))); // whole cycles: loops cleanly
  const sock = dgram.createSocket('udp4');
  callerRtp = sock;
  await new Promise<void>((r) => sock.bind(0, LOCAL, () => r()));
  sock.on('message', () => {}); // hold music and the agent's voice: not listened to
  const callerRtpPort = sock.address().port;
  const tickStart = performance.now();
  let ticks = 0;
  ticker = setInterval(() => {
    const due = Math.round((performance.now() - tickStart) / 20);
    for (; ticks < due; ticks++) {
      for (const p of phones) p.tick();
      if (!CALLER_RTP) continue;
      for (const c of talking) {
        const packet = serializeRtp({
          marker: false,
          payloadType: 0,
          sequenceNumber: c.seq,
          timestamp: c.ts,
          ssrc: 0x5eed,
          payload: tone,
        });
        c.seq = (c.seq + 1) & 0xffff;
        c.ts = (c.ts + 160) >>> 0;
        sock.send(packet, c.remote.port, c.remote.address);
      }
    }
  }, 20);

  // Agents: users first (each hashes a password and a PIN), then all of them sign in and call in.
  const setupStart = performance.now();
  /** Agent index by user id. */
  const agentIndex = new Map<string, number>();
  for (let i = 0; i < AGENTS; i++) {
    const user = await admin.users(ws).create({
      username: `bench-agent-${i}`,
      displayName: `Bench Agent ${i}`,
      role: 'agent',
      password: PASSWORD,
      agentId: FIRST_AGENT_ID + i,
      pin: String(400_000 + i),
      agentProfileId: profile.id,
      teamIds: [team.id],
    });
    agentIndex.set(user.id, i);
  }
  const onState = (agent: Agent, s: Snapshot) => {
    for (const i of s.agent.interactions) {
      if (i.kind !== 'voice') continue;
      if (!seen.has(i.id))
        seen.set(i.id, { agent: agent.index, entryId: i.id, label: i.label, at: performance.now() });
      if (i.state === 'wrapping' && !agent.wrapping.has(i.id)) {
        agent.wrapping.add(i.id);
        agent.http.wrapInteraction(i.id, { wrapCodeId: outcome.id }).catch((err) => {
          wrapFailures++;
          if (wrapFailures <= 3) console.error(`wrap failed: ${(err as Error).message}`);
        });
      }
    }
  };
  await Promise.all(
    Array.from({ length: AGENTS }, async (_, index) => {
      const http = new HttpClient({ baseUrl: server.url, manageCookies: true });
      await http.login({ username: `bench-agent-${index}`, password: PASSWORD });
      const rt = openToolbar(server.url, http);
      const phone = new AgentPhone();
      const agent: Agent = { index, http, rt, phone, wrapping: new Set() };
      agents.set(index, agent);
      rt.subscribe({ state: (s) => onState(agent, s) });
      await until(() => rt.state?.agent.status.kind === 'paused', `agent ${index}'s toolbar`);
      // Call in to connect: dial in, key the agent ID, then the PIN.
      const rtpPort = await phone.bind();
      const { response, dialog } = await ua.invite(DIAL_IN, `desk-${index}`, rtpPort, () => {});
      if (!dialog) throw new Error(`agent ${index}'s call-in got ${response.status}`);
      const remote = parseRemoteAudio(new TextDecoder().decode(response.body));
      phone.remote = {
        address: remote.address,
        port: remote.port,
        dtmfPayloadType: remote.dtmfPayloadType ?? 101,
      };
      phones.push(phone);
      await sleep(800);
      for (const d of `${FIRST_AGENT_ID + index}#`) phone.dtmf.push(d);
      await sleep(1500);
      for (const d of `${400_000 + index}#`) phone.dtmf.push(d);
      await until(() => rt.state?.agent.voice === 'connected', `agent ${index}'s voice path`, 60_000);
      await http.setStatus({ kind: 'available' });
      await until(() => free(rt.state), `agent ${index} Available`);
    }),
  );
  await sleep(500); // the "connected" prompt is over; from now on only beeps
  for (const a of agents.values()) a.phone.listening = true;
  console.log(
    `setup: ${AGENTS} agents Available with voice in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
  );

  // The load: call k leaves at k/RATE seconds.
  const calls: Call[] = [];
  const total = Math.round(RATE * SECONDS);
  const pid = server.child.pid ?? 0;
  const workers = mediaWorkers(pid);
  const cpu0 = cpuSeconds(pid);
  const w0 = workers.reduce((s, p) => s + cpuSeconds(p), 0);
  const self0 = process.cpuUsage();
  const threads = [pid, ...workers, process.pid];
  const sched0 = threads.map(schedSeconds);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const loadStart = performance.now();
  const pending: Promise<void>[] = [];
  const place = (k: number) => {
    const call: Call = {
      k,
      label: `+6149${String(k).padStart(7, '0')}`,
      sentAt: 0,
      freeAgents: [...agents.values()].filter((a) => free(a.rt.state)).length,
    };
    calls.push(call);
    pending.push(
      (async () => {
        const { response, dialog } = await ua.invite(NUMBER, call.label, callerRtpPort, (at, callId) => {
          call.sentAt = at;
          call.callId = callId;
        });
        call.status = response.status;
        if (!dialog) return;
        call.okAt = performance.now();
        const remote = parseRemoteAudio(new TextDecoder().decode(response.body));
        const media = { remote: { address: remote.address, port: remote.port }, seq: 0, ts: 0 };
        talking.add(media);
        const hungUp = new Promise<void>((r) => {
          dialog.onBye = () => {
            call.hungUpByPlatform = true;
            r();
          };
        });
        await Promise.race([sleep(HOLD_MS), hungUp]);
        talking.delete(media);
        call.byeAt = performance.now();
        call.byeStatus = await ua.bye(dialog);
      })().catch((err) => {
        call.status = call.status ?? -1;
        console.error(`call ${k}: ${(err as Error).message}`);
      }),
    );
  };
  let placed = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - loadStart) * RATE) / 1000) + 1);
      while (placed < due) place(placed++);
      if (placed >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const cpu = (cpuSeconds(pid) - cpu0) / loadSeconds;
  const wcpu = (workers.reduce((s, p) => s + cpuSeconds(p), 0) - w0) / loadSeconds;
  const self = process.cpuUsage(self0);
  const sched = threads.map((t, i) => {
    const now = schedSeconds(t);
    const before = sched0[i] ?? now;
    return { run: (now.run - before.run) / loadSeconds, wait: (now.wait - before.wait) / loadSeconds };
  });
  const share = (list: typeof sched) =>
    `${(list.reduce((n, x) => n + x.run, 0) * 100).toFixed(0)}% / ${(list.reduce((n, x) => n + x.wait, 0) * 100).toFixed(0)}%`;
  loop.disable();
  await Promise.all(pending);
  // The last calls' wrap-ups.
  await until(() => [...agents.values()].every((a) => free(a.rt.state)), 'every agent', 20_000).catch(() => {
    // Say how the agents that are not Available again are (from their toolbars).
    const how = new Map<string, number>();
    for (const a of agents.values()) {
      const st = a.rt.state?.agent;
      if (!st || free(a.rt.state)) continue;
      const status =
        st.status.kind === 'paused' ? `${st.status.reasonName} (${st.status.detail ?? ''})` : st.status.kind;
      const key = `${status}, voice ${st.voice}, ${st.interactions.map((i) => i.state).join('+') || 'no interaction'}`;
      how.set(key, (how.get(key) ?? 0) + 1);
    }
    console.log(
      `20 s after the last call, not Available again: ${[...how].map(([k, n]) => `${n} × ${k}`).join('; ')}`,
    );
  });

  // Match: the platform's interaction records say which agent took which caller (by number);
  // each call gets its agent's first beep heard after the INVITE and before the caller hung up.
  // Every queue entry of the campaign: 100 a page, newest first (`limit` in the query string is
  // refused: the route does not coerce it to an integer), paged back with `to` (exclusive), one
  // ms past the oldest so far, so entries sharing that ms are not skipped.
  const entries = new Map<string, InteractionSummary>();
  for (let to: string | undefined; ; ) {
    const page = await admin.interactions(ws, { campaignId: care.id, ...(to && { to }) });
    const before = entries.size;
    for (const r of page) entries.set(r.id, r);
    if (page.length < 100 || entries.size === before) break;
    const oldest = page.map((r) => r.enqueuedAt).sort()[0] ?? '';
    to = new Date(Date.parse(oldest) + 1).toISOString();
  }
  /** Entries by the caller's number: more than one when the platform took an INVITE twice. */
  const records = new Map<string, InteractionSummary[]>();
  for (const r of entries.values()) {
    if (r.customerPhone) records.set(r.customerPhone, [...(records.get(r.customerPhone) ?? []), r]);
  }
  const byLabel = new Map([...seen.values()].map((s) => [s.label, s]));
  const used = new Set<string>();
  for (const call of calls) {
    call.seen = byLabel.get(call.label);
    // The earliest beep, after the INVITE and before the BYE, of an agent given this caller.
    let best: { agent: number; idx: number; at: number } | undefined;
    for (const r of records.get(call.label) ?? []) {
      const agent = r.agentId ? agentIndex.get(r.agentId) : undefined;
      if (agent === undefined) continue;
      const beeps = agents.get(agent)?.phone.beeps ?? [];
      const idx = beeps.findIndex(
        (t, i) =>
          !used.has(`${agent}:${i}`) && t > call.sentAt && t < (call.byeAt ?? Number.POSITIVE_INFINITY),
      );
      const at = beeps[idx];
      if (at !== undefined && (!best || at < best.at)) best = { agent, idx, at };
    }
    if (!best) continue;
    used.add(`${best.agent}:${best.idx}`);
    call.beepAt = best.at;
  }

  const ok = calls.filter((c) => c.status !== undefined && c.status >= 200 && c.status < 300);
  const beeped = calls.filter((c) => c.beepAt !== undefined);
  const failed = calls.filter((c) => !(c.status !== undefined && c.status >= 200 && c.status < 300));
  const noBeep = ok.filter((c) => c.beepAt === undefined);
  const strayBeeps = [...agents.values()].reduce((n, a) => n + a.phone.beeps.length, 0) - beeped.length;
  if (process.env.INBOUND_DUMP) {
    const timelines: Record<string, unknown> = {};
    for (const r of entries.values()) timelines[r.id] = (await admin.interaction(ws, r.id)).timeline;
    writeFileSync(
      process.env.INBOUND_DUMP,
      JSON.stringify({
        calls,
        records: [...entries.values()],
        timelines,
        agents: [...agentIndex].map(([id, index]) => ({
          id,
          index,
          state: agents.get(index)?.rt.state?.agent,
        })),
        beeps: [...agents.values()].map((a) => ({ agent: a.index, beeps: a.phone.beeps })),
      }),
    );
  }
  const inviteToBeep = beeped.map((c) => (c.beepAt ?? 0) - c.sentAt);
  console.log(
    `calls placed ${calls.length} in ${loadSeconds.toFixed(1)} s | answered (200 OK) ${ok.length} | ` +
      `reached an agent (beep heard) ${beeped.length} | failed ${failed.length} | answered, no beep ${noBeep.length}`,
  );
  if (failed.length) {
    const byStatus = new Map<string, number>();
    for (const c of failed) byStatus.set(String(c.status), (byStatus.get(String(c.status)) ?? 0) + 1);
    console.log(`  failures by status: ${[...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ')}`);
  }
  // What the platform recorded for a few answered calls no agent's phone beeped for.
  for (const c of noBeep.slice(0, 3)) {
    const rs = records.get(c.label) ?? [];
    if (rs.length === 0) console.log(`  no beep: ${c.label}: no queue entry`);
    for (const r of rs) {
      const detail = await admin.interaction(ws, r.id);
      const t0 = Date.parse(detail.enqueuedAt);
      const steps = detail.timeline.map(
        (t) => `${t.kind.replace('interaction.', '')} +${Date.parse(t.at) - t0} ms`,
      );
      console.log(`  no beep: ${c.label} ${r.state}, agent ${r.agentName ?? 'none'}: ${steps.join(', ')}`);
    }
  }
  const twice = [...records.values()].filter((rs) => rs.length > 1).length;
  if (twice) console.log(`  callers queued more than once (one INVITE taken as two calls): ${twice}`);
  console.log(`INVITE → beep heard      ${summary(inviteToBeep)}   (target p95 < 150 ms)`);
  console.log(`  INVITE → 200 OK        ${summary(ok.map((c) => (c.okAt ?? 0) - c.sentAt))}`);
  console.log(
    `  INVITE → on toolbar    ${summary(calls.filter((c) => c.seen).map((c) => (c.seen?.at ?? 0) - c.sentAt))}`,
  );
  console.log(
    `  200 OK → beep heard    ${summary(beeped.filter((c) => c.okAt).map((c) => (c.beepAt ?? 0) - (c.okAt ?? 0)))}`,
  );
  console.log(
    `free agents at INVITE: min ${Math.min(...calls.map((c) => c.freeAgents))}, ` +
      `calls hung up by the platform ${calls.filter((c) => c.hungUpByPlatform).length}, ` +
      `BYE not 200 ${calls.filter((c) => c.byeStatus !== undefined && c.byeStatus !== 200 && c.byeStatus !== 0).length}, ` +
      `wrap failures ${wrapFailures}, beeps not matched to a call ${strayBeeps}`,
  );
  const resent = calls.filter((c) => (ua.inviteSends.get(c.callId ?? '') ?? 0) > 1).length;
  console.log(
    `INVITEs retransmitted (no response within T1 = 500 ms): ${resent} calls; ` +
      `second dialogs answered for one INVITE (ACKed and hung up): ${ua.extraDialogs}`,
  );
  console.log(
    `CPU during the load: server ${(cpu * 100).toFixed(0)}%, media workers (${workers.length}) ${(wcpu * 100).toFixed(0)}%, ` +
      `this bench ${(((self.user + self.system) / 1e6 / loadSeconds) * 100).toFixed(0)}% ` +
      `(its event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms)`,
  );
  console.log(
    `main threads, on a CPU / runnable but waiting for one: server ${share(sched.slice(0, 1))}, ` +
      `media workers ${share(sched.slice(1, -1))}, this bench ${share(sched.slice(-1))}`,
  );
  console.log(`load average after: ${load()}`);
  if (beeped.length === 0) throw new Error('no call reached an agent: the bench is broken');
} finally {
  if (ticker) clearInterval(ticker);
  for (const a of agents.values()) a.rt.stop();
  await Promise.all([...agents.values()].map((a) => a.phone.close()));
  await new Promise<void>((r) => (callerRtp ? callerRtp.close(() => r()) : r()));
  await ua.transport.close();
  await stopPlatform(server);
  await store.drop();
}
