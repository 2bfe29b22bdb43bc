import type { ContactKind } from '@parley/contract';
import type { AgentLoad, RoutableAgent } from './router-types.js';

/**
 * Blending rules. The agent must be available. Voice is exclusive: it needs a voice connection and
 * nothing held at all. Chat and email need no voice held and room under the profile's maximum.
 * `extra` is load tentatively assigned on top of the agent's own (used while planning).
 */
export function canTakeWith(agent: RoutableAgent, kind: ContactKind, extra?: AgentLoad): boolean {
  if (!agent.available) return false;
  const voice = agent.load.voice + (extra?.voice ?? 0);
  const chat = agent.load.chat + (extra?.chat ?? 0);
  const email = agent.load.email + (extra?.email ?? 0);
  switch (kind) {
    case 'voice':
      return agent.voiceReady && voice <= 0 && chat <= 0 && email <= 0;
    case 'chat':
      return voice <= 0 && chat < agent.maxChats;
    case 'email':
      return voice <= 0 && email < agent.maxEmails;
  }
}

/** Negative when `a` should be chosen before `b`: idle longer (smaller idleSince), then smaller id. */
export function compareAgents(a: RoutableAgent, b: RoutableAgent): number {
  if (a.idleSince !== b.idleSince) return a.idleSince - b.idleSince;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The first agent of a list sorted longest idle first who can take `kind` now: the longest idle. */
export function firstFit(sorted: readonly RoutableAgent[], kind: ContactKind): RoutableAgent | undefined {
  for (const agent of sorted) if (canTakeWith(agent, kind)) return agent;
  return undefined;
}
