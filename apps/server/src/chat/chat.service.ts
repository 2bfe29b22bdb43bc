import type {
  AgentChatView,
  AgentState,
  CannedResponse,
  ChatChannelInfo,
  ChatMessage,
  ChatState,
} from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { AcdService } from '../agents/acd.service.js';
import { UNAVAILABLE } from '../agents/agent-state.machine.js';
import type { AuthSession } from '../auth/sessions.repository.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { ChatEvent, DomainEvent, EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import { isOpen } from '../workspace/business-hours.js';
import { maySeeInteraction } from '../workspace/ownership.js';
import type { ChatTokens } from './chat-token.js';
import { checkSurvey } from './survey.js';

/** How long a chat whose customer has no socket open waits for them before they count as gone. */
export const CUSTOMER_GRACE_MS = 5 * 60 * 1000;

export interface ChatServiceDeps {
  db: Db;
  acd: AcdService;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  tokens: ChatTokens;
  customerGraceMs?: number;
}

/** A channel as the widget's socket holds it after `hello`. */
export interface OpenChannel {
  id: string;
  workspaceId: string;
  campaignId: string;
  info: ChatChannelInfo;
}

/** The chat a widget socket is on, after `start` or a resume. */
export interface CustomerChat {
  chatId: string;
  token: string;
  state: ChatState;
  agentName: string | null;
}

type NewMessage = {
  sender: ChatMessage['from'];
  body: string;
  clientId?: string;
  agentId?: string;
  agentName?: string;
  attachmentId?: string;
};

type MessageRow = {
  seq: number;
  sender: ChatMessage['from'];
  agent_name: string | null;
  body: string;
  client_id: string | null;
  created_at: Date;
  attachment_id: string | null;
  att_name: string | null;
  att_type: string | null;
  att_size: number | null;
};

const toMessage = (r: MessageRow): ChatMessage => ({
  seq: r.seq,
  from: r.sender,
  name: r.agent_name,
  text: r.body,
  at: r.created_at.toISOString(),
  clientId: r.client_id,
  attachment:
    r.attachment_id && r.att_name && r.att_type
      ? { id: r.attachment_id, name: r.att_name, contentType: r.att_type, size: r.att_size ?? 0 }
      : null,
});

/** A message its sender had already sent: the stored one, to give back. */
class Repeat extends Error {
  constructor(readonly stored: ChatMessage) {
    super('repeat');
  }
}

/**
 * Web chat (N1-N4) on the ACD and the bus: a chat starts from the widget's survey and queues on
 * its campaign like any contact; its messages are numbered per chat in the database (the side
 * that resends after a drop stores nothing twice); each side hears the other through chat events.
 * The ACD's steps drive the chat's state: accepted (active), ended by the agent, abandoned; an
 * agent who signs out or loses their toolbar hands their chats back to the queue's head.
 */
export class ChatService {
  private readonly graceMs: number;
  /** Open widget sockets per chat, and the timer that ends a chat whose customer stayed away. */
  private readonly sockets = new Map<string, number>();
  private readonly away = new Map<string, () => void>();
  /** Each agent as their last state showed them: their chats go back as they go. */
  private readonly presence = new Map<string, 'here' | 'signed out' | 'toolbar lost'>();
  private readonly unsubscribe: () => void;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ChatServiceDeps) {
    this.graceMs = deps.customerGraceMs ?? CUSTOMER_GRACE_MS;
    this.unsubscribe = deps.bus.subscribe((event) => {
      this.chain = this.chain
        .then(() => this.follow(event))
        .catch((err) => deps.log.error({ err, event: event.type }, 'chat did not follow the interaction'));
    });
  }

  close(): void {
    this.unsubscribe();
    for (const cancel of this.away.values()) cancel();
    this.away.clear();
  }

  /**
   * After a start: every chat still open waits `customerGraceMs` for its customer to come back
   * (their sockets ended with the last process), then ends as if they had left.
   */
  async awaitCustomers(): Promise<void> {
    const open = await this.deps.db.selectFrom('chats').select('id').where('state', '<>', 'ended').execute();
    for (const { id } of open) if (!this.sockets.has(id) && !this.away.has(id)) this.customerDisconnected(id);
  }

  /* The customer's side */

  /** The channel a widget opens, if the page's origin may embed it. */
  async channel(channelId: string, origin: string | undefined): Promise<OpenChannel> {
    const row = await this.deps.db
      .selectFrom('chat_channels')
      .selectAll()
      .where('id', '=', channelId)
      .executeTakeFirst();
    if (!row) throw notFound('Chat channel');
    if (!origin || !row.allowed_origins.includes(origin))
      throw new AppError('CHAT_ORIGIN_REFUSED', 'This website may not open this chat');
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      campaignId: row.campaign_id,
      info: {
        name: row.name,
        survey: row.survey,
        open: !row.hours || isOpen(row.hours, this.deps.clock.now()),
        offlineMessage: row.offline_message,
      },
    };
  }

  /** The survey answered: a chat on the channel's campaign, queued. */
  async start(channel: OpenChannel, origin: string, given: Record<string, string>): Promise<CustomerChat> {
    if (!channel.info.open)
      throw new AppError('CHAT_CHANNEL_CLOSED', channel.info.offlineMessage || 'Chat is closed now');
    const { answers, contactName } = checkSurvey(channel.info.survey, given);
    const now = this.deps.clock.now();
    const chat = await this.deps.db
      .insertInto('chats')
      .values({
        workspace_id: channel.workspaceId,
        channel_id: channel.id,
        campaign_id: channel.campaignId,
        contact_name: contactName,
        survey: JSON.stringify(answers),
        origin,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.deps.acd.enqueue(
      channel.workspaceId,
      { campaignId: channel.campaignId, label: contactName },
      undefined,
      { chatId: chat.id },
    );
    return { chatId: chat.id, token: this.deps.tokens.issue(chat.id, now), state: 'queued', agentName: null };
  }

  /** A widget back after a reload or a drop: its chat, with a fresh token. */
  async resume(channel: OpenChannel, token: string): Promise<CustomerChat> {
    const chatId = this.deps.tokens.verify(token, this.deps.clock.now());
    const chat = await this.deps.db
      .selectFrom('chats')
      .select(['id', 'state', 'channel_id'])
      .where('id', '=', chatId)
      .executeTakeFirst();
    if (!chat || chat.channel_id !== channel.id)
      throw new AppError('CHAT_TOKEN_INVALID', 'This chat link is not valid any more');
    const current = await this.currentEntry(chatId);
    return {
      chatId,
      token: this.deps.tokens.issue(chatId, this.deps.clock.now()),
      state: chat.state,
      agentName: chat.state === 'active' ? (current?.agent_name ?? null) : null,
    };
  }

  /** The chat's messages after `seq`, in order. */
  async messagesAfter(chatId: string, seq: number): Promise<ChatMessage[]> {
    return (await this.messageRows(this.deps.db, chatId).where('m.seq', '>', seq).execute()).map(toMessage);
  }

  async customerSends(
    chatId: string,
    clientId: string,
    text: string,
    attachmentId?: string,
  ): Promise<ChatMessage> {
    return this.post(chatId, {
      sender: 'customer',
      body: text,
      clientId,
      ...(attachmentId && { attachmentId }),
    });
  }

  async customerTyping(chatId: string, typing: boolean): Promise<void> {
    const entry = await this.currentEntry(chatId);
    if (!entry) return;
    this.deps.bus.publish({
      type: 'chat.typing',
      from: 'customer',
      typing,
      name: null,
      ...(await this.route(chatId, entry)),
    });
  }

  async customerRead(chatId: string, seq: number): Promise<void> {
    const row = await this.deps.db
      .updateTable('chats')
      .set({ customer_read_seq: sql`least(last_seq, greatest(customer_read_seq, ${seq}))` })
      .where('id', '=', chatId)
      .returning(['customer_read_seq'])
      .executeTakeFirst();
    if (!row) return;
    const entry = await this.currentEntry(chatId);
    this.deps.bus.publish({
      type: 'chat.read',
      by: 'customer',
      seq: row.customer_read_seq,
      ...(await this.route(chatId, entry)),
    });
  }

  /** The customer ends the chat: waiting, it is abandoned; with an agent, they go to wrap-up. */
  async customerEnds(chatId: string): Promise<void> {
    const chat = await this.chatRow(chatId);
    if (!chat || chat.state === 'ended') return;
    await this.post(chatId, { sender: 'system', body: `${chat.contact_name} left the chat` });
    await this.finish(chatId, 'customer');
    const entry = await this.currentEntry(chatId);
    if (entry) await this.deps.acd.customerLeft(entry.id, 'customer');
  }

  /** A widget socket on the chat opened: the customer is back in time. */
  customerConnected(chatId: string): void {
    this.sockets.set(chatId, (this.sockets.get(chatId) ?? 0) + 1);
    this.away.get(chatId)?.();
    this.away.delete(chatId);
  }

  /** A widget socket closed: with none left, the customer has `customerGraceMs` to come back. */
  customerDisconnected(chatId: string): void {
    const left = (this.sockets.get(chatId) ?? 1) - 1;
    if (left > 0) {
      this.sockets.set(chatId, left);
      return;
    }
    this.sockets.delete(chatId);
    this.away.get(chatId)?.();
    this.away.set(
      chatId,
      this.deps.clock.setTimer(this.graceMs, () => {
        this.away.delete(chatId);
        return this.customerEnds(chatId).catch((err) =>
          this.deps.log.error({ err, chatId }, 'ending a chat whose customer left failed'),
        );
      }),
    );
  }

  /* The agent's side */

  /** The agent's chat (their interaction), or a manager's or administrator's view of it. */
  async view(session: AuthSession, interactionId: string): Promise<AgentChatView> {
    const entry = await this.entryFor(session, interactionId);
    const chat = await this.chatRow(entry.chat_id);
    if (!chat) throw notFound('Chat');
    const canned = await this.deps.db
      .selectFrom('canned_responses')
      .select(['id', 'campaign_id', 'snippet', 'text'])
      .where('campaign_id', '=', entry.campaign_id)
      .orderBy('snippet')
      .execute();
    return {
      chatId: chat.id,
      interactionId,
      contactName: chat.contact_name,
      survey: chat.survey,
      state: chat.state,
      messages: await this.messagesAfter(chat.id, 0),
      customerReadSeq: chat.customer_read_seq,
      cannedResponses: canned.map(
        (c): CannedResponse => ({ id: c.id, campaignId: c.campaign_id, snippet: c.snippet, text: c.text }),
      ),
    };
  }

  async agentSends(session: AuthSession, interactionId: string, clientId: string, text: string) {
    const entry = await this.ownBusyEntry(session, interactionId);
    return this.post(entry.chat_id, {
      sender: 'agent',
      body: text,
      clientId,
      agentId: session.userId,
      agentName: entry.agent_name ?? '',
    });
  }

  async agentTyping(session: AuthSession, interactionId: string, typing: boolean): Promise<void> {
    const entry = await this.ownBusyEntry(session, interactionId);
    this.deps.bus.publish({
      type: 'chat.typing',
      from: 'agent',
      typing,
      name: entry.agent_name,
      workspaceId: session.workspaceId,
      chatId: entry.chat_id,
    });
  }

  async agentRead(session: AuthSession, interactionId: string, seq: number): Promise<void> {
    const entry = await this.entryFor(session, interactionId);
    if (entry.agent_id !== session.userId) throw notFound('Interaction');
    const row = await this.deps.db
      .updateTable('chats')
      .set({ agent_read_seq: sql`least(last_seq, greatest(agent_read_seq, ${seq}))` })
      .where('id', '=', entry.chat_id)
      .returning(['agent_read_seq'])
      .executeTakeFirstOrThrow();
    this.deps.bus.publish({
      type: 'chat.read',
      by: 'agent',
      seq: row.agent_read_seq,
      workspaceId: session.workspaceId,
      chatId: entry.chat_id,
    });
  }

  /** The Chat Panel: the agent takes a waiting chat. */
  take(session: AuthSession, interactionId: string): Promise<AgentState> {
    return this.deps.acd.take(session.userId, interactionId);
  }

  /* Following the ACD */

  private async follow(event: DomainEvent): Promise<void> {
    if (event.type === 'agent.stateChanged') {
      const s = event.agent.status;
      const now =
        s.kind === 'signed_out'
          ? 'signed out'
          : s.kind === 'paused' && s.reasonName === UNAVAILABLE && s.detail === 'Toolbar disconnected'
            ? 'toolbar lost'
            : 'here';
      // Only as the agent goes: one who is back (still "Toolbar disconnected" until they choose a
      // status) may take chats from the Chat Panel and keep them.
      const before = this.presence.get(event.userId);
      this.presence.set(event.userId, now);
      if (now === 'here' || now === before) return;
      for (const i of event.agent.interactions)
        if (i.kind === 'chat' && i.state === 'busy') await this.handBack(event.userId, i.id);
      return;
    }
    if (!('entryId' in event) || event.kind !== 'chat') return;
    switch (event.type) {
      case 'interaction.accepted':
        return this.agentJoined(event.entryId);
      case 'interaction.ended':
        if (event.by === 'agent') return this.agentEnded(event.entryId);
        return;
      case 'interaction.abandoned': {
        const entry = await this.entryRow(event.entryId);
        if (entry?.chat_id) await this.finish(entry.chat_id, event.by);
        return;
      }
      default:
        return;
    }
  }

  private async agentJoined(entryId: string): Promise<void> {
    const entry = await this.entryRow(entryId);
    if (!entry?.chat_id) return;
    const name = entry.agent_name ?? 'An agent';
    await this.deps.db
      .updateTable('chats')
      .set({ state: 'active' })
      .where('id', '=', entry.chat_id)
      .where('state', '<>', 'ended')
      .execute();
    // Told in this order, the customer's first word after "active" follows the greeting line.
    await this.post(entry.chat_id, { sender: 'system', body: `${name} joined the chat` });
    this.publishState(entry.workspace_id, entry.chat_id, 'active', name);
  }

  private async agentEnded(entryId: string): Promise<void> {
    const entry = await this.entryRow(entryId);
    if (!entry?.chat_id) return;
    const chat = await this.chatRow(entry.chat_id);
    if (!chat || chat.state === 'ended') return;
    await this.post(entry.chat_id, {
      sender: 'system',
      body: `${entry.agent_name ?? 'The agent'} ended the chat`,
    });
    await this.finish(entry.chat_id, 'agent');
  }

  private async handBack(userId: string, entryId: string): Promise<void> {
    const entry = await this.entryRow(entryId);
    if (!entry?.chat_id) return;
    const row = await this.deps.acd.handBack(userId, entryId);
    if (!row) return;
    await this.deps.db
      .updateTable('chats')
      .set({ state: 'queued' })
      .where('id', '=', entry.chat_id)
      .execute();
    this.publishState(entry.workspace_id, entry.chat_id, 'queued', null);
    await this.post(entry.chat_id, {
      sender: 'system',
      body: `${entry.agent_name ?? 'The agent'} left the chat; the next agent will be with you shortly`,
    });
  }

  /** The chat is over (either side, or the system): the customer is told. */
  private async finish(chatId: string, by: 'agent' | 'customer' | 'system'): Promise<void> {
    const ended = await this.deps.db
      .updateTable('chats')
      .set({ state: 'ended', ended_at: this.deps.clock.now(), ended_by: by })
      .where('id', '=', chatId)
      .where('state', '<>', 'ended')
      .returning('workspace_id')
      .executeTakeFirst();
    if (ended) this.publishState(ended.workspace_id, chatId, 'ended', null);
    this.away.get(chatId)?.();
    this.away.delete(chatId);
  }

  private publishState(
    workspaceId: string,
    chatId: string,
    state: ChatState,
    agentName: string | null,
  ): void {
    this.deps.bus.publish({ type: 'chat.state', workspaceId, chatId, state, agentName });
  }

  /* Storage */

  /**
   * Stores a message as the chat's next seq, under a lock on the chat's row: a clientId already
   * stored by this sender gives that message back and stores nothing. Only system messages may be
   * added to an ended chat. Published to both sides once committed, unless it was a repeat.
   */
  private async post(chatId: string, m: NewMessage): Promise<ChatMessage> {
    let published: { message: ChatMessage; to: Awaited<ReturnType<ChatService['route']>> };
    try {
      published = await this.deps.db.transaction().execute(async (tx) => {
        // Taking the next seq locks the chat's row until the message is in.
        const chat = await tx
          .updateTable('chats')
          .set({ last_seq: sql`last_seq + 1` })
          .where('id', '=', chatId)
          .returning(['last_seq', 'state', 'workspace_id'])
          .executeTakeFirst();
        if (!chat) throw notFound('Chat');
        if (m.clientId) {
          const known = await this.messageRows(tx, chatId)
            .where('m.sender', '=', m.sender)
            .where('m.client_id', '=', m.clientId)
            .executeTakeFirst();
          if (known) throw new Repeat(toMessage(known));
        }
        if (chat.state === 'ended' && m.sender !== 'system')
          throw new AppError('CHAT_ENDED', 'This chat has ended');
        const at = this.deps.clock.now();
        await tx
          .insertInto('chat_messages')
          .values({
            chat_id: chatId,
            seq: chat.last_seq,
            sender: m.sender,
            agent_id: m.agentId ?? null,
            agent_name: m.agentName ?? null,
            body: m.body,
            client_id: m.clientId ?? null,
            attachment_id: m.attachmentId ?? null,
            created_at: at,
          })
          .execute();
        const attachment = m.attachmentId
          ? await tx
              .selectFrom('chat_attachments')
              .select(['id', 'name', 'content_type as contentType', 'size'])
              .where('id', '=', m.attachmentId)
              .executeTakeFirst()
          : undefined;
        const message: ChatMessage = {
          seq: chat.last_seq,
          from: m.sender,
          name: m.agentName ?? null,
          text: m.body,
          at: at.toISOString(),
          clientId: m.clientId ?? null,
          attachment: attachment ?? null,
        };
        // Who hears of it is settled inside the lock, so messages are published in seq order.
        const entry = await this.currentEntry(chatId, tx);
        return { message, to: await this.route(chatId, entry, chat.workspace_id) };
      });
    } catch (err) {
      // A repeat (a resend after a drop) stores nothing: its seq was given back with the rollback.
      if (err instanceof Repeat) return err.stored;
      throw err;
    }
    this.deps.bus.publish({ type: 'chat.message', message: published.message, ...published.to });
    return published.message;
  }

  private messageRows(db: Kysely<Database>, chatId: string) {
    return db
      .selectFrom('chat_messages as m')
      .leftJoin('chat_attachments as a', 'a.id', 'm.attachment_id')
      .select([
        'm.seq',
        'm.sender',
        'm.agent_name',
        'm.body',
        'm.client_id',
        'm.created_at',
        'm.attachment_id',
        'a.name as att_name',
        'a.content_type as att_type',
        'a.size as att_size',
      ])
      .where('m.chat_id', '=', chatId)
      .orderBy('m.seq');
  }

  /** Where a chat event goes: the chat's customer, and the agent who has it now, if any. */
  private async route(
    chatId: string,
    entry: Awaited<ReturnType<ChatService['currentEntry']>>,
    workspaceId?: string,
  ): Promise<Pick<ChatEvent, 'workspaceId' | 'chatId' | 'userId' | 'interactionId'>> {
    const ws = workspaceId ?? entry?.workspace_id ?? (await this.chatRow(chatId))?.workspace_id ?? '';
    return {
      workspaceId: ws,
      chatId,
      ...(entry?.agent_id && { userId: entry.agent_id, interactionId: entry.id }),
    };
  }

  private chatRow(chatId: string | null) {
    return this.deps.db
      .selectFrom('chats')
      .selectAll()
      .where('id', '=', chatId ?? '00000000-0000-0000-0000-000000000000')
      .executeTakeFirst();
  }

  private entryQuery(db: Kysely<Database> = this.deps.db) {
    return db
      .selectFrom('queue_entries as e')
      .leftJoin('users as u', 'u.id', 'e.agent_id')
      .select([
        'e.id',
        'e.workspace_id',
        'e.campaign_id',
        'e.agent_id',
        'e.state',
        'e.chat_id',
        'u.display_name as agent_name',
      ]);
  }

  private entryRow(entryId: string) {
    return this.entryQuery().where('e.id', '=', entryId).executeTakeFirst();
  }

  /** The chat's latest entry: the agent who has it (busy, wrapping) or its place in the queue. */
  private currentEntry(chatId: string, db?: Kysely<Database>) {
    return this.entryQuery(db)
      .where('e.chat_id', '=', chatId)
      .orderBy('e.enqueued_at', 'desc')
      .orderBy('e.seq', 'desc')
      .executeTakeFirst();
  }

  /** A chat interaction the session may see: an agent's own; a manager's teams'; an administrator's workspace. */
  private async entryFor(session: AuthSession, interactionId: string) {
    const entry = await this.entryRow(interactionId);
    if (!entry?.chat_id || entry.workspace_id !== session.workspaceId) throw notFound('Chat');
    if (!(await maySeeInteraction(this.deps.db, session, entry))) throw notFound('Chat');
    return { ...entry, chat_id: entry.chat_id };
  }

  /** The agent's own chat in conversation: the only one they may write in. */
  private async ownBusyEntry(session: AuthSession, interactionId: string) {
    const entry = await this.entryFor(session, interactionId);
    if (entry.agent_id !== session.userId) throw notFound('Chat');
    if (entry.state !== 'busy') throw new AppError('CHAT_ENDED', 'This chat has ended');
    return entry;
  }
}
