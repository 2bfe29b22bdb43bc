import type {
  ContactImportResult,
  ContactPhone,
  CreateWorkspaceContactBody,
  UpdateWorkspaceContactBody,
  WorkspaceContact,
} from '@parley/contract';
import { withConstraints } from '../db/db-errors.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import { type ContactColumns, type ContactsRepository, NAME_TAKEN } from './contacts.repository.js';
import { readContactsCsv } from './contacts-csv.js';
import { toE164 } from './phone-numbers.js';

type Scope = { workspaceId: string };
/** The country a workspace's numbers are read in (its dial plan's, else the server's). */
export type DefaultCountry = (workspaceId: string) => Promise<string>;

const trimmed = (text: string | null | undefined) =>
  text === undefined ? undefined : text === null ? null : text.trim() || null;

/**
 * The workspace's own directory (F2's embedded provider): administrators keep it by hand or by
 * CSV import, managers read it, every user of the workspace finds it in the directory search.
 * Numbers are read in the workspace's default country and kept in E.164.
 */
export class ContactsService
  implements CrudService<Scope, WorkspaceContact, CreateWorkspaceContactBody, UpdateWorkspaceContactBody>
{
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly defaultCountry: DefaultCountry,
  ) {}

  private async columns(workspaceId: string, body: UpdateWorkspaceContactBody): Promise<ContactColumns> {
    // PostgreSQL text cannot hold NUL: refused here rather than failing in the database.
    const texts = [
      body.name,
      body.title,
      body.department,
      body.email,
      ...(body.phones ?? []).map((p) => p.number),
    ];
    if (texts.some((t) => t?.includes('\0')))
      throw new AppError('VALIDATION_FAILED', 'The contact holds a NUL character');
    return {
      ...(body.name !== undefined && { name: body.name.trim() }),
      ...(body.title !== undefined && { title: trimmed(body.title) }),
      ...(body.department !== undefined && { department: trimmed(body.department) }),
      ...(body.email !== undefined && { email: trimmed(body.email) }),
      ...(body.phones !== undefined && { phones: await this.phones(workspaceId, body.phones) }),
    };
  }

  /** Each number in E.164 (once), or VALIDATION_FAILED naming the ones that are not numbers. */
  private async phones(workspaceId: string, phones: ContactPhone[]): Promise<ContactPhone[]> {
    if (phones.length === 0) return [];
    const country = await this.defaultCountry(workspaceId);
    const out: ContactPhone[] = [];
    const details: { path: string; message: string }[] = [];
    phones.forEach((p, i) => {
      const number = toE164(p.number, country);
      if (!number)
        details.push({ path: `body/phones/${i}/number`, message: `not a valid phone number in ${country}` });
      else if (!out.some((o) => o.number === number)) out.push({ number, kind: p.kind });
    });
    if (details.length) throw new AppError('VALIDATION_FAILED', 'Not a phone number', { details });
    return out;
  }

  list(scope: Scope): Promise<WorkspaceContact[]> {
    return this.contacts.list(scope.workspaceId);
  }

  async get(scope: Scope, id: string): Promise<WorkspaceContact> {
    const found = await this.contacts.get(scope.workspaceId, id);
    if (!found) throw notFound('Contact');
    return found;
  }

  async create(scope: Scope, body: CreateWorkspaceContactBody): Promise<WorkspaceContact> {
    const columns = await this.columns(scope.workspaceId, body);
    return withConstraints(
      () => this.contacts.insert(scope.workspaceId, { ...columns, name: body.name.trim() }),
      { unique: NAME_TAKEN },
    );
  }

  async update(scope: Scope, id: string, body: UpdateWorkspaceContactBody): Promise<WorkspaceContact> {
    const columns = await this.columns(scope.workspaceId, body);
    const updated = await withConstraints(() => this.contacts.update(scope.workspaceId, id, columns), {
      unique: NAME_TAKEN,
    });
    if (!updated) throw notFound('Contact');
    return updated;
  }

  async remove(scope: Scope, id: string): Promise<void> {
    if (!(await this.contacts.remove(scope.workspaceId, id))) throw notFound('Contact');
  }

  /**
   * A CSV file's contacts: good rows are added, or update the contact of the same name; bad
   * rows are reported by row number and reason. The good rows are written together or not at all.
   */
  async import(scope: Scope, body: Buffer | undefined): Promise<ContactImportResult> {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body ?? new Uint8Array());
    } catch {
      throw new AppError('CSV_INVALID', 'The file is not UTF-8 text (save it as "CSV UTF-8")');
    }
    const file = readContactsCsv(text, await this.defaultCountry(scope.workspaceId));
    const counts = await this.contacts.upsertAll(scope.workspaceId, file.rows, file.columns);
    return { ...counts, rejected: file.rejected };
  }
}
