import { ApiError } from '@parley/client';
import type { AgentEmailView, AgentInteraction, EmailDraft } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';

export interface EmailViewLoad {
  view: AgentEmailView | undefined;
  error: string | undefined;
}

export interface EmailViews {
  get: (interactionId: string) => EmailViewLoad;
  retry: (interactionId: string) => void;
  /** The draft as last saved or changed, kept so the composer restores it when shown again. */
  draftChanged: (interactionId: string, draft: Partial<EmailDraft>) => void;
}

const EMPTY: EmailViewLoad = { view: undefined, error: undefined };

/** An email the agent works on (accepted, being wrapped): its message, thread and draft are shown. */
export const hasEmailView = (interaction: AgentInteraction) =>
  interaction.kind === 'email' && interaction.state !== 'offered';

/**
 * The email view of each of the agent's email interactions, fetched once when it becomes theirs
 * and kept while it is on the toolbar; the draft inside follows what the composer saves.
 */
export function useEmailViews(interactions: AgentInteraction[], onSessionExpired: () => void): EmailViews {
  const [loads, setLoads] = useState<Record<string, EmailViewLoad>>({});
  const requested = useRef(new Set<string>());
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;

  const load = useCallback((id: string) => {
    requested.current.add(id);
    api.email(id).then(
      (view) => {
        if (requested.current.has(id)) setLoads((all) => ({ ...all, [id]: { view, error: undefined } }));
      },
      (failure: unknown) => {
        if (!requested.current.has(id)) return;
        if (failure instanceof ApiError && failure.status === 401) {
          expired.current();
          return;
        }
        setLoads((all) => ({ ...all, [id]: { view: all[id]?.view, error: describeError(failure) } }));
      },
    );
  }, []);

  const signature = interactions
    .filter(hasEmailView)
    .map((i) => i.id)
    .join(' ');
  useEffect(() => {
    const ids = signature ? signature.split(' ') : [];
    for (const id of ids) if (!requested.current.has(id)) load(id);
    for (const id of [...requested.current]) if (!ids.includes(id)) requested.current.delete(id);
    setLoads((all) => {
      const gone = Object.keys(all).filter((id) => !ids.includes(id));
      if (gone.length === 0) return all;
      const kept = { ...all };
      for (const id of gone) delete kept[id];
      return kept;
    });
  }, [signature, load]);

  const get = useCallback((id: string) => loads[id] ?? EMPTY, [loads]);
  const retry = useCallback((id: string) => load(id), [load]);
  const draftChanged = useCallback((id: string, draft: Partial<EmailDraft>) => {
    setLoads((all) => {
      const view = all[id]?.view;
      if (!view) return all;
      return { ...all, [id]: { view: { ...view, draft: { ...view.draft, ...draft } }, error: undefined } };
    });
  }, []);

  return { get, retry, draftChanged };
}
