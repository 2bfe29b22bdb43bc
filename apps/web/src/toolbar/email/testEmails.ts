import type {
  AgentEmailView,
  AgentInteraction,
  EmailDraft,
  EmailMessage,
  InteractionPanel,
} from '@parley/contract';

/** Test data for the email components: an email interaction, its view, messages and panel. */
export const EMAIL_ID = '00000000-0000-4000-8000-0000000000e1';
export const THREAD_ID = '00000000-0000-4000-8000-0000000000f7';
export const EMAIL_CAMPAIGN = '00000000-0000-4000-8000-0000000000cb';
export const RESOLVED = '00000000-0000-4000-8000-0000000000d1';
export const NO_REPLY_NEEDED = '00000000-0000-4000-8000-0000000000d2';
export const TEMPLATE_ID = '00000000-0000-4000-8000-0000000000a7';
export const MAILBOX = 'support@acme.test';

export function buildEmailInteraction(overrides: Partial<AgentInteraction> = {}): AgentInteraction {
  return {
    id: EMAIL_ID,
    kind: 'email',
    state: 'busy',
    campaignId: EMAIL_CAMPAIGN,
    campaignName: 'Support Email',
    label: 'kim@example.com',
    since: new Date().toISOString(),
    ...overrides,
  };
}

let messageNumber = 0;

export function buildEmailMessage(overrides: Partial<EmailMessage> = {}): EmailMessage {
  messageNumber += 1;
  return {
    id: `00000000-0000-4000-8000-${String(0x900 + messageNumber).padStart(12, '0')}`,
    direction: 'in',
    from: { name: 'Kim Lee', address: 'kim@example.com' },
    to: [{ name: 'ACME Support', address: MAILBOX }],
    cc: [],
    bcc: [],
    subject: 'Order 42 has not arrived',
    text: 'Hello,\n\nMy order has not arrived.\n\nKim',
    html: '<p>Hello,</p><p>My order has not arrived.</p><p>Kim</p>',
    remoteImages: 0,
    at: '2026-12-07T09:30:00.000Z',
    attachments: [],
    status: 'received',
    error: null,
    interactionId: EMAIL_ID,
    agentName: null,
    ...overrides,
  };
}

export function buildDraft(overrides: Partial<EmailDraft> = {}): EmailDraft {
  return {
    mode: 'reply',
    to: [],
    cc: [],
    bcc: [],
    subject: '',
    html: '',
    templateId: null,
    attachments: [],
    savedAt: '2026-12-07T09:31:00.000Z',
    ...overrides,
  };
}

export function buildEmailView(overrides: Partial<AgentEmailView> = {}): AgentEmailView {
  return {
    interactionId: EMAIL_ID,
    threadId: THREAD_ID,
    campaignId: EMAIL_CAMPAIGN,
    mailbox: { name: 'ACME Support', address: MAILBOX },
    message: buildEmailMessage(),
    thread: [],
    draft: buildDraft({ to: ['kim@example.com'], subject: 'Re: Order 42 has not arrived' }),
    templates: [{ id: TEMPLATE_ID, name: 'Apology' }],
    ...overrides,
  };
}

export function buildEmailPanel(overrides: Partial<InteractionPanel> = {}): InteractionPanel {
  return {
    id: EMAIL_ID,
    kind: 'email',
    campaignId: EMAIL_CAMPAIGN,
    campaignName: 'Support Email',
    script: '',
    callType: 'Email',
    customerPhone: null,
    platformPhone: null,
    ivrData: null,
    ivrText: null,
    enqueuedAt: '2026-12-07T09:30:00.000Z',
    acceptedAt: '2026-12-07T09:35:00.000Z',
    endedAt: null,
    notes: '',
    transferNotes: '',
    wrapCodes: [
      {
        id: RESOLVED,
        name: 'Resolved',
        completesLead: false,
        completesPhoneNumber: false,
        schedulesCallback: false,
      },
      {
        id: NO_REPLY_NEEDED,
        name: 'No reply needed',
        completesLead: false,
        completesPhoneNumber: false,
        schedulesCallback: false,
      },
    ],
    wrapCodeId: null,
    lead: null,
    ...overrides,
  };
}
