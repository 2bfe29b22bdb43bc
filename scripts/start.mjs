// npm start: install if needed, build, then run the server with the embedded database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildServer, buildWeb, ensureDependencies, root } from './lib.mjs';

ensureDependencies();
buildWeb();
await buildServer();

const server = spawn(
  process.execPath,
  ['--enable-source-maps', path.join(root, 'apps/server/dist/main.js')],
  {
    stdio: 'inherit',
    env: process.env,
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
