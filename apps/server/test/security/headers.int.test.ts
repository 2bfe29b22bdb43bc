import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../helpers.js';

/** A stand-in for the built toolbar: the headers must not depend on what the page holds. */
function tinyWebDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Parley</title><div id="root"></div>');
  writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("toolbar");');
  return dir;
}

/** Everything a browser needs to refuse inline script, framing, sniffing and referrer leaks. */
function assertBrowserHeaders(res: Response, where: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /(^|; )default-src 'self'(;|$)/, `${where}: default-src`);
  assert.match(csp, /(^|; )script-src 'self'(;|$)/, `${where}: script-src without inline or eval`);
  assert.match(csp, /(^|; )object-src 'none'(;|$)/, `${where}: object-src`);
  assert.match(csp, /(^|; )base-uri 'none'(;|$)/, `${where}: base-uri`);
  assert.match(csp, /(^|; )connect-src 'self'(;|$)/, `${where}: connect-src`);
  assert.match(csp, /(^|; )frame-ancestors 'none'(;|$)/, `${where}: frame-ancestors`);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', `${where}: X-Frame-Options`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${where}: nosniff`);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', `${where}: Referrer-Policy`);
  assert.equal(res.headers.get('strict-transport-security'), null, `${where}: no HSTS over plain HTTP`);
}

async function signedInCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'agent1', password: DEMO_PASSWORD }),
  });
  assert.equal(res.status, 200);
  assertBrowserHeaders(res, 'sign-in answer');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('browser security headers', () => {
  let server: TestServer;
  const webDir = tinyWebDir();
  before(async () => {
    server = await startTestServer({ env: { WEB_DIR: webDir } });
  });
  after(async () => {
    await server.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  test('the toolbar page and its single-page routes', async () => {
    for (const page of ['/', '/interactions', '/web-connect']) {
      const res = await fetch(`${server.url}${page}`);
      assert.equal(res.status, 200, page);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/, page);
      assertBrowserHeaders(res, page);
      assert.equal(res.headers.get('cache-control'), 'no-cache', `${page} is revalidated`);
    }
  });

  test('the web phone page', async () => {
    // The built web phone when there is one, else the toolbar's page: either way a page.
    const res = await fetch(`${server.url}/phone/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assertBrowserHeaders(res, '/phone/');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
  });

  test('a hashed static asset keeps its caching and is never sniffed', async () => {
    const res = await fetch(`${server.url}/assets/index-abc123.js`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'console.log("toolbar");');
    assertBrowserHeaders(res, 'asset');
    assert.doesNotMatch(res.headers.get('cache-control') ?? '', /no-store|no-cache/);
  });

  test('an API answer is never stored', async () => {
    const cookie = await signedInCookie(server.url);
    const res = await fetch(`${server.url}/api/auth/session`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { user: { username: string } }).user.username, 'agent1');
    assertBrowserHeaders(res, '/api/auth/session');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('error answers carry the same headers', async () => {
    const missing = await fetch(`${server.url}/api/no-such-thing`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'ROUTE_NOT_FOUND');
    assertBrowserHeaders(missing, '404');
    assert.equal(missing.headers.get('cache-control'), 'no-store');

    const signedOut = await fetch(`${server.url}/api/auth/session`);
    assert.equal(signedOut.status, 401);
    assert.equal(((await signedOut.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    assertBrowserHeaders(signedOut, '401');
    assert.equal(signedOut.headers.get('cache-control'), 'no-store');
  });
});

describe('browser security headers behind HTTPS, embedded in a CRM', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      env: { COOKIE_SECURE: 'true', FRAME_ANCESTORS: 'https://crm.example.com, self' },
    });
  });
  after(async () => server.close());

  test('HSTS appears, and the configured origins may frame the pages', async () => {
    for (const page of ['/api/auth/session', '/api/no-such-thing']) {
      const res = await fetch(`${server.url}${page}`);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000', page);
      assert.match(
        res.headers.get('content-security-policy') ?? '',
        /(^|; )frame-ancestors https:\/\/crm\.example\.com 'self'(;|$)/,
        page,
      );
      // X-Frame-Options cannot name origins; left out, it does not override frame-ancestors.
      assert.equal(res.headers.get('x-frame-options'), null, page);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', page);
    }
  });
});
