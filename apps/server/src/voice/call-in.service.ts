import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { type Attempt, FailureCounts, type FailureLimit } from '../auth/failure-counts.js';
import { verifySecret } from '../auth/password.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { DigitCollector } from '../ivr/digit-collector.js';
import type { MediaWorker } from '../media/worker/media-worker-client.js';
import type { Caller, CallIn } from './calls.service.js';
import { FIRST_PROMPT_WAIT_MS, type Playback } from './playback.js';
import type { WebConnectService } from './web-connect.service.js';

interface Session {
  caller: Caller;
  workspaceId: string;
  worker: MediaWorker;
  endpointId: string;
  from: string;
  keys: DigitCollector;
  /** Set once the agent is identified: the leg is their voice path from then on. */
  userId: string | undefined;
  /** The question being asked now (a key cuts it short). */
  asking: string | undefined;
}

/**
 * Wrong entries per agent ID or per calling number (within the window of the first) before that
 * key is locked out for lockMs. Counted in the database, so every SIP process and a restart
 * see the same counts.
 */
export const CALL_IN_LOCK = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** What one PIN entry is counted against: the agent ID (first), and the calling number. */
/**
 * The agent ID keyed in, as the number stored (`users.agent_id`, a positive 32-bit integer), or
 * undefined for anything no agent can have: too long (keys repeated on a bad line), zero.
 */
export function parseAgentId(keys: string): number | undefined {
  if (!/^\d{1,10}$/.test(keys)) return undefined;
  const n = Number(keys);
  return n >= 1 && n <= 2_147_483_647 ? n : undefined;
}

export function callInLimits(workspaceId: string, agentId: string, from: string): FailureLimit[] {
  const { failures, windowMs, lockMs } = CALL_IN_LOCK;
  const blockFor = (n: number) => (n >= failures ? lockMs : 0);
  return [
    { key: `call-in:id:${workspaceId}:${agentId}`, windowMs, blockFor },
    { key: `call-in:from:${from}`, windowMs, blockFor },
  ];
}

const ATTEMPTS_PER_CALL = 3;
const ENTRY = { terminator: '#', firstDigitSeconds: 10, interDigitSeconds: 5 };

/**
 * "Call in to connect" (B1): an agent rings a dial-in number from any phone, keys in their agent
 * ID and PIN (the verification PIN the toolbar shows, or their own), and the call becomes their
 * persistent voice path. Three tries per call, then the call ends; repeated failures for one
 * agent ID or from one number are locked out for 15 minutes.
 */
export class CallInService implements CallIn {
  private readonly sessions = new Map<string, Session>();
  private readonly failures: FailureCounts;

  constructor(
    private readonly db: Db,
    private readonly playback: Playback,
    private readonly webConnect: WebConnectService,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {
    this.failures = new FailureCounts(db, clock);
  }

  start(
    caller: Caller,
    workspaceId: string,
    leg: { worker: MediaWorker; endpointId: string },
    from: string,
  ): void {
    const session: Session = {
      caller,
      workspaceId,
      ...leg,
      from,
      keys: new DigitCollector(this.clock),
      userId: undefined,
      asking: undefined,
    };
    this.sessions.set(leg.endpointId, session);
    this.login(session).then(
      () =>
        this.log.info(
          { ref: leg.endpointId, from, identified: Boolean(session.userId) },
          'call-in login over',
        ),
      (err) => {
        // The phone hung up mid-prompt: its leg is gone, and a prompt on it fails. Nothing wrong.
        if (session.keys.isAborted || (err as { code?: string }).code === 'MEDIA_NOT_FOUND') {
          this.log.info(
            { ref: leg.endpointId, from, identified: false, hungUp: (err as Error).message },
            'call-in login over',
          );
          void this.end(session);
          return;
        }
        this.log.error({ err }, 'call-in failed');
        void this.end(session);
      },
    );
  }

  digit(endpointId: string, digit: string): void {
    const s = this.sessions.get(endpointId);
    if (!s) return;
    s.keys.push(digit);
    // The media stops a prompt on keys it hears itself; a key by SIP INFO must stop it here.
    if (s.asking) void s.worker.call('stopPlayback', { playbackId: s.asking }).catch(() => undefined);
  }

  hungUp(endpointId: string): boolean {
    const session = this.sessions.get(endpointId);
    if (!session) return false;
    this.sessions.delete(endpointId);
    session.keys.abort();
    if (session.userId) void this.webConnect.phoneGone(session.userId, endpointId);
    void session.worker.call('destroy', { id: endpointId }).catch(() => undefined);
    return true;
  }

  private async login(s: Session): Promise<void> {
    await this.playback.untilHeard(s.endpointId, FIRST_PROMPT_WAIT_MS);
    for (let attempt = 0; attempt < ATTEMPTS_PER_CALL && !s.keys.isAborted; attempt++) {
      const agentId = await this.ask(s, 'agent-id', 10);
      const pin = await this.ask(s, 'agent-pin', 12);
      if (s.keys.isAborted) return;
      const userId = await this.verify(s, agentId, pin);
      if (userId) {
        s.userId = userId;
        await this.say(s, 'prompts/agent-connected', { limitMs: 10_000 });
        if (s.keys.isAborted) return;
        await this.webConnect.attachPhone(
          userId,
          s.workspaceId,
          { endpointId: s.endpointId, worker: s.worker },
          () => void this.end(s, 'your voice connection ended'),
        );
        return;
      }
      await this.say(s, 'prompts/agent-login-failed', { limitMs: 10_000 });
    }
    await this.end(s);
  }

  /** A question and its answer; keys pressed ahead answer it without the prompt. */
  private async ask(s: Session, prompt: string, maxDigits: number): Promise<string> {
    if (s.keys.pending === 0) {
      s.asking = `ask-${randomUUID()}`;
      try {
        await this.say(s, `prompts/${prompt}`, { stopOnDtmf: true, limitMs: 15_000, id: s.asking });
      } finally {
        s.asking = undefined;
      }
    }
    return s.keys.collect({ maxDigits, ...ENTRY });
  }

  /** The agent's user id if the ID and PIN match (and neither key is locked out). */
  private async verify(s: Session, agentId: string, pin: string): Promise<string | undefined> {
    const limits = callInLimits(s.workspaceId, agentId, s.from);
    const reservation = await this.failures.reserve(limits);
    if (!reservation.granted) {
      this.log.warn({ agentId, from: s.from }, 'call-in locked out');
      return undefined;
    }
    try {
      return await this.check(s, agentId, pin, reservation.attempt, limits[0]?.key ?? '');
    } finally {
      await reservation.attempt.release(); // nothing once settled; gives the try back on an error
    }
  }

  /** Checks the ID and PIN of a reserved attempt, and settles it. */
  private async check(
    s: Session,
    agentId: string,
    pin: string,
    attempt: Attempt,
    idKey: string,
  ): Promise<string | undefined> {
    const agentNumber = parseAgentId(agentId);
    const user = agentNumber
      ? await this.db
          .selectFrom('users')
          .leftJoin('call_in_pins', 'call_in_pins.user_id', 'users.id')
          .select([
            'users.id',
            'users.pin_hash',
            'call_in_pins.pin_hash as session_pin',
            'call_in_pins.expires_at',
          ])
          .where('users.workspace_id', '=', s.workspaceId)
          .where('users.agent_id', '=', agentNumber)
          .where('users.disabled', '=', false)
          .executeTakeFirst()
      : undefined;
    const now = this.clock.now();
    const sessionPin =
      user?.session_pin && user.expires_at && user.expires_at > now ? user.session_pin : null;
    const ok =
      !!user &&
      pin.length > 0 &&
      ((await verifySecret(sessionPin, pin)) || (await verifySecret(user.pin_hash, pin)));
    if (!ok || !user) {
      await attempt.failed();
      return undefined;
    }
    if (sessionPin) await this.db.deleteFrom('call_in_pins').where('user_id', '=', user.id).execute();
    // The agent ID's count is forgiven; the calling number's stays (as sign-in keeps a source's).
    await attempt.succeeded([idKey]);
    return user.id;
  }

  /**
   * A prompt to the phone, unless it has hung up: its leg is destroyed then, and a prompt sent to
   * it would fail (the login goes on to its end without playing anything more).
   */
  private async say(s: Session, name: string, options: Parameters<Playback['playAndWait']>[3]) {
    if (s.keys.isAborted) return;
    await this.playback.playAndWait(s.worker, s.endpointId, name, options);
  }

  private async end(s: Session, reason = 'not identified'): Promise<void> {
    if (!this.sessions.delete(s.endpointId)) return;
    s.keys.abort();
    s.caller.send({ type: 'state', state: 'ended', reason });
    await s.worker.call('destroy', { id: s.endpointId }).catch(() => undefined);
  }
}
