import type { Clock } from '../clock.js';

/**
 * The caller's keys, as they come (DTMF events), for whoever asks next: kept when pressed early
 * (type-ahead), waited for on the injected clock otherwise. `abort` releases any waiter.
 */
export class DigitCollector {
  private readonly buffer: string[] = [];
  private waiter: ((digit: string | undefined) => void) | undefined;
  private cancelWait: (() => void) | undefined;
  private aborted = false;

  constructor(private readonly clock: Clock) {}

  get isAborted(): boolean {
    return this.aborted;
  }

  push(digit: string): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      this.cancelWait?.();
      w(digit);
    } else this.buffer.push(digit);
  }

  /** Keys pressed and not yet taken. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Forgets keys pressed so far (a new question starts). */
  clear(): void {
    this.buffer.length = 0;
  }

  abort(): void {
    this.aborted = true;
    const w = this.waiter;
    this.waiter = undefined;
    this.cancelWait?.();
    w?.(undefined);
  }

  /** The next key (already pressed, or within `ms`), or undefined when none came. */
  next(ms: number): Promise<string | undefined> {
    const ready = this.buffer.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.cancelWait = this.clock.setTimer(ms, () => {
        this.waiter = undefined;
        resolve(undefined);
      });
    });
  }

  /** Up to maxDigits keys, ended early by the terminator or a pause; '' when nothing came. */
  async collect(o: {
    maxDigits: number;
    terminator?: string;
    firstDigitSeconds: number;
    interDigitSeconds: number;
  }): Promise<string> {
    let collected = '';
    let wait = o.firstDigitSeconds;
    while (collected.length < o.maxDigits) {
      const d = await this.next(wait * 1000);
      if (d === undefined || d === o.terminator) break;
      collected += d;
      wait = o.interDigitSeconds;
    }
    return collected;
  }
}
