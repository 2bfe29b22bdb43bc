import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '../clock.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';
import type { PlaySource } from '../media/worker/rpc.js';
import { soundsDir } from '../sounds.js';

/** The longest a first prompt waits for the far end to start sending. */
export const FIRST_PROMPT_WAIT_MS = 1500;

/**
 * Plays stock sounds to one leg and waits for them to finish (the worker's playbackDone), and
 * waits for a far end to start sending (mediaStarted) before the first prompt.
 */
export class Playback {
  private readonly waiters = new Map<string, () => void>();
  private readonly listening = new Map<string, () => void>();
  private readonly dir = soundsDir();

  constructor(
    pool: MediaPool,
    private readonly clock: Clock,
  ) {
    pool.on('event', (e) => {
      if (e.event === 'playbackDone') this.waiters.get(e.playbackId)?.();
      if (e.event === 'mediaStarted') this.listening.get(e.endpointId)?.();
    });
  }

  /**
   * Resolves when the leg's far end sends its first packet (a caller's browser has finished ICE
   * and DTLS, so a prompt is not cut), or after `limitMs` (a phone that sends nothing until it
   * hears something). Call it before the far end can have sent: right after making the leg.
   */
  untilHeard(endpointId: string, limitMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        cancel();
        this.listening.delete(endpointId);
        resolve();
      };
      const cancel = this.clock.setTimer(limitMs, done);
      this.listening.set(endpointId, done);
    });
  }

  /** A stock sound by name ("beep", "hold-music", "prompts/welcome-menu"). */
  sound(name: string): PlaySource {
    return { kind: 'file', path: path.join(this.dir, `${name}.wav`) };
  }

  /** Plays `name` to one leg; resolves when it has finished, was cut short, or after `limitMs`. */
  playAndWait(
    worker: MediaWorker,
    endpointId: string,
    name: string,
    options: { stopOnDtmf?: boolean; limitMs?: number; id?: string } = {},
  ): Promise<void> {
    const playbackId = options.id ?? `play-${randomUUID()}`;
    return this.untilDone(playbackId, options.limitMs ?? 2000, () =>
      worker.call('play', {
        playbackId,
        endpointId,
        source: this.sound(name),
        ...(options.stopOnDtmf && { stopOnDtmf: true }),
      }),
    );
  }

  /**
   * Starts playback `playbackId` (`start`) and resolves when the worker reports it done (finished,
   * cut short, stopped), or after `limitMs`. A playback that cannot start rejects.
   */
  async untilDone(playbackId: string, limitMs: number, start: () => Promise<unknown>): Promise<void> {
    const done = new Promise<void>((resolve) => {
      const cancel = this.clock.setTimer(limitMs, resolve);
      this.waiters.set(playbackId, () => {
        cancel();
        resolve();
      });
    });
    try {
      await start();
      await done;
    } finally {
      this.waiters.delete(playbackId);
    }
  }
}
