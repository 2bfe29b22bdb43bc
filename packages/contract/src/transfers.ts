import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict, StrictPartial, Timestamp, Uuid } from './common.js';

/*
 * Per-campaign resources for the transfer dialog (I3) and Play Announcement (I6): the campaign's
 * transfer pool of named numbers, and its announcements (soundfiles). Administrators keep them;
 * managers read them; agents of the campaign's teams list them for their calls.
 */

/* Transfer pools */
const destinationFields = {
  name: Name,
  /** As typed; stored in E.164 as the workspace's dial plan reads it, and refused where it refuses. */
  number: Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' }),
  position: Type.Integer({ minimum: 0, maximum: 1000 }),
};
export const CreateTransferDestinationBody = Strict({
  name: destinationFields.name,
  number: destinationFields.number,
  position: Type.Optional(destinationFields.position),
});
export const UpdateTransferDestinationBody = StrictPartial(destinationFields);
export const TransferDestination = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  name: Type.String(),
  /** E.164, e.g. +61293744000. */
  number: Type.String(),
  position: Type.Integer(),
});
export type TransferDestination = Static<typeof TransferDestination>;
export type CreateTransferDestinationBody = Static<typeof CreateTransferDestinationBody>;
export type UpdateTransferDestinationBody = Static<typeof UpdateTransferDestinationBody>;
export const TransferDestinationParams = Type.Object(
  { workspaceId: Uuid, campaignId: Uuid, id: Uuid },
  { additionalProperties: false },
);

/* Announcements */
/** The upload's content type: the WAV file itself is the body. */
export const ANNOUNCEMENT_CONTENT_TYPE = 'audio/wav';
/** Largest upload accepted (BODY_TOO_LARGE above it). */
export const ANNOUNCEMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Longest announcement accepted (AUDIO_TOO_LONG above it). */
export const ANNOUNCEMENT_MAX_MS = 10 * 60 * 1000;

export const Announcement = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  name: Type.String(),
  /** Length of the stored audio (8 kHz mono 16-bit PCM). */
  durationMs: Type.Integer(),
  /** Size of the stored file. */
  sizeBytes: Type.Integer(),
  createdAt: Timestamp,
  /** Where the stored WAV streams from (for anyone who may list it). */
  audioUrl: Type.String(),
});
export type Announcement = Static<typeof Announcement>;
/** POST .../announcements?name=...; the body is the WAV (Content-Type: audio/wav). */
export const UploadAnnouncementQuery = Strict({ name: Name });
export type UploadAnnouncementQuery = Static<typeof UploadAnnouncementQuery>;
export const UpdateAnnouncementBody = StrictPartial({ name: Name });
export type UpdateAnnouncementBody = Static<typeof UpdateAnnouncementBody>;
export const AnnouncementParams = Type.Object(
  { workspaceId: Uuid, campaignId: Uuid, id: Uuid },
  { additionalProperties: false },
);

/* What an agent of the campaign reads (GET /api/campaigns/:campaignId/...) */
export const AgentCampaignParams = Type.Object({ campaignId: Uuid }, { additionalProperties: false });
export const AgentAnnouncementParams = Type.Object(
  { campaignId: Uuid, id: Uuid },
  { additionalProperties: false },
);

/* Moves on a live call (the toolbar's Transfer dialog, Consult, Merge Lines, Play Announcement) */

const Notes = Type.String({ maxLength: 4000 });
/** Another agent of the workspace, Available with voice connected (GET /api/transfer/agents). */
const ToAgent = Strict({ type: Type.Literal('agent'), userId: Uuid, notes: Type.Optional(Notes) });
/** A number of the campaign's transfer pool. */
const ToPoolNumber = Strict({ type: Type.Literal('number'), destinationId: Uuid });
/**
 * "Other number": as typed, or a directory contact's number (`label`: their name, as the line
 * and the record show it); the workspace's dial plan decides (DIAL_PLAN_REFUSED).
 */
const ToOtherNumber = Strict({
  type: Type.Literal('number'),
  number: destinationFields.number,
  label: Type.Optional(Name),
});
/** An IVR workflow of the workspace (GET /api/transfer/workflows). */
const ToWorkflow = Strict({ type: Type.Literal('workflow'), workflowId: Uuid });

/**
 * POST /api/interactions/:id/transfer: a blind transfer; the agent leaves the call for wrap-up
 * once it is handed over (to an agent: when they answer; to a number: when it answers; to a
 * workflow: at once). A destination that does not answer or refuses leaves the agent with the
 * customer and says why (TRANSFER_FAILED).
 */
export const TransferBody = Type.Union([ToAgent, ToPoolNumber, ToOtherNumber, ToWorkflow]);
export type TransferBody = Static<typeof TransferBody>;

/**
 * POST /api/interactions/:id/consult: a second line. The customer hears on-hold music while the
 * agent talks to the consulted party (an agent or a number). To a workflow, this is the guide's
 * "Assisted transfer": the agent stays with the caller through the workflow (both hear its
 * prompts) and its queue, and talks to the agent who takes the call before leaving it to them.
 */
export const ConsultBody = Type.Union([ToAgent, ToPoolNumber, ToOtherNumber, ToWorkflow]);
export type ConsultBody = Static<typeof ConsultBody>;

/** POST /api/interactions/:id/consult/line: the line the agent talks on (the other waits). */
export const ConsultLineBody = Strict({
  line: Type.Union([Type.Literal('customer'), Type.Literal('consulted')]),
});
export type ConsultLineBody = Static<typeof ConsultLineBody>;

/** POST /api/interactions/:id/announcement: plays to the contact and the agent, then talk resumes. */
export const PlayAnnouncementBody = Strict({ announcementId: Uuid });
export type PlayAnnouncementBody = Static<typeof PlayAnnouncementBody>;

/**
 * The second line of a call, as the toolbar shows it. `active`: who the agent talks to: the
 * customer (the consulted party waits in silence), the consulted party (the customer hears
 * music) or everyone (Merge Lines made a conference).
 */
export const ConsultLine = Type.Object({
  /** "Agent Two", a pool number's name, or the number dialled. */
  label: Type.String(),
  state: Type.Union([Type.Literal('ringing'), Type.Literal('connected')]),
  active: Type.Union([Type.Literal('customer'), Type.Literal('consulted'), Type.Literal('conference')]),
});
export type ConsultLine = Static<typeof ConsultLine>;

/** An agent a call may be transferred to: Available with voice connected. */
export const TransferAgent = Type.Object({ id: Uuid, name: Type.String() });
export type TransferAgent = Static<typeof TransferAgent>;
export const TransferWorkflow = Type.Object({ id: Uuid, name: Type.String() });
export type TransferWorkflow = Static<typeof TransferWorkflow>;
