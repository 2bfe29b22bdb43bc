import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, Uuid } from './common.js';
import { DoNotCallEntry, Lead } from './leads.js';

/*
 * Lead lists and the CSV import of leads into them (G8), and the workspace's do-not-call list:
 * the administrators' API. An import is a job: the upload is answered at once with the job, whose
 * counts grow while its rows are read, and which ends `completed` or `failed`; its per-row report
 * (line, column, value, outcome, reason) is a CSV file the administrator downloads.
 */

/** The body of an import is the CSV file itself. */
export const LEAD_CSV_CONTENT_TYPE = 'text/csv';
/** The largest file an import takes (BODY_TOO_LARGE above it): it is kept on disk, not in memory. */
export const LEAD_CSV_MAX_BYTES = 1024 * 1024 * 1024;
/** One row of a file (a record, quoted line breaks included) may be at most this long (CSV_MALFORMED). */
export const LEAD_CSV_MAX_RECORD_BYTES = 64 * 1024;
/** Columns a lead file may have (CSV_INVALID above it). */
export const LEAD_CSV_MAX_COLUMNS = 200;
/** A lead field's value may be at most this long (the row is rejected). */
export const LEAD_FIELD_MAX_CHARS = 2000;
/** Phone columns one lead may have. */
export const LEAD_MAX_PHONE_COLUMNS = 10;
/** Rows written per statement and transaction; the counts a running import shows move by this. */
export const LEAD_IMPORT_BATCH_ROWS = 1000;
/** The columns of an import's report, in order. */
export const LEAD_IMPORT_REPORT_COLUMNS = ['line', 'column', 'value', 'outcome', 'reason'] as const;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const HeaderName = Type.String({ minLength: 1, maxLength: 100 });
/** A query-string parameter given once or repeated. */
const OneOrMore = (item: typeof HeaderName, maxItems: number) =>
  Type.Union([item, Type.Array(item, { minItems: 1, maxItems })]);
const Delimiter = Type.Union([Type.Literal(','), Type.Literal(';'), Type.Literal('\t')]);
/** A count written as digits in a query string. */
const Limit = Type.String({ pattern: '^(?:[1-9][0-9]?|[1-4][0-9]{2}|500)$' });

export const LeadListParams = Type.Object(
  { workspaceId: Uuid, listId: Uuid },
  { additionalProperties: false },
);
export type LeadListParams = Static<typeof LeadListParams>;
export const LeadParams = Type.Object(
  { workspaceId: Uuid, listId: Uuid, leadId: Uuid },
  { additionalProperties: false },
);
export type LeadParams = Static<typeof LeadParams>;
export const LeadImportParams = Type.Object(
  { workspaceId: Uuid, importId: Uuid },
  { additionalProperties: false },
);
export type LeadImportParams = Static<typeof LeadImportParams>;

/** The lead lists of one campaign, or of every campaign. */
export const LeadListQuery = Type.Object(
  { campaignId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type LeadListQuery = Static<typeof LeadListQuery>;

/** A page of a list's leads, in the order they were added: pass `next` back as `after`. */
export const LeadPageQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })),
    /** 1 to 500, 100 if not given. */
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
export type LeadPageQuery = Static<typeof LeadPageQuery>;
export const LeadPage = Type.Object({
  leads: Type.Array(Lead),
  /** The `after` of the next page; null on the last. */
  next: Type.Union([Type.String(), Type.Null()]),
});
export type LeadPage = Static<typeof LeadPage>;

/**
 * How a lead file's columns are read, named by their header (case and surrounding spaces do not
 * matter). Each phone column gives the lead a number labelled with the column's header, in this
 * order; every other column (with a header) becomes a lead field of that name.
 */
export const LeadImportQuery = Type.Object(
  {
    /** The phone columns: the parameter once per column (`phone=Mobile&phone=Home`). */
    phone: OneOrMore(HeaderName, LEAD_MAX_PHONE_COLUMNS),
    /** A column of IANA time zones ("Europe/London"); else the zone comes from the number. */
    timeZone: Type.Optional(HeaderName),
    /** A column of whole numbers, higher called first (empty: 0). */
    priority: Type.Optional(HeaderName),
    /** "," unless given (";" as some spreadsheets save, or a tab). */
    delimiter: Type.Optional(Delimiter),
  },
  { additionalProperties: false },
);
export type LeadImportQuery = Static<typeof LeadImportQuery>;

/** How a do-not-call file's columns are read: its first column is the number unless `number` names one. */
export const DoNotCallImportQuery = Type.Object(
  {
    number: Type.Optional(HeaderName),
    /** A column whose text is kept as each number's reason. */
    reason: Type.Optional(HeaderName),
    delimiter: Type.Optional(Delimiter),
  },
  { additionalProperties: false },
);
export type DoNotCallImportQuery = Static<typeof DoNotCallImportQuery>;

/** The mapping an import was started with, as it reads it. */
export const LeadImportMapping = Type.Object({
  phone: Type.Array(Type.String()),
  timeZone: Nullable(Type.String()),
  priority: Nullable(Type.String()),
  delimiter: Type.String(),
});
export type LeadImportMapping = Static<typeof LeadImportMapping>;
export const DoNotCallImportMapping = Type.Object({
  number: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  delimiter: Type.String(),
});
export type DoNotCallImportMapping = Static<typeof DoNotCallImportMapping>;

export const LeadImportStatus = Type.Union([
  /** The file is arriving. */
  Type.Literal('uploading'),
  /** Its rows are being read and written, a batch at a time. */
  Type.Literal('importing'),
  Type.Literal('completed'),
  /** Stopped: `error` says why; the rows counted as imported are kept. */
  Type.Literal('failed'),
]);
export type LeadImportStatus = Static<typeof LeadImportStatus>;

export const LeadImport = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('leads'), Type.Literal('do_not_call')]),
  /** The lead list imported into; null for the do-not-call list. */
  listId: Nullable(Uuid),
  status: LeadImportStatus,
  mapping: Type.Union([LeadImportMapping, DoNotCallImportMapping]),
  /** Size of the uploaded file. */
  bytes: Type.Integer(),
  /** Data rows read so far (blank rows are not counted); each is imported, a duplicate or rejected. */
  rowsRead: Type.Integer(),
  imported: Type.Integer(),
  /** Rows skipped because a number of theirs is already in the list or earlier in the file. */
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  /** Lines in the report (a rejected row may have several; an imported row may have a note). */
  reportLines: Type.Integer(),
  /** Where the administrator downloads the report (CSV). */
  reportUrl: Type.String(),
  /** Why a failed import stopped: CSV_MALFORMED, CSV_INVALID, BODY_TOO_LARGE, IMPORT_INTERRUPTED, INTERNAL. */
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});
export type LeadImport = Static<typeof LeadImport>;

/** A page of the do-not-call list, by number: pass `next` back as `after`. */
export const DoNotCallQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    /** 1 to 500, 100 if not given. */
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
export type DoNotCallQuery = Static<typeof DoNotCallQuery>;
export const DoNotCallPage = Type.Object({
  entries: Type.Array(DoNotCallEntry),
  next: Type.Union([Type.String(), Type.Null()]),
});
export type DoNotCallPage = Static<typeof DoNotCallPage>;
export const DoNotCallParams = Type.Object(
  { workspaceId: Uuid, number: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
export type DoNotCallParams = Static<typeof DoNotCallParams>;
