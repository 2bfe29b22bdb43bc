import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  ErrorBody,
  InteractionDetail,
  InteractionList,
  InteractionListQuery,
  type InteractionSummary,
  Uuid,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AuthSession } from '../auth/sessions.repository.js';
import type { Db } from '../db/database.js';
import { currentSession, STAFF } from '../http/access.js';
import { notFound } from '../http/app-error.js';
import { inCampaignTeams } from '../workspace/ownership.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['interactions'];
const ItemParams = Type.Object({ workspaceId: Uuid, id: Uuid }, { additionalProperties: false });
const WorkspaceOnly = Type.Object({ workspaceId: Uuid }, { additionalProperties: false });

/**
 * Interaction records for supervisors: the list with filters, one record with its timeline and
 * recordings, and the recording's audio. Administrators see the whole workspace; managers only
 * the campaigns of the teams they belong to.
 */
export function registerInteractionRoutes(app: FastifyInstance, db: Db): void {
  /** Interactions this user may see, with what the list shows. */
  const visible = (s: AuthSession) => {
    let q = db
      .selectFrom('queue_entries as e')
      .innerJoin('campaigns as c', 'c.id', 'e.campaign_id')
      .leftJoin('users as u', 'u.id', 'e.agent_id')
      .leftJoin('wrap_codes as w', 'w.id', 'e.wrap_code_id')
      .where('e.workspace_id', '=', s.workspaceId)
      .select([
        'e.id',
        'e.kind',
        'e.state',
        'e.campaign_id',
        'c.name as campaign_name',
        'e.agent_id',
        'u.display_name as agent_name',
        'e.label',
        'e.enqueued_at',
        'e.customer_phone',
        'e.platform_phone',
        'e.channel_name',
        'e.ivr_data',
        'e.ended_by',
        'w.name as outcome',
        sql<number>`(select count(*)::int from recordings r where r.queue_entry_id = e.id)`.as('recordings'),
      ]);
    if (s.role !== 'administrator') q = q.where(inCampaignTeams('e.campaign_id', s.userId));
    return q;
  };
  type Row = Awaited<ReturnType<ReturnType<typeof visible>['execute']>>[number];
  const summary = (r: Row): InteractionSummary => ({
    id: r.id,
    kind: r.kind,
    state: r.state,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    agentId: r.agent_id,
    agentName: r.agent_name ?? null,
    label: r.label,
    enqueuedAt: r.enqueued_at.toISOString(),
    customerPhone: r.customer_phone,
    platformPhone: r.platform_phone,
    channelName: r.channel_name,
    ivrData: r.ivr_data,
    endedBy: r.ended_by,
    outcome: r.outcome ?? null,
    recordings: Number(r.recordings),
  });

  app.get(
    '/api/workspaces/:workspaceId/interactions',
    {
      config: { access: STAFF },
      schema: {
        tags,
        params: WorkspaceOnly,
        querystring: InteractionListQuery,
        response: { 200: InteractionList, ...errors },
      },
    },
    async (req) => {
      const f = req.query as InteractionListQuery;
      let q = visible(currentSession(req));
      if (f.campaignId) q = q.where('e.campaign_id', '=', f.campaignId);
      if (f.agentId) q = q.where('e.agent_id', '=', f.agentId);
      if (f.state) q = q.where('e.state', '=', f.state);
      if (f.from) q = q.where('e.enqueued_at', '>=', new Date(f.from));
      if (f.to) q = q.where('e.enqueued_at', '<', new Date(f.to));
      const rows = await q
        .orderBy('e.enqueued_at', 'desc')
        .limit(f.limit ? Number(f.limit) : 100)
        .execute();
      return rows.map(summary);
    },
  );

  app.get(
    '/api/workspaces/:workspaceId/interactions/:id',
    {
      config: { access: STAFF },
      schema: { tags, params: ItemParams, response: { 200: InteractionDetail, ...errors } },
    },
    async (req) => {
      const { workspaceId, id } = req.params as { workspaceId: string; id: string };
      const row = await visible(currentSession(req)).where('e.id', '=', id).executeTakeFirst();
      if (!row) throw notFound('Interaction');
      const written = await db
        .selectFrom('queue_entries')
        .select(['notes', 'transfer_notes'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const events = await db
        .selectFrom('interaction_events')
        .selectAll()
        .where('queue_entry_id', '=', id)
        .orderBy('id')
        .execute();
      const recordings = await db
        .selectFrom('recordings')
        .selectAll()
        .where('queue_entry_id', '=', id)
        .orderBy('started_at')
        .execute();
      return {
        ...summary(row),
        notes: written.notes,
        transferNotes: written.transfer_notes,
        timeline: events.map((e) => ({
          at: e.at.toISOString(),
          kind: e.kind,
          userId: e.user_id,
          detail: e.detail,
        })),
        recordingList: recordings.map((r) => ({
          id: r.id,
          mode: r.mode,
          startedAt: r.started_at.toISOString(),
          endedAt: r.ended_at?.toISOString() ?? null,
          durationMs: r.duration_ms,
          segments: r.segments,
          tags: r.tags.map((t) => ({ atMs: t.atMs, at: t.at })),
          audioUrl: `/api/workspaces/${workspaceId}/recordings/${r.id}/audio`,
        })),
      };
    },
  );

  app.get(
    '/api/workspaces/:workspaceId/recordings/:id/audio',
    { config: { access: STAFF }, schema: { tags, params: ItemParams, response: errors } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const rec = await db
        .selectFrom('recordings')
        .select(['path', 'queue_entry_id', 'ended_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      const allowed = rec
        ? await visible(currentSession(req)).where('e.id', '=', rec.queue_entry_id).executeTakeFirst()
        : undefined;
      if (!rec || !allowed) throw notFound('Recording');
      const size = await stat(rec.path).then(
        (s) => s.size,
        () => undefined,
      );
      if (size === undefined) throw notFound('Recording file');
      return reply
        .type('audio/wav')
        .header('content-length', size)
        .header('cache-control', 'private, no-store')
        .send(createReadStream(rec.path));
    },
  );
}
