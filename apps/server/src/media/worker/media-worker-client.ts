import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FromWorker,
  MediaError,
  type MediaErrorCode,
  type WorkerEvent,
  type WorkerMethod,
  type WorkerRequests,
} from './rpc.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The worker's entry: the TypeScript source under tsx, or the bundled file beside main.js. */
function workerEntry(): string {
  return import.meta.url.endsWith('.ts')
    ? path.join(here, 'media-worker.ts')
    : path.join(here, 'media-worker.js');
}

/**
 * The parent's flags (tsx, conditions), plus a CPU profile per worker when MEDIA_WORKER_PROF is
 * set: `MEDIA_WORKER_PROF=1` writes to ./media-prof, any other value is taken as the directory.
 * The profile is written when the worker exits normally (stop(), not crash()).
 */
function workerExecArgv(): string[] {
  const prof = process.env.MEDIA_WORKER_PROF;
  if (!prof) return process.execArgv;
  const dir = prof === '1' ? path.resolve('media-prof') : path.resolve(prof);
  return [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${dir}`];
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export interface MediaWorkerEvents {
  event: [WorkerEvent];
  /** The process died: every endpoint and mixer it owned is gone. */
  exit: [{ code: number | null; signal: NodeJS.Signals | null; owned: string[] }];
}

/** One media worker process, seen from the server: typed calls, events, death detection. */
export class MediaWorker extends EventEmitter<MediaWorkerEvents> {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private alive = true;
  /** Ids of endpoints and mixers created here and not destroyed. */
  readonly owned = new Set<string>();

  constructor(
    readonly index: number,
    private readonly timeoutMs = 10_000,
  ) {
    super();
    this.child = fork(workerEntry(), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      execArgv: workerExecArgv(),
      // The worker knows its server even if it was adopted by init before it could look.
      env: { ...process.env, PARLEY_SERVER_PID: String(process.pid) },
    });
    this.child.on('message', (m) => this.receive(m as FromWorker));
    this.child.on('exit', (code, signal) => {
      this.alive = false;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new MediaError('MEDIA_WORKER_GONE', `media worker ${index} exited`));
      }
      this.pending.clear();
      this.emit('exit', { code, signal, owned: [...this.owned] });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  call<M extends WorkerMethod>(
    method: M,
    params: WorkerRequests[M]['params'],
  ): Promise<WorkerRequests[M]['result']> {
    if (!this.alive)
      return Promise.reject(new MediaError('MEDIA_WORKER_GONE', `media worker ${this.index} is gone`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new MediaError('MEDIA_FAILED', `media worker did not answer ${method} in time`));
      }, this.timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          this.track(method, params);
          resolve(v as WorkerRequests[M]['result']);
        },
        reject,
        timer,
      });
      this.child.send({ id, method, params });
    });
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }

  /** Kills the process as a crash would (tests of recovery). */
  crash(): void {
    this.child.kill('SIGKILL');
  }

  private track(method: WorkerMethod, params: unknown): void {
    const p = params as { endpointId?: string; mixerId?: string; id?: string };
    if (method === 'createRtpEndpoint' || method === 'createWebRtcEndpoint')
      this.owned.add(p.endpointId ?? '');
    if (method === 'createMixer') this.owned.add(p.mixerId ?? '');
    if (method === 'destroy') this.owned.delete(p.id ?? '');
  }

  private receive(m: FromWorker): void {
    if ('event' in m) {
      this.emit('event', m);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new MediaError(m.error.code as MediaErrorCode, m.error.message));
  }
}
