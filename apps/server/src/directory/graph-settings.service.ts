import type { GraphSettings, UpdateGraphSettingsBody } from '@parley/contract';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import { type SecretBox, SecretError } from '../security/secrets.js';
import { DirectoryError } from './directory.errors.js';

/** What the Graph provider signs in with; `version` changes whenever the settings do. */
export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  version: string;
}

const NONE: GraphSettings = {
  enabled: false,
  tenantId: null,
  clientId: null,
  clientSecretSet: false,
  updatedAt: null,
};
/** Binds a sealed secret to its workspace: copied into another workspace's row, it does not open. */
const context = (workspaceId: string) => `directory.graph.clientSecret:${workspaceId}`;

/**
 * A workspace's Microsoft Graph directory, as its administrator sets it. The client secret is
 * sealed before it reaches the database and is never returned: the API says only whether one
 * is stored.
 */
export class GraphSettingsService {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  private row(workspaceId: string) {
    return this.db
      .selectFrom('directory_graph_settings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
  }

  async get(workspaceId: string): Promise<GraphSettings> {
    const row = await this.row(workspaceId);
    if (!row) return NONE;
    return {
      enabled: row.enabled,
      tenantId: row.tenant_id,
      clientId: row.client_id,
      clientSecretSet: row.client_secret_sealed !== null,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  async put(workspaceId: string, body: UpdateGraphSettingsBody): Promise<GraphSettings> {
    const sealed =
      body.clientSecret === undefined ? undefined : this.box.seal(body.clientSecret, context(workspaceId));
    if (body.enabled && sealed === undefined && !(await this.row(workspaceId))?.client_secret_sealed)
      throw new AppError('VALIDATION_FAILED', 'Turning the directory on needs a client secret', {
        details: [{ path: 'body/clientSecret', message: 'required while none is stored' }],
      });
    const values = {
      enabled: body.enabled,
      tenant_id: body.tenantId,
      client_id: body.clientId,
      ...(sealed !== undefined && { client_secret_sealed: sealed }),
    };
    await this.db
      .insertInto('directory_graph_settings')
      .values({ workspace_id: workspaceId, ...values })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
      .execute();
    return this.get(workspaceId);
  }

  /** Forgets the settings and the secret: the workspace's directory is its own contacts only. */
  async remove(workspaceId: string): Promise<void> {
    await this.db.deleteFrom('directory_graph_settings').where('workspace_id', '=', workspaceId).execute();
  }

  /** The credentials to sign in with, while the directory is on; undefined while it is off. */
  async credentials(workspaceId: string): Promise<GraphCredentials | undefined> {
    const row = await this.row(workspaceId);
    if (!row?.enabled || !row.client_secret_sealed) return undefined;
    let clientSecret: string;
    try {
      clientSecret = this.box.open(row.client_secret_sealed, context(workspaceId));
    } catch (err) {
      if (!(err instanceof SecretError)) throw err;
      throw new DirectoryError(
        'DIRECTORY_AUTH_FAILED',
        'The Microsoft directory’s stored client secret cannot be read (was SECRET_KEY changed?): an administrator should enter it again',
      );
    }
    return {
      tenantId: row.tenant_id,
      clientId: row.client_id,
      clientSecret,
      // A new secret seals with a new IV, so its tail changes too.
      version: [
        row.updated_at.getTime(),
        row.tenant_id,
        row.client_id,
        row.client_secret_sealed.slice(-16),
      ].join('|'),
    };
  }
}
