import type { Db } from '../db/database.js';
import type { Binding, BindingStore } from '../sip/uas/registrar.js';

/**
 * Desk phones' registrations, kept on their extension's row: a restart, or another SIP process,
 * knows where each phone is until its registration runs out. A TCP binding's connection lives
 * only in the process that accepted it; elsewhere a request to the phone opens a new one.
 */
export class DbBindings implements BindingStore {
  constructor(private readonly db: Db) {}

  async put(username: string, b: Binding | undefined): Promise<void> {
    await this.db
      .updateTable('sip_extensions')
      .set({
        contact: b?.contact ?? null,
        contact_peer: b ? JSON.stringify(b.peer) : null,
        registered_until: b ? new Date(b.expiresAt) : null,
      })
      .where('username', '=', username)
      .execute();
  }

  async get(username: string): Promise<Binding | undefined> {
    return this.bound(await this.select().where('username', '=', username).executeTakeFirst());
  }

  async find(workspaceId: string, extension: string): Promise<Binding | undefined> {
    return this.bound(
      await this.select()
        .where('workspace_id', '=', workspaceId)
        .where('extension', '=', extension)
        .executeTakeFirst(),
    );
  }

  private select() {
    return this.db
      .selectFrom('sip_extensions')
      .select(['username', 'workspace_id', 'extension', 'contact', 'contact_peer', 'registered_until']);
  }

  private bound(row: Awaited<ReturnType<ReturnType<DbBindings['select']>['executeTakeFirst']>>) {
    if (!row?.contact || !row.contact_peer || !row.registered_until) return undefined;
    return {
      username: row.username,
      workspaceId: row.workspace_id,
      extension: row.extension,
      contact: row.contact,
      peer: row.contact_peer,
      expiresAt: row.registered_until.getTime(),
    } satisfies Binding;
  }
}
