import type { ContactPhone, WorkspaceContact } from '@parley/contract';
import { type Selectable, sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { DirectoryContactsTable } from '../db/schema.js';
import type { ContactRow } from './contacts-csv.js';

const COLUMNS = ['id', 'name', 'title', 'department', 'phones', 'email', 'updated_at'] as const;
type Row = Pick<Selectable<DirectoryContactsTable>, (typeof COLUMNS)[number]>;
export const NAME_TAKEN = 'A contact with that name is already in this workspace’s directory';

export interface ContactColumns {
  name?: string;
  title?: string | null;
  department?: string | null;
  phones?: ContactPhone[];
  email?: string | null;
}

const toContact = (r: Row): WorkspaceContact => ({
  id: r.id,
  name: r.name,
  title: r.title,
  department: r.department,
  phones: r.phones,
  email: r.email,
  updatedAt: r.updated_at.toISOString(),
});

const toValues = (c: ContactColumns) => ({
  ...(c.name !== undefined && { name: c.name }),
  ...(c.title !== undefined && { title: c.title }),
  ...(c.department !== undefined && { department: c.department }),
  ...(c.phones !== undefined && { phones: JSON.stringify(c.phones) }),
  ...(c.email !== undefined && { email: c.email }),
});

/** `%` and `_` in what was typed are letters, not wildcards. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The workspace's own contacts in the database. */
export class ContactsRepository {
  constructor(private readonly db: Db) {}

  async list(workspaceId: string): Promise<WorkspaceContact[]> {
    const rows = await this.db
      .selectFrom('directory_contacts')
      .select(COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .orderBy('name_key')
      .execute();
    return rows.map(toContact);
  }

  async get(workspaceId: string, id: string): Promise<WorkspaceContact | undefined> {
    const row = await this.db
      .selectFrom('directory_contacts')
      .select(COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toContact(row);
  }

  /** Contacts with a word of their name starting with `text` (any case), by name: "jo" finds "Lee, Jordan". */
  async searchByName(workspaceId: string, text: string, limit: number): Promise<WorkspaceContact[]> {
    const rows = await this.db
      .selectFrom('directory_contacts')
      .select(COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .where((eb) => {
        const t = escapeLike(text);
        return eb.or([
          eb('name', 'ilike', `${t}%`),
          eb('name', 'ilike', `% ${t}%`),
          eb('name', 'ilike', `%-${t}%`),
        ]);
      })
      .orderBy('name_key')
      .limit(limit)
      .execute();
    return rows.map(toContact);
  }

  async insert(workspaceId: string, c: ContactColumns & { name: string }): Promise<WorkspaceContact> {
    const row = await this.db
      .insertInto('directory_contacts')
      .values({ workspace_id: workspaceId, ...toValues(c), name: c.name })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toContact(row);
  }

  async update(workspaceId: string, id: string, c: ContactColumns): Promise<WorkspaceContact | undefined> {
    const row = await this.db
      .updateTable('directory_contacts')
      .set({ ...toValues(c), updated_at: sql`now()` })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirst();
    return row && toContact(row);
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('directory_contacts')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  /**
   * Writes an import in one transaction: a row whose name the workspace has updates that
   * contact (only the columns the file has), the others are added. All rows or none.
   */
  async upsertAll(
    workspaceId: string,
    rows: ContactRow[],
    columns: ReadonlySet<string>,
  ): Promise<{ created: number; updated: number }> {
    const counts = { created: 0, updated: 0 };
    if (rows.length === 0) return counts;
    await this.db.transaction().execute(async (tx) => {
      for (let at = 0; at < rows.length; at += 500) {
        const batch = rows.slice(at, at + 500);
        const inserted = await tx
          .insertInto('directory_contacts')
          .values(
            batch.map((r) => ({
              workspace_id: workspaceId,
              name: r.name,
              title: r.title ?? null,
              department: r.department ?? null,
              phones: JSON.stringify(r.phones ?? []),
              email: r.email ?? null,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['workspace_id', 'name_key']).doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              ...(columns.has('title') && { title: eb.ref('excluded.title') }),
              ...(columns.has('department') && { department: eb.ref('excluded.department') }),
              ...((columns.has('phone') || columns.has('mobile')) && { phones: eb.ref('excluded.phones') }),
              ...(columns.has('email') && { email: eb.ref('excluded.email') }),
              updated_at: sql`now()`,
            })),
          )
          // xmax is 0 on a row this statement inserted, and set on one it updated.
          .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
          .execute();
        for (const r of inserted) counts[r.inserted ? 'created' : 'updated']++;
      }
    });
    return counts;
  }
}
