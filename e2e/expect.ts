import type { Locator } from 'playwright-core';

export type { Browser, Page } from 'playwright-core';

const TIMEOUT = 10_000;

/** The few waiting assertions these tests need, on playwright-core's own waiting. */
export function expect(locator: Locator) {
  return {
    toBeVisible: (timeout = TIMEOUT) => locator.first().waitFor({ state: 'visible', timeout }),
    toBeHidden: (timeout = TIMEOUT) => locator.first().waitFor({ state: 'hidden', timeout }),
  };
}
