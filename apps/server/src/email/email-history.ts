import type {
  EmailHistoryItem,
  EmailHistoryList,
  EmailHistoryQuery,
  EmailThreadView,
} from '@parley/contract';
import { sql } from 'kysely';
import type { AuthSession } from '../auth/sessions.repository.js';
import type { Db } from '../db/database.js';
import { notFound } from '../http/app-error.js';
import { inCampaignTeams } from '../workspace/ownership.js';
import { toAttachment, toMessage } from './email.service.js';

/**
 * Email History (O2): threads of the campaigns of the user's teams (administrators: the
 * workspace), latest first; by contact, by words in subjects and bodies, by day of the last
 * message. A thread opens oldest first, each message with its interaction's Outcome.
 */
export class EmailHistory {
  constructor(private readonly db: Db) {}

  async list(session: AuthSession, query: EmailHistoryQuery): Promise<EmailHistoryList> {
    let q = this.visible(session);
    if (query.contact?.trim()) {
      const like = `%${query.contact.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) =>
        eb.or([eb('t.contact_name', 'ilike', like), eb('t.contact_address', 'ilike', like)]),
      );
    }
    if (query.text?.trim())
      q = q.where(
        sql<boolean>`exists (select 1 from email_messages m where m.thread_id = t.id
          and to_tsvector('simple', m.subject || ' ' || m.body_text) @@ plainto_tsquery('simple', ${query.text.trim()}))`,
      );
    if (query.from) q = q.where('t.last_at', '>=', new Date(`${query.from}T00:00:00Z`));
    if (query.to)
      q = q.where('t.last_at', '<', new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000));
    const total = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    const rows = await this.items(q)
      .orderBy('t.last_at', 'desc')
      .orderBy('t.id')
      .limit(Number(query.limit ?? 25))
      .offset(Number(query.offset ?? 0))
      .execute();
    return { threads: rows.map(toItem), total: total.n };
  }

  async thread(session: AuthSession, threadId: string): Promise<EmailThreadView> {
    const row = await this.items(this.visible(session).where('t.id', '=', threadId)).executeTakeFirst();
    if (!row) throw notFound('Email thread');
    const messages = await this.db
      .selectFrom('email_messages as m')
      .leftJoin('queue_entries as e', 'e.id', 'm.entry_id')
      .leftJoin('wrap_codes as w', 'w.id', 'e.wrap_code_id')
      .selectAll('m')
      .select('w.name as outcome')
      .where('m.thread_id', '=', threadId)
      .orderBy('m.created_at')
      .execute();
    const files = messages.length
      ? await this.db
          .selectFrom('email_attachments')
          .select(['id', 'message_id', 'name', 'content_type', 'size', 'inline'])
          .where(
            'message_id',
            'in',
            messages.map((m) => m.id),
          )
          .execute()
      : [];
    return {
      ...toItem(row),
      messages: messages.map((m) => ({
        ...toMessage(m),
        attachments: files.filter((f) => f.message_id === m.id).map(toAttachment),
        outcome: m.outcome,
      })),
    };
  }

  /** The threads this user may see: with at least one message, on a campaign of their teams. */
  private visible(session: AuthSession) {
    let q = this.db
      .selectFrom('email_threads as t')
      .where('t.workspace_id', '=', session.workspaceId)
      .where(sql<boolean>`exists (select 1 from email_messages m where m.thread_id = t.id)`);
    if (session.role !== 'administrator') q = q.where(inCampaignTeams('t.campaign_id', session.userId));
    return q;
  }

  private items(q: ReturnType<EmailHistory['visible']>) {
    return q.leftJoin('campaigns as k', 'k.id', 't.campaign_id').select([
      't.id',
      't.subject',
      't.contact_name',
      't.contact_address',
      'k.name as campaign_name',
      't.created_at',
      't.last_at',
      sql<number>`(select count(*)::int from email_messages m where m.thread_id = t.id)`.as('message_count'),
      sql<string[]>`coalesce((select array_agg(distinct u.display_name)
          from queue_entries e join users u on u.id = e.agent_id
          where e.email_thread_id = t.id and e.accepted_at is not null), '{}')`.as('agent_names'),
      sql<string | null>`(select w.name from queue_entries e join wrap_codes w on w.id = e.wrap_code_id
          where e.email_thread_id = t.id order by e.enqueued_at desc, e.seq desc limit 1)`.as('outcome'),
    ]);
  }
}

function toItem(r: {
  id: string;
  subject: string;
  contact_name: string;
  contact_address: string;
  campaign_name: string | null;
  created_at: Date;
  last_at: Date;
  message_count: number;
  agent_names: string[];
  outcome: string | null;
}): EmailHistoryItem {
  return {
    threadId: r.id,
    subject: r.subject,
    contact: { name: r.contact_name, address: r.contact_address },
    campaignName: r.campaign_name ?? '',
    agentNames: r.agent_names,
    startedAt: r.created_at.toISOString(),
    lastAt: r.last_at.toISOString(),
    messageCount: r.message_count,
    outcome: r.outcome,
  };
}
