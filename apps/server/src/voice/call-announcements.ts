import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { AppError } from '../http/app-error.js';
import type { Call } from './call/call.js';
import { publishOnCall } from './call/call-events.js';
import type { CallRegistry } from './call/call-registry.js';
import type { Playback } from './playback.js';

/** Beyond its length, how long an announcement may take before the toolbar stops showing it. */
const SLACK_MS = 5000;

/**
 * Play Announcement (I6): one of the campaign's soundfiles into the call's bridge, so the contact,
 * the agent and anyone in a conference hear it and the recording keeps it; the conversation goes
 * on underneath and resumes in full when it ends. The agent's interaction names it meanwhile.
 */
export class CallAnnouncements {
  /** The playback on each call now (one at a time). */
  private readonly playing = new Map<Call, string>();

  constructor(
    private readonly deps: {
      db: Db;
      acd: AcdService;
      calls: CallRegistry;
      playback: Playback;
      bus: EventBus;
      log: FastifyBaseLogger;
    },
  ) {}

  /** Starts it and returns; the interaction shows it until it has played. */
  async play(userId: string, callId: string, announcementId: string): Promise<void> {
    const { db, acd, calls, playback, bus, log } = this.deps;
    const call = calls.owned(userId, callId, ['connected', 'conference'], 'Play Announcement', {
      customer: true,
    });
    const row = await db
      .selectFrom('announcements')
      .innerJoin('queue_entries', 'queue_entries.campaign_id', 'announcements.campaign_id')
      .select(['announcements.name', 'announcements.path', 'announcements.duration_ms'])
      .where('announcements.id', '=', announcementId)
      .where('queue_entries.id', '=', call.id)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'That announcement is not one of this campaign’s');
    if (this.playing.has(call)) throw new AppError('INTERACTION_STATE', 'An announcement is already playing');
    const playbackId = `announcement-${randomUUID()}`;
    this.playing.set(call, playbackId);
    let started!: () => void;
    const starting = new Promise<void>((resolve) => {
      started = resolve;
    });
    const done = playback.untilDone(playbackId, row.duration_ms + SLACK_MS, async () => {
      await call.worker.call('playToMixer', {
        playbackId,
        mixerId: call.mixer,
        source: { kind: 'file', path: row.path },
      });
      started();
    });
    try {
      await Promise.race([starting, done]);
    } catch (err) {
      this.playing.delete(call);
      log.error({ err, callId, announcementId }, 'announcement could not be played');
      throw new AppError('INTERACTION_STATE', 'The announcement could not be played');
    }
    await acd.annotate(userId, callId, { announcement: row.name });
    publishOnCall(
      bus,
      call,
      { type: 'call.announcementPlayed', userId, announcementId, name: row.name },
      callId,
    );
    void done
      .catch(() => undefined)
      .then(async () => {
        this.playing.delete(call);
        const owner = call.owner;
        if (call.state !== 'ended' && owner?.userId && owner.entryId)
          await acd.annotate(owner.userId, owner.entryId, { announcement: null });
      })
      .catch((err) => log.warn({ err, callId }, 'announcement end not shown'));
  }
}
