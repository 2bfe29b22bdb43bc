import { ApiError } from '@parley/client';
import type { InteractionNotesBody } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { describeError } from '../../common/describeError';

export interface NotesValues {
  notes: string;
  transferNotes: string;
}

export type NotesField = keyof NotesValues;

export type NotesSaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

export interface NotesAutosave {
  values: NotesValues;
  status: NotesSaveStatus;
  /** Why the last save failed, when it did. */
  error: string | undefined;
  change: (field: NotesField, value: string) => void;
  /** Saves now what is not saved yet (on blur). */
  flush: () => void;
}

export interface NotesAutosaveOptions {
  interactionId: string;
  /** The notes as the server last reported them. */
  server: NotesValues;
  onSaved: (saved: InteractionNotesBody) => void;
  onSessionExpired: () => void;
}

/** How long after the agent stops typing the notes are saved. */
export const NOTES_SAVE_DELAY_MS = 800;

const FIELDS: NotesField[] = ['notes', 'transferNotes'];

/**
 * The notes and transfer notes the agent types for an interaction, saved with it a moment after
 * typing stops, on blur, and when the panel goes away. What the agent typed is never replaced by
 * a refetch: only a field they have not touched takes the server's newer text.
 */
export function useNotesAutosave({
  interactionId,
  server,
  onSaved,
  onSessionExpired,
}: NotesAutosaveOptions): NotesAutosave {
  const [values, setValues] = useState<NotesValues>(server);
  const [status, setStatus] = useState<NotesSaveStatus>('idle');
  const [error, setError] = useState<string | undefined>(undefined);
  /** The latest text, read by timers and the save queue. */
  const current = useRef<NotesValues>(server);
  /** What the server holds, as far as this panel knows. */
  const stored = useRef<NotesValues>(server);
  const touched = useRef(new Set<NotesField>());
  const timer = useRef<number | undefined>(undefined);
  /** Saves run one after the other, so an older text never lands after a newer one. */
  const queue = useRef<Promise<void>>(Promise.resolve());
  const handlers = useRef({ onSaved, onSessionExpired });
  handlers.current = { onSaved, onSessionExpired };

  const { notes: serverNotes, transferNotes: serverTransferNotes } = server;
  useEffect(() => {
    const fromServer: NotesValues = { notes: serverNotes, transferNotes: serverTransferNotes };
    let next = current.current;
    for (const field of FIELDS) {
      if (touched.current.has(field) || current.current[field] === fromServer[field]) continue;
      next = { ...next, [field]: fromServer[field] };
      stored.current = { ...stored.current, [field]: fromServer[field] };
    }
    if (next !== current.current) {
      current.current = next;
      setValues(next);
    }
  }, [serverNotes, serverTransferNotes]);

  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    queue.current = queue.current.then(async () => {
      const body: InteractionNotesBody = {};
      for (const field of FIELDS) {
        if (current.current[field] !== stored.current[field]) body[field] = current.current[field];
      }
      if (body.notes === undefined && body.transferNotes === undefined) return;
      setStatus('saving');
      setError(undefined);
      try {
        await api.saveInteractionNotes(interactionId, body);
        stored.current = { ...stored.current, ...body };
        handlers.current.onSaved(body);
        // Typed on while it saved: the next save is on its way.
        setStatus(timer.current === undefined ? 'saved' : 'idle');
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) handlers.current.onSessionExpired();
        setStatus('failed');
        setError(describeError(failure));
      }
    });
  }, [interactionId]);

  const change = useCallback(
    (field: NotesField, value: string) => {
      touched.current.add(field);
      current.current = { ...current.current, [field]: value };
      setValues(current.current);
      setStatus((s) => (s === 'saving' ? s : 'idle'));
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(flush, NOTES_SAVE_DELAY_MS);
    },
    [flush],
  );

  // Switching to another interaction, or the interaction going away: save what is left.
  useEffect(() => flush, [flush]);

  return { values, status, error, change, flush };
}
