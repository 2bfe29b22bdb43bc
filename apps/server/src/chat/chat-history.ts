import type { ChatHistoryItem, ChatHistoryList, ChatHistoryQuery, ChatTranscript } from '@parley/contract';
import { sql } from 'kysely';
import type { AuthSession } from '../auth/sessions.repository.js';
import type { Db } from '../db/database.js';
import { notFound } from '../http/app-error.js';
import { inCampaignTeams } from '../workspace/ownership.js';
import type { ChatService } from './chat.service.js';

/**
 * Chat History (N4): past chats of the campaigns of the user's teams (administrators: the
 * workspace), newest first; by contact (name or survey answers), by words in the messages, by
 * day. Agents and managers alike see their teams' chats.
 */
export class ChatHistory {
  constructor(
    private readonly db: Db,
    private readonly chats: ChatService,
  ) {}

  async list(session: AuthSession, query: ChatHistoryQuery): Promise<ChatHistoryList> {
    let q = this.visible(session);
    if (query.contact?.trim()) {
      const like = `%${query.contact.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) =>
        eb.or([eb('c.contact_name', 'ilike', like), eb(sql`c.survey::text`, 'ilike', like)]),
      );
    }
    if (query.text?.trim())
      q = q.where(
        sql<boolean>`exists (select 1 from chat_messages m where m.chat_id = c.id
          and to_tsvector('simple', m.body) @@ plainto_tsquery('simple', ${query.text.trim()}))`,
      );
    if (query.from) q = q.where('c.created_at', '>=', new Date(`${query.from}T00:00:00Z`));
    if (query.to)
      q = q.where('c.created_at', '<', new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000));
    const total = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    const rows = await this.items(q)
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id')
      .limit(Number(query.limit ?? 25))
      .offset(Number(query.offset ?? 0))
      .execute();
    return { chats: rows.map(toItem), total: total.n };
  }

  async transcript(session: AuthSession, chatId: string): Promise<ChatTranscript> {
    const q = this.visible(session).where('c.id', '=', chatId);
    const row = await this.items(q).select('c.survey').executeTakeFirst();
    if (!row) throw notFound('Chat');
    return { ...toItem(row), survey: row.survey, messages: await this.chats.messagesAfter(chatId, 0) };
  }

  /** The chats this user may see. */
  private visible(session: AuthSession) {
    const q = this.db.selectFrom('chats as c').where('c.workspace_id', '=', session.workspaceId);
    return session.role === 'administrator' ? q : q.where(inCampaignTeams('c.campaign_id', session.userId));
  }

  private items(q: ReturnType<ChatHistory['visible']>) {
    return q.leftJoin('campaigns as k', 'k.id', 'c.campaign_id').select([
      'c.id',
      'c.contact_name',
      'k.name as campaign_name',
      'c.created_at',
      'c.ended_at',
      'c.state',
      'c.last_seq',
      sql<string[]>`coalesce((select array_agg(u.display_name order by e.enqueued_at, e.seq)
          from queue_entries e join users u on u.id = e.agent_id
          where e.chat_id = c.id and e.accepted_at is not null), '{}')`.as('agent_names'),
      sql<string | null>`(select w.name from queue_entries e join wrap_codes w on w.id = e.wrap_code_id
          where e.chat_id = c.id order by e.enqueued_at desc, e.seq desc limit 1)`.as('outcome'),
    ]);
  }
}

function toItem(r: {
  id: string;
  contact_name: string;
  campaign_name: string | null;
  created_at: Date;
  ended_at: Date | null;
  state: ChatHistoryItem['state'];
  last_seq: number;
  agent_names: string[];
  outcome: string | null;
}): ChatHistoryItem {
  return {
    chatId: r.id,
    contactName: r.contact_name,
    campaignName: r.campaign_name ?? '',
    agentNames: r.agent_names,
    startedAt: r.created_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    outcome: r.outcome,
    state: r.state,
    messageCount: r.last_seq,
  };
}
