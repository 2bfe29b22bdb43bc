import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../http/app-error.js';

type Owned = 'teams' | 'agent_profiles' | 'campaigns';

/** Refuses references to rows of another workspace (or none): ids must not cross tenants. */
export async function assertOwned(db: Db, table: Owned, workspaceId: string, ids: string[], field: string) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const found = await db
    .selectFrom(table)
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', unique)
    .execute();
  if (found.length !== unique.length) {
    const known = new Set(found.map((r) => r.id));
    const missing = unique.filter((id) => !known.has(id));
    throw new AppError('VALIDATION_FAILED', `Unknown ${field}`, {
      details: missing.map((id) => ({ path: `body/${field}`, message: `no such item: ${id}` })),
    });
  }
}

/** A campaign of the workspace, for what lives under it (wrap codes, transfer pools, ...): else 404. */
export async function assertCampaignOf(
  db: Db,
  scope: { workspaceId: string; campaignId: string },
): Promise<void> {
  const found = await db
    .selectFrom('campaigns')
    .select('id')
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', scope.campaignId)
    .executeTakeFirst();
  if (!found) throw notFound('Campaign');
}

/**
 * True where `userId` is in one of the teams of the campaign `campaignRef` names (a column of
 * the outer query, `c.id` or `e.campaign_id`): what an agent or manager may see of a campaign.
 */
export function inCampaignTeams(campaignRef: string, userId: string) {
  return sql<boolean>`exists (
    select 1 from campaign_teams ct join team_members tm on tm.team_id = ct.team_id
    where ct.campaign_id = ${sql.ref(campaignRef)} and tm.user_id = ${userId})`;
}

/**
 * Whether a user may see one interaction of their workspace: its own agent always; an
 * administrator always; a manager, or anyone when `teamWide`, if it is on a campaign of their
 * teams. Agents otherwise see only their own.
 */
export async function maySeeInteraction(
  db: Db,
  user: { userId: string; role: string },
  entry: { agent_id: string | null; campaign_id: string },
  teamWide = false,
): Promise<boolean> {
  if (entry.agent_id === user.userId || user.role === 'administrator') return true;
  if (user.role !== 'manager' && !teamWide) return false;
  const ours = await db
    .selectFrom('campaigns as c')
    .select('c.id')
    .where('c.id', '=', entry.campaign_id)
    .where(inCampaignTeams('c.id', user.userId))
    .executeTakeFirst();
  return ours !== undefined;
}
