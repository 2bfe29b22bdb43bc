import { existsSync, readFileSync } from 'node:fs';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { credentialsPath, formatCredentials, seedDemoWorkspace } from './demo/demo-seed.js';
import { HTTP_LIMITS } from './http/server-limits.js';
import { openFileShortfall, raiseOpenFileLimit } from './process-limits.js';

/**
 * The longest a stop may take: callers waiting hear the closing notice (at most 5 s), our BYEs
 * are answered (at most 2 s), then media workers and the database close. docs/operations.md.
 */
const SHUTDOWN_LIMIT_MS = 15_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (err) =>
      process.stderr.write(
        `${JSON.stringify({ level: 40, time: Date.now(), msg: 'idle database connection lost', err: err.message })}\n`,
      ),
  });
  const openFiles = raiseOpenFileLimit();
  const seeded = await seedDemoWorkspace(database.db, config.dataDir, config.demoPassword);
  const app = await buildApp({ config, db: database.db });
  app.log.info({ openFiles: openFiles.soft, raised: openFiles.raised }, openFiles.note);
  const shortfall = openFileShortfall(openFiles.soft, {
    sipTcp: app.sipPort !== undefined ? config.sipTcpMaxConnections : 0,
    http: HTTP_LIMITS.maxConnections,
  });
  if (shortfall) app.log.warn({ openFiles: openFiles.soft, needed: shortfall.needed }, shortfall.message);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    // The database last: closing the app ends calls, and their records are written then
    // (an onClose hook would run first: Fastify runs them last-added first).
    await app.close();
    await database.close();
    app.log.info('shutdown complete');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // Nothing may outlive a failed start: calls' media workers and the SIP port go with it.
    await app.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  app.log.info({ port, database: database.kind, roles: config.roles }, 'listening');

  const credsFile = credentialsPath(config.dataDir);
  const creds = seeded
    ? formatCredentials(seeded)
    : existsSync(credsFile)
      ? readFileSync(credsFile, 'utf8')
      : '';
  process.stdout.write(
    `\nParley is running: http://localhost:${port}/\n` +
      `Customer web phone: http://localhost:${port}/phone/\n` +
      (app.sipPort !== undefined ? `SIP (UDP and TCP): port ${app.sipPort}\n` : '') +
      (creds ? `\n${creds}(also in ${credsFile})\n\n` : '\n'),
  );
}

main().catch((err) => {
  process.stderr.write(
    `Parley failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
