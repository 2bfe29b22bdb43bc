import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createStore, storeEnv } from '../helpers.js';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const IDLE_SECONDS = 3;
const PER_SOURCE = 256;
const FLOOD = 2000;

const OPTIONS = (callId: string) =>
  [
    'OPTIONS sip:parley@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/TCP 127.0.0.2:5999;branch=z9hG4bK-${callId}`,
    'From: <sip:probe@127.0.0.2>;tag=1',
    'To: <sip:parley@127.0.0.1>',
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

async function until<T>(
  check: () => T | undefined | false,
  what: string,
  ms: number,
  seen: () => string = () => '',
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = check();
    if (found) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} ${seen()}`.trim());
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Held {
  socket: net.Socket;
  from: string;
  opened: number;
  closedAt?: number;
  received: string;
}

function hold(port: number, from: string): Promise<Held> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    const h: Held = { socket, from, opened: Date.now(), received: '' };
    socket.on('data', (d) => (h.received += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      h.closedAt = Date.now();
      resolve(h);
    });
    socket.on('connect', () => resolve(h));
  });
}

/** GET /healthz every 200 ms and a sign-in every second until stopped; every failure is kept. */
function watchHttp(url: string, username: string, password: string) {
  const failures: string[] = [];
  let health = 0;
  let signIns = 0;
  let running = true;
  const loop = async (every: number, probe: () => Promise<void>) => {
    while (running) {
      const started = Date.now();
      await probe().catch((err: Error) => failures.push(err.message));
      await new Promise((r) => setTimeout(r, Math.max(0, every - (Date.now() - started))));
    }
  };
  const signal = () => AbortSignal.timeout(5000);
  const done = Promise.all([
    loop(200, async () => {
      const r = await fetch(`${url}/healthz`, { signal: signal() });
      if (r.status !== 200) throw new Error(`healthz ${r.status}`);
      health++;
    }),
    loop(1000, async () => {
      const r = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
        signal: signal(),
      });
      if (r.status !== 200) throw new Error(`sign-in ${r.status}: ${await r.text()}`);
      signIns++;
    }),
  ]);
  return {
    failures,
    counts: () => ({ health, signIns }),
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/**
 * `npm start`'s server as a process of its own, with `env` over the defaults; `openFiles` starts
 * it under that open-file limit (util-linux prlimit, soft and hard).
 */
async function startServer(env: Record<string, string>, openFiles?: number) {
  const store = await createStore();
  const node = [process.execPath, '--conditions=source', '--import', 'tsx', main];
  const [file, ...args] = openFiles ? ['prlimit', `--nofile=${openFiles}:${openFiles}`, '--', ...node] : node;
  const child = spawn(file ?? process.execPath, args, {
    env: {
      ...process.env,
      ...storeEnv(store),
      PORT: '0',
      SIP_PORT: '0',
      SIP_ADDRESS: '127.0.0.1',
      MEDIA_WORKERS: '1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const stop = async () => {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    await store.drop();
  };
  try {
    const url = await until(
      () => /Parley is running: (http:\/\/localhost:\d+)\//.exec(out)?.[1],
      `the server to start:\n${out}`,
      30_000,
    );
    return {
      url,
      sipPort: Number(/SIP \(UDP and TCP\): port (\d+)/.exec(out)?.[1]),
      password: /agent1\s+(\S+)/.exec(out)?.[1] ?? '',
      log: () => out,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

test('a flood of idle and slow SIP TCP connections is capped and timed out while HTTP and SIP keep answering', async () => {
  const server = await startServer({
    SIP_TCP_IDLE_SECONDS: String(IDLE_SECONDS),
    SIP_TCP_MAX_PER_SOURCE: String(PER_SOURCE),
  });
  const held: Held[] = [];
  let watcher: ReturnType<typeof watchHttp> | undefined;
  try {
    const { url, sipPort, password } = server;
    watcher = watchHttp(url, 'agent1', password);

    // Slow-loris: a message begun and trickled one byte a second, never finished.
    const loris = await Promise.all(['127.0.0.3', '127.0.0.3'].map((from) => hold(sipPort, from)));
    const drip = setInterval(() => {
      for (const l of loris) if (!l.closedAt) l.socket.write('O');
    }, 1000);
    for (let i = 0; i < FLOOD; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => hold(sipPort, '127.0.0.1')));
      held.push(...batch);
    }
    const open = () => held.filter((h) => !h.closedAt).length;
    await until(() => open() === PER_SOURCE, 'the connections over the per-source cap to be closed', 10_000);
    const kept = held.filter((h) => !h.closedAt);

    // Another source is not affected: a real request on a new connection is answered.
    const probe = await hold(sipPort, '127.0.0.2');
    probe.socket.write(OPTIONS('flood-probe'));
    await until(() => probe.received.startsWith('SIP/2.0 200'), 'the OPTIONS answer', 5000);
    probe.socket.write('\r\n\r\n');
    await until(() => probe.received.endsWith('\r\n\r\n\r\n'), 'the keep-alive pong', 5000);

    await until(() => open() === 0, 'the idle connections to be closed', (IDLE_SECONDS + 20) * 1000);
    await until(() => loris.every((l) => l.closedAt), 'the slow-loris connections to be closed', 5000);
    clearInterval(drip);
    const shortest = Math.min(...kept.map((h) => (h.closedAt ?? 0) - h.opened));
    assert.ok(shortest >= IDLE_SECONDS * 1000 - 200, `kept connections lived the idle time (${shortest} ms)`);

    await watcher.stop();
    const { health, signIns } = watcher.counts();
    assert.deepEqual(watcher.failures, [], 'health checks and sign-ins answered throughout');
    assert.ok(health > 10 && signIns > 3, `probes ran throughout (${health} health, ${signIns} sign-ins)`);
    probe.socket.destroy();
  } finally {
    await watcher?.stop();
    for (const h of held) h.socket.destroy();
    await server.stop();
  }
});

test('a flood from many untrusted addresses: each is held to its own cap, all to the total, and HTTP and SIP over UDP keep answering', async () => {
  const TOTAL = 100;
  const PER_UNTRUSTED = 4;
  const ADDRESSES = Array.from({ length: 29 }, (_, i) => `127.0.0.${i + 2}`);
  const EACH = 10;
  // Under a small open-file limit: the start warns that the caps do not fit in it.
  const server = await startServer(
    {
      SIP_TRUSTED_SOURCES: '127.0.0.1/32',
      SIP_TCP_MAX_CONNECTIONS: String(TOTAL),
      SIP_TCP_MAX_PER_UNTRUSTED_SOURCE: String(PER_UNTRUSTED),
      // Longer than the test: what is kept stays open until it is counted.
      SIP_TCP_IDLE_SECONDS: '120',
    },
    4096,
  );
  const held: Held[] = [];
  let watcher: ReturnType<typeof watchHttp> | undefined;
  const udp = createSocket('udp4');
  try {
    assert.match(server.log(), /open-file limit 4096 is below the connection caps/);
    const { url, sipPort, password } = server;
    watcher = watchHttp(url, 'agent1', password);

    const attempts = ADDRESSES.flatMap((from) => Array.from({ length: EACH }, () => from));
    held.push(...(await Promise.all(attempts.map((from) => hold(sipPort, from)))));
    // Every attempt over a cap is closed at once; the total is reached before every address has
    // its four (29 x 4 = 116 > 100).
    const open = () => held.filter((h) => !h.closedAt);
    await until(
      () => held.length - open().length === attempts.length - TOTAL,
      'the connections over the caps to be closed',
      10_000,
      () => `(${open().length} open)`,
    );
    assert.equal(open().length, TOTAL, 'the total cap holds');
    for (const from of ADDRESSES) {
      const mine = open().filter((h) => h.from === from).length;
      assert.ok(mine <= PER_UNTRUSTED, `${from} holds ${mine} connections, at most ${PER_UNTRUSTED}`);
    }

    // SIP over UDP is untouched by the TCP caps.
    let answer = '';
    udp.on('message', (m) => (answer = m.toString('latin1')));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    udp.send(
      OPTIONS('udp-probe').replace(
        'SIP/2.0/TCP 127.0.0.2:5999',
        `SIP/2.0/UDP 127.0.0.1:${udp.address().port}`,
      ),
      sipPort,
      '127.0.0.1',
    );
    await until(() => answer.startsWith('SIP/2.0 200'), 'the OPTIONS answer over UDP', 5000);

    // The HTTP probes ran throughout the flood; a few more rounds with it held open.
    const before = watcher.counts().health;
    await until(() => (watcher?.counts().health ?? 0) >= before + 5, 'more health checks', 10_000);
    await watcher.stop();
    const { health, signIns } = watcher.counts();
    assert.deepEqual(watcher.failures, [], 'health checks and sign-ins answered throughout');
    assert.ok(health > 5 && signIns > 0, `probes ran (${health} health, ${signIns} sign-ins)`);
  } finally {
    udp.close();
    await watcher?.stop();
    for (const h of held) h.socket.destroy();
    await server.stop();
  }
});
