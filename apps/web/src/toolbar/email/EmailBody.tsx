import { Alert, Box, Button, Group, Text } from '@mantine/core';
import type { EmailMessage } from '@parley/contract';
import IconPhotoOff from '@tabler/icons-react/icons/IconPhotoOff';
import { useId, useState } from 'react';
import { emailBodyDocument } from './emailBodyDocument';

export interface EmailBodyProps {
  message: Pick<EmailMessage, 'html' | 'text' | 'remoteImages'>;
  /** Names the frame for screen readers ("Message from Kim Lee"). */
  title: string;
}

/**
 * A message's body: HTML in a frame sandboxed with nothing allowed (no scripts, not even its own
 * origin) under its own Content Security Policy; remote images only once the agent asks, as they
 * tell the sender the mail was read. Text-only mail is shown as text.
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
        sandbox=""
        referrerPolicy="no-referrer"
        srcDoc={emailBodyDocument(message.html, remoteShown)}
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
