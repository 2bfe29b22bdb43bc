import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../src/clock.js';

/**
 * A stand-in for Microsoft Entra ID and Microsoft Graph on loopback (the real ones cannot be
 * reached from here), answering what the directory asks with the documented shapes:
 *
 * - GET /{tenant}/v2.0/.well-known/openid-configuration: the tenant's OpenID configuration
 *   (400 `invalid_tenant`, AADSTS90002, for a tenant it does not know);
 * - POST /{tenant}/oauth2/v2.0/token: the client credentials grant (`token_type`, `expires_in`,
 *   `access_token`; 401 `invalid_client`, AADSTS7000215, for a wrong secret; 400
 *   `unauthorized_client`, AADSTS700016, for an unknown client);
 * - GET /v1.0/users with `$search="displayName:…"` (400 without `ConsistencyLevel: eventual`),
 *   `$select`, `$top` and `@odata.nextLink` paging by `$skiptoken`; 401
 *   `InvalidAuthenticationToken` without a token it issued; 429 with Retry-After when told to.
 *
 * Every request is recorded, with the clock's time, for tests to inspect.
 */

export interface StandInUser {
  id?: string;
  displayName: string;
  jobTitle?: string | null;
  department?: string | null;
  businessPhones?: string[];
  mobilePhone?: string | null;
  mail?: string | null;
}

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
  /** The clock's time when it arrived. */
  at: number;
}

export interface GraphStandIn {
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  requests: SeenRequest[];
  users: StandInUser[];
  /** The next /v1.0/users requests are answered with this status (and Retry-After, if given). */
  throttleNext(times: number, o: { status?: 429 | 503; retryAfter?: string }): void;
  /** While down, every request's connection is dropped without an answer. */
  down: boolean;
  seen(pathPart: string): SeenRequest[];
  close(): Promise<void>;
}

const FIELDS = ['id', 'displayName', 'jobTitle', 'department', 'businessPhones', 'mobilePhone', 'mail'];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

const graphError = (code: string, message: string) => ({
  error: {
    code,
    message,
    innerError: { date: new Date().toISOString(), 'request-id': randomBytes(8).toString('hex') },
  },
});

const aadError = (error: string, number: number, description: string) => ({
  error,
  error_description: `AADSTS${number}: ${description} Trace ID: 0000 Correlation ID: 0000 Timestamp: 2026-01-01 00:00:00Z`,
  error_codes: [number],
  timestamp: '2026-01-01 00:00:00Z',
  trace_id: '00000000-0000-0000-0000-000000000000',
  correlation_id: '00000000-0000-0000-0000-000000000000',
});

export async function startGraphServer(o: {
  clock: Clock;
  users?: StandInUser[];
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}): Promise<GraphStandIn> {
  const tenantId = o.tenantId ?? '8c9c5f0e-4f71-4c53-9d55-3c1b2a6f0e11';
  const clientId = o.clientId ?? '3f1d2c4b-5a69-4e87-9b1a-2c3d4e5f6a7b';
  const clientSecret = o.clientSecret ?? `graph-secret-${randomBytes(6).toString('hex')}`;
  const issued = new Set<string>();
  const throttles: { status: number; retryAfter?: string }[] = [];
  let origin = '';

  const openId = (tenant: string) => ({
    token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid'],
    kerberos_endpoint: `${origin}/${tenant}/kerberos`,
    tenant_region_scope: 'OC',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  });

  function token(res: ServerResponse, tenant: string, form: URLSearchParams) {
    if (tenant !== tenantId)
      return json(res, 400, aadError('invalid_tenant', 90002, `Tenant '${tenant}' not found.`));
    if (form.get('grant_type') !== 'client_credentials' || !form.get('scope')?.endsWith('/.default'))
      return json(
        res,
        400,
        aadError('invalid_request', 90014, 'The request is not a client credentials grant.'),
      );
    if (form.get('client_id') !== clientId)
      return json(
        res,
        400,
        aadError(
          'unauthorized_client',
          700016,
          `Application with identifier '${form.get('client_id')}' was not found.`,
        ),
      );
    if (form.get('client_secret') !== standIn.clientSecret)
      return json(res, 401, aadError('invalid_client', 7000215, 'Invalid client secret provided.'));
    const accessToken = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${randomBytes(12).toString('base64url')}.sig`;
    issued.add(accessToken);
    json(res, 200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
    });
  }

  function users(res: ServerResponse, req: IncomingMessage, query: URLSearchParams) {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !issued.has(auth.slice(7)))
      return json(
        res,
        401,
        graphError('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
      );
    const throttle = throttles.shift();
    if (throttle)
      return json(
        res,
        throttle.status,
        graphError('TooManyRequests', 'Too many requests.'),
        throttle.retryAfter ? { 'retry-after': throttle.retryAfter } : {},
      );
    const search = query.get('$search');
    let list = standIn.users;
    if (search !== null) {
      if (req.headers.consistencylevel !== 'eventual')
        return json(
          res,
          400,
          graphError(
            'Request_UnsupportedQuery',
            "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
          ),
        );
      const m = /^"displayName:([^"]*)"$/.exec(search);
      if (!m) return json(res, 400, graphError('Request_UnsupportedQuery', 'Unsupported or invalid query.'));
      const term = (m[1] ?? '').toLowerCase();
      // Tokenised like Graph's: a word of the name starts with the term.
      list = list.filter(
        (u) =>
          u.displayName
            .toLowerCase()
            .split(/[\s.-]+/)
            .some((w) => w.startsWith(term)) || u.displayName.toLowerCase().startsWith(term),
      );
    }
    const select = (query.get('$select') ?? FIELDS.join(',')).split(',');
    const top = Math.min(999, Number(query.get('$top') ?? 100));
    const skip = Number(Buffer.from(query.get('$skiptoken') ?? 'MA', 'base64url').toString() || 0);
    const page = list
      .slice(skip, skip + top)
      .map((u) =>
        Object.fromEntries(
          select.map((f) => [f, u[f as keyof StandInUser] ?? (f === 'businessPhones' ? [] : null)]),
        ),
      );
    const body: Record<string, unknown> = {
      '@odata.context': `${origin}/v1.0/$metadata#users(${select.join(',')})`,
      value: page,
    };
    if (skip + top < list.length) {
      const next = new URLSearchParams(query);
      next.set('$skiptoken', Buffer.from(String(skip + top)).toString('base64url'));
      body['@odata.nextLink'] = `${origin}/v1.0/users?${next.toString()}`;
    }
    json(res, 200, body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      standIn.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        form,
        at: o.clock.now().getTime(),
      });
      if (standIn.down) return req.socket.destroy();
      const openIdPath = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
      if (req.method === 'GET' && openIdPath) {
        const tenant = decodeURIComponent(openIdPath[1] ?? '');
        if (tenant !== tenantId)
          return json(res, 400, aadError('invalid_tenant', 90002, `Tenant '${tenant}' not found.`));
        return json(res, 200, openId(tenant));
      }
      const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (req.method === 'POST' && tokenPath) return token(res, decodeURIComponent(tokenPath[1] ?? ''), form);
      if (req.method === 'GET' && url.pathname === '/v1.0/users') return users(res, req, url.searchParams);
      json(res, 404, graphError('Request_ResourceNotFound', `No ${req.method} ${url.pathname}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const standIn: GraphStandIn = {
    url: origin,
    tenantId,
    clientId,
    clientSecret,
    requests: [],
    users: (o.users ?? []).map((u, i) => ({
      id: u.id ?? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      ...u,
    })),
    down: false,
    throttleNext(times, t) {
      for (let i = 0; i < times; i++)
        throttles.push({
          status: t.status ?? 429,
          ...(t.retryAfter !== undefined && { retryAfter: t.retryAfter }),
        });
    },
    seen: (part) => standIn.requests.filter((r) => r.path.includes(part)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}
