import { ApiError } from '@parley/client';
import type { AgentInteraction, InteractionNotesBody, InteractionPanel, Lead } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';

export interface PanelLoad {
  /** The last panel fetched; kept while a newer one loads. */
  panel: InteractionPanel | undefined;
  /** Why the last fetch failed, when it did. */
  error: string | undefined;
}

export interface InteractionPanels {
  get: (id: string) => PanelLoad;
  /** Fetches an interaction's panel again, after a failure. */
  retry: (id: string) => void;
  /** Notes the agent saved, kept in the panel so it shows them when seen again. */
  notesSaved: (id: string, notes: InteractionNotesBody) => void;
  /** The agent changed the lead's numbers: the lead as the server now has it. */
  leadChanged: (id: string, lead: Lead) => void;
}

const EMPTY: PanelLoad = { panel: undefined, error: undefined };

/**
 * The script and information panel of each of the agent's interactions, fetched when the
 * interaction appears and again when its state changes (talking and wrapping times begin), and
 * for a lead when a call on one of its numbers moves on (its attempts count the call).
 * The interactions themselves stay live from the realtime channel.
 */
export function useInteractionPanels(
  interactions: AgentInteraction[],
  onSessionExpired: () => void,
): InteractionPanels {
  const [loads, setLoads] = useState<Record<string, PanelLoad>>({});
  /** Per interaction: the `id:state` last asked for, and a token that only the latest request holds. */
  const requested = useRef(new Map<string, { key: string; token: number }>());
  const tokens = useRef(0);
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;

  const load = useCallback((id: string, key: string) => {
    tokens.current += 1;
    const token = tokens.current;
    requested.current.set(id, { key, token });
    // An answer for an older request (or an interaction that has gone) is dropped.
    const latest = () => requested.current.get(id)?.token === token;
    api.interactionPanel(id).then(
      (panel) => {
        if (latest()) setLoads((all) => ({ ...all, [id]: { panel, error: undefined } }));
      },
      (failure: unknown) => {
        if (!latest()) return;
        if (failure instanceof ApiError && failure.status === 401) {
          expiredHandler.current();
          return;
        }
        setLoads((all) => ({ ...all, [id]: { panel: all[id]?.panel, error: describeError(failure) } }));
      },
    );
  }, []);

  const signature = interactions.map(panelKey).join(' ');
  useEffect(() => {
    const present = new Set<string>();
    for (const key of signature ? signature.split(' ') : []) {
      const id = key.slice(0, key.indexOf(':'));
      present.add(id);
      if (requested.current.get(id)?.key !== key) load(id, key);
    }
    for (const id of [...requested.current.keys()]) {
      if (!present.has(id)) requested.current.delete(id);
    }
    setLoads((all) => {
      const gone = Object.keys(all).filter((id) => !present.has(id));
      if (gone.length === 0) return all;
      const kept = { ...all };
      for (const id of gone) delete kept[id];
      return kept;
    });
  }, [signature, load]);

  const get = useCallback((id: string) => loads[id] ?? EMPTY, [loads]);

  const retry = useCallback(
    (id: string) => {
      const last = requested.current.get(id);
      if (last) load(id, last.key);
    },
    [load],
  );

  const notesSaved = useCallback((id: string, notes: InteractionNotesBody) => {
    setLoads((all) => {
      const current = all[id];
      if (!current?.panel) return all;
      return { ...all, [id]: { ...current, panel: { ...current.panel, ...notes } } };
    });
  }, []);

  const leadChanged = useCallback((id: string, lead: Lead) => {
    setLoads((all) => {
      const current = all[id];
      if (!current?.panel?.lead) return all;
      const changed = { ...current.panel.lead, ...lead };
      return { ...all, [id]: { ...current, panel: { ...current.panel, lead: changed } } };
    });
  }, []);

  return { get, retry, notesSaved, leadChanged };
}

/** What the panel is fetched again for: a new state, or a lead's call moving on. */
function panelKey(interaction: AgentInteraction): string {
  const key = `${interaction.id}:${interaction.state}`;
  return interaction.leadId ? `${key}:${interaction.dial?.state ?? ''}` : key;
}
