import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { SipTrunksTable } from '../db/schema.js';
import type { EventBus } from '../events.js';
import { type Cidr, inNetworks, parseCidr } from '../sip/uas/source-guard.js';
import { resolveTrunkHost } from './trunk-hosts.js';

const HOST_REFRESH_MS = 5 * 60_000;

export interface Trunk {
  id: string;
  workspaceId: string;
  name: string;
  /** As the administrator gave it: an IPv4 address or a host name (used in SIP URIs). */
  host: string;
  /** Where requests go: the host's first IPv4 address ('' when its name does not resolve). */
  address: string;
  port: number;
  transport: 'udp' | 'tcp';
  username: string | null;
  password: string | null;
  register: boolean;
  allowedSources: Cidr[];
  callerId: string | null;
}

/** `addresses`: what the trunk's host resolved to (the host itself when it is an address). */
function toTrunk(r: Selectable<SipTrunksTable>, addresses: string[]): Trunk {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    host: r.host,
    address: addresses[0] ?? '',
    port: r.port,
    transport: r.transport,
    username: r.username,
    password: r.password,
    register: r.register,
    // The carrier's own addresses are always ones its calls may come from.
    allowedSources: [...r.allowed_sources, ...addresses].map(parseCidr),
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
  /** Host names' addresses as last resolved: kept when a later lookup fails. */
  private readonly resolved = new Map<string, string[]>();
  private readonly listeners: ((trunks: Trunk[]) => void)[] = [];
  private readonly unsubscribe: () => void;
  private readonly refresh: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    bus: EventBus,
    /** Networks trusted by configuration (SIP_TRUSTED_SOURCES): the office, a known SBC. */
    private readonly configured: Cidr[],
    private readonly onError: (err: unknown) => void,
  ) {
    // Changes saved by another process (an API-only node) arrive as events.
    this.unsubscribe = bus.subscribe((e) => {
      if (e.type === 'telephony.changed') this.reload().catch(onError);
    });
    // Carriers move their addresses now and then: host names are looked up again.
    this.refresh = setInterval(() => this.reload().catch(onError), HOST_REFRESH_MS);
    this.refresh.unref();
  }

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('sip_trunks').selectAll().orderBy('created_at').execute();
    this.trunks = await Promise.all(rows.map(async (r) => toTrunk(r, await this.addresses(r.host))));
    for (const l of this.listeners) l(this.trunks);
  }

  /** Told of every reload (trunk registrations follow the list). */
  onChange(listener: (trunks: Trunk[]) => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    this.unsubscribe();
    clearInterval(this.refresh);
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
    // A host name was looked up by the last reload (on every change, and every 5 minutes): a
    // call does not wait for DNS.
    return row && toTrunk(row, this.resolved.get(row.host) ?? (await this.addresses(row.host)));
  }

  /** The host's addresses: looked up now, or as last known if the lookup fails. */
  private async addresses(host: string): Promise<string[]> {
    try {
      const addresses = await resolveTrunkHost(host);
      this.resolved.set(host, addresses);
      return addresses;
    } catch (err) {
      this.onError(err);
      return this.resolved.get(host) ?? [];
    }
  }
}
