import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, read once. */
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail a page: a serious or critical barrier for someone using assistive technology. */
export const BLOCKING_IMPACTS: readonly ImpactValue[] = ['serious', 'critical'];

export interface AxeFinding {
  id: string;
  impact: ImpactValue | null | undefined;
  help: string;
  helpUrl: string;
  /** Each element caught: its selector and the start of its HTML. */
  targets: string[];
  /** axe's own explanation for the first node, e.g. the contrast ratio found. */
  summary: string;
}

/**
 * Resolves once nothing on the page is fading or moving: no CSS transition or finite animation
 * running for several frames in a row (a dialog begins its fade-in a frame or two after it
 * appears). axe takes colours as they are painted, so a dialog caught mid-fade has washed-out
 * text: white at 0.9 opacity on its button failed colour contrast at 4.47:1 once.
 */
async function settled(page: Page): Promise<void> {
  // Plain JavaScript in a string, as in audio.ts: no test-runner helpers inside the page.
  await page.evaluate(`new Promise(function (resolve, reject) {
    var still = 0;
    var deadline = performance.now() + 10000;
    function frame() {
      var moving = document.getAnimations().some(function (a) {
        return a.playState === 'running' && !!a.effect && a.effect.getComputedTiming().endTime !== Infinity;
      });
      still = moving ? 0 : still + 1;
      if (still >= 3) resolve(undefined);
      else if (performance.now() > deadline) reject(new Error('the page was still animating after 10 s'));
      else requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
  })`);
}

/**
 * Runs axe-core over the page once it is still (WCAG 2.x A and AA and best practices) and returns its
 * violations. The script is evaluated over the DevTools protocol, which the page's Content
 * Security Policy does not govern, so no inline script is refused (and reported) on the way.
 */
export async function runAxe(page: Page, options: RunOptions = {}): Promise<AxeFinding[]> {
  await settled(page);
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (opts) => (window as unknown as { axe: { run(o: unknown): Promise<AxeResults> } }).axe.run(opts),
    {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
      ...options,
    } as RunOptions,
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map(
      (n) => `${n.target.map(String).join(' ')}  ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`,
    ),
    summary: v.nodes[0]?.failureSummary?.replace(/\s+/g, ' ').trim() ?? '',
  }));
}

/** One line a rule, then the elements it found, for a failure message or a log. */
export function formatFindings(findings: AxeFinding[]): string {
  return findings
    .map(
      (f) =>
        `- [${f.impact ?? 'unknown'}] ${f.id}: ${f.help} (${f.helpUrl})\n    ${f.summary}\n` +
        f.targets.map((t) => `    at ${t}`).join('\n'),
    )
    .join('\n');
}

/**
 * Fails, listing each rule (id, impact, help) and the selectors of the elements it caught, if axe
 * finds a serious or critical violation on the page as it is now. Lesser ones are logged.
 */
export async function assertNoSeriousA11yViolations(page: Page, where: string): Promise<void> {
  const findings = await runAxe(page);
  const blocking = findings.filter((f) => f.impact && BLOCKING_IMPACTS.includes(f.impact));
  const minor = findings.filter((f) => !blocking.includes(f));
  if (minor.length > 0) console.log(`axe, ${where}: minor or moderate findings\n${formatFindings(minor)}`);
  // AXE_REPORT_ONLY=1 lists every finding and goes on, to survey a whole run's pages at once.
  if (process.env.AXE_REPORT_ONLY && blocking.length > 0) {
    console.log(`axe, ${where}: SERIOUS OR CRITICAL\n${formatFindings(blocking)}`);
    return;
  }
  assert.equal(
    blocking.length,
    0,
    `axe found serious or critical accessibility violations ${where}:\n${formatFindings(blocking)}`,
  );
}
