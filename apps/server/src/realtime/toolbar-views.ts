import type { AgentState, Assignments, QueueSummary, SessionUser, Snapshot } from '@parley/contract';
import type { PauseReasonsService } from '../catalog/pause-reasons.service.js';
import type { Db } from '../db/database.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { toSessionUser } from '../users/users.repository.js';
import { toolbarSettings, type WorkspaceService } from '../workspace/workspace.service.js';

/**
 * What one user's toolbar may see, read fresh from the database. Authorisation at fan-out:
 * every pushed value is computed for its subscriber, never copied from someone else's view.
 */
/** What the ACD knows of one user: their agent state and the queues they serve. */
export interface AcdView {
  stateOf(userId: string): AgentState;
  queuesFor(userId: string): QueueSummary[];
  /** How many chats wait in this agent's campaigns (the Chat Panel). */
  waitingCount(userId: string, kind?: 'chat' | 'email'): number;
}

export class ToolbarViews {
  constructor(
    readonly acd: AcdView,
    private readonly db: Db,
    private readonly workspace: WorkspaceService,
    private readonly pauseReasons: PauseReasonsService,
    private readonly notifications: NotificationsService,
  ) {}

  async me(userId: string): Promise<SessionUser | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'role', 'agent_id'])
      .where('id', '=', userId)
      .executeTakeFirst();
    return row && toSessionUser(row);
  }

  async assignments(userId: string): Promise<Assignments> {
    const teams = await this.db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['teams.id', 'teams.name'])
      .where('team_members.user_id', '=', userId)
      .orderBy('teams.name')
      .execute();
    const campaigns = teams.length
      ? await this.db
          .selectFrom('campaigns')
          .innerJoin('campaign_teams', 'campaign_teams.campaign_id', 'campaigns.id')
          .select(['campaigns.id', 'campaigns.name', 'campaigns.kind'])
          .distinct()
          .where(
            'campaign_teams.team_id',
            'in',
            teams.map((t) => t.id),
          )
          .orderBy('campaigns.name')
          .execute()
      : [];
    return { teams, campaigns };
  }

  async settings(workspaceId: string) {
    return toolbarSettings(await this.workspace.get(workspaceId));
  }

  pauseReasonList(workspaceId: string) {
    return this.pauseReasons.list({ workspaceId });
  }

  async snapshot(userId: string, workspaceId: string): Promise<Snapshot | undefined> {
    const me = await this.me(userId);
    if (!me) return undefined;
    const [settings, pauseReasons, assignments, notifications] = await Promise.all([
      this.settings(workspaceId),
      this.pauseReasonList(workspaceId),
      this.assignments(userId),
      this.notifications.recent(userId),
    ]);
    return {
      me,
      settings,
      pauseReasons,
      assignments,
      notifications,
      agent: this.acd.stateOf(userId),
      queues: this.acd.queuesFor(userId),
    };
  }
}
