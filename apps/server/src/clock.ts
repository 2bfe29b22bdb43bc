/** Time as the domain sees it; tests pass a clock they move by hand. */
export interface Clock {
  now(): Date;
  /**
   * Runs fn after ms; returns a function that cancels it. fn may return the promise of the work it
   * sets off, for a virtual clock to wait on (`ManualClock.settled()`).
   */
  setTimer(ms: number, fn: () => unknown): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/** Virtual time: nothing happens until advance() moves it, then due timers run in order. */
export class ManualClock implements Clock {
  private timers: { at: number; seq: number; fn: () => unknown }[] = [];
  private seq = 0;
  /** The promises timers that ran returned, until they settle. */
  private readonly work = new Set<Promise<unknown>>();

  constructor(private ms = Date.UTC(2026, 0, 1)) {}

  now(): Date {
    return new Date(this.ms);
  }

  setTimer(ms: number, fn: () => unknown): () => void {
    const timer = { at: this.ms + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  advance(ms: number): void {
    const end = this.ms + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.ms = next.at;
      const work = next.fn();
      if (work instanceof Promise) {
        this.work.add(work);
        const done = () => this.work.delete(work);
        work.then(done, done);
      }
    }
    this.ms = end;
  }

  /**
   * Resolves once the work that timers set off (the promises they returned) has finished, work
   * set off meanwhile included: what a test awaits after advance() before it checks what happened.
   */
  async settled(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
