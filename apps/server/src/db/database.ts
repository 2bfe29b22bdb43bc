import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrator.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  /** A PostgreSQL server; without it the embedded PGlite database under dataDir is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Told when an idle pooled connection fails (the pool replaces it). */
  onIdleError?: (err: Error) => void;
}

export interface OpenDatabase {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  let db: Db;
  let kind: OpenDatabase['kind'];
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle connection dropped by the server (restart, failover, admin) must not crash the
    // process: the pool discards it and opens a new one on the next query.
    pool.on('error', (err) => options.onIdleError?.(err));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    const dir = path.resolve(options.dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    const lite = await PGlite.create(dir);
    db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    kind = 'pglite';
  }
  await migrateToLatest(db as unknown as Kysely<unknown>);
  let closed = false;
  return {
    db,
    kind,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
