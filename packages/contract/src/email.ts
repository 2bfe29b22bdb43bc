import { type Static, Type } from '@sinclair/typebox';
import { type ChatHistoryFilter, ChatHistoryQuery } from './chat.js';
import { Name, Strict, StrictPartial, Timestamp, Uuid } from './common.js';

/**
 * Email (M1-M3). An email campaign has mailboxes: mail comes in over IMAP (IDLE) or the
 * platform's own SMTP listener and queues on the campaign, one interaction per message; agents
 * answer in threads (the Email thread ID joins an interaction to the messages before it) and
 * send new mail from templates. Replies leave by the mailbox's SMTP server.
 */

/** The largest message the platform takes in, whole (a larger one is refused at SMTP, or stored as its headers with a readable error). */
export const EMAIL_MAX_BYTES = 40 * 1024 * 1024;
/** The largest attachment kept, in bytes (larger ones are noted on the message, not kept). */
export const EMAIL_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
/** The largest attachment an agent adds to a reply or a new email. */
export const EMAIL_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
// An agent adds a file to a draft by POSTing its bytes (type in `Content-Type`, name in `?name=`).

/* Mailboxes (admin) */

export const EmailInbound = Type.Union([Type.Literal('imap'), Type.Literal('smtp'), Type.Literal('none')]);
export type EmailInbound = Static<typeof EmailInbound>;

/** `tls`: TLS from the first byte (IMAPS 993, SMTPS 465); `starttls`: upgraded, required; `none`: plain (loopback and tests only). */
export const EmailSecurity = Type.Union([
  Type.Literal('tls'),
  Type.Literal('starttls'),
  Type.Literal('none'),
]);
export type EmailSecurity = Static<typeof EmailSecurity>;

const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]-]+$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Folder = Type.String({ minLength: 1, maxLength: 200 });
export const EmailAddressText = Type.String({ format: 'email', maxLength: 254 });

/** A server the mailbox logs in to. The password is written, never read back (`hasPassword`). */
const serverFields = {
  host: Host,
  port: Port,
  security: EmailSecurity,
  user: Type.String({ maxLength: 254 }),
  /** Check the server's certificate (turn off only for a private CA you cannot add). */
  verifyCertificate: Type.Boolean(),
};
/** In a body the check may be left out: it is on. */
const serverBodyFields = { ...serverFields, verifyCertificate: Type.Optional(Type.Boolean()) };
export const ImapSettingsBody = Strict({
  ...serverBodyFields,
  password: Type.Optional(Type.String({ maxLength: 500 })),
  /** Where new mail is read from. */
  folder: Type.Optional(Folder),
  /** Where mail goes once stored (created when missing). */
  processedFolder: Type.Optional(Folder),
});
export type ImapSettingsBody = Static<typeof ImapSettingsBody>;
export const SmtpSettingsBody = Strict({
  ...serverFields,
  password: Type.Optional(Type.String({ maxLength: 500 })),
});
export type SmtpSettingsBody = Static<typeof SmtpSettingsBody>;

export const ImapSettings = Type.Object({
  ...serverFields,
  hasPassword: Type.Boolean(),
  folder: Folder,
  processedFolder: Folder,
});
export type ImapSettings = Static<typeof ImapSettings>;
export const SmtpSettings = Type.Object({ ...serverFields, hasPassword: Type.Boolean() });
export type SmtpSettings = Static<typeof SmtpSettings>;

const mailboxFields = {
  name: Name,
  /** The email campaign whose queue the mailbox's mail joins. */
  campaignId: Uuid,
  /** The address customers write to and replies come from. */
  address: EmailAddressText,
  /** The sender's name on replies ("ACME Support"). */
  displayName: Type.String({ maxLength: 100 }),
  inbound: EmailInbound,
  enabled: Type.Boolean(),
};
export const CreateEmailMailboxBody = Strict({
  ...mailboxFields,
  displayName: Type.Optional(mailboxFields.displayName),
  inbound: Type.Optional(mailboxFields.inbound),
  enabled: Type.Optional(mailboxFields.enabled),
  imap: Type.Optional(Type.Union([ImapSettingsBody, Type.Null()])),
  smtp: Type.Optional(Type.Union([SmtpSettingsBody, Type.Null()])),
});
export type CreateEmailMailboxBody = Static<typeof CreateEmailMailboxBody>;
export const UpdateEmailMailboxBody = StrictPartial({
  ...mailboxFields,
  imap: Type.Union([ImapSettingsBody, Type.Null()]),
  smtp: Type.Union([SmtpSettingsBody, Type.Null()]),
});
export type UpdateEmailMailboxBody = Static<typeof UpdateEmailMailboxBody>;

/** How the mailbox's inbound connection stands: `error` says what failed last. */
export const MailboxHealth = Type.Object({
  state: Type.Union([
    Type.Literal('off'),
    Type.Literal('connecting'),
    Type.Literal('ok'),
    Type.Literal('error'),
  ]),
  error: Type.Union([Type.String(), Type.Null()]),
  since: Type.Union([Timestamp, Type.Null()]),
});
export type MailboxHealth = Static<typeof MailboxHealth>;

export const EmailMailbox = Type.Object({
  id: Uuid,
  ...mailboxFields,
  imap: Type.Union([ImapSettings, Type.Null()]),
  smtp: Type.Union([SmtpSettings, Type.Null()]),
  health: MailboxHealth,
});
export type EmailMailbox = Static<typeof EmailMailbox>;

/* Templates (admin writes, agents read) */

const templateFields = {
  name: Name,
  /** `{agent.name}`, `{contact.name}`, `{contact.email}` and `{campaign.name}` are filled in. */
  subject: Type.String({ maxLength: 300 }),
  /** HTML (sanitised when stored), placeholders as in the subject. */
  html: Type.String({ maxLength: 200_000 }),
};
export const CreateEmailTemplateBody = Strict(templateFields);
export type CreateEmailTemplateBody = Static<typeof CreateEmailTemplateBody>;
export const UpdateEmailTemplateBody = StrictPartial(templateFields);
export type UpdateEmailTemplateBody = Static<typeof UpdateEmailTemplateBody>;
export const EmailTemplate = Type.Object({ id: Uuid, campaignId: Uuid, ...templateFields });
export type EmailTemplate = Static<typeof EmailTemplate>;

/* Messages and threads */

export const EmailAddress = Type.Object({ name: Type.String(), address: Type.String() });
export type EmailAddress = Static<typeof EmailAddress>;

export const EmailAttachmentInfo = Type.Object({
  id: Uuid,
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  /** Shown in the body (a `cid:` image), not listed as a file. */
  inline: Type.Boolean(),
});
export type EmailAttachmentInfo = Static<typeof EmailAttachmentInfo>;

/**
 * `received`: inbound. Outbound: `queued` (waiting for the SMTP server, retried with backoff on
 * temporary failures), `sent` (the server took it), `failed` (refused for good, or out of
 * retries), `bounced` (a delivery failure report came back for it).
 */
export const EMAIL_STATUSES = ['received', 'queued', 'sent', 'failed', 'bounced'] as const;
export const EmailStatus = Type.Union(EMAIL_STATUSES.map((s) => Type.Literal(s)));
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export const EmailMessage = Type.Object({
  id: Uuid,
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  from: Type.Union([EmailAddress, Type.Null()]),
  to: Type.Array(EmailAddress),
  cc: Type.Array(EmailAddress),
  bcc: Type.Array(EmailAddress),
  subject: Type.String(),
  text: Type.String(),
  /**
   * Sanitised HTML (no script, handlers or active URLs), to show in a sandboxed frame; remote
   * images carry `data-remote-src` instead of `src` until the agent allows them. Null: text only.
   */
  html: Type.Union([Type.String(), Type.Null()]),
  /** Remote images held back in `html`. */
  remoteImages: Type.Integer(),
  at: Timestamp,
  attachments: Type.Array(EmailAttachmentInfo),
  status: EmailStatus,
  /** Why it failed or bounced; for inbound, what could not be read ("The message could not be fully read: ..."). */
  error: Type.Union([Type.String(), Type.Null()]),
  /** The interaction that received or sent it. */
  interactionId: Type.Union([Uuid, Type.Null()]),
  /** The agent who sent it (outbound). */
  agentName: Type.Union([Type.String(), Type.Null()]),
});
export type EmailMessage = Static<typeof EmailMessage>;

export const EmailComposeMode = Type.Union([
  Type.Literal('reply'),
  Type.Literal('replyAll'),
  Type.Literal('forward'),
  Type.Literal('new'),
]);
export type EmailComposeMode = Static<typeof EmailComposeMode>;

const draftFields = {
  mode: EmailComposeMode,
  to: Type.Array(EmailAddressText, { maxItems: 50 }),
  cc: Type.Array(EmailAddressText, { maxItems: 50 }),
  bcc: Type.Array(EmailAddressText, { maxItems: 50 }),
  subject: Type.String({ maxLength: 300 }),
  /** The body as the editor has it (sanitised when stored). */
  html: Type.String({ maxLength: 500_000 }),
  templateId: Type.Union([Uuid, Type.Null()]),
};
/** Saved as the agent types: any of the fields. */
export const SaveEmailDraftBody = StrictPartial(draftFields);
export type SaveEmailDraftBody = Static<typeof SaveEmailDraftBody>;
export const EmailDraft = Type.Object({
  ...draftFields,
  attachments: Type.Array(EmailAttachmentInfo),
  savedAt: Timestamp,
});
export type EmailDraft = Static<typeof EmailDraft>;

/**
 * An email interaction as its agent sees it (`GET /api/interactions/:id/email`): the message it
 * answers (null for a new email), the thread before it, newest first, and the reply's draft.
 */
export const AgentEmailView = Type.Object({
  interactionId: Uuid,
  /** The Email thread ID. */
  threadId: Uuid,
  campaignId: Uuid,
  /** The mailbox replies leave from. */
  mailbox: EmailAddress,
  message: Type.Union([EmailMessage, Type.Null()]),
  thread: Type.Array(EmailMessage),
  draft: EmailDraft,
  /** The campaign's templates, for the composer's drop-down. */
  templates: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
});
export type AgentEmailView = Static<typeof AgentEmailView>;

/** "Send and wrap email" (and "Send & wrap email"): the draft as last typed, sent, then the interaction wrapped. */
export const SendEmailBody = Strict({
  draft: Type.Optional(SaveEmailDraftBody),
  wrapCodeId: Type.Optional(Uuid),
});
export type SendEmailBody = Static<typeof SendEmailBody>;
/** "Discard and Wrap Email": the draft dropped, the interaction wrapped with the Outcome. */
export const DiscardEmailBody = Strict({ wrapCodeId: Type.Optional(Uuid) });
export type DiscardEmailBody = Static<typeof DiscardEmailBody>;

/** The Send Email dialog: the email campaigns of the agent's teams and their templates. */
export const SendEmailOptions = Type.Object({
  /** The administrator lets this agent send new emails. */
  enabled: Type.Boolean(),
  campaigns: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      templates: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
    }),
  ),
});
export type SendEmailOptions = Static<typeof SendEmailOptions>;
/** "New Email": a new email interaction of the agent's, its draft from the template. */
export const NewEmailBody = Strict({ campaignId: Uuid, templateId: Type.Union([Uuid, Type.Null()]) });
export type NewEmailBody = Static<typeof NewEmailBody>;
export const NewEmailResult = Type.Object({ interactionId: Uuid });
export type NewEmailResult = Static<typeof NewEmailResult>;

/* Email History (O2) */

/**
 * The same search as Chat History's: `contact` (words in the customer's name or address), `text`
 * (words in subjects and bodies), `from`/`to` (days of the last message, UTC), a page.
 */
export const EmailHistoryQuery = ChatHistoryQuery;
export type EmailHistoryQuery = ChatHistoryQuery;
export type EmailHistoryFilter = ChatHistoryFilter;

export const EmailHistoryItem = Type.Object({
  threadId: Uuid,
  subject: Type.String(),
  /** The customer: the first inbound sender, or the first recipient of a new email. */
  contact: EmailAddress,
  campaignName: Type.String(),
  agentNames: Type.Array(Type.String()),
  startedAt: Timestamp,
  lastAt: Timestamp,
  messageCount: Type.Integer(),
  /** The last wrapped interaction's Outcome. */
  outcome: Type.Union([Type.String(), Type.Null()]),
});
export type EmailHistoryItem = Static<typeof EmailHistoryItem>;
export const EmailHistoryList = Type.Object({ threads: Type.Array(EmailHistoryItem), total: Type.Integer() });
export type EmailHistoryList = Static<typeof EmailHistoryList>;
/** A thread, oldest first, each message with its interaction's Outcome. */
export const EmailThreadView = Type.Object({
  ...EmailHistoryItem.properties,
  messages: Type.Array(
    Type.Object({ ...EmailMessage.properties, outcome: Type.Union([Type.String(), Type.Null()]) }),
  ),
});
export type EmailThreadView = Static<typeof EmailThreadView>;
