import http from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/**
 * The HTTP server's own limits, so slow or idle clients cannot hold sockets (and file descriptors)
 * for ever. None of them reach an upgraded WebSocket: Node stops timing a socket once it is handed
 * to the 'upgrade' event, and the WebSocket channels have their own heartbeats.
 */
export interface HttpLimits {
  /** The request line and headers must arrive within this time (slow-loris). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this time. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection between requests is closed after this time. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic either way is closed after this time. */
  idleTimeoutMs: number;
  /** How often Node checks the header and request deadlines. */
  checkEveryMs: number;
  /** Open connections (WebSockets included); more are closed at once. */
  maxConnections: number;
}

export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 60_000,
  // Longer than the 60 s idle time of common load balancers, so they close first (no 502s).
  keepAliveTimeoutMs: 72_000,
  idleTimeoutMs: 120_000,
  checkEveryMs: 5_000,
  maxConnections: 10_000,
};

/**
 * Options to spread into `Fastify({...})`. The server is built here because `maxConnections`,
 * `headersTimeout` and the checking interval are not Fastify options; the Fastify timeouts are
 * given as well so that `app.initialConfig` tells the truth.
 */
export function httpServerLimits(limits: HttpLimits = HTTP_LIMITS) {
  const serverFactory: FastifyServerFactory = (handler) => {
    const server = http.createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: limits.checkEveryMs,
      },
      handler,
    );
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    server.setTimeout(limits.idleTimeoutMs);
    server.maxConnections = limits.maxConnections;
    return server;
  };
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    serverFactory,
  };
}
