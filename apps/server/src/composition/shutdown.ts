import type { FastifyBaseLogger } from 'fastify';

/**
 * The process's one shutdown sequence: each role adds its close() as it starts, and `run()`
 * closes them newest first (toolbars' channels, the API's upkeep and imports, voice, the ACD).
 * It runs once however often it is asked; a role failing to close does not keep the rest open.
 */
export class ShutdownSequence {
  private readonly steps: { name: string; close: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: FastifyBaseLogger) {}

  add(name: string, close: () => unknown): void {
    this.steps.push({ name, close });
  }

  run(): Promise<void> {
    this.running ??= this.closeAll();
    return this.running;
  }

  private async closeAll(): Promise<void> {
    for (const { name, close } of this.steps.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        this.log.error({ err, role: name }, 'role did not close cleanly');
      }
    }
  }
}
