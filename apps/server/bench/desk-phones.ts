// The agents' desk phones for the benches (bench:outbound, bench:dialler): each calls the
// dial-in number over SIP (the project's own stack) with its agent ID and PIN, and keeps its voice
// path up with 20 ms of silence every 20 ms (or sends DTMF) over RTP.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { systemClock } from '../src/clock.js';
import { PCMU_SILENCE } from '../src/media/codec/g711.js';
import { DtmfSchedule } from '../src/media/rtp/dtmf-schedule.js';
import { serializeRtp } from '../src/media/rtp/rtp-packet.js';
import { parseNameAddr } from '../src/sip/message/parse.js';
import { SipHeaders, type SipRequest, type SipResponse } from '../src/sip/message/sip-message.js';
import { createOffer } from '../src/sip/sdp/offer-answer.js';
import { type Peer, SipTransport } from '../src/sip/transport/sip-transport.js';
import { newBranch, SipClient } from '../src/sip/uac/sip-client.js';
import { buildResponse } from '../src/sip/uas/sip-server.js';
import { LOCAL } from './platform.js';

/** The demo workspace's agent dial-in number. */
export const DIAL_IN = '+61290009999';

export interface Dialog {
  callId: string;
  from: string;
  to: string;
  target: string;
  ended: boolean;
}

const tagOf = (value: string | undefined) => (value ? parseNameAddr(value).params.tag : undefined) ?? '';

/** The desk phones' SIP side: INVITE to the dial-in number, ACK, BYE; answers the platform's BYE. */
export class Phones {
  readonly transport = new SipTransport(LOCAL);
  private client!: SipClient;
  private server!: Peer;
  private readonly dialogs = new Map<string, Dialog>();
  private readonly acks = new Map<string, SipRequest>();
  /** Calls the platform hung up (BYE), by Call-ID. */
  readonly hungUp = new Set<string>();

  async start(serverPort: number): Promise<void> {
    await this.transport.listen(0);
    this.client = new SipClient(this.transport, systemClock);
    this.server = { transport: 'udp', address: LOCAL, port: serverPort };
    this.transport.on('message', (m, peer) => {
      const callId = m.headers.get('Call-ID') ?? '';
      if (m.kind === 'request') {
        if (m.method === 'ACK') return;
        const dialog = this.dialogs.get(`${callId}|${tagOf(m.headers.get('From'))}`);
        const known = dialog || m.method !== 'BYE';
        this.transport.send(
          buildResponse(m, known ? 200 : 481, known ? 'OK' : 'Call/Transaction Does Not Exist'),
          peer,
        );
        if (m.method === 'BYE' && dialog && !dialog.ended) {
          dialog.ended = true;
          this.hungUp.add(callId);
        }
        return;
      }
      // The 2xx again (our ACK lost or crossed it): ACK again.
      if (m.status < 200 || m.status >= 300 || !/INVITE/i.test(m.headers.get('CSeq') ?? '')) return;
      const ack = this.acks.get(`${callId}|${tagOf(m.headers.get('To'))}`);
      if (ack) this.transport.send(ack, this.server);
    });
  }

  /** Calls the dial-in number with media at `rtpPort`; on a 2xx, ACKs and keeps the dialog. */
  async callIn(fromUser: string, rtpPort: number): Promise<{ response: SipResponse; dialog?: Dialog }> {
    const callId = `${randomBytes(10).toString('hex')}@bench`;
    const from = `<sip:${fromUser}@${LOCAL}:${this.transport.port}>;tag=${randomBytes(5).toString('hex')}`;
    const uri = `sip:${DIAL_IN}@${LOCAL}:${this.server.port}`;
    const headers = new SipHeaders([
      ['Via', this.client.via(this.server, LOCAL)],
      ['Max-Forwards', '70'],
      ['From', from],
      ['To', `<${uri}>`],
      ['Call-ID', callId],
      ['CSeq', '1 INVITE'],
      ['Contact', `<sip:desk@${LOCAL}:${this.transport.port}>`],
      ['Content-Type', 'application/sdp'],
    ]);
    const body = new TextEncoder().encode(createOffer({ address: LOCAL, port: rtpPort, codecs: ['PCMU'] }));
    const invite: SipRequest = { kind: 'request', method: 'INVITE', uri, version: 'SIP/2.0', headers, body };
    const response = await this.client.send(invite, this.server);
    if (response.status < 200 || response.status >= 300) return { response };
    const contact = response.headers.get('Contact');
    const dialog: Dialog = {
      callId,
      from: response.headers.get('From') ?? '',
      to: response.headers.get('To') ?? '',
      target: contact ? parseNameAddr(contact).uri : uri,
      ended: false,
    };
    const key = `${callId}|${tagOf(dialog.to)}`;
    const ack = this.request('ACK', dialog, 1);
    this.acks.set(key, ack);
    this.dialogs.set(key, dialog);
    this.transport.send(ack, this.server);
    return { response, dialog };
  }

  async bye(dialog: Dialog): Promise<void> {
    if (dialog.ended) return;
    dialog.ended = true;
    await this.client.send(this.request('BYE', dialog, 2), this.server).catch(() => undefined);
  }

  private request(method: 'ACK' | 'BYE', d: Dialog, cseq: number): SipRequest {
    const headers = new SipHeaders([
      ['Via', `SIP/2.0/UDP ${LOCAL}:${this.transport.port};branch=${newBranch()};rport`],
      ['Max-Forwards', '70'],
      ['From', d.from],
      ['To', d.to],
      ['Call-ID', d.callId],
      ['CSeq', `${cseq} ${method}`],
      ['Content-Length', '0'],
    ]);
    return { kind: 'request', method, uri: d.target, version: 'SIP/2.0', headers, body: new Uint8Array() };
  }
}

const SILENCE_PAYLOAD = new Uint8Array(160).fill(PCMU_SILENCE);

/** A desk phone's RTP: 20 ms of silence every 20 ms (the voice path stays "connected"), or DTMF. */
export class PhoneRtp {
  readonly socket = dgram.createSocket('udp4');
  remote: { address: string; port: number; dtmfPayloadType: number } | undefined;
  readonly dtmf = new DtmfSchedule({ durationMs: 80, gapMs: 60 });
  private seq = 0;
  private ts = 0;
  private readonly ssrc = randomBytes(4).readUInt32BE(0);

  async bind(): Promise<number> {
    await new Promise<void>((r) => this.socket.bind(0, LOCAL, () => r()));
    this.socket.on('message', () => {}); // what the agent hears: not listened to
    return this.socket.address().port;
  }

  tick(): void {
    const remote = this.remote;
    if (!remote) return;
    const next = this.dtmf.next(this.ts);
    let packet: Uint8Array | undefined;
    if (next.send === 'audio')
      packet = serializeRtp({
        marker: false,
        payloadType: 0,
        sequenceNumber: this.seq,
        timestamp: this.ts,
        ssrc: this.ssrc,
        payload: SILENCE_PAYLOAD,
      });
    else if (next.send === 'dtmf')
      packet = serializeRtp({
        marker: next.packet.marker,
        payloadType: remote.dtmfPayloadType,
        sequenceNumber: this.seq,
        timestamp: next.packet.timestamp,
        ssrc: this.ssrc,
        payload: next.packet.payload,
      });
    this.ts = (this.ts + 160) >>> 0;
    if (!packet) return;
    this.seq = (this.seq + 1) & 0xffff;
    this.socket.send(packet, remote.port, remote.address);
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}
