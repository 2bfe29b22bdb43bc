import { type AgentState, type StatusChoice, timeStateName } from '@parley/contract';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { AgentStateRow } from '../db/schema.js';

export interface RoutingProfile {
  userId: string;
  workspaceId: string;
  /** The user's display name, as other agents see it (transfer targets). */
  name: string;
  campaignIds: Set<string>;
  maxChats: number;
}

export class AgentsRepository {
  constructor(private readonly db: Db) {}

  loadAll(): Promise<AgentStateRow[]> {
    return this.db.selectFrom('agent_states').selectAll().execute();
  }

  load(userId: string): Promise<AgentStateRow | undefined> {
    return this.db.selectFrom('agent_states').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /**
   * Saves the state and, when the state the agent's time counts in changed (a status, or a
   * working state: on call, wrapping, ...), closes the last history row and opens one.
   */
  async save(
    userId: string,
    workspaceId: string,
    state: AgentState,
    idleSince: Date,
    timeStateChanged: boolean,
  ): Promise<void> {
    const s = state.status;
    const values = {
      workspace_id: workspaceId,
      status_kind: s.kind,
      pause_reason_id: s.kind === 'paused' ? s.reasonId : null,
      pause_name: s.kind === 'paused' ? s.reasonName : null,
      detail: s.kind === 'paused' ? (s.detail ?? null) : null,
      since: new Date(state.since),
      voice: state.voice,
      next_status: state.nextStatus ? JSON.stringify(state.nextStatus) : null,
      idle_since: idleSince,
    };
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('agent_states')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
      if (!timeStateChanged) return;
      const at = new Date(state.since);
      await tx
        .updateTable('agent_state_history')
        .set({ ended_at: at })
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .execute();
      if (s.kind !== 'signed_out') {
        await tx
          .insertInto('agent_state_history')
          .values({
            user_id: userId,
            workspace_id: workspaceId,
            status_kind: s.kind,
            label: timeStateName(state),
            started_at: at,
          })
          .execute();
      }
    });
  }

  /** Campaigns each user serves through their teams, and their chat capacity. */
  async routingProfiles(workspaceId: string): Promise<RoutingProfile[]> {
    const users = await this.db
      .selectFrom('users')
      .leftJoin('agent_profiles', 'agent_profiles.id', 'users.agent_profile_id')
      .select(['users.id', 'users.display_name', 'agent_profiles.max_concurrent_chats'])
      .where('users.workspace_id', '=', workspaceId)
      .execute();
    const links = await this.db
      .selectFrom('team_members')
      .innerJoin('campaign_teams', 'campaign_teams.team_id', 'team_members.team_id')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_teams.campaign_id')
      .select(['team_members.user_id', 'campaign_teams.campaign_id'])
      .where('campaigns.workspace_id', '=', workspaceId)
      .execute();
    return users.map((u) => ({
      userId: u.id,
      workspaceId,
      name: u.display_name,
      campaignIds: new Set(links.filter((l) => l.user_id === u.id).map((l) => l.campaign_id)),
      maxChats: u.max_concurrent_chats ?? 5,
    }));
  }

  /** The workspace's IVR workflows a call may be transferred to, by name. */
  async transferWorkflows(workspaceId: string): Promise<{ id: string; name: string }[]> {
    const rows = await this.db
      .selectFrom('workflows')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    return rows.sort((a, b) => a.name.localeCompare(b.name));
  }

  pauseReasonName(workspaceId: string, reasonId: string): Promise<string | undefined> {
    return this.db
      .selectFrom('pause_reasons')
      .select('name')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', reasonId)
      .executeTakeFirst()
      .then((r) => r?.name);
  }

  /** Seconds per status label per user, over [from, to). */
  async timeInStates(workspaceId: string, from: Date, to: Date, now: Date) {
    const end = sql<Date>`least(coalesce(h.ended_at, ${now}), ${to})`;
    const start = sql<Date>`greatest(h.started_at, ${from})`;
    return this.db
      .selectFrom('agent_state_history as h')
      .innerJoin('users as u', 'u.id', 'h.user_id')
      .select([
        'h.user_id',
        'u.username',
        'h.label',
        sql<number>`sum(extract(epoch from (${end} - ${start})))::float8`.as('seconds'),
      ])
      .where('h.workspace_id', '=', workspaceId)
      .where('h.started_at', '<', to)
      .where((eb) => eb.or([eb('h.ended_at', 'is', null), eb('h.ended_at', '>', from)]))
      .groupBy(['h.user_id', 'u.username', 'h.label'])
      .orderBy('u.username')
      .execute();
  }
}

export function parseNextStatus(raw: unknown): StatusChoice | null {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  if (!value || typeof value !== 'object') return null;
  const v = value as { kind?: unknown; reasonId?: unknown };
  if (v.kind === 'available') return { kind: 'available' };
  if (v.kind === 'paused' && typeof v.reasonId === 'string') return { kind: 'paused', reasonId: v.reasonId };
  return null;
}
