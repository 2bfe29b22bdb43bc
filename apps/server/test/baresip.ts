import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HttpClient } from '@parley/client';
import { goertzelPower } from '../src/media/dsp/goertzel.js';
import { readWav } from '../src/media/wav.js';
import { soxTone } from './sox.js';

/** An event baresip reports on its control socket (CALL_ESTABLISHED, CALL_CLOSED, ...). */
export interface BaresipEvent {
  type?: string;
  class?: string;
  param?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface StartOptions {
  autoAnswer?: boolean;
  /** The account's user: calls to other users are refused ("agent" by default). */
  user?: string;
  /** Register as a desk phone with the platform's registrar (at 127.0.0.1:port). */
  register?: { port: number; username: string; password: string };
}

/**
 * Debian's baresip as a scriptable phone (an agent's desk phone or mobile), driven over its TCP
 * control socket with netstring-framed JSON: dial, send DTMF, hang up. Its microphone is an
 * 8 kHz WAV; `sndfile` writes what it sent and heard into `dir`.
 */
export class Baresip {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'parley-baresip-'));
  readonly events: BaresipEvent[] = [];
  private child: ChildProcess | undefined;
  private socket: net.Socket | undefined;
  private buffer = '';
  output = '';
  /** Where the phone takes calls: sip:agent@127.0.0.1:<sipPort>. */
  sipPort = 0;

  /** A phone whose microphone plays a steady tone (an 8 kHz WAV made with sox). */
  static async withTone(hz: number, options: StartOptions & { seconds?: number } = {}): Promise<Baresip> {
    const phone = new Baresip();
    const mic = path.join(phone.dir, 'mic.wav');
    soxTone(mic, { hz, seconds: options.seconds ?? 120, volume: 0.5 });
    // A phone that did not start is not left running (nothing else could stop it).
    await phone.start(mic, options).catch(async (err) => {
      await phone.stop();
      throw err;
    });
    return phone;
  }

  /**
   * Starts the phone. A port found free can be taken by another test's process before baresip
   * binds it (suites run side by side): then it starts again on other ports.
   */
  async start(sourceWav: string, options: StartOptions = {}): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce(sourceWav, options);
        return;
      } catch (err) {
        if (attempt >= 5 || !/Address already in use/.test(this.output)) throw err;
        this.socket?.destroy();
        this.socket = undefined;
        this.buffer = '';
        this.child?.kill('SIGKILL');
        this.output = '';
      }
    }
  }

  private async startOnce(sourceWav: string, options: StartOptions): Promise<void> {
    const ctrl = await freePort();
    // Two ports found free one after the other can be the same one; baresip also listens for
    // SIP over TLS on the port after its SIP port.
    let sip = await freePort();
    while (sip === ctrl || sip + 1 === ctrl) sip = await freePort();
    this.sipPort = sip;
    writeFileSync(
      path.join(this.dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${sip}`,
        'net_interface 127.0.0.1',
        `audio_source aufile,${sourceWav}`,
        'audio_player aufile,/dev/null',
        'audio_alert aufile,/dev/null',
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module aufile.so',
        'module sndfile.so',
        `snd_path ${this.dir}`,
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${ctrl}`,
        'audio_txmode poll',
        '',
      ].join('\n'),
    );
    const answer = options.autoAnswer ? ';answermode=auto' : '';
    const r = options.register;
    writeFileSync(
      path.join(this.dir, 'accounts'),
      r
        ? `<sip:${r.username}@127.0.0.1:${r.port}>;auth_pass=${r.password};regint=600;audio_codecs=PCMU,PCMA${answer}\n`
        : `<sip:${options.user ?? 'agent'}@127.0.0.1>;regint=0;audio_codecs=PCMU,PCMA${answer}\n`,
    );
    this.child = spawn('baresip', ['-f', this.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d) => {
      this.output += d;
    });
    this.child.stderr?.on('data', (d) => {
      this.output += d;
    });
    const child = this.child;
    for (let i = 0; i < 100 && !this.socket && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      this.socket = await new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect(ctrl, '127.0.0.1', () => {
          // Connecting to a port nobody listens on yet can be given that same port as its own
          // (a TCP self-connect): that socket is not baresip's, and baresip cannot bind it.
          if (s.localPort === ctrl) {
            s.destroy();
            resolve(undefined);
          } else resolve(s);
        });
        s.on('error', () => resolve(undefined));
      });
    }
    if (!this.socket) throw new Error(`baresip did not open its control socket:\n${this.output}`);
    // Its control port taken by another process (the socket then reached that process, not
    // baresip): a start again on other ports. Its modules are loaded once it says it is ready.
    for (let i = 0; i < 50 && !/baresip is ready/.test(this.output) && child.exitCode === null; i++)
      await new Promise((r) => setTimeout(r, 100));
    if (/ctrl_tcp: failed to listen/.test(this.output)) {
      this.output += '\n(Address already in use: the control port)';
      throw new Error(`baresip could not listen on its control port:\n${this.output}`);
    }
    this.socket.on('data', (d) => this.receive(d.toString('utf8')));
    // baresip keeps one control connection: another one to its port drops this one, and no
    // event comes after. Said in what a wait that times out reports.
    this.socket.on('close', () => {
      this.output += '\n[parley test: the control connection closed]\n';
    });
  }

  command(command: string, params = ''): void {
    const body = JSON.stringify({ command, params, token: command });
    this.socket?.write(`${Buffer.byteLength(body)}:${body},`);
  }

  /** Keys in `digits`, one DTMF press each, with a pause between presses. */
  async keys(digits: string, gapMs = 250): Promise<void> {
    for (const d of digits) {
      this.command('sndcode', d);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  }

  async waitFor(type: string, timeoutMs = 15_000): Promise<BaresipEvent> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.type === type);
      if (found) {
        this.events.splice(this.events.indexOf(found), 1);
        return found;
      }
      if (Date.now() > end)
        throw new Error(
          `baresip: no ${type} in ${timeoutMs} ms; events ${JSON.stringify(this.events)}\n${this.output.slice(-2000)}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Seconds of what the phone heard (its sndfile recordings, every call) in which `hz` dominates. */
  async heard(hz: number): Promise<number> {
    const dec = readdirSync(this.dir).filter((f) => f.endsWith('-dec.wav'));
    let seconds = 0;
    for (const file of dec) {
      const wav = await readWav(path.join(this.dir, file));
      const window = Math.round(wav.sampleRate / 10);
      for (let at = 0; at + window <= wav.samples.length; at += window) {
        const win = wav.samples.subarray(at, at + window);
        let energy = 0;
        for (const x of win) energy += (x / 32768) ** 2;
        const mean = energy / win.length;
        if (mean > 0 && goertzelPower(win, wav.sampleRate, hz) / (2 * mean) > 0.5) seconds += 0.1;
      }
    }
    return seconds;
  }

  /**
   * How closely the phone heard `file` (an 8 kHz mono WAV, such as a prompt), over every call:
   * the best normalised cross-correlation of a quarter second from the loudest part of the file
   * with what the phone heard. 1 is the same samples; through G.711 a prompt heard gives about
   * 0.99, anything else (another prompt, a tone, silence) far less.
   */
  async heardClip(file: string): Promise<number> {
    const clip = (await readWav(file)).samples;
    const n = 2000;
    let from = 0;
    let loudest = -1;
    for (let at = 0; at + n <= clip.length; at += n / 4) {
      let e = 0;
      for (let i = at; i < at + n; i++) e += (clip[i] ?? 0) ** 2;
      if (e > loudest) [loudest, from] = [e, at];
    }
    const t = Float64Array.from(clip.subarray(from, from + n));
    const tNorm = Math.sqrt(t.reduce((sum, x) => sum + x * x, 0));
    let best = 0;
    for (const f of readdirSync(this.dir).filter((name) => name.endsWith('-dec.wav'))) {
      const s = Float64Array.from((await readWav(path.join(this.dir, f))).samples);
      let energy = 0;
      for (let i = 0; i < n && i < s.length; i++) energy += (s[i] ?? 0) ** 2;
      for (let o = 0; o + n <= s.length; o++) {
        if (o > 0) energy += (s[o + n - 1] ?? 0) ** 2 - (s[o - 1] ?? 0) ** 2;
        if (energy <= 0) continue;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (t[i] ?? 0) * (s[o + i] ?? 0);
        best = Math.max(best, dot / (tNorm * Math.sqrt(energy)));
      }
    }
    return best;
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Netstrings: "<length>:<json>," one after another. */
  private receive(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.buffer.slice(0, colon));
      if (this.buffer.length < colon + 1 + len + 1) return;
      const body = this.buffer.slice(colon + 1, colon + 1 + len);
      this.buffer = this.buffer.slice(colon + 2 + len);
      try {
        const msg = JSON.parse(body) as BaresipEvent & { event?: boolean };
        if (msg.event) this.events.push(msg);
      } catch {
        // not JSON: ignore
      }
    }
  }
}

/**
 * agent1's desk phone: extension 1001 (SIP user desk-1001) created for agent1 in the workspace,
 * and baresip registered with it at the server's SIP port, playing a 1000 Hz tone.
 */
export async function agent1DeskPhone(
  admin: HttpClient,
  workspaceId: string,
  sipPort: number,
  options: { autoAnswer?: boolean } = {},
): Promise<Baresip> {
  const agent = (await admin.users(workspaceId).list()).find((u) => u.username === 'agent1');
  const account = { username: 'desk-1001', password: 'desk-pass-1001' };
  await admin.extensions(workspaceId).create({ extension: '1001', ...account, userId: agent?.id ?? null });
  return Baresip.withTone(1000, { ...options, register: { port: sipPort, ...account } });
}
