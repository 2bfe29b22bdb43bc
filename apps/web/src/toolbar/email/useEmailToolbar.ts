import { ApiError, type RealtimeListener } from '@parley/client';
import type { AgentInteraction, QueueSummary, SendEmailOptions } from '@parley/contract';
import IconInbox from '@tabler/icons-react/icons/IconInbox';
import IconMailPlus from '@tabler/icons-react/icons/IconMailPlus';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api';
import type { TopBarAction } from '../top-bar/topBarAction';
import { describeEmailError } from './emailErrors';
import { type EmailQueueState, useEmailQueue } from './useEmailQueue';

export interface EmailToolbarOptions {
  interactions: AgentInteraction[] | undefined;
  queues: QueueSummary[] | undefined;
  subscribe: (listener: RealtimeListener) => () => void;
  onSessionExpired: () => void;
}

export interface EmailToolbar {
  /** "Send Email" (when the administrator allows it) and "Email Queue", for the top bar. */
  actions: TopBarAction[];
  queue: EmailQueueState;
  /** Why the Email Queue opened nothing, until dismissed. */
  queueError: string | undefined;
  dismissQueueError: () => void;
  options: SendEmailOptions | undefined;
  sendDialogOpen: boolean;
  closeSendDialog: () => void;
  /** An email just opened (from the queue or New Email), to show in the script area. */
  wanted: string | undefined;
  setWanted: (interactionId: string | undefined) => void;
}

const NO_OPTIONS: SendEmailOptions = { enabled: false, campaigns: [] };

/**
 * The toolbar's email controls: the Email Queue icon with the waiting count, which opens the
 * next email; the Send Email icon and its dialog; the email that should be shown next.
 */
export function useEmailToolbar({
  interactions,
  queues,
  subscribe,
  onSessionExpired,
}: EmailToolbarOptions): EmailToolbar {
  const queue = useEmailQueue(queues, subscribe);
  const [options, setOptions] = useState<SendEmailOptions | undefined>(undefined);
  const [sendDialogOpen, setSendDialogOpen] = useState(false);
  const [queueError, setQueueError] = useState<string | undefined>(undefined);
  const [opening, setOpening] = useState(false);
  const [wanted, setWanted] = useState<string | undefined>(undefined);
  const expired = useRef(onSessionExpired);
  expired.current = onSessionExpired;
  const known = useRef<AgentInteraction[] | undefined>(interactions);
  known.current = interactions;

  const failed = useCallback((failure: unknown, show: (message: string) => void) => {
    if (failure instanceof ApiError && failure.status === 401) expired.current();
    else show(describeEmailError(failure));
  }, []);

  const loadOptions = useCallback(() => {
    api.sendEmailOptions().then(setOptions, (failure: unknown) => {
      // Without its options the icon stays away; only a lost session needs the agent.
      failed(failure, () => setOptions(NO_OPTIONS));
    });
  }, [failed]);
  useEffect(() => {
    loadOptions();
    return subscribe({
      state: (_state, cause) => {
        if (cause !== 'snapshot' && (cause.name === 'assignments.changed' || cause.name === 'me.updated'))
          loadOptions();
      },
    });
  }, [loadOptions, subscribe]);

  const { waiting } = queue;
  const openNext = useCallback(async () => {
    if (waiting === 0) {
      setQueueError('No emails are waiting in your queues.');
      return;
    }
    setQueueError(undefined);
    setOpening(true);
    try {
      const before = new Set((known.current ?? []).map((i) => i.id));
      const state = await api.nextEmail();
      const opened = state.interactions.find((i) => i.kind === 'email' && !before.has(i.id));
      if (opened) setWanted(opened.id);
    } catch (failure) {
      failed(failure, setQueueError);
    } finally {
      setOpening(false);
    }
  }, [waiting, failed]);

  const enabled = options?.enabled === true;
  const actions = useMemo<TopBarAction[]>(() => {
    const count = waiting ?? 0;
    const emailQueue: TopBarAction = {
      kind: 'button',
      label: 'Email Queue',
      icon: IconInbox,
      onClick: () => {
        if (!opening) void openNext();
      },
      badge: {
        count,
        marked: false,
        description:
          count === 0
            ? 'No emails waiting'
            : count === 1
              ? '1 email waiting, opens it'
              : `${count} emails waiting, opens the next`,
      },
    };
    if (!enabled) return [emailQueue];
    const sendEmail: TopBarAction = {
      kind: 'button',
      label: 'Send Email',
      icon: IconMailPlus,
      onClick: () => setSendDialogOpen(true),
    };
    return [sendEmail, emailQueue];
  }, [waiting, opening, openNext, enabled]);

  return {
    actions,
    queue,
    queueError,
    dismissQueueError: useCallback(() => setQueueError(undefined), []),
    options: enabled ? options : undefined,
    sendDialogOpen: enabled && sendDialogOpen,
    closeSendDialog: useCallback(() => setSendDialogOpen(false), []),
    wanted,
    setWanted,
  };
}
