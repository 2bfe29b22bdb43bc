import type { AgentInteraction } from '@parley/contract';

/**
 * Convert to Outbound (guide section 10) is for a live inbound call: not a call the agent placed,
 * nor one already on a lead (the server refuses both with CONVERT_OFF).
 */
export function mayConvertToOutbound(call: AgentInteraction): boolean {
  return (
    call.kind === 'voice' && call.state === 'busy' && call.callType === undefined && call.leadId === undefined
  );
}

/** A caller's number worth searching by: digits, perhaps a leading + and separators; not "Anonymous". */
const PHONE_LIKE = /^\+?[0-9][0-9 ()./-]*$/;

/** The call's customer phone, to start the search with, when it looks like a number. */
export function searchableNumber(customerPhone: string | null | undefined): string {
  const phone = customerPhone?.trim() ?? '';
  return PHONE_LIKE.test(phone) && phone.replace(/\D/g, '').length >= 3 ? phone : '';
}
