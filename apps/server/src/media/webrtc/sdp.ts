/**
 * The little SDP handling the WebRTC endpoint needs: read payload types from the browser's
 * offer, and trim werift's answer (codecs it should not have matched, unwanted candidates).
 * Line based; enough for the single-audio-section offers the agent's browser makes.
 */

const lines = (sdp: string): string[] => sdp.split(/\r?\n/).filter((l) => l !== '');

/** The payload type of `encoding/clockRate` (case-insensitive) in the first audio section. */
export function findPayloadType(sdp: string, encoding: string, clockRate: number): number | undefined {
  let inAudio = false;
  for (const line of lines(sdp)) {
    if (line.startsWith('m=')) {
      if (inAudio) return undefined;
      inAudio = line.startsWith('m=audio ');
      continue;
    }
    if (!inAudio) continue;
    const m = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(line);
    if (m && m[2]?.toLowerCase() === encoding.toLowerCase() && Number(m[3]) === clockRate)
      return Number(m[1]);
  }
  return undefined;
}

export interface AnswerFilter {
  /** Payload types to keep in audio sections; every other one is removed (m= line and attributes). */
  payloadTypes: number[];
  /** Connection addresses of the candidates to keep; other candidates are removed. */
  addresses: string[];
}

/** werift's answer, restricted to the given payload types and candidate addresses. */
export function filterAnswer(sdp: string, filter: AnswerFilter): string {
  const keepPt = new Set(filter.payloadTypes.map(String));
  const keepAddress = new Set(filter.addresses);
  const out: string[] = [];
  let inAudio = false;
  for (const line of lines(sdp)) {
    if (line.startsWith('m=')) {
      inAudio = line.startsWith('m=audio ');
      if (inAudio) {
        const [m, port, proto, ...pts] = line.split(' ');
        out.push([m, port, proto, ...pts.filter((pt) => keepPt.has(pt))].join(' '));
        continue;
      }
    }
    const candidate = /^a=candidate:\S+ \d+ \S+ \d+ (\S+) \d+/.exec(line);
    if (candidate && !keepAddress.has(candidate[1] ?? '')) continue;
    const ptAttribute = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+) /.exec(line);
    if (inAudio && ptAttribute && !keepPt.has(ptAttribute[1] ?? '')) continue;
    out.push(line);
  }
  return `${out.join('\r\n')}\r\n`;
}
