import type {
  CreateEmailMailboxBody,
  CreateEmailTemplateBody,
  EmailMailbox,
  EmailTemplate,
  ImapSettingsBody,
  SmtpSettingsBody,
  UpdateEmailMailboxBody,
  UpdateEmailTemplateBody,
} from '@parley/contract';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import type { EmailMailboxesTable, StoredImap, StoredSmtp } from '../db/schema.js';
import type { EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import type { SecretBox } from '../security/secrets.js';
import { assertCampaignOf } from '../workspace/ownership.js';
import type { MailboxDirectory, MailboxHealthState, MailboxTransport } from './email-ports.js';
import { sanitizeEmailHtml } from './sanitize.js';

type WorkspaceScope = { workspaceId: string };
type CampaignScope = { workspaceId: string; campaignId: string };
type MailboxRow = Selectable<EmailMailboxesTable>;

const DEFAULT_FOLDER = 'INBOX';
const DEFAULT_PROCESSED = 'Processed';
const UNIQUE_ADDRESS = { unique: 'Another mailbox of this workspace has that address' };

/** A password is sealed for its mailbox and field: copied into another row, it does not open. */
const passwordContext = (id: string, field: 'imap' | 'smtp') => `email_mailboxes:${id}:${field}`;

const toMailbox = (r: MailboxRow): EmailMailbox => ({
  id: r.id,
  name: r.name,
  campaignId: r.campaign_id,
  address: r.address,
  displayName: r.display_name,
  inbound: r.inbound,
  enabled: r.enabled,
  imap: r.imap && { ...r.imap, hasPassword: r.imap_password !== null },
  smtp: r.smtp && { ...r.smtp, hasPassword: r.smtp_password !== null },
  health: {
    state: r.health_state,
    error: r.health_error,
    since: r.health_since ? r.health_since.toISOString() : null,
  },
});

/**
 * Email mailboxes (administrators): where a campaign's mail comes from and goes out. Passwords
 * are sealed at rest and never read back; a settings change without a password keeps the one
 * stored. Also the transports' view of the mailboxes (`MailboxDirectory`), passwords opened.
 */
export class EmailMailboxesService
  implements CrudService<WorkspaceScope, EmailMailbox, CreateEmailMailboxBody, UpdateEmailMailboxBody>
{
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly bus: EventBus,
    private readonly clock: { now(): Date },
  ) {}

  async list(scope: WorkspaceScope): Promise<EmailMailbox[]> {
    const rows = await this.db
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .orderBy('name')
      .execute();
    return rows.map(toMailbox);
  }

  async get(scope: WorkspaceScope, id: string): Promise<EmailMailbox> {
    const row = await this.db
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Mailbox');
    return toMailbox(row);
  }

  async create(scope: WorkspaceScope, body: CreateEmailMailboxBody): Promise<EmailMailbox> {
    await this.checkCampaign(scope, body.campaignId);
    const inbound = body.inbound ?? 'none';
    checkInbound(inbound, body.imap ?? null);
    const row = await withConstraints(
      () =>
        this.db.transaction().execute(async (tx) => {
          const created = await tx
            .insertInto('email_mailboxes')
            .values({
              workspace_id: scope.workspaceId,
              campaign_id: body.campaignId,
              name: body.name.trim(),
              address: body.address.trim(),
              display_name: body.displayName ?? '',
              inbound,
              enabled: body.enabled ?? true,
              imap: body.imap ? JSON.stringify(storedImap(body.imap)) : null,
              smtp: body.smtp ? JSON.stringify(storedServer(body.smtp)) : null,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          return tx
            .updateTable('email_mailboxes')
            .set({
              imap_password: this.seal(created.id, 'imap', body.imap?.password),
              smtp_password: this.seal(created.id, 'smtp', body.smtp?.password),
            })
            .where('id', '=', created.id)
            .returningAll()
            .executeTakeFirstOrThrow();
        }),
      UNIQUE_ADDRESS,
    );
    this.changed(row);
    return toMailbox(row);
  }

  async update(scope: WorkspaceScope, id: string, body: UpdateEmailMailboxBody): Promise<EmailMailbox> {
    if (body.campaignId !== undefined) await this.checkCampaign(scope, body.campaignId);
    const before = await this.db
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) throw notFound('Mailbox');
    const imap = body.imap === undefined ? before.imap : body.imap && storedImap(body.imap);
    checkInbound(body.inbound ?? before.inbound, imap);
    const row = await withConstraints(
      () =>
        this.db
          .updateTable('email_mailboxes')
          .set({
            ...(body.name !== undefined && { name: body.name.trim() }),
            ...(body.campaignId !== undefined && { campaign_id: body.campaignId }),
            ...(body.address !== undefined && { address: body.address.trim() }),
            ...(body.displayName !== undefined && { display_name: body.displayName }),
            ...(body.inbound !== undefined && { inbound: body.inbound }),
            ...(body.enabled !== undefined && { enabled: body.enabled }),
            ...(body.imap !== undefined && {
              imap: body.imap ? JSON.stringify(storedImap(body.imap)) : null,
              imap_password: body.imap
                ? body.imap.password === undefined
                  ? before.imap_password
                  : this.seal(id, 'imap', body.imap.password)
                : null,
            }),
            ...(body.smtp !== undefined && {
              smtp: body.smtp ? JSON.stringify(storedServer(body.smtp)) : null,
              smtp_password: body.smtp
                ? body.smtp.password === undefined
                  ? before.smtp_password
                  : this.seal(id, 'smtp', body.smtp.password)
                : null,
            }),
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      UNIQUE_ADDRESS,
    );
    this.changed(row);
    return toMailbox(row);
  }

  async remove(scope: WorkspaceScope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('email_mailboxes')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Mailbox');
    this.bus.publish({ type: 'email.mailboxesChanged', workspaceId: scope.workspaceId, mailboxId: id });
  }

  /* The transports' view */

  /** The mailboxes as the transports see them, passwords opened. */
  directory(): MailboxDirectory {
    return {
      imapMailboxes: () => this.imapMailboxes(),
      smtpMailboxFor: (address) => this.smtpMailboxFor(address),
      get: (id) => this.transport(id),
      setHealth: (id, state, error) => this.setHealth(id, state, error),
    };
  }

  async transport(id: string): Promise<MailboxTransport | undefined> {
    const row = await this.db
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && this.opened(row);
  }

  async imapMailboxes(): Promise<MailboxTransport[]> {
    const rows = await this.db
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('enabled', '=', true)
      .where('inbound', '=', 'imap')
      .orderBy('created_at')
      .execute();
    return rows.map((r) => this.opened(r));
  }

  async smtpMailboxFor(address: string): Promise<MailboxTransport | undefined> {
    const row = await this.db
      .selectFrom('email_mailboxes')
      .selectAll()
      .where('enabled', '=', true)
      .where('inbound', '=', 'smtp')
      .where((eb) => eb(eb.fn('lower', ['address']), '=', address.trim().toLowerCase()))
      .orderBy('created_at')
      .executeTakeFirst();
    return row && this.opened(row);
  }

  async setHealth(id: string, state: MailboxHealthState, error: string | null): Promise<void> {
    await this.db
      .updateTable('email_mailboxes')
      .set({ health_state: state, health_error: error, health_since: this.clock.now() })
      .where('id', '=', id)
      .execute();
  }

  private opened(r: MailboxRow): MailboxTransport {
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      campaignId: r.campaign_id,
      address: r.address,
      displayName: r.display_name,
      inbound: r.inbound,
      enabled: r.enabled,
      imap: r.imap && { ...r.imap, password: this.open(r.id, 'imap', r.imap_password) },
      smtp: r.smtp && { ...r.smtp, password: this.open(r.id, 'smtp', r.smtp_password) },
    };
  }

  private seal(id: string, field: 'imap' | 'smtp', password: string | undefined): string | null {
    return password ? this.box.seal(password, passwordContext(id, field)) : null;
  }

  /** A password that cannot be opened (another SECRET_KEY) is none: the server then refuses the login, which the health shows. */
  private open(id: string, field: 'imap' | 'smtp', sealed: string | null): string {
    if (!sealed) return '';
    try {
      return this.box.open(sealed, passwordContext(id, field));
    } catch {
      return '';
    }
  }

  private changed(row: MailboxRow): void {
    this.bus.publish({ type: 'email.mailboxesChanged', workspaceId: row.workspace_id, mailboxId: row.id });
  }

  private async checkCampaign(scope: WorkspaceScope, campaignId: string): Promise<void> {
    const campaign = await this.db
      .selectFrom('campaigns')
      .select('kind')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (campaign?.kind !== 'email')
      throw new AppError('EMAIL_MAILBOX_INVALID', 'A mailbox needs an email campaign', {
        details: [{ path: '/campaignId', message: 'not an email campaign of this workspace' }],
      });
  }
}

function storedServer(s: SmtpSettingsBody | ImapSettingsBody): StoredSmtp {
  return {
    host: s.host,
    port: s.port,
    security: s.security,
    user: s.user,
    verifyCertificate: s.verifyCertificate ?? true,
  };
}

function storedImap(s: ImapSettingsBody): StoredImap {
  return {
    ...storedServer(s),
    folder: s.folder ?? DEFAULT_FOLDER,
    processedFolder: s.processedFolder ?? DEFAULT_PROCESSED,
  };
}

function checkInbound(inbound: 'imap' | 'smtp' | 'none', imap: StoredImap | ImapSettingsBody | null): void {
  if (inbound === 'imap' && !imap)
    throw new AppError('EMAIL_MAILBOX_INVALID', 'Inbound IMAP needs the IMAP settings', {
      details: [{ path: '/imap', message: 'required when inbound is imap' }],
    });
  if (imap && (imap.folder ?? DEFAULT_FOLDER) === (imap.processedFolder ?? DEFAULT_PROCESSED))
    throw new AppError('EMAIL_MAILBOX_INVALID', 'The processed folder must differ from the folder read', {
      details: [{ path: '/imap/processedFolder', message: 'the same as the folder' }],
    });
}

const TEMPLATE_COLUMNS = ['id', 'campaign_id', 'name', 'subject', 'html'] as const;
const UNIQUE_TEMPLATE = { unique: 'This campaign already has a template with that name' };
const toTemplate = (r: {
  id: string;
  campaign_id: string;
  name: string;
  subject: string;
  html: string;
}): EmailTemplate => ({
  id: r.id,
  campaignId: r.campaign_id,
  name: r.name,
  subject: r.subject,
  html: r.html,
});
/** A template's HTML is stored sanitised: what an agent's editor loads is already safe. */
const cleanTemplate = (html: string) => sanitizeEmailHtml(html).html;

/** A campaign's email templates (administrators write; agents pick one in the composer). */
export class EmailTemplatesService
  implements CrudService<CampaignScope, EmailTemplate, CreateEmailTemplateBody, UpdateEmailTemplateBody>
{
  constructor(private readonly db: Db) {}

  async list(scope: CampaignScope): Promise<EmailTemplate[]> {
    await assertCampaignOf(this.db, scope);
    const rows = await this.db
      .selectFrom('email_templates')
      .select(TEMPLATE_COLUMNS)
      .where('campaign_id', '=', scope.campaignId)
      .orderBy('name')
      .execute();
    return rows.map(toTemplate);
  }

  async get(scope: CampaignScope, id: string): Promise<EmailTemplate> {
    const row = await this.db
      .selectFrom('email_templates')
      .select(TEMPLATE_COLUMNS)
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('Email template');
    return toTemplate(row);
  }

  async create(scope: CampaignScope, body: CreateEmailTemplateBody): Promise<EmailTemplate> {
    await assertCampaignOf(this.db, scope);
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('email_templates')
          .values({
            workspace_id: scope.workspaceId,
            campaign_id: scope.campaignId,
            name: body.name.trim(),
            subject: body.subject,
            html: cleanTemplate(body.html),
          })
          .returning(TEMPLATE_COLUMNS)
          .executeTakeFirstOrThrow(),
      UNIQUE_TEMPLATE,
    );
    return toTemplate(row);
  }

  async update(scope: CampaignScope, id: string, body: UpdateEmailTemplateBody): Promise<EmailTemplate> {
    const row = await withConstraints(
      () =>
        this.db
          .updateTable('email_templates')
          .set({
            ...(body.name !== undefined && { name: body.name.trim() }),
            ...(body.subject !== undefined && { subject: body.subject }),
            ...(body.html !== undefined && { html: cleanTemplate(body.html) }),
          })
          .where('workspace_id', '=', scope.workspaceId)
          .where('campaign_id', '=', scope.campaignId)
          .where('id', '=', id)
          .returning(TEMPLATE_COLUMNS)
          .executeTakeFirst(),
      UNIQUE_TEMPLATE,
    );
    if (!row) throw notFound('Email template');
    return toTemplate(row);
  }

  async remove(scope: CampaignScope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('email_templates')
      .where('workspace_id', '=', scope.workspaceId)
      .where('campaign_id', '=', scope.campaignId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Email template');
  }
}
