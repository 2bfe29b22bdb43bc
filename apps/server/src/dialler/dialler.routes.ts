import { Readable } from 'node:stream';
import { DiallerCampaignStats, DiallerReport, DiallerReportQuery, ErrorBody, Uuid } from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { currentSession, STAFF } from '../http/access.js';
import type { DiallerService } from './dialler.service.js';
import { DiallerReports, fileSlug, type ReportRange, reportRange, type Viewer } from './dialler-report.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['dialler'];
const CampaignParams = Type.Object({ workspaceId: Uuid, campaignId: Uuid }, { additionalProperties: false });
const base = '/api/workspaces/:workspaceId/campaigns/:campaignId/dialler';

export interface DiallerRoutesDeps {
  db: Db;
  /** The live figures; only `stats` is used here. */
  dialler: Pick<DiallerService, 'stats'>;
}

/**
 * Managers and administrators on predictive dialling (H2): the live figures of the campaigns they
 * may see, each campaign's compliance report per day, and its audit log and calls as CSV.
 */
export function registerDiallerRoutes(app: FastifyInstance, deps: DiallerRoutesDeps): void {
  const reports = new DiallerReports(deps.db);
  const viewer = (req: FastifyRequest): Viewer => {
    const s = currentSession(req);
    return { userId: s.userId, workspaceId: s.workspaceId, role: s.role };
  };
  const access = { access: STAFF };

  app.get(
    '/api/dialler/campaigns',
    { config: access, schema: { tags, response: { 200: Type.Array(DiallerCampaignStats), ...errors } } },
    async (req) => {
      const v = viewer(req);
      return deps.dialler.stats(v.workspaceId, await reports.visibleCampaigns(v));
    },
  );
  app.get(
    `${base}/report`,
    {
      config: access,
      schema: {
        tags,
        params: CampaignParams,
        querystring: DiallerReportQuery,
        response: { 200: DiallerReport, ...errors },
      },
    },
    (req) => {
      const { campaignId } = req.params as { campaignId: string };
      return reports.report(viewer(req), campaignId, req.query as DiallerReportQuery);
    },
  );

  const csv = (
    name: 'audit' | 'calls',
    lines: (campaignId: string, range: ReportRange) => AsyncIterable<string>,
  ) =>
    app.get(
      `${base}/${name}.csv`,
      {
        config: access,
        schema: { tags, params: CampaignParams, querystring: DiallerReportQuery, response: errors },
      },
      async (req, reply: FastifyReply) => {
        const { campaignId } = req.params as { campaignId: string };
        // Checked before the first byte: a refusal is still a JSON error, not a broken file.
        const range = reportRange(req.query as DiallerReportQuery);
        const c = await reports.campaign(viewer(req), campaignId);
        const file = `dialler-${name}-${fileSlug(c.name, c.id)}-${range.from}-${range.to}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}"`)
          .header('cache-control', 'private, no-store')
          .send(Readable.from(lines(c.id, range)));
      },
    );
  csv('audit', (id, r) => reports.auditCsv(id, r));
  csv('calls', (id, r) => reports.callsCsv(id, r));
}
