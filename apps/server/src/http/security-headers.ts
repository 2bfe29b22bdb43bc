import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface SecurityHeadersOptions {
  /** The platform is served over HTTPS (COOKIE_SECURE): browsers are told to keep to it (HSTS). */
  cookieSecure: boolean;
  /** Origins that may show the pages in a frame; none when empty. */
  frameAncestors: readonly string[];
}

/** An origin as CSP writes it: scheme, host (a leading `*.` for any subdomain), optional port. */
const ORIGIN = /^https?:\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/;

/** FRAME_ANCESTORS: comma-separated origins, or `self`; empty for none. */
export function parseFrameAncestors(raw: string | undefined): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const bad = list.filter((o) => o !== 'self' && !ORIGIN.test(o));
  if (bad.length) {
    throw new Error(
      `FRAME_ANCESTORS must be origins like https://crm.example.com (or self), got ${bad.join(', ')}`,
    );
  }
  return list.map((o) => (o === 'self' ? "'self'" : o));
}

/**
 * The policy of every answer. The toolbar and the web phone load only their own bundles (Vite
 * writes no inline script), talk to their own origin (`'self'` covers same-host ws:/wss: in CSP
 * Level 3 browsers) and show data: icons. WebRTC audio plays from a MediaStream, which CSP does
 * not govern; recordings come from /api/.
 *
 * style-src allows inline styles: Mantine renders <style> elements at run time (its theme's CSS
 * variables, responsive style props). A nonce would mean rewriting the static index.html per
 * answer and giving up its caching; with script-src strict, injected CSS is the smaller risk.
 */
export function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

function isApi(request: FastifyRequest): boolean {
  const pathname = request.url.split('?')[0] ?? '';
  return pathname === '/api' || pathname.startsWith('/api/');
}

function isHtml(reply: FastifyReply): boolean {
  return String(reply.getHeader('content-type') ?? '').startsWith('text/html');
}

/**
 * Browser security headers on every answer: pages, API, errors, static files. Set in onSend so
 * answers made by error handlers and plugins get them too; a route that chose its own
 * Cache-Control or Content-Security-Policy keeps it.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeadersOptions): void {
  const fixed: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(options.frameAncestors),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  // X-Frame-Options cannot name origins: browsers that know CSP use frame-ancestors instead.
  if (!options.frameAncestors.length) fixed['x-frame-options'] = 'DENY';
  // No includeSubDomains: other sites of the operator's domain may not be on HTTPS.
  if (options.cookieSecure) fixed['strict-transport-security'] = 'max-age=31536000';

  app.addHook('onSend', async (request, reply, payload) => {
    // A route with a policy of its own (a download's sandbox, a framed email body) keeps it,
    // and its own framing rule with it.
    const own = reply.getHeader('content-security-policy');
    reply.headers(fixed);
    if (own !== undefined) {
      reply.header('content-security-policy', own);
      reply.removeHeader('x-frame-options');
    }
    if (isApi(request)) {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    } else if (isHtml(reply)) {
      // The pages name their hashed bundles: a stale page would load an old release.
      reply.header('cache-control', 'no-cache');
    }
    return payload;
  });
}
