/**
 * RTP packets (RFC 3550 §5.1). Parsing never copies: the payload and extension data are views
 * into the input buffer, which the caller must not reuse while it still needs them.
 */

export interface RtpPacket {
  version: 2;
  padding: boolean;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrc: number[];
  extension?: { profile: number; data: Uint8Array };
  payload: Uint8Array;
}

export type RtpParseErrorCode = 'TOO_SHORT' | 'BAD_VERSION' | 'BAD_CSRC' | 'BAD_EXTENSION' | 'BAD_PADDING';

export class RtpParseError extends Error {
  override readonly name = 'RtpParseError';
  constructor(
    readonly code: RtpParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const RTP_HEADER_BYTES = 12;

export function parseRtp(buf: Uint8Array): RtpPacket {
  const len = buf.length;
  if (len < RTP_HEADER_BYTES) throw new RtpParseError('TOO_SHORT', `RTP packet of ${len} bytes`);
  const b0 = buf[0] ?? 0;
  const b1 = buf[1] ?? 0;
  if (b0 >> 6 !== 2) throw new RtpParseError('BAD_VERSION', `RTP version ${b0 >> 6}`);
  const view = new DataView(buf.buffer, buf.byteOffset, len);
  const cc = b0 & 0x0f;
  let at = RTP_HEADER_BYTES + 4 * cc;
  if (at > len) throw new RtpParseError('BAD_CSRC', `${cc} CSRCs do not fit in ${len} bytes`);
  const csrc: number[] = [];
  for (let i = 0; i < cc; i++) csrc.push(view.getUint32(RTP_HEADER_BYTES + 4 * i));
  let extension: RtpPacket['extension'];
  if (b0 & 0x10) {
    if (at + 4 > len) throw new RtpParseError('BAD_EXTENSION', 'extension header does not fit');
    const profile = view.getUint16(at);
    const words = view.getUint16(at + 2);
    const dataStart = at + 4;
    at = dataStart + 4 * words;
    if (at > len) throw new RtpParseError('BAD_EXTENSION', `extension of ${words} words does not fit`);
    extension = { profile, data: buf.subarray(dataStart, at) };
  }
  let end = len;
  const padding = (b0 & 0x20) !== 0;
  if (padding) {
    const pad = buf[len - 1] ?? 0;
    if (pad === 0 || pad > len - at) throw new RtpParseError('BAD_PADDING', `padding of ${pad} bytes`);
    end = len - pad;
  }
  const packet: RtpPacket = {
    version: 2,
    padding,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrc,
    payload: buf.subarray(at, end),
  };
  if (extension) packet.extension = extension;
  return packet;
}

export type RtpPacketInput = Omit<RtpPacket, 'version' | 'padding' | 'csrc'> &
  Partial<Pick<RtpPacket, 'csrc' | 'padding'>>;

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`RTP ${name} out of range: ${value}`);
}

/**
 * Serialises a packet. With padding, 1-4 bytes are appended so the packet is a multiple of
 * 4 bytes long (the last byte holds the count, as RFC 3550 requires).
 */
export function serializeRtp(p: RtpPacketInput): Uint8Array {
  const csrc = p.csrc ?? [];
  if (csrc.length > 15) throw new RangeError(`RTP allows 15 CSRCs, got ${csrc.length}`);
  checkRange('payload type', p.payloadType, 0x7f);
  checkRange('sequence number', p.sequenceNumber, 0xffff);
  checkRange('timestamp', p.timestamp, 0xffffffff);
  checkRange('SSRC', p.ssrc, 0xffffffff);
  const ext = p.extension;
  if (ext) {
    checkRange('extension profile', ext.profile, 0xffff);
    if (ext.data.length % 4 !== 0 || ext.data.length > 4 * 0xffff) {
      throw new RangeError(`RTP extension data must be whole 32-bit words, got ${ext.data.length} bytes`);
    }
  }
  const headerBytes = RTP_HEADER_BYTES + 4 * csrc.length + (ext ? 4 + ext.data.length : 0);
  const unpadded = headerBytes + p.payload.length;
  const pad = p.padding ? 4 - (unpadded % 4) : 0;
  const out = new Uint8Array(unpadded + pad);
  const view = new DataView(out.buffer);
  out[0] = 0x80 | (pad ? 0x20 : 0) | (ext ? 0x10 : 0) | csrc.length;
  out[1] = (p.marker ? 0x80 : 0) | p.payloadType;
  view.setUint16(2, p.sequenceNumber);
  view.setUint32(4, p.timestamp);
  view.setUint32(8, p.ssrc);
  let at = RTP_HEADER_BYTES;
  for (const c of csrc) {
    checkRange('CSRC', c, 0xffffffff);
    view.setUint32(at, c);
    at += 4;
  }
  if (ext) {
    view.setUint16(at, ext.profile);
    view.setUint16(at + 2, ext.data.length / 4);
    out.set(ext.data, at + 4);
    at += 4 + ext.data.length;
  }
  out.set(p.payload, at);
  if (pad) out[out.length - 1] = pad;
  return out;
}

/**
 * Writes the fixed 12-byte header of a plain packet (no CSRCs, extension or padding) at the start
 * of `out`, for senders that build packets in place: the same bytes serializeRtp would write.
 * Values must be in range (they are not checked here: this is the per-packet path).
 */
export function writeRtpHeader(
  out: Uint8Array,
  marker: boolean,
  payloadType: number,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
): void {
  out[0] = 0x80;
  out[1] = (marker ? 0x80 : 0) | payloadType;
  out[2] = sequenceNumber >>> 8;
  out[3] = sequenceNumber & 0xff;
  out[4] = timestamp >>> 24;
  out[5] = (timestamp >>> 16) & 0xff;
  out[6] = (timestamp >>> 8) & 0xff;
  out[7] = timestamp & 0xff;
  out[8] = ssrc >>> 24;
  out[9] = (ssrc >>> 16) & 0xff;
  out[10] = (ssrc >>> 8) & 0xff;
  out[11] = ssrc & 0xff;
}
