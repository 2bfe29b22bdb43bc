import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict, StrictPartial, Timestamp, Uuid } from './common.js';

/*
 * The directory (F2): one search for the dial box, the transfer dialog and email address
 * fields, over the workspace's own contacts and, where an administrator turned it on,
 * Microsoft Entra ID through Microsoft Graph.
 */

export const PhoneKind = Type.Union([Type.Literal('work'), Type.Literal('mobile')]);
export type PhoneKind = Static<typeof PhoneKind>;

/** A stored phone number: E.164, e.g. +61293744000. */
export const ContactPhone = Type.Object({ number: Type.String(), kind: PhoneKind });
export type ContactPhone = Static<typeof ContactPhone>;

/* The workspace's own contacts (administrators change them; managers read them) */

const Detail = Type.Union([Type.String({ maxLength: 100 }), Type.Null()]);
const Email = Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]);
/** As typed; read in the workspace's default country and stored in E.164. */
const PhoneInput = Type.Object(
  { number: Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' }), kind: PhoneKind },
  { additionalProperties: false },
);
const contactFields = {
  name: Name,
  title: Detail,
  department: Detail,
  phones: Type.Array(PhoneInput, { maxItems: 5 }),
  email: Email,
};
export const CreateWorkspaceContactBody = Strict({
  name: contactFields.name,
  title: Type.Optional(contactFields.title),
  department: Type.Optional(contactFields.department),
  phones: Type.Optional(contactFields.phones),
  email: Type.Optional(contactFields.email),
});
export type CreateWorkspaceContactBody = Static<typeof CreateWorkspaceContactBody>;
export const UpdateWorkspaceContactBody = StrictPartial(contactFields);
export type UpdateWorkspaceContactBody = Static<typeof UpdateWorkspaceContactBody>;

export const WorkspaceContact = Type.Object({
  id: Uuid,
  name: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  department: Type.Union([Type.String(), Type.Null()]),
  phones: Type.Array(ContactPhone),
  email: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Timestamp,
});
export type WorkspaceContact = Static<typeof WorkspaceContact>;

/** POST .../directory/contacts/import takes the CSV file itself as the body. */
export const CONTACTS_CSV_CONTENT_TYPE = 'text/csv';
/** Largest CSV accepted (BODY_TOO_LARGE above it), and most data rows (CSV_INVALID above it). */
export const CONTACTS_CSV_MAX_BYTES = 1024 * 1024;
export const CONTACTS_CSV_MAX_ROWS = 5000;
/** The columns a contacts CSV may have, named in its header row in any order; `name` is required. */
export const CONTACTS_CSV_COLUMNS = ['name', 'title', 'department', 'phone', 'mobile', 'email'] as const;

export const ContactImportResult = Type.Object({
  /** Rows that made a new contact, and rows that updated the contact of the same name. */
  created: Type.Integer(),
  updated: Type.Integer(),
  /** Rows left out, by row number as a spreadsheet shows it (the header is row 1). */
  rejected: Type.Array(Type.Object({ row: Type.Integer(), reason: Type.String() })),
});
export type ContactImportResult = Static<typeof ContactImportResult>;

/* Microsoft Graph, per workspace */

/** A tenant's ID (a GUID) or one of its domain names (contoso.onmicrosoft.com). */
const TenantId = Type.String({
  maxLength: 253,
  pattern:
    '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)$',
});
export const UpdateGraphSettingsBody = Strict({
  enabled: Type.Boolean(),
  tenantId: TenantId,
  /** The app registration's Application (client) ID. */
  clientId: Uuid,
  /** Needed the first time; left out, the stored one is kept. Never returned. */
  clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
});
export type UpdateGraphSettingsBody = Static<typeof UpdateGraphSettingsBody>;
export const GraphSettings = Type.Object({
  enabled: Type.Boolean(),
  tenantId: Type.Union([Type.String(), Type.Null()]),
  clientId: Type.Union([Type.String(), Type.Null()]),
  /** Whether a client secret is stored (it is sealed at rest and never sent back). */
  clientSecretSet: Type.Boolean(),
  updatedAt: Type.Union([Timestamp, Type.Null()]),
});
export type GraphSettings = Static<typeof GraphSettings>;

/* The search (any signed-in user of the workspace) */

export const DirectorySource = Type.Union([Type.Literal('workspace'), Type.Literal('microsoft-graph')]);
export type DirectorySource = Static<typeof DirectorySource>;

export const DirectorySearchQuery = Type.Object(
  { q: Type.String({ minLength: 2, maxLength: 100 }) },
  { additionalProperties: false },
);
export type DirectorySearchQuery = Static<typeof DirectorySearchQuery>;

export const DirectoryContact = Type.Object({
  /** Unique within one answer: the contact's id in its source, prefixed by the source. */
  id: Type.String(),
  source: DirectorySource,
  name: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  department: Type.Union([Type.String(), Type.Null()]),
  /** E.164; numbers a source holds that are not phone numbers are left out. */
  phones: Type.Array(ContactPhone),
  email: Type.Union([Type.String(), Type.Null()]),
  /** False without a phone number: shown, but not dialled or transferred to. */
  dialable: Type.Boolean(),
});
export type DirectoryContact = Static<typeof DirectoryContact>;

export const DirectorySearchResult = Type.Object({
  contacts: Type.Array(DirectoryContact),
  /** Set when a source could not answer (the others' contacts are still there), in words. */
  warning: Type.Optional(Type.String()),
  /** The error code behind the warning (docs/errors.md), e.g. DIRECTORY_AUTH_FAILED. */
  warningCode: Type.Optional(Type.String()),
});
export type DirectorySearchResult = Static<typeof DirectorySearchResult>;

export const WorkspaceContactParams = Type.Object(
  { workspaceId: Uuid, id: Uuid },
  { additionalProperties: false },
);
