import type { ContactPhone, DirectoryContact } from '@parley/contract';
import type { Clock } from '../clock.js';
import { AppError } from '../http/app-error.js';
import { DirectoryError } from './directory.errors.js';
import type { DirectoryProvider, SearchContext } from './directory.provider.js';
import type { GraphCredentials, GraphSettingsService } from './graph-settings.service.js';
import type { GraphTokens } from './graph-token.js';
import type { GraphUser, GraphUsers } from './graph-users.js';
import { toE164 } from './phone-numbers.js';

export interface GraphProviderPolicy {
  /** How long an answer is reused for the same workspace and query. */
  cacheMs: number;
  cacheEntries: number;
  /** How long a failure is given again without asking (a busy answer: its Retry-After). */
  failureMs: number;
  /** The longest a search waits for Microsoft, token and retries included. */
  deadlineMs: number;
}

export const DEFAULT_GRAPH_PROVIDER: GraphProviderPolicy = {
  cacheMs: 60_000,
  cacheEntries: 1000,
  failureMs: 15_000,
  deadlineMs: 12_000,
};

/** A Graph user as a directory contact; numbers that are not phone numbers are left out. */
export function graphContact(u: GraphUser, defaultCountry: string): DirectoryContact {
  const phones: ContactPhone[] = [];
  const add = (raw: unknown, kind: ContactPhone['kind']) => {
    const number = typeof raw === 'string' ? toE164(raw, defaultCountry) : undefined;
    if (number && !phones.some((p) => p.number === number)) phones.push({ number, kind });
  };
  for (const raw of Array.isArray(u.businessPhones) ? u.businessPhones : []) add(raw, 'work');
  add(u.mobilePhone, 'mobile');
  return {
    id: `graph:${u.id}`,
    source: 'microsoft-graph',
    name: u.displayName || u.mail || 'Unnamed user',
    title: u.jobTitle || null,
    department: u.department || null,
    phones,
    email: u.mail || null,
    dialable: phones.length > 0,
  };
}

/**
 * Microsoft Entra ID through Microsoft Graph, for workspaces whose administrator turned it on.
 * Answers are cached briefly per workspace and query (the same search typed by many agents,
 * or retyped, asks Graph once) and a failure is given again for a few seconds, so agents
 * typing while Graph is down or refusing do not hammer it. Changing the settings starts afresh.
 */
export class GraphProvider implements DirectoryProvider {
  readonly source = 'microsoft-graph' as const;
  private readonly cache = new Map<string, { at: number; contacts: DirectoryContact[] }>();
  private readonly inflight = new Map<string, Promise<DirectoryContact[]>>();
  private readonly failures = new Map<string, { version: string; until: number; error: DirectoryError }>();

  constructor(
    private readonly settings: GraphSettingsService,
    private readonly tokens: GraphTokens,
    private readonly users: GraphUsers,
    private readonly clock: Clock,
    private readonly policy: GraphProviderPolicy = DEFAULT_GRAPH_PROVIDER,
  ) {}

  async search(ctx: SearchContext, query: string): Promise<DirectoryContact[]> {
    const creds = await this.settings.credentials(ctx.workspaceId);
    if (!creds) return [];
    const now = this.clock.now().getTime();
    const failed = this.failures.get(ctx.workspaceId);
    if (failed && failed.version === creds.version && failed.until > now) throw failed.error;
    const key = [ctx.workspaceId, creds.version, ctx.defaultCountry, query.toLowerCase()].join('\n');
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.policy.cacheMs) return hit.contacts;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.ask(ctx, creds, query, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** For the administrator: signs in and reads one user now, past any cached failure or answer. */
  async check(workspaceId: string): Promise<void> {
    const creds = await this.settings.credentials(workspaceId);
    if (!creds)
      throw new AppError('VALIDATION_FAILED', 'The Microsoft directory is off, or has no client secret');
    this.failures.delete(workspaceId);
    await this.withinDeadline(async () => {
      try {
        await this.users.probe(await this.tokens.token(workspaceId, creds));
      } catch (err) {
        if (err instanceof DirectoryError && err.code === 'DIRECTORY_AUTH_FAILED')
          this.tokens.forget(workspaceId);
        throw err;
      }
    });
  }

  private async ask(
    ctx: SearchContext,
    creds: GraphCredentials,
    query: string,
    key: string,
  ): Promise<DirectoryContact[]> {
    try {
      const users = await this.withinDeadline(async () => {
        const token = await this.tokens.token(ctx.workspaceId, creds);
        return this.users.search(token, query);
      });
      const contacts = users.map((u) => graphContact(u, ctx.defaultCountry));
      this.remember(key, contacts);
      this.failures.delete(ctx.workspaceId);
      return contacts;
    } catch (err) {
      if (!(err instanceof DirectoryError)) throw err;
      // A token Graph refused is not asked for again from msal-node's cache.
      if (err.code === 'DIRECTORY_AUTH_FAILED') this.tokens.forget(ctx.workspaceId);
      const forMs =
        err.code === 'DIRECTORY_BUSY' ? (err.extra.retryAfterSeconds ?? 1) * 1000 : this.policy.failureMs;
      this.failures.set(ctx.workspaceId, {
        version: creds.version,
        until: this.clock.now().getTime() + forMs,
        error: err,
      });
      throw err;
    }
  }

  private remember(key: string, contacts: DirectoryContact[]): void {
    this.cache.delete(key);
    this.cache.set(key, { at: this.clock.now().getTime(), contacts });
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.policy.cacheEntries) break;
      this.cache.delete(oldest);
    }
  }

  private withinDeadline<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = this.clock.setTimer(this.policy.deadlineMs, () =>
        reject(new DirectoryError('DIRECTORY_UNAVAILABLE', 'Microsoft’s directory did not answer in time')),
      );
      work().then(
        (value) => {
          cancel();
          resolve(value);
        },
        (err: unknown) => {
          cancel();
          reject(err);
        },
      );
    });
  }
}
