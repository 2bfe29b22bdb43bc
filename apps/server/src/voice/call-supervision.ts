import type { LiveCall, MonitorMode, Role } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import { AppError } from '../http/app-error.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { Call } from './call/call.js';
import { publishOnCall } from './call/call-events.js';
import type { CallRegistry } from './call/call-registry.js';
import type { WebConnectService } from './web-connect.service.js';

/** Who looks: a manager sees their teams' agents' calls, an administrator every call. */
export interface Viewer {
  userId: string;
  workspaceId: string;
  role: Role;
}

const supervisorParty = (userId: string) => `supervisor-${userId}`;

/** "2:05": minutes and seconds. */
function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Supervision of live calls (Q1) and Agent Assist (I8): the calls a manager may see, a manager
 * joining one from their own voice path to listen, whisper to the agent or barge in, and an
 * agent asking for help, which tells the managers of their teams at once.
 */
export class CallSupervision {
  /** When the agent asked for help, by their interaction; until a manager joins or the call ends. */
  private readonly assists = new Map<string, Date>();

  constructor(
    private readonly deps: {
      db: Db;
      acd: AcdService;
      calls: CallRegistry;
      webConnect: WebConnectService;
      notifications: NotificationsService;
      bus: EventBus;
      clock: Clock;
      log: FastifyBaseLogger;
    },
  ) {}

  async list(viewer: Viewer): Promise<LiveCall[]> {
    const calls = this.deps.calls
      .all()
      .filter((c) => c.workspaceId === viewer.workspaceId && c.inConversation);
    const owned = calls.flatMap((call) => {
      const owner = call.owner;
      return owner?.userId && owner.entryId ? [{ call, userId: owner.userId, entryId: owner.entryId }] : [];
    });
    if (owned.length === 0) return [];
    const visible = await this.visibleAgents(
      viewer,
      owned.map((o) => o.userId),
    );
    const rows = await this.deps.db
      .selectFrom('queue_entries as e')
      .innerJoin('campaigns as c', 'c.id', 'e.campaign_id')
      .innerJoin('users as u', 'u.id', 'e.agent_id')
      .select([
        'e.id',
        'e.campaign_id',
        'c.name as campaign',
        'e.customer_phone',
        'e.label',
        'u.display_name',
      ])
      .where(
        'e.id',
        'in',
        owned.map((o) => o.entryId),
      )
      .execute();
    const names = await this.names(calls);
    const out: LiveCall[] = [];
    for (const { call, userId, entryId } of owned) {
      const row = rows.find((r) => r.id === entryId);
      if (!row || !visible.has(userId)) continue;
      out.push(this.liveCall(call, userId, entryId, row, names));
    }
    // Those asking for help first, then the longest calls.
    return out.sort(
      (a, b) =>
        Number(Boolean(b.assistRequestedAt)) - Number(Boolean(a.assistRequestedAt)) ||
        a.since.localeCompare(b.since),
    );
  }

  /** The manager joins the call (or changes how they are on it) from their own voice path. */
  async monitor(viewer: Viewer, entryId: string, mode: MonitorMode): Promise<LiveCall> {
    const call = await this.visibleCall(viewer, entryId);
    const media = this.deps.webConnect.mediaOf(viewer.userId);
    if (!media)
      throw new AppError(
        'VOICE_NOT_CONNECTED',
        'Connect your voice (Web Connect, Call me or Call in to connect) to listen to calls',
      );
    // One call at a time: a manager on another call leaves it first.
    for (const other of this.deps.calls.all())
      if (other !== call && other.supervisor(viewer.userId))
        await other.leave(supervisorParty(viewer.userId), 'the manager moved to another call');
    await call.supervise(
      { id: supervisorParty(viewer.userId), role: 'supervisor', label: '', media, userId: viewer.userId },
      mode,
    );
    const owner = call.owner;
    if (owner?.userId && this.assists.delete(entryId))
      await this.deps.acd.annotate(owner.userId, entryId, { assistRequested: false });
    publishOnCall(this.deps.bus, call, { type: 'call.supervised', userId: viewer.userId, mode }, entryId);
    return this.one(viewer, entryId);
  }

  async stop(viewer: Viewer, entryId: string): Promise<LiveCall> {
    const call = await this.visibleCall(viewer, entryId);
    if (call.supervisor(viewer.userId)) {
      await call.leave(supervisorParty(viewer.userId), 'the manager left');
      publishOnCall(this.deps.bus, call, { type: 'call.supervisionEnded', userId: viewer.userId }, entryId);
    }
    return this.one(viewer, entryId);
  }

  /** The manager's voice path went: they leave any call they were on. */
  async supervisorGone(userId: string): Promise<void> {
    for (const call of this.deps.calls.all())
      if (call.supervisor(userId)) await call.leave(supervisorParty(userId), 'the manager’s voice was lost');
  }

  /**
   * The agent asks for help on their call (Agent Assist, where the workspace enables it): the
   * managers of the agent's teams are told at once, with the agent, campaign, customer and how
   * long the call has lasted.
   */
  async assist(userId: string, entryId: string): Promise<void> {
    const { db, acd, calls, notifications, bus, clock } = this.deps;
    const call = calls.owned(
      userId,
      entryId,
      ['connected', 'held', 'consulting', 'conference'],
      'Agent Assist',
    );
    const settings = await db
      .selectFrom('workspaces')
      .select('agent_assist_enabled')
      .where('id', '=', call.workspaceId)
      .executeTakeFirst();
    if (!settings?.agent_assist_enabled)
      throw new AppError('AGENT_ASSIST_OFF', 'Agent Assist is turned off in this workspace');
    if (this.assists.has(entryId)) return;
    const now = clock.now();
    this.assists.set(entryId, now);
    await acd.annotate(userId, entryId, { assistRequested: true });
    const row = await db
      .selectFrom('queue_entries as e')
      .innerJoin('campaigns as c', 'c.id', 'e.campaign_id')
      .innerJoin('users as u', 'u.id', 'e.agent_id')
      .select(['c.name as campaign', 'e.customer_phone', 'e.label', 'u.display_name'])
      .where('e.id', '=', entryId)
      .executeTakeFirstOrThrow();
    const since = acd.stateOf(userId).interactions.find((i) => i.id === entryId)?.since;
    const length = since ? elapsed(now.getTime() - Date.parse(since)) : '';
    const text = `${row.display_name} asks for help on a call: ${row.campaign}, ${row.customer_phone ?? row.label}${length && `, ${length} in`}`;
    const managers = await db
      .selectFrom('team_members as mine')
      .innerJoin('team_members as theirs', 'theirs.team_id', 'mine.team_id')
      .innerJoin('users as m', 'm.id', 'theirs.user_id')
      .select('m.id')
      .distinct()
      .where('mine.user_id', '=', userId)
      .where('m.role', '=', 'manager')
      .where('m.disabled', '=', false)
      .execute();
    for (const m of managers) await notifications.notify(m.id, 'warning', text);
    publishOnCall(bus, call, { type: 'call.assistRequested', userId }, entryId);
  }

  /** The call ended: its help request goes with it. */
  callEnded(call: Call): void {
    for (const a of call.agentParties()) this.assists.delete(a.entryId);
  }

  private async one(viewer: Viewer, entryId: string): Promise<LiveCall> {
    const found = (await this.list(viewer)).find((c) => c.id === entryId);
    if (!found) throw new AppError('NOT_FOUND', 'That call has ended');
    return found;
  }

  /** The call under the agent's interaction, if the viewer may supervise it (else not found). */
  private async visibleCall(viewer: Viewer, entryId: string): Promise<Call> {
    const call = this.deps.calls.get(entryId);
    const owner = call?.owner;
    const visible =
      call?.inConversation &&
      call.workspaceId === viewer.workspaceId &&
      owner?.entryId === entryId &&
      owner.userId !== undefined &&
      (await this.visibleAgents(viewer, [owner.userId])).has(owner.userId);
    if (!call || !visible) throw new AppError('NOT_FOUND', 'That call is not in progress');
    return call;
  }

  /** Of `agents`, those whose calls the viewer sees: all for an administrator, teammates for a manager. */
  private async visibleAgents(viewer: Viewer, agents: string[]): Promise<Set<string>> {
    if (viewer.role === 'administrator') return new Set(agents);
    const rows = await this.deps.db
      .selectFrom('team_members as theirs')
      .select('theirs.user_id')
      .where('theirs.user_id', 'in', agents)
      .where(
        sql<boolean>`exists (select 1 from team_members mine where mine.team_id = theirs.team_id and mine.user_id = ${viewer.userId})`,
      )
      .execute();
    return new Set(rows.map((r) => r.user_id));
  }

  /** Supervisors' names on these calls. */
  private async names(calls: Call[]): Promise<Map<string, string>> {
    const ids = calls.flatMap((c) => c.supervisors().map((s) => s.userId));
    if (ids.length === 0) return new Map();
    const rows = await this.deps.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  private liveCall(
    call: Call,
    userId: string,
    entryId: string,
    row: {
      campaign_id: string;
      campaign: string;
      customer_phone: string | null;
      label: string;
      display_name: string;
    },
    names: Map<string, string>,
  ): LiveCall {
    const since =
      this.deps.acd.stateOf(userId).interactions.find((i) => i.id === entryId)?.since ??
      this.deps.clock.now().toISOString();
    const asked = this.assists.get(entryId);
    const supervisor = call.supervisors()[0];
    return {
      id: entryId,
      agentId: userId,
      agentName: row.display_name,
      campaignId: row.campaign_id,
      campaignName: row.campaign,
      customerPhone: row.customer_phone ?? row.label,
      since,
      state: call.state as LiveCall['state'],
      ...(asked && { assistRequestedAt: asked.toISOString() }),
      ...(supervisor && {
        monitoredBy: {
          userId: supervisor.userId,
          name: names.get(supervisor.userId) ?? '',
          mode: supervisor.mode,
        },
      }),
    };
  }
}
