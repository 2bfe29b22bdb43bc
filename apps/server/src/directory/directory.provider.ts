import type { DirectoryContact, DirectorySource } from '@parley/contract';

/** What a search knows of the workspace it runs for. */
export interface SearchContext {
  workspaceId: string;
  /** The country numbers without a country code are read in (the workspace's dial plan). */
  defaultCountry: string;
}

/**
 * One source of the directory. The search asks every source at once and merges the answers;
 * a source that cannot answer throws a DirectoryError, which becomes a warning beside the
 * others' contacts.
 */
export interface DirectoryProvider {
  readonly source: DirectorySource;
  /** Contacts whose name matches `query` (already trimmed, 2..100 characters); [] where off. */
  search(ctx: SearchContext, query: string): Promise<DirectoryContact[]>;
}
