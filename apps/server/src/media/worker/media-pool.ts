import { EventEmitter } from 'node:events';
import { MediaWorker } from './media-worker-client.js';
import type { WorkerEvent } from './rpc.js';

export interface MediaPoolEvents {
  event: [WorkerEvent, MediaWorker];
  /** A worker died; these endpoints and mixers died with it. A new worker takes new calls. */
  lost: [{ worker: number; owned: string[] }];
}

/**
 * The media role seen from the server: one worker process per core, new calls to the least
 * loaded, all legs of one call on one worker (the caller keeps using the worker it was given).
 */
export class MediaPool extends EventEmitter<MediaPoolEvents> {
  private readonly workers: MediaWorker[] = [];
  private stopping = false;

  constructor(private readonly size: number) {
    super();
    for (let i = 0; i < size; i++) this.workers.push(this.spawn(i));
  }

  /** The worker with the fewest endpoints and mixers. */
  pick(): MediaWorker {
    const alive = this.workers.filter((w) => w.isAlive);
    const best = alive.sort((a, b) => a.owned.size - b.owned.size)[0];
    if (!best) throw new Error('no media worker is running');
    return best;
  }

  get pids(): (number | undefined)[] {
    return this.workers.map((w) => w.pid);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers.map((w) => w.stop()));
  }

  private spawn(index: number): MediaWorker {
    const worker = new MediaWorker(index);
    worker.on('event', (e) => this.emit('event', e, worker));
    worker.on('exit', ({ owned }) => {
      if (this.stopping) return;
      this.emit('lost', { worker: index, owned });
      this.workers[index] = this.spawn(index);
    });
    return worker;
  }
}
