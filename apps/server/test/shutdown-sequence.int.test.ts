import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PhoneServerFrame } from '@parley/contract';
import { WebSocket } from 'ws';
import { openDatabase } from '../src/db/database.js';
import { startTestServer } from './helpers.js';
import { until } from './toolbar.js';
import { WebPeer } from './web-peer.js';

/** The demo number: its menu holds a caller who presses nothing. */
const DEMO_NUMBER = '+61290001000';

/** A WebSocket with what it was sent and how it closed. */
function watch(socket: WebSocket) {
  const seen: { frames: string[]; code: number | undefined; reason: string } = {
    frames: [],
    code: undefined,
    reason: '',
  };
  socket.on('message', (d) => seen.frames.push(String(d)));
  socket.on('close', (code, reason) => {
    seen.code = code;
    seen.reason = String(reason);
  });
  socket.on('error', () => {});
  return seen;
}

test('a stop runs the one shutdown sequence while WebSockets are open: toolbars get 1001, HTTP answers 503, a web caller in the menu is told the call ended', async () => {
  const server = await startTestServer({ media: true });
  const peer = new WebPeer();
  let closed = false;
  try {
    const agent = await server.signIn('agent1');
    const ws = server.url.replace('http', 'ws');
    const toolbarSocket = new WebSocket(`${ws}/api/realtime`, {
      headers: { cookie: agent.sessionCookie ?? '', origin: server.url },
    });
    const toolbar = watch(toolbarSocket);
    await new Promise((r) => toolbarSocket.once('open', r));
    toolbarSocket.send(JSON.stringify({ type: 'hello' }));
    await until(() => toolbar.frames.length > 0, 'the toolbar’s snapshot');

    const phoneSocket = new WebSocket(`${ws}/api/public/phone`);
    const phone = watch(phoneSocket);
    await new Promise((r) => phoneSocket.once('open', r));
    phoneSocket.send(JSON.stringify({ type: 'call', number: DEMO_NUMBER, sdp: await peer.offer() }));
    const frames = () => phone.frames.map((f) => JSON.parse(f) as PhoneServerFrame);
    await until(() => frames().some((f) => f.type === 'answer'), 'the answer', 10_000);
    const answer = frames().find((f) => f.type === 'answer');
    assert.ok(answer?.type === 'answer');
    await peer.answer(answer.sdp);
    await until(
      () => frames().some((f) => f.type === 'state' && f.state === 'menu'),
      'the caller in the menu',
    );

    const stopping = server.close();
    closed = true;
    await until(() => toolbar.code !== undefined, 'the toolbar’s channel closed', 10_000);
    assert.equal(toolbar.code, 1001, 'the toolbar is told the server is going away, and reconnects');
    // The caller is still being told the service is closing: HTTP already refuses new requests.
    assert.equal(phone.code, undefined, 'the web caller’s socket is still open');
    assert.equal((await fetch(`${server.url}/healthz`)).status, 503, 'a load balancer stops sending');
    await stopping;
    await until(() => phone.code !== undefined, 'the web caller’s socket closed');
    assert.deepEqual(
      frames().at(-1),
      { type: 'state', state: 'ended', reason: 'the service is shutting down' },
      'the caller’s page is told the call ended before its socket closes',
    );
    assert.equal(phone.code, 1000);
  } finally {
    await peer.close();
    if (!closed) await server.close();
  }
});

test('a lead import running when the server stops is stopped by the API role’s close: IMPORT_INTERRUPTED, the batches written stay', async () => {
  const server = await startTestServer();
  let closed = false;
  try {
    const admin = await server.signIn('admin');
    const ws = server.workspaceId;
    const preview = (await admin.campaigns(ws).list()).find((c) => c.kind === 'outbound_preview')?.id ?? '';
    const list = await admin.leadLists(ws).create({ campaignId: preview, name: 'Stopped mid-import' });
    const rows = 200_000;
    const csv = ['Mobile,Name', ...Array.from({ length: rows }, (_, i) => `04${20_000_000 + i},Lead ${i}`)];
    const job = await admin.leadLists(ws).importCsv(list.id, `${csv.join('\r\n')}\r\n`, { phone: 'Mobile' });
    let imported = 0;
    for (const end = Date.now() + 30_000; imported === 0; ) {
      if (Date.now() > end) throw new Error('timed out waiting for the first batch');
      imported = (await admin.leadImports(ws).get(job.id)).imported;
      if (imported === 0) await new Promise((r) => setTimeout(r, 20));
    }

    await server.close({ keepData: true });
    closed = true;
    const database = await openDatabase({
      dataDir: server.store.dataDir,
      databaseUrl: server.store.databaseUrl,
    });
    try {
      const row = await database.db
        .selectFrom('lead_imports')
        .select(['status', 'error_code', 'imported'])
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.error_code], ['failed', 'IMPORT_INTERRUPTED'], 'marked at the stop');
      assert.ok(row.imported >= imported && row.imported < rows, `${row.imported} rows written stay`);
    } finally {
      await database.close();
    }
  } finally {
    if (!closed) await server.close({ keepData: true });
    await server.store.drop();
  }
});
