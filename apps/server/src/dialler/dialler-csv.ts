/*
 * The dialler's exports as a regulator reads them: one CSV line per audit row or call, the audit
 * detail (jsonb) flattened into named columns. RFC 4180: CRLF line ends, a field quoted where it
 * holds a comma, quote or line break.
 */

export const AUDIT_CSV_COLUMNS = [
  'time',
  'kind',
  'campaign',
  'actor',
  'dial',
  'placed',
  'mode',
  'free agents',
  'in flight',
  'answer rate',
  'expected answers',
  'expected abandons',
  'allowance',
  '24-hour answered',
  '24-hour abandoned',
  '30-day answered',
  '30-day abandoned',
  'number',
  'answered at',
  'waited ms',
  'message played',
  'locked until',
  'changed',
  'before',
  'after',
] as const;

export const CALLS_CSV_COLUMNS = [
  'dialled at',
  'number',
  'outcome',
  'answered at',
  'connected at',
  'ended at',
  'waited ms',
  'message played',
  'agent',
  'reason',
] as const;

export const AUDIT_CSV_HEADER = `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
export const CALLS_CSV_HEADER = `${CALLS_CSV_COLUMNS.join(',')}\r\n`;

type AuditColumn = (typeof AUDIT_CSV_COLUMNS)[number];

export interface AuditCsvRow {
  at: Date;
  kind: 'decision' | 'abandon' | 'settings';
  campaign_name: string;
  display_name: string | null;
  detail: Record<string, unknown>;
}

export interface CallCsvRow {
  number: string;
  dialled_at: Date;
  answered_at: Date | null;
  connected_at: Date | null;
  ended_at: Date | null;
  outcome: string;
  reason: string | null;
  waited_ms: number | null;
  message_played: boolean;
  display_name: string | null;
}

/** RFC 4180: quoted where it holds a comma, quote or line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A name a spreadsheet would run as a formula (`=`, `@`...) is written as text. */
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?[\d\s().-]*$/.test(value) ? `'${value}` : value;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return safeText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const line = (cells: string[]) => `${cells.map(csvCell).join(',')}\r\n`;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/**
 * A window as the dialler recorded it: `answered` there counts calls that reached an agent; the
 * export shows live-answered calls (those and the abandoned ones), as the report and live view do.
 */
function windowCells(windows: unknown): Partial<Record<AuditColumn, unknown>> {
  const w24 = at(windows, '24 hours');
  const w30 = at(windows, '30 days');
  if (!w24 && !w30) return {};
  return {
    '24-hour answered': num(at(w24, 'answered')) + num(at(w24, 'abandoned')),
    '24-hour abandoned': num(at(w24, 'abandoned')),
    '30-day answered': num(at(w30, 'answered')) + num(at(w30, 'abandoned')),
    '30-day abandoned': num(at(w30, 'abandoned')),
  };
}

/** The detail of one audit row in the columns of its kind; the others stay empty. */
export function auditCells(
  kind: AuditCsvRow['kind'],
  d: Record<string, unknown>,
): Partial<Record<AuditColumn, unknown>> {
  switch (kind) {
    case 'decision':
      return {
        dial: at(d, 'decision', 'dial'),
        placed: at(d, 'placed'),
        mode: at(d, 'decision', 'mode'),
        'free agents': at(d, 'input', 'freeAgents'),
        'in flight': at(d, 'input', 'inFlight'),
        'answer rate': at(d, 'input', 'answerRate'),
        'expected answers': at(d, 'decision', 'expectedAnswers'),
        'expected abandons': at(d, 'decision', 'expectedAbandons'),
        allowance: at(d, 'decision', 'allowance'),
        ...windowCells(at(d, 'input', 'windows')),
      };
    case 'abandon':
      return {
        number: at(d, 'number'),
        'answered at': at(d, 'answeredAt'),
        'waited ms': at(d, 'waitedMs'),
        'message played': at(d, 'messagePlayed'),
        'locked until': at(d, 'lockedUntil'),
        ...windowCells(at(d, 'windows')),
      };
    case 'settings': {
      // One entry per setting changed: { setting: { before, after } }.
      const fields = Object.keys(d);
      return {
        changed: fields.join(' '),
        before: JSON.stringify(Object.fromEntries(fields.map((f) => [f, at(d, f, 'before') ?? null]))),
        after: JSON.stringify(Object.fromEntries(fields.map((f) => [f, at(d, f, 'after') ?? null]))),
      };
    }
  }
}

export function auditCsvLine(r: AuditCsvRow): string {
  const cells: Partial<Record<AuditColumn, unknown>> = {
    time: r.at.toISOString(),
    kind: r.kind,
    campaign: r.campaign_name,
    actor: r.display_name,
    ...auditCells(r.kind, r.detail),
  };
  return line(AUDIT_CSV_COLUMNS.map((c) => text(cells[c])));
}

export function callCsvLine(r: CallCsvRow): string {
  return line(
    [
      r.dialled_at.toISOString(),
      r.number,
      r.outcome,
      r.answered_at?.toISOString(),
      r.connected_at?.toISOString(),
      r.ended_at?.toISOString(),
      r.waited_ms,
      r.answered_at ? r.message_played : undefined,
      r.display_name,
      r.reason,
    ].map(text),
  );
}
