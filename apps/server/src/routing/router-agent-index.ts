import { compareAgents } from './router-blending.js';
import type { RoutableAgent } from './router-types.js';

/**
 * campaignId -> the campaign's AVAILABLE agents, sorted longest idle first (idleSince, then id).
 * Kept sorted on every upsert (binary search + splice per campaign of the agent), so that choosing an
 * agent is a first-fit walk that stops at the first one with room, and plan() needs no sorting.
 */
export class AgentIndex {
  private readonly byCampaign = new Map<string, RoutableAgent[]>();

  /** The campaign's available agents, longest idle first. Read-only for callers. */
  list(campaignId: string): readonly RoutableAgent[] | undefined {
    return this.byCampaign.get(campaignId);
  }

  add(agent: RoutableAgent): void {
    if (!agent.available) return;
    for (const campaignId of agent.campaignIds) {
      let list = this.byCampaign.get(campaignId);
      if (!list) {
        list = [];
        this.byCampaign.set(campaignId, list);
      }
      list.splice(lowerBound(list, agent), 0, agent);
    }
  }

  /**
   * Swaps the stored version of an agent. When only its load changed (same availability, idleSince
   * and campaigns: the usual update after an offer or a finished chat), it keeps its place in every
   * list and is replaced in place, with no splicing.
   */
  replace(previous: RoutableAgent | undefined, next: RoutableAgent): void {
    if (previous && samePlace(previous, next)) {
      if (!next.available) return;
      for (const campaignId of next.campaignIds) {
        const list = this.byCampaign.get(campaignId);
        const i = list ? lowerBound(list, previous) : -1;
        if (list && list[i]?.id === previous.id) list[i] = next;
      }
      return;
    }
    if (previous) this.delete(previous);
    this.add(next);
  }

  /** Removes exactly this stored agent (same idleSince and id) from its campaigns' lists. */
  delete(agent: RoutableAgent): void {
    if (!agent.available) return;
    for (const campaignId of agent.campaignIds) {
      const list = this.byCampaign.get(campaignId);
      if (!list) continue;
      const i = lowerBound(list, agent);
      if (list[i]?.id === agent.id) list.splice(i, 1);
      if (list.length === 0) this.byCampaign.delete(campaignId);
    }
  }
}

function lowerBound(list: readonly RoutableAgent[], agent: RoutableAgent): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = list[mid];
    if (item !== undefined && compareAgents(item, agent) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function samePlace(a: RoutableAgent, b: RoutableAgent): boolean {
  if (a.available !== b.available || a.idleSince !== b.idleSince) return false;
  if (a.campaignIds.size !== b.campaignIds.size) return false;
  for (const c of a.campaignIds) if (!b.campaignIds.has(c)) return false;
  return true;
}
