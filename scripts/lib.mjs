// Shared by start.mjs and test.mjs: getting a fresh clone ready to run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  return res.status === 0;
}

export function must(cmd, args, options = {}) {
  if (!run(cmd, args, options)) {
    console.error(`\nFailed: ${cmd} ${args.join(' ')}`);
    process.exit(1);
  }
}

/** Installs the npm dependencies when the clone has none yet. */
export function ensureDependencies() {
  if (existsSync(path.join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('Installing dependencies (npm ci)...');
  must('npm', ['ci', '--no-audit', '--no-fund']);
}

/** The newest modification time under `dir` (or of the file `dir` names). */
function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

function stale(output, inputs) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((dir) => newest(path.join(root, dir)) > built);
}

/**
 * Builds the toolbar, and the customer web phone with the web chat widget (chat.js, beside the
 * phone in apps/widget/dist), with Vite when their sources are newer than the last build.
 */
export function buildWeb({ force = false } = {}) {
  const apps = [
    { dir: 'apps/web', name: '@parley/web', what: 'the toolbar', inputs: ['packages/client/src'] },
    {
      dir: 'apps/widget',
      name: '@parley/widget',
      what: 'the customer web phone and chat widget',
      inputs: ['packages/client/src'],
      outputs: ['dist/index.html', 'dist/chat.js'],
    },
  ];
  for (const app of apps) {
    const outputs = (app.outputs ?? ['dist/index.html']).map((file) => path.join(root, app.dir, file));
    const inputs = [app.dir, 'packages/contract/src', ...app.inputs];
    if (!force && !outputs.some((out) => stale(out, inputs))) continue;
    console.log(`Building ${app.what}...`);
    must('npm', ['run', 'build', '-w', app.name]);
  }
}

/** Bundles the server into apps/server/dist/main.js; npm packages stay external. */
export async function buildServer({ force = false } = {}) {
  const out = path.join(root, 'apps/server/dist/main.js');
  if (!force && !stale(out, ['apps/server/src', 'packages/contract/src', 'apps/server/package.json'])) return;
  console.log('Building the server...');
  const { build } = await import('esbuild');
  const pkg = JSON.parse(readFileSync(path.join(root, 'apps/server/package.json'), 'utf8'));
  await build({
    // The media worker is a process of its own: a second entry, found beside main.js.
    entryPoints: {
      main: path.join(root, 'apps/server/src/main.ts'),
      'media-worker': path.join(root, 'apps/server/src/media/worker/media-worker.ts'),
    },
    outdir: path.dirname(out),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    conditions: ['source'],
    external: Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@parley/')),
    logLevel: 'warning',
  });
}
