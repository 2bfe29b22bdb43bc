import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { DirectoryError } from './directory.errors.js';

/** A user as GET /v1.0/users returns the fields selected. */
export interface GraphUser {
  id: string;
  displayName?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  businessPhones?: string[] | null;
  mobilePhone?: string | null;
  mail?: string | null;
}

export interface GraphSearchPolicy {
  /** Results a page (`$top`), and pages followed by @odata.nextLink. */
  pageSize: number;
  maxPages: number;
  /** Retries of one request answered 429 or 503 with Retry-After, and the time all may wait. */
  retries: number;
  waitBudgetMs: number;
  /** Each request's own limit (wall time: the network's, not the domain's). */
  requestTimeoutMs: number;
}

export const DEFAULT_GRAPH_SEARCH: GraphSearchPolicy = {
  pageSize: 25,
  maxPages: 2,
  retries: 2,
  waitBudgetMs: 5000,
  requestTimeoutMs: 8000,
};

const SELECT = 'id,displayName,jobTitle,department,businessPhones,mobilePhone,mail';
const unavailable = (why: string) => new DirectoryError('DIRECTORY_UNAVAILABLE', why);

/** Retry-After in ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * Microsoft Graph's user search: `$search="displayName:…"` (which needs the header
 * `ConsistencyLevel: eventual`), the directory's fields selected, pages followed by
 * @odata.nextLink up to a cap. Throttling (429, or 503 with Retry-After) is waited out on the
 * clock as the answer asks, within a small budget; past it the search fails DIRECTORY_BUSY.
 */
export class GraphUsers {
  constructor(
    private readonly baseUrl: string,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly policy: GraphSearchPolicy = DEFAULT_GRAPH_SEARCH,
  ) {}

  /** The first page's URL; quotes and backslashes would end the search term early, so they are dropped. */
  firstPage(query: string): string | undefined {
    const term = query.replace(/["\\]/g, ' ').trim();
    if (!term) return undefined;
    const search = encodeURIComponent(`"displayName:${term}"`);
    return `${this.baseUrl}/v1.0/users?$search=${search}&$select=${SELECT}&$top=${this.policy.pageSize}`;
  }

  /** One user's id: proves the token is good and the app may read users. */
  async probe(token: string): Promise<void> {
    await this.get(`${this.baseUrl}/v1.0/users?$select=id&$top=1`, token, {
      waitMs: this.policy.waitBudgetMs,
    });
  }

  async search(token: string, query: string): Promise<GraphUser[]> {
    const users: GraphUser[] = [];
    const budget = { waitMs: this.policy.waitBudgetMs };
    let url = this.firstPage(query);
    for (let page = 0; url && page < this.policy.maxPages; page++) {
      const body = await this.get(url, token, budget);
      users.push(...(Array.isArray(body.value) ? (body.value as GraphUser[]) : []));
      const next = body['@odata.nextLink'];
      // The token goes only to Graph's own host, whatever a reply names.
      url = typeof next === 'string' && next.startsWith(`${this.baseUrl}/`) ? next : undefined;
    }
    return users;
  }

  private async get(
    url: string,
    token: string,
    budget: { waitMs: number },
  ): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          headers: {
            authorization: `Bearer ${token}`,
            consistencylevel: 'eventual',
            accept: 'application/json',
          },
          signal: AbortSignal.timeout(this.policy.requestTimeoutMs),
        });
      } catch (err) {
        this.log.warn({ err }, 'Microsoft Graph not reached');
        throw unavailable('Microsoft’s directory cannot be reached now');
      }
      if (res.ok) {
        const body = await res.json().catch(() => undefined);
        if (body && typeof body === 'object') return body as Record<string, unknown>;
        throw unavailable('Microsoft’s directory gave an answer that is not JSON');
      }
      const detail = await res.text().catch(() => '');
      const wait = retryAfterMs(res.headers.get('retry-after'), this.clock.now());
      const throttled = res.status === 429 || (res.status === 503 && wait !== undefined);
      if (throttled) {
        const ms = wait ?? 1000;
        if (attempt >= this.policy.retries || ms > budget.waitMs)
          throw new DirectoryError('DIRECTORY_BUSY', 'Microsoft’s directory is busy: try again in a moment', {
            retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
          });
        budget.waitMs -= ms;
        await new Promise<void>((resolve) => this.clock.setTimer(ms, resolve));
        continue;
      }
      this.log.warn(
        { status: res.status, detail: detail.slice(0, 500) },
        'Microsoft Graph refused the search',
      );
      if (res.status === 401)
        throw new DirectoryError('DIRECTORY_AUTH_FAILED', 'Microsoft’s directory refused the app’s token');
      if (res.status === 403)
        throw new DirectoryError(
          'DIRECTORY_AUTH_FAILED',
          'Microsoft’s directory refused the search: the app registration needs the User.Read.All application permission, with admin consent',
        );
      throw unavailable(`Microsoft’s directory could not search now (HTTP ${res.status})`);
    }
  }
}
