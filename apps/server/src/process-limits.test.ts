import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OPEN_FILE_MARGIN, openFileShortfall, raiseOpenFileLimit } from './process-limits.js';

test('this process runs with its soft open-file limit at the hard limit', () => {
  const r = raiseOpenFileLimit();
  assert.ok(r.soft !== undefined && r.soft === r.hard, r.note);
});

test('a soft limit under the hard one is raised with prlimit on this process, and says so', () => {
  let limits = { soft: 1024, hard: 65536 };
  const calls: string[][] = [];
  const r = raiseOpenFileLimit({
    pid: 4242,
    read: () => limits,
    run: (file, args) => {
      calls.push([file, ...args]);
      limits = { soft: 65536, hard: 65536 };
    },
  });
  assert.deepEqual(calls, [['prlimit', '--pid', '4242', '--nofile=65536:65536']]);
  assert.deepEqual(r, {
    soft: 65536,
    hard: 65536,
    raised: true,
    note: 'open-file limit raised from 1024 to 65536',
  });
});

test('without prlimit the limit is reported as it is', () => {
  const r = raiseOpenFileLimit({
    pid: 1,
    read: () => ({ soft: 1024, hard: 4096 }),
    run: () => {
      throw new Error('spawnSync prlimit ENOENT');
    },
  });
  assert.equal(r.raised, false);
  assert.equal(r.soft, 1024);
  assert.match(r.note, /not raised: spawnSync prlimit ENOENT/);
});

test('a soft limit below the connection caps plus the margin is worth a warning; one above is not', () => {
  const caps = { sipTcp: 4000, http: 10_000 };
  const short = openFileShortfall(4096, caps);
  assert.equal(short?.needed, 4000 + 10_000 + OPEN_FILE_MARGIN);
  assert.match(short?.message ?? '', /open-file limit 4096 is below .* at least 15024/);
  assert.equal(openFileShortfall(short?.needed, caps), undefined);
  assert.equal(openFileShortfall(Number.POSITIVE_INFINITY, caps), undefined);
  assert.equal(
    openFileShortfall(undefined, caps),
    undefined,
    'an unknown limit is logged as unknown, not warned of',
  );
});
