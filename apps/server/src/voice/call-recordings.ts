import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { AppError } from '../http/app-error.js';
import type { Call } from './call/call.js';
import { publishOnCall } from './call/call-events.js';
import { CallRecording } from './call/call-recording.js';
import { type CallRegistry, IN_CONVERSATION } from './call/call-registry.js';

/**
 * The recording of each call (E1, E2): made from the bridge once the agent is on (stereo, the
 * customer left), stopped and started by the agent where the workspace shows the controls,
 * tagged; a recording that cannot be made or breaks off is reported and the call goes on.
 */
export class CallRecordings {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      acd: AcdService;
      bus: EventBus;
      log: FastifyBaseLogger;
      calls: CallRegistry;
      dataDir: string;
    },
  ) {}

  /** Stop or start the call's recording; stopped, silence is written so the file shows the gap. */
  async set(userId: string, callId: string, on: boolean): Promise<void> {
    const call = this.deps.calls.owned(userId, callId, IN_CONVERSATION, 'Recording');
    const settings = await this.deps.db
      .selectFrom('workspaces')
      .select('recording_controls_visible')
      .where('id', '=', call.workspaceId)
      .executeTakeFirst();
    if (!settings?.recording_controls_visible)
      throw new AppError('RECORDING_CONTROLS_OFF', 'Recording controls are turned off in this workspace');
    const rec = call.recording;
    if (!rec) throw new AppError('INTERACTION_STATE', 'This call has no recording');
    const atMs = await rec.setRecording(on);
    if (atMs === undefined) return;
    await this.deps.acd.annotate(userId, callId, { recording: on });
    publishOnCall(this.deps.bus, call, {
      type: on ? 'call.recordingStarted' : 'call.recordingStopped',
      userId,
      recordingId: rec.id,
      atMs,
    });
  }

  /** Tags the call's recording where it is now (E2); returns the offset into the file. */
  async tag(userId: string, callId: string): Promise<number> {
    const call = this.deps.calls.owned(userId, callId, IN_CONVERSATION, 'Tagging');
    const rec = call.recording;
    if (!rec) throw new AppError('INTERACTION_STATE', 'This call has no recording');
    const atMs = await rec.tag(userId);
    publishOnCall(this.deps.bus, call, { type: 'call.recordingTagged', userId, recordingId: rec.id, atMs });
    return atMs;
  }

  /**
   * The call is recorded from the bridge on. A recording that cannot be made (the disk full, the
   * folder not writable) must not drop the customer: it is reported and the call goes on.
   */
  async start(call: Call, userId: string): Promise<void> {
    let recording: CallRecording;
    try {
      recording = await CallRecording.start(this.deps, {
        id: call.id,
        workspaceId: call.workspaceId,
        worker: call.worker,
        mixer: call.mixer,
        ...(call.customer && { customerLeg: call.customer.endpointId }),
      });
    } catch (err) {
      if (call.state === 'connecting') await this.recordingFailed(call, null, err);
      return;
    }
    call.recording = recording;
    await this.deps.acd.annotate(userId, call.id, { recording: true, held: false });
    publishOnCall(this.deps.bus, call, {
      type: 'call.recordingStarted',
      userId,
      recordingId: recording.id,
      atMs: 0,
    });
  }

  /** A file that stops being writable mid-call (disk full) ends the recording, not the call. */
  async broke(recordingId: string, message: string, durationMs: number): Promise<void> {
    let call: Call | undefined;
    for (const c of this.deps.calls.all()) if (c.recording?.id === recordingId) call = c;
    const rec = call?.recording;
    if (!call || !rec || call.state === 'ended') return;
    call.recording = undefined;
    await rec.broke(durationMs);
    await this.recordingFailed(call, recordingId, new Error(message));
  }

  /** Logged for the operators, on the interaction's timeline, and the toolbar shows no recording. */
  private async recordingFailed(call: Call, recordingId: string | null, err: unknown): Promise<void> {
    const reason = err instanceof Error ? err.message : String(err);
    this.deps.log.error(
      { err, callId: call.id, recordingId },
      'the call goes on unrecorded: its recording failed',
    );
    const owner = call.owner;
    const userId = owner?.userId;
    if (userId) await this.deps.acd.annotate(userId, owner.entryId ?? call.id, { recording: false });
    publishOnCall(this.deps.bus, call, {
      type: 'call.recordingFailed',
      ...(userId && { userId }),
      recordingId,
      reason,
    });
  }
}
