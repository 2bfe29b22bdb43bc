import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { ApiError } from '@parley/client';
import type { Campaign, LeadList } from '@parley/contract';
import IconTrash from '@tabler/icons-react/icons/IconTrash';
import IconUpload from '@tabler/icons-react/icons/IconUpload';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { describeImportError } from './importErrors';
import { LeadImportPanel } from './LeadImportPanel';

/** The campaign kinds that have lead lists. */
const OUTBOUND = new Set<Campaign['kind']>(['outbound_preview', 'outbound_predictive']);
const KIND_LABEL: Partial<Record<Campaign['kind'], string>> = {
  outbound_preview: 'preview',
  outbound_predictive: 'predictive',
};

export interface LeadListsSectionProps {
  workspaceId: string;
  canEdit: boolean;
  onSessionExpired: () => void;
}

const created = (iso: string) => new Date(iso).toLocaleDateString();

/** The lead lists of an outbound campaign: their lead counts, a new list, deleting one, and importing into one. */
export function LeadListsSection({ workspaceId, canEdit, onSessionExpired }: LeadListsSectionProps) {
  const [campaigns, setCampaigns] = useState<Campaign[] | undefined>(undefined);
  const [campaignId, setCampaignId] = useState('');
  const [lists, setLists] = useState<LeadList[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [importInto, setImportInto] = useState<string | undefined>(undefined);
  const [deleting, setDeleting] = useState<LeadList | undefined>(undefined);

  const fail = useCallback(
    (failure: unknown, lead = '') => {
      if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
      else setError(`${lead}${describeImportError(failure)}`);
    },
    [onSessionExpired],
  );

  useEffect(() => {
    api
      .campaigns(workspaceId)
      .list()
      .then((all) => {
        const outbound = all.filter((c) => OUTBOUND.has(c.kind));
        setCampaigns(outbound);
        setCampaignId((current) => current || (outbound[0]?.id ?? ''));
      })
      .catch((failure: unknown) => fail(failure, 'The campaigns could not be read. '));
  }, [workspaceId, fail]);

  const loadLists = useCallback(() => {
    if (!campaignId) return;
    api
      .leadLists(workspaceId)
      .list(campaignId)
      .then(setLists)
      .catch((failure: unknown) => fail(failure, 'The lead lists could not be read. '));
  }, [workspaceId, campaignId, fail]);

  useEffect(() => {
    setLists(undefined);
    setImportInto(undefined);
    loadLists();
  }, [loadLists]);

  function handleCreate(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || !campaignId) return;
    setCreating(true);
    setError(undefined);
    api
      .leadLists(workspaceId)
      .create({ campaignId, name: trimmed })
      .then((list) => {
        setName('');
        setLists((current) => [...(current ?? []), list]);
      })
      .catch((failure: unknown) => fail(failure, 'The list was not created. '))
      .finally(() => setCreating(false));
  }

  const importList = lists?.find((l) => l.id === importInto);

  if (campaigns === undefined)
    return error ? (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    ) : (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">Loading campaigns…</Text>
      </Group>
    );
  if (campaigns.length === 0)
    return (
      <Text size="sm" c="dimmed">
        There are no outbound campaigns yet. Lead lists belong to outbound (preview or predictive) campaigns.
      </Text>
    );

  return (
    <Stack gap="md">
      <NativeSelect
        label="Campaign"
        description="Outbound campaigns"
        value={campaignId}
        onChange={(event) => setCampaignId(event.currentTarget.value)}
        data={campaigns.map((c) => ({ value: c.id, label: `${c.name} (${KIND_LABEL[c.kind] ?? c.kind})` }))}
        w={320}
      />
      {error && (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setError(undefined)}
        >
          {error}
        </Alert>
      )}
      {lists === undefined && !error && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Loading lead lists…</Text>
        </Group>
      )}
      {lists && (
        <Table aria-label="Lead lists" withTableBorder bg="white" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th ta="right">Leads</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lists.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" c="dimmed">
                    This campaign has no lead lists yet.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {lists.map((list) => (
              <Table.Tr key={list.id} bg={list.id === importInto ? 'indigo.0' : undefined}>
                <Table.Td>{list.name}</Table.Td>
                <Table.Td ta="right">{list.leads.toLocaleString()}</Table.Td>
                <Table.Td>{created(list.createdAt)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="light"
                      leftSection={canEdit ? <IconUpload size={14} /> : undefined}
                      aria-label={canEdit ? `Import into ${list.name}` : `Imports into ${list.name}`}
                      onClick={() => setImportInto(list.id)}
                    >
                      {canEdit ? 'Import CSV' : 'Imports'}
                    </Button>
                    {canEdit && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        leftSection={<IconTrash size={14} />}
                        aria-label={`Delete ${list.name}`}
                        onClick={() => setDeleting(list)}
                      >
                        Delete
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canEdit && lists && (
        <Group component="form" align="flex-end" onSubmit={handleCreate} aria-label="New lead list">
          <TextInput
            label="New lead list"
            placeholder="Name"
            value={name}
            maxLength={100}
            onChange={(event) => setName(event.currentTarget.value)}
            w={320}
          />
          <Button type="submit" loading={creating} disabled={!name.trim()}>
            Create list
          </Button>
        </Group>
      )}
      {importList && (
        <LeadImportPanel
          key={importList.id}
          workspaceId={workspaceId}
          list={importList}
          canEdit={canEdit}
          onFinished={loadLists}
          onClose={() => setImportInto(undefined)}
          onSessionExpired={onSessionExpired}
        />
      )}
      {deleting && (
        <DeleteListDialog
          workspaceId={workspaceId}
          list={deleting}
          onDeleted={() => {
            setLists((current) => current?.filter((l) => l.id !== deleting.id));
            if (importInto === deleting.id) setImportInto(undefined);
            setDeleting(undefined);
          }}
          onCancel={() => setDeleting(undefined)}
          onSessionExpired={onSessionExpired}
        />
      )}
    </Stack>
  );
}

interface DeleteListDialogProps {
  workspaceId: string;
  list: LeadList;
  onDeleted: () => void;
  onCancel: () => void;
  onSessionExpired: () => void;
}

/** Asks before a list goes with its leads and its imports' reports. */
function DeleteListDialog({
  workspaceId,
  list,
  onDeleted,
  onCancel,
  onSessionExpired,
}: DeleteListDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  function handleDelete() {
    setPending(true);
    setError(undefined);
    api
      .leadLists(workspaceId)
      .remove(list.id)
      .then(onDeleted)
      .catch((failure: unknown) => {
        setPending(false);
        if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
        else setError(describeImportError(failure));
      });
  }

  return (
    <Modal
      opened
      onClose={onCancel}
      title="Delete lead list"
      closeButtonProps={{ 'aria-label': 'Close' }}
      styles={{ title: { fontWeight: 700 } }}
    >
      <Stack gap="md">
        <Text size="sm">
          Delete “{list.name}” with its {list.leads.toLocaleString()} {list.leads === 1 ? 'lead' : 'leads'}{' '}
          and its imports' reports? This cannot be undone.
        </Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button color="red" onClick={handleDelete} loading={pending}>
            Delete list
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
