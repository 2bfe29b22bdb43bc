import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type ErrorCode,
  LEAD_CSV_MAX_BYTES,
  LEAD_IMPORT_BATCH_ROWS,
  type LeadImport,
  type LeadImportMapping,
} from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { LeadImportsTable } from '../db/schema.js';
import { AppError, notFound } from '../http/app-error.js';
import { type CsvRecord, REPORT_HEADER, type ReportLine, readCsv, reportCsvLine } from './lead-import-csv.js';

type Scope = { workspaceId: string };
type Kind = LeadImportsTable['kind'];
type Row = {
  id: string;
  kind: Kind;
  list_id: string | null;
  status: LeadImport['status'];
  mapping: Record<string, unknown>;
  bytes: string | number | bigint;
  rows_read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  report_lines: number;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  finished_at: Date | null;
};
const COLUMNS = [
  'id',
  'kind',
  'list_id',
  'status',
  'mapping',
  'bytes',
  'rows_read',
  'imported',
  'duplicates',
  'rejected',
  'report_lines',
  'error_code',
  'error_message',
  'created_at',
  'finished_at',
] as const;
const RUNNING = ['uploading', 'importing'] as const;
/** A running import whose process has not moved it on for this long has stopped with its process. */
export const IMPORT_STALE_MS = 2 * 60_000;
const HEARTBEAT_MS = 15_000;

/**
 * What one kind of import does with a file: reads its header (CSV_INVALID if it cannot), then
 * each data row into something to write, or report lines, then writes a batch of rows inside the
 * batch's transaction, telling which were duplicates.
 */
export interface ImportTarget<T> {
  header(cells: string[]): RowReader<T>;
}
export interface RowReader<T> {
  read(cells: string[], line: number): { row?: T; report: ReportLine[] };
  write(tx: Db, rows: { row: T; line: number }[], importId: string): Promise<{ duplicates: ReportLine[] }>;
}

const toView = (workspaceId: string, r: Row): LeadImport => ({
  id: r.id,
  kind: r.kind,
  listId: r.list_id,
  status: r.status,
  mapping: r.mapping as LeadImport['mapping'],
  bytes: Number(r.bytes),
  rowsRead: r.rows_read,
  imported: r.imported,
  duplicates: r.duplicates,
  rejected: r.rejected,
  reportLines: r.report_lines,
  reportUrl: `/api/workspaces/${workspaceId}/lead-imports/${r.id}/report`,
  error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/**
 * CSV imports as jobs (G8). The upload is written to a file under the data folder (never the web
 * root) as it arrives, so no file sits in memory and a slow database does not hold the upload
 * open; the request is answered with the job at once. The file is then read through csv-parse a
 * chunk at a time, rows written 1,000 to a statement, each batch in its own transaction with the
 * job's counts, so a page reads progress from any process and what a failure leaves is exactly
 * what the counts say. The report (line, column, value, outcome, reason) is appended after each
 * batch commits.
 */
export class LeadImportsService {
  private readonly root: string;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** Set by close(): an upload that completes during the stop is interrupted before its rows. */
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    dataDir: string,
    private readonly log?: FastifyBaseLogger,
  ) {
    this.root = path.resolve(dataDir, 'lead-imports');
  }

  private file(workspaceId: string, id: string, what: 'upload' | 'report'): string {
    return path.join(this.root, workspaceId, what === 'upload' ? `${id}.upload.csv` : `${id}.report.csv`);
  }

  /**
   * Imports that say they run but whose process has not moved them on lately (it stopped) are
   * marked failed, and their uploads removed: they no longer block a new import.
   */
  async expireStale(workspaceId: string): Promise<void> {
    const before = new Date(this.clock.now().getTime() - IMPORT_STALE_MS);
    const stale = await this.db
      .updateTable('lead_imports')
      .set({
        status: 'failed',
        error_code: 'IMPORT_INTERRUPTED',
        error_message:
          'The server stopped during the import; the rows counted as imported were kept: import the file again (its rows already in the list are skipped as duplicates)',
        finished_at: this.clock.now(),
      })
      .where('workspace_id', '=', workspaceId)
      .where('status', 'in', RUNNING)
      .where('heartbeat_at', '<', before)
      .returning('id')
      .execute();
    for (const { id } of stale) await rm(this.file(workspaceId, id, 'upload'), { force: true });
  }

  async get(scope: Scope, id: string): Promise<LeadImport> {
    await this.expireStale(scope.workspaceId);
    const row = await this.db
      .selectFrom('lead_imports')
      .select(COLUMNS)
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Import');
    return toView(scope.workspaceId, row);
  }

  /** The latest imports into a list (or the do-not-call list: listId null), newest first. */
  async list(scope: Scope, listId: string | null, limit = 50): Promise<LeadImport[]> {
    await this.expireStale(scope.workspaceId);
    let q = this.db.selectFrom('lead_imports').select(COLUMNS).where('workspace_id', '=', scope.workspaceId);
    q = listId ? q.where('list_id', '=', listId) : q.where('kind', '=', 'do_not_call');
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map((r) => toView(scope.workspaceId, r));
  }

  /** The report file of one of the workspace's imports. */
  async report(scope: Scope, id: string): Promise<{ path: string; size: number }> {
    await this.get(scope, id);
    const file = this.file(scope.workspaceId, id, 'report');
    const size = await stat(file).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) throw notFound('Import report');
    return { path: file, size };
  }

  /** Whether an import into the list is running (the list may not be deleted meanwhile). */
  async isRunning(workspaceId: string, listId: string): Promise<boolean> {
    await this.expireStale(workspaceId);
    const row = await this.db
      .selectFrom('lead_imports')
      .select('id')
      .where('list_id', '=', listId)
      .where('status', 'in', RUNNING)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Removes the files of imports about to be deleted with their list. */
  async removeFiles(workspaceId: string, ids: string[]): Promise<void> {
    for (const id of ids) {
      await rm(this.file(workspaceId, id, 'report'), { force: true });
      await rm(this.file(workspaceId, id, 'upload'), { force: true });
    }
  }

  /**
   * Receives the file into a new import and starts reading it; answers with the job once the
   * file is on disk. IMPORT_RUNNING if one already runs into the same list; BODY_TOO_LARGE over
   * the limit; a broken upload fails the job with IMPORT_INTERRUPTED.
   */
  async start<T>(input: {
    workspaceId: string;
    kind: Kind;
    listId: string | null;
    mapping: LeadImportMapping | Record<string, unknown>;
    delimiter: string;
    userId: string;
    body: Readable;
    contentLength?: number | undefined;
    target: ImportTarget<T>;
  }): Promise<LeadImport> {
    const { workspaceId } = input;
    if (input.contentLength !== undefined && input.contentLength > LEAD_CSV_MAX_BYTES) throw tooLarge();
    await this.expireStale(workspaceId);
    const now = this.clock.now();
    let id: string;
    try {
      const row = await this.db
        .insertInto('lead_imports')
        .values({
          workspace_id: workspaceId,
          kind: input.kind,
          list_id: input.listId,
          mapping: JSON.stringify(input.mapping),
          created_by: input.userId,
          created_at: now,
          heartbeat_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new AppError(
          'IMPORT_RUNNING',
          input.kind === 'leads'
            ? 'An import into this list is running: wait for it to finish'
            : 'An import into the do-not-call list is running: wait for it to finish',
        );
      throw err;
    }

    const upload = this.file(workspaceId, id, 'upload');
    await mkdir(path.dirname(upload), { recursive: true });
    let bytes = 0;
    let beat = now.getTime();
    try {
      const counter = async function* (this: LeadImportsService, source: Readable) {
        for await (const chunk of source) {
          bytes += (chunk as Buffer).length;
          if (bytes > LEAD_CSV_MAX_BYTES) throw tooLarge();
          const at = this.clock.now().getTime();
          if (at - beat >= HEARTBEAT_MS) {
            beat = at;
            await this.db
              .updateTable('lead_imports')
              .set({ heartbeat_at: new Date(at), bytes })
              .where('id', '=', id)
              .execute();
          }
          yield chunk as Buffer;
        }
      }.bind(this);
      await pipeline(input.body, counter, createWriteStream(upload, { mode: 0o640 }));
    } catch (err) {
      await rm(upload, { force: true });
      const known = err instanceof AppError;
      await this.finish(id, {
        code: known ? err.code : 'IMPORT_INTERRUPTED',
        message: known
          ? err.message
          : `The upload stopped after ${bytes.toLocaleString('en')} bytes: nothing was imported`,
      });
      throw known
        ? err
        : new AppError('IMPORT_INTERRUPTED', 'The upload stopped before the file was complete');
    }
    await this.db
      .updateTable('lead_imports')
      .set({ status: 'importing', bytes, heartbeat_at: this.clock.now() })
      .where('id', '=', id)
      .execute();

    const abort = new AbortController();
    if (this.closed) abort.abort();
    const done = this.run(workspaceId, id, upload, input.delimiter, input.target, abort.signal)
      .catch((err) => this.log?.error({ err, importId: id }, 'lead import failed'))
      .finally(() => this.running.delete(id));
    this.running.set(id, { abort, done });
    return this.get({ workspaceId }, id);
  }

  /** Stops the imports this process runs (marked IMPORT_INTERRUPTED after their current batch). */
  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.running.values()) r.abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Waits for an import this process runs (tests, and the benchmark). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  private async finish(id: string, error?: { code: ErrorCode; message: string }): Promise<void> {
    await this.db
      .updateTable('lead_imports')
      .set({
        status: error ? 'failed' : 'completed',
        error_code: error?.code ?? null,
        error_message: error?.message ?? null,
        finished_at: this.clock.now(),
        heartbeat_at: this.clock.now(),
      })
      .where('id', '=', id)
      .execute();
  }

  private async run<T>(
    workspaceId: string,
    id: string,
    upload: string,
    delimiter: string,
    target: ImportTarget<T>,
    signal: AbortSignal,
  ): Promise<void> {
    const report = createWriteStream(this.file(workspaceId, id, 'report'), { mode: 0o640 });
    const counts = { rowsRead: 0, imported: 0, duplicates: 0, rejected: 0, reportLines: 0 };
    let reader: RowReader<T> | undefined;
    let rows: { row: T; line: number }[] = [];
    let notes: ReportLine[] = [];
    let read = 0;
    let rejected = 0;

    const flush = async () => {
      if (read === 0) return;
      const batch = rows;
      const batchNotes = notes;
      const batchRead = read;
      const batchRejected = rejected;
      rows = [];
      notes = [];
      read = 0;
      rejected = 0;
      const { duplicates } = await this.db.transaction().execute(async (tx) => {
        const written = batch.length && reader ? await reader.write(tx, batch, id) : { duplicates: [] };
        const lines = batchNotes.length + written.duplicates.length;
        await tx
          .updateTable('lead_imports')
          .set({
            rows_read: sql`rows_read + ${batchRead}`,
            imported: sql`imported + ${batch.length - written.duplicates.length}`,
            duplicates: sql`duplicates + ${written.duplicates.length}`,
            rejected: sql`rejected + ${batchRejected}`,
            report_lines: sql`report_lines + ${lines}`,
            heartbeat_at: this.clock.now(),
          })
          .where('id', '=', id)
          .execute();
        return written;
      });
      counts.rowsRead += batchRead;
      counts.imported += batch.length - duplicates.length;
      counts.duplicates += duplicates.length;
      counts.rejected += batchRejected;
      const lines = [...batchNotes, ...duplicates].sort((a, b) => a.line - b.line);
      for (const l of lines) await writeLine(report, reportCsvLine(l));
      counts.reportLines += lines.length;
    };

    const handle = async (record: CsvRecord) => {
      if (signal.aborted) throw new AppError('IMPORT_INTERRUPTED', 'The server stopped during the import');
      if (!reader) {
        reader = target.header(record.cells);
        return;
      }
      const { row, report: lines } = reader.read(record.cells, record.line);
      read++;
      if (row) rows.push({ row, line: record.line });
      else rejected++;
      notes.push(...lines);
      if (read >= LEAD_IMPORT_BATCH_ROWS) await flush();
    };

    try {
      await writeLine(report, REPORT_HEADER);
      try {
        await readCsv(createReadStream(upload, { highWaterMark: 64 * 1024 }), { delimiter }, handle);
        if (!reader)
          throw new AppError('CSV_INVALID', 'The file is empty: it needs a header row, then one lead a row');
        await flush();
        await this.finish(id);
      } catch (err) {
        // What was read before the fault is written, as the counts will say.
        if (err instanceof AppError && err.code !== 'CSV_INVALID') await flush().catch(() => {});
        throw err;
      }
    } catch (err) {
      const known = err instanceof AppError;
      const kept =
        counts.imported > 0
          ? ` The ${counts.imported.toLocaleString('en')} ${counts.imported === 1 ? 'row' : 'rows'} imported before it stay in the list.`
          : ' Nothing was imported.';
      await this.finish(id, {
        code: known ? err.code : 'INTERNAL',
        message: `${(known ? err.message : 'The import failed on our side').replace(/\.?$/, '.')}${kept}`,
      }).catch((e) => this.log?.error({ err: e, importId: id }, 'lead import not marked failed'));
      if (!known) throw err;
    } finally {
      await new Promise<void>((resolve) => report.end(resolve));
      await rm(upload, { force: true });
    }
  }
}

const tooLarge = () =>
  new AppError(
    'BODY_TOO_LARGE',
    `The file is over ${LEAD_CSV_MAX_BYTES / 1024 / 1024 / 1024} GiB: split it and import the parts one after the other`,
  );

async function writeLine(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}
