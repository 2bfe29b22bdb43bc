import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PhoneServerFrame, ServerFrame } from '@parley/contract';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from './helpers.js';
import { buildTeam, until } from './toolbar.js';
import { WebPeer } from './web-peer.js';

/** Web Connect from a client that is not a browser: bad input must fail cleanly; a call on it has its controls. */
describe('Web Connect (B3): signalling with bad input, and recording controls on a call', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ media: true });
  });
  after(async () => server.close());

  async function channel() {
    const c = await server.signIn('agent2');
    const frames: ServerFrame[] = [];
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/realtime`, {
      headers: { cookie: c.sessionCookie ?? '', origin: server.url },
    });
    socket.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerFrame));
    await new Promise((r) => socket.on('open', r));
    socket.send(JSON.stringify({ type: 'hello' }));
    await until(() => frames.some((f) => f.type === 'snapshot'), 'snapshot');
    return { c, socket, frames };
  }

  test('an offer that is not SDP, or has no PCMU, is refused with VOICE_BAD_OFFER; voice is not connected', async () => {
    const { c, socket, frames } = await channel();
    socket.send(
      JSON.stringify({
        type: 'voice.offer',
        requestId: 'r1',
        sdp: 'v=0 this is not an offer',
        persistent: true,
      }),
    );
    const opus = [
      'v=0',
      'o=- 1 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'c=IN IP4 127.0.0.1',
      'a=rtpmap:111 opus/48000/2',
      'a=sendrecv',
      '',
    ].join('\r\n');
    socket.send(JSON.stringify({ type: 'voice.offer', requestId: 'r2', sdp: opus, persistent: true }));
    await until(() => frames.filter((f) => f.type === 'voice.failed').length === 2, 'two refusals', 15_000);
    const failed = frames.flatMap((f) => (f.type === 'voice.failed' ? [[f.requestId, f.code]] : []));
    assert.deepEqual(failed.sort(), [
      ['r1', 'VOICE_BAD_OFFER'],
      ['r2', 'VOICE_BAD_OFFER'],
    ]);
    // Voice went 'connecting' for each attempt; a failed first attempt ends with no voice, not a lost one.
    let voice = '';
    const deadline = Date.now() + 5000;
    while (voice !== 'none' && Date.now() < deadline) {
      voice = (await c.request<{ voice: string }>('GET', '/api/agent/state')).voice;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(voice, 'none');
    socket.close();
  });

  test('a voice frame with a missing or extra field is an invalid frame, and the channel stays up', async () => {
    const { socket, frames } = await channel();
    socket.send(JSON.stringify({ type: 'voice.offer', requestId: 'r3', sdp: 'x'.repeat(20) }));
    socket.send(JSON.stringify({ type: 'voice.hangup', now: true }));
    socket.send(JSON.stringify({ type: 'ping', t: 1 }));
    await until(() => frames.some((f) => f.type === 'pong'), 'pong');
    assert.equal(frames.filter((f) => f.type === 'error' && f.code === 'WS_INVALID_FRAME').length, 2);
    socket.close();
  });

  test('recording controls: refused where the workspace turns them off; stop and start leave segments as the worker reported them (E1)', async (t) => {
    const admin = await server.signIn('admin');
    const ws = server.workspaceId;
    const { campaign, agents } = await buildTeam(server, admin, { kind: 'inbound_voice' });
    const agent = agents[0]?.client;
    assert.ok(agent);
    const number = '+61290007001';
    await admin.numbers(ws).create({ number, name: 'Recorded line', campaignId: campaign.id });
    const closers: (() => unknown)[] = [];
    t.after(async () => {
      for (const close of closers.reverse()) await close();
      await admin.settings(ws).update({ recordingControlsVisible: true });
    });

    // The agent's Web Connect tab: a persistent voice path.
    const tabPeer = new WebPeer(500);
    closers.push(() => tabPeer.close());
    const tabFrames: ServerFrame[] = [];
    const tab = new WebSocket(`${server.url.replace('http', 'ws')}/api/realtime`, {
      headers: { cookie: agent.sessionCookie ?? '', origin: server.url },
    });
    closers.push(() => tab.close());
    tab.on('message', (d) => tabFrames.push(JSON.parse(String(d)) as ServerFrame));
    await new Promise((r) => tab.once('open', r));
    tab.send(JSON.stringify({ type: 'hello' }));
    tab.send(
      JSON.stringify({ type: 'voice.offer', requestId: 'tab', sdp: await tabPeer.offer(), persistent: true }),
    );
    await until(() => tabFrames.some((f) => f.type === 'voice.answer'), 'the tab answered', 15_000);
    const tabAnswer = tabFrames.find((f) => f.type === 'voice.answer');
    assert.ok(tabAnswer?.type === 'voice.answer');
    await tabPeer.answer(tabAnswer.sdp);

    // A customer on the web phone calls the line; the agent takes the call.
    const customer = new WebPeer(900);
    closers.push(() => customer.close());
    const phoneFrames: PhoneServerFrame[] = [];
    const phone = new WebSocket(`${server.url.replace('http', 'ws')}/api/public/phone`);
    closers.push(() => phone.close());
    phone.on('message', (d) => phoneFrames.push(JSON.parse(String(d)) as PhoneServerFrame));
    await new Promise((r) => phone.once('open', r));
    phone.send(JSON.stringify({ type: 'call', number, sdp: await customer.offer() }));
    await until(() => phoneFrames.some((f) => f.type === 'answer'), 'the call answered', 15_000);
    const answer = phoneFrames.find((f) => f.type === 'answer');
    assert.ok(answer?.type === 'answer');
    await customer.answer(answer.sdp);
    await agent.setStatus({ kind: 'available' });
    const phoneIs = (state: string) => phoneFrames.some((f) => f.type === 'state' && f.state === state);
    await until(() => phoneIs('connected'), 'the customer connected', 15_000);
    const [entry] = await admin.interactions(ws, { campaignId: campaign.id });
    assert.ok(entry);
    const timeline = async (kind: string) =>
      (await admin.interaction(ws, entry.id)).timeline.filter((x) => x.kind === kind);
    const atMsOf = async (kind: string, n: number) => {
      for (const end = Date.now() + 10_000; Date.now() < end; ) {
        const found = (await timeline(kind))[n];
        if (found) return Number(found.detail?.atMs);
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no ${kind} #${n} on the timeline`);
    };
    assert.equal(await atMsOf('call.recordingStarted', 0), 0, 'recorded from the bridge on');

    await admin.settings(ws).update({ recordingControlsVisible: false });
    await assert.rejects(agent.recordCall(entry.id, false), { code: 'RECORDING_CONTROLS_OFF' });
    await assert.rejects(agent.recordCall(entry.id, true), { code: 'RECORDING_CONTROLS_OFF' });
    assert.equal((await timeline('call.recordingStopped')).length, 0, 'the refused stop did nothing');

    await admin.settings(ws).update({ recordingControlsVisible: true });
    await agent.recordCall(entry.id, false);
    const stoppedAt = await atMsOf('call.recordingStopped', 0);
    await new Promise((r) => setTimeout(r, 300)); // a listening window: a gap in the recording
    await agent.recordCall(entry.id, true);
    const startedAt = await atMsOf('call.recordingStarted', 1);
    assert.ok(
      stoppedAt > 0 && startedAt > stoppedAt,
      `stopped at ${stoppedAt} ms, started at ${startedAt} ms`,
    );
    await agent.endInteraction(entry.id);
    const db = server.database.db;
    let rec = await db
      .selectFrom('recordings')
      .select(['segments', 'duration_ms', 'ended_at'])
      .where('queue_entry_id', '=', entry.id)
      .executeTakeFirstOrThrow();
    for (const end = Date.now() + 10_000; rec.ended_at === null && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 25));
      rec = await db
        .selectFrom('recordings')
        .select(['segments', 'duration_ms', 'ended_at'])
        .where('queue_entry_id', '=', entry.id)
        .executeTakeFirstOrThrow();
    }
    assert.ok(rec.duration_ms !== null && rec.duration_ms > startedAt, `duration ${rec.duration_ms} ms`);
    assert.deepEqual(rec.segments, [
      { startMs: 0, stopMs: stoppedAt },
      { startMs: startedAt, stopMs: rec.duration_ms },
    ]);
  });
});
