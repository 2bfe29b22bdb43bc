import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { SipTrunksTable } from '../db/schema.js';
import type { EventBus } from '../events.js';
import { type Cidr, inNetworks, parseCidr } from '../sip/uas/source-guard.js';

export interface Trunk {
  id: string;
  workspaceId: string;
  name: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  username: string | null;
  password: string | null;
  register: boolean;
  allowedSources: Cidr[];
  callerId: string | null;
}

function toTrunk(r: Selectable<SipTrunksTable>): Trunk {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    host: r.host,
    port: r.port,
    transport: r.transport,
    username: r.username,
    password: r.password,
    register: r.register,
    // The carrier's own address is always one its calls may come from.
    allowedSources: [...r.allowed_sources.map(parseCidr), parseCidr(r.host)],
    callerId: r.caller_id,
  };
}

/**
 * The SIP trunks of every workspace, held in memory for the SIP side: whether an INVITE's source
 * is a carrier (and whose), and which trunk a workspace's calls go out by. Reloaded whenever an
 * administrator changes trunks (`telephony.changed`).
 */
export class TrunkDirectory {
  private trunks: Trunk[] = [];
  private readonly listeners: ((trunks: Trunk[]) => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Db,
    bus: EventBus,
    /** Networks trusted by configuration (SIP_TRUSTED_SOURCES): the office, a known SBC. */
    private readonly configured: Cidr[],
    onError: (err: unknown) => void,
  ) {
    // Changes saved by another process (an API-only node) arrive as events.
    this.unsubscribe = bus.subscribe((e) => {
      if (e.type === 'telephony.changed') this.reload().catch(onError);
    });
  }

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('sip_trunks').selectAll().orderBy('created_at').execute();
    this.trunks = rows.map(toTrunk);
    for (const l of this.listeners) l(this.trunks);
  }

  /** Told of every reload (trunk registrations follow the list). */
  onChange(listener: (trunks: Trunk[]) => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    this.unsubscribe();
  }

  get all(): readonly Trunk[] {
    return this.trunks;
  }

  /** May this address start calls or register: a configured network or a carrier's address. */
  trusted(address: string): boolean {
    return inNetworks(address, this.configured) || this.bySource(address) !== undefined;
  }

  /** The trunk whose carrier sends from `address`, if any. */
  bySource(address: string): Trunk | undefined {
    return this.trunks.find((t) => inNetworks(address, t.allowedSources));
  }

  /**
   * The trunk a workspace's outbound calls use (its first one), read from the database so that a
   * change an administrator just saved applies to the very next call.
   */
  async outbound(workspaceId: string): Promise<Trunk | undefined> {
    const row = await this.db
      .selectFrom('sip_trunks')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .executeTakeFirst();
    return row && toTrunk(row);
  }
}
