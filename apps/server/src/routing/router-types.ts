import type { ContactKind } from '@parley/contract';

/** A waiting contact as the router sees it. */
export interface RoutableContact {
  id: string;
  campaignId: string;
  kind: ContactKind;
  /** Higher first. */
  priority: number;
  /** ms epoch; FIFO within a priority. */
  enqueuedAt: number;
  /** Tie-breaker for equal enqueuedAt, increasing with arrival (from the database). */
  seq: number;
}

/** Interactions an agent holds now (offered, busy or wrapping), by kind. */
export interface AgentLoad {
  voice: number;
  chat: number;
  email: number;
}

/** The routable view of one agent. */
export interface RoutableAgent {
  id: string;
  /** Campaigns this agent serves (team eligibility already resolved). */
  campaignIds: ReadonlySet<string>;
  /** Status is Available (not paused, not signed out). */
  available: boolean;
  /** Has a working voice connection. */
  voiceReady: boolean;
  load: AgentLoad;
  /** The agent profile's max concurrent chats (default 5). */
  maxChats: number;
  /** Default 1. */
  maxEmails: number;
  /** ms epoch when the agent last became free; smaller = idle longer. */
  idleSince: number;
}

/** One decision of a plan: offer this contact to this agent. */
export interface RouteMatch {
  contactId: string;
  agentId: string;
}

export const CONTACT_KINDS_ORDER: readonly ContactKind[] = ['voice', 'chat', 'email'];
