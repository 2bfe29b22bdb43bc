import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { CHAT_SCRIPT_PATH } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../http/error-handler.js';

interface Loaded {
  mtimeMs: number;
  body: Buffer;
  etag: string;
}

/**
 * The web chat widget, chat.js, for any website to load with a script tag: readable from every
 * origin (CORS and CORP say so), cached for five minutes so a release reaches sites soon. The
 * file is read again when it changes on disk (a rebuild while the server runs). 404 with the
 * usual error body when the widget was not built.
 */
export function registerChatScript(app: FastifyInstance, file: string | undefined): void {
  let loaded: Loaded | undefined;
  const load = async (path: string): Promise<Loaded | undefined> => {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    if (loaded?.mtimeMs !== info.mtimeMs) {
      const body = await readFile(path);
      loaded = {
        mtimeMs: info.mtimeMs,
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      };
    }
    return loaded;
  };

  app.get(
    CHAT_SCRIPT_PATH,
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const script = file ? await load(file) : undefined;
      if (!script) return sendError(reply, 'NOT_FOUND', 'The chat widget is not built on this server');
      reply.headers({
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
        etag: script.etag,
      });
      if (request.headers['if-none-match'] === script.etag) return reply.status(304).send();
      return reply.send(script.body);
    },
  );
}
