import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict, StrictPartial, Uuid } from './common.js';
import { PredictiveSettings } from './dialler.js';
import { LeadRules } from './leads.js';

/* Teams */
export const CreateTeamBody = Strict({ name: Name });
export const UpdateTeamBody = StrictPartial({ name: Name });
export const Team = Type.Object({ id: Uuid, name: Type.String(), memberIds: Type.Array(Uuid) });
export type Team = Static<typeof Team>;

/* Agent profiles */
const profileFields = {
  name: Name,
  /** Chats an agent holds at once (the guide: up to five). */
  maxConcurrentChats: Type.Integer({ minimum: 1, maximum: 5, default: 5 }),
  /** The agent may send new emails (the toolbar's Send Email icon); replies need no leave. */
  sendEmail: Type.Boolean({ default: false }),
};
export const CreateAgentProfileBody = Strict({
  name: profileFields.name,
  maxConcurrentChats: Type.Optional(profileFields.maxConcurrentChats),
  sendEmail: Type.Optional(profileFields.sendEmail),
});
export const UpdateAgentProfileBody = StrictPartial(profileFields);
export const AgentProfile = Type.Object({
  id: Uuid,
  name: Type.String(),
  maxConcurrentChats: Type.Integer(),
  sendEmail: Type.Boolean(),
});
export type AgentProfile = Static<typeof AgentProfile>;

/* Pause reasons */
const pauseFields = { name: Name, position: Type.Integer({ minimum: 0, maximum: 1000 }) };
export const CreatePauseReasonBody = Strict({
  name: pauseFields.name,
  position: Type.Optional(pauseFields.position),
});
export const UpdatePauseReasonBody = StrictPartial(pauseFields);
export const PauseReason = Type.Object({ id: Uuid, name: Type.String(), position: Type.Integer() });
export type PauseReason = Static<typeof PauseReason>;

/* Campaigns */
export const CAMPAIGN_KINDS = [
  'inbound_voice',
  'outbound_preview',
  'outbound_predictive',
  'chat',
  'email',
] as const;
export const CampaignKind = Type.Union(CAMPAIGN_KINDS.map((k) => Type.Literal(k)));
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

const campaignFields = {
  name: Name,
  kind: CampaignKind,
  script: Type.String({ maxLength: 20000 }),
  teamIds: Type.Array(Uuid, { uniqueItems: true, maxItems: 100 }),
  /** The number outbound calls present (E.164); null: the trunk's. */
  callerId: Type.Union([Type.String({ pattern: '^\\+[1-9][0-9]{5,14}$' }), Type.Null()]),
  /** How long a number the campaign calls rings before the platform gives up (no answer). */
  ringSeconds: Type.Integer({ minimum: 15, maximum: 120 }),
  /** An outbound campaign's calling rules for its leads. */
  leadRules: LeadRules,
  /** A predictive campaign's dialling settings (abandonment cap, lockout, information message). */
  predictive: PredictiveSettings,
};
export const CreateCampaignBody = Strict({
  name: campaignFields.name,
  kind: campaignFields.kind,
  script: Type.Optional(campaignFields.script),
  teamIds: Type.Optional(campaignFields.teamIds),
  callerId: Type.Optional(campaignFields.callerId),
  ringSeconds: Type.Optional(campaignFields.ringSeconds),
  leadRules: Type.Optional(campaignFields.leadRules),
  predictive: Type.Optional(campaignFields.predictive),
});
export const UpdateCampaignBody = StrictPartial({
  name: campaignFields.name,
  script: campaignFields.script,
  teamIds: campaignFields.teamIds,
  callerId: campaignFields.callerId,
  ringSeconds: campaignFields.ringSeconds,
  leadRules: campaignFields.leadRules,
  predictive: campaignFields.predictive,
});
export const Campaign = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: CampaignKind,
  script: Type.String(),
  teamIds: Type.Array(Uuid),
  callerId: Type.Union([Type.String(), Type.Null()]),
  ringSeconds: Type.Integer(),
  /** The calling rules in force (the defaults where the campaign set none). */
  leadRules: LeadRules,
  /** The predictive settings in force (the defaults where the campaign set none). */
  predictive: PredictiveSettings,
});
export type Campaign = Static<typeof Campaign>;

/* Wrap codes (per campaign) */
const wrapFields = {
  name: Name,
  completesLead: Type.Boolean(),
  completesPhoneNumber: Type.Boolean(),
  schedulesCallback: Type.Boolean(),
  /** Retry later: the number may be called again this many minutes after (null: the campaign's rule). */
  retryMinutes: Type.Union([Type.Integer({ minimum: 1, maximum: 525_600 }), Type.Null()]),
  /** The number called goes on the workspace's do-not-call list. */
  doNotCall: Type.Boolean(),
  position: Type.Integer({ minimum: 0, maximum: 1000 }),
};
export const CreateWrapCodeBody = Strict({
  name: wrapFields.name,
  completesLead: Type.Optional(wrapFields.completesLead),
  completesPhoneNumber: Type.Optional(wrapFields.completesPhoneNumber),
  schedulesCallback: Type.Optional(wrapFields.schedulesCallback),
  retryMinutes: Type.Optional(wrapFields.retryMinutes),
  doNotCall: Type.Optional(wrapFields.doNotCall),
  position: Type.Optional(wrapFields.position),
});
export const UpdateWrapCodeBody = StrictPartial(wrapFields);
export const WrapCode = Type.Object({ id: Uuid, campaignId: Uuid, ...wrapFields });
export type WrapCode = Static<typeof WrapCode>;
export const CampaignParams = Type.Object(
  { workspaceId: Uuid, campaignId: Uuid },
  { additionalProperties: false },
);
export const WrapCodeParams = Type.Object(
  { workspaceId: Uuid, campaignId: Uuid, id: Uuid },
  { additionalProperties: false },
);

export type CreateTeamBody = Static<typeof CreateTeamBody>;
export type UpdateTeamBody = Static<typeof UpdateTeamBody>;
export type CreateAgentProfileBody = Static<typeof CreateAgentProfileBody>;
export type UpdateAgentProfileBody = Static<typeof UpdateAgentProfileBody>;
export type CreatePauseReasonBody = Static<typeof CreatePauseReasonBody>;
export type UpdatePauseReasonBody = Static<typeof UpdatePauseReasonBody>;
export type CreateCampaignBody = Static<typeof CreateCampaignBody>;
export type UpdateCampaignBody = Static<typeof UpdateCampaignBody>;
export type CreateWrapCodeBody = Static<typeof CreateWrapCodeBody>;
export type UpdateWrapCodeBody = Static<typeof UpdateWrapCodeBody>;
