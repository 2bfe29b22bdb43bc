import type { FastifyInstance } from 'fastify';
import pino from 'pino';

/** One line of the server's log, parsed. */
export interface LogLine {
  level: number;
  msg?: string;
  err?: { type?: string; message?: string };
  [key: string]: unknown;
}

export const LOG_ERROR = 50;

/**
 * The app's log lines from now on, at `level` and above, kept in memory instead of written out.
 * The services log through `app.log` itself, so its stream is swapped (pino children share it).
 */
export function captureLog(app: FastifyInstance, level = 'info'): { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = app.log as unknown as Record<symbol, unknown>;
  logger[pino.symbols.streamSym] = {
    write(chunk: string) {
      for (const text of chunk.split('\n')) if (text) lines.push(JSON.parse(text) as LogLine);
    },
  };
  app.log.level = level;
  return { lines };
}
