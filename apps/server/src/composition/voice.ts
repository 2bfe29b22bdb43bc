import type { FastifyBaseLogger } from 'fastify';
import type { AcdService } from '../agents/acd.service.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { DiallerService } from '../dialler/dialler.service.js';
import type { EventBus } from '../events.js';
import { LeadDesk } from '../leads/lead-desk.js';
import { LeadSelector } from '../leads/lead-selector.js';
import { LeadWork } from '../leads/lead-work.js';
import { MediaPool } from '../media/worker/media-pool.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { CallInService } from '../voice/call-in.service.js';
import { CallMeService } from '../voice/call-me.service.js';
import { CallsService } from '../voice/calls.service.js';
import { Playback } from '../voice/playback.js';
import { closeLeftRecordings } from '../voice/recordings-recovery.js';
import { WebConnectService } from '../voice/web-connect.service.js';
import { type SipRole, startSip } from './sip.js';

export interface VoiceRoleDeps {
  config: Config;
  db: Db;
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  acd: AcdService;
  notifications: NotificationsService;
}

/** Voice: media workers, agents' voice paths, call control and, when configured, SIP. */
export interface VoiceRole {
  webConnect: WebConnectService;
  calls: CallsService;
  callMe: CallMeService | undefined;
  sip: SipRole | undefined;
  /** Preview dialling: leads presented, dialled and wrapped. */
  leads: LeadWork;
  /** The agents' Lead Manager, Callbacks and Convert to Outbound. */
  desk: LeadDesk;
  /** Predictive dialling: calls placed ahead of agents, paced within the abandonment cap. */
  dialler: DiallerService;
  /**
   * Shutdown, in this order: no new calls (503 to INVITEs, the web phone refused); callers
   * told the service is closing; every call hung up with its recording and record closed as
   * ended by the system; agents' phone paths hung up; our BYEs answered; media workers stopped.
   */
  close(): Promise<void>;
}

/** How long our BYEs may take to be answered at shutdown before the SIP port closes. */
const BYE_SETTLE_MS = 2000;

export async function startVoice(deps: VoiceRoleDeps): Promise<VoiceRole> {
  const { config, db, bus, clock, log, acd, notifications } = deps;
  const pool = new MediaPool(config.mediaWorkers);
  let sip: SipRole | undefined;
  try {
    await closeLeftRecordings(db, config.dataDir, clock, log);
    const playback = new Playback(pool, clock);
    // Call control delivers calls onto agents' voice paths, and the paths report answers and
    // hang-ups back to it: the one cycle here, closed once both exist.
    let calls: CallsService | undefined;
    const webConnect = new WebConnectService(pool, acd, bus, log, config.mediaAddresses, () => {
      if (!calls) throw new Error('call control is not running yet');
      return calls;
    });
    if (config.sipPort !== undefined) sip = await startSip({ config, db, bus, clock, log, pool });
    const callMe = sip
      ? new CallMeService({ outbound: sip.outbound, webConnect, acd, notifications, log, playback })
      : undefined;
    calls = new CallsService(db, pool, acd, webConnect, bus, clock, log, {
      dataDir: config.dataDir,
      addresses: config.mediaAddresses,
      playback,
      callIn: new CallInService(db, playback, webConnect, clock, log),
      callMe,
      outbound: sip?.outbound,
      transferRingMs: config.transferRingSeconds * 1000,
      notifications,
    });
    await calls.start();
    sip?.serve(calls);
    const control = calls;
    // Preview dialling: leads presented to agents and dialled as calls they place; the agents'
    // Lead Manager, Callbacks and Convert to Outbound.
    const desk = new LeadDesk({ db, acd, bus, clock, notifications });
    const selector = new LeadSelector(db);
    const leads = new LeadWork({
      desk,
      db,
      acd,
      bus,
      clock,
      log,
      placed: calls.placed,
      selector,
      defaultCountry: config.dialDefaultCountry,
    });
    await leads.start();
    const dialler = new DiallerService({ db, acd, bus, clock, log, selector, calls: calls.predictive });
    await dialler.start();
    return {
      webConnect,
      calls: control,
      callMe,
      sip,
      leads,
      desk,
      dialler,
      async close() {
        leads.stop();
        await dialler.stop();
        sip?.drain();
        // stop() refuses new calls before it first waits (the web phone: VOICE_UNAVAILABLE).
        const ending = control.stop();
        log.info('new calls refused (SIP 503, web phone VOICE_UNAVAILABLE); ending the calls up');
        await ending;
        await dialler.settled();
        await webConnect.stop();
        await sip?.close(BYE_SETTLE_MS);
        await pool.stop();
      },
    };
  } catch (err) {
    // A failed start leaves nothing running: no SIP port, no media worker.
    await sip?.close(0).catch(() => undefined);
    await pool.stop();
    throw err;
  }
}
