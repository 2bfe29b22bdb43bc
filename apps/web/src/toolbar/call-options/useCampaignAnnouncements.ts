import { ApiError } from '@parley/client';
import type { AgentInteraction, Announcement } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';

/**
 * The announcements of the campaigns of the agent's calls, for Play Announcement: fetched once
 * per campaign while a call of it is on the toolbar, and again for a later call once none is
 * left (an administrator may have added some meanwhile). A campaign whose list cannot be
 * fetched offers none.
 */
export function useCampaignAnnouncements(
  interactions: AgentInteraction[],
  onSessionExpired: () => void,
): (campaignId: string) => Announcement[] | undefined {
  const [lists, setLists] = useState<Record<string, Announcement[]>>({});
  const requested = useRef(new Set<string>());
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;

  const campaigns = [...new Set(interactions.filter((i) => i.kind === 'voice').map((i) => i.campaignId))]
    .sort()
    .join(' ');
  useEffect(() => {
    const present = new Set(campaigns ? campaigns.split(' ') : []);
    for (const campaignId of present) {
      if (requested.current.has(campaignId)) continue;
      requested.current.add(campaignId);
      api.campaignAnnouncements(campaignId).then(
        (list) => {
          if (requested.current.has(campaignId)) setLists((all) => ({ ...all, [campaignId]: list }));
        },
        (failure: unknown) => {
          if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
          else if (requested.current.has(campaignId)) setLists((all) => ({ ...all, [campaignId]: [] }));
        },
      );
    }
    for (const campaignId of [...requested.current]) {
      if (!present.has(campaignId)) requested.current.delete(campaignId);
    }
    setLists((all) => {
      const gone = Object.keys(all).filter((id) => !present.has(id));
      if (gone.length === 0) return all;
      const kept = { ...all };
      for (const id of gone) delete kept[id];
      return kept;
    });
  }, [campaigns]);

  return useCallback((campaignId: string) => lists[campaignId], [lists]);
}
