import assert from 'node:assert/strict';
import { ApiError, HttpClient } from '@parley/client';
import type { FastifyInstance } from 'fastify';
import type { AcdOptions } from '../src/agents/acd.service.js';
import { buildApp } from '../src/app.js';
import type { ThrottlePolicy } from '../src/auth/login-throttle.js';
import type { Clock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { type OpenDatabase, openDatabase } from '../src/db/database.js';
import { createStore, type TestStore } from '../src/db/test-store.js';
import { seedDemoWorkspace } from '../src/demo/demo-seed.js';
import type { GatewayOptions } from '../src/realtime/realtime.gateway.js';

export { createStore, storeEnv, TEST_DB, type TestStore } from '../src/db/test-store.js';

export const DEMO_PASSWORD = 'demo-password-123';

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

/**
 * A web-phone number of the demo workspace that queues straight to Customer Care (no menu), for
 * tests that need a caller waiting at once.
 */
export async function addCareQueueNumber(server: TestServer, number: string): Promise<void> {
  const db = server.database.db;
  const care = await db
    .selectFrom('campaigns')
    .select('id')
    .where('workspace_id', '=', server.workspaceId)
    .where('name', '=', 'Customer Care')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('inbound_numbers')
    .values({ workspace_id: server.workspaceId, number, name: 'Care (web)', campaign_id: care.id })
    .execute();
}

/** The API error a request ends with; fails the test when it succeeds or fails otherwise. */
export async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError, `expected an API error, got ${String(err)}`);
  return err;
}
