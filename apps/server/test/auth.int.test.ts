import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '@parley/client';
import { DEMO_PASSWORD, raw, startTestServer, type TestServer } from './helpers.js';

/** A sign-in attempt from a chosen loopback address, so tests can play several sources. */
function loginFrom(server: TestServer, source: string, username: string, password: string) {
  return new Promise<{ status: number; code?: string; retryAfter?: string }>((resolve, reject) => {
    const url = new URL('/api/auth/login', server.url);
    const req = http.request(
      url,
      { method: 'POST', localAddress: source, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => {
          const body = JSON.parse(text) as { error?: { code: string } };
          resolve({
            status: res.statusCode ?? 0,
            ...(body.error && { code: body.error.code }),
            ...(res.headers['retry-after'] && { retryAfter: String(res.headers['retry-after']) }),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ username, password }));
  });
}

describe('sign-in (A1)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  test('a right password opens an httpOnly, SameSite session the toolbar can read itself into', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agent1', password: DEMO_PASSWORD }),
    });
    assert.equal(res.status, 200);
    const cookie = res.headers.getSetCookie()[0] ?? '';
    assert.match(cookie, /^parley_session=[\w-]{40,};/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    const body = (await res.json()) as { user: { displayName: string; agentId: number }; csrfToken: string };
    assert.equal(body.user.displayName, 'Ava Agent');
    assert.equal(body.user.agentId, 1001);

    const session = await raw(`${server.url}/api/auth/session`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    assert.equal(session.status, 200);
    assert.equal((session.body.user as { username: string }).username, 'agent1');
  });

  test('usernames are matched without regard to case', async () => {
    const c = await server.signIn('AGENT2');
    assert.equal((await c.session()).user.username, 'agent2');
  });

  test('a wrong password and an unknown user get the same refusal', async () => {
    const wrong = await raw(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agent3', password: 'not-the-password' }),
    });
    const unknown = await raw(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody-here', password: 'not-the-password' }),
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(wrong.body.error?.code, 'LOGIN_FAILED');
  });

  test('without a session the API answers 401 UNAUTHENTICATED', async () => {
    const res = await raw(`${server.url}/api/auth/session`);
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, 'UNAUTHENTICATED');
  });

  test('a state-changing request without the CSRF token, or from another site, is refused', async () => {
    const c = await server.signIn('agent1');
    const cookie = c.sessionCookie ?? '';
    const noToken = await raw(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    assert.equal(noToken.status, 403);
    assert.equal(noToken.body.error?.code, 'CSRF_FAILED');
    const foreign = await raw(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': c.csrf ?? '', origin: 'https://evil.example' },
    });
    assert.equal(foreign.body.error?.code, 'CSRF_FAILED');
    const crossSiteLogin = await raw(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ username: 'agent1', password: DEMO_PASSWORD }),
    });
    assert.equal(crossSiteLogin.body.error?.code, 'CSRF_FAILED');
    // The session still works: nothing was signed out.
    assert.equal((await c.session()).user.username, 'agent1');
  });

  test('signing out ends the session for good', async () => {
    const c = await server.signIn('agent1');
    const cookie = c.sessionCookie ?? '';
    await c.logout();
    const after = await raw(`${server.url}/api/auth/session`, { headers: { cookie } });
    assert.equal(after.status, 401);
  });

  test('failures slow down, then lock only that account from that source', async () => {
    const attacker = '127.0.0.2';
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await loginFrom(server, attacker, 'agent3', `wrong-${i}`));
    assert.deepEqual(
      results.slice(0, 5).map((r) => r.code),
      Array(5).fill('LOGIN_FAILED'),
    );
    assert.equal(results[5]?.status, 429);
    assert.equal(results[5]?.code, 'LOGIN_THROTTLED');
    assert.ok(Number(results[5]?.retryAfter) >= 1);
    // Even the right password waits while throttled.
    const right = await loginFrom(server, attacker, 'agent3', DEMO_PASSWORD);
    assert.equal(right.code, 'LOGIN_THROTTLED');
    // The real agent3 at another address is not locked out by the attacker.
    const owner = await loginFrom(server, '127.0.0.3', 'agent3', DEMO_PASSWORD);
    assert.equal(owner.status, 200);
  });

  test('the typed client surfaces the stable code and the wait', async () => {
    for (let i = 0; i < 5; i++) {
      await assert.rejects(server.client().login({ username: 'manager', password: 'nope-nope' }), ApiError);
    }
    const err = await server
      .client()
      .login({ username: 'manager', password: 'nope-nope' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'LOGIN_THROTTLED');
    assert.ok((err.retryAfterSeconds ?? 0) >= 1);
  });
});
