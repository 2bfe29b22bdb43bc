import { AppError } from '../../http/app-error.js';
import type { Call, CallState } from './call.js';

/** The states of a call in conversation: an agent is on it. */
export const IN_CONVERSATION: readonly CallState[] = ['connected', 'held', 'consulting', 'conference'];

/**
 * The calls this process holds, found by any interaction on them (the customer's first one, a
 * consulted or transferred-to agent's) or by any leg they own (the customer's, a dialled phone's).
 */
export class CallRegistry {
  private readonly byEntry = new Map<string, Call>();

  get size(): number {
    return new Set(this.byEntry.values()).size;
  }

  /** Every call once. */
  all(): Call[] {
    return [...new Set(this.byEntry.values())];
  }

  add(entryId: string, call: Call): void {
    this.byEntry.set(entryId, call);
  }

  get(entryId: string): Call | undefined {
    return this.byEntry.get(entryId);
  }

  has(entryId: string): boolean {
    return this.byEntry.has(entryId);
  }

  /**
   * The call `userId` has under their interaction `entryId`, in one of `states`; else why not, with
   * a stable code (NOT_FOUND: not theirs; INTERACTION_STATE: not now, or, for a move that acts
   * on the customer (`customer`), a call without one: an Agent Call).
   */
  owned(
    userId: string,
    entryId: string,
    states: readonly CallState[],
    doing: string,
    needs: { customer?: boolean } = {},
  ): Call {
    const call = this.byEntry.get(entryId);
    const owner = call?.owner;
    if (!call || owner?.userId !== userId || owner.entryId !== entryId)
      throw new AppError('NOT_FOUND', 'That call is not on your toolbar');
    if (!states.includes(call.state)) throw new AppError('INTERACTION_STATE', `${doing} is not possible now`);
    if (needs.customer && !call.customer)
      throw new AppError('INTERACTION_STATE', `${doing} needs a customer on the call`);
    return call;
  }

  /** The call by its reference (an interaction id) or by a leg it owns. */
  find(ref: string): Call | undefined {
    return this.byEntry.get(ref) ?? this.all().find((c) => c.hasLeg(ref));
  }

  /** One interaction no longer finds its call (an offer to join it that came to nothing). */
  forget(entryId: string): void {
    this.byEntry.delete(entryId);
  }

  /** The call leaves the registry, under every interaction it was known by. */
  remove(call: Call): void {
    for (const [id, c] of this.byEntry) if (c === call) this.byEntry.delete(id);
  }
}
