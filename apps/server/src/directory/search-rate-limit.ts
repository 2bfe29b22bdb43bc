import type { Clock } from '../clock.js';
import { SlidingWindow, type WindowPolicy } from '../http/sliding-window.js';

/** Search as you type sends a search a keystroke or so: 20 in 10 s is a fast typist, not a script. */
export const DEFAULT_SEARCH_RATE: WindowPolicy = { perWindow: 20, windowMs: 10_000 };

/** Directory searches per user in a sliding window, so one client cannot flood Graph or the database. */
export class SearchRateLimit extends SlidingWindow {
  constructor(clock: Clock, policy: WindowPolicy = DEFAULT_SEARCH_RATE) {
    super(clock, policy);
  }
}
