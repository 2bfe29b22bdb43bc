import {
  AgentState,
  AgentTimeReport,
  EnqueueContactBody,
  ErrorBody,
  QueueEntry,
  SetStatusBody,
  Uuid,
  WorkspaceParams,
  WrapBody,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import { currentSession, STAFF } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import type { AcdService } from './acd.service.js';
import type { AgentsRepository } from './agents.repository.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const InteractionParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const ReportQuery = Type.Object(
  { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
const tags = ['agent'];

/** The agent's own status and interactions (C1-C3), queueing contacts, and time-in-state reports. */
export function registerAgentRoutes(
  app: FastifyInstance,
  acd: AcdService,
  repo: AgentsRepository,
  clock: Clock,
  /** Refuses a toolbar "Accept" for what must be answered elsewhere (a call ringing a Web Connect tab). */
  acceptGuard: (interactionId: string) => void = () => undefined,
  /** Wraps an interaction on a lead (its outcome applied to the lead); undefined for any other. */
  leadWrap?: (userId: string, interactionId: string, body: WrapBody) => Promise<AgentState | undefined>,
): void {
  app.get('/api/agent/state', { schema: { tags, response: { 200: AgentState, 401: ErrorBody } } }, (req) =>
    acd.stateOf(currentSession(req).userId),
  );
  app.post(
    '/api/agent/status',
    { schema: { tags, body: SetStatusBody, response: { 200: AgentState, ...errors } } },
    (req) => {
      const s = currentSession(req);
      return acd.setStatus(s.userId, s.workspaceId, (req.body as SetStatusBody).status);
    },
  );
  const step = (verb: 'accept' | 'end') =>
    app.post(
      `/api/interactions/:id/${verb}`,
      { schema: { tags, params: InteractionParams, response: { 200: AgentState, ...errors } } },
      (req) => {
        const { id } = req.params as { id: string };
        const userId = currentSession(req).userId;
        if (verb === 'accept') acceptGuard(id);
        return verb === 'accept' ? acd.accept(userId, id) : acd.end(userId, id);
      },
    );
  step('accept');
  step('end');
  app.post(
    '/api/interactions/:id/wrap',
    { schema: { tags, params: InteractionParams, body: WrapBody, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const userId = currentSession(req).userId;
      const body = (req.body as WrapBody | undefined) ?? {};
      return (await leadWrap?.(userId, id, body)) ?? acd.wrap(userId, id, body.wrapCodeId);
    },
  );
  app.post(
    '/api/workspaces/:workspaceId/queue-entries',
    {
      config: { access: STAFF },
      schema: {
        tags: ['queues'],
        params: WorkspaceParams,
        body: EnqueueContactBody,
        response: { 201: QueueEntry, ...errors },
      },
    },
    async (req, reply) => {
      const { workspaceId } = req.params as { workspaceId: string };
      return reply.status(201).send(await acd.enqueue(workspaceId, req.body as EnqueueContactBody));
    },
  );
  app.get(
    '/api/workspaces/:workspaceId/reports/agent-time',
    {
      config: { access: STAFF },
      schema: {
        tags: ['reports'],
        params: WorkspaceParams,
        querystring: ReportQuery,
        response: { 200: AgentTimeReport, ...errors },
      },
    },
    async (req) => {
      const { workspaceId } = req.params as { workspaceId: string };
      const q = req.query as { from: string; to: string };
      const from = new Date(q.from);
      const to = new Date(q.to);
      if (!(from < to)) throw new AppError('VALIDATION_FAILED', '"from" must be before "to"');
      const rows = await repo.timeInStates(workspaceId, from, to, clock.now());
      const byUser = new Map<string, { userId: string; username: string; seconds: Record<string, number> }>();
      for (const r of rows) {
        const entry = byUser.get(r.user_id) ?? { userId: r.user_id, username: r.username, seconds: {} };
        entry.seconds[r.label] = Math.round(Number(r.seconds) * 1000) / 1000;
        byUser.set(r.user_id, entry);
      }
      return [...byUser.values()];
    },
  );
}
