import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Announcement, UpdateAnnouncementBody } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AuthSession } from '../auth/sessions.repository.js';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import { AppError, notFound } from '../http/app-error.js';
import { assertCampaignOf, inCampaignTeams } from '../workspace/ownership.js';
import { toAnnouncementWav } from './announcement-audio.js';

type Scope = { workspaceId: string; campaignId: string };
const UNIQUE = { unique: 'This campaign already has an announcement with that name' };
const COLUMNS = ['id', 'campaign_id', 'name', 'duration_ms', 'size_bytes', 'created_at'] as const;

type Row = {
  id: string;
  campaign_id: string;
  name: string;
  duration_ms: number;
  size_bytes: number;
  created_at: Date;
};
const toAnnouncement = (r: Row): Announcement => ({
  id: r.id,
  campaignId: r.campaign_id,
  name: r.name,
  durationMs: r.duration_ms,
  sizeBytes: r.size_bytes,
  createdAt: r.created_at.toISOString(),
  audioUrl: `/api/campaigns/${r.campaign_id}/announcements/${r.id}/audio`,
});

/**
 * A campaign may be used by this user: administrators and managers of its workspace, and agents
 * of one of its teams. Anyone else is told it does not exist.
 */
export async function assertServesCampaign(db: Db, s: AuthSession, campaignId: string): Promise<void> {
  let q = db
    .selectFrom('campaigns as c')
    .select('c.id')
    .where('c.id', '=', campaignId)
    .where('c.workspace_id', '=', s.workspaceId);
  if (s.role === 'agent') q = q.where(inCampaignTeams('c.id', s.userId));
  if (!(await q.executeTakeFirst())) throw notFound('Campaign');
}

/**
 * A campaign's announcements (I6): WAV files an administrator uploads, stored under the data
 * folder (announcements/<workspace>/<id>.wav) as 8 kHz mono 16-bit PCM, never under the web
 * root. A file that fails validation or conversion leaves nothing behind; deleting one removes
 * its file.
 */
export class AnnouncementsService {
  private readonly root: string;

  constructor(
    private readonly db: Db,
    dataDir: string,
    private readonly log?: FastifyBaseLogger,
  ) {
    this.root = path.resolve(dataDir, 'announcements');
  }

  async list(scope: Scope): Promise<Announcement[]> {
    await assertCampaignOf(this.db, scope);
    const rows = await this.db
      .selectFrom('announcements')
      .select(COLUMNS)
      .where('campaign_id', '=', scope.campaignId)
      .orderBy('name')
      .execute();
    return rows.map(toAnnouncement);
  }

  async get(scope: Scope, id: string): Promise<Announcement> {
    const row = await this.db
      .selectFrom('announcements')
      .select(COLUMNS)
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Announcement');
    return toAnnouncement(row);
  }

  /** Validates and converts the WAV, then stores the file and its row together (or neither). */
  async upload(scope: Scope, name: string, file: Buffer | undefined): Promise<Announcement> {
    await assertCampaignOf(this.db, scope);
    const trimmed = name.trim();
    const taken = await this.db
      .selectFrom('announcements')
      .select('id')
      .where('campaign_id', '=', scope.campaignId)
      .where('name', '=', trimmed)
      .executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', UNIQUE.unique);
    if (!file?.length) throw new AppError('AUDIO_INVALID', 'No file: send the WAV as the request body');
    const { wav, durationMs } = await toAnnouncementWav(file, path.join(this.root, '.incoming'));

    const id = randomUUID();
    const dir = path.join(this.root, scope.workspaceId);
    const final = path.join(dir, `${id}.wav`);
    const partial = path.join(dir, `.${id}.partial`);
    await mkdir(dir, { recursive: true });
    try {
      await writeFile(partial, wav, { mode: 0o640, flag: 'wx' });
      await rename(partial, final);
      const row = await withConstraints(
        () =>
          this.db
            .insertInto('announcements')
            .values({
              id,
              workspace_id: scope.workspaceId,
              campaign_id: scope.campaignId,
              name: trimmed,
              path: final,
              duration_ms: durationMs,
              size_bytes: wav.length,
            })
            .returning(COLUMNS)
            .executeTakeFirstOrThrow(),
        UNIQUE,
      );
      return toAnnouncement(row);
    } catch (err) {
      await rm(partial, { force: true });
      await rm(final, { force: true });
      throw err;
    }
  }

  async update(scope: Scope, id: string, body: UpdateAnnouncementBody): Promise<Announcement> {
    const row = await withConstraints(
      () =>
        this.db
          .updateTable('announcements')
          .set({ ...(body.name !== undefined && { name: body.name.trim() }) })
          .where('workspace_id', '=', scope.workspaceId)
          .where('campaign_id', '=', scope.campaignId)
          .where('id', '=', id)
          .returning(COLUMNS)
          .executeTakeFirst(),
      UNIQUE,
    );
    if (!row) throw notFound('Announcement');
    return toAnnouncement(row);
  }

  /** Removes the row, then its file (a file already gone is no error). */
  async remove(scope: Scope, id: string): Promise<void> {
    const row = await this.db
      .deleteFrom('announcements')
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .returning('path')
      .executeTakeFirst();
    if (!row) throw notFound('Announcement');
    await unlink(row.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') this.log?.warn({ err, path: row.path }, 'announcement file not removed');
    });
  }

  /** The stored file of one of the campaign's announcements, for those who serve the campaign. */
  async audio(
    s: AuthSession,
    campaignId: string,
    id: string,
  ): Promise<{ path: string; size: number; name: string }> {
    await assertServesCampaign(this.db, s, campaignId);
    const row = await this.db
      .selectFrom('announcements')
      .select(['path', 'name'])
      .where('workspace_id', '=', s.workspaceId)
      .where('campaign_id', '=', campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !path.resolve(row.path).startsWith(this.root + path.sep)) throw notFound('Announcement');
    const size = await stat(row.path).then(
      (st) => st.size,
      () => undefined,
    );
    if (size === undefined) throw notFound('Announcement file');
    return { path: row.path, size, name: row.name };
  }
}
