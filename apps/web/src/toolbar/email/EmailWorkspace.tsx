import { Divider, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { AgentInteraction, EmailDraft } from '@parley/contract';
import { useId } from 'react';
import type { WrapCode } from '../interactions/InteractionActions';
import { PanelLoadFailed } from '../interactions/PanelLoadFailed';
import { EmailComposer } from './EmailComposer';
import { EmailMessageView } from './EmailMessageView';
import { EmailPreviousList } from './EmailPreviousList';
import type { EmailViewLoad } from './useEmailViews';

export interface EmailWorkspaceProps {
  interaction: AgentInteraction;
  load: EmailViewLoad;
  /** Several interactions are on the toolbar: say which one this is. */
  showLabel: boolean;
  wrapCodes: WrapCode[] | undefined;
  outcome: string | null;
  onRetry: () => void;
  onDraftChanged: (draft: Partial<EmailDraft>) => void;
  onSessionExpired: () => void;
}

/**
 * An email interaction in the script area: the email answered, the reply being written (or the
 * new email), and the thread's previous emails below, newest first.
 */
export function EmailWorkspace({
  interaction,
  load,
  showLabel,
  wrapCodes,
  outcome,
  onRetry,
  onDraftChanged,
  onSessionExpired,
}: EmailWorkspaceProps) {
  const headingId = useId();
  const { view, error } = load;
  const title = view ? (view.message ? view.message.subject || '(no subject)' : 'New Email') : 'Email';
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="md" p="md">
      <Group justify="space-between" wrap="nowrap" gap="sm" mb="sm">
        <Title id={headingId} order={2} size="h5">
          {title}
        </Title>
        {showLabel && (
          <Text size="sm" c="dimmed" truncate="end">
            {interaction.label}
          </Text>
        )}
      </Group>
      {view ? (
        <Stack gap="md">
          {view.message && <EmailMessageView message={view.message} />}
          {view.message && <Divider />}
          {interaction.state === 'busy' ? (
            <EmailComposer
              view={view}
              wrapCodes={wrapCodes}
              outcome={outcome}
              onDraftChanged={onDraftChanged}
              onSessionExpired={onSessionExpired}
            />
          ) : (
            <Text size="sm" c="dimmed">
              This email is being wrapped: choose an Outcome and wrap it from its card.
            </Text>
          )}
          <EmailPreviousList messages={view.thread} />
        </Stack>
      ) : error ? (
        <PanelLoadFailed error={error} onRetry={onRetry} />
      ) : (
        <Stack gap="xs" role="status" aria-busy="true" aria-label="Loading the email">
          <Skeleton h={12} />
          <Skeleton h={12} w="70%" />
          <Skeleton h={120} />
        </Stack>
      )}
    </Paper>
  );
}
