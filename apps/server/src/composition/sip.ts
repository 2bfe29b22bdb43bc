import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { FailureCounts } from '../auth/failure-counts.js';
import type { Clock } from '../clock.js';
import { type Config, sipTcpLimits } from '../config.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events.js';
import type { MediaPool } from '../media/worker/media-pool.js';
import { DialogStore } from '../sip/dialog/dialog-store.js';
import { Dialogs } from '../sip/dialog/dialogs.js';
import { SipTransport } from '../sip/transport/sip-transport.js';
import { SipClient } from '../sip/uac/sip-client.js';
import { TrunkRegistrations } from '../sip/uac/trunk-registration.js';
import { InboundCalls, type SipCallControl } from '../sip/uas/inbound-calls.js';
import { Registrar } from '../sip/uas/registrar.js';
import { basicHandler, SipServer } from '../sip/uas/sip-server.js';
import { parseCidr, sourceGuard } from '../sip/uas/source-guard.js';
import { DbBindings } from '../telephony/phone-bindings.js';
import { phoneAccount, type TelephonyStatus } from '../telephony/telephony.service.js';
import { TrunkDirectory } from '../telephony/trunk-directory.js';
import { Outbound } from '../voice/outbound.js';

export interface SipRoleDeps {
  config: Config;
  db: Db;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  pool: MediaPool;
}

/** SIP for trunks and phones: up and listening, not yet answering calls until `serve`. */
export interface SipRole {
  port: number;
  /** Every call the platform places (call-me, IVR transfers). */
  outbound: Outbound;
  status: TelephonyStatus;
  reloadTrunks(): Promise<void>;
  /** From now on new INVITEs go to call control. */
  serve(control: SipCallControl): void;
  /** Shutting down: new INVITEs get 503. */
  drain(): void;
  /** Lets our BYEs be answered (at most `ms`), then closes the port. */
  close(ms: number): Promise<void>;
}

/**
 * The process's identity for its stored dialogs: the same host, address and port after a
 * restart. The port bound, not the setting: two processes on any free port (`SIP_PORT=0`) must
 * not take each other's calls for left-overs.
 */
function sipNode(config: Config, port: number): string {
  return `${hostname()}|${config.sipAddress}|${port}`;
}

export async function startSip(deps: SipRoleDeps): Promise<SipRole> {
  const { config, db, bus, clock, log, pool } = deps;
  const trusted = config.sipTrustedSources.map(parseCidr);
  const trunks = new TrunkDirectory(db, bus, trusted, (err) => log.error({ err }, 'trunks not reloaded'));
  // Connections from outside the trusted networks and trunks get the short idle time and the
  // small cap: a flood of idle connections cannot take the process's file descriptors.
  const transport = new SipTransport(config.sipAddress, {
    trusted: (address) => trunks.trusted(address),
    limits: sipTcpLimits(config),
  });
  // One per connection a flood opens: debug, or the log floods too.
  transport.on('dropped', ({ peer, code }) => log.debug({ peer, code }, 'SIP TCP connection closed'));
  const port = await transport.listen(config.sipPort);
  const mediaAddress = config.mediaAddresses[0] ?? '127.0.0.1';
  const client = new SipClient(transport, clock);
  // Dialogs report hang-ups and keys to call control, which is made after this role (it places
  // calls through it): until `serve`, there is none.
  let control: SipCallControl | undefined;
  const store = new DialogStore(db, sipNode(config, port), log);
  const dialogs = new Dialogs(
    transport,
    clock,
    client,
    mediaAddress,
    {
      customerHungUp: async (id) => control?.customerHungUp(id),
      digit: (id, key) => control?.digit(id, key),
    },
    store,
  );
  // A crash of the last run left these calls up: each gets our BYE (in the background). They
  // are read now, before this run stores any dialog of its own.
  const left = await store.left().catch(async (err) => {
    await transport.close();
    throw err;
  });
  void dialogs
    .endLeftOver(left)
    .then(() => {
      if (left.length) log.info({ dialogs: left.length }, 'SIP calls left up by the last run were hung up');
    })
    .catch((err) => log.warn({ err }, 'SIP calls left by the last run not hung up'));
  const registrar = new Registrar(
    config.sipRealm,
    clock,
    (username) => phoneAccount(db, username),
    new DbBindings(db),
    new FailureCounts(db, clock),
    // A phone registered over TCP is reached on that connection: its binding ends before the
    // transport would close the connection as quiet.
    (peer) => transport.quietLimitMs(peer),
  );
  const registrations = new TrunkRegistrations(client, transport, clock, mediaAddress, (err) =>
    log.warn({ err }, 'trunk registration failed'),
  );
  trunks.onChange((list) => registrations.sync(list));
  try {
    await trunks.reload();
  } catch (err) {
    trunks.stop();
    await transport.close();
    throw err;
  }
  const outbound = new Outbound({
    db,
    transport,
    dialogs,
    client,
    pool,
    clock,
    mediaAddress,
    plan: {
      defaultCountry: config.dialDefaultCountry,
      allowed: config.dialAllowedPrefixes,
      blocked: config.dialBlockedPrefixes,
      sipTrusted: (host) => trunks.trusted(host),
    },
    trunks,
    registrar,
    outboundProxy: config.sipOutboundProxy,
  });
  let inbound: InboundCalls | undefined;
  let draining = false;

  return {
    port,
    outbound,
    status: { trunkRegistration: (id) => registrations.state(id) },
    reloadTrunks: () => trunks.reload(),
    serve(callControl) {
      control = callControl;
      inbound = new InboundCalls(
        transport,
        pool,
        clock,
        mediaAddress,
        callControl,
        (address) => trunks.bySource(address),
        { client, dialogs },
      );
      if (draining) inbound.drain();
      const guarded = sourceGuard(
        {
          trusted: (address) => trunks.trusted(address),
          perSecond: config.sipInviteRate,
          burst: config.sipInviteRate * 2,
        },
        clock,
        registrar.handler(inbound.handler(basicHandler)),
      );
      new SipServer(transport, clock, guarded, (ack) => inbound?.ack(ack));
    },
    drain() {
      draining = true;
      inbound?.drain();
    },
    async close(ms) {
      registrations.stop();
      trunks.stop();
      // Left-over BYEs are settled like ours: a peer that never answers cannot hold the stop
      // past its bound (its row stays for the next start).
      await dialogs.settle(ms);
      await dialogs.flushStore();
      await transport.close();
    },
  };
}
