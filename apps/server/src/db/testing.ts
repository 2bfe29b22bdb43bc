import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { type Db, type OpenDatabase, openDatabase } from './database.js';

/**
 * For unit tests: an embedded database (PGlite, migrated) in a scratch folder, opened before the
 * suite's tests and removed after them. `db` is there once `before` has run.
 */
export function useScratchDatabase(): { readonly db: Db } {
  let database: OpenDatabase | undefined;
  let dir = '';
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'parley-unit-db-'));
    database = await openDatabase({ dataDir: dir });
  });
  after(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get db(): Db {
      if (!database) throw new Error('the scratch database is opened in before()');
      return database.db;
    },
  };
}
