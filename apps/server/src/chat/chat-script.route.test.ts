import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CHAT_SCRIPT_PATH } from '@parley/contract';
import Fastify from 'fastify';
import { registerAccessControl } from '../http/access.js';
import { registerErrorHandling } from '../http/error-handler.js';
import { registerSecurityHeaders } from '../http/security-headers.js';
import { registerChatScript } from './chat-script.route.js';

async function serve(file: string | undefined) {
  const app = Fastify();
  registerErrorHandling(app);
  registerAccessControl(app);
  registerSecurityHeaders(app, { cookieSecure: true, frameAncestors: [] });
  registerChatScript(app, file);
  await app.ready();
  return app;
}

test('chat.js is served to any website: script type, cached 5 minutes, CORS and CORP cross-origin', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'chat-script-'));
  const file = path.join(dir, 'chat.js');
  await writeFile(file, '(function(){console.log("v1")})();');
  const app = await serve(file);
  try {
    const res = await app.inject({
      url: CHAT_SCRIPT_PATH,
      headers: { origin: 'https://shop.example.com', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '(function(){console.log("v1")})();');
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    // nosniff is fine for a script served as JavaScript; nothing here stops another site loading it.
    assert.equal(res.headers['x-content-type-options'], 'nosniff');

    const again = await app.inject({
      url: CHAT_SCRIPT_PATH,
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');

    // A rebuild while the server runs is served at once (the browser's copy is then stale).
    await writeFile(file, '(function(){console.log("v2")})();');
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    const rebuilt = await app.inject({
      url: CHAT_SCRIPT_PATH,
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    assert.equal(rebuilt.statusCode, 200);
    assert.match(rebuilt.body, /v2/);

    const head = await app.inject({ method: 'HEAD', url: CHAT_SCRIPT_PATH });
    assert.equal(head.statusCode, 200);
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('without a built widget chat.js is a 404 with the usual error body', async () => {
  for (const file of [undefined, path.join(tmpdir(), 'no-such-dir', 'chat.js')]) {
    const app = await serve(file);
    try {
      const res = await app.inject({ url: CHAT_SCRIPT_PATH });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, 'NOT_FOUND');
    } finally {
      await app.close();
    }
  }
});
