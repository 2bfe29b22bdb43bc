import { Alert, Box, Button, Group, Text } from '@mantine/core';
import type { EmailMessage } from '@parley/contract';
import IconPhotoOff from '@tabler/icons-react/icons/IconPhotoOff';
import { useId, useState } from 'react';

export interface EmailBodyProps {
  message: Pick<EmailMessage, 'id' | 'html' | 'text' | 'remoteImages'>;
  /** Names the frame for screen readers ("Message from Kim Lee"). */
  title: string;
}

/**
 * No scripts, not even its own origin: only a link may open, in a new tab of its own (the page
 * gives every link target _blank and rel noopener), so an agent can follow a customer's link.
 */
export const EMAIL_FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

/** Where the server serves a message's body as a page of its own, under that page's own policy. */
export function emailBodyUrl(messageId: string, remoteImages: boolean): string {
  return `/api/email-messages/${messageId}/body${remoteImages ? '?images=remote' : ''}`;
}

/**
 * A message's body: HTML in a sandboxed frame (no scripts, not even its own origin; links open
 * in a new tab), loaded from the server under the body page's own Content Security Policy (a `srcdoc`
 * would inherit the toolbar's, which no remote image passes); remote images only once the agent
 * asks, as they tell the sender the mail was read. Text-only mail is shown as text.
 */
export function EmailBody({ message, title }: EmailBodyProps) {
  const [remoteShown, setRemoteShown] = useState(false);
  const noticeId = useId();
  if (message.html === null) {
    return (
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {message.text}
      </Text>
    );
  }
  const held = message.remoteImages > 0 && !remoteShown;
  return (
    <Box>
      {held && (
        <Alert variant="light" color="gray" py={6} mb="xs" icon={<IconPhotoOff size={16} aria-hidden />}>
          <Group justify="space-between" gap="xs">
            <Text id={noticeId} size="sm">
              {message.remoteImages === 1
                ? '1 remote image is blocked.'
                : `${message.remoteImages} remote images are blocked.`}
            </Text>
            <Button
              size="compact-xs"
              variant="light"
              aria-describedby={noticeId}
              onClick={() => setRemoteShown(true)}
            >
              Show remote images
            </Button>
          </Group>
        </Alert>
      )}
      <iframe
        title={title}
        sandbox={EMAIL_FRAME_SANDBOX}
        referrerPolicy="no-referrer"
        src={emailBodyUrl(message.id, remoteShown)}
        style={{
          display: 'block',
          width: '100%',
          height: 320,
          minHeight: 120,
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 'var(--mantine-radius-sm)',
          background: 'white',
          resize: 'vertical',
        }}
      />
    </Box>
  );
}
