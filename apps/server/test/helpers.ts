import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HttpClient } from '@parley/client';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { AcdOptions } from '../src/agents/acd.service.js';
import { buildApp } from '../src/app.js';
import type { ThrottlePolicy } from '../src/auth/login-throttle.js';
import type { Clock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { type OpenDatabase, openDatabase } from '../src/db/database.js';
import { seedDemoWorkspace } from '../src/demo/demo-seed.js';
import type { GatewayOptions } from '../src/realtime/realtime.gateway.js';

export const DEMO_PASSWORD = 'demo-password-123';
export const TEST_DB = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
const ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A place to keep data: a PGlite folder, or a fresh database on the PostgreSQL server. */
export interface TestStore {
  dataDir: string;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

export async function createStore(kind: 'pglite' | 'postgres' = TEST_DB): Promise<TestStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-test-'));
  if (kind === 'pglite') {
    return {
      dataDir,
      databaseUrl: undefined,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      // A closed pool's connections finish closing a moment later: wait for them rather than
      // force them, so no test sees its connections killed.
      for (let attempt = 0; ; attempt++) {
        try {
          await c.query(`drop database if exists ${name}`);
          break;
        } catch (err) {
          if (attempt >= 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  database: OpenDatabase;
  store: TestStore;
  workspaceId: string;
  /** A signed-in client for a demo user. */
  signIn(username: string, password?: string): Promise<HttpClient>;
  client(): HttpClient;
  /** Stops the server; with keepData the store stays for a restart. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestServerOptions {
  store?: TestStore;
  clock?: Clock;
  throttle?: ThrottlePolicy;
  gateway?: GatewayOptions;
  acd?: AcdOptions;
  /** Start media workers too (Web Connect); off by default to keep test servers light. */
  media?: boolean;
  /** Settings over the test defaults (SIP_TRUSTED_SOURCES, DIAL_*, ...). */
  env?: Record<string, string>;
}

/** The real server on a loopback port, over a real database, with the demo workspace. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = options.store ?? (await createStore());
  const config = loadConfig({
    DATA_DIR: store.dataDir,
    DATABASE_URL: store.databaseUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DEMO_PASSWORD,
    ROLES: options.media ? 'api,realtime,acd,media' : 'api,realtime,acd',
    MEDIA_WORKERS: '1',
    MEDIA_ADDRESSES: '127.0.0.1',
    SIP_PORT: '0',
    SIP_ADDRESS: '127.0.0.1',
    ...options.env,
  });
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  await seedDemoWorkspace(database.db, config.dataDir, DEMO_PASSWORD);
  const app = await buildApp({
    config,
    db: database.db,
    ...(options.clock && { clock: options.clock }),
    ...(options.throttle && { throttle: options.throttle }),
    ...(options.gateway && { gateway: options.gateway }),
    ...(options.acd && { acd: options.acd }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const ws = await database.db
    .selectFrom('workspaces')
    .select('id')
    .where('slug', '=', 'demo')
    .executeTakeFirstOrThrow();
  const client = () => new HttpClient({ baseUrl: url, manageCookies: true });
  return {
    url,
    app,
    database,
    store,
    workspaceId: ws.id,
    client,
    async signIn(username, password = DEMO_PASSWORD) {
      const c = client();
      await c.login({ username, password });
      return c;
    },
    async close({ keepData = false } = {}) {
      await app.close();
      await database.close();
      if (!keepData) await store.drop();
    },
  };
}

/** Raw HTTP, for what the typed client would never send. */
export async function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}
