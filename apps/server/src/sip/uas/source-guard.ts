import type { Clock } from '../../clock.js';
import type { RequestHandler } from './sip-server.js';
import { buildResponse } from './sip-server.js';

/** An IPv4 network, "10.0.0.0/8" or a single address. */
export interface Cidr {
  base: number;
  mask: number;
}

function ipv4(address: string): number | undefined {
  const parts = address.replace(/^::ffff:/, '').split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}

export function parseCidr(text: string): Cidr {
  const [address = '', bits = '32'] = text.trim().split('/');
  const base = ipv4(address);
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
    throw new Error(`"${text}" is not an IPv4 address or network`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (base & mask) >>> 0, mask };
}

export function inNetworks(address: string, networks: Cidr[]): boolean {
  const a = ipv4(address);
  return a !== undefined && networks.some((n) => (a & n.mask) >>> 0 === n.base);
}

export interface SourcePolicy {
  /** Where INVITEs and REGISTERs may come from (trunks, the office's phones). */
  trusted: (address: string) => boolean;
  /** New dialogs one source may start per second, and the burst it may save up. */
  perSecond: number;
  burst: number;
}

/**
 * The toll-fraud and flood guard in front of call handling: INVITE and REGISTER from an address
 * outside the trusted networks get 403, and one source starting dialogs faster than its allowance
 * gets 503 with Retry-After (a token bucket per address). Requests within dialogs pass.
 */
export function sourceGuard(policy: SourcePolicy, clock: Clock, next: RequestHandler): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (request, peer) => {
    if (request.method !== 'INVITE' && request.method !== 'REGISTER') return next(request, peer);
    if (!policy.trusted(peer.address)) return buildResponse(request, 403, 'Forbidden');
    if (request.method === 'INVITE' && !/;\s*tag=/i.test(request.headers.get('To') ?? '')) {
      const now = clock.now().getTime();
      const b = buckets.get(peer.address) ?? { tokens: policy.burst, at: now };
      b.tokens = Math.min(policy.burst, b.tokens + ((now - b.at) / 1000) * policy.perSecond);
      b.at = now;
      buckets.set(peer.address, b);
      if (b.tokens < 1) return buildResponse(request, 503, 'Service Unavailable', [['Retry-After', '1']]);
      b.tokens -= 1;
      if (buckets.size > 10_000) buckets.clear(); // an address flood must not grow memory for ever
    }
    return next(request, peer);
  };
}
