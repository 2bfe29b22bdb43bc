import { ConfidentialClientApplication, LogLevel, ServerError } from '@azure/msal-node';
import type { FastifyBaseLogger } from 'fastify';
import { DirectoryError } from './directory.errors.js';
import type { GraphCredentials } from './graph-settings.service.js';

/** App-only access to Microsoft Graph: whatever the app registration was granted (User.Read.All). */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const TIMEOUT_MS = 8000;

const unavailable = (why: string) => new DirectoryError('DIRECTORY_UNAVAILABLE', why);

/**
 * App-only tokens for each workspace's Microsoft Graph directory, by client credentials through
 * msal-node (one ConfidentialClientApplication per workspace and settings version, so its token
 * cache serves searches until the token nears expiry).
 *
 * The tenant's OpenID configuration is read here, from the configured authority host, and handed
 * to msal-node as `authorityMetadata` with the host in `knownAuthorities`: msal-node then asks
 * nothing else of the network (no instance discovery) and posts the client credentials to the
 * configuration's token endpoint, which must be on that host. msal-node takes an authority only
 * as https, so it is named https://{host}/{tenant} even when the host is a plain-http stand-in
 * on loopback (GRAPH_AUTHORITY_HOST allows plain http only there); the requests go where the
 * configuration's endpoints say.
 */
export class GraphTokens {
  private readonly apps = new Map<string, { version: string; app: Promise<ConfidentialClientApplication> }>();

  constructor(
    private readonly authorityHost: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  async token(workspaceId: string, creds: GraphCredentials): Promise<string> {
    let entry = this.apps.get(workspaceId);
    if (entry?.version !== creds.version) {
      entry = { version: creds.version, app: this.createApp(creds) };
      this.apps.set(workspaceId, entry);
    }
    const current = entry;
    let app: ConfidentialClientApplication;
    try {
      app = await current.app;
    } catch (err) {
      // The next search asks again rather than keep a failed discovery.
      if (this.apps.get(workspaceId) === current) this.apps.delete(workspaceId);
      throw err;
    }
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
      // msal-node answers an unexpected reply without an error body with an empty result.
      if (!result?.accessToken) throw unavailable('Microsoft Entra ID did not issue a token');
      return result.accessToken;
    } catch (err) {
      throw this.tokenError(err);
    }
  }

  /** Drops the workspace's client and its cached token: the next search signs in afresh. */
  forget(workspaceId: string): void {
    this.apps.delete(workspaceId);
  }

  private async createApp(creds: GraphCredentials): Promise<ConfidentialClientApplication> {
    const host = new URL(this.authorityHost).host;
    const metadata = await this.openIdConfiguration(creds.tenantId);
    return new ConfidentialClientApplication({
      auth: {
        clientId: creds.clientId,
        clientSecret: creds.clientSecret,
        authority: `https://${host}/${creds.tenantId}`,
        knownAuthorities: [host],
        authorityMetadata: JSON.stringify(metadata),
      },
      system: {
        loggerOptions: {
          logLevel: LogLevel.Error,
          piiLoggingEnabled: false,
          loggerCallback: (_level, message) => this.log.warn({ msal: message }, 'msal-node'),
        },
      },
    });
  }

  /** GET {host}/{tenant}/v2.0/.well-known/openid-configuration; an unknown tenant is refused. */
  private async openIdConfiguration(tenantId: string): Promise<Record<string, unknown>> {
    const url = `${this.authorityHost}/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      this.log.warn({ err, url }, 'Microsoft Entra ID not reached');
      throw unavailable('Microsoft Entra ID cannot be reached now');
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (res.status === 400 || res.status === 404)
      throw new DirectoryError(
        'DIRECTORY_AUTH_FAILED',
        `Microsoft Entra ID does not know the tenant "${tenantId}": an administrator should check the tenant ID`,
      );
    const tokenEndpoint = body?.token_endpoint;
    if (!res.ok || !body || typeof tokenEndpoint !== 'string') {
      this.log.warn({ status: res.status, url }, 'no OpenID configuration from Microsoft Entra ID');
      throw unavailable('Microsoft Entra ID cannot be reached now');
    }
    // The client secret goes only to the configured host.
    if (!tokenEndpoint.startsWith(`${this.authorityHost}/`)) {
      this.log.warn({ tokenEndpoint }, 'token endpoint outside GRAPH_AUTHORITY_HOST refused');
      throw unavailable('Microsoft Entra ID named a token endpoint on another host');
    }
    return body;
  }

  private tokenError(err: unknown): DirectoryError {
    if (err instanceof DirectoryError) return err;
    const status = err instanceof ServerError ? err.status : undefined;
    if (
      err instanceof ServerError &&
      status !== undefined &&
      status >= 400 &&
      status < 500 &&
      status !== 429
    ) {
      this.log.warn({ errorCode: err.errorCode, errorNo: err.errorNo, status }, 'directory sign-in refused');
      const code = err.errorNo ? ` (AADSTS${err.errorNo})` : '';
      return new DirectoryError(
        'DIRECTORY_AUTH_FAILED',
        `Microsoft Entra ID refused the directory’s sign-in${code}: an administrator should check the tenant ID, client ID and client secret`,
      );
    }
    if (status === 429)
      return new DirectoryError('DIRECTORY_BUSY', 'Microsoft Entra ID is busy: try again in a moment');
    this.log.warn({ err }, 'no token from Microsoft Entra ID');
    return unavailable('Microsoft Entra ID cannot be reached now');
  }
}
