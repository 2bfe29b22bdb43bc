import type { AgentInteraction, WrapBody } from '@parley/contract';
import { api } from '../api';
import type { WrapCode } from '../toolbar/interactions/InteractionActions';
import { type CallbackDraft, toCallbackChoice } from './callbackDraft';

export interface LeadWrapChoice {
  /** The Outcome chosen (a wrap code id), or null for none. */
  outcome: string | null;
  /** The chosen Outcome's wrap code, when known. */
  code: WrapCode | undefined;
  callback: CallbackDraft | undefined;
  continueWithLead: boolean;
}

/** What a lead is wrapped with: its Outcome, a callback outcome's callback, and whether to stay on it. */
export function leadWrapBody({ outcome, code, callback, continueWithLead }: LeadWrapChoice): WrapBody {
  const choice = code?.schedulesCallback && callback ? toCallbackChoice(callback) : undefined;
  return {
    ...(outcome && { wrapCodeId: outcome }),
    ...(choice && { callback: choice }),
    ...(continueWithLead && { continueWithLead: true }),
  };
}

/**
 * Wraps a lead in one step for the agent: a lead still presented (skipped without a call, or
 * whose call never connected) is ended first, as the server wraps only what has ended.
 */
export async function wrapLead(interaction: AgentInteraction, body: WrapBody): Promise<void> {
  if (interaction.state === 'busy') await api.endInteraction(interaction.id);
  await api.wrapInteraction(interaction.id, body);
}
