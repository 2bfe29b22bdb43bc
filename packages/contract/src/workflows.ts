import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, Uuid } from './common.js';

const NodeId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' });
/** A stock prompt or sound: a WAV under the server's sounds/prompts folder, by name. */
const Prompt = Type.String({ pattern: '^[a-z0-9-]{1,60}$' });
const Seconds = Type.Integer({ minimum: 1, maximum: 60 });
const Digit = Type.String({ pattern: '^[0-9*#]$' });
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' });

const businessHoursFields = {
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  windows: Type.Array(
    Type.Object(
      {
        /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
        days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
        from: Clock,
        to: Clock,
      },
      { additionalProperties: false },
    ),
    { maxItems: 20 },
  ),
};
/** Opening hours: weekly windows ("09:00" to "17:00") in a time zone. */
export const BusinessHours = Type.Object(businessHoursFields, { additionalProperties: false });
export type BusinessHours = Static<typeof BusinessHours>;

export const WorkflowNode = Type.Union([
  /** Plays a prompt, then goes on. */
  Type.Object({ type: Type.Literal('play'), prompt: Prompt, next: NodeId }, { additionalProperties: false }),
  /**
   * Plays a prompt and takes one key: the choice's node. No key within the timeout, or a key
   * that is not a choice, plays the matching prompt and asks again, up to `retries` times; then
   * `otherwise`.
   */
  Type.Object(
    {
      type: Type.Literal('menu'),
      prompt: Prompt,
      choices: Type.Record(Digit, NodeId),
      timeoutSeconds: Seconds,
      retries: Type.Integer({ minimum: 0, maximum: 5 }),
      invalidPrompt: Type.Optional(Prompt),
      noInputPrompt: Type.Optional(Prompt),
      otherwise: NodeId,
    },
    { additionalProperties: false },
  ),
  /** Plays a prompt and collects up to maxDigits keys (ended by the terminator or a pause) into IVR Data. */
  Type.Object(
    {
      type: Type.Literal('collect'),
      prompt: Prompt,
      maxDigits: Type.Integer({ minimum: 1, maximum: 32 }),
      terminator: Type.Optional(Digit),
      firstDigitSeconds: Seconds,
      interDigitSeconds: Seconds,
      next: NodeId,
    },
    { additionalProperties: false },
  ),
  /** Sets the workflow parameter the agent sees as "IVR Data". */
  Type.Object(
    { type: Type.Literal('setData'), value: Type.String({ maxLength: 200 }), next: NodeId },
    { additionalProperties: false },
  ),
  /** Business hours: in one of the windows (in the time zone) goes to `open`, else `closed`. */
  Type.Object(
    { type: Type.Literal('hours'), ...businessHoursFields, open: NodeId, closed: NodeId },
    { additionalProperties: false },
  ),
  /** Queues the call on an inbound voice campaign; the workflow ends here. */
  Type.Object({ type: Type.Literal('queue'), campaignId: Uuid }, { additionalProperties: false }),
  /** Ends the call. */
  Type.Object({ type: Type.Literal('hangup') }, { additionalProperties: false }),
  /**
   * Transfers the caller to a number outside (through the workspace's trunk and dial plan); the
   * workflow ends when it is answered. Refused by the dial plan, busy or unanswered: `failed`.
   */
  Type.Object(
    {
      type: Type.Literal('transfer'),
      number: Type.String({ pattern: '^\\+[1-9][0-9]{5,14}$', description: 'E.164' }),
      ringSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 120 })),
      failed: NodeId,
    },
    { additionalProperties: false },
  ),
]);
export type WorkflowNode = Static<typeof WorkflowNode>;

export const WorkflowDefinition = Type.Object(
  { start: NodeId, nodes: Type.Record(NodeId, WorkflowNode, { maxProperties: 200 }) },
  { additionalProperties: false },
);
export type WorkflowDefinition = Static<typeof WorkflowDefinition>;

export const Workflow = Type.Object({
  id: Uuid,
  name: Type.String(),
  definition: WorkflowDefinition,
  updatedAt: Timestamp,
});
export type Workflow = Static<typeof Workflow>;

export const CreateWorkflowBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), definition: WorkflowDefinition },
  { additionalProperties: false },
);
export type CreateWorkflowBody = Static<typeof CreateWorkflowBody>;

export const UpdateWorkflowBody = Type.Partial(CreateWorkflowBody, { additionalProperties: false });
export type UpdateWorkflowBody = Static<typeof UpdateWorkflowBody>;

/** An inbound number ("voice channel"): its name is the "IVR Text" agents see. */
export const InboundNumber = Type.Object({
  id: Uuid,
  number: Type.String(),
  name: Type.String(),
  /** customer: callers reach the workflow or the campaign; agent_dial_in: agents call in to connect (B1). */
  purpose: Type.Union([Type.Literal('customer'), Type.Literal('agent_dial_in')]),
  /** Where calls go: the workflow if set, else straight to the campaign's queue. */
  workflowId: Type.Union([Uuid, Type.Null()]),
  campaignId: Type.Union([Uuid, Type.Null()]),
  webPhone: Type.Boolean(),
});
export type InboundNumber = Static<typeof InboundNumber>;

export const CreateInboundNumberBody = Type.Object(
  {
    number: Type.String({ pattern: '^\\+[1-9][0-9]{5,14}$', description: 'E.164' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    purpose: Type.Optional(Type.Union([Type.Literal('customer'), Type.Literal('agent_dial_in')])),
    workflowId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    /** Required for customer numbers. */
    campaignId: Type.Optional(Uuid),
    webPhone: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateInboundNumberBody = Static<typeof CreateInboundNumberBody>;

export const UpdateInboundNumberBody = Type.Partial(CreateInboundNumberBody, { additionalProperties: false });
export type UpdateInboundNumberBody = Static<typeof UpdateInboundNumberBody>;

/** What the toolbar shows for "Call in to connect": whom to call and what to key in. */
export const CallInDetails = Type.Object({
  agentId: Type.Integer(),
  numbers: Type.Array(Type.Object({ number: Type.String(), name: Type.String() })),
  /** A fresh verification PIN, valid until `expiresAt` or its first use. */
  pin: Type.String(),
  expiresAt: Timestamp,
});
export type CallInDetails = Static<typeof CallInDetails>;
