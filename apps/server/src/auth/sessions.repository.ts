import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@parley/contract';
import type { Db } from '../db/database.js';

export interface AuthSession {
  tokenHash: string;
  userId: string;
  workspaceId: string;
  role: Role;
  csrfToken: string;
  expiresAt: Date;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Sessions are stored by the hash of their token: a leaked table does not sign anyone in. */
export class SessionsRepository {
  constructor(private readonly db: Db) {}

  async create(userId: string, workspaceId: string, now: Date, ttlMs: number) {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: hashToken(token),
        user_id: userId,
        workspace_id: workspaceId,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: new Date(now.getTime() + ttlMs),
      })
      .execute();
    return { token, csrfToken, tokenHash: hashToken(token) };
  }

  async find(token: string, now: Date): Promise<AuthSession | null> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.token_hash',
        'sessions.user_id',
        'sessions.workspace_id',
        'sessions.csrf_token',
        'sessions.expires_at',
        'users.role',
      ])
      .where('sessions.token_hash', '=', hashToken(token))
      .where('sessions.expires_at', '>', now)
      .where('users.disabled', '=', false)
      .executeTakeFirst();
    if (!row) return null;
    return {
      tokenHash: row.token_hash,
      userId: row.user_id,
      workspaceId: row.workspace_id,
      role: row.role,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    };
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }
}
