import { ApiError } from '@parley/client';
import type { AgentInteraction, InteractionPanel } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';
import { doneWith, type InteractionStates, readStatesSignature, statesSignature } from './interactionStates';

export type OutcomeSaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

export interface OutcomeChoice {
  /** The wrap code chosen, or null while none is. */
  value: string | null;
  status: OutcomeSaveStatus;
  /** Why the last save failed, when it did. */
  error: string | undefined;
}

export interface OutcomeChoices {
  /** The interaction's Outcome: the agent's latest choice here, else what its panel says is stored. */
  get: (id: string, panel: InteractionPanel | undefined) => OutcomeChoice;
  /** The agent chose (or chose again): shown at once, saved with the interaction. */
  choose: (id: string, value: string | null) => void;
}

/**
 * The Outcome of each of the agent's interactions, chosen in the information panel while the
 * customer is still there and saved as it is chosen, so a reload shows it and the wrap uses it.
 * Saves of one interaction run one after the other and only the latest choice is sent, so a
 * choice made again always wins over an earlier one still on its way.
 */
export function useOutcomeChoices(
  interactions: AgentInteraction[],
  onSessionExpired: () => void,
): OutcomeChoices {
  const [choices, setChoices] = useState<Record<string, OutcomeChoice>>({});
  /** The latest choice per interaction, read by the save queue. */
  const latest = useRef(new Map<string, string | null>());
  const queues = useRef(new Map<string, Promise<void>>());
  const expiredHandler = useRef(onSessionExpired);
  expiredHandler.current = onSessionExpired;

  /** Each interaction's state when last seen: a lead wrapped and continued with starts afresh. */
  const states = useRef<InteractionStates>(new Map());
  const signature = statesSignature(interactions);
  useEffect(() => {
    const now = readStatesSignature(signature);
    const done = doneWith(states.current, now);
    states.current = now;
    for (const id of done) {
      latest.current.delete(id);
      queues.current.delete(id);
    }
    if (done.size === 0) return;
    setChoices((all) => {
      const kept = { ...all };
      for (const id of done) delete kept[id];
      return kept;
    });
  }, [signature]);

  const choose = useCallback((id: string, value: string | null) => {
    latest.current.set(id, value);
    const set = (choice: OutcomeChoice) => {
      // Only for the choice still current: an older one's answer says nothing about it.
      if (latest.current.get(id) === value) setChoices((all) => ({ ...all, [id]: choice }));
    };
    set({ value, status: 'saving', error: undefined });
    const previous = queues.current.get(id) ?? Promise.resolve();
    const save = previous.then(async () => {
      if (latest.current.get(id) !== value) return; // chosen again since: that one is sent instead
      try {
        await api.chooseInteractionOutcome(id, { wrapCodeId: value });
        set({ value, status: 'saved', error: undefined });
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) expiredHandler.current();
        set({ value, status: 'failed', error: describeError(failure) });
      }
    });
    queues.current.set(id, save);
  }, []);

  const get = useCallback(
    (id: string, panel: InteractionPanel | undefined): OutcomeChoice =>
      choices[id] ?? { value: panel?.wrapCodeId ?? null, status: 'idle', error: undefined },
    [choices],
  );

  return { get, choose };
}
