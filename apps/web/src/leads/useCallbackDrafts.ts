import type { AgentInteraction } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  doneWith,
  type InteractionStates,
  readStatesSignature,
  statesSignature,
} from '../toolbar/interactions/interactionStates';
import { type CallbackDraft, NO_CALLBACK } from './callbackDraft';

export interface CallbackDrafts {
  get: (id: string) => CallbackDraft;
  change: (id: string, draft: CallbackDraft) => void;
}

/**
 * The callback each lead interaction is to be wrapped with, chosen in the information panel and
 * sent by the card's wrap buttons. Forgotten when the interaction goes, or when a new call on the
 * lead begins after "Wrap and continue with Lead" (wrapping, then busy again).
 */
export function useCallbackDrafts(interactions: AgentInteraction[]): CallbackDrafts {
  const [drafts, setDrafts] = useState<Record<string, CallbackDraft>>({});
  const states = useRef<InteractionStates>(new Map());

  const signature = statesSignature(interactions);
  useEffect(() => {
    const now = readStatesSignature(signature);
    const done = doneWith(states.current, now);
    states.current = now;
    if (done.size === 0) return;
    setDrafts((all) => {
      const kept = { ...all };
      for (const id of done) delete kept[id];
      return kept;
    });
  }, [signature]);

  const get = useCallback((id: string) => drafts[id] ?? NO_CALLBACK, [drafts]);
  const change = useCallback((id: string, draft: CallbackDraft) => {
    setDrafts((all) => ({ ...all, [id]: draft }));
  }, []);
  return { get, change };
}
