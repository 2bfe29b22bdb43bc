import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { AgentStatus } from '@parley/contract';
import { api } from '../api';
import { CallDialog } from '../toolbar/CallDialog';
import { ListLoadFailed } from '../toolbar/transfer/ListLoadFailed';
import { useServerList } from '../toolbar/transfer/useServerList';
import { useApiAction } from '../toolbar/useApiAction';
import { mayPlaceCall, PauseRuleNotice } from './PauseRuleNotice';

export interface AgentCallDialogProps {
  /** The agent's status now: calls are placed from a pause state only. */
  status: AgentStatus | undefined;
  onClose: () => void;
  onSessionExpired: () => void;
}

/**
 * The guide's Agent Call: "Conduct a call with another available agent". The agents Available
 * now, as the Transfer dialog lists them, each with a Call button; a placed call closes the dialog.
 */
export function AgentCallDialog({ status, onClose, onSessionExpired }: AgentCallDialogProps) {
  const { pending, error, run } = useApiAction(onSessionExpired);
  const agents = useServerList(() => api.transferAgents(), onSessionExpired);
  const paused = mayPlaceCall(status);

  function handleCall(agentId: string) {
    void run(async () => {
      await api.placeCall({ type: 'agent', agentId });
      onClose();
    });
  }

  return (
    <CallDialog onClose={onClose} title="Agent Call">
      <Stack gap="md">
        {!paused && <PauseRuleNotice />}
        {agents.error ? (
          <ListLoadFailed what="the agents" error={agents.error} />
        ) : !agents.items ? (
          <Text role="status" size="sm" c="dimmed">
            Loading agents…
          </Text>
        ) : agents.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No agents are available
          </Text>
        ) : (
          <Stack
            component="ul"
            aria-label="Available agents"
            gap={0}
            m={0}
            p={0}
            mah={320}
            style={{ listStyle: 'none', overflowY: 'auto' }}
          >
            {agents.items.map((agent) => (
              <Group
                component="li"
                key={agent.id}
                justify="space-between"
                wrap="nowrap"
                py={6}
                style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              >
                <Text size="sm" fw={500} truncate="end">
                  {agent.name}
                </Text>
                <Button
                  size="compact-sm"
                  color="green"
                  aria-label={`Call ${agent.name}`}
                  disabled={!paused || pending}
                  onClick={() => handleCall(agent.id)}
                >
                  Call
                </Button>
              </Group>
            ))}
          </Stack>
        )}
        {error && (
          <Alert role="alert" variant="light" color="red" py="xs">
            {error}
          </Alert>
        )}
      </Stack>
    </CallDialog>
  );
}
