import assert from 'node:assert/strict';
import type { HttpClient } from '@parley/client';
import type { AgentInteraction, AgentState, PhoneServerFrame, ServerFrame } from '@parley/contract';
import { WebSocket } from 'ws';
import type { TestServer } from './helpers.js';
import { until } from './toolbar.js';
import { WebPeer } from './web-peer.js';

const wsUrl = (server: TestServer, path: string) => `${server.url.replace('http', 'ws')}${path}`;

/** An agent's toolbar with a persistent Web Connect voice path that talks with `hz`. */
export async function webAgent(server: TestServer, client: HttpClient, hz: number) {
  const peer = new WebPeer(hz);
  const frames: ServerFrame[] = [];
  const socket = new WebSocket(wsUrl(server, '/api/realtime'), {
    headers: { cookie: client.sessionCookie ?? '', origin: server.url },
  });
  socket.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerFrame));
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'hello' }));
  socket.send(
    JSON.stringify({ type: 'voice.offer', requestId: 'tab', sdp: await peer.offer(), persistent: true }),
  );
  await until(() => frames.some((f) => f.type === 'voice.answer'), 'the tab answered', 15_000);
  const answer = frames.find((f) => f.type === 'voice.answer');
  assert.ok(answer?.type === 'voice.answer');
  await peer.answer(answer.sdp);
  await until(() => frames.some((f) => f.type === 'snapshot'), 'the toolbar snapshot');
  return {
    peer,
    frames,
    socket,
    async close() {
      socket.close();
      await peer.close();
    },
  };
}

/**
 * An agent's toolbar with a non-persistent Web Connect tab: it waits, and connects (once) when
 * a call rings it that the agent placed themselves, talking with `hz`.
 */
export async function waitingWebAgent(server: TestServer, client: HttpClient, hz: number) {
  const peer = new WebPeer(hz);
  const frames: ServerFrame[] = [];
  const socket = new WebSocket(wsUrl(server, '/api/realtime'), {
    headers: { cookie: client.sessionCookie ?? '', origin: server.url },
  });
  socket.on('message', (d) => {
    const frame = JSON.parse(String(d)) as ServerFrame;
    frames.push(frame);
    if (frame.type === 'voice.ring' && frame.placed)
      void peer.offer().then((sdp) =>
        socket.send(
          JSON.stringify({
            type: 'voice.offer',
            requestId: 'call',
            sdp,
            persistent: false,
            interactionId: frame.interactionId,
          }),
        ),
      );
    if (frame.type === 'voice.answer') void peer.answer(frame.sdp);
  });
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'hello' }));
  socket.send(JSON.stringify({ type: 'voice.standby' }));
  await until(() => frames.some((f) => f.type === 'snapshot'), 'the toolbar snapshot');
  return {
    peer,
    frames,
    async close() {
      socket.close();
      await peer.close();
    },
  };
}

/** A customer calling `number` from the web phone, talking with `hz`; answered by the platform. */
export async function webCaller(server: TestServer, number: string, hz: number) {
  const peer = new WebPeer(hz);
  const frames: PhoneServerFrame[] = [];
  const socket = new WebSocket(wsUrl(server, '/api/public/phone'));
  socket.on('message', (d) => frames.push(JSON.parse(String(d)) as PhoneServerFrame));
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'call', number, sdp: await peer.offer() }));
  await until(() => frames.some((f) => f.type === 'answer'), 'the call answered', 15_000);
  const answer = frames.find((f) => f.type === 'answer');
  assert.ok(answer?.type === 'answer');
  await peer.answer(answer.sdp);
  /** The latest state the phone was told. */
  const state = () => frames.flatMap((f) => (f.type === 'state' ? [f.state] : [])).at(-1);
  return {
    peer,
    frames,
    state,
    hangUp() {
      socket.send(JSON.stringify({ type: 'hangup' }));
    },
    async close() {
      socket.close();
      await peer.close();
    },
  };
}

/** The agent's call as their toolbar has it now. */
export async function callOn(c: HttpClient): Promise<AgentInteraction | undefined> {
  const state = await c.request<AgentState>('GET', '/api/agent/state');
  return state.interactions.find((i) => i.kind === 'voice');
}

/** Waits until `c`'s toolbar shows its call as `check` wants. */
export async function toolbarShows(
  c: HttpClient,
  what: string,
  check: (i: AgentInteraction | undefined) => boolean,
  ms = 10_000,
): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check(await callOn(c))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`the toolbar never showed ${what}: ${JSON.stringify(await callOn(c))}`);
}

/**
 * What each party hears now, by tone: the first 300 ms after a move are skipped (audio already
 * on its way), then 0.8 s is listened to by every party at once.
 */
export async function hearing(parties: Record<string, WebPeer>): Promise<Record<string, number[]>> {
  const names = Object.keys(parties);
  await Promise.all(names.map((k) => parties[k]?.listen(15)));
  const heard = await Promise.all(names.map((k) => (parties[k] as WebPeer).tones()));
  return Object.fromEntries(names.map((k, i) => [k, heard[i] ?? []]));
}
