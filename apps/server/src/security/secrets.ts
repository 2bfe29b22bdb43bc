import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The key length AES-256 needs. */
export const SECRET_KEY_BYTES = 32;
/** The key file's name in the data folder, when no SECRET_KEY is set. */
export const SECRET_KEY_FILE = 'secret.key';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value that cannot be opened: altered, sealed under another key, or not sealed at all. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

/**
 * Secrets at rest (an integration's client secret): AES-256-GCM under one key, as
 * `v1.<base64url(iv | ciphertext | tag)>`. The version names the format, so a later key or
 * cipher can be told apart from this one. `context` binds a value to where it is kept (the
 * workspace and field): the same ciphertext copied into another row does not open there.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== SECRET_KEY_BYTES)
      throw new SecretError(`The secret key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
    this.key = Buffer.from(key);
  }

  seal(plain: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(sealed: string, context = ''): string {
    const dot = sealed.indexOf('.');
    const version = dot < 0 ? '' : sealed.slice(0, dot);
    if (version !== VERSION) throw new SecretError('Not a sealed secret (unknown or missing version)');
    const raw = Buffer.from(sealed.slice(dot + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretError('The sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretError(
        'The sealed secret cannot be opened: it was altered, or sealed under another SECRET_KEY',
      );
    }
  }
}

/** A key given as base64 (SECRET_KEY); throws unless it is exactly 32 bytes. */
export function parseSecretKey(base64: string): Buffer {
  const text = base64.trim();
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || key.length !== SECRET_KEY_BYTES)
    throw new SecretError(
      `SECRET_KEY must be ${SECRET_KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`,
    );
  return key;
}

/**
 * The key from SECRET_KEY when set; else the data folder's key file, made on first start
 * (readable by this user only) and read on every start after. Processes on other hosts must
 * share SECRET_KEY instead, or they cannot open what this one sealed.
 */
export function loadSecretKey(o: { secretKey: Buffer | undefined; dataDir: string }): Buffer {
  if (o.secretKey) return o.secretKey;
  const file = path.join(o.dataDir, SECRET_KEY_FILE);
  mkdirSync(o.dataDir, { recursive: true });
  // Written aside, then linked into place: two processes starting at once cannot both make a
  // key, and neither reads a half-written one.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(SECRET_KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(draft);
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  try {
    return parseSecretKey(readFileSync(file, 'utf8'));
  } catch {
    throw new SecretError(`${file} does not hold a ${SECRET_KEY_BYTES}-byte base64 key`);
  }
}
