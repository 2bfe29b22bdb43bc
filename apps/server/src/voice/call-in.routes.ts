import { randomInt } from 'node:crypto';
import { CallInDetails, ErrorBody } from '@parley/contract';
import type { FastifyInstance } from 'fastify';
import { hashSecret } from '../auth/password.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { currentSession } from '../http/access.js';
import { AppError } from '../http/app-error.js';

/** How long a verification PIN shown in the toolbar stays good (it also ends at first use). */
const PIN_TTL_MS = 30 * 60_000;

/** "Call in to connect" details for the toolbar's connect dialog (B1): agent ID, numbers, a fresh PIN. */
export function registerCallInRoutes(app: FastifyInstance, db: Db, clock: Clock): void {
  app.post(
    '/api/voice/call-in',
    { schema: { tags: ['agent'], response: { 200: CallInDetails, 401: ErrorBody, 409: ErrorBody } } },
    async (req) => {
      const s = currentSession(req);
      const user = await db
        .selectFrom('users')
        .select('agent_id')
        .where('id', '=', s.userId)
        .executeTakeFirst();
      if (user?.agent_id == null)
        throw new AppError('CONFLICT', 'You have no agent ID; ask your administrator for one');
      const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(clock.now().getTime() + PIN_TTL_MS);
      const pinHash = await hashSecret(pin);
      await db
        .insertInto('call_in_pins')
        .values({ user_id: s.userId, pin_hash: pinHash, expires_at: expiresAt })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ pin_hash: pinHash, expires_at: expiresAt }))
        .execute();
      const numbers = await db
        .selectFrom('inbound_numbers')
        .select(['number', 'name'])
        .where('workspace_id', '=', s.workspaceId)
        .where('purpose', '=', 'agent_dial_in')
        .orderBy('name')
        .execute();
      return { agentId: user.agent_id, numbers, pin, expiresAt: expiresAt.toISOString() };
    },
  );
}
