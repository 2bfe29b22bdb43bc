import { ActionIcon, Tooltip } from '@mantine/core';
import IconLifebuoy from '@tabler/icons-react/icons/IconLifebuoy';

export interface AgentAssistButtonProps {
  /** The agent has asked already and no manager has joined yet: asking again adds nothing. */
  requested: boolean;
  /** Another of the call's controls is on its way. */
  pending: boolean;
  onRequest: () => void;
}

/** Agent Assist (guide §11): the agent asks the managers of their teams for help on this call. */
export function AgentAssistButton({ requested, pending, onRequest }: AgentAssistButtonProps) {
  return (
    <Tooltip
      label={requested ? 'Help requested: a manager will join' : 'Agent Assist: ask a manager for help'}
    >
      <ActionIcon
        size="lg"
        variant="filled"
        color={requested ? 'orange' : 'gray'}
        aria-label="Agent Assist"
        // Asked: it stays orange and pressed (a disabled control would look unavailable, and
        // its tooltip would not show); asking again sends nothing.
        aria-pressed={requested}
        disabled={pending}
        onClick={requested ? undefined : onRequest}
      >
        <IconLifebuoy size={20} />
      </ActionIcon>
    </Tooltip>
  );
}
