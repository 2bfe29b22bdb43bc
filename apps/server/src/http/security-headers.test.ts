import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { contentSecurityPolicy, parseFrameAncestors, registerSecurityHeaders } from './security-headers.js';

test('FRAME_ANCESTORS takes origins and self, and refuses anything a policy could be smuggled in with', () => {
  assert.deepEqual(parseFrameAncestors(undefined), []);
  assert.deepEqual(parseFrameAncestors(''), []);
  assert.deepEqual(parseFrameAncestors('https://crm.example.com, https://*.example.org:8443 ,self'), [
    'https://crm.example.com',
    'https://*.example.org:8443',
    "'self'",
  ]);
  for (const bad of [
    'crm.example.com',
    'https://crm.example.com/path',
    "https://a.example; script-src 'unsafe-inline'",
    '*',
    "'none'",
  ]) {
    assert.throws(() => parseFrameAncestors(bad), /FRAME_ANCESTORS must be origins/, bad);
  }
});

test('the policy has no inline or eval script and frames nowhere unless told', () => {
  const csp = contentSecurityPolicy([]);
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'$/);
  assert.match(
    contentSecurityPolicy(['https://crm.example.com']),
    /frame-ancestors https:\/\/crm\.example\.com$/,
  );
});

test('a route that chose its own caching keeps it; one that failed still gets the headers', async () => {
  const app = Fastify();
  registerSecurityHeaders(app, { cookieSecure: false, frameAncestors: [] });
  app.get('/api/recording', async (_req, reply) =>
    reply.type('audio/wav').header('cache-control', 'private, no-store').send(Buffer.alloc(4)),
  );
  app.get('/api/broken', async () => {
    throw new Error('boom');
  });
  try {
    const wav = await app.inject({ url: '/api/recording' });
    assert.equal(wav.statusCode, 200);
    assert.equal(wav.headers['cache-control'], 'private, no-store');
    assert.equal(wav.headers['x-content-type-options'], 'nosniff');

    const broken = await app.inject({ url: '/api/broken' });
    assert.equal(broken.statusCode, 500);
    assert.equal(broken.headers['cache-control'], 'no-store');
    assert.equal(broken.headers['x-frame-options'], 'DENY');
    assert.match(String(broken.headers['content-security-policy']), /default-src 'self'/);
  } finally {
    await app.close();
  }
});
