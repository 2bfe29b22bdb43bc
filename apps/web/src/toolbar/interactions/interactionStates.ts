import type { AgentInteraction } from '@parley/contract';

export type InteractionStates = Map<string, AgentInteraction['state']>;

/** The interactions' ids and states in a string: a hook's effect runs again when one changes. */
export function statesSignature(interactions: AgentInteraction[]): string {
  return interactions.map((i) => `${i.id}:${i.state}`).join(' ');
}

export function readStatesSignature(signature: string): InteractionStates {
  const states: InteractionStates = new Map();
  for (const key of signature ? signature.split(' ') : []) {
    const at = key.indexOf(':');
    states.set(key.slice(0, at), key.slice(at + 1) as AgentInteraction['state']);
  }
  return states;
}

/**
 * The interactions whose choices made in the panel are done with: gone from the toolbar, or back
 * from wrapping to a new call on the same lead ("Wrap and continue with Lead").
 */
export function doneWith(before: InteractionStates, now: InteractionStates): Set<string> {
  const done = new Set<string>();
  for (const [id, was] of before) {
    const state = now.get(id);
    if (state === undefined || (was === 'wrapping' && state !== 'wrapping')) done.add(id);
  }
  return done;
}
