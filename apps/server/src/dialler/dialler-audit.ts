import { DEFAULT_PREDICTIVE, type PredictiveSettings } from '@parley/contract';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';

/** A predictive campaign's settings: its own, over the defaults for anything it leaves out. */
export function predictiveSettings(stored: PredictiveSettings | null): PredictiveSettings {
  return { ...DEFAULT_PREDICTIVE, ...(stored ?? {}) };
}

/** The information message must be one of the campaign's own announcements. */
export async function checkInfoMessage(db: Db, campaignId: string | undefined, s: PredictiveSettings) {
  if (s.infoMessageId === null) return;
  const found =
    campaignId &&
    (await db
      .selectFrom('announcements')
      .select('id')
      .where('id', '=', s.infoMessageId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst());
  if (!found)
    throw new AppError(
      'VALIDATION_FAILED',
      'The information message must be one of this campaign’s announcements',
      {
        details: [{ path: '/predictive/infoMessageId', message: 'not an announcement of this campaign' }],
      },
    );
}

export interface AuditEntry {
  workspaceId: string;
  campaignId: string;
  campaignName: string;
  at: Date;
  kind: 'decision' | 'abandon' | 'settings';
  actorId?: string | null;
  detail: Record<string, unknown>;
}

/** Appends to the dialler's audit log (never updated, kept when the campaign goes). */
export async function audit(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('dialler_audit')
    .values(
      entries.map((e) => ({
        workspace_id: e.workspaceId,
        campaign_id: e.campaignId,
        campaign_name: e.campaignName,
        at: e.at,
        kind: e.kind,
        actor_id: e.actorId ?? null,
        detail: JSON.stringify(e.detail),
      })),
    )
    .execute();
}
