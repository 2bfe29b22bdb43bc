import type {
  CannedResponse,
  ChatChannel,
  CreateCannedResponseBody,
  CreateChatChannelBody,
  UpdateCannedResponseBody,
  UpdateChatChannelBody,
} from '@parley/contract';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import { assertCampaignOf } from '../workspace/ownership.js';
import { checkSurveyFields } from './survey.js';

type WorkspaceScope = { workspaceId: string };
type CampaignScope = { workspaceId: string; campaignId: string };

const CHANNEL_COLUMNS = [
  'id',
  'campaign_id',
  'name',
  'survey',
  'allowed_origins',
  'hours',
  'offline_message',
] as const;

type ChannelRow = {
  id: string;
  campaign_id: string;
  name: string;
  survey: ChatChannel['survey'];
  allowed_origins: string[];
  hours: ChatChannel['hours'];
  offline_message: string;
};

const toChannel = (r: ChannelRow): ChatChannel => ({
  id: r.id,
  campaignId: r.campaign_id,
  name: r.name,
  survey: r.survey,
  allowedOrigins: r.allowed_origins,
  hours: r.hours,
  offlineMessage: r.offline_message,
});

/** Web chat channels (what a website's widget opens), each on a chat campaign of the workspace. */
export class ChatChannelsService
  implements CrudService<WorkspaceScope, ChatChannel, CreateChatChannelBody, UpdateChatChannelBody>
{
  constructor(private readonly db: Db) {}

  async list(scope: WorkspaceScope): Promise<ChatChannel[]> {
    const rows = await this.db
      .selectFrom('chat_channels')
      .select(CHANNEL_COLUMNS)
      .where('workspace_id', '=', scope.workspaceId)
      .orderBy('name')
      .execute();
    return rows.map(toChannel);
  }

  async get(scope: WorkspaceScope, id: string): Promise<ChatChannel> {
    const row = await this.db
      .selectFrom('chat_channels')
      .select(CHANNEL_COLUMNS)
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Chat channel');
    return toChannel(row);
  }

  async create(scope: WorkspaceScope, body: CreateChatChannelBody): Promise<ChatChannel> {
    await this.check(scope, body);
    const row = await this.db
      .insertInto('chat_channels')
      .values({
        workspace_id: scope.workspaceId,
        campaign_id: body.campaignId,
        name: body.name.trim(),
        survey: JSON.stringify(body.survey ?? []),
        allowed_origins: body.allowedOrigins ?? [],
        hours: body.hours ? JSON.stringify(body.hours) : null,
        offline_message: body.offlineMessage ?? '',
      })
      .returning(CHANNEL_COLUMNS)
      .executeTakeFirstOrThrow();
    return toChannel(row);
  }

  async update(scope: WorkspaceScope, id: string, body: UpdateChatChannelBody): Promise<ChatChannel> {
    await this.check(scope, body);
    const row = await this.db
      .updateTable('chat_channels')
      .set({
        ...(body.name !== undefined && { name: body.name.trim() }),
        ...(body.campaignId !== undefined && { campaign_id: body.campaignId }),
        ...(body.survey !== undefined && { survey: JSON.stringify(body.survey) }),
        ...(body.allowedOrigins !== undefined && { allowed_origins: body.allowedOrigins }),
        ...(body.hours !== undefined && { hours: body.hours ? JSON.stringify(body.hours) : null }),
        ...(body.offlineMessage !== undefined && { offline_message: body.offlineMessage }),
      })
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .returning(CHANNEL_COLUMNS)
      .executeTakeFirst();
    if (!row) throw notFound('Chat channel');
    return toChannel(row);
  }

  async remove(scope: WorkspaceScope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('chat_channels')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Chat channel');
  }

  /** The campaign is a chat campaign of the workspace; the survey and time zone make sense. */
  private async check(scope: WorkspaceScope, body: UpdateChatChannelBody): Promise<void> {
    if (body.survey) checkSurveyFields(body.survey);
    if (body.hours) {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: body.hours.timeZone });
      } catch {
        throw new AppError('VALIDATION_FAILED', 'Unknown time zone', {
          details: [{ path: '/hours/timeZone', message: `not a time zone: ${body.hours.timeZone}` }],
        });
      }
    }
    if (body.campaignId === undefined) return;
    const campaign = await this.db
      .selectFrom('campaigns')
      .select('kind')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', body.campaignId)
      .executeTakeFirst();
    if (campaign?.kind !== 'chat')
      throw new AppError('VALIDATION_FAILED', 'A chat channel needs a chat campaign', {
        details: [{ path: '/campaignId', message: 'not a chat campaign of this workspace' }],
      });
  }
}

const UNIQUE_SNIPPET = { unique: 'This campaign already has a canned response with that snippet' };
const CANNED_COLUMNS = ['id', 'campaign_id', 'snippet', 'text'] as const;
const toCanned = (r: { id: string; campaign_id: string; snippet: string; text: string }): CannedResponse => ({
  id: r.id,
  campaignId: r.campaign_id,
  snippet: r.snippet,
  text: r.text,
});

/** A campaign's canned responses: "/" + snippet in the chat box, or the search (N3). */
export class CannedResponsesService
  implements CrudService<CampaignScope, CannedResponse, CreateCannedResponseBody, UpdateCannedResponseBody>
{
  constructor(private readonly db: Db) {}

  async list(scope: CampaignScope): Promise<CannedResponse[]> {
    await assertCampaignOf(this.db, scope);
    const rows = await this.db
      .selectFrom('canned_responses')
      .select(CANNED_COLUMNS)
      .where('campaign_id', '=', scope.campaignId)
      .orderBy('snippet')
      .execute();
    return rows.map(toCanned);
  }

  async get(scope: CampaignScope, id: string): Promise<CannedResponse> {
    const row = await this.db
      .selectFrom('canned_responses')
      .select(CANNED_COLUMNS)
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Canned response');
    return toCanned(row);
  }

  async create(scope: CampaignScope, body: CreateCannedResponseBody): Promise<CannedResponse> {
    await assertCampaignOf(this.db, scope);
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('canned_responses')
          .values({
            workspace_id: scope.workspaceId,
            campaign_id: scope.campaignId,
            snippet: body.snippet,
            text: body.text,
          })
          .returning(CANNED_COLUMNS)
          .executeTakeFirstOrThrow(),
      UNIQUE_SNIPPET,
    );
    return toCanned(row);
  }

  async update(scope: CampaignScope, id: string, body: UpdateCannedResponseBody): Promise<CannedResponse> {
    const row = await withConstraints(
      () =>
        this.db
          .updateTable('canned_responses')
          .set({
            ...(body.snippet !== undefined && { snippet: body.snippet }),
            ...(body.text !== undefined && { text: body.text }),
          })
          .where('workspace_id', '=', scope.workspaceId)
          .where('campaign_id', '=', scope.campaignId)
          .where('id', '=', id)
          .returning(CANNED_COLUMNS)
          .executeTakeFirst(),
      UNIQUE_SNIPPET,
    );
    if (!row) throw notFound('Canned response');
    return toCanned(row);
  }

  async remove(scope: CampaignScope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('canned_responses')
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Canned response');
  }
}
