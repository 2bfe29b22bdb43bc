/** Time as the domain sees it; tests pass a clock they move by hand. */
export interface Clock {
  now(): Date;
  /** Runs fn after ms; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
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
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(private ms = Date.UTC(2026, 0, 1)) {}

  now(): Date {
    return new Date(this.ms);
  }

  setTimer(ms: number, fn: () => void): () => void {
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
      next.fn();
    }
    this.ms = end;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
