/**
 * The 20 ms media clock. setInterval drifts and bunches under load; this schedules each tick
 * against a monotonic start time and catches up when late, counting late ticks for the stats.
 */
export class MediaClock {
  private timer: NodeJS.Timeout | undefined;
  private started = 0n;
  private ticks = 0;
  lateTicks = 0;
  maxLagMs = 0;
  /** The greatest lag since the last takeMaxLag(): a benchmark's window, not the worker's life. */
  private windowMaxLagMs = 0;

  constructor(
    private readonly onTick: () => void,
    private readonly periodMs = 20,
  ) {}

  start(): void {
    this.started = process.hrtime.bigint();
    this.ticks = 0;
    this.schedule();
  }

  /** The greatest lag (ms) since the previous call, and starts a new window. */
  takeMaxLag(): number {
    const lag = this.windowMaxLagMs;
    this.windowMaxLagMs = 0;
    return lag;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private elapsedMs(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e6;
  }

  private schedule(): void {
    const due = (this.ticks + 1) * this.periodMs;
    this.timer = setTimeout(() => this.run(), Math.max(0, due - this.elapsedMs()));
  }

  private run(): void {
    // Run every tick that is due; a burst keeps the stream's timing whole after a stall.
    let guard = 0;
    while ((this.ticks + 1) * this.periodMs <= this.elapsedMs() && guard++ < 50) {
      const lag = this.elapsedMs() - (this.ticks + 1) * this.periodMs;
      if (lag > this.periodMs) this.lateTicks += 1;
      if (lag > this.maxLagMs) this.maxLagMs = lag;
      if (lag > this.windowMaxLagMs) this.windowMaxLagMs = lag;
      this.ticks += 1;
      this.onTick();
    }
    if (this.timer !== undefined) this.schedule();
  }
}
