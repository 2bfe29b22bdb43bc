import {
  AgentState,
  ConsultBody,
  ConsultLineBody,
  DialCampaign,
  ErrorBody,
  HoldBody,
  LiveCall,
  MonitorBody,
  PlaceCallBody,
  PlacedCall,
  PlayAnnouncementBody,
  RecordingBody,
  SendDigitsBody,
  TransferBody,
  Uuid,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import { currentSession, STAFF } from '../http/access.js';
import type { CallsService } from './calls.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const params = Type.Object({ id: Uuid }, { additionalProperties: false });
const tags = ['agent'];

/**
 * Call controls on the agent's own call: hold/resume (E3), stop/start recording (E1), tag it (E2),
 * transfers (I1, I3, I4), consult and conference (I5), Play Announcement (I6). Each answers with
 * the agent's state, which shows the call as it now is.
 */
export function registerCallRoutes(app: FastifyInstance, calls: CallsService, acd: AcdService): void {
  app.post(
    '/api/interactions/:id/hold',
    { schema: { tags, params, body: HoldBody, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const userId = currentSession(req).userId;
      await calls.setHeld(userId, id, (req.body as HoldBody).held);
      return acd.stateOf(userId);
    },
  );
  app.post(
    '/api/interactions/:id/recording',
    { schema: { tags, params, body: RecordingBody, response: { 200: AgentState, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const userId = currentSession(req).userId;
      await calls.recordings.set(userId, id, (req.body as RecordingBody).recording);
      return acd.stateOf(userId);
    },
  );
  app.post(
    '/api/interactions/:id/recording/tags',
    {
      schema: {
        tags,
        params,
        response: { 200: Type.Object({ atMs: Type.Integer() }), ...errors },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      return { atMs: await calls.recordings.tag(currentSession(req).userId, id) };
    },
  );
  /** A move on the call, then the agent's state. */
  const move = (
    url: string,
    body: unknown,
    run: (userId: string, id: string, body: never) => Promise<unknown>,
  ) =>
    app.post(
      `/api/interactions/:id/${url}`,
      { schema: { tags, params, ...(body ? { body } : {}), response: { 200: AgentState, ...errors } } },
      async (req) => {
        const { id } = req.params as { id: string };
        const userId = currentSession(req).userId;
        await run(userId, id, req.body as never);
        return acd.stateOf(userId);
      },
    );
  const t = calls.transfers;
  move('transfer', TransferBody, (u, id, b: TransferBody) => t.transfer(u, id, b));
  move('consult', ConsultBody, (u, id, b: ConsultBody) => t.consult(u, id, b));
  move('consult/line', ConsultLineBody, (u, id, b: ConsultLineBody) => t.switchLine(u, id, b.line));
  move('consult/merge', undefined, (u, id) => t.merge(u, id));
  move('consult/hangup', undefined, (u, id) => t.hangUpConsulted(u, id));
  move('leave', undefined, (u, id) => t.leave(u, id));
  move('announcement', PlayAnnouncementBody, (u, id, b: PlayAnnouncementBody) =>
    calls.announcements.play(u, id, b.announcementId),
  );
  move('assist', undefined, (u, id) => calls.supervision.assist(u, id));
  registerPlacedCallRoutes(app, calls, acd);
  registerSupervisionRoutes(app, calls);
}

/** Calls the agent places (F1, F3), and the dial pad's keys during a call. */
function registerPlacedCallRoutes(app: FastifyInstance, calls: CallsService, acd: AcdService): void {
  app.post(
    '/api/calls',
    { schema: { tags, body: PlaceCallBody, response: { 201: PlacedCall, ...errors } } },
    async (req, reply) => {
      const s = currentSession(req);
      reply.code(201);
      return calls.placed.place(s.userId, s.workspaceId, req.body as PlaceCallBody);
    },
  );
  app.get(
    '/api/calls/campaigns',
    { schema: { tags, response: { 200: Type.Array(DialCampaign), ...errors } } },
    async (req) => acd.dialCampaigns(currentSession(req).userId),
  );
  app.post(
    '/api/interactions/:id/digits',
    { schema: { tags, params, body: SendDigitsBody, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      await calls.placed.sendDigits(currentSession(req).userId, id, (req.body as SendDigitsBody).digits);
      return reply.status(204).send();
    },
  );
}

/** Managers on live calls (Q1): the calls they may supervise, and joining one to listen, whisper or barge. */
function registerSupervisionRoutes(app: FastifyInstance, calls: CallsService): void {
  const supervision = ['supervision'];
  const viewer = (req: FastifyRequest) => {
    const s = currentSession(req);
    return { userId: s.userId, workspaceId: s.workspaceId, role: s.role };
  };
  app.get(
    '/api/supervision/calls',
    {
      config: { access: STAFF },
      schema: { tags: supervision, response: { 200: Type.Array(LiveCall), ...errors } },
    },
    (req) => calls.supervision.list(viewer(req)),
  );
  app.post(
    '/api/supervision/calls/:id/monitor',
    {
      config: { access: STAFF },
      schema: { tags: supervision, params, body: MonitorBody, response: { 200: LiveCall, ...errors } },
    },
    (req) => {
      const { id } = req.params as { id: string };
      return calls.supervision.monitor(viewer(req), id, (req.body as MonitorBody).mode);
    },
  );
  app.post(
    '/api/supervision/calls/:id/monitor/stop',
    {
      config: { access: STAFF },
      schema: { tags: supervision, params, response: { 200: LiveCall, ...errors } },
    },
    (req) => {
      const { id } = req.params as { id: string };
      return calls.supervision.stop(viewer(req), id);
    },
  );
}
