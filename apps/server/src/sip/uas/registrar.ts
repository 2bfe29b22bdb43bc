import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FailureCounts } from '../../auth/failure-counts.js';
import type { Clock } from '../../clock.js';
import { createChallenge, DigestError, parseAuthorization, verifyDigest } from '../auth/digest.js';
import { parseNameAddr } from '../message/parse.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import type { Peer } from '../transport/sip-transport.js';
import { buildResponse, type RequestHandler } from './sip-server.js';

/** A desk phone's account, as the registrar needs it. */
export interface PhoneAccount {
  workspaceId: string;
  extension: string;
  /** H(username:realm:password), MD5. */
  ha1: string;
}

export interface Binding {
  username: string;
  workspaceId: string;
  extension: string;
  /** Where to send requests to the phone: its Contact, reached the way its REGISTER came. */
  contact: string;
  peer: Peer;
  expiresAt: number;
}

/**
 * Where bindings are kept: in the database (`telephony/phone-bindings.ts`), so they outlive a
 * restart and every SIP process sees them.
 */
export interface BindingStore {
  /** Binds `username` (or, with undefined, removes its binding). */
  put(username: string, binding: Binding | undefined): Promise<void>;
  get(username: string): Promise<Binding | undefined>;
  find(workspaceId: string, extension: string): Promise<Binding | undefined>;
}

/**
 * Wrong answers counted per key: `auth/failure-counts.ts`, shared with sign-in and call-in. An
 * answer is reserved before it is checked, so a burst of REGISTERs cannot outrun the count.
 */
export type FailureLimiter = Pick<FailureCounts, 'reserve'>;

/**
 * How long the connection a request came on may stay quiet before the transport closes it
 * (`SipTransport.quietLimitMs`); undefined over UDP.
 */
export type QuietLimit = (peer: Peer) => number | undefined;

export const REGISTRAR_LIMITS = {
  /** Wrong credentials from one source for one username before it is locked out. */
  failures: 5,
  windowMs: 15 * 60_000,
  /** A nonce is good this long; after that the phone is told "stale" and tries again. */
  nonceMs: 5 * 60_000,
  minExpires: 60,
  maxExpires: 3600,
  /**
   * Over TCP a phone is reached on the connection it registered on, so a binding there is granted
   * at most this share of the connection's quiet limit: the refresh comes before it is closed.
   */
  flowShare: 0.8,
};

/** `Supported: outbound`, or the `ob` parameter of the Contact URI (RFC 5626 §4.2, §5.4). */
function supportsOutbound(request: SipRequest, contactUri: string): boolean {
  const tags = request.headers
    .getAll('Supported')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase());
  return tags.includes('outbound') || /;ob(?=[;?>]|$)/i.test(contactUri);
}

/**
 * The registrar for agents' desk phones (RFC 3261 §10.3): a REGISTER without credentials gets a
 * digest challenge (401); the answer is checked against the stored H(A1); wrong answers are
 * counted per source and username, and a lock-out follows repeated failures (403 without a
 * challenge). A good REGISTER binds the phone's Contact for the granted time; Expires 0 removes it.
 * Over TCP the time granted is below the connection's quiet limit, and a phone that supports
 * outbound (RFC 5626) is told in `Flow-Timer` how often to send keep-alive pings.
 * Nonces are stateless (time and an HMAC), so no per-challenge memory grows with a flood.
 */
export class Registrar {
  private readonly secret = randomBytes(32);

  constructor(
    private readonly realm: string,
    private readonly clock: Clock,
    private readonly accounts: (username: string) => Promise<PhoneAccount | undefined>,
    private readonly bindings: BindingStore,
    private readonly failures: FailureLimiter,
    private readonly quietLimit: QuietLimit,
  ) {}

  handler(next: RequestHandler): RequestHandler {
    return (request, peer) =>
      request.method === 'REGISTER' ? this.register(request, peer) : next(request, peer);
  }

  /** The live binding of a workspace's extension, if its phone is registered. */
  async lookup(workspaceId: string, extension: string): Promise<Binding | undefined> {
    return this.live(await this.bindings.find(workspaceId, extension));
  }

  private live(b: Binding | undefined): Binding | undefined {
    return b && b.expiresAt > this.clock.now().getTime() ? b : undefined;
  }

  private async register(request: SipRequest, peer: Peer): Promise<SipResponse> {
    const auth = request.headers.get('Authorization');
    if (!auth) return this.challenge(request, false);
    let creds: ReturnType<typeof parseAuthorization>;
    try {
      creds = parseAuthorization(auth);
    } catch (err) {
      if (err instanceof DigestError) return buildResponse(request, 400, 'Bad Authorization Header');
      throw err;
    }
    const { failures, windowMs } = REGISTRAR_LIMITS;
    const reservation = await this.failures.reserve([
      {
        key: `register:${peer.address}|${creds.username}`,
        windowMs,
        blockFor: (n) => (n >= failures ? windowMs : 0),
      },
    ]);
    if (!reservation.granted) return buildResponse(request, 403, 'Forbidden (too many failed attempts)');
    const { attempt } = reservation;
    try {
      const account = await this.accounts(creds.username);
      const verdict = account
        ? verifyDigest(creds, {
            method: 'REGISTER',
            ha1: account.ha1,
            expectedRealm: this.realm,
            isNonceValid: (n) => this.nonceValid(n),
          })
        : 'bad';
      if (verdict === 'stale') return this.challenge(request, true);
      if (verdict === 'bad' || !account) {
        await attempt.failed();
        return buildResponse(request, 403, 'Forbidden');
      }
      await attempt.succeeded();
      return this.bind(request, peer, creds.username, account);
    } finally {
      await attempt.release(); // nothing once settled; a stale nonce or an error is not counted
    }
  }

  private async bind(
    request: SipRequest,
    peer: Peer,
    username: string,
    account: PhoneAccount,
  ): Promise<SipResponse> {
    const contactHeader = request.headers.get('Contact');
    const headerExpires = Number(request.headers.get('Expires') ?? 3600);
    if (!contactHeader) {
      // A query: what is bound now.
      const b = this.live(await this.bindings.get(username));
      const extra: [string, string][] = b ? [['Contact', this.contactValue(b)]] : [];
      return buildResponse(request, 200, 'OK', extra);
    }
    if (contactHeader.trim() === '*') {
      await this.bindings.put(username, undefined);
      return buildResponse(request, 200, 'OK');
    }
    let contact: ReturnType<typeof parseNameAddr>;
    try {
      contact = parseNameAddr(contactHeader);
    } catch {
      return buildResponse(request, 400, 'Bad Contact');
    }
    const asked = Number(contact.params.expires ?? headerExpires);
    if (!Number.isFinite(asked) || asked < 0) return buildResponse(request, 400, 'Bad Expires');
    if (asked === 0) {
      await this.bindings.put(username, undefined);
      return buildResponse(request, 200, 'OK');
    }
    if (asked < REGISTRAR_LIMITS.minExpires)
      return buildResponse(request, 423, 'Interval Too Brief', [
        ['Min-Expires', String(REGISTRAR_LIMITS.minExpires)],
      ]);
    const flow = this.flowSeconds(peer);
    const granted = Math.min(asked, REGISTRAR_LIMITS.maxExpires, flow ?? Number.POSITIVE_INFINITY);
    const binding: Binding = {
      username,
      workspaceId: account.workspaceId,
      extension: account.extension,
      contact: contact.uri,
      peer: { ...peer },
      expiresAt: this.clock.now().getTime() + granted * 1000,
    };
    await this.bindings.put(username, binding);
    const extra: [string, string][] = [['Contact', this.contactValue(binding)]];
    if (flow !== undefined && supportsOutbound(request, contact.uri))
      extra.push(['Flow-Timer', String(flow)]);
    return buildResponse(request, 200, 'OK', extra);
  }

  /** Seconds a binding over this connection may last, and its keep-alive interval; none over UDP. */
  private flowSeconds(peer: Peer): number | undefined {
    const quietMs = this.quietLimit(peer);
    if (quietMs === undefined) return undefined;
    return Math.max(1, Math.floor((quietMs * REGISTRAR_LIMITS.flowShare) / 1000));
  }

  private contactValue(b: Binding): string {
    const left = Math.max(0, Math.round((b.expiresAt - this.clock.now().getTime()) / 1000));
    return `<${b.contact}>;expires=${left}`;
  }

  private challenge(request: SipRequest, stale: boolean): SipResponse {
    const { header } = createChallenge({ realm: this.realm, nonce: this.nonce(), stale });
    return buildResponse(request, 401, 'Unauthorized', [['WWW-Authenticate', header]]);
  }

  private nonce(): string {
    const at = this.clock.now().getTime().toString(36);
    return `${at}.${this.sign(at)}`;
  }

  private nonceValid(nonce: string): boolean {
    const [at = '', mac = ''] = nonce.split('.');
    const expected = Buffer.from(this.sign(at));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    const age = this.clock.now().getTime() - Number.parseInt(at, 36);
    return age >= 0 && age < REGISTRAR_LIMITS.nonceMs;
  }

  private sign(at: string): string {
    return createHmac('sha256', this.secret).update(at).digest('base64url').slice(0, 22);
  }
}
