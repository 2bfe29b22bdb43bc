import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus, InteractionEvent } from '../events.js';

/** What the timeline stores for an event, beyond its kind, time and agent. */
function detailOf(e: InteractionEvent): Record<string, unknown> | null {
  switch (e.type) {
    case 'interaction.ended':
    case 'interaction.abandoned':
      return { by: e.by };
    case 'interaction.wrapped':
      return { wrapCodeId: e.wrapCodeId };
    case 'call.recordingStarted':
    case 'call.recordingStopped':
    case 'call.recordingTagged':
      return { recordingId: e.recordingId, atMs: e.atMs };
    case 'call.recordingFailed':
      return { recordingId: e.recordingId, reason: e.reason };
    case 'interaction.converted':
      return { leadId: e.leadId, campaignId: e.campaignId };
    case 'interaction.placed':
      return { to: e.to, callType: e.callType };
    case 'call.dialFailed':
      return { to: e.to, reason: e.reason, status: e.status };
    case 'call.answered':
    case 'call.consultStarted':
    case 'call.merged':
      return { to: e.to };
    case 'call.consultEnded':
    case 'call.transferFailed':
      return { to: e.to, reason: e.reason };
    case 'call.linesSwitched':
      return { line: e.line };
    case 'call.transferred':
      return { target: e.target, to: e.to };
    case 'call.supervised':
      return { mode: e.mode };
    case 'call.requeued':
      return { reason: e.reason };
    case 'call.announcementPlayed':
      return { announcementId: e.announcementId, name: e.name };
    case 'email.received':
      return { messageId: e.messageId, from: e.from };
    case 'email.sent':
      return { messageId: e.messageId, to: e.to };
    case 'email.failed':
      return { messageId: e.messageId, error: e.error, bounced: e.bounced };
    default:
      return null;
  }
}

/**
 * Every step of every interaction (queued, offered, answered, held, recorded, ended, wrapped),
 * written in the order it was published: the interaction record's timeline.
 */
export class InteractionTimeline {
  private chain = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Db,
    bus: EventBus,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {
    this.unsubscribe = bus.subscribe((event) => {
      if (!('entryId' in event)) return;
      const at = this.clock.now();
      this.chain = this.chain
        .then(() => this.append(event, at))
        .catch((err) => this.log.error({ err, event: event.type }, 'timeline entry not saved'));
    });
  }

  /** Resolves when everything published so far is stored. */
  settled(): Promise<void> {
    return this.chain;
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.chain;
  }

  private async append(e: InteractionEvent, at: Date): Promise<void> {
    const detail = detailOf(e);
    await this.db
      .insertInto('interaction_events')
      .values({
        workspace_id: e.workspaceId,
        queue_entry_id: e.entryId,
        at,
        kind: e.type,
        user_id: e.userId ?? null,
        detail: detail ? JSON.stringify(detail) : null,
      })
      .execute();
  }
}
