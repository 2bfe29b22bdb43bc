import type { Notification } from '@parley/contract';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';

/** Notifications shown in the toolbar's notifications area, kept until the agent clears them. */
export class NotificationsService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  async notify(userId: string, level: Notification['level'], text: string): Promise<void> {
    const row = await this.db
      .insertInto('notifications')
      .values({ user_id: userId, level, text, created_at: this.clock.now() })
      .returningAll()
      .executeTakeFirstOrThrow();
    this.bus.publish({ type: 'notification.created', userId, notification: toNotification(row) });
  }

  async recent(userId: string, limit = 50): Promise<Notification[]> {
    const rows = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .where('cleared', '=', false)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toNotification);
  }

  async clear(userId: string): Promise<void> {
    await this.db.updateTable('notifications').set({ cleared: true }).where('user_id', '=', userId).execute();
    this.bus.publish({ type: 'notifications.cleared', userId });
  }
}

function toNotification(row: { id: string; level: Notification['level']; text: string; created_at: Date }) {
  return { id: row.id, level: row.level, text: row.text, createdAt: row.created_at.toISOString() };
}
