// npm test: type-check, lint, build, then every suite: unit and integration on PGlite,
// every test that touches the database again on the PostgreSQL server, end-to-end in Chromium.
// Prints a summary.
// TEST_SUITES=unit,postgres,e2e picks suites (all by default).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { databaseTestFiles } from './database-tests.mjs';
import { buildServer, buildWeb, ensureDependencies, root, run } from './lib.mjs';

const wanted = new Set((process.env.TEST_SUITES ?? 'checks,unit,postgres,e2e').split(','));
const env = { ...process.env, TZ: 'UTC', FORCE_COLOR: '0' };
const results = [];

function find(dir, pattern, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) find(full, pattern, out);
    else if (pattern.test(entry.name)) out.push(path.relative(root, full));
  }
  return out.sort();
}

function sh(command) {
  return spawnSync('bash', ['-c', command], { stdio: 'ignore' }).status === 0;
}

/**
 * Debian packages the tests drive: Chromium (e2e), sox (test tones), SIPp (sip-tester, SIP
 * scenarios), baresip (an agent's phone), Dovecot (IMAP, and LMTP for Postfix to deliver into) and
 * Postfix (SMTP) as the email channel's mail servers. Installed here when missing, as root, like CI.
 * The tests start their own Dovecot and Postfix instances (apps/server/test/mail-servers.ts), never
 * the system's: Postfix is installed unconfigured, and the packages' services are kept from
 * starting (a policy-rc.d for the install) and, under systemd, disabled.
 */
function ensureDebianPackages() {
  const missing = [
    ['chromium', '/usr/bin/chromium'],
    ['sox', '/usr/bin/sox'],
    ['sip-tester', '/usr/bin/sipp'],
    ['baresip', '/usr/bin/baresip'],
    ['dovecot-imapd', '/usr/lib/dovecot/imap'],
    ['dovecot-lmtpd', '/usr/lib/dovecot/lmtp'],
    ['postfix', '/usr/lib/postfix/sbin/master'],
  ].filter(([, bin]) => !existsSync(bin));
  if (missing.length === 0) return true;
  const names = missing.map(([name]) => name).join(' ');
  console.log(`Installing Debian ${names} for the tests...`);
  return run('bash', [
    '-c',
    [
      'export DEBIAN_FRONTEND=noninteractive',
      "echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections",
      'own_policy=',
      'if [ ! -e /usr/sbin/policy-rc.d ]; then',
      "  printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1",
      'fi',
      `apt-get update -qq && apt-get install -y -qq ${names} >/dev/null`,
      'status=$?',
      'if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi',
      'if [ -d /run/systemd/system ]; then systemctl disable --now postfix dovecot >/dev/null 2>&1; fi',
      'exit $status',
    ].join('\n'),
  ]);
}

/** The PostgreSQL server at 127.0.0.1:5432; started when it is down. */
function ensurePostgres() {
  if (sh('pg_isready -q -h 127.0.0.1 -p 5432')) return true;
  console.log('Starting PostgreSQL...');
  sh('pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start');
  for (let i = 0; i < 30; i++) {
    if (sh('pg_isready -q -h 127.0.0.1 -p 5432')) return true;
    spawnSync('sleep', ['1']);
  }
  return false;
}

function step(name, ok) {
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, todo: 0 });
  console.log(`\n${ok ? 'ok' : 'FAILED'}: ${name}\n`);
}

/**
 * The longest one suite may run before it is stopped and counted as failed: it catches a test
 * that leaves something open. On two cores loaded 10-12 deep (7 December 2026, with the mail
 * tests) the PGlite suite ran past 35 minutes without any test hanging.
 */
const SUITE_LIMIT_MS = 45 * 60_000;

/**
 * The spec reporter's closing counts (`ℹ pass 12`, `ℹ skipped 1`, ...): the last of each, so a
 * test that prints such a line itself cannot stand in for them. Absent counts are 0.
 */
function closingCount(output) {
  return (label) => {
    const all = [...output.matchAll(new RegExp(`^ℹ ${label} (\\d+)$`, 'gm'))];
    return Number(all.at(-1)?.[1] ?? 0);
  };
}

/** Runs node's test runner and reads its closing counts. */
function nodeTests(name, files, extraEnv = {}, { buffered = false } = {}) {
  return new Promise((resolve) => {
    if (files.length === 0) {
      results.push({ name, passed: 0, failed: 0, skipped: 0, todo: 0 });
      return resolve();
    }
    console.log(`\n=== ${name} (${files.length} files) ===`);
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        '--test',
        // No --test-force-exit: under load it can end a file's process before all of its tests
        // have reported, silently dropping them. A hung test fails by its timeout instead, and a
        // suite that does not finish is killed by the watchdog below and counted as failed.
        // The timeout holds for each file as a whole too: e2e files that start a platform per
        // test take several minutes on two loaded cores.
        '--test-timeout=600000',
        '--test-reporter=spec',
        ...files,
      ],
      // Its own process group, so the watchdog can stop the test files' processes too.
      { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (!buffered) process.stdout.write(d);
    });
    let killed = false;
    const watchdog = setTimeout(() => {
      killed = true;
      console.log(
        `\n${name}: still running after ${SUITE_LIMIT_MS / 60_000} minutes; stopping it (a test left something open)`,
      );
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, SUITE_LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      // A suite run beside another prints its report whole when it ends, not interleaved.
      if (buffered) process.stdout.write(`\n=== ${name}: report ===\n${out}`);
      const count = closingCount(out);
      const failed =
        count('fail') + count('cancelled') + (killed || (code !== 0 && count('fail') === 0) ? 1 : 0);
      results.push({
        name,
        passed: count('pass'),
        failed,
        skipped: count('skipped'),
        todo: count('todo'),
      });
      resolve();
    });
  });
}

/**
 * The toolbar's component tests: Vitest in jsdom, `*.test.tsx` beside the components (the node
 * runner takes only `*.test.ts`), counted from Vitest's JSON report. They open no port, so they
 * run beside the PostgreSQL pass; their output is printed whole when they end.
 */
function webTests() {
  const name = 'web component tests (Vitest, jsdom)';
  const report = path.join(root, 'test-results', 'web-components.json');
  rmSync(report, { force: true });
  console.log(`\n=== ${name} (beside the next suite; its report follows when it ends) ===`);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  return new Promise((resolve) => {
    const child = spawn('npx', args, {
      cwd: path.join(root, 'apps', 'web'),
      env,
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
    const watchdog = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), SUITE_LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      process.stdout.write(`\n=== ${name}: report ===\n${out}`);
      const counts = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
      // A run that failed without a failed test (a file that would not load, a timeout) counts as one.
      const failedTests = counts?.numFailedTests ?? 0;
      results.push({
        name,
        passed: counts?.numPassedTests ?? 0,
        failed: failedTests + (code !== 0 && failedTests === 0 ? 1 : 0),
        skipped: counts?.numPendingTests ?? 0,
        todo: counts?.numTodoTests ?? 0,
      });
      resolve();
    });
  });
}

ensureDependencies();

if (wanted.has('checks')) {
  for (const project of [
    'packages/contract',
    'packages/client',
    'apps/server',
    'apps/web',
    'apps/widget',
    'e2e',
  ]) {
    step(`type-check ${project}`, run('npx', ['tsc', '--noEmit', '-p', project]));
  }
  step('lint and format (biome)', run('npx', ['biome', 'check', '.']));
}

const unitFiles = [
  ...find(path.join(root, 'apps'), /\.test\.ts$/),
  ...find(path.join(root, 'packages'), /\.test\.ts$/),
];
// Every file that opens a database runs on both kinds; chosen by what it uses (database-tests.mjs).
const postgresFiles = databaseTestFiles(root, unitFiles);

if (['unit', 'postgres', 'e2e'].some((s) => wanted.has(s)) && !ensureDebianPackages()) {
  step('Debian chromium, sox, sip-tester and baresip installed', false);
}

// The PGlite and PostgreSQL passes each run their files one at a time. TEST_PARALLEL=1 runs the
// two side by side (both cores; about 8 minutes saved), but ports found free then race between
// them (a phone's, a SIPp caller's), so one after the other is the default.
const serial = process.env.TEST_PARALLEL !== '1';
const passes = [];
if (wanted.has('unit'))
  passes.push(nodeTests('unit and integration tests (PGlite)', unitFiles, { TEST_DB: 'pglite' }));
if (serial) await Promise.all(passes);
// TEST_SUITES=web alone runs them too.
if (wanted.has('web') || wanted.has('unit')) passes.push(webTests());

if (wanted.has('postgres')) {
  // An integration test is a database test by name: one the rule does not see opens its database
  // some new way, which the rule must learn, or it would quietly never run on PostgreSQL.
  const unseen = unitFiles.filter((f) => f.endsWith('.int.test.ts') && !postgresFiles.includes(f));
  if (unseen.length > 0) {
    console.log(
      `\nNot seen to open a database (teach scripts/database-tests.mjs):\n  ${unseen.join('\n  ')}`,
    );
    step('every integration test is in the PostgreSQL pass', false);
  }
  if (ensurePostgres()) {
    const started = Date.now();
    passes.push(
      nodeTests(
        'database tests (PostgreSQL server)',
        postgresFiles,
        { TEST_DB: 'postgres' },
        { buffered: passes.length > 0 && !serial },
      ).then(() =>
        console.log(`database tests (PostgreSQL server): ${Math.round((Date.now() - started) / 1000)} s`),
      ),
    );
  } else step('PostgreSQL server at 127.0.0.1:5432 is running', false);
}
await Promise.all(passes);

if (wanted.has('e2e')) {
  buildWeb();
  await buildServer();
  await nodeTests('end-to-end tests (Chromium)', find(path.join(root, 'e2e'), /\.e2e\.ts$/));
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
console.log('\nSummary');
for (const r of results) {
  const todo = r.todo ? `, ${r.todo} todo` : '';
  console.log(
    `  ${r.failed ? 'FAIL' : 'ok  '}  ${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${todo}`,
  );
}
// CI reads this line: "N passed, N failed" first, then the skips.
console.log(`\nTotal: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
