import { readFile } from 'node:fs/promises';
import { pcmaDecode } from '../apps/server/src/media/codec/g711.js';

/** SIPp's own speech capture, which its caller scenarios play (play_pcap_audio). */
export const SIPP_SPEECH_PCAP = '/usr/share/sip-tester/g711a.pcap';

const LINKTYPE_ETHERNET = 1;
const ETHERTYPE_IPV4 = 0x0800;
const UDP = 17;
const PCMA = 8;

/**
 * The G.711 A-law audio of the RTP stream in a classic pcap file (Ethernet, IPv4, UDP), decoded
 * to 16-bit samples at 8 kHz, each packet placed at its RTP timestamp: what a receiver of that
 * stream would play.
 */
export async function readPcapPcma(file: string): Promise<{ samples: Int16Array; sampleRate: number }> {
  const buf = await readFile(file);
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d)
    throw new Error(`${file} is not a pcap file`);
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  if (u32(20) !== LINKTYPE_ETHERNET) throw new Error(`${file}: only Ethernet captures are read`);
  const packets: { ts: number; payload: Uint8Array }[] = [];
  for (let at = 24; at + 16 <= buf.length; ) {
    const length = u32(at + 8);
    const frame = buf.subarray(at + 16, at + 16 + length);
    at += 16 + length;
    if (frame.readUInt16BE(12) !== ETHERTYPE_IPV4) continue;
    const ip = frame.subarray(14);
    if (ip[9] !== UDP) continue;
    const rtp = ip.subarray(((ip[0] ?? 0) & 0x0f) * 4 + 8);
    if (rtp.length < 12 || ((rtp[0] ?? 0) & 0xc0) !== 0x80 || ((rtp[1] ?? 0) & 0x7f) !== PCMA) continue;
    const header = 12 + ((rtp[0] ?? 0) & 0x0f) * 4;
    const extension = (rtp[0] ?? 0) & 0x10 ? 4 + rtp.readUInt16BE(header + 2) * 4 : 0;
    packets.push({ ts: rtp.readUInt32BE(4), payload: rtp.subarray(header + extension) });
  }
  const first = packets[0]?.ts ?? 0;
  const end = Math.max(0, ...packets.map((p) => p.ts - first + p.payload.length));
  const samples = new Int16Array(end);
  for (const p of packets) samples.set(pcmaDecode(p.payload), p.ts - first);
  return { samples, sampleRate: 8000 };
}
