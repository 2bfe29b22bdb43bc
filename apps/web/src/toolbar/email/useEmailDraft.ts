import { ApiError } from '@parley/client';
import type { EmailAttachmentInfo, EmailDraft, SaveEmailDraftBody } from '@parley/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import type { ComposeFields } from './composeDraft';
import { describeEmailError } from './emailErrors';

/** How long after the agent stops typing the draft is saved. */
export const DRAFT_SAVE_DELAY_MS = 800;

export type DraftSaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

export interface EmailDraftState {
  fields: ComposeFields;
  templateId: string | null;
  attachments: EmailAttachmentInfo[];
  status: DraftSaveStatus;
  error: string | undefined;
  /** Goes up when the body is replaced from outside the editor (a template, Reply all): the editor takes it. */
  bodyVersion: number;
  change: (patch: Partial<ComposeFields>, options?: { replacesBody?: boolean }) => void;
  /** Saves what is not saved yet, now (blur, before sending); resolves once the server has it. */
  flush: () => Promise<void>;
  /** The template picked: the server fills the draft from it, and the composer shows its answer. */
  chooseTemplate: (templateId: string | null) => Promise<EmailDraft | undefined>;
  attachmentAdded: (attachment: EmailAttachmentInfo) => void;
  attachmentRemoved: (attachmentId: string) => void;
}

export interface EmailDraftOptions {
  interactionId: string;
  /** The draft as the server last gave it (restored after a reload). */
  draft: EmailDraft;
  /**
   * What the composer opens with when it fills the draft in itself (a fresh reply's quote): shown
   * from the first render, and saved like a change, `DRAFT_SAVE_DELAY_MS` after the composer opens.
   */
  initial?: ComposeFields;
  /** Told of what the server now holds, so the draft is restored when shown again. */
  onChanged: (draft: Partial<EmailDraft>) => void;
  onSessionExpired: () => void;
}

const FIELDS = ['mode', 'to', 'cc', 'bcc', 'subject', 'html'] as const;

const same = (a: ComposeFields[keyof ComposeFields], b: ComposeFields[keyof ComposeFields]) =>
  Array.isArray(a) && Array.isArray(b) ? a.join('\n') === b.join('\n') : a === b;

export const fieldsOf = (draft: EmailDraft): ComposeFields => ({
  mode: draft.mode,
  to: draft.to,
  cc: draft.cc,
  bcc: draft.bcc,
  subject: draft.subject,
  html: draft.html,
});

/** What differs from what the server holds: the body of the next save. */
function changedFields(current: ComposeFields, stored: ComposeFields): SaveEmailDraftBody {
  const body: Record<string, unknown> = {};
  for (const field of FIELDS) if (!same(current[field], stored[field])) body[field] = current[field];
  return body as SaveEmailDraftBody;
}

/**
 * The reply (or new email) as the agent writes it, saved with the interaction a moment after
 * typing stops, on blur and when the composer goes away: only the fields that changed, one save
 * after the other, so an older text never lands after a newer one.
 */
export function useEmailDraft({
  interactionId,
  draft,
  initial,
  onChanged,
  onSessionExpired,
}: EmailDraftOptions): EmailDraftState {
  const [fields, setFields] = useState<ComposeFields>(() => initial ?? fieldsOf(draft));
  const [templateId, setTemplateId] = useState(draft.templateId);
  const [attachments, setAttachments] = useState(draft.attachments);
  const [status, setStatus] = useState<DraftSaveStatus>('idle');
  const [error, setError] = useState<string | undefined>(undefined);
  const [bodyVersion, setBodyVersion] = useState(0);
  const current = useRef<ComposeFields>(fields);
  const stored = useRef<ComposeFields>(fieldsOf(draft));
  const attachmentsNow = useRef(draft.attachments);
  const timer = useRef<number | undefined>(undefined);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const handlers = useRef({ onChanged, onSessionExpired });
  handlers.current = { onChanged, onSessionExpired };

  const failed = useCallback((failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 401) handlers.current.onSessionExpired();
    setStatus('failed');
    setError(describeEmailError(failure));
  }, []);

  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    queue.current = queue.current.then(async () => {
      const body = changedFields(current.current, stored.current);
      if (Object.keys(body).length === 0) return;
      setStatus('saving');
      setError(undefined);
      try {
        const saved = await api.saveEmailDraft(interactionId, body);
        stored.current = { ...stored.current, ...body };
        handlers.current.onChanged({ ...body, savedAt: saved.savedAt });
        setStatus(timer.current === undefined ? 'saved' : 'idle');
      } catch (failure) {
        failed(failure);
      }
    });
    return queue.current;
  }, [interactionId, failed]);

  const change = useCallback(
    (patch: Partial<ComposeFields>, options?: { replacesBody?: boolean }) => {
      current.current = { ...current.current, ...patch };
      setFields(current.current);
      if (options?.replacesBody) setBodyVersion((v) => v + 1);
      setStatus((s) => (s === 'saving' ? s : 'idle'));
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void flush(), DRAFT_SAVE_DELAY_MS);
    },
    [flush],
  );

  const chooseTemplate = useCallback(
    async (id: string | null): Promise<EmailDraft | undefined> => {
      window.clearTimeout(timer.current);
      timer.current = undefined;
      await queue.current;
      setStatus('saving');
      setError(undefined);
      try {
        // What the agent typed goes with it, so only the template's parts are replaced.
        const saved = await api.saveEmailDraft(interactionId, {
          ...changedFields(current.current, stored.current),
          templateId: id,
        });
        current.current = fieldsOf(saved);
        stored.current = fieldsOf(saved);
        setFields(current.current);
        setTemplateId(saved.templateId);
        attachmentsNow.current = saved.attachments;
        setAttachments(saved.attachments);
        setBodyVersion((v) => v + 1);
        handlers.current.onChanged(saved);
        setStatus('saved');
        return saved;
      } catch (failure) {
        failed(failure);
        return undefined;
      }
    },
    [interactionId, failed],
  );

  const setAttachmentList = useCallback((next: EmailAttachmentInfo[]) => {
    attachmentsNow.current = next;
    setAttachments(next);
    handlers.current.onChanged({ attachments: next });
  }, []);
  const attachmentAdded = useCallback(
    (attachment: EmailAttachmentInfo) => setAttachmentList([...attachmentsNow.current, attachment]),
    [setAttachmentList],
  );
  const attachmentRemoved = useCallback(
    (attachmentId: string) => setAttachmentList(attachmentsNow.current.filter((a) => a.id !== attachmentId)),
    [setAttachmentList],
  );

  // Filled in by the composer as it opened: saved like a change, once the agent has seen it.
  useEffect(() => {
    if (Object.keys(changedFields(current.current, stored.current)).length === 0) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), DRAFT_SAVE_DELAY_MS);
  }, [flush]);

  // The composer going away (another interaction shown, the email sent): what is left is saved,
  // and kept as the draft at once, so coming back before the save is answered shows it.
  useEffect(
    () => () => {
      if (timer.current === undefined) return;
      handlers.current.onChanged(current.current);
      void flush();
    },
    [flush],
  );

  return {
    fields,
    templateId,
    attachments,
    status,
    error,
    bodyVersion,
    change,
    flush,
    chooseTemplate,
    attachmentAdded,
    attachmentRemoved,
  };
}
