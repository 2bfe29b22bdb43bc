import type { ComponentType } from 'react';
import { AgentTransfer } from './AgentTransfer';
import { ContactTransfer } from './ContactTransfer';
import { NumberTransfer } from './NumberTransfer';
import { WorkflowTransfer } from './WorkflowTransfer';

export interface TransferTypeProps {
  callId: string;
  campaignId: string;
  /** A move is on its way: the dialog's buttons wait. */
  pending: boolean;
  /** Sends a move; the dialog shows its failure, or closes once it is done. */
  onSend: (request: () => Promise<unknown>) => void;
  onSessionExpired: () => void;
}

/**
 * One choice of the dialog's Transfer Type: its name in the guide's words and what it shows,
 * the destination and the moves it offers (its own buttons), once chosen.
 */
export interface TransferType {
  value: string;
  label: string;
  Destination: ComponentType<TransferTypeProps>;
}

/**
 * The Transfer Types, in the guide's order. "Convert to Outbound" (search a lead, Convert) belongs
 * before Number: one more entry here.
 */
export const TRANSFER_TYPES: readonly TransferType[] = [
  { value: 'agent', label: 'Agent', Destination: AgentTransfer },
  { value: 'contact', label: 'Contact', Destination: ContactTransfer },
  { value: 'number', label: 'Number', Destination: NumberTransfer },
  { value: 'workflow', label: 'Workflow', Destination: WorkflowTransfer },
];
