import type { AgentInteraction, AgentStatus } from '@parley/contract';
import { AgentCallDialog } from './AgentCallDialog';
import { ManualCallDialog } from './ManualCallDialog';
import type { DiallerDialogKind } from './useDialler';

export interface DiallerDialogProps {
  open: DiallerDialogKind | null;
  status: AgentStatus | undefined;
  /** The preview lead presented with no call made yet: a Manual Call is made on it. */
  lead?: AgentInteraction | undefined;
  onClose: () => void;
  onSessionExpired: () => void;
}

/** The dialog of the top bar's call action chosen; each opens afresh, with its lists current. */
export function DiallerDialog({ open, lead, ...props }: DiallerDialogProps) {
  if (open === 'manual') return <ManualCallDialog lead={lead} {...props} />;
  if (open === 'agent') return <AgentCallDialog {...props} />;
  return null;
}
