import type {
  BusinessHours,
  CallMeChoice,
  ContactPhone,
  LeadRules,
  PredictiveSettings,
  SurveyAnswer,
  SurveyField,
  WorkflowDefinition,
} from '@parley/contract';
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Peer } from '../sip/transport/sip-transport.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface WorkspacesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  agent_ring_timeout_seconds: Generated<number>;
  /** Which outbound campaigns Convert to Outbound offers: none, the agent's teams', all. */
  convert_to_outbound: Generated<'none' | 'team' | 'all'>;
  mfa_policy: Generated<string>;
  recording_controls_visible: Generated<boolean>;
  agent_assist_enabled: Generated<boolean>;
  /** The workspace's own dial plan; null: the server's (DIAL_* settings). */
  dial_plan: ColumnType<DialPlanSettings | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  workspace_id: string;
  username: string;
  display_name: string;
  role: 'agent' | 'manager' | 'administrator';
  password_hash: string;
  agent_id: number | null;
  pin_hash: string | null;
  agent_profile_id: string | null;
  disabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** "Call me to connect" saved as default: the number or SIP address, and the mode. */
  call_me_default: ColumnType<CallMeChoice | null, string | null | undefined, string | null>;
}

export interface TeamsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

export interface AgentProfilesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  max_concurrent_chats: Generated<number>;
  send_email: Generated<boolean>;
}

export interface CampaignsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  kind: 'inbound_voice' | 'outbound_preview' | 'outbound_predictive' | 'chat' | 'email';
  script: Generated<string>;
  caller_id: Generated<string | null>;
  /** How long a number the campaign calls may ring before no answer (15-120 s). */
  ring_seconds: Generated<number>;
  /** The campaign's calling rules for its leads (LeadRules); null: the defaults. */
  lead_rules: ColumnType<LeadRules | null, string | null | undefined, string | null>;
  /** A predictive campaign's settings (PredictiveSettings); null: the defaults. */
  predictive: ColumnType<PredictiveSettings | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface CampaignTeamsTable {
  campaign_id: string;
  team_id: string;
}

export interface PauseReasonsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  position: Generated<number>;
}

export interface WrapCodesTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  name: string;
  completes_lead: Generated<boolean>;
  completes_phone_number: Generated<boolean>;
  schedules_callback: Generated<boolean>;
  /** Retry later: the lead's number may be called again this many minutes after. */
  retry_minutes: number | null;
  /** The number called goes on the workspace's do-not-call list. */
  do_not_call: Generated<boolean>;
  position: Generated<number>;
}

export interface LeadListsTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface LeadsTable {
  id: Generated<string>;
  seq: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  list_id: string;
  /** The lead's own named columns (shown in the information panel, put into the script). */
  fields: ColumnType<Record<string, string>, string | undefined, string>;
  /** IANA time zone: calling hours are the lead's local time. */
  time_zone: string | null;
  priority: Generated<number>;
  done: Generated<boolean>;
  next_call_at: Date | null;
  /**
   * When the lead may next be called: the later of `next_call_at` and its open numbers' soonest
   * (`infinity` when none may be called again). Kept by `refreshReady` (lead-selector.ts).
   */
  ready_at: Generated<Date>;
  callback_at: Date | null;
  /** A personal callback: only this agent gets it (until the campaign's grace time passes). */
  callback_owner_id: string | null;
  reserved_by: string | null;
  reserved_at: Date | null;
  attempts: Generated<number>;
  last_attempt_at: Date | null;
  /** The last wrap code's name; null shows as "New Record". */
  last_outcome: string | null;
  /** When the due callback was announced to its agent (once). */
  callback_notified_at: Date | null;
  created_at: CreatedAt;
  /** The CSV import that made the lead, and the line of the file it came from (null: not imported). */
  import_id: string | null;
  import_line: number | null;
}

export interface LeadNumbersTable {
  id: Generated<string>;
  lead_id: string;
  position: number;
  /** The column it came from ("Mobile"), or what the agent called it. */
  label: Generated<string>;
  /** E.164. */
  number: string;
  attempts: Generated<number>;
  last_attempt_at: Date | null;
  last_outcome: string | null;
  next_call_at: Date | null;
  completed: Generated<boolean>;
  /** After an abandoned call to it, the dialler leaves the number alone until then (agents may call). */
  dialler_locked_until: Date | null;
}

export interface DoNotCallTable {
  workspace_id: string;
  number: string;
  reason: Generated<string>;
  created_at: CreatedAt;
}

/** A CSV import into a lead list or the do-not-call list: a job whose counts grow batch by batch. */
export interface LeadImportsTable {
  id: Generated<string>;
  workspace_id: string;
  kind: 'leads' | 'do_not_call';
  /** The lead list imported into; null for the do-not-call list. */
  list_id: string | null;
  status: Generated<'uploading' | 'importing' | 'completed' | 'failed'>;
  /** The columns asked for (LeadImportMapping or DoNotCallImportMapping). */
  mapping: ColumnType<Record<string, unknown>, string, string>;
  /** int8: a string on node-postgres, a number or bigint on PGlite; read it with Number(). */
  bytes: ColumnType<string | number | bigint, number | undefined, number>;
  rows_read: Generated<number>;
  imported: Generated<number>;
  duplicates: Generated<number>;
  rejected: Generated<number>;
  report_lines: Generated<number>;
  error_code: string | null;
  error_message: string | null;
  created_by: string | null;
  created_at: Date;
  /** Moved on while the import runs; an old one means its process stopped. */
  heartbeat_at: Date;
  finished_at: Date | null;
}

/** A named number of a campaign's transfer pool (E.164, as the dial plan reads it). */
export interface TransferDestinationsTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  name: string;
  number: string;
  position: Generated<number>;
}

/** A contact of the workspace's own directory; `name_key` (lower(name)) is unique per workspace. */
export interface DirectoryContactsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  name_key: ColumnType<string, never, never>;
  title: string | null;
  department: string | null;
  phones: ColumnType<ContactPhone[], string | undefined, string>;
  email: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A workspace's Microsoft Graph directory: the client secret only as SecretBox sealed it. */
export interface DirectoryGraphSettingsTable {
  workspace_id: string;
  enabled: boolean;
  tenant_id: string;
  client_id: string;
  client_secret_sealed: string | null;
  updated_at: UpdatedAt;
}

/** A campaign's announcement: a WAV under the data folder, 8 kHz mono 16-bit PCM. */
export interface AnnouncementsTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  name: string;
  path: string;
  duration_ms: number;
  size_bytes: number;
  created_at: CreatedAt;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  workspace_id: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  /** Attempts reserved and still being checked (counted as if they fail until settled). */
  pending: Generated<number>;
  window_started_at: Date;
  blocked_until: Date | null;
}

export interface SipDialogsTable {
  key: string;
  /** The SIP process that holds it (host, address and configured port). */
  node: string;
  call_id: string;
  local_uri: string;
  remote_uri: string;
  remote_target: string;
  peer: ColumnType<{ transport: 'udp' | 'tcp'; address: string; port: number }, string, string>;
  local_cseq: number;
  created_at: Generated<Date>;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  level: 'info' | 'warning' | 'error';
  text: string;
  created_at: Date;
  cleared: Generated<boolean>;
}

export interface AgentStatesTable {
  user_id: string;
  workspace_id: string;
  status_kind: 'signed_out' | 'available' | 'paused';
  pause_reason_id: string | null;
  pause_name: string | null;
  detail: string | null;
  since: Date;
  voice: 'none' | 'connecting' | 'connected' | 'lost';
  next_status: ColumnType<unknown, string | null, string | null>;
  idle_since: Date;
}

export interface AgentStateHistoryTable {
  id: Generated<string>;
  user_id: string;
  workspace_id: string;
  status_kind: string;
  label: string;
  started_at: Date;
  ended_at: Date | null;
}

export interface QueueEntriesTable {
  id: Generated<string>;
  seq: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  kind: 'voice' | 'chat' | 'email';
  label: string;
  priority: number;
  enqueued_at: Date;
  state: 'waiting' | 'offered' | 'busy' | 'wrapping' | 'done' | 'abandoned';
  agent_id: string | null;
  state_since: Date;
  offer_expires_at: Date | null;
  wrap_code_id: string | null;
  /** The Outcome chosen before wrapping (wrap_code_id is the one wrapped with). */
  chosen_wrap_code_id: string | null;
  customer_phone: string | null;
  platform_phone: string | null;
  channel_name: string | null;
  ended_by: 'agent' | 'customer' | 'system' | null;
  ivr_data: string | null;
  notes: Generated<string>;
  transfer_notes: Generated<string>;
  accepted_at: Date | null;
  ended_at: Date | null;
  /** A transfer: the entry the call came from. */
  transferred_from_id: string | null;
  /** A transfer offered to one agent by name: the transferring agent's name; never routed. */
  transferred_by: string | null;
  /** A call the agent placed (Manual Call, Agent Call) or a preview lead; null: a contact that came in. */
  call_type: 'manual' | 'agent' | 'preview' | 'predictive' | null;
  /** An interaction on a lead, and the number of it called. */
  lead_id: string | null;
  lead_number_id: string | null;
  /** A chat: the conversation this entry is one agent's part of. */
  chat_id: string | null;
  /** An email: its thread, and the inbound message it answers (null for a new email). */
  email_thread_id: string | null;
  email_message_id: string | null;
}

export interface InboundNumbersTable {
  id: Generated<string>;
  workspace_id: string;
  number: string;
  name: string;
  campaign_id: string | null;
  purpose: Generated<'customer' | 'agent_dial_in'>;
  web_phone: Generated<boolean>;
  created_at: Generated<Date>;
  workflow_id: string | null;
}

export interface CallInPinsTable {
  user_id: string;
  pin_hash: string;
  expires_at: Date;
}

export interface WorkflowsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  definition: ColumnType<WorkflowDefinition, string, string>;
  updated_at: Generated<Date>;
}

export interface RecordingSegment {
  /** Offsets into the recording, in milliseconds; stopMs is null while recording. */
  startMs: number;
  stopMs: number | null;
}

export interface RecordingsTable {
  id: Generated<string>;
  workspace_id: string;
  queue_entry_id: string;
  path: string;
  mode: 'mixed' | 'stereo';
  started_at: Date;
  ended_at: Date | null;
  duration_ms: number | null;
  segments: ColumnType<RecordingSegment[], string | undefined, string>;
  /** Tags the agent put on the recording: offsets (ms) into the file. */
  tags: ColumnType<{ atMs: number; at: string; userId: string }[], string | undefined, string>;
}

export interface InteractionEventsTable {
  id: Generated<string>;
  workspace_id: string;
  queue_entry_id: string;
  at: Date;
  kind: string;
  user_id: string | null;
  detail: ColumnType<Record<string, unknown> | null, string | null, string | null>;
}

export interface DialPlanSettings {
  defaultCountry: string;
  allowedPrefixes: string[];
  blockedPrefixes: string[];
}

export interface SipTrunksTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  host: string;
  port: Generated<number>;
  transport: Generated<'udp' | 'tcp'>;
  username: string | null;
  password: string | null;
  register: Generated<boolean>;
  allowed_sources: Generated<string[]>;
  caller_id: string | null;
  created_at: CreatedAt;
}

export interface SipExtensionsTable {
  id: Generated<string>;
  workspace_id: string;
  extension: string;
  username: string;
  /** MD5(username:realm:password): what digest needs, never the password. */
  ha1: string;
  user_id: string | null;
  created_at: CreatedAt;
  /** Where the registered phone is (its Contact), and how its REGISTER reached us. */
  contact: string | null;
  contact_peer: ColumnType<Peer | null, string | null | undefined, string | null>;
  registered_until: Date | null;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  agent_profiles: AgentProfilesTable;
  campaigns: CampaignsTable;
  campaign_teams: CampaignTeamsTable;
  pause_reasons: PauseReasonsTable;
  wrap_codes: WrapCodesTable;
  transfer_destinations: TransferDestinationsTable;
  announcements: AnnouncementsTable;
  directory_contacts: DirectoryContactsTable;
  directory_graph_settings: DirectoryGraphSettingsTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  sip_dialogs: SipDialogsTable;
  notifications: NotificationsTable;
  agent_states: AgentStatesTable;
  agent_state_history: AgentStateHistoryTable;
  queue_entries: QueueEntriesTable;
  inbound_numbers: InboundNumbersTable;
  recordings: RecordingsTable;
  interaction_events: InteractionEventsTable;
  workflows: WorkflowsTable;
  call_in_pins: CallInPinsTable;
  sip_trunks: SipTrunksTable;
  sip_extensions: SipExtensionsTable;
  lead_lists: LeadListsTable;
  leads: LeadsTable;
  lead_numbers: LeadNumbersTable;
  do_not_call: DoNotCallTable;
  lead_imports: LeadImportsTable;
  dialler_calls: DiallerCallsTable;
  dialler_audit: DiallerAuditTable;
  chat_channels: ChatChannelsTable;
  chats: ChatsTable;
  chat_messages: ChatMessagesTable;
  chat_attachments: ChatAttachmentsTable;
  canned_responses: CannedResponsesTable;
  email_mailboxes: EmailMailboxesTable;
  email_templates: EmailTemplatesTable;
  email_threads: EmailThreadsTable;
  email_messages: EmailMessagesTable;
  email_attachments: EmailAttachmentsTable;
  email_drafts: EmailDraftsTable;
}

/** A call the predictive dialler placed, from dialling to its end (migration 0025). */
export interface DiallerCallsTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string | null;
  lead_id: string | null;
  lead_number_id: string | null;
  number: string;
  dialled_at: Date;
  answered_at: Date | null;
  connected_at: Date | null;
  ended_at: Date | null;
  agent_id: string | null;
  entry_id: string | null;
  outcome: Generated<'ringing' | 'no answer' | 'busy' | 'failed' | 'refused' | 'connected' | 'abandoned'>;
  reason: string | null;
  /** An answered call: how long it waited for an agent (to the connection, or to the abandon). */
  waited_ms: number | null;
  message_played: Generated<boolean>;
}

/** The dialler's audit log: each decision, abandon and settings change, with what it was made of. */
export interface DiallerAuditTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string | null;
  campaign_name: string;
  at: Date;
  kind: 'decision' | 'abandon' | 'settings';
  actor_id: string | null;
  detail: ColumnType<Record<string, unknown>, string, string>;
}

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type UserRow = Selectable<UsersTable>;
export type AgentStateRow = Selectable<AgentStatesTable>;
export type QueueEntryRow = Selectable<QueueEntriesTable>;

/** A website's chat widget: its campaign, survey, allowed origins and hours (migration 0027). */
export interface ChatChannelsTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  name: string;
  survey: ColumnType<SurveyField[], string | undefined, string>;
  allowed_origins: Generated<string[]>;
  hours: ColumnType<BusinessHours | null, string | null | undefined, string | null>;
  offline_message: Generated<string>;
  created_at: Generated<Date>;
}

/** One conversation with one customer, whatever the agents who had it. */
export interface ChatsTable {
  id: Generated<string>;
  workspace_id: string;
  channel_id: string | null;
  campaign_id: string | null;
  contact_name: string;
  /** The survey's answers: [{key, label, value}] in the survey's order. */
  survey: ColumnType<SurveyAnswer[], string | undefined, string>;
  origin: string | null;
  state: Generated<'queued' | 'active' | 'ended'>;
  last_seq: Generated<number>;
  customer_read_seq: Generated<number>;
  agent_read_seq: Generated<number>;
  created_at: Date;
  ended_at: Date | null;
  ended_by: 'agent' | 'customer' | 'system' | null;
}

export interface ChatMessagesTable {
  chat_id: string;
  seq: number;
  sender: 'customer' | 'agent' | 'system';
  agent_id: string | null;
  agent_name: string | null;
  body: string;
  client_id: string | null;
  attachment_id: string | null;
  created_at: Date;
}

/** A file a customer sent; its bytes under DATA_DIR/chat-attachments, never in the web root. */
export interface ChatAttachmentsTable {
  id: Generated<string>;
  chat_id: string;
  name: string;
  content_type: string;
  size: number;
  created_at: Date;
}

export interface CannedResponsesTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  snippet: string;
  text: string;
  created_at: Generated<Date>;
}

/** Where a mailbox's mail comes from and goes to (migration 0028); passwords encrypted. */
export interface EmailMailboxesTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  name: string;
  address: string;
  display_name: Generated<string>;
  inbound: Generated<'imap' | 'smtp' | 'none'>;
  enabled: Generated<boolean>;
  imap: ColumnType<StoredImap | null, string | null | undefined, string | null>;
  imap_password: string | null;
  smtp: ColumnType<StoredSmtp | null, string | null | undefined, string | null>;
  smtp_password: string | null;
  health_state: Generated<'off' | 'connecting' | 'ok' | 'error'>;
  health_error: string | null;
  health_since: Date | null;
  created_at: Generated<Date>;
}

export interface StoredServer {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  user: string;
  verifyCertificate: boolean;
}
export interface StoredImap extends StoredServer {
  folder: string;
  processedFolder: string;
}
export type StoredSmtp = StoredServer;

export interface EmailTemplatesTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string;
  name: string;
  subject: Generated<string>;
  html: Generated<string>;
  created_at: Generated<Date>;
}

export interface EmailThreadsTable {
  id: Generated<string>;
  workspace_id: string;
  campaign_id: string | null;
  token: string;
  subject: string;
  contact_name: Generated<string>;
  contact_address: Generated<string>;
  created_at: Date;
  last_at: Date;
}

export interface StoredAddress {
  name: string;
  address: string;
}

export interface EmailMessagesTable {
  id: Generated<string>;
  workspace_id: string;
  thread_id: string;
  mailbox_id: string | null;
  direction: 'in' | 'out';
  message_id: string | null;
  in_reply_to: string | null;
  refs: Generated<string[]>;
  from_name: Generated<string>;
  from_address: Generated<string>;
  to_addrs: ColumnType<StoredAddress[], string | undefined, string>;
  cc_addrs: ColumnType<StoredAddress[], string | undefined, string>;
  bcc_addrs: ColumnType<StoredAddress[], string | undefined, string>;
  subject: Generated<string>;
  body_text: Generated<string>;
  body_html: string | null;
  remote_images: Generated<number>;
  status: 'received' | 'queued' | 'sent' | 'failed' | 'bounced';
  error: string | null;
  auto_reply: Generated<boolean>;
  entry_id: string | null;
  agent_id: string | null;
  agent_name: string | null;
  imap_uidvalidity: ColumnType<string | number | bigint | null, number | null | undefined, number | null>;
  imap_uid: ColumnType<string | number | bigint | null, number | null | undefined, number | null>;
  raw_size: Generated<number>;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  created_at: Date;
  sent_at: Date | null;
}

/** A file of a message or of a draft; its bytes under DATA_DIR/email-attachments. */
export interface EmailAttachmentsTable {
  id: Generated<string>;
  workspace_id: string;
  message_id: string | null;
  draft_entry_id: string | null;
  name: string;
  content_type: string;
  size: number;
  content_id: string | null;
  inline: Generated<boolean>;
  created_at: Date;
}

/** The reply (or new email) an interaction's agent is writing, saved as they type. */
export interface EmailDraftsTable {
  entry_id: string;
  mode: 'reply' | 'replyAll' | 'forward' | 'new';
  to_addrs: Generated<string[]>;
  cc_addrs: Generated<string[]>;
  bcc_addrs: Generated<string[]>;
  subject: Generated<string>;
  html: Generated<string>;
  template_id: string | null;
  saved_at: Date;
}
