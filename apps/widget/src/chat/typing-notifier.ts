import type { Timers } from './timers';

/** After this long without a keystroke the customer counts as no longer typing. */
export const TYPING_IDLE_MS = 3000;

/**
 * Tells the agent when the customer starts and stops typing: `true` once when typing starts,
 * `false` after TYPING_IDLE_MS without input or when the message is sent. Keystrokes in between
 * send nothing, so a burst of typing costs two frames.
 */
export class TypingNotifier {
  private typing = false;
  private idle: unknown = null;

  constructor(
    private readonly send: (typing: boolean) => void,
    private readonly timers: Timers,
  ) {}

  /** The text box changed; empty text counts as stopping. */
  input(text: string): void {
    if (!text.trim()) {
      this.stop();
      return;
    }
    if (!this.typing) {
      this.typing = true;
      this.send(true);
    }
    this.clearIdle();
    this.idle = this.timers.setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** The message was sent, the chat ended or the socket dropped. */
  stop(): void {
    this.clearIdle();
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }

  /** Forgets the state without a frame (the socket it was told on is gone). */
  reset(): void {
    this.clearIdle();
    this.typing = false;
  }

  private clearIdle(): void {
    if (this.idle !== null) this.timers.clearTimeout(this.idle);
    this.idle = null;
  }
}
