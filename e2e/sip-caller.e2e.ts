import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, test } from 'node:test';
import { HttpClient } from '@parley/client';
import { sipp } from '../apps/server/src/sip/uas/sipp-runner.js';
import {
  earSamples,
  type Heard,
  hearUntil,
  listenFor,
  matchEnvelope,
  shareOf,
  startEar,
  summarise,
} from './audio.js';
import { expect } from './expect.js';
import { readPcapPcma, SIPP_SPEECH_PCAP } from './pcap.js';
import {
  connectWebConnect,
  DEMO_PASSWORD,
  signIn,
  usePhoneBrowsers,
  usePlatform,
  wrapWithOutcome,
} from './support.js';

const AGENT_HZ = 1000;
const BEEP_HZ = 1400;
/**
 * SIPp's caller sends speech (sip-tester's g711a.pcap, 7 s, once told to talk), not a tone:
 * after the beep it is heard as sound far above the idle line with no beep in it, and this
 * much of it is matched, by loudness over time, against the capture's own audio.
 */
const CALLER_LISTEN_MS = 5000;
/** Any sound at all: the line's silence measures about -120 dB here. */
const AUDIBLE = 1e-7;

/**
 * Tells SIPp's caller (uac-talks-when-told.xml, listening on `port`) to talk: an INFO in its
 * call. Sent once: SIPp takes a second one as a message its scenario does not expect.
 */
async function tellCallerToTalk(port: number, callId: string): Promise<void> {
  const socket = createSocket('udp4');
  const message = [
    `INFO sip:caller@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-talk-${Date.now()}`,
    'From: <sip:e2e@127.0.0.1>;tag=talk',
    'To: <sip:+61400111222@127.0.0.1>',
    `Call-ID: ${callId}`,
    'CSeq: 1 INFO',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  try {
    await new Promise<void>((resolve, reject) =>
      socket.send(message, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    socket.close();
  }
}

describe('a SIP caller (SIPp) through a trunk reaches an agent on Web Connect; the agent hangs up (P4, B5)', () => {
  // Loopback is not trusted by configuration: only the trunk below lets the carrier (SIPp) in.
  const { platform, browser } = usePlatform({ SIP_TRUSTED_SOURCES: '10.99.0.0/16' });
  const phones = usePhoneBrowsers({ agent: AGENT_HZ });

  test('queued, delivered with a beep, the caller’s audio heard, BYE sent to the caller on hang-up', async () => {
    const toolbar = await browser().newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(toolbar, platform.url, 'agent1');
    await toolbar.getByRole('dialog', { name: 'Connect Voice' }).press('Escape');
    const webConnect = await connectWebConnect(phones.agent, platform.url, 'agent1', toolbar);
    await startEar(webConnect, '__parleyWebConnect.remoteStream', [BEEP_HZ, AGENT_HZ]);
    await toolbar.getByRole('button', { name: 'Status: Unavailable' }).click();
    await toolbar.getByRole('menuitem', { name: 'Available' }).click();
    await expect(toolbar.getByRole('button', { name: 'Status: Available' })).toBeVisible();
    await earSamples(webConnect);
    await listenFor(500); // the idle line, to compare the call with
    const quiet = summarise((await earSamples(webConnect)).samples, [BEEP_HZ]);

    assert.ok(platform.sipPort > 0, 'the platform printed its SIP port');
    const admin = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const ws = (await admin.login({ username: 'admin', password: DEMO_PASSWORD })).workspace.id;
    const refused = await sipp('uac-invite-expect-403-ack.xml', platform.sipPort, 'u1', 1, '+61290001000');
    assert.equal(
      refused.status,
      0,
      `no trunk yet: the carrier’s INVITE is refused with 403:\n${refused.output.slice(-2000)}`,
    );
    await admin.trunks(ws).create({ name: 'Carrier', host: '127.0.0.1', port: 5070 });
    // The caller talks when told to, once the agent has the call: words spent while the call was
    // still being put through (seconds, on a loaded machine) would never reach the agent.
    const callerPort = 20000 + Math.floor(Math.random() * 20000);
    const callerCallIds = `sip-caller-e2e-${process.pid}-%u`;
    const caller = sipp('uac-talks-when-told.xml', platform.sipPort, 'u1', 1, '+61290001000', [
      '-p',
      String(callerPort),
      '-cid_str',
      callerCallIds,
      // The call lasts from the answer until the agent has heard five seconds of the caller.
      '-timeout',
      '60s',
    ]);
    const card = toolbar.getByRole('article', { name: '+61400111222' });
    await expect(card.getByRole('button', { name: 'Hang Up' })).toBeVisible(15_000);
    // The caller's speech after the beep: samples far louder than the idle line, beep-free.
    // (The idle line may measure 0 itself: silence, about -120 dB here, is never the caller's sound.)
    const callerSpeech = (s: Heard) =>
      s.total > Math.max(quiet.power * 100, AUDIBLE) && shareOf(s, BEEP_HZ) < 0.05;
    const afterBeep = (heard: Heard[]) => {
      const beepAt = heard.findIndex((s) => shareOf(s, BEEP_HZ) > 0.3);
      return beepAt < 0 ? [] : heard.slice(beepAt + 1).filter(callerSpeech);
    };
    // The agent hears the beep; then the caller is told to talk, and from their first sound after
    // the beep a stretch of it is heard and judged.
    const beeped = await hearUntil(
      webConnect,
      (heard) => heard.some((s) => shareOf(s, BEEP_HZ) > 0.3),
      'the delivery beep',
      30_000,
    );
    await tellCallerToTalk(callerPort, callerCallIds.replace('%u', '1'));
    const before = [
      ...beeped,
      ...(await hearUntil(
        webConnect,
        (heard) => afterBeep([...beeped, ...heard]).length > 0,
        'the caller after the beep, told to talk',
        15_000,
      )),
    ];
    await listenFor(CALLER_LISTEN_MS);
    const samples = [...before, ...(await earSamples(webConnect)).samples];
    const beepAt = samples.find((s) => shareOf(s, BEEP_HZ) > 0.3)?.t;
    const speech = afterBeep(samples);
    const heard = summarise(speech, [BEEP_HZ, AGENT_HZ]);
    const firstSound = speech[0] ? samples.indexOf(speech[0]) : -1;
    const lastBeep = samples.findLastIndex((s, i) => i < firstSound && shareOf(s, BEEP_HZ) > 0.05);
    const recording = await readPcapPcma(SIPP_SPEECH_PCAP);
    const match = matchEnvelope(
      samples.slice(Math.max(lastBeep + 1, firstSound - 5)),
      recording.samples,
      recording.sampleRate,
    );
    console.log(
      `agent: quiet power ${quiet.power.toExponential(2)}, caller after the beep ${heard.power.toExponential(2)} from ${speech[0]?.t} ms, beep at ${beepAt} ms, match with the capture ${match.r.toFixed(2)} from ${match.atMs} ms`,
    );
    assert.ok(beepAt !== undefined, 'the agent heard the delivery beep');
    assert.ok((speech[0]?.t ?? 0) > beepAt, 'the caller is heard after the beep');
    assert.ok(speech.length * 20 >= 1000, `a second or more of the caller (${speech.length * 20} ms)`);
    // The capture itself matches at about 0.75-0.8; the same capture played backwards (the same
    // voice and loudness, other words) at about 0.35.
    assert.ok(
      match.r > 0.55,
      `the agent hears the caller's own audio (envelope match with the capture ${match.r.toFixed(2)})`,
    );
    assert.ok(heard.power > quiet.power * 100, 'the agent hears the caller (far louder than the idle line)');
    assert.ok((heard.share[BEEP_HZ] ?? 1) < 0.05, 'the caller, not the beep');
    // Speech has a little energy in any 50 Hz band; the agent's own tone would be most of it.
    assert.ok((heard.share[AGENT_HZ] ?? 1) < 0.1, 'and not their own voice');

    await card.getByRole('button', { name: 'Hang Up' }).click();
    const r = await caller;
    assert.equal(r.status, 0, `SIPp got the platform's BYE and answered it:\n${r.output.slice(-2000)}`);
    await wrapWithOutcome(toolbar, card, 'Resolved');
    await expect(card).toBeHidden();

    const manager = new HttpClient({ baseUrl: platform.url, manageCookies: true });
    const session = await manager.login({ username: 'manager', password: DEMO_PASSWORD });
    const [record] = await manager.interactions(session.workspace.id);
    assert.equal(record?.endedBy, 'agent');
    assert.equal(record?.state, 'done');
    assert.equal(record?.recordings, 1);
  });
});
