import type { AgentInteraction, DialProgress, LeadNumber } from '@parley/contract';
import { isConnecting } from '../dialler/dialProgress';

/** An interaction on a lead (a presented preview lead): its card wraps the lead, not just the call. */
export function isLeadInteraction(interaction: AgentInteraction): boolean {
  return interaction.leadId !== undefined;
}

/** One of the lead's numbers is being called or talked on: no other may be dialled meanwhile. */
export function leadCallInProgress(interaction: AgentInteraction): boolean {
  return isConnecting(interaction.dial) || interaction.dial?.state === 'answered';
}

/**
 * The lead's wrap buttons replace the card's action: from the moment it is presented (the agent
 * may skip it without calling) and again once a call on it is over, until it is wrapped.
 */
export function offersLeadWrap(interaction: AgentInteraction): boolean {
  return (
    isLeadInteraction(interaction) &&
    (interaction.state === 'wrapping' || (interaction.state === 'busy' && !leadCallInProgress(interaction)))
  );
}

/** The lead's number called last on this interaction, if one was. */
export function calledNumber(numbers: LeadNumber[], dial: DialProgress | undefined): LeadNumber | undefined {
  return dial ? numbers.find((n) => n.number === dial.to) : undefined;
}
