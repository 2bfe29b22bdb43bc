/**
 * G.711 SDP offer/answer (RFC 3264) for plain RTP legs: SIP phones and carriers.
 * Remote SDP is hostile input: every failure while reading it is an SdpError with a stable code.
 */
import { isIP } from 'node:net';
import { type MediaDescription, parse, type SessionDescription, write } from 'sdp-transform';
import { SdpError } from './sdp-error.js';

export { SdpError, type SdpErrorCode } from './sdp-error.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export type G711 = 'PCMU' | 'PCMA';

export interface RemoteAudio {
  address: string;
  port: number;
  payloadType: 0 | 8;
  codec: G711;
  dtmfPayloadType?: number;
  ptime?: number;
  /** The direction as declared by the remote side (c=0.0.0.0 counts as inactive). */
  direction: Direction;
}

export interface LocalMedia {
  address: string;
  port: number;
  sessionId?: string;
  version?: number;
  direction?: Direction;
}

export interface OfferOptions extends LocalMedia {
  codecs?: G711[];
  dtmfPayloadType?: number;
  ptime?: 20;
}

const MAX_SDP_LENGTH = 65_536;
const PLAIN_PROTOCOLS = new Set(['RTP/AVP', 'RTP/AVPF']);
const STATIC_PT: Record<G711, 0 | 8> = { PCMU: 0, PCMA: 8 };
const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

export function createOffer(o: OfferOptions): string {
  const codecs = o.codecs ?? ['PCMU', 'PCMA'];
  const dtmf = o.dtmfPayloadType ?? 101;
  if (codecs.length === 0) throw new RangeError('createOffer: at least one codec is required');
  if (!Number.isInteger(dtmf) || dtmf < 96 || dtmf > 127) {
    throw new RangeError('createOffer: dtmfPayloadType must be a dynamic payload type (96-127)');
  }
  const pts = [...new Set(codecs.map((c) => STATIC_PT[c]))];
  const media: MediaDescription = {
    ...audioMedia(o.port, [...pts, dtmf], o.direction ?? 'sendrecv', o.ptime ?? 20),
    rtp: [
      ...pts.map((pt) => ({ payload: pt, codec: pt === 0 ? 'PCMU' : 'PCMA', rate: 8000 })),
      { payload: dtmf, codec: 'telephone-event', rate: 8000 },
    ],
    fmtp: [{ payload: dtmf, config: '0-16' }],
  };
  return write(session(o, [media]));
}

/** Reads the first usable audio stream of a remote SDP (offer or answer). */
export function parseRemoteAudio(sdp: string): RemoteAudio {
  return guarded(() => selectAudio(parseSdp(sdp)).remote);
}

export function createAnswer(offer: string, local: LocalMedia): { sdp: string; remote: RemoteAudio } {
  return guarded(() => {
    const parsed = parseSdp(offer);
    const { index, remote } = selectAudio(parsed);
    const answerDirection = answerDirectionFor(remote.direction, local.direction ?? 'sendrecv');
    const media = parsed.media.map((m, i): MediaDescription => {
      if (i !== index) {
        // RFC 3264 §6: same number of m-lines, the ones we do not take are rejected with port 0.
        const fmt = firstPayload(m.payloads) ?? '0';
        return {
          type: str(m.type) || 'audio',
          port: 0,
          protocol: str(m.protocol) || 'RTP/AVP',
          payloads: fmt,
          rtp: [],
          fmtp: [],
        };
      }
      const pts =
        remote.dtmfPayloadType === undefined
          ? [remote.payloadType]
          : [remote.payloadType, remote.dtmfPayloadType];
      const rtp: MediaDescription['rtp'] = [{ payload: remote.payloadType, codec: remote.codec, rate: 8000 }];
      const fmtp: MediaDescription['fmtp'] = [];
      if (remote.dtmfPayloadType !== undefined) {
        rtp.push({ payload: remote.dtmfPayloadType, codec: 'telephone-event', rate: 8000 });
        fmtp.push({ payload: remote.dtmfPayloadType, config: '0-16' });
      }
      return { ...audioMedia(local.port, pts, answerDirection, 20), rtp, fmtp };
    });
    return { sdp: write(session(local, media)), remote };
  });
}

/** A re-INVITE body from our previous local SDP: o= version + 1, audio sendonly (hold) or sendrecv (resume). */
export function holdOffer(previousLocalSdp: string, hold: boolean): string {
  return guarded(() => {
    const parsed = parseSdp(previousLocalSdp);
    const origin = parsed.origin as Partial<SessionDescription['origin']> | undefined;
    const version = origin?.sessionVersion;
    if (!origin || typeof version !== 'number' || !Number.isSafeInteger(version)) {
      throw new SdpError('UNPARSABLE', 'previous SDP has no usable o= line');
    }
    parsed.origin = { ...(origin as SessionDescription['origin']), sessionVersion: version + 1 };
    parsed.direction = undefined;
    let audio = 0;
    for (const m of parsed.media) {
      if (m.type === 'audio' && m.port !== 0) {
        m.direction = hold ? 'sendonly' : 'sendrecv';
        audio++;
      }
    }
    if (audio === 0) throw new SdpError('NO_AUDIO', 'previous SDP has no active audio stream');
    return write(parsed);
  });
}

function answerDirectionFor(remote: Direction, local: Direction): Direction {
  const send = canSend(local) && canRecv(remote);
  const recv = canRecv(local) && canSend(remote);
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}
const canSend = (d: Direction) => d === 'sendrecv' || d === 'sendonly';
const canRecv = (d: Direction) => d === 'sendrecv' || d === 'recvonly';

function session(o: LocalMedia, media: MediaDescription[]): SessionDescription {
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65_535)
    throw new RangeError(`bad local RTP port ${o.port}`);
  if (!isIP(o.address)) throw new RangeError(`bad local address ${o.address}`);
  const ipVer = isIP(o.address) === 6 ? 6 : 4;
  const sessionId = o.sessionId ?? String(Math.floor(Math.random() * 2 ** 52));
  if (!/^\d{1,20}$/.test(sessionId)) throw new RangeError('sessionId must be numeric');
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId,
      sessionVersion: o.version ?? 0,
      netType: 'IN',
      ipVer,
      address: o.address,
    },
    name: '-',
    connection: { version: ipVer, ip: o.address },
    timing: { start: 0, stop: 0 },
    media,
  };
}

function audioMedia(port: number, pts: number[], direction: Direction, ptime: number) {
  return { type: 'audio', port, protocol: 'RTP/AVP', payloads: pts.join(' '), ptime, direction };
}

function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SdpError || err instanceof RangeError) throw err;
    throw new SdpError('UNPARSABLE', `unreadable SDP: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseSdp(sdp: string): SessionDescription {
  if (typeof sdp !== 'string' || sdp.length > MAX_SDP_LENGTH)
    throw new SdpError('UNPARSABLE', 'SDP missing or too large');
  const parsed = parse(sdp);
  if (parsed.version !== 0 || !Array.isArray(parsed.media))
    throw new SdpError('UNPARSABLE', 'not an SDP body (no v=0)');
  return parsed;
}

function selectAudio(s: SessionDescription): { index: number; remote: RemoteAudio } {
  const candidates = s.media
    .map((m, index) => ({ m, index }))
    .filter(({ m }) => m.type === 'audio' && m.port !== 0);
  if (candidates.length === 0) throw new SdpError('NO_AUDIO', 'no active audio stream offered');
  const plain = candidates.filter(({ m }) => PLAIN_PROTOCOLS.has(str(m.protocol)));
  const withCodec = plain.find(({ m }) => pickCodec(m) !== undefined);
  if (!withCodec) {
    const anyCodec = candidates.some(({ m }) => pickCodec(m) !== undefined);
    if (anyCodec)
      throw new SdpError('UNSUPPORTED_TRANSPORT', 'G.711 offered only over a secure/ICE transport');
    throw new SdpError('NO_COMMON_CODEC', 'no PCMU or PCMA in the audio stream');
  }
  const { m, index } = withCodec;
  const port = m.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new SdpError('BAD_PORT', `bad RTP port ${String(port)}`);
  }
  const conn = m.connection ?? s.connection;
  const address = str(conn?.ip);
  if (!address || !(isIP(address) || /^(?=.*[A-Za-z])[A-Za-z0-9.-]{1,253}$/.test(address))) {
    throw new SdpError('NO_CONNECTION', 'no usable c= address');
  }
  const declared = directionOf(m.direction) ?? directionOf(s.direction) ?? 'sendrecv';
  const oldHold = address === '0.0.0.0' || address === '::';
  const codec = pickCodec(m) ?? 'PCMU';
  const remote: RemoteAudio = {
    address,
    port,
    payloadType: STATIC_PT[codec],
    codec,
    direction: oldHold ? 'inactive' : declared,
  };
  const dtmf = pickTelephoneEvent(m);
  if (dtmf !== undefined) remote.dtmfPayloadType = dtmf;
  const ptime = m.ptime;
  if (typeof ptime === 'number' && Number.isInteger(ptime) && ptime >= 10 && ptime <= 200)
    remote.ptime = ptime;
  return { index, remote };
}

/** The first G.711 payload in m-line order; 0 and 8 are static, so rtpmap is optional but must agree. */
function pickCodec(m: MediaDescription): G711 | undefined {
  for (const pt of payloadList(m.payloads)) {
    if (pt !== 0 && pt !== 8) continue;
    const expected: G711 = pt === 0 ? 'PCMU' : 'PCMA';
    const map = rtpmap(m, pt);
    if (!map || (str(map.codec).toUpperCase() === expected && (map.rate === undefined || map.rate === 8000)))
      return expected;
  }
  return undefined;
}

function pickTelephoneEvent(m: MediaDescription): number | undefined {
  return payloadList(m.payloads).find((pt) => {
    const map = rtpmap(m, pt);
    return map !== undefined && str(map.codec).toLowerCase() === 'telephone-event' && map.rate === 8000;
  });
}

function rtpmap(m: MediaDescription, pt: number) {
  return Array.isArray(m.rtp) ? m.rtp.find((r) => r.payload === pt) : undefined;
}

function payloadList(payloads: unknown): number[] {
  if (payloads === undefined || payloads === null) return [];
  return String(payloads)
    .split(/\s+/)
    .filter((p) => /^\d{1,3}$/.test(p))
    .map(Number)
    .filter((p) => p <= 127);
}

function firstPayload(payloads: unknown): string | undefined {
  return payloadList(payloads)[0]?.toString();
}

function directionOf(d: unknown): Direction | undefined {
  return typeof d === 'string' && DIRECTIONS.has(d) ? (d as Direction) : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
