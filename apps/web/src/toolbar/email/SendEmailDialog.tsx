import { Alert, Button, Group, Modal, Select, Stack } from '@mantine/core';
import { ApiError } from '@parley/client';
import type { SendEmailOptions } from '@parley/contract';
import { useState } from 'react';
import { api } from '../../api';
import { describeEmailError } from './emailErrors';

/** The Email Template drop-down's blank choice: the agent writes the email themselves. */
const BLANK = 'blank';

export interface SendEmailDialogProps {
  opened: boolean;
  options: SendEmailOptions;
  onClose: () => void;
  /** The new email interaction, to show in the script area once it arrives. */
  onCreated: (interactionId: string) => void;
  onSessionExpired: () => void;
}

/** Guide 12, Send Email: the campaign and the template, then "New Email" opens the composer. */
export function SendEmailDialog({
  opened,
  options,
  onClose,
  onCreated,
  onSessionExpired,
}: SendEmailDialogProps) {
  const only = options.campaigns.length === 1 ? options.campaigns[0]?.id : undefined;
  const [campaignId, setCampaignId] = useState<string | null>(only ?? null);
  const [templateId, setTemplateId] = useState<string>(BLANK);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const campaign = options.campaigns.find((c) => c.id === campaignId);

  async function handleNewEmail() {
    if (!campaignId) return;
    setCreating(true);
    setError(undefined);
    try {
      const created = await api.newEmail({
        campaignId,
        templateId: templateId === BLANK ? null : templateId,
      });
      onCreated(created.interactionId);
      onClose();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
      else setError(describeEmailError(failure));
    } finally {
      setCreating(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Send Email" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="sm">
        <Select
          label="Campaign"
          placeholder="Choose a campaign"
          data={options.campaigns.map((c) => ({ value: c.id, label: c.name }))}
          value={campaignId}
          onChange={(value) => {
            setCampaignId(value);
            setTemplateId(BLANK);
          }}
          allowDeselect={false}
          nothingFoundMessage="You have no email campaigns"
        />
        <Select
          label="Email Template"
          data={[
            { value: BLANK, label: 'Blank email' },
            ...(campaign?.templates ?? []).map((t) => ({ value: t.id, label: t.name })),
          ]}
          value={templateId}
          onChange={(value) => setTemplateId(value ?? BLANK)}
          allowDeselect={false}
          disabled={!campaign}
        />
        {error && (
          <Alert role="alert" variant="light" color="red" py="xs">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={creating} disabled={!campaignId} onClick={() => void handleNewEmail()}>
            New Email
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
