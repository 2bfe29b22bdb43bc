import type { WorkflowDefinition, WorkflowNode } from '@parley/contract';
import type { Clock } from '../clock.js';
import { isOpen } from '../workspace/business-hours.js';

export { localTime } from '../workspace/business-hours.js';

import { DigitCollector } from './digit-collector.js';

/** What the runner needs from the call's media: prompts played to the caller. */
export interface IvrMedia {
  /** Plays a prompt to the caller; with stopOnDtmf a key press cuts it short. */
  play(prompt: string, stopOnDtmf: boolean): Promise<void>;
  /** Stops whatever is playing (the caller hung up). */
  stop(): void;
  /** Connects the caller to `number`; false when that did not happen (refused, busy, no answer). */
  transfer(number: string, ringMs: number): Promise<boolean>;
}

export type IvrOutcome =
  | { kind: 'queue'; campaignId: string; data: string | null }
  | { kind: 'hangup'; data: string | null }
  /** The caller was connected to a number outside; call control has the call now. */
  | { kind: 'transferred'; number: string; data: string | null }
  /** The caller went away during the workflow. */
  | { kind: 'gone'; data: string | null };

/** The most nodes one call may pass through: a guard on top of the save-time loop check. */
const MAX_STEPS = 500;

/**
 * Runs one call through an IVR workflow: prompts, menus and digit collection on the caller's
 * DTMF (fed in with `digit`), data for the agent, business hours on the injected clock, and the
 * queue or hang-up it ends in. Keys pressed during a prompt are kept (type-ahead).
 */
export class IvrRunner {
  private readonly keys: DigitCollector;
  private data: string | null = null;
  /** A prompt a key may cut short is playing. */
  private interruptible = false;

  constructor(
    private readonly def: WorkflowDefinition,
    private readonly media: IvrMedia,
    private readonly clock: Clock,
  ) {
    this.keys = new DigitCollector(clock);
  }

  private get gone(): boolean {
    return this.keys.isAborted;
  }

  /** A key the caller pressed. */
  digit(d: string): void {
    this.keys.push(d);
    // The media stops a prompt on keys it hears itself; a key by SIP INFO must stop it here.
    if (this.interruptible) this.media.stop();
  }

  /** The caller hung up: the run ends with `gone` at the next step. */
  abort(): void {
    this.keys.abort();
    this.media.stop();
  }

  async run(): Promise<IvrOutcome> {
    let id = this.def.start;
    for (let step = 0; step < MAX_STEPS; step++) {
      if (this.gone) return { kind: 'gone', data: this.data };
      const node = this.def.nodes[id];
      if (!node) return { kind: 'hangup', data: this.data };
      const next = await this.step(node);
      if (this.gone) return { kind: 'gone', data: this.data };
      if (typeof next !== 'string') return next;
      id = next;
    }
    return { kind: 'hangup', data: this.data };
  }

  private async step(node: WorkflowNode): Promise<string | IvrOutcome> {
    switch (node.type) {
      case 'play':
        await this.prompt(node.prompt, false);
        return node.next;
      case 'setData':
        this.data = node.value;
        return node.next;
      case 'queue':
        return { kind: 'queue', campaignId: node.campaignId, data: this.data };
      case 'hangup':
        return { kind: 'hangup', data: this.data };
      case 'hours': {
        return isOpen(node, this.clock.now()) ? node.open : node.closed;
      }
      case 'menu':
        return this.menu(node);
      case 'transfer': {
        const connected = await this.media.transfer(node.number, (node.ringSeconds ?? 30) * 1000);
        return connected ? { kind: 'transferred', number: node.number, data: this.data } : node.failed;
      }
      case 'collect': {
        await this.prompt(node.prompt, true);
        this.data = await this.keys.collect(node);
        return node.next;
      }
    }
  }

  private async prompt(name: string, interruptible: boolean): Promise<void> {
    // A caller who knows the menu has keyed ahead: a prompt they could cut short is skipped.
    if (interruptible && this.keys.pending > 0) return;
    this.interruptible = interruptible;
    try {
      await this.media.play(name, interruptible);
    } finally {
      this.interruptible = false;
    }
  }

  private async menu(node: Extract<WorkflowNode, { type: 'menu' }>): Promise<string> {
    // Keys pressed before the menu (type-ahead, or before its prompt began) count.
    for (let attempt = 0; attempt <= node.retries; attempt++) {
      await this.prompt(node.prompt, true);
      const d = await this.keys.next(node.timeoutSeconds * 1000);
      if (this.gone) return node.otherwise;
      const choice = d ? node.choices[d] : undefined;
      if (choice) return choice;
      const sorry = d ? node.invalidPrompt : node.noInputPrompt;
      if (sorry && attempt < node.retries) await this.prompt(sorry, false);
      this.keys.clear();
    }
    return node.otherwise;
  }
}
