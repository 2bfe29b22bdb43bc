import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';
import type { PlaySource } from '../media/worker/rpc.js';
import { soundsDir } from '../sounds.js';

/** Plays stock sounds to one leg and waits for them to finish (the worker's playbackDone). */
export class Playback {
  private readonly waiters = new Map<string, () => void>();
  private readonly dir = soundsDir();

  constructor(pool: MediaPool) {
    pool.on('event', (e) => {
      if (e.event === 'playbackDone') this.waiters.get(e.playbackId)?.();
    });
  }

  /** A stock sound by name ("beep", "hold-music", "prompts/welcome-menu"). */
  sound(name: string): PlaySource {
    return { kind: 'file', path: path.join(this.dir, `${name}.wav`) };
  }

  /** Plays `name` to one leg; resolves when it has finished, was cut short, or after `limitMs`. */
  async playAndWait(
    worker: MediaWorker,
    endpointId: string,
    name: string,
    options: { stopOnDtmf?: boolean; limitMs?: number; id?: string } = {},
  ): Promise<void> {
    const playbackId = options.id ?? `play-${randomUUID()}`;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.limitMs ?? 2000);
      this.waiters.set(playbackId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      await worker.call('play', {
        playbackId,
        endpointId,
        source: this.sound(name),
        ...(options.stopOnDtmf && { stopOnDtmf: true }),
      });
      await done;
    } finally {
      this.waiters.delete(playbackId);
    }
  }
}
