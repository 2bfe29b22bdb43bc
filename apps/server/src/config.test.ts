import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, sipTcpLimits } from './config.js';

test('defaults need nothing but the machine', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, path.resolve('./data'));
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.demoPassword, undefined);
  assert.deepEqual(c.roles, ['api', 'realtime', 'acd', 'media']);
});

test('every problem is reported at once', () => {
  try {
    loadConfig({ PORT: '99999', DEMO_PASSWORD: 'short', ROLES: 'api,dialer', COOKIE_SECURE: 'maybe' });
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 4);
    assert.match(err.message, /ROLES has unknown roles: dialer/);
  }
});

test('roles can be split across processes', () => {
  assert.deepEqual(loadConfig({ ROLES: 'realtime' }).roles, ['realtime']);
});

test('media addresses default to loopback and this host, and must be IPv4', () => {
  assert.equal(loadConfig({}).mediaAddresses[0], '127.0.0.1');
  assert.deepEqual(loadConfig({ MEDIA_ADDRESSES: '10.0.0.5, 127.0.0.1' }).mediaAddresses, [
    '10.0.0.5',
    '127.0.0.1',
  ]);
  assert.throws(() => loadConfig({ MEDIA_ADDRESSES: 'pbx.example' }), /MEDIA_ADDRESSES must be IPv4/);
});

test('SIP over TCP limits have defaults, read in seconds, and refuse nonsense', () => {
  assert.deepEqual(sipTcpLimits(loadConfig({})), {
    idleMs: 20_000,
    trustedIdleMs: 600_000,
    maxConnections: 4000,
    maxPerSource: 256,
    maxPerUntrustedSource: 4,
  });
  const c = loadConfig({ SIP_TCP_IDLE_SECONDS: '5', SIP_TCP_MAX_PER_UNTRUSTED_SOURCE: '2' });
  assert.equal(sipTcpLimits(c).idleMs, 5000);
  assert.equal(sipTcpLimits(c).maxPerUntrustedSource, 2);
  assert.throws(
    () => loadConfig({ SIP_TCP_IDLE_SECONDS: '0', SIP_TCP_MAX_CONNECTIONS: 'lots' }),
    (err) =>
      err instanceof ConfigError &&
      err.problems.length === 2 &&
      /SIP_TCP_IDLE_SECONDS must be a whole number/.test(err.message),
  );
});

test('TRUST_PROXY takes addresses and CIDR ranges, and nothing else', () => {
  assert.deepEqual(loadConfig({}).trustProxy, []);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1' }).trustProxy, [
    '10.0.0.1',
    '192.168.0.0/16',
    '::1',
  ]);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'lb.example' }), /TRUST_PROXY/);
  assert.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' }), /TRUST_PROXY/);
});
