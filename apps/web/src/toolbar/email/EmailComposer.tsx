import {
  ActionIcon,
  Button,
  Group,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import type { AgentEmailView, EmailComposeMode } from '@parley/contract';
import IconTrash from '@tabler/icons-react/icons/IconTrash';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { WrapCode } from '../interactions/InteractionActions';
import { AddressInput, type AddressInputProps } from './AddressInput';
import { ConfirmReplaceBody } from './ConfirmReplaceBody';
import { type ComposeFields, composeFor, isBlank, isEmptyHtml } from './composeDraft';
import { DiscardEmailDialog } from './DiscardEmailDialog';
import { DraftAttachments } from './DraftAttachments';
import { EmailSendButton } from './EmailSendButton';
import { fieldsOf, useEmailDraft } from './useEmailDraft';

export interface EmailComposerProps {
  view: AgentEmailView;
  /** The campaign's outcomes; undefined until the interaction's panel is loaded. */
  wrapCodes: WrapCode[] | undefined;
  /** The Outcome chosen in the information panel. */
  outcome: string | null;
  onDraftChanged: Parameters<typeof useEmailDraft>[0]['onChanged'];
  onSessionExpired: () => void;
}

const MODES: { mode: Exclude<EmailComposeMode, 'new'>; label: string }[] = [
  { mode: 'reply', label: 'Reply' },
  { mode: 'replyAll', label: 'Reply all' },
  { mode: 'forward', label: 'Forward' },
];

const MODE_WORDS = { reply: 'the reply', replyAll: 'the reply to all', forward: 'the forwarded message' };

type EditorModule = typeof import('./EmailEditor');
let editorModule: EditorModule | undefined;

/** The editor's code (ProseMirror): loaded with the first email, not with the toolbar. */
export function loadEmailEditor(): Promise<EditorModule> {
  return import('./EmailEditor').then((module) => {
    editorModule = module;
    return module;
  });
}

/**
 * The editor, once its code is loaded: at once when an earlier email loaded it. Shown by a plain
 * update rather than a Suspense retry, so it appears in one render, never in slices that other
 * work on a busy machine can hold back.
 */
function useEmailEditor(): EditorModule['EmailEditor'] | undefined {
  const [module, setModule] = useState(editorModule);
  const [failure, setFailure] = useState<unknown>(undefined);
  useEffect(() => {
    if (module) return;
    let shown = true;
    loadEmailEditor().then(
      (loaded) => shown && setModule(loaded),
      (error: unknown) => shown && setFailure(error ?? new Error('The editor did not load')),
    );
    return () => {
      shown = false;
    };
  }, [module]);
  if (failure !== undefined) throw failure;
  return module?.EmailEditor;
}

/** The Email Template drop-down's blank choice. */
const NO_TEMPLATE = 'none';

type Pending = { what: string; apply: () => void };

/** A fresh (blank) draft of a queued email, filled as the reply its mode says; else undefined. */
function freshReply(view: AgentEmailView): ComposeFields | undefined {
  const fields = fieldsOf(view.draft);
  if (!view.message || fields.mode === 'new' || !isBlank(fields)) return undefined;
  return composeFor(fields.mode, view.message, view.mailbox.address, fields.bcc);
}

/**
 * The reply to a queued email, or a new email: Reply, Reply all or Forward, the recipients,
 * subject, a template, the body and files; saved as the agent writes, sent and wrapped in one go.
 */
export function EmailComposer({
  view,
  wrapCodes,
  outcome,
  onDraftChanged,
  onSessionExpired,
}: EmailComposerProps) {
  const headingId = useId();
  const interactionId = view.interactionId;
  const EmailEditor = useEmailEditor();
  // A fresh draft of a queued email starts as a reply to it: decided once, as the composer opens,
  // so the body (and the editor, however late it loads) starts with the quote, and it is saved
  // like any change.
  const [reply] = useState(() => freshReply(view));
  const draft = useEmailDraft({
    interactionId,
    draft: view.draft,
    initial: reply,
    onChanged: onDraftChanged,
    onSessionExpired,
  });
  const { fields, change, flush } = draft;
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  const [discarding, setDiscarding] = useState(false);
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  /**
   * The body as last filled in for the agent (a reply's quote, a template): edited when it differs.
   * A draft restored with a body may hold the agent's own words: it counts as edited.
   */
  const filledBody = useRef<string | undefined>(reply?.html);
  const edited = () =>
    filledBody.current === undefined ? !isEmptyHtml(fields.html) : fields.html !== filledBody.current;
  const isNew = view.message === null;

  const askFirst = (what: string, apply: () => void) => (edited() ? setPending({ what, apply }) : apply());

  function handleMode(mode: Exclude<EmailComposeMode, 'new'>) {
    const message = view.message;
    if (!message || mode === fields.mode) return;
    askFirst(MODE_WORDS[mode], () => {
      const next = composeFor(mode, message, view.mailbox.address, fields.bcc);
      filledBody.current = next.html;
      change(next, { replacesBody: true });
    });
  }

  function handleTemplate(templateId: string | null) {
    if (templateId === draft.templateId) return;
    askFirst('the template', () => {
      void draft.chooseTemplate(templateId).then((saved) => {
        if (saved) filledBody.current = saved.html;
      });
    });
  }

  const handleValidity = useCallback((label: AddressInputProps['label'], valid: boolean) => {
    setInvalid((was) => {
      if (was.has(label) === !valid) return was;
      const next = new Set(was);
      if (valid) next.delete(label);
      else next.add(label);
      return next;
    });
  }, []);
  const blur = () => void flush();
  const address = (label: AddressInputProps['label'], key: 'to' | 'cc' | 'bcc') => (
    <AddressInput
      label={label}
      addresses={fields[key]}
      onChange={(addresses) => change({ [key]: addresses })}
      onBlur={blur}
      onValidity={handleValidity}
      onSessionExpired={onSessionExpired}
    />
  );

  return (
    <Stack component="section" aria-labelledby={headingId} gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Title id={headingId} order={3} size="h6">
          {isNew ? 'Your email' : 'Your reply'}
        </Title>
        <Tooltip label="Delete" openDelay={400}>
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label="Delete"
            aria-haspopup="dialog"
            onClick={() => setDiscarding(true)}
          >
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Group>
      {!isNew && (
        <Group gap="xs" role="group" aria-label="Answer with">
          {MODES.map(({ mode, label }) => (
            <Button
              key={mode}
              size="compact-sm"
              variant={fields.mode === mode ? 'filled' : 'default'}
              aria-pressed={fields.mode === mode}
              onClick={() => handleMode(mode)}
            >
              {label}
            </Button>
          ))}
        </Group>
      )}
      {address('To', 'to')}
      {address('Cc', 'cc')}
      {address('Bcc', 'bcc')}
      <TextInput
        label="Subject"
        maxLength={300}
        value={fields.subject}
        onChange={(event) => change({ subject: event.currentTarget.value })}
        onBlur={blur}
      />
      {view.templates.length > 0 && (
        <Select
          label="Email Template"
          data={[
            { value: NO_TEMPLATE, label: 'No template' },
            ...view.templates.map((t) => ({ value: t.id, label: t.name })),
          ]}
          value={draft.templateId ?? NO_TEMPLATE}
          onChange={(value) => handleTemplate(value === NO_TEMPLATE ? null : value)}
          allowDeselect={false}
        />
      )}
      {EmailEditor ? (
        <EmailEditor
          html={fields.html}
          version={draft.bodyVersion}
          onChange={(html) => change({ html })}
          onBlur={blur}
        />
      ) : (
        <Skeleton h={230} radius="sm" role="status" aria-busy="true" aria-label="Loading the editor" />
      )}
      <DraftAttachments
        interactionId={interactionId}
        attachments={draft.attachments}
        onAdded={draft.attachmentAdded}
        onRemoved={draft.attachmentRemoved}
        onSessionExpired={onSessionExpired}
      />
      <Text role="status" size="xs" c={draft.status === 'failed' ? 'red.7' : 'dimmed'} mih={18}>
        {
          {
            idle: '',
            saving: 'Saving draft…',
            saved: 'Draft saved',
            failed: `Draft not saved: ${draft.error}`,
          }[draft.status]
        }
      </Text>
      <EmailSendButton
        interactionId={interactionId}
        label={isNew ? 'Send and wrap email' : 'Send & wrap email'}
        fields={fields}
        invalidFields={[...invalid]}
        wrapCodes={wrapCodes}
        outcome={outcome}
        beforeSend={flush}
        onSessionExpired={onSessionExpired}
      />
      <ConfirmReplaceBody
        what={pending?.what}
        onCancel={() => setPending(undefined)}
        onConfirm={() => {
          pending?.apply();
          setPending(undefined);
        }}
      />
      {discarding && (
        <DiscardEmailDialog
          opened
          interactionId={interactionId}
          wrapCodes={wrapCodes}
          outcome={outcome}
          onClose={() => setDiscarding(false)}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Stack>
  );
}
