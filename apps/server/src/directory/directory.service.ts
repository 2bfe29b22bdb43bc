import type { DirectoryContact, DirectorySearchResult } from '@parley/contract';
import { AppError } from '../http/app-error.js';
import type { DefaultCountry } from './contacts.service.js';
import { DirectoryError } from './directory.errors.js';
import type { DirectoryProvider } from './directory.provider.js';
import type { SearchRateLimit } from './search-rate-limit.js';

/** The most contacts one answer holds. */
const MAX_RESULTS = 50;

const byName = (a: DirectoryContact, b: DirectoryContact) =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

/**
 * The directory search (F2) the dial box, the transfer dialog and email address fields share:
 * every source at once, merged by name. A source that cannot answer becomes a warning in words;
 * the others' contacts still come back. A contact found in two sources (the same email) is
 * shown once, from the earlier source (the workspace's own first).
 */
export class DirectoryService {
  constructor(
    private readonly providers: DirectoryProvider[],
    private readonly defaultCountry: DefaultCountry,
    private readonly rate: SearchRateLimit,
  ) {}

  async search(user: { workspaceId: string; userId: string }, q: string): Promise<DirectorySearchResult> {
    const query = q.trim().replace(/\s+/g, ' ');
    if (query.length < 2)
      throw new AppError('VALIDATION_FAILED', 'Type at least two letters to search', {
        details: [{ path: 'querystring/q', message: 'at least 2 characters besides spaces' }],
      });
    const allowed = this.rate.take(user.userId);
    if (!allowed.ok)
      throw new AppError('RATE_LIMITED', 'Too many directory searches: wait a moment', {
        retryAfterSeconds: allowed.retryAfterSeconds,
      });
    const ctx = {
      workspaceId: user.workspaceId,
      defaultCountry: await this.defaultCountry(user.workspaceId),
    };
    const answers = await Promise.allSettled(this.providers.map((p) => p.search(ctx, query)));
    const contacts: DirectoryContact[] = [];
    const emails = new Set<string>();
    const failures: DirectoryError[] = [];
    for (const answer of answers) {
      if (answer.status === 'rejected') {
        if (!(answer.reason instanceof DirectoryError)) throw answer.reason;
        failures.push(answer.reason);
        continue;
      }
      for (const c of answer.value) {
        const email = c.email?.toLowerCase();
        if (email && emails.has(email)) continue;
        if (email) emails.add(email);
        contacts.push(c);
      }
    }
    const result: DirectorySearchResult = { contacts: contacts.sort(byName).slice(0, MAX_RESULTS) };
    const [first] = failures;
    if (first) {
      result.warning = `${failures.map((f) => f.message).join('; ')}. Showing this workspace’s own contacts only.`;
      result.warningCode = first.code;
    }
    return result;
  }
}
