import type { Locator } from 'playwright-core';

export type { Browser, Page } from 'playwright-core';

const TIMEOUT = 10_000;

/** Polls `read` until `ok` holds of what it reads, or fails saying what it saw last. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeout: number) {
  const end = Date.now() + timeout;
  for (;;) {
    const seen = await read().catch((err: Error) => err);
    if (!(seen instanceof Error) && ok(seen)) return;
    if (Date.now() > end)
      throw new Error(
        `expected ${what} within ${timeout} ms; last saw ${seen instanceof Error ? seen.message : JSON.stringify(seen)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The few waiting assertions these tests need, on playwright-core's own waiting. */
export function expect(locator: Locator) {
  return {
    toBeVisible: (timeout = TIMEOUT) => locator.first().waitFor({ state: 'visible', timeout }),
    toBeHidden: (timeout = TIMEOUT) => locator.first().waitFor({ state: 'hidden', timeout }),
    toHaveValue: (value: string, timeout = TIMEOUT) =>
      until(
        () => locator.inputValue({ timeout: 1000 }),
        (v) => v === value,
        `the value ${value}`,
        timeout,
      ),
    toBeChecked: (timeout = TIMEOUT) =>
      until(
        () => locator.isChecked({ timeout: 1000 }),
        (v) => v,
        'it checked',
        timeout,
      ),
  };
}
