import type { AgentStatus } from '@parley/contract';
import { AgentCallDialog } from './AgentCallDialog';
import { ManualCallDialog } from './ManualCallDialog';
import type { DiallerDialogKind } from './useDialler';

export interface DiallerDialogProps {
  open: DiallerDialogKind | null;
  status: AgentStatus | undefined;
  onClose: () => void;
  onSessionExpired: () => void;
}

/** The dialog of the top bar's call action chosen; each opens afresh, with its lists current. */
export function DiallerDialog({ open, ...props }: DiallerDialogProps) {
  if (open === 'manual') return <ManualCallDialog {...props} />;
  if (open === 'agent') return <AgentCallDialog {...props} />;
  return null;
}
