import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createStore, storeEnv } from './helpers.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/**
 * The server as `npm start | tee` or a supervisor runs it: its own process group (so every
 * process it started can be found), its output piped.
 */
async function start(env: Record<string, string>) {
  const store = await createStore();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main], {
    env: { ...process.env, ...storeEnv(store), PORT: '0', MEDIA_WORKERS: '2', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Closed only when every process holding the pipe has gone (media workers inherit it).
  const outputClosed = new Promise<void>((resolve) => child.stdout.on('close', () => resolve()));
  const group = child.pid ?? 0;
  /** Processes left in the server's group. */
  const left = () =>
    spawnSync('pgrep', ['-g', String(group)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
  return {
    child,
    exited,
    outputClosed,
    out: () => out,
    left,
    /** The processes left, with their command lines. */
    described: () =>
      left()
        .map((pid) => spawnSync('ps', ['-o', 'pid=,args=', '-p', pid], { encoding: 'utf8' }).stdout.trim())
        .join('; '),
    cleanup: async () => {
      spawnSync('pkill', ['-KILL', '-g', String(group)]);
      await store.drop();
    },
  };
}

async function eventually(check: () => boolean, what: () => string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `promise`, or a failure saying what did not happen within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a start that fails, or a server killed, leaves no process behind', () => {
  test('the SIP port taken: exit 1 with the reason, no media worker left, the output closes', async () => {
    // Another program holds the port, over TCP and UDP.
    const tcp = net.createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    const port = (tcp.address() as net.AddressInfo).port;
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(port, '127.0.0.1', () => r()));
    const server = await start({ SIP_PORT: String(port), SIP_ADDRESS: '127.0.0.1' });
    try {
      assert.equal(await server.exited, 1, server.out());
      assert.match(server.out(), /Parley failed to start: Error: bind EADDRINUSE/);
      // Within moments: the server runs under tsx here, whose esbuild helper exits just after it.
      await eventually(
        () => server.left().length === 0,
        () => `no process of the server left: ${server.described()}\n${server.out()}`,
        5_000,
      );
      // Nothing else holds the terminal's output (media workers inherit it).
      await within(server.outputClosed, 10_000, 'the output to close');
    } finally {
      await server.cleanup();
      tcp.close();
      udp.close();
    }
  });

  test('the server killed (SIGKILL): its media workers notice and exit', async () => {
    const server = await start({ SIP_PORT: 'off' });
    try {
      await eventually(
        () => /Parley is running/.test(server.out()),
        () => `the server to start:\n${server.out()}`,
        180_000,
      );
      assert.ok(
        server.left().length >= 3,
        `the server and its two media workers run: ${server.left()}\n${server.out()}`,
      );
      server.child.kill('SIGKILL');
      await server.exited;
      await eventually(
        () => server.left().length === 0,
        () => `the media workers to exit: ${server.described()}\n${server.out()}`,
      );
      await within(server.outputClosed, 10_000, 'the output to close');
    } finally {
      await server.cleanup();
    }
  });
});
