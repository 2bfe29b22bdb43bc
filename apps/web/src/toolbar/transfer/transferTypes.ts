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
 * the destination and the moves it offers (its own buttons), once chosen. Convert to Outbound
 * has a dialog of its own (shared with the Options menu): choosing it opens that one instead.
 */
export type TransferType =
  | { value: string; label: string; Destination: ComponentType<TransferTypeProps> }
  | { value: typeof CONVERT_TO_OUTBOUND; label: 'Convert to Outbound'; ownDialog: true };

export const CONVERT_TO_OUTBOUND = 'convert';

/** The Transfer Types, in the guide's order. */
export const TRANSFER_TYPES: readonly TransferType[] = [
  { value: 'agent', label: 'Agent', Destination: AgentTransfer },
  { value: 'contact', label: 'Contact', Destination: ContactTransfer },
  { value: CONVERT_TO_OUTBOUND, label: 'Convert to Outbound', ownDialog: true },
  { value: 'number', label: 'Number', Destination: NumberTransfer },
  { value: 'workflow', label: 'Workflow', Destination: WorkflowTransfer },
];
