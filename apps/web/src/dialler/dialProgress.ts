import type { AgentInteraction, DialProgress } from '@parley/contract';

/** A placed call not yet answered: its card offers Cancel call, not the call controls. */
export function isConnecting(dial: DialProgress | undefined): dial is DialProgress & {
  state: 'dialling' | 'ringing';
} {
  return dial?.state === 'dialling' || dial?.state === 'ringing';
}

/** A call the agent is talking on: answered, or never dialled from here (an inbound call). */
export function isTalking(interaction: AgentInteraction): boolean {
  const { dial } = interaction;
  return (
    interaction.kind === 'voice' &&
    interaction.state === 'busy' &&
    !isConnecting(dial) &&
    dial?.state !== 'failed'
  );
}

/** The card's words for a placed call on its way. */
export const CONNECTING_TEXT = { dialling: 'Dialling', ringing: 'Ringing' } as const;
