import type { DirectoryContact } from '@parley/contract';
import type { ContactsRepository } from './contacts.repository.js';
import type { DirectoryProvider, SearchContext } from './directory.provider.js';

/** The workspace's own contacts: the directory every workspace has. */
export class WorkspaceContactsProvider implements DirectoryProvider {
  readonly source = 'workspace' as const;

  constructor(
    private readonly contacts: ContactsRepository,
    private readonly limit = 25,
  ) {}

  async search(ctx: SearchContext, query: string): Promise<DirectoryContact[]> {
    const found = await this.contacts.searchByName(ctx.workspaceId, query, this.limit);
    return found.map((c) => ({
      id: `workspace:${c.id}`,
      source: this.source,
      name: c.name,
      title: c.title,
      department: c.department,
      phones: c.phones,
      email: c.email,
      dialable: c.phones.length > 0,
    }));
  }
}
