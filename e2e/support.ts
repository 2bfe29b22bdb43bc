import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '@parley/client';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { soxTone } from '../apps/server/test/sox.js';
import { expect } from './expect.js';

export const DEMO_PASSWORD = 'e2e-demo-password';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const resultsDir = path.join(root, 'test-results');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless on a closed network: nothing that phones home, a fresh profile per launch. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A WAV of a steady tone (sox), for Chromium's fake microphone. */
export function toneWav(dir: string, hz: number, seconds = 30): string {
  const wav = path.join(dir, `tone-${hz}.wav`);
  return soxTone(wav, { hz, seconds, rate: 48000, volume: 0.5 });
}

/** Flags for a browser that is a phone: fake microphone from `wav`, loopback WebRTC, autoplay. */
export function phoneArgs(wav: string): string[] {
  return [
    ...CHROMIUM_ARGS,
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
  ];
}

/** The built platform (`npm start`'s bundle) as its own process, with its own data folder. */
export class PlatformProcess {
  private child: ChildProcess | undefined;
  output = '';
  url = '';
  /** The platform's SIP port (UDP and TCP on 127.0.0.1). */
  sipPort = 0;
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'parley-e2e-'));

  /** Settings over the defaults below (SIP_TRUSTED_SOURCES, ...), kept for restarts. */
  env: Record<string, string> = {};

  /** How long start() waits for the server to say it runs (the demo seed hashes passwords). */
  startTimeoutMs = 180_000;

  async start(port = 0): Promise<string> {
    const child = spawn(process.execPath, [path.join(root, 'apps/server/dist/main.js')], {
      env: {
        ...process.env,
        DATA_DIR: this.dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        MEDIA_ADDRESSES: '127.0.0.1', // tests stay on loopback
        SIP_PORT: '0',
        SIP_ADDRESS: '127.0.0.1',
        DEMO_PASSWORD,
        LOG_LEVEL: 'warn',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not start:\n${this.output}`)),
        this.startTimeoutMs,
      );
      const onData = (d: Buffer) => {
        this.output += d;
        const m = /Parley is running: http:\/\/localhost:(\d+)\//.exec(this.output);
        if (m) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${m[1]}`);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${this.output}`)));
    });
    this.url = url;
    this.sipPort = Number(/SIP \(UDP and TCP\): port (\d+)/.exec(this.output)?.[1] ?? 0);
    return url;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Content Security Policy violations seen in the pages of this test process's browsers: each
 * `securitypolicyviolation` event and each of Chromium's "Refused to ..." console errors.
 */
export class CspViolations {
  private readonly seen: string[] = [];

  /** Every page of `context`, popups and frames included, reports here from its first script. */
  async watch(context: BrowserContext): Promise<void> {
    await context.exposeBinding('__parleyCspViolation', ({ page }, text: string) => {
      this.seen.push(`${page.url()}: ${text}`);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __parleyCspViolation?: (text: string) => void })
          .__parleyCspViolation;
        report?.(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'} ${e.sample}`.trim());
      });
    });
    context.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/.test(message.text())) {
        this.seen.push(`${message.page()?.url() ?? 'a worker'}: ${message.text()}`);
      }
    });
  }

  /** Those seen so far, forgotten once taken. */
  take(): string[] {
    return this.seen.splice(0);
  }

  /** Fails naming what was refused, if anything was. */
  assertNone(when: string): void {
    assert.deepEqual(this.take(), [], `Content Security Policy violations ${when}`);
  }
}

export const cspViolations = new CspViolations();

/** Every context `browser` makes (newPage's too) is watched for CSP violations. */
function watchContexts(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await cspViolations.watch(context);
    return context;
  };
  return browser;
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(resultsDir, { recursive: true });
  return watchContexts(await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }));
}

/** One platform process and one browser for the tests of a file, torn down after them. */
export function usePlatform(env: Record<string, string> = {}): {
  platform: PlatformProcess;
  browser: () => Browser;
} {
  const platform = new PlatformProcess();
  platform.env = env;
  let browser: Browser | undefined;
  before(async () => {
    await platform.start();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    if (process.env.E2E_SERVER_LOG) process.stderr.write(platform.output);
    await platform.dispose();
    // Every suite's pages, phone browsers' too, run under the platform's CSP without a violation.
    cspViolations.assertNone('in this suite');
  });
  return {
    platform,
    browser: () => {
      if (!browser) throw new Error('the browser is not started');
      return browser;
    },
  };
}

/**
 * A fresh platform for each test that asks for one (its own database, recordings and agents'
 * states), stopped after that test; one browser for the suite. A test that sets up all it needs
 * on its own platform runs alone (--test-name-pattern) and fails alone.
 */
export function usePlatformPerTest(env: Record<string, string> = {}): {
  start(t: TestContext): Promise<PlatformProcess>;
  browser: () => Browser;
} {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    cspViolations.assertNone('in this suite');
  });
  return {
    async start(t) {
      const platform = new PlatformProcess();
      platform.env = env;
      t.after(async () => {
        if (process.env.E2E_SERVER_LOG) process.stderr.write(platform.output);
        await platform.dispose();
      });
      await platform.start();
      return platform;
    },
    browser: () => {
      if (!browser) throw new Error('the browser is not started');
      return browser;
    },
  };
}

/** Signs in through the sign-in page, as an agent would. */
/**
 * Wraps an interaction as the guide has it: the Outcome picked at the bottom of the information
 * section, then the card's wrap button ("Wrap Call", "Wrap Chat", ...).
 */
export async function wrapWithOutcome(
  toolbar: Page,
  card: Locator,
  outcome: string,
  wrapLabel = 'Wrap Call',
): Promise<void> {
  const info = toolbar.getByRole('region', { name: 'Interaction information' });
  await info.getByRole('combobox', { name: 'Outcome' }).click();
  await toolbar.getByRole('option', { name: outcome }).click();
  await card.getByRole('button', { name: wrapLabel }).click();
}

export async function signIn(
  page: Page,
  url: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
}

/**
 * A second Chromium, with a fake microphone playing a steady tone, as its own process group so
 * a test can freeze it (SIGSTOP) the way a hung machine would.
 */
export async function launchPhoneBrowser(
  toneHz: number,
): Promise<{ browser: Browser; freeze(): void; thaw(): void; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-phone-'));
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    args: phoneArgs(toneWav(dir, toneHz)),
  });
  const browser = watchContexts(await chromium.connect(server.wsEndpoint()));
  const pid = server.process().pid;
  const signal = (s: NodeJS.Signals) => {
    if (pid) process.kill(-pid, s);
  };
  return {
    browser,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    async close() {
      signal('SIGCONT');
      await browser.close().catch(() => undefined);
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type PhoneBrowser = Awaited<ReturnType<typeof launchPhoneBrowser>>;

/**
 * Phone browsers for a suite, one per named tone (`{ agent: 1000, caller: 700 }`), launched
 * before its tests and closed after them; the object's entries are there once `before` ran.
 */
export function usePhoneBrowsers<K extends string>(tones: Record<K, number>): Record<K, PhoneBrowser> {
  const phones = {} as Record<K, PhoneBrowser>;
  const names = Object.keys(tones) as K[];
  before(async () => {
    const launched = await Promise.all(names.map((k) => launchPhoneBrowser(tones[k])));
    names.forEach((k, i) => {
      phones[k] = launched[i] as PhoneBrowser;
    });
  });
  after(async () => {
    await Promise.all(names.map((k) => phones[k]?.close()));
  });
  return phones;
}

/** The workspace's Agent Ring Timeout, set as its administrator would. */
export async function setAgentRingTimeout(platformUrl: string, seconds: number): Promise<void> {
  const admin = new HttpClient({ baseUrl: platformUrl, manageCookies: true });
  const session = await admin.login({ username: 'admin', password: DEMO_PASSWORD });
  await admin.settings(session.workspace.id).update({ agentRingTimeoutSeconds: seconds });
}

/**
 * The agent's Web Connect tab in `phone`'s browser, persistent and answered: when this returns
 * the voice path is up and `toolbar` shows it.
 */
export async function connectWebConnect(
  phone: { browser: Browser },
  platformUrl: string,
  username: string,
  toolbar: Page,
): Promise<Page> {
  const webConnect = await (await phone.browser.newContext()).newPage();
  await signIn(webConnect, `${platformUrl}/web-connect?mode=persistent`, username);
  await webConnect.getByRole('button', { name: 'Answer' }).click();
  await expect(webConnect.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible(15_000);
  await expect(toolbar.getByLabel('Voice connected').first()).toBeVisible();
  return webConnect;
}

/** A customer on the web phone who called the demo number, chose support (2) and waits in the queue. */
export async function callerWaitingInQueue(phone: { browser: Browser }, platformUrl: string): Promise<Page> {
  const caller = await callDemoNumber(phone, platformUrl);
  await caller.getByRole('button', { name: '2', exact: true }).click();
  await expect(caller.getByRole('status').filter({ hasText: 'Waiting in queue' })).toBeVisible(15_000);
  return caller;
}

/**
 * A customer on the web phone (`/phone/`) in `phone`'s browser calls the demo number and is in
 * its menu when this returns.
 */
export async function callDemoNumber(phone: { browser: Browser }, platformUrl: string): Promise<Page> {
  const caller = await (await phone.browser.newContext()).newPage();
  await caller.goto(`${platformUrl}/phone/`);
  await caller
    .getByLabel('Number to call')
    .selectOption({ label: 'ACME Demo · Customer Care (+61290001000)' });
  await caller.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(caller.getByRole('status').filter({ hasText: 'In the menu' })).toBeVisible(15_000);
  return caller;
}
