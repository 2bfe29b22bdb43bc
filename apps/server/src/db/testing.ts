import { after, before } from 'node:test';
import { type Db, type OpenDatabase, openDatabase } from './database.js';
import { createStore, type TestStore } from './test-store.js';

/**
 * For unit tests: a scratch database (migrated), opened before the suite's tests and removed
 * after them; PGlite, or the PostgreSQL server with TEST_DB=postgres. `db` is there once
 * `before` has run.
 */
export function useScratchDatabase(): { readonly db: Db } {
  let database: OpenDatabase | undefined;
  let store: TestStore | undefined;
  before(async () => {
    store = await createStore();
    database = await openDatabase({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
  });
  after(async () => {
    await database?.close();
    await store?.drop();
  });
  return {
    get db(): Db {
      if (!database) throw new Error('the scratch database is opened in before()');
      return database.db;
    },
  };
}
