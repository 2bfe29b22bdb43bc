import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadSecretKey, parseSecretKey, SECRET_KEY_FILE, SecretBox, SecretError } from './secrets.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-secrets-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const cannotOpen = (e: unknown) => e instanceof SecretError && /altered|another SECRET_KEY/.test(e.message);

describe('SecretBox (AES-256-GCM at rest)', () => {
  const box = new SecretBox(randomBytes(32));

  test('opens what it sealed; the sealed text is versioned and holds nothing of the plain text', () => {
    const sealed = box.seal('client-secret~with.unicode✓');
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes('client-secret'));
    assert.equal(box.open(sealed), 'client-secret~with.unicode✓');
  });

  test('the same secret seals differently each time (a fresh IV)', () => {
    assert.notEqual(box.seal('same'), box.seal('same'));
  });

  test('one flipped bit anywhere is refused', () => {
    const sealed = box.seal('hunter2-hunter2');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (const at of [0, 12, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at] = (bad[at] ?? 0) ^ 1;
      assert.throws(() => box.open(`v1.${bad.toString('base64url')}`), cannotOpen, `byte ${at}`);
    }
  });

  test('another key cannot open it', () => {
    const sealed = box.seal('hunter2');
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed), cannotOpen);
  });

  test('a value sealed for one place does not open in another (context)', () => {
    const sealed = box.seal('hunter2', 'workspace-a');
    assert.equal(box.open(sealed, 'workspace-a'), 'hunter2');
    assert.throws(() => box.open(sealed, 'workspace-b'), cannotOpen);
  });

  test('plain text, an unknown version or a truncated value is refused with a clear error', () => {
    assert.throws(() => box.open('hunter2'), /Not a sealed secret/);
    assert.throws(() => box.open(`v2.${box.seal('x').slice(3)}`), /Not a sealed secret/);
    assert.throws(() => box.open('v1.AAAA'), /truncated/);
  });

  test('a key of the wrong length is refused', () => {
    assert.throws(() => new SecretBox(randomBytes(16)), /32 bytes/);
  });
});

describe('the key', () => {
  test('SECRET_KEY must be 32 bytes of base64', () => {
    const key = randomBytes(32);
    assert.deepEqual(parseSecretKey(key.toString('base64')), key);
    assert.throws(() => parseSecretKey(randomBytes(16).toString('base64')), /32 random bytes/);
    assert.throws(() => parseSecretKey('not base64 at all!'), /32 random bytes/);
  });

  test('SECRET_KEY, when set, is used and no key file is made', () => {
    const dir = scratch();
    const key = randomBytes(32);
    assert.deepEqual(loadSecretKey({ secretKey: key, dataDir: dir }), key);
    assert.throws(() => statSync(path.join(dir, SECRET_KEY_FILE)));
  });

  test('without it a key file is made on first start, readable by its owner only, and reused', () => {
    const dir = scratch();
    const first = loadSecretKey({ secretKey: undefined, dataDir: dir });
    const file = path.join(dir, SECRET_KEY_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = loadSecretKey({ secretKey: undefined, dataDir: dir });
    assert.deepEqual(again, first);
    // What one start sealed, the next opens.
    const sealed = new SecretBox(first).seal('kept');
    assert.equal(new SecretBox(loadSecretKey({ secretKey: undefined, dataDir: dir })).open(sealed), 'kept');
    assert.equal(readFileSync(file, 'utf8').trim(), first.toString('base64'));
  });

  test('a damaged key file stops the start with a clear error', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, SECRET_KEY_FILE), 'short\n', { mode: 0o600 });
    assert.throws(() => loadSecretKey({ secretKey: undefined, dataDir: dir }), /does not hold a 32-byte/);
  });
});
