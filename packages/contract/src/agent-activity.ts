import type { AgentInteraction, AgentState, AgentStatus } from './agents.js';

/** What an agent is doing with contacts, as the toolbar, reports and managers' views name it. */
export type ActivityName = 'On call' | 'On hold' | 'Ringing' | 'Chatting' | 'Emailing' | 'Wrapping';

export interface AgentActivity {
  name: ActivityName;
  /** As shown: the name, with the number of chats when chatting ("Chatting: 3"). */
  label: string;
  /** When this activity began: the timer beside it counts from here. */
  since: string;
}

const earliest = (list: AgentInteraction[]) =>
  list
    .map((i) => i.since)
    .sort()
    .at(0) ?? '';

/**
 * The working state that stands over the agent's status while contacts are on the toolbar: a
 * call first (on hold or not), then anything ringing, then chats or emails being handled, then
 * wrap-up. None when the toolbar holds nothing: the status (Available, a pause) is what stands.
 */
export function agentActivity(interactions: readonly AgentInteraction[]): AgentActivity | undefined {
  const busy = interactions.filter((i) => i.state === 'busy');
  const call = busy.find((i) => i.kind === 'voice');
  if (call) {
    return call.held
      ? { name: 'On hold', label: 'On hold', since: call.heldSince ?? call.since }
      : { name: 'On call', label: 'On call', since: call.since };
  }
  const offered = interactions.filter((i) => i.state === 'offered');
  if (offered.length > 0) return { name: 'Ringing', label: 'Ringing', since: earliest(offered) };
  const chats = busy.filter((i) => i.kind === 'chat');
  if (chats.length > 0) {
    return { name: 'Chatting', label: `Chatting: ${chats.length}`, since: earliest(chats) };
  }
  if (busy.length > 0) return { name: 'Emailing', label: 'Emailing', since: earliest(busy) };
  const wrapping = interactions.filter((i) => i.state === 'wrapping');
  if (wrapping.length > 0) return { name: 'Wrapping', label: 'Wrapping', since: earliest(wrapping) };
  return undefined;
}

/** The guide's name for a status: "Available", the pause reason, "Auto Pause" or "Unavailable". */
export function statusName(status: AgentStatus): string {
  switch (status.kind) {
    case 'available':
      return 'Available';
    case 'paused':
      return status.reasonName;
    case 'signed_out':
      return 'Signed out';
  }
}

/**
 * The state an agent's time is counted in (the agent-time report, managers' views): the working
 * state while there is one, else the status. Time on a call is never time Available.
 */
export function timeStateName(agent: Pick<AgentState, 'status' | 'interactions'>): string {
  return agentActivity(agent.interactions)?.name ?? statusName(agent.status);
}
