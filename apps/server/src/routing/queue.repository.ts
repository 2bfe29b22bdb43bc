import type { ContactKind } from '@parley/contract';
import { type Kysely, sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, QueueEntryRow } from '../db/schema.js';
import type { EndedBy } from '../events.js';

export type ActiveState = 'offered' | 'busy' | 'wrapping';

/** What a voice call adds to its queue entry (the information panel's fields). */
export interface CallDetails {
  customerPhone: string;
  /** Null: no caller ID (a Manual Call through a trunk without one). */
  platformPhone: string | null;
  /** The number's name ("IVR Text"); none for a call an agent placed. */
  channelName?: string;
  /** The IVR workflow's parameter for this call ("IVR Data"). */
  ivrData?: string;
}

export interface Capacity {
  maxChats: number;
  maxEmails: number;
}

export interface NewEntry {
  workspaceId: string;
  campaignId: string;
  kind: ContactKind;
  label: string;
  priority: number;
  at: Date;
  call?: CallDetails;
  /** A call an agent placed (Manual Call), an Agent Call offered to a colleague, a dialler's call. */
  callType?: 'manual' | 'agent' | 'preview' | 'predictive';
  /** A call to a lead: the lead and the number called. */
  lead?: { leadId: string; leadNumberId: string | null };
  /** A chat: the conversation (its transcript outlives the entry). */
  chatId?: string;
  /** An email: its thread, and the inbound message it answers (none for a new email). */
  email?: { threadId: string; messageId: string | null };
}

/** A call transferred to an agent by name. */
export interface TransferDetails {
  /** The transferring agent's name, as the receiving toolbar shows it. */
  by: string;
  fromEntryId?: string;
  notes?: string;
}

/** Rolls back a transfer's entry that its agent may not take. */
class NotReserved extends Error {}

/** Queue entries: every contact from arrival to wrap, in the database that settles races. */
export class QueueRepository {
  constructor(private readonly db: Db) {}

  insert(values: NewEntry): Promise<QueueEntryRow> {
    return this.insertIn(this.db, values);
  }

  get(id: string): Promise<QueueEntryRow | undefined> {
    return this.db.selectFrom('queue_entries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Everything still waiting or offered, in queue order; used to rebuild after a restart. */
  unfinished(): Promise<QueueEntryRow[]> {
    return this.db
      .selectFrom('queue_entries')
      .selectAll()
      .where('state', 'in', ['waiting', 'offered', 'busy', 'wrapping'])
      .orderBy('priority', 'desc')
      .orderBy('enqueued_at')
      .orderBy('seq')
      .execute();
  }

  /**
   * Offers a waiting contact to an agent, once: the agent's row is locked, their status and
   * capacity are checked against what the database holds, and the contact moves only if it is
   * still waiting. Two routers racing for one contact or one agent: exactly one wins.
   */
  async reserve(
    entryId: string,
    agentId: string,
    capacity: Capacity,
    at: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    return this.db
      .transaction()
      .execute((tx) => this.reserveIn(tx, entryId, agentId, capacity, at, expiresAt));
  }

  /**
   * A transfer to one agent by name: the entry is made and reserved for that agent in one
   * transaction, with the same checks as a routed offer (the agent's stored status, voice and
   * load). It never waits in a queue: if the agent may not take it, nothing is stored.
   */
  async insertReserved(
    values: NewEntry & { transfer: TransferDetails },
    agentId: string,
    capacity: Capacity,
    expiresAt: Date,
  ): Promise<QueueEntryRow | undefined> {
    try {
      return await this.db.transaction().execute(async (tx) => {
        const row = await this.insertIn(tx, values);
        if (!(await this.reserveIn(tx, row.id, agentId, capacity, values.at, expiresAt)))
          throw new NotReserved();
        return tx.selectFrom('queue_entries').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      });
    } catch (err) {
      if (err instanceof NotReserved) return undefined;
      throw err;
    }
  }

  /**
   * An entry that is the agent's and in conversation from the start, never queued: a call they
   * place (only while their stored status is a pause) or a preview lead presented to them (only
   * while it is Available with voice). Either way they must hold no other live call; the row lock
   * serialises it with offers. Else nothing is stored and this returns undefined.
   */
  async insertOwned(
    values: NewEntry & { callType: 'manual' | 'agent' | 'preview'; leadId?: string },
    agentId: string,
    status: 'paused' | 'available',
  ): Promise<QueueEntryRow | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const agent = await tx
        .selectFrom('agent_states')
        .select(['status_kind', 'voice'])
        .where('user_id', '=', agentId)
        .forUpdate()
        .executeTakeFirst();
      if (agent?.status_kind !== status) return undefined;
      if (status === 'available' && agent.voice !== 'connected') return undefined;
      const live = await tx
        .selectFrom('queue_entries')
        .select('id')
        .where('agent_id', '=', agentId)
        .where((eb) =>
          status === 'available'
            ? eb('state', 'in', ['offered', 'busy', 'wrapping'])
            : eb.and([eb('kind', '=', 'voice'), eb('state', 'in', ['offered', 'busy'])]),
        )
        .executeTakeFirst();
      if (live) return undefined;
      const row = await this.insertIn(tx, values);
      return tx
        .updateTable('queue_entries')
        .set({ state: 'busy', agent_id: agentId, accepted_at: values.at, lead_id: values.leadId ?? null })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /**
   * A new email the agent writes (Send Email): theirs and in conversation from the start, from any
   * status but signed out, within their email limit and with no call. Undefined when it does not
   * fit (the agent's row lock settles it against offers).
   */
  async insertOwnedEmail(
    values: NewEntry,
    agentId: string,
    capacity: Capacity,
  ): Promise<QueueEntryRow | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const agent = await this.lockAgent(tx, agentId);
      if (!agent || agent.status_kind === 'signed_out') return undefined;
      const load = await this.loadOf(tx, agentId);
      if (load.voice > 0 || load.email >= capacity.maxEmails) return undefined;
      const row = await this.insertIn(tx, { ...values, kind: 'email' });
      return tx
        .updateTable('queue_entries')
        .set({ state: 'busy', agent_id: agentId, accepted_at: values.at })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /** Moves an entry of this agent from one state to the next; false if it was not there. */
  async advance(
    entryId: string,
    agentId: string,
    from: ActiveState,
    to: ActiveState | 'done',
    at: Date,
    extra: { wrapCodeId?: string; endedBy?: EndedBy } = {},
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('queue_entries')
      .set({
        state: to,
        state_since: at,
        offer_expires_at: null,
        ...(extra.wrapCodeId !== undefined && { wrap_code_id: extra.wrapCodeId }),
        ...(extra.endedBy !== undefined && { ended_by: extra.endedBy }),
        ...(to === 'busy' && { accepted_at: at }),
        ...(to === 'wrapping' && { ended_at: at }),
      })
      .where('id', '=', entryId)
      .where('agent_id', '=', agentId)
      .where('state', '=', from)
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  /**
   * An offer taken back: the contact waits again, with its original place (enqueued_at, seq). A
   * transfer offered to one agent by name never waits for another.
   */
  async requeue(entryIds: string[], at: Date): Promise<QueueEntryRow[]> {
    if (entryIds.length === 0) return [];
    return this.db
      .updateTable('queue_entries')
      .set({ state: 'waiting', agent_id: null, state_since: at, offer_expires_at: null })
      .where('id', 'in', entryIds)
      .where('state', '=', 'offered')
      .where('transferred_by', 'is', null)
      .returningAll()
      .execute();
  }

  /** A transfer its agent's toolbar refused after the reservation: as if never made. */
  async discardTransfer(entryId: string): Promise<void> {
    await this.db
      .deleteFrom('queue_entries')
      .where('id', '=', entryId)
      .where('state', '=', 'offered')
      .where('transferred_by', 'is not', null)
      .execute();
  }

  /** A placed call or presented lead the agent's own state refused after all (it changed meanwhile). */
  async discardPlaced(entryId: string): Promise<void> {
    await this.db
      .deleteFrom('queue_entries')
      .where('id', '=', entryId)
      .where('call_type', 'is not', null)
      .where('state', '=', 'busy')
      .execute();
  }

  /** The contact went away before an agent took it (caller hung up in the queue or while ringing). */
  async abandon(entryId: string, at: Date, by: EndedBy): Promise<QueueEntryRow | undefined> {
    return this.db
      .updateTable('queue_entries')
      .set({ state: 'abandoned', state_since: at, offer_expires_at: null, ended_by: by })
      .where('id', '=', entryId)
      .where('state', 'in', ['waiting', 'offered'])
      .returningAll()
      .executeTakeFirst();
  }

  private insertIn(
    db: Kysely<Database>,
    values: NewEntry & { transfer?: TransferDetails },
  ): Promise<QueueEntryRow> {
    return db
      .insertInto('queue_entries')
      .values({
        workspace_id: values.workspaceId,
        campaign_id: values.campaignId,
        kind: values.kind,
        label: values.label,
        priority: values.priority,
        enqueued_at: values.at,
        state: 'waiting',
        state_since: values.at,
        customer_phone: values.call?.customerPhone ?? null,
        platform_phone: values.call?.platformPhone ?? null,
        channel_name: values.call?.channelName ?? null,
        ivr_data: values.call?.ivrData ?? null,
        call_type: values.callType ?? null,
        ...(values.lead && { lead_id: values.lead.leadId, lead_number_id: values.lead.leadNumberId }),
        ...(values.chatId && { chat_id: values.chatId }),
        ...(values.email && {
          email_thread_id: values.email.threadId,
          email_message_id: values.email.messageId,
        }),
        ...(values.transfer && {
          transferred_by: values.transfer.by,
          transferred_from_id: values.transfer.fromEntryId ?? null,
          transfer_notes: values.transfer.notes ?? '',
        }),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * The Chat Panel, the Email Queue icon: an agent takes a waiting chat or email themselves,
   * Available or paused (the guide lets a paused agent answer chats and emails), within their
   * limit and with no call; in conversation at once. The same row lock as an offer, so a take and
   * an offer cannot overfill the agent.
   */
  async take(entryId: string, agentId: string, capacity: Capacity, at: Date): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const agent = await this.lockAgent(tx, agentId);
      if (!agent || agent.status_kind === 'signed_out') return false;
      if (!(await this.fits(tx, entryId, agentId, agent.voice, capacity))) return false;
      const res = await tx
        .updateTable('queue_entries')
        .set({ state: 'busy', agent_id: agentId, state_since: at, accepted_at: at, offer_expires_at: null })
        .where('id', '=', entryId)
        .where('state', '=', 'waiting')
        .where('kind', 'in', ['chat', 'email'])
        .executeTakeFirst();
      return res.numUpdatedRows === 1n;
    });
  }

  /**
   * An agent's chat goes back to the queue (they signed out or lost their toolbar): their entry
   * ends, by the system and without a wrap, and a new one for the same chat waits at the head of
   * its campaign's queue (`priority`), in one transaction. Undefined if the entry was not theirs
   * and in conversation.
   */
  async handBack(
    entryId: string,
    agentId: string,
    at: Date,
    priority: number,
  ): Promise<QueueEntryRow | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const old = await tx
        .updateTable('queue_entries')
        .set({ state: 'done', state_since: at, ended_at: at, ended_by: 'system' })
        .where('id', '=', entryId)
        .where('agent_id', '=', agentId)
        .where('state', '=', 'busy')
        .where('kind', '=', 'chat')
        .returningAll()
        .executeTakeFirst();
      if (!old?.chat_id) return undefined;
      return this.insertIn(tx, {
        workspaceId: old.workspace_id,
        campaignId: old.campaign_id,
        kind: 'chat',
        label: old.label,
        priority,
        at,
        chatId: old.chat_id,
      });
    });
  }

  /** reserve(), inside the caller's transaction. */
  private async reserveIn(
    tx: Kysely<Database>,
    entryId: string,
    agentId: string,
    capacity: Capacity,
    at: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    const agent = await this.lockAgent(tx, agentId);
    if (agent?.status_kind !== 'available') return false;
    if (!(await this.fits(tx, entryId, agentId, agent.voice, capacity))) return false;
    const res = await tx
      .updateTable('queue_entries')
      .set({ state: 'offered', agent_id: agentId, state_since: at, offer_expires_at: expiresAt })
      .where('id', '=', entryId)
      .where('state', '=', 'waiting')
      .executeTakeFirst();
    return res.numUpdatedRows === 1n;
  }

  /** The agent's stored state, locked: offers, takes and placed calls for one agent queue here. */
  private lockAgent(tx: Kysely<Database>, agentId: string) {
    return tx
      .selectFrom('agent_states')
      .select(['status_kind', 'voice'])
      .where('user_id', '=', agentId)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Whether the entry fits the agent's stored load (the blending rules, as the router's). */
  private async fits(
    tx: Kysely<Database>,
    entryId: string,
    agentId: string,
    voice: string,
    capacity: Capacity,
  ): Promise<boolean> {
    const entry = await tx
      .selectFrom('queue_entries')
      .select('kind')
      .where('id', '=', entryId)
      .executeTakeFirst();
    if (!entry) return false;
    const load = await this.loadOf(tx, agentId);
    return entry.kind === 'voice'
      ? voice === 'connected' && load.voice + load.chat + load.email === 0
      : load.voice === 0 &&
          (entry.kind === 'chat' ? load.chat < capacity.maxChats : load.email < capacity.maxEmails);
  }

  /** What the agent holds now (offered, in conversation or wrapping), by kind. */
  private async loadOf(tx: Kysely<Database>, agentId: string): Promise<Record<ContactKind, number>> {
    const held = await tx
      .selectFrom('queue_entries')
      .select(['kind', sql<number>`count(*)::int`.as('n')])
      .where('agent_id', '=', agentId)
      .where('state', 'in', ['offered', 'busy', 'wrapping'])
      .groupBy('kind')
      .execute();
    const load = { voice: 0, chat: 0, email: 0 };
    for (const h of held) load[h.kind] = Number(h.n);
    return load;
  }
}
