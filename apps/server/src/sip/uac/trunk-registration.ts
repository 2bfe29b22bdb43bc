import { randomBytes } from 'node:crypto';
import type { TrunkRegistrationState } from '@parley/contract';
import type { Clock } from '../../clock.js';
import type { Trunk } from '../../telephony/trunk-directory.js';
import { parseNameAddr } from '../message/parse.js';
import { SipHeaders, type SipRequest } from '../message/sip-message.js';
import type { Peer, SipTransport } from '../transport/sip-transport.js';
import { authorizationFor } from './authorization.js';
import type { SipClient } from './sip-client.js';

/** Seconds asked of the carrier; refreshed at 80% of what it grants. */
const EXPIRES = 300;
const RETRY_MS = 60_000;

interface Registration {
  trunk: Trunk;
  callId: string;
  fromTag: string;
  cseq: number;
  state: TrunkRegistrationState;
  cancel: () => void;
}

/**
 * Keeps the platform registered with carriers whose trunks say so (RFC 3261 §10.2): REGISTER,
 * answer the digest challenge with the trunk's credentials, refresh before the granted time runs
 * out, and retry a minute after a failure. The state per trunk shows in the admin API.
 */
export class TrunkRegistrations {
  private readonly regs = new Map<string, Registration>();

  constructor(
    private readonly client: SipClient,
    private readonly transport: SipTransport,
    private readonly clock: Clock,
    private readonly localAddress: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  state(trunkId: string): TrunkRegistrationState {
    return this.regs.get(trunkId)?.state ?? { state: 'off', detail: null };
  }

  /** Follows the trunk list: new or changed trunks register, removed ones stop. */
  sync(trunks: readonly Trunk[]): void {
    const wanted = new Map(
      trunks.filter((t) => t.register && t.username && t.password).map((t) => [t.id, t]),
    );
    for (const [id, reg] of this.regs) {
      const next = wanted.get(id);
      if (next && JSON.stringify(next) === JSON.stringify(reg.trunk)) {
        wanted.delete(id);
        continue;
      }
      reg.cancel();
      this.regs.delete(id);
    }
    for (const trunk of wanted.values()) {
      const reg: Registration = {
        trunk,
        callId: `${randomBytes(10).toString('hex')}@${this.localAddress}`,
        fromTag: randomBytes(6).toString('hex'),
        cseq: 1,
        state: { state: 'registering', detail: null },
        cancel: () => {},
      };
      this.regs.set(trunk.id, reg);
      this.attempt(reg);
    }
  }

  stop(): void {
    for (const reg of this.regs.values()) reg.cancel();
    this.regs.clear();
  }

  private attempt(reg: Registration): void {
    this.register(reg).catch((err) => {
      this.onError(err);
      this.settle(reg, { state: 'failed', detail: (err as Error).message }, RETRY_MS);
    });
  }

  private async register(reg: Registration): Promise<void> {
    const t = reg.trunk;
    if (!t.address) {
      this.settle(reg, { state: 'failed', detail: `${t.host} cannot be found (DNS)` }, RETRY_MS);
      return;
    }
    const peer: Peer = { transport: t.transport, address: t.address, port: t.port };
    let request = this.request(reg, peer);
    let response = await this.client.send(request, peer);
    if (response.status === 401 || response.status === 407) {
      const auth = authorizationFor(response, request, t);
      if (auth) {
        request = this.request(reg, peer, auth);
        response = await this.client.send(request, peer);
      }
    }
    if (this.regs.get(t.id) !== reg) return; // replaced or stopped meanwhile
    if (response.status >= 200 && response.status < 300) {
      const contact = response.headers.get('Contact');
      const granted = Number(
        (contact ? parseNameAddr(contact).params.expires : undefined) ??
          response.headers.get('Expires') ??
          EXPIRES,
      );
      const seconds = Number.isFinite(granted) && granted > 0 ? granted : EXPIRES;
      this.settle(
        reg,
        { state: 'registered', detail: `${response.status} ${response.reason}` },
        seconds * 800,
      );
    } else {
      this.settle(reg, { state: 'failed', detail: `${response.status} ${response.reason}` }, RETRY_MS);
    }
  }

  private settle(reg: Registration, state: TrunkRegistrationState, nextInMs: number): void {
    if (this.regs.get(reg.trunk.id) !== reg) return;
    reg.state = state;
    reg.cancel = this.clock.setTimer(nextInMs, () => this.attempt(reg));
  }

  private request(reg: Registration, peer: Peer, auth?: [string, string]): SipRequest {
    const t = reg.trunk;
    const aor = `<sip:${t.username}@${t.host}>`;
    const headers = new SipHeaders();
    headers.append('Via', this.client.via(peer, this.localAddress));
    headers.append('Max-Forwards', '70');
    headers.append('From', `${aor};tag=${reg.fromTag}`);
    headers.append('To', aor);
    headers.append('Call-ID', reg.callId);
    headers.append('CSeq', `${reg.cseq++} REGISTER`);
    headers.append(
      'Contact',
      `<sip:${t.username}@${this.localAddress}:${this.transport.port};transport=${peer.transport}>`,
    );
    headers.append('Expires', String(EXPIRES));
    if (auth) headers.append(auth[0], auth[1]);
    headers.append('Content-Length', '0');
    const uri = `sip:${t.host}:${t.port}`;
    return { kind: 'request', method: 'REGISTER', uri, version: 'SIP/2.0', headers, body: new Uint8Array() };
  }
}
