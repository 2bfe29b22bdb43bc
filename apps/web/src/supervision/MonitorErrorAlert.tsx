import { Alert, Anchor, Text } from '@mantine/core';
import { ApiError } from '@parley/client';
import { describeError } from '../common/describeError';
import { RouteLink } from '../routing/RouteLink';
import { WEB_CONNECT_WINDOW, webConnectUrl } from '../voice/webConnectUrl';

export interface MonitorErrorAlertProps {
  error: unknown;
  onDismiss: () => void;
}

/**
 * Why joining or leaving a call failed. Without a voice path of their own the manager is told to
 * connect one: the Web Connect tab the toolbar's Connect Voice opens (the same tab, by its
 * name), or the toolbar itself, whose Connect Voice dialog also offers Call me and Call in.
 */
export function MonitorErrorAlert({ error, onDismiss }: MonitorErrorAlertProps) {
  const voiceMissing = error instanceof ApiError && error.code === 'VOICE_NOT_CONNECTED';
  return (
    <Alert
      role="alert"
      color={voiceMissing ? 'orange' : 'red'}
      title={voiceMissing ? 'Connect your voice first' : undefined}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
    >
      {voiceMissing ? (
        <Text size="sm">
          You listen, whisper and barge through a voice path of your own.{' '}
          <Anchor href={webConnectUrl('persistent')} target={WEB_CONNECT_WINDOW}>
            Open Web Connect
          </Anchor>{' '}
          or use <RouteLink to="/">Connect Voice in the toolbar</RouteLink>, then try again.
        </Text>
      ) : (
        describeError(error)
      )}
    </Alert>
  );
}
