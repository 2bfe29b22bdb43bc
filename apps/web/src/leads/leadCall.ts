import type { AgentInteraction, DialProgress, LeadNumber } from '@parley/contract';
import { isConnecting } from '../dialler/dialProgress';

/** An interaction on a lead (a presented preview lead): its card wraps the lead, not just the call. */
export function isLeadInteraction(interaction: AgentInteraction): boolean {
  return interaction.leadId !== undefined;
}

/**
 * A live inbound call converted to outbound (Convert to Outbound): a lead's interaction that was a
 * call before it had a lead, so it is talking from the start rather than presented.
 */
export function isConvertedCall(interaction: AgentInteraction): boolean {
  return isLeadInteraction(interaction) && interaction.callType !== 'preview';
}

/** One of the lead's numbers is being called or talked on: no other may be dialled meanwhile. */
export function leadCallInProgress(interaction: AgentInteraction): boolean {
  if (isConvertedCall(interaction)) return interaction.state === 'busy';
  return isConnecting(interaction.dial) || interaction.dial?.state === 'answered';
}

/**
 * A lead on the toolbar with no conversation yet: presented, being dialled, or after a call that
 * did not connect. Its timer is the time presented, not talking time.
 */
export function leadNotAnswered(interaction: AgentInteraction): boolean {
  return (
    isLeadInteraction(interaction) &&
    !isConvertedCall(interaction) &&
    interaction.state === 'busy' &&
    interaction.dial?.state !== 'answered'
  );
}

/**
 * The preview lead presented to the agent with no call made on it yet: the one a Manual Call is
 * made on (the server takes one call per presentation).
 */
export function presentedLead(interactions: AgentInteraction[] | undefined): AgentInteraction | undefined {
  return interactions?.find(
    (i) => i.callType === 'preview' && i.leadId !== undefined && i.state === 'busy' && i.dial === undefined,
  );
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
