// Which test files touch the database, so that test.mjs runs each of them on the PostgreSQL
// server too. Chosen by what a file uses, not by its name: a new database test is picked up
// without being renamed or listed anywhere.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The ways a test gets a database: the test helpers (a store, an in-process server), the
 * scratch database of src/ unit tests, the database itself, or the server process (main.ts).
 */
const DATABASE_USE =
  /\b(createStore|startTestServer|useScratchDatabase|openDatabase)\b|@electric-sql\/pglite|\/main\.ts['"]/;

/** Test-support modules that define those ways: what a test takes from them is what counts. */
const DEFINES_THEM = new Set(['apps/server/test/helpers.ts']);

const RELATIVE_IMPORT = /\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g;

function usesDatabase(root, file, seen) {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(path.join(root, file), 'utf8');
  if (DATABASE_USE.test(text)) return true;
  // A support module beside the tests (a fixture that starts a server) counts for its importers.
  for (const [, spec] of text.matchAll(RELATIVE_IMPORT)) {
    const target = path.join(path.dirname(file), spec.replace(/\.js$/, '.ts'));
    if (DEFINES_THEM.has(target) || target.split(path.sep).includes('src')) continue;
    if (existsSync(path.join(root, target)) && usesDatabase(root, target, seen)) return true;
  }
  return false;
}

/** The test files (paths relative to root) that open a database, directly or through a fixture. */
export function databaseTestFiles(root, files) {
  return files.filter((file) => usesDatabase(root, file, new Set()));
}
