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
