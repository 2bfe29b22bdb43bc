import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import type { Announcement } from '@parley/contract';
import { useState } from 'react';
import { api } from '../../api';
import { formatDuration } from '../../common/formatDuration';
import { CallDialog } from '../CallDialog';
import { useApiAction } from '../useApiAction';

export interface PlayAnnouncementDialogProps {
  callId: string;
  announcements: Announcement[];
  onClose: () => void;
  onSessionExpired: () => void;
}

/** Play Announcement (guide section 9): one of the campaign's soundfiles, played to the contact. */
export function PlayAnnouncementDialog({
  callId,
  announcements,
  onClose,
  onSessionExpired,
}: PlayAnnouncementDialogProps) {
  const { pending, error, run } = useApiAction(onSessionExpired);
  const [announcementId, setAnnouncementId] = useState<string | null>(null);

  function handlePlay() {
    if (!announcementId) return;
    void run(async () => {
      await api.playAnnouncement(callId, announcementId);
      onClose();
    });
  }

  return (
    <CallDialog onClose={onClose} title="Play Announcement">
      <Stack gap="md">
        <Select
          label="Announcement"
          placeholder="Choose an announcement"
          data={announcements.map((a) => ({
            value: a.id,
            label: `${a.name} (${formatDuration(a.durationMs)})`,
          }))}
          value={announcementId}
          onChange={setAnnouncementId}
          disabled={pending}
          data-autofocus
        />
        <Text size="sm" c="dimmed">
          The contact hears it, and so do you; the conversation resumes when it finishes.
        </Text>
        {error && (
          <Alert role="alert" variant="light" color="red" py="xs">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button disabled={!announcementId || pending} onClick={handlePlay}>
            Play Announcement
          </Button>
        </Group>
      </Stack>
    </CallDialog>
  );
}
