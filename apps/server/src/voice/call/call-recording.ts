import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { RecordingSegment } from '../../db/schema.js';
import type { MediaWorker } from '../../media/worker/media-worker-client.js';

export interface RecordingDeps {
  db: Db;
  clock: Clock;
  dataDir: string;
}

/**
 * A call's recording: one stereo file made by the worker from the call's bridge (the customer on
 * the left), its row in `recordings` with the stretches recorded (`segments`) and the tags. A
 * stopped stretch is written as silence, so the file keeps the call's timeline.
 */
export class CallRecording {
  private paused = false;
  private readonly segments: RecordingSegment[] = [{ startMs: 0, stopMs: null }];
  private finished = false;

  private constructor(
    private readonly deps: RecordingDeps,
    readonly id: string,
    private readonly worker: MediaWorker,
  ) {}

  /**
   * Starts recording `mixer`. A recording that cannot be made (disk full, folder not writable)
   * throws and leaves no row behind: no one is offered a file that does not exist.
   */
  static async start(
    deps: RecordingDeps,
    call: { id: string; workspaceId: string; worker: MediaWorker; mixer: string; customerLeg?: string },
  ): Promise<CallRecording> {
    const dir = path.join(deps.dataDir, 'recordings', call.workspaceId);
    let recordingId: string | undefined;
    try {
      await mkdir(dir, { recursive: true });
      const row = await deps.db
        .insertInto('recordings')
        .values({
          workspace_id: call.workspaceId,
          queue_entry_id: call.id,
          path: path.join(dir, `${call.id}.wav`),
          mode: 'stereo',
          started_at: deps.clock.now(),
          segments: JSON.stringify([{ startMs: 0, stopMs: null }]),
        })
        .returning(['id', 'path'])
        .executeTakeFirstOrThrow();
      recordingId = row.id;
      await call.worker.call('startRecording', {
        recordingId: row.id,
        mixerId: call.mixer,
        path: row.path,
        mode: 'stereo',
        ...(call.customerLeg && { leftEndpointId: call.customerLeg }),
      });
      return new CallRecording(deps, row.id, call.worker);
    } catch (err) {
      if (recordingId) await deps.db.deleteFrom('recordings').where('id', '=', recordingId).execute();
      throw err;
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Stops (silence from here) or starts it again; returns where in the file that falls. */
  async setRecording(on: boolean): Promise<number | undefined> {
    if (this.paused === !on) return undefined;
    const { atMs } = await this.worker.call('setRecordingPaused', { recordingId: this.id, paused: !on });
    this.paused = !on;
    if (on) this.segments.push({ startMs: atMs, stopMs: null });
    else this.closeSegment(atMs);
    await this.deps.db
      .updateTable('recordings')
      .set({ segments: JSON.stringify(this.segments) })
      .where('id', '=', this.id)
      .execute();
    return atMs;
  }

  /** A tag where the call is now (E2); returns its offset into the file. */
  async tag(userId: string): Promise<number> {
    const { db, clock } = this.deps;
    const row = await db
      .selectFrom('recordings')
      .select(['started_at', 'tags'])
      .where('id', '=', this.id)
      .executeTakeFirstOrThrow();
    const now = clock.now();
    const atMs = Math.max(0, now.getTime() - row.started_at.getTime());
    const tags = [...row.tags, { atMs, at: now.toISOString(), userId }];
    await db
      .updateTable('recordings')
      .set({ tags: JSON.stringify(tags) })
      .where('id', '=', this.id)
      .execute();
    return atMs;
  }

  /** The call ended: the worker closes the file, the row records its length. */
  async stop(): Promise<void> {
    const done = await this.worker
      .call('stopRecording', { recordingId: this.id })
      .catch(() => ({ durationMs: null }));
    await this.finish(done.durationMs);
  }

  /** The worker could no longer write the file (disk full): the recording ends where it broke. */
  async broke(durationMs: number): Promise<void> {
    await this.finish(durationMs);
  }

  private async finish(durationMs: number | null): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.closeSegment(durationMs);
    await this.deps.db
      .updateTable('recordings')
      .set({
        ended_at: this.deps.clock.now(),
        duration_ms: durationMs,
        segments: JSON.stringify(this.segments),
      })
      .where('id', '=', this.id)
      .execute();
  }

  private closeSegment(atMs: number | null): void {
    const last = this.segments.at(-1);
    if (last && last.stopMs === null) last.stopMs = atMs;
  }
}
