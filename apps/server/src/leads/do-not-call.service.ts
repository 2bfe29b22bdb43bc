import type { Readable } from 'node:stream';
import type {
  DoNotCallBody,
  DoNotCallEntry,
  DoNotCallImportMapping,
  DoNotCallImportQuery,
  DoNotCallPage,
  DoNotCallQuery,
  LeadImport,
} from '@parley/contract';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../http/app-error.js';
import type { ImportTarget, LeadImportsService } from './lead-import.service.js';
import { cellProblem, type ReportLine } from './lead-import-csv.js';
import type { WorkspaceCountry } from './lead-lists.service.js';

type Scope = { workspaceId: string };
const REASON_MAX = 200;

const toEntry = (r: { number: string; reason: string; created_at: Date }): DoNotCallEntry => ({
  number: r.number,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
});

/** A number as people write it, in E.164 read in `country`; undefined if it is not one. */
export function doNotCallNumber(text: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text.trim(), country as CountryCode);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * The workspace's do-not-call list: numbers in E.164 (read in the workspace's country), each with
 * a reason. Administrators add, remove and import them; managers read. The dialler checks it at
 * the moment of dialling.
 */
export class DoNotCallService {
  constructor(
    private readonly db: Db,
    private readonly imports: LeadImportsService,
    private readonly workspaceCountry: WorkspaceCountry,
  ) {}

  private async e164(workspaceId: string, text: string, path: string): Promise<string> {
    const country = await this.workspaceCountry(workspaceId);
    const number = doNotCallNumber(text, country);
    if (!number)
      throw new AppError('VALIDATION_FAILED', 'Not a phone number', {
        details: [{ path, message: `not a valid phone number in ${country}` }],
      });
    return number;
  }

  /** A page of the list in number order. */
  async list(scope: Scope, query: DoNotCallQuery): Promise<DoNotCallPage> {
    const limit = Number(query.limit ?? 100);
    let q = this.db
      .selectFrom('do_not_call')
      .select(['number', 'reason', 'created_at'])
      .where('workspace_id', '=', scope.workspaceId);
    if (query.after) q = q.where('number', '>', query.after);
    const rows = await q
      .orderBy('number')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    return { entries: page.map(toEntry), next: rows.length > limit ? (page.at(-1)?.number ?? null) : null };
  }

  async get(scope: Scope, text: string): Promise<DoNotCallEntry> {
    const number = await this.e164(scope.workspaceId, text, 'params/number');
    const row = await this.db
      .selectFrom('do_not_call')
      .select(['number', 'reason', 'created_at'])
      .where('workspace_id', '=', scope.workspaceId)
      .where('number', '=', number)
      .executeTakeFirst();
    if (!row) throw notFound('Number on the do-not-call list');
    return toEntry(row);
  }

  /** Adds a number (DUPLICATE_NUMBER if it is on the list already). */
  async add(scope: Scope, body: DoNotCallBody): Promise<DoNotCallEntry> {
    const number = await this.e164(scope.workspaceId, body.number, 'body/number');
    const reason = body.reason?.trim() ?? '';
    if (cellProblem(reason)) throw new AppError('VALIDATION_FAILED', 'The reason holds a control character');
    const row = await this.db
      .insertInto('do_not_call')
      .values({ workspace_id: scope.workspaceId, number, reason })
      .onConflict((oc) => oc.columns(['workspace_id', 'number']).doNothing())
      .returning(['number', 'reason', 'created_at'])
      .executeTakeFirst();
    if (!row) throw new AppError('DUPLICATE_NUMBER', `${number} is on the do-not-call list already`);
    return toEntry(row);
  }

  async remove(scope: Scope, text: string): Promise<void> {
    const number = await this.e164(scope.workspaceId, text, 'params/number');
    const res = await this.db
      .deleteFrom('do_not_call')
      .where('workspace_id', '=', scope.workspaceId)
      .where('number', '=', number)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Number on the do-not-call list');
  }

  listImports(scope: Scope): Promise<LeadImport[]> {
    return this.imports.list(scope, null);
  }

  /** Starts a CSV import of numbers (with reasons, where a column gives them). */
  async import(
    scope: Scope,
    query: DoNotCallImportQuery,
    upload: { body: Readable; contentLength?: number | undefined; userId: string },
  ): Promise<LeadImport> {
    const mapping: DoNotCallImportMapping = {
      number: query.number ?? null,
      reason: query.reason ?? null,
      delimiter: query.delimiter ?? ',',
    };
    const country = await this.workspaceCountry(scope.workspaceId);
    return this.imports.start({
      workspaceId: scope.workspaceId,
      kind: 'do_not_call',
      listId: null,
      mapping,
      delimiter: mapping.delimiter,
      userId: upload.userId,
      body: upload.body,
      contentLength: upload.contentLength,
      target: doNotCallTarget(scope.workspaceId, mapping, country),
    });
  }
}

type DncRow = { number: string; raw: string; reason: string };

/** Numbers (and reasons) from a CSV file into the do-not-call list; those on it already are duplicates. */
export function doNotCallTarget(
  workspaceId: string,
  mapping: DoNotCallImportMapping,
  country: string,
): ImportTarget<DncRow> {
  return {
    header(cells) {
      const names = cells.map((c) => c.trim());
      const find = (wanted: string, what: string) => {
        const index = names.findIndex((n) => n.toLowerCase() === wanted.trim().toLowerCase());
        if (index < 0)
          throw new AppError(
            'CSV_INVALID',
            `The header has no column "${wanted.trim()}" (the ${what}); it has ${names.map((n) => `"${n}"`).join(', ')}`,
          );
        return index;
      };
      const numberAt = mapping.number ? find(mapping.number, 'number column') : 0;
      const reasonAt = mapping.reason ? find(mapping.reason, 'reason column') : undefined;
      const label = names[numberAt] ?? '';
      return {
        read(row, line) {
          const raw = (row[numberAt] ?? '').trim();
          const reject = (reason: string): { report: ReportLine[] } => ({
            report: [{ line, column: label, value: raw, outcome: 'rejected', reason }],
          });
          if (!raw) return reject('no phone number');
          const number = doNotCallNumber(raw, country);
          if (!number) return reject(`not a valid phone number in ${country}`);
          const reason = reasonAt === undefined ? '' : (row[reasonAt] ?? '').trim().slice(0, REASON_MAX);
          if (cellProblem(reason)) return reject(`the reason ${cellProblem(reason)}`);
          return { row: { number, raw, reason }, report: [] };
        },
        async write(tx, rows) {
          const firstLine = new Map<string, number>();
          const duplicates: ReportLine[] = [];
          const fresh: { row: DncRow; line: number }[] = [];
          for (const r of rows) {
            const earlier = firstLine.get(r.row.number);
            if (earlier !== undefined)
              duplicates.push({
                line: r.line,
                column: label,
                value: r.row.raw,
                outcome: 'duplicate',
                reason: `duplicate of line ${earlier}: ${r.row.number}`,
              });
            else {
              firstLine.set(r.row.number, r.line);
              fresh.push(r);
            }
          }
          if (fresh.length === 0) return { duplicates };
          const inserted = await tx
            .insertInto('do_not_call')
            .values(
              fresh.map((r) => ({ workspace_id: workspaceId, number: r.row.number, reason: r.row.reason })),
            )
            .onConflict((oc) => oc.columns(['workspace_id', 'number']).doNothing())
            .returning('number')
            .execute();
          const added = new Set(inserted.map((i) => i.number));
          for (const r of fresh)
            if (!added.has(r.row.number))
              duplicates.push({
                line: r.line,
                column: label,
                value: r.row.raw,
                outcome: 'duplicate',
                reason: `already on the do-not-call list: ${r.row.number}`,
              });
          return { duplicates };
        },
      };
    },
  };
}
