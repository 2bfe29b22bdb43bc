import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** The database tests run on: the PostgreSQL server with TEST_DB=postgres, else PGlite. */
export const TEST_DB = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
const ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A place to keep data: a PGlite folder, or a fresh database on the PostgreSQL server. */
export interface TestStore {
  dataDir: string;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

/**
 * A scratch store for one test or suite; `drop()` removes its folder and its database. The one
 * place tests make and remove databases, so every tier runs on both kinds the same way.
 */
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
      // A closed pool's connections finish closing a moment later (a killed server's, once the
      // server notices): wait for them rather than force them, so no test sees its connections
      // killed.
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

/** The settings that put a server process (src/main.ts) on this store. */
export function storeEnv(store: TestStore): Record<string, string> {
  return {
    DATA_DIR: store.dataDir,
    ...(store.databaseUrl !== undefined && { DATABASE_URL: store.databaseUrl }),
  };
}
