import type { AgentInteraction, AgentState } from '@parley/contract';

/** An agent as the server reports it: Available with voice, nothing on the toolbar, unless overridden. */
export function buildAgentState(overrides: Partial<AgentState> = {}): AgentState {
  return {
    status: { kind: 'available' },
    since: new Date().toISOString(),
    voice: 'connected',
    interactions: [],
    nextStatus: null,
    ...overrides,
  };
}

export const CALL_ID = '00000000-0000-4000-8000-0000000000c1';

/** A call connected to the agent ("busy") in the Support campaign, unless overridden. */
export function buildCall(overrides: Partial<AgentInteraction> = {}): AgentInteraction {
  return {
    id: CALL_ID,
    kind: 'voice',
    state: 'busy',
    campaignId: '00000000-0000-4000-8000-0000000000ca',
    campaignName: 'Support',
    label: 'Web caller',
    since: new Date().toISOString(),
    ...overrides,
  };
}
