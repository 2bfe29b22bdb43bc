import type {
  CreateSipExtensionBody,
  CreateSipTrunkBody,
  SipExtension,
  SipTrunk,
  TrunkRegistrationState,
  UpdateSipExtensionBody,
  UpdateSipTrunkBody,
} from '@parley/contract';
import type { Updateable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { withConstraints } from '../db/db-errors.js';
import type { SipTrunksTable } from '../db/schema.js';
import type { EventBus } from '../events.js';
import { AppError, notFound } from '../http/app-error.js';
import type { CrudService } from '../http/crud-routes.js';
import { ha1 } from '../sip/auth/digest.js';
import type { PhoneAccount } from '../sip/uas/registrar.js';
import { parseCidr } from '../sip/uas/source-guard.js';
import { resolveTrunkHost } from './trunk-hosts.js';

type Scope = { workspaceId: string };

/** What the SIP side knows at run time: trunks' registration states. */
export interface TelephonyStatus {
  trunkRegistration(trunkId: string): TrunkRegistrationState;
}

export const NO_TELEPHONY_STATUS: TelephonyStatus = {
  trunkRegistration: () => ({ state: 'off', detail: null }),
};

/** A desk phone's account by its SIP username, for the registrar. */
export async function phoneAccount(db: Db, username: string): Promise<PhoneAccount | undefined> {
  const row = await db
    .selectFrom('sip_extensions')
    .select(['workspace_id', 'extension', 'ha1'])
    .where('username', '=', username)
    .executeTakeFirst();
  return row && { workspaceId: row.workspace_id, extension: row.extension, ha1: row.ha1 };
}

function checkNetworks(sources: string[] | undefined): void {
  const bad = (sources ?? []).findIndex((s) => {
    try {
      parseCidr(s);
      return false;
    } catch {
      return true;
    }
  });
  if (bad >= 0)
    throw new AppError('VALIDATION_FAILED', 'Not an IPv4 address or network', {
      details: [{ path: `/allowedSources/${bad}`, message: 'not an IPv4 address or network' }],
    });
}

/** A carrier's host name must resolve when it is saved: a typing mistake shows at once. */
async function checkHost(host: string): Promise<void> {
  try {
    await resolveTrunkHost(host);
  } catch {
    throw new AppError('VALIDATION_FAILED', `${host} cannot be found (DNS): check the carrier's host name`, {
      details: [{ path: '/host', message: 'does not resolve to an IPv4 address' }],
    });
  }
}

/** SIP trunks (P4): carriers' addresses, credentials, and the caller ID they present. */
export class TrunksService implements CrudService<Scope, SipTrunk, CreateSipTrunkBody, UpdateSipTrunkBody> {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly status: () => TelephonyStatus = () => NO_TELEPHONY_STATUS,
    /** When this process runs SIP: reload its trunks before answering, so the change applies at once. */
    private readonly reload: () => Promise<void> = async () => {},
  ) {}

  async list({ workspaceId }: Scope): Promise<SipTrunk[]> {
    const rows = await this.db
      .selectFrom('sip_trunks')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    const status = this.status();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      host: r.host,
      port: r.port,
      transport: r.transport,
      username: r.username,
      hasPassword: r.password !== null,
      register: r.register,
      allowedSources: r.allowed_sources,
      callerId: r.caller_id,
      registration: r.register ? status.trunkRegistration(r.id) : { state: 'off', detail: null },
    }));
  }

  async get(scope: Scope, id: string): Promise<SipTrunk> {
    const found = (await this.list(scope)).find((t) => t.id === id);
    if (!found) throw notFound('Trunk');
    return found;
  }

  async create(scope: Scope, body: CreateSipTrunkBody): Promise<SipTrunk> {
    checkNetworks(body.allowedSources);
    await checkHost(body.host);
    this.checkRegistration(body.register ?? false, body.username ?? null, body.password ?? null);
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('sip_trunks')
          .values({
            workspace_id: scope.workspaceId,
            name: body.name.trim(),
            host: body.host,
            username: body.username ?? null,
            password: body.password ?? null,
            caller_id: body.callerId ?? null,
            ...(body.port !== undefined && { port: body.port }),
            ...(body.transport !== undefined && { transport: body.transport }),
            ...(body.register !== undefined && { register: body.register }),
            ...(body.allowedSources !== undefined && { allowed_sources: body.allowedSources }),
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      { unique: 'A trunk with that name exists' },
    );
    await this.changed(scope);
    return this.get(scope, row.id);
  }

  async update(scope: Scope, id: string, body: UpdateSipTrunkBody): Promise<SipTrunk> {
    checkNetworks(body.allowedSources);
    if (body.host !== undefined) await checkHost(body.host);
    const current = await this.db
      .selectFrom('sip_trunks')
      .select(['register', 'username', 'password'])
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw notFound('Trunk');
    this.checkRegistration(
      body.register ?? current.register,
      body.username !== undefined ? body.username : current.username,
      body.password !== undefined ? body.password : current.password,
    );
    const changes: Updateable<SipTrunksTable> = {
      ...(body.name !== undefined && { name: body.name.trim() }),
      ...(body.host !== undefined && { host: body.host }),
      ...(body.port !== undefined && { port: body.port }),
      ...(body.transport !== undefined && { transport: body.transport }),
      ...(body.username !== undefined && { username: body.username }),
      ...(body.password !== undefined && { password: body.password }),
      ...(body.register !== undefined && { register: body.register }),
      ...(body.allowedSources !== undefined && { allowed_sources: body.allowedSources }),
      ...(body.callerId !== undefined && { caller_id: body.callerId }),
    };
    await withConstraints(
      () =>
        this.db
          .updateTable('sip_trunks')
          .set(changes)
          .where('workspace_id', '=', scope.workspaceId)
          .where('id', '=', id)
          .execute(),
      { unique: 'A trunk with that name exists' },
    );
    await this.changed(scope);
    return this.get(scope, id);
  }

  async remove(scope: Scope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('sip_trunks')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Trunk');
    await this.changed(scope);
  }

  private checkRegistration(register: boolean, username: string | null, password: string | null): void {
    if (register && (!username || !password))
      throw new AppError('VALIDATION_FAILED', 'Registering needs the carrier’s username and password', {
        details: [{ path: '/register', message: 'needs username and password' }],
      });
  }

  private async changed(scope: Scope): Promise<void> {
    await this.reload();
    this.bus.publish({ type: 'telephony.changed', workspaceId: scope.workspaceId });
  }
}

/**
 * Desk phone extensions: each registers with its username and password (digest). Only
 * H(username:realm:password) is stored, which is what digest verification needs; the realm is
 * the platform's (SIP_REALM), so changing it means setting the passwords again. The registrar
 * reads accounts from the database at each REGISTER, so a change needs no event.
 */
export class ExtensionsService
  implements CrudService<Scope, SipExtension, CreateSipExtensionBody, UpdateSipExtensionBody>
{
  constructor(
    private readonly db: Db,
    private readonly realm: string,
    private readonly clock: Clock,
  ) {}

  async list({ workspaceId }: Scope): Promise<SipExtension[]> {
    const rows = await this.db
      .selectFrom('sip_extensions')
      .select(['id', 'extension', 'username', 'user_id', 'contact', 'registered_until'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('extension')
      .execute();
    const now = this.clock.now().getTime();
    return rows.map((r) => ({
      id: r.id,
      extension: r.extension,
      username: r.username,
      userId: r.user_id,
      registeredContact: r.registered_until && r.registered_until.getTime() > now ? r.contact : null,
    }));
  }

  async get(scope: Scope, id: string): Promise<SipExtension> {
    const found = (await this.list(scope)).find((e) => e.id === id);
    if (!found) throw notFound('Extension');
    return found;
  }

  async create(scope: Scope, body: CreateSipExtensionBody): Promise<SipExtension> {
    await this.checkUser(scope, body.userId);
    const row = await withConstraints(
      () =>
        this.db
          .insertInto('sip_extensions')
          .values({
            workspace_id: scope.workspaceId,
            extension: body.extension,
            username: body.username,
            ha1: ha1(body.username, this.realm, body.password),
            user_id: body.userId ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      { unique: 'That extension or username is already in use' },
    );
    return this.get(scope, row.id);
  }

  async update(scope: Scope, id: string, body: UpdateSipExtensionBody): Promise<SipExtension> {
    await this.checkUser(scope, body.userId);
    const current = await this.db
      .selectFrom('sip_extensions')
      .select('username')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw notFound('Extension');
    await withConstraints(
      () =>
        this.db
          .updateTable('sip_extensions')
          .set({
            ...(body.extension !== undefined && { extension: body.extension }),
            ...(body.password !== undefined && { ha1: ha1(current.username, this.realm, body.password) }),
            ...(body.userId !== undefined && { user_id: body.userId }),
          })
          .where('id', '=', id)
          .execute(),
      { unique: 'That extension is already in use' },
    );
    return this.get(scope, id);
  }

  async remove(scope: Scope, id: string): Promise<void> {
    const res = await this.db
      .deleteFrom('sip_extensions')
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw notFound('Extension');
  }

  private async checkUser(scope: Scope, userId: string | null | undefined): Promise<void> {
    if (!userId) return;
    const user = await this.db
      .selectFrom('users')
      .select('id')
      .where('id', '=', userId)
      .where('workspace_id', '=', scope.workspaceId)
      .executeTakeFirst();
    if (!user)
      throw new AppError('VALIDATION_FAILED', 'No such user in this workspace', {
        details: [{ path: '/userId', message: 'not a user of this workspace' }],
      });
  }
}
