import { Select, Stack, Text } from '@mantine/core';
import type { TransferBody } from '@parley/contract';
import { useState } from 'react';
import { api } from '../../api';
import { ListLoadFailed } from './ListLoadFailed';
import { TransferButtons } from './TransferButtons';
import type { TransferTypeProps } from './transferTypes';
import { useServerList } from './useServerList';

/**
 * Transfer Type "Workflow": one of the workspace's IVR workflows. Transfer sends the customer
 * there alone; Assisted transfer keeps the agent with them through its prompts and queue, until
 * the agent who takes the call is the second line (guide section 7).
 */
export function WorkflowTransfer({ callId, pending, onSend, onSessionExpired }: TransferTypeProps) {
  const workflows = useServerList(() => api.transferWorkflows(), onSessionExpired);
  const [workflowId, setWorkflowId] = useState<string | null>(null);

  const body: TransferBody | undefined = workflowId ? { type: 'workflow', workflowId } : undefined;
  return (
    <Stack gap="sm">
      {workflows.error ? (
        <ListLoadFailed what="the workflows" error={workflows.error} />
      ) : workflows.items?.length === 0 ? (
        <Text size="sm" c="dimmed">
          No workflows are available
        </Text>
      ) : (
        <Select
          label="Workflow"
          placeholder={workflows.items ? 'Choose a workflow' : 'Loading workflows…'}
          data={(workflows.items ?? []).map((workflow) => ({ value: workflow.id, label: workflow.name }))}
          value={workflowId}
          onChange={setWorkflowId}
          disabled={!workflows.items || pending}
        />
      )}
      <TransferButtons
        callId={callId}
        body={body}
        consultLabel="Assisted transfer"
        pending={pending}
        onSend={onSend}
      />
    </Stack>
  );
}
