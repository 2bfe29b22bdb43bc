import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppError } from '../http/app-error.js';

/** How long a chat token lets its holder back into the chat; every resume gets a fresh one. */
export const CHAT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The customer's key to one chat: `<chat id>.<expiry, ms>.<HMAC-SHA256>`, under a key derived
 * from the server's secret key (so every process that shares SECRET_KEY accepts it). Nothing is
 * stored: a forged, altered or expired token is refused with CHAT_TOKEN_INVALID.
 */
export class ChatTokens {
  private readonly key: Buffer;

  constructor(secretKey: Uint8Array) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'parley chat token', 32));
  }

  issue(chatId: string, now: Date): string {
    const body = `${chatId}.${now.getTime() + CHAT_TOKEN_TTL_MS}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The chat the token opens; CHAT_TOKEN_INVALID when it is not one of ours or has expired. */
  verify(token: string, now: Date): string {
    const [chatId, expires, mac, ...rest] = token.split('.');
    const invalid = new AppError('CHAT_TOKEN_INVALID', 'This chat link is not valid any more');
    if (!chatId || !expires || !mac || rest.length > 0 || !/^[0-9]{1,15}$/.test(expires)) throw invalid;
    const expected = Buffer.from(this.sign(`${chatId}.${expires}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
    if (Number(expires) <= now.getTime()) throw invalid;
    return chatId;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
