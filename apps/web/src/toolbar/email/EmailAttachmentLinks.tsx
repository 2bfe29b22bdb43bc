import { Anchor, Group, Text } from '@mantine/core';
import type { EmailAttachmentInfo } from '@parley/contract';
import IconPaperclip from '@tabler/icons-react/icons/IconPaperclip';
import { api } from '../../api';
import { formatFileSize } from './formatFileSize';

export interface EmailAttachmentLinksProps {
  /** The interaction the message belongs to (its attachments are fetched through it). */
  interactionId: string;
  attachments: EmailAttachmentInfo[];
}

/** A message's files, each a download link; images shown in the body are not listed. */
export function EmailAttachmentLinks({ interactionId, attachments }: EmailAttachmentLinksProps) {
  const files = attachments.filter((a) => !a.inline);
  if (files.length === 0) return null;
  return (
    <Group component="ul" aria-label="Attachments" gap="xs" m={0} p={0} style={{ listStyle: 'none' }}>
      {files.map((file) => (
        <Group component="li" key={file.id} gap={4} wrap="nowrap">
          <IconPaperclip size={14} aria-hidden />
          <Anchor
            size="sm"
            href={api.emailAttachmentPath(interactionId, file.id)}
            download={file.name}
            rel="noopener"
          >
            {file.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {formatFileSize(file.size)}
          </Text>
        </Group>
      ))}
    </Group>
  );
}
