import type { InteractionPanel, Lead, LeadNumber, PanelLead } from '@parley/contract';
import { buildCall, CALL_ID } from './agentState';

export const LEAD_ID = '00000000-0000-4000-8000-0000000001ea';
export const MOBILE_ID = '00000000-0000-4000-8000-0000000001e1';
export const OFFICE_ID = '00000000-0000-4000-8000-0000000001e2';
const CAMPAIGN_ID = '00000000-0000-4000-8000-0000000000ca';

/** A never-called number of the lead (Mobile), unless overridden. */
export function buildLeadNumber(overrides: Partial<LeadNumber> = {}): LeadNumber {
  return {
    id: MOBILE_ID,
    label: 'Mobile',
    number: '+447700900123',
    attempts: 0,
    lastAttemptAt: null,
    lastOutcome: null,
    nextCallAt: null,
    completed: false,
    ...overrides,
  };
}

/** A lead never called ("New Record") with a Mobile and an Office number, unless overridden. */
export function buildLead(overrides: Partial<Lead> = {}): Lead {
  return {
    id: LEAD_ID,
    campaignId: CAMPAIGN_ID,
    listId: '00000000-0000-4000-8000-0000000001f1',
    fields: { 'First name': 'Ann', Company: 'Lee & Co' },
    timeZone: 'Europe/London',
    priority: 0,
    done: false,
    callbackAt: null,
    callbackOwnerId: null,
    attempts: 0,
    lastAttemptAt: null,
    lastOutcome: 'New Record',
    numbers: [
      buildLeadNumber(),
      buildLeadNumber({ id: OFFICE_ID, label: 'Office', number: '+442079460000' }),
    ],
    ...overrides,
  };
}

export function buildPanelLead(overrides: Partial<PanelLead> = {}): PanelLead {
  return { ...buildLead(), editNumbers: true, ...overrides };
}

/** A presented preview lead on the toolbar: busy, nothing dialled yet. */
export const buildLeadInteraction: typeof buildCall = (overrides = {}) =>
  buildCall({
    label: 'Ann Lee',
    campaignName: 'Renewals',
    callType: 'preview',
    leadId: LEAD_ID,
    ...overrides,
  });

/** The information panel of a presented lead, in the Renewals campaign. */
export function buildLeadPanel(overrides: Partial<InteractionPanel> = {}): InteractionPanel {
  return {
    id: CALL_ID,
    kind: 'voice',
    campaignId: CAMPAIGN_ID,
    campaignName: 'Renewals',
    script: 'Hello {lead.First name}',
    callType: 'Outbound Preview',
    customerPhone: null,
    platformPhone: null,
    ivrData: null,
    ivrText: null,
    enqueuedAt: new Date().toISOString(),
    acceptedAt: new Date().toISOString(),
    endedAt: null,
    notes: '',
    transferNotes: '',
    wrapCodes: [],
    wrapCodeId: null,
    lead: buildPanelLead(),
    ...overrides,
  };
}

type WrapCode = InteractionPanel['wrapCodes'][number];

/** A campaign outcome that does nothing special to the lead, unless overridden. */
export function buildWrapCode(overrides: Partial<WrapCode> & Pick<WrapCode, 'id' | 'name'>): WrapCode {
  return { completesLead: false, completesPhoneNumber: false, schedulesCallback: false, ...overrides };
}

export const interested = buildWrapCode({ id: '00000000-0000-4000-8000-0000000002c1', name: 'Interested' });
export const wrongNumber = buildWrapCode({
  id: '00000000-0000-4000-8000-0000000002c2',
  name: 'Wrong number',
  completesPhoneNumber: true,
});
export const callBack = buildWrapCode({
  id: '00000000-0000-4000-8000-0000000002c3',
  name: 'Call back',
  schedulesCallback: true,
});
