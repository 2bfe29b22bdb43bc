import type { LoginBody, SessionResponse } from '@parley/contract';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { AppError } from '../http/app-error.js';
import { toSessionUser, type UsersRepository } from '../users/users.repository.js';
import type { LoginThrottle } from './login-throttle.js';
import { verifySecret } from './password.js';
import type { AuthSession, SessionsRepository } from './sessions.repository.js';

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly throttle: LoginThrottle,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly sessionTtlMs: number,
  ) {}

  /** Signs in; the throttle decides first, so a right password during a lock is still refused. */
  async login(body: LoginBody, source: string): Promise<{ token: string; session: SessionResponse }> {
    const user = await this.throttle.attempt(body.username, source, async () => {
      const found = await this.users.findByUsername(body.username);
      const ok = await verifySecret(found?.password_hash, body.password);
      return found && ok && !found.disabled ? found : undefined;
    });
    if (!user) throw new AppError('LOGIN_FAILED', 'Incorrect username or password');
    const created = await this.sessions.create(
      user.id,
      user.workspace_id,
      this.clock.now(),
      this.sessionTtlMs,
    );
    const session = await this.describe({
      tokenHash: created.tokenHash,
      userId: user.id,
      workspaceId: user.workspace_id,
      role: user.role,
      csrfToken: created.csrfToken,
      expiresAt: new Date(this.clock.now().getTime() + this.sessionTtlMs),
    });
    return { token: created.token, session };
  }

  async describe(session: AuthSession): Promise<SessionResponse> {
    const row = await this.db
      .selectFrom('users')
      .innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
      .select([
        'users.id',
        'users.username',
        'users.display_name',
        'users.role',
        'users.agent_id',
        'workspaces.name as workspace_name',
        'workspaces.slug',
      ])
      .where('users.id', '=', session.userId)
      .executeTakeFirstOrThrow();
    return {
      user: toSessionUser(row),
      workspace: { id: session.workspaceId, name: row.workspace_name, slug: row.slug },
      csrfToken: session.csrfToken,
    };
  }

  async logout(session: AuthSession): Promise<void> {
    await this.sessions.delete(session.tokenHash);
    this.bus.publish({
      type: 'sessions.revoked',
      userId: session.userId,
      tokenHash: session.tokenHash,
      reason: 'signed_out',
    });
  }
}
