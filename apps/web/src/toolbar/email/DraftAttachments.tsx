import { ActionIcon, Alert, Button, FileButton, Group, Stack, Text } from '@mantine/core';
import { ApiError } from '@parley/client';
import { EMAIL_UPLOAD_MAX_BYTES, type EmailAttachmentInfo } from '@parley/contract';
import IconPaperclip from '@tabler/icons-react/icons/IconPaperclip';
import IconX from '@tabler/icons-react/icons/IconX';
import { useState } from 'react';
import { api } from '../../api';
import { describeEmailError } from './emailErrors';
import { formatFileSize } from './formatFileSize';

export interface DraftAttachmentsProps {
  interactionId: string;
  attachments: EmailAttachmentInfo[];
  onAdded: (attachment: EmailAttachmentInfo) => void;
  onRemoved: (attachmentId: string) => void;
  onSessionExpired: () => void;
}

/** The files going with the reply: added from the agent's computer (10 MB each at most), removed again. */
export function DraftAttachments({
  interactionId,
  attachments,
  onAdded,
  onRemoved,
  onSessionExpired,
}: DraftAttachmentsProps) {
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);

  const failed = (failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
    else setError(describeEmailError(failure));
  };

  async function handleAdd(files: File[]) {
    setError(undefined);
    const tooLarge = files.filter((file) => file.size > EMAIL_UPLOAD_MAX_BYTES);
    if (tooLarge.length > 0)
      setError(
        `${tooLarge.map((f) => f.name).join(', ')}: larger than ${formatFileSize(EMAIL_UPLOAD_MAX_BYTES)}, not added.`,
      );
    for (const file of files.filter((f) => f.size <= EMAIL_UPLOAD_MAX_BYTES)) {
      setUploading((n) => n + 1);
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        onAdded(
          await api.addEmailAttachment(interactionId, { bytes, name: file.name, contentType: file.type }),
        );
      } catch (failure) {
        failed(failure);
      } finally {
        setUploading((n) => n - 1);
      }
    }
  }

  async function handleRemove(attachment: EmailAttachmentInfo) {
    setError(undefined);
    try {
      await api.removeEmailAttachment(interactionId, attachment.id);
      onRemoved(attachment.id);
    } catch (failure) {
      failed(failure);
    }
  }

  return (
    <Stack gap={6}>
      {attachments.length > 0 && (
        <Stack component="ul" aria-label="Attached files" gap={2} m={0} p={0} style={{ listStyle: 'none' }}>
          {attachments.map((attachment) => (
            <Group component="li" key={attachment.id} gap={6} wrap="nowrap">
              <IconPaperclip size={14} aria-hidden />
              <Text size="sm" truncate="end">
                {attachment.name}
              </Text>
              <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                {formatFileSize(attachment.size)}
              </Text>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                aria-label={`Remove ${attachment.name}`}
                onClick={() => void handleRemove(attachment)}
              >
                <IconX size={14} aria-hidden />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      )}
      <Group gap="xs">
        <FileButton
          multiple
          onChange={(files) => void handleAdd(files)}
          inputProps={{ 'aria-label': 'Attach files' }}
        >
          {(props) => (
            <Button
              {...props}
              size="compact-sm"
              variant="default"
              loading={uploading > 0}
              leftSection={<IconPaperclip size={14} aria-hidden />}
            >
              Attach files
            </Button>
          )}
        </FileButton>
      </Group>
      {error && (
        <Alert
          role="alert"
          variant="light"
          color="red"
          py="xs"
          withCloseButton
          onClose={() => setError(undefined)}
          closeButtonLabel="Dismiss"
        >
          {error}
        </Alert>
      )}
    </Stack>
  );
}
