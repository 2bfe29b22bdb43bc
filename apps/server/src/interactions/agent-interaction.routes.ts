import {
  ErrorBody,
  type InteractionNotesBody,
  type InteractionOutcomeBody,
  InteractionPanel,
  InteractionNotesBody as NotesSchema,
  InteractionOutcomeBody as OutcomeSchema,
  Uuid,
} from '@parley/contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuthSession } from '../auth/sessions.repository.js';
import { assertCampaignWrapCode } from '../catalog/wrap-codes.service.js';
import type { Db } from '../db/database.js';
import { currentSession } from '../http/access.js';
import { AppError, notFound } from '../http/app-error.js';
import { leadRules, loadLead } from '../leads/lead-view.js';
import { fillScript } from './script.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const params = Type.Object({ id: Uuid }, { additionalProperties: false });
const tags = ['agent'];

const CALL_TYPES = {
  inbound_voice: 'Inbound Call',
  outbound_preview: 'Outbound Preview',
  outbound_predictive: 'Outbound Predictive',
  chat: 'Chat',
  email: 'Email',
} as const;

/** Calls agents placed: their own Call Type, whatever the campaign they are recorded under. */
const PLACED_CALL_TYPES = {
  manual: 'Manual Call',
  agent: 'Agent Call',
  preview: 'Outbound Preview',
  predictive: 'Outbound Predictive',
} as const;

/**
 * The agent's view of one of their interactions: script, information panel and notes (D3, D4,
 * D6). The agent it is with sees it; so do managers and administrators of the workspace.
 */
export function registerAgentInteractionRoutes(app: FastifyInstance, db: Db): void {
  const find = async (s: AuthSession, id: string) => {
    const row = await db
      .selectFrom('queue_entries as e')
      .innerJoin('campaigns as c', 'c.id', 'e.campaign_id')
      .leftJoin('users as u', 'u.id', 'e.agent_id')
      .select([
        'e.id',
        'e.kind',
        'e.agent_id',
        'e.campaign_id',
        'c.name as campaign_name',
        'c.kind as campaign_kind',
        'c.script',
        'u.display_name as agent_name',
        'e.customer_phone',
        'e.platform_phone',
        'e.ivr_data',
        'e.channel_name',
        'e.enqueued_at',
        'e.accepted_at',
        'e.ended_at',
        'e.notes',
        'e.transfer_notes',
        'e.chosen_wrap_code_id',
        'e.call_type',
        'e.lead_id',
        'e.chat_id',
        'c.lead_rules',
      ])
      .where('e.id', '=', id)
      .where('e.workspace_id', '=', s.workspaceId)
      .executeTakeFirst();
    if (!row || (s.role === 'agent' && row.agent_id !== s.userId)) throw notFound('Interaction');
    return row;
  };

  app.get(
    '/api/interactions/:id/panel',
    { schema: { tags, params, response: { 200: InteractionPanel, ...errors } } },
    async (req) => {
      const { id } = req.params as { id: string };
      const r = await find(currentSession(req), id);
      const wrapCodes = await db
        .selectFrom('wrap_codes')
        .select(['id', 'name', 'completes_lead', 'completes_phone_number', 'schedules_callback'])
        .where('campaign_id', '=', r.campaign_id)
        .orderBy('position')
        .execute();
      const lead = r.lead_id ? await loadLead(db, r.lead_id) : undefined;
      const chat = r.chat_id
        ? await db
            .selectFrom('chats')
            .select(['id', 'contact_name', 'survey'])
            .where('id', '=', r.chat_id)
            .executeTakeFirst()
        : undefined;
      return {
        id: r.id,
        kind: r.kind,
        campaignId: r.campaign_id,
        campaignName: r.campaign_name,
        script: fillScript(r.script, {
          'agent.name': r.agent_name,
          'customer.phone': r.customer_phone,
          'campaign.name': r.campaign_name,
          'interaction.id': r.id,
          'ivr.data': r.ivr_data,
          'ivr.text': r.channel_name,
          // A lead's own columns: {lead.First name}, and its id.
          ...(lead && { 'lead.id': lead.id }),
          ...Object.fromEntries(Object.entries(lead?.fields ?? {}).map(([k, v]) => [`lead.${k}`, v])),
          // A chat contact's survey answers: {contact.email}.
          ...(chat && { 'contact.name': chat.contact_name }),
          ...Object.fromEntries((chat?.survey ?? []).map((a) => [`contact.${a.key}`, a.value])),
        }),
        callType: r.call_type ? PLACED_CALL_TYPES[r.call_type] : CALL_TYPES[r.campaign_kind],
        customerPhone: r.customer_phone,
        platformPhone: r.platform_phone,
        ivrData: r.ivr_data,
        ivrText: r.channel_name,
        enqueuedAt: r.enqueued_at.toISOString(),
        acceptedAt: r.accepted_at?.toISOString() ?? null,
        endedAt: r.ended_at?.toISOString() ?? null,
        notes: r.notes,
        transferNotes: r.transfer_notes,
        wrapCodes: wrapCodes.map((w) => ({
          id: w.id,
          name: w.name,
          completesLead: w.completes_lead,
          completesPhoneNumber: w.completes_phone_number,
          schedulesCallback: w.schedules_callback,
        })),
        wrapCodeId: r.chosen_wrap_code_id,
        lead: lead ? { ...lead, editNumbers: leadRules(r.lead_rules).editNumbers } : null,
        ...(chat && { chat: { chatId: chat.id, contactName: chat.contact_name, survey: chat.survey } }),
      };
    },
  );

  app.put(
    '/api/interactions/:id/notes',
    { schema: { tags, params, body: NotesSchema, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const body = req.body as InteractionNotesBody;
      await find(currentSession(req), id);
      if (body.notes !== undefined || body.transferNotes !== undefined) {
        await db
          .updateTable('queue_entries')
          .set({
            ...(body.notes !== undefined && { notes: body.notes }),
            ...(body.transferNotes !== undefined && { transfer_notes: body.transferNotes }),
          })
          .where('id', '=', id)
          .execute();
      }
      return reply.status(204).send();
    },
  );

  // The Outcome, chosen while talking or wrapping; a wrap without a code uses it.
  app.put(
    '/api/interactions/:id/outcome',
    { schema: { tags, params, body: OutcomeSchema, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const { wrapCodeId } = req.body as InteractionOutcomeBody;
      const s = currentSession(req);
      const r = await find(s, id);
      if (r.agent_id !== s.userId)
        throw new AppError('FORBIDDEN_ROLE', 'Only the agent handling the interaction chooses its Outcome');
      if (wrapCodeId !== null) await assertCampaignWrapCode(db, r.campaign_id, wrapCodeId);
      // Checked where it is written: the interaction may be wrapped (done) meanwhile.
      const res = await db
        .updateTable('queue_entries')
        .set({ chosen_wrap_code_id: wrapCodeId })
        .where('id', '=', id)
        .where('agent_id', '=', s.userId)
        .where('state', 'in', ['busy', 'wrapping'])
        .executeTakeFirst();
      if (res.numUpdatedRows !== 1n)
        throw new AppError(
          'INTERACTION_STATE',
          'The Outcome is chosen while the interaction is in conversation or wrap-up',
        );
      return reply.status(204).send();
    },
  );
}
