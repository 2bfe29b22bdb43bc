import {
  type AgentChatView,
  type AgentEmailView,
  type AgentProfile,
  type AgentState,
  type AgentTimeReport,
  ANNOUNCEMENT_CONTENT_TYPE,
  type Announcement,
  type Callback,
  type CallInDetails,
  type CallMeBody,
  type CallMeDefault,
  type Campaign,
  type CannedResponse,
  type ChatChannel,
  type ChatHistoryFilter,
  type ChatHistoryList,
  type ChatMessage,
  type ChatTranscript,
  CONTACTS_CSV_CONTENT_TYPE,
  type ConsultBody,
  type ContactImportResult,
  type ConvertCampaign,
  type CreateAgentProfileBody,
  type CreateCampaignBody,
  type CreateCannedResponseBody,
  type CreateChatChannelBody,
  type CreateEmailMailboxBody,
  type CreateEmailTemplateBody,
  type CreateInboundNumberBody,
  type CreateLeadListBody,
  type CreatePauseReasonBody,
  type CreateSipExtensionBody,
  type CreateSipTrunkBody,
  type CreateTeamBody,
  type CreateTransferDestinationBody,
  type CreateUserBody,
  type CreateWorkflowBody,
  type CreateWorkspaceContactBody,
  type CreateWrapCodeBody,
  CSRF_HEADER,
  type DialCampaign,
  type DiallerCampaignStats,
  type DiallerReport,
  type DirectorySearchResult,
  type DiscardEmailBody,
  type DoNotCallBody,
  type DoNotCallEntry,
  type DoNotCallImportQuery,
  type DoNotCallPage,
  type DoNotCallQuery,
  type EmailAttachmentInfo,
  type EmailDraft,
  type EmailHistoryFilter,
  type EmailHistoryList,
  type EmailMailbox,
  type EmailTemplate,
  type EmailThreadView,
  type EnqueueContactBody,
  type ErrorBody,
  type GraphSettings,
  type InboundNumber,
  type InteractionDetail,
  type InteractionList,
  type InteractionListQuery,
  type InteractionNotesBody,
  type InteractionOutcomeBody,
  type InteractionPanel,
  LEAD_CSV_CONTENT_TYPE,
  type Lead,
  type LeadImport,
  type LeadImportQuery,
  type LeadList,
  type LeadNumberBody,
  type LeadPage,
  type LeadPageQuery,
  type LeadSummary,
  type LiveCall,
  type LoginBody,
  type MonitorMode,
  type NewEmailBody,
  type NewEmailResult,
  type PauseReason,
  type PlaceCallBody,
  type PlacedCall,
  type QueueEntry,
  type SaveEmailDraftBody,
  type SendEmailBody,
  type SendEmailOptions,
  type SessionResponse,
  type SipExtension,
  type SipTrunk,
  type StatusChoice,
  type Team,
  type TransferAgent,
  type TransferBody,
  type TransferDestination,
  type TransferWorkflow,
  type UpdateAgentProfileBody,
  type UpdateAnnouncementBody,
  type UpdateCampaignBody,
  type UpdateCannedResponseBody,
  type UpdateChatChannelBody,
  type UpdateEmailMailboxBody,
  type UpdateEmailTemplateBody,
  type UpdateGraphSettingsBody,
  type UpdateInboundNumberBody,
  type UpdatePauseReasonBody,
  type UpdateSipExtensionBody,
  type UpdateSipTrunkBody,
  type UpdateTeamBody,
  type UpdateTransferDestinationBody,
  type UpdateUserBody,
  type UpdateWorkflowBody,
  type UpdateWorkspaceContactBody,
  type UpdateWorkspaceSettingsBody,
  type UpdateWrapCodeBody,
  type User,
  type WaitingChats,
  type Workflow,
  type WorkspaceContact,
  type WorkspaceSettings,
  type WrapBody,
  type WrapCode,
} from '@parley/contract';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: ErrorBody | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get retryAfterSeconds(): number | undefined {
    return this.body?.error.retryAfterSeconds;
  }
}

export interface HttpClientOptions {
  /** Origin of the server, e.g. http://127.0.0.1:8080. Empty in the browser (same origin). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Outside a browser there is no cookie store: keep the session cookie here. */
  manageCookies?: boolean;
}

export interface Resource<T, C, U> {
  list(): Promise<T[]>;
  get(id: string): Promise<T>;
  create(body: C): Promise<T>;
  update(id: string, body: U): Promise<T>;
  remove(id: string): Promise<void>;
}

export class HttpClient {
  private csrfToken: string | undefined;
  private cookie: string | undefined;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The CSRF token of the current session, once signed in. */
  get csrf(): string | undefined {
    return this.csrfToken;
  }

  /** The session cookie, when this client manages cookies itself (for a Node WebSocket). */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  /** A request whose body or answer is not JSON (a file); failures throw ApiError as request() does. */
  async requestRaw(
    method: string,
    path: string,
    body?: { bytes: Uint8Array; contentType: string },
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = body.contentType;
    if (method !== 'GET' && this.csrfToken) headers[CSRF_HEADER] = this.csrfToken;
    if (this.cookie) headers.cookie = this.cookie;
    const res = await this.fetchImpl(this.baseUrl + path, {
      method,
      headers,
      body: body ? (body.bytes as Uint8Array<ArrayBuffer>) : undefined,
      credentials: 'same-origin',
    });
    this.keepCookie(res);
    if (res.ok) return res;
    const text = await res.text();
    let err: ErrorBody | undefined;
    try {
      err = text ? (JSON.parse(text) as ErrorBody) : undefined;
    } catch {
      err = undefined;
    }
    throw new ApiError(res.status, err?.error?.code ?? 'UNKNOWN', err?.error?.message ?? res.statusText, err);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers[CSRF_HEADER] = this.csrfToken;
    if (this.cookie) headers.cookie = this.cookie;
    const res = await this.fetchImpl(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    this.keepCookie(res);
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const err = parsed as ErrorBody | undefined;
      throw new ApiError(
        res.status,
        err?.error?.code ?? 'UNKNOWN',
        err?.error?.message ?? res.statusText,
        err,
      );
    }
    return parsed as T;
  }

  private keepCookie(res: Response): void {
    if (!this.options.manageCookies) return;
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line) || pair.endsWith('=');
      this.cookie = expired ? undefined : pair;
    }
  }

  async login(body: LoginBody): Promise<SessionResponse> {
    const session = await this.request<SessionResponse>('POST', '/api/auth/login', body);
    this.csrfToken = session.csrfToken;
    return session;
  }

  async session(): Promise<SessionResponse> {
    const session = await this.request<SessionResponse>('GET', '/api/auth/session');
    this.csrfToken = session.csrfToken;
    return session;
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/api/auth/logout');
    this.csrfToken = undefined;
  }

  /** Asks for Available or a pause; during wrap-up this picks the status to take after wrapping. */
  setStatus(status: StatusChoice): Promise<AgentState> {
    return this.request<AgentState>('POST', '/api/agent/status', { status });
  }

  acceptInteraction(id: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/accept`);
  }

  /** Ends the conversation (hang up, close the chat): the interaction goes to wrap-up. */
  endInteraction(id: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/end`);
  }

  /** The information panel of one of the agent's interactions: script, fields, notes, outcomes. */
  interactionPanel(id: string): Promise<InteractionPanel> {
    return this.request<InteractionPanel>('GET', `/api/interactions/${id}/panel`);
  }

  async saveInteractionNotes(id: string, body: InteractionNotesBody): Promise<void> {
    await this.request<void>('PUT', `/api/interactions/${id}/notes`, body);
  }

  /** The Outcome chosen before wrapping (null clears it); a wrap without a code uses it. */
  async chooseInteractionOutcome(id: string, body: InteractionOutcomeBody): Promise<void> {
    await this.request<void>('PUT', `/api/interactions/${id}/outcome`, body);
  }

  /** Call in to connect: the agent's ID, the dial-in numbers and a fresh verification PIN. */
  callInDetails(): Promise<CallInDetails> {
    return this.request<CallInDetails>('POST', '/api/voice/call-in');
  }

  /** Call me to connect: the platform rings `destination`; the voice state shows the outcome. */
  callMe(body: CallMeBody): Promise<{ state: 'calling' }> {
    return this.request<{ state: 'calling' }>('POST', '/api/voice/call-me', body);
  }

  /** The agent's saved "Call me to connect" number and mode, if any. */
  callMeDefault(): Promise<CallMeDefault> {
    return this.request<CallMeDefault>('GET', '/api/voice/call-me');
  }

  /** Puts the caller on hold (they hear music) or takes them off it. */
  holdCall(id: string, held: boolean): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/hold`, { held });
  }

  /** Tags the call's recording where it is now; returns the offset (ms) into the recording. */
  tagRecording(id: string): Promise<{ atMs: number }> {
    return this.request<{ atMs: number }>('POST', `/api/interactions/${id}/recording/tags`);
  }

  /** Stops or starts the call's recording (where the workspace shows recording controls). */
  recordCall(id: string, recording: boolean): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/recording`, { recording });
  }

  /** Blind transfer to an agent (with notes), a number or a workflow; the agent then wraps up. */
  transferCall(id: string, body: TransferBody): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/transfer`, body);
  }

  /** A second line to an agent or a number while the customer hears on-hold music. */
  consultCall(id: string, body: ConsultBody): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/consult`, body);
  }

  /** Talks on the customer's line or the consulted party's (the other waits). */
  switchConsultLine(id: string, line: 'customer' | 'consulted'): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/consult/line`, { line });
  }

  /** Merge Lines: the customer, the consulted party and the agent in one conference. */
  mergeConsult(id: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/consult/merge`);
  }

  /** Hangs up the consulted party; the agent is back with the customer. */
  hangUpConsult(id: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/consult/hangup`);
  }

  /** The agent leaves a conference (the others keep talking) and goes to wrap-up. */
  leaveConference(id: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/leave`);
  }

  /** Plays one of the campaign's announcements to the contact; talk resumes when it ends. */
  playAnnouncement(id: string, announcementId: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/announcement`, { announcementId });
  }

  /** Agents a call may be transferred to: Available with voice connected. */
  transferAgents(): Promise<TransferAgent[]> {
    return this.request<TransferAgent[]>('GET', '/api/transfer/agents');
  }

  /** The workspace's workflows a call may be transferred to. */
  transferWorkflows(): Promise<TransferWorkflow[]> {
    return this.request<TransferWorkflow[]>('GET', '/api/transfer/workflows');
  }

  /** A Manual Call to a number, or an Agent Call to a colleague: from a pause state. */
  placeCall(body: PlaceCallBody): Promise<PlacedCall> {
    return this.request<PlacedCall>('POST', '/api/calls', body);
  }

  /** The campaigns the agent may record a Manual Call under. */
  dialCampaigns(): Promise<DialCampaign[]> {
    return this.request<DialCampaign[]>('GET', '/api/calls/campaigns');
  }

  /** Dials one of the presented lead's numbers (the interaction shows the dialling). */
  dialLead(id: string, numberId: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/lead/dial`, { numberId });
  }

  /** A Manual Call on the presented lead: a typed number, under the lead's campaign. */
  dialLeadNumber(id: string, number: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/lead/dial`, { number });
  }

  /** Lead Manager: leads of the agent's outbound campaigns by name, field or number. */
  searchLeads(q: string, campaignId?: string): Promise<LeadSummary[]> {
    const query = new URLSearchParams({ q, ...(campaignId && { campaignId }) });
    return this.request<LeadSummary[]>('GET', `/api/leads/search?${query}`);
  }

  /** Lead Manager: this lead is the agent's next contact. */
  chooseLead(leadId: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/leads/${leadId}/choose`);
  }

  /** The agent's callbacks, soonest first (the Callbacks side panel). */
  callbacks(): Promise<Callback[]> {
    return this.request<Callback[]>('GET', '/api/callbacks');
  }

  /** Convert to Outbound: the outbound campaigns offered for this call. */
  convertCampaigns(id: string): Promise<ConvertCampaign[]> {
    return this.request<ConvertCampaign[]>('GET', `/api/interactions/${id}/convert/campaigns`);
  }

  /** Convert to Outbound's "Search Leads": by a number on the lead and its campaign. */
  convertLeads(id: string, q: string, campaignId?: string): Promise<LeadSummary[]> {
    const query = new URLSearchParams({ q, ...(campaignId && { campaignId }) });
    return this.request<LeadSummary[]>('GET', `/api/interactions/${id}/convert/leads?${query}`);
  }

  /** Convert to Outbound: the live call becomes an interaction of this lead. */
  convertCall(id: string, leadId: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/convert`, { leadId });
  }

  /** "Add new number" on the presented lead (where the campaign lets agents edit numbers). */
  addLeadNumber(id: string, body: LeadNumberBody): Promise<Lead> {
    return this.request<Lead>('POST', `/api/interactions/${id}/lead/numbers`, body);
  }

  /** Edits one of the presented lead's numbers. */
  updateLeadNumber(id: string, numberId: string, body: LeadNumberBody): Promise<Lead> {
    return this.request<Lead>('PUT', `/api/interactions/${id}/lead/numbers/${numberId}`, body);
  }

  /** Removes one of the presented lead's numbers (emptied and confirmed). */
  removeLeadNumber(id: string, numberId: string): Promise<Lead> {
    return this.request<Lead>('DELETE', `/api/interactions/${id}/lead/numbers/${numberId}`);
  }

  /** A chat the agent has (or had): contact, survey answers, messages, canned responses. */
  chat(id: string): Promise<AgentChatView> {
    return this.request<AgentChatView>('GET', `/api/interactions/${id}/chat`);
  }

  /** Sends a message in the chat; the same clientId again stores nothing twice. */
  sendChatMessage(id: string, clientId: string, text: string): Promise<ChatMessage> {
    return this.request<ChatMessage>('POST', `/api/interactions/${id}/chat/messages`, { clientId, text });
  }

  /** The agent started or stopped typing (the customer sees it). */
  async chatTyping(id: string, typing: boolean): Promise<void> {
    await this.request<void>('POST', `/api/interactions/${id}/chat/typing`, { typing });
  }

  /** The agent has read the customer's messages up to seq. */
  async chatRead(id: string, seq: number): Promise<void> {
    await this.request<void>('POST', `/api/interactions/${id}/chat/read`, { seq });
  }

  /** The Chat Panel: chats waiting in the queues the agent serves. */
  waitingChats(): Promise<WaitingChats> {
    return this.request<WaitingChats>('GET', '/api/chats/waiting');
  }

  /** The Chat Panel: takes a waiting chat (it opens in a tab, accepted). */
  takeChat(interactionId: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/chats/waiting/${interactionId}/take`);
  }

  /** Chat History: past chats of the agent's teams (managers: theirs), newest first. */
  chatHistory(query: ChatHistoryFilter = {}): Promise<ChatHistoryList> {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const suffix = q.size ? `?${q}` : '';
    return this.request<ChatHistoryList>('GET', `/api/chat-history${suffix}`);
  }

  /** Chat History: one chat's transcript with its outcome. */
  chatTranscript(chatId: string): Promise<ChatTranscript> {
    return this.request<ChatTranscript>('GET', `/api/chat-history/${chatId}`);
  }

  /** An email interaction: the message it answers, the thread before it, the draft. */
  email(id: string): Promise<AgentEmailView> {
    return this.request<AgentEmailView>('GET', `/api/interactions/${id}/email`);
  }

  /** Saves the reply's (or new email's) draft as the agent types; it survives a reload. */
  saveEmailDraft(id: string, draft: SaveEmailDraftBody): Promise<EmailDraft> {
    return this.request<EmailDraft>('PUT', `/api/interactions/${id}/email/draft`, draft);
  }

  /** Adds a file to the draft (at most 10 MB). */
  async addEmailAttachment(
    id: string,
    file: { bytes: Uint8Array; name: string; contentType: string },
  ): Promise<EmailAttachmentInfo> {
    const res = await this.requestRaw(
      'POST',
      `/api/interactions/${id}/email/draft/attachments?name=${encodeURIComponent(file.name)}`,
      { bytes: file.bytes, contentType: file.contentType || 'application/octet-stream' },
    );
    return (await res.json()) as EmailAttachmentInfo;
  }

  removeEmailAttachment(id: string, attachmentId: string): Promise<void> {
    return this.request<void>('DELETE', `/api/interactions/${id}/email/draft/attachments/${attachmentId}`);
  }

  /** The address an attachment of the interaction's thread is downloaded from. */
  emailAttachmentPath(id: string, attachmentId: string): string {
    return `/api/interactions/${id}/email/attachments/${attachmentId}`;
  }

  /** "Send and wrap email": sends the draft (as given, saved first), then wraps with the Outcome. */
  sendEmail(id: string, body: SendEmailBody = {}): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/email/send`, body);
  }

  /** "Discard and Wrap Email": drops the draft and wraps with the Outcome. */
  discardEmail(id: string, body: DiscardEmailBody = {}): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/email/discard`, body);
  }

  /** The Email Queue icon: opens the next email waiting in the agent's email queues. */
  nextEmail(): Promise<AgentState> {
    return this.request<AgentState>('POST', '/api/emails/next');
  }

  /** The Send Email dialog: whether the agent may, the email campaigns and their templates. */
  sendEmailOptions(): Promise<SendEmailOptions> {
    return this.request<SendEmailOptions>('GET', '/api/emails/options');
  }

  /** "New Email": a new email interaction, its draft from the template. */
  newEmail(body: NewEmailBody): Promise<NewEmailResult> {
    return this.request<NewEmailResult>('POST', '/api/emails/new', body);
  }

  /** Email History: threads of the agent's teams (managers: theirs), latest first. */
  emailHistory(query: EmailHistoryFilter = {}): Promise<EmailHistoryList> {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const suffix = q.size ? `?${q}` : '';
    return this.request<EmailHistoryList>('GET', `/api/email-history${suffix}`);
  }

  /** Email History: one thread, oldest first, with each interaction's Outcome. */
  emailThread(threadId: string): Promise<EmailThreadView> {
    return this.request<EmailThreadView>('GET', `/api/email-history/${threadId}`);
  }

  /** Dial pad keys during a call, to the far end (RFC 4733). */
  sendDigits(id: string, digits: string): Promise<void> {
    return this.request<void>('POST', `/api/interactions/${id}/digits`, { digits });
  }

  wrapInteraction(id: string, body: WrapBody = {}): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/wrap`, body);
  }

  /** Administrators and managers: queue a contact on a campaign (until channels deliver real ones). */
  enqueueContact(workspaceId: string, body: EnqueueContactBody): Promise<QueueEntry> {
    return this.request<QueueEntry>('POST', `/api/workspaces/${workspaceId}/queue-entries`, body);
  }

  /** Managers and administrators: interaction records (managers: their teams' campaigns only). */
  interactions(workspaceId: string, query: InteractionListQuery = {}): Promise<InteractionList> {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const suffix = q.size ? `?${q}` : '';
    return this.request<InteractionList>('GET', `/api/workspaces/${workspaceId}/interactions${suffix}`);
  }

  interaction(workspaceId: string, id: string): Promise<InteractionDetail> {
    return this.request<InteractionDetail>('GET', `/api/workspaces/${workspaceId}/interactions/${id}`);
  }

  /** Administrators: IVR workflows; managers may read them. */
  workflows(workspaceId: string) {
    return this.resource<Workflow, CreateWorkflowBody, UpdateWorkflowBody>(
      `/api/workspaces/${workspaceId}/workflows`,
    );
  }

  /** Administrators: inbound numbers (voice channels); managers may read them. */
  numbers(workspaceId: string) {
    return this.resource<InboundNumber, CreateInboundNumberBody, UpdateInboundNumberBody>(
      `/api/workspaces/${workspaceId}/numbers`,
    );
  }

  /** Administrators: SIP trunks (the password is write-only). */
  trunks(workspaceId: string): Resource<SipTrunk, CreateSipTrunkBody, UpdateSipTrunkBody> {
    return this.resource(`/api/workspaces/${workspaceId}/trunks`);
  }

  /** Administrators: desk phone extensions and where they registered. */
  extensions(workspaceId: string): Resource<SipExtension, CreateSipExtensionBody, UpdateSipExtensionBody> {
    return this.resource(`/api/workspaces/${workspaceId}/extensions`);
  }

  agentTimeReport(workspaceId: string, from: string, to: string): Promise<AgentTimeReport> {
    const q = new URLSearchParams({ from, to });
    return this.request<AgentTimeReport>('GET', `/api/workspaces/${workspaceId}/reports/agent-time?${q}`);
  }

  async clearNotifications(): Promise<void> {
    await this.request<void>('POST', '/api/notifications/clear');
  }

  settings(workspaceId: string) {
    const path = `/api/workspaces/${workspaceId}/settings`;
    return {
      get: () => this.request<WorkspaceSettings>('GET', path),
      update: (body: UpdateWorkspaceSettingsBody) => this.request<WorkspaceSettings>('PATCH', path, body),
    };
  }

  users(workspaceId: string): Resource<User, CreateUserBody, UpdateUserBody> {
    return this.resource(`/api/workspaces/${workspaceId}/users`);
  }
  teams(workspaceId: string): Resource<Team, CreateTeamBody, UpdateTeamBody> {
    return this.resource(`/api/workspaces/${workspaceId}/teams`);
  }
  agentProfiles(workspaceId: string): Resource<AgentProfile, CreateAgentProfileBody, UpdateAgentProfileBody> {
    return this.resource(`/api/workspaces/${workspaceId}/agent-profiles`);
  }
  pauseReasons(workspaceId: string): Resource<PauseReason, CreatePauseReasonBody, UpdatePauseReasonBody> {
    return this.resource(`/api/workspaces/${workspaceId}/pause-reasons`);
  }
  campaigns(workspaceId: string): Resource<Campaign, CreateCampaignBody, UpdateCampaignBody> {
    return this.resource(`/api/workspaces/${workspaceId}/campaigns`);
  }
  wrapCodes(
    workspaceId: string,
    campaignId: string,
  ): Resource<WrapCode, CreateWrapCodeBody, UpdateWrapCodeBody> {
    return this.resource(`/api/workspaces/${workspaceId}/campaigns/${campaignId}/wrap-codes`);
  }

  /** Administrators: the campaign's canned responses (chat); managers may read them. */
  cannedResponses(
    workspaceId: string,
    campaignId: string,
  ): Resource<CannedResponse, CreateCannedResponseBody, UpdateCannedResponseBody> {
    return this.resource(`/api/workspaces/${workspaceId}/campaigns/${campaignId}/canned-responses`);
  }

  /** Administrators: email mailboxes (IMAP in, SMTP out; passwords are written, never read). */
  emailMailboxes(
    workspaceId: string,
  ): Resource<EmailMailbox, CreateEmailMailboxBody, UpdateEmailMailboxBody> {
    return this.resource(`/api/workspaces/${workspaceId}/email-mailboxes`);
  }

  /** Administrators: the campaign's email templates; agents read them in the composer. */
  emailTemplates(
    workspaceId: string,
    campaignId: string,
  ): Resource<EmailTemplate, CreateEmailTemplateBody, UpdateEmailTemplateBody> {
    return this.resource(`/api/workspaces/${workspaceId}/campaigns/${campaignId}/email-templates`);
  }

  /** Administrators: web chat channels (the widget's survey, origins, hours); managers may read. */
  chatChannels(workspaceId: string): Resource<ChatChannel, CreateChatChannelBody, UpdateChatChannelBody> {
    return this.resource(`/api/workspaces/${workspaceId}/chat-channels`);
  }

  /** Administrators: the campaign's transfer pool (named numbers, E.164); managers may read it. */
  transferPool(
    workspaceId: string,
    campaignId: string,
  ): Resource<TransferDestination, CreateTransferDestinationBody, UpdateTransferDestinationBody> {
    return this.resource(`/api/workspaces/${workspaceId}/campaigns/${campaignId}/transfer-pool`);
  }

  /** Agents of the campaign (and staff): its transfer pool, for the transfer dialog. */
  campaignTransferPool(campaignId: string): Promise<TransferDestination[]> {
    return this.request<TransferDestination[]>('GET', `/api/campaigns/${campaignId}/transfer-pool`);
  }

  /** Administrators: the campaign's announcements (upload a WAV, rename, delete); managers may read. */
  announcements(workspaceId: string, campaignId: string) {
    const base = `/api/workspaces/${workspaceId}/campaigns/${campaignId}/announcements`;
    return {
      list: () => this.request<Announcement[]>('GET', base),
      get: (id: string) => this.request<Announcement>('GET', `${base}/${id}`),
      /** The WAV file is the body; anything not 8 kHz mono 16-bit PCM is converted. */
      upload: async (name: string, wav: Uint8Array): Promise<Announcement> => {
        const res = await this.requestRaw('POST', `${base}?${new URLSearchParams({ name })}`, {
          bytes: wav,
          contentType: ANNOUNCEMENT_CONTENT_TYPE,
        });
        return (await res.json()) as Announcement;
      },
      update: (id: string, body: UpdateAnnouncementBody) =>
        this.request<Announcement>('PATCH', `${base}/${id}`, body),
      remove: async (id: string) => {
        await this.request<void>('DELETE', `${base}/${id}`);
      },
    };
  }

  /** Agents of the campaign (and staff): its announcements, for Play Announcement. */
  campaignAnnouncements(campaignId: string): Promise<Announcement[]> {
    return this.request<Announcement[]>('GET', `/api/campaigns/${campaignId}/announcements`);
  }

  /** The stored WAV of an announcement (its `audioUrl`). */
  async announcementAudio(announcement: Pick<Announcement, 'audioUrl'>): Promise<Uint8Array> {
    const res = await this.requestRaw('GET', announcement.audioUrl);
    return new Uint8Array(await res.arrayBuffer());
  }

  private resource<T, C, U>(base: string): Resource<T, C, U> {
    return {
      list: () => this.request<T[]>('GET', base),
      get: (id) => this.request<T>('GET', `${base}/${id}`),
      create: (body) => this.request<T>('POST', base, body),
      update: (id, body) => this.request<T>('PATCH', `${base}/${id}`, body),
      remove: async (id) => {
        await this.request<void>('DELETE', `${base}/${id}`);
      },
    };
  }

  /** Agent Assist: the agent asks the managers of their teams for help on this live call. */
  requestAssist(id: string): Promise<AgentState> {
    return this.request<AgentState>('POST', `/api/interactions/${id}/assist`);
  }

  /** Managers (their teams' agents) and administrators (the workspace): the calls in conversation now. */
  liveCalls(): Promise<LiveCall[]> {
    return this.request<LiveCall[]>('GET', '/api/supervision/calls');
  }

  /** Joins a live call from the manager's own voice path to listen, whisper or barge, or changes how. */
  monitorCall(id: string, mode: MonitorMode): Promise<LiveCall> {
    return this.request<LiveCall>('POST', `/api/supervision/calls/${id}/monitor`, { mode });
  }

  /** Leaves a call the manager is monitoring. */
  stopMonitoring(id: string): Promise<LiveCall> {
    return this.request<LiveCall>('POST', `/api/supervision/calls/${id}/monitor/stop`);
  }

  /** Managers (their teams') and administrators (the workspace's): predictive campaigns' live figures. */
  diallerCampaigns(): Promise<DiallerCampaignStats[]> {
    return this.request<DiallerCampaignStats[]>('GET', '/api/dialler/campaigns');
  }

  /** A predictive campaign's compliance report, one UTC day per row, `from` and `to` as YYYY-MM-DD. */
  diallerReport(workspaceId: string, campaignId: string, from: string, to: string): Promise<DiallerReport> {
    return this.request<DiallerReport>('GET', diallerPath(workspaceId, campaignId, 'report', from, to));
  }

  /** Where a predictive campaign's audit log or calls download as CSV (a link's href). */
  diallerCsvUrl(
    workspaceId: string,
    campaignId: string,
    what: 'audit' | 'calls',
    from: string,
    to: string,
  ): string {
    return this.baseUrl + diallerPath(workspaceId, campaignId, `${what}.csv`, from, to);
  }

  /** The directory (F2): the workspace's contacts and Microsoft Graph's, by name (2 to 100 characters). */
  searchDirectory(q: string): Promise<DirectorySearchResult> {
    return this.request<DirectorySearchResult>('GET', `/api/directory/search?${new URLSearchParams({ q })}`);
  }

  /** Administrators (managers read): the workspace's own directory, and its CSV import. */
  directoryContacts(workspaceId: string): DirectoryContactsResource {
    const base = `/api/workspaces/${workspaceId}/directory/contacts`;
    return {
      ...this.resource<WorkspaceContact, CreateWorkspaceContactBody, UpdateWorkspaceContactBody>(base),
      importCsv: async (csv) => {
        const bytes = typeof csv === 'string' ? new TextEncoder().encode(csv) : csv;
        const res = await this.requestRaw('POST', `${base}/import`, {
          bytes,
          contentType: CONTACTS_CSV_CONTENT_TYPE,
        });
        return (await res.json()) as ContactImportResult;
      },
    };
  }

  /** Administrators: the workspace's Microsoft Graph directory (the client secret is never returned). */
  graphDirectory(workspaceId: string) {
    const base = `/api/workspaces/${workspaceId}/directory/graph`;
    return {
      get: () => this.request<GraphSettings>('GET', base),
      update: (body: UpdateGraphSettingsBody) => this.request<GraphSettings>('PUT', base, body),
      remove: async () => {
        await this.request<void>('DELETE', base);
      },
      /** Signs in and reads one user now; throws ApiError DIRECTORY_* when that fails. */
      check: async () => {
        await this.request<void>('POST', `${base}/check`);
      },
    };
  }

  /**
   * Sends a file as the body (bytes, a Blob or File, or a stream that is never held whole) and
   * reads the JSON answer; failures throw ApiError as request() does.
   */
  private async upload<T>(method: string, path: string, body: CsvBody, contentType: string): Promise<T> {
    const headers: Record<string, string> = { 'content-type': contentType, accept: 'application/json' };
    if (this.csrfToken) headers[CSRF_HEADER] = this.csrfToken;
    if (this.cookie) headers.cookie = this.cookie;
    const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const init: RequestInit & { duplex?: 'half' } = {
      method,
      headers,
      body: payload as NonNullable<RequestInit['body']>,
      credentials: 'same-origin',
    };
    // A stream is sent as it is read (fetch needs to be told so).
    if (typeof ReadableStream !== 'undefined' && payload instanceof ReadableStream) init.duplex = 'half';
    const res = await this.fetchImpl(this.baseUrl + path, init);
    this.keepCookie(res);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const err = parsed as ErrorBody | undefined;
      throw new ApiError(
        res.status,
        err?.error?.code ?? 'UNKNOWN',
        err?.error?.message ?? res.statusText,
        err,
      );
    }
    return parsed as T;
  }

  /**
   * Administrators (managers read): the lead lists of outbound campaigns, their leads, and the
   * CSV import into a list (answered at once with the job; `leadImports().wait` follows it).
   */
  leadLists(workspaceId: string) {
    const base = `/api/workspaces/${workspaceId}/lead-lists`;
    return {
      list: (campaignId?: string) =>
        this.request<LeadList[]>('GET', campaignId ? `${base}?${new URLSearchParams({ campaignId })}` : base),
      get: (id: string) => this.request<LeadList>('GET', `${base}/${id}`),
      create: (body: CreateLeadListBody) => this.request<LeadList>('POST', base, body),
      remove: async (id: string) => {
        await this.request<void>('DELETE', `${base}/${id}`);
      },
      /** A page of the list's leads; pass the page's `next` as `after` for the one after. */
      leads: (listId: string, query: LeadPageQuery = {}) => {
        const q = new URLSearchParams(query as Record<string, string>);
        return this.request<LeadPage>('GET', `${base}/${listId}/leads${q.size ? `?${q}` : ''}`);
      },
      lead: (listId: string, leadId: string) =>
        this.request<Lead>('GET', `${base}/${listId}/leads/${leadId}`),
      /** The list's imports, newest first. */
      imports: (listId: string) => this.request<LeadImport[]>('GET', `${base}/${listId}/imports`),
      /** Starts an import of the CSV file (text, bytes, a File or a stream) into the list. */
      importCsv: (listId: string, csv: CsvBody, mapping: LeadImportQuery) =>
        this.upload<LeadImport>(
          'POST',
          `${base}/${listId}/imports?${queryOf(mapping)}`,
          csv,
          LEAD_CSV_CONTENT_TYPE,
        ),
    };
  }

  /** Administrators (managers read the jobs): CSV imports, their progress and their reports. */
  leadImports(workspaceId: string) {
    const base = `/api/workspaces/${workspaceId}/lead-imports`;
    const get = (id: string) => this.request<LeadImport>('GET', `${base}/${id}`);
    return {
      get,
      /** The import's report as CSV text: line, column, value, outcome, reason. */
      report: async (id: string) => (await this.requestRaw('GET', `${base}/${id}/report`)).text(),
      /** Reads the import every `intervalMs` until it has completed or failed (`onProgress` sees each read). */
      wait: async (
        id: string,
        options: { intervalMs?: number; timeoutMs?: number; onProgress?: (job: LeadImport) => void } = {},
      ): Promise<LeadImport> => {
        const until = Date.now() + (options.timeoutMs ?? 600_000);
        for (;;) {
          const job = await get(id);
          options.onProgress?.(job);
          if (job.status === 'completed' || job.status === 'failed') return job;
          if (Date.now() > until) throw new Error(`Import ${id} still ${job.status} after waiting`);
          await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
        }
      },
    };
  }

  /** Administrators (managers read): the workspace's do-not-call list, by number (E.164 or as dialled). */
  doNotCall(workspaceId: string) {
    const base = `/api/workspaces/${workspaceId}/do-not-call`;
    const one = (number: string) => `${base}/${encodeURIComponent(number)}`;
    return {
      list: (query: DoNotCallQuery = {}) => {
        const q = new URLSearchParams(query as Record<string, string>);
        return this.request<DoNotCallPage>('GET', `${base}${q.size ? `?${q}` : ''}`);
      },
      get: (number: string) => this.request<DoNotCallEntry>('GET', one(number)),
      add: (body: DoNotCallBody) => this.request<DoNotCallEntry>('POST', base, body),
      remove: async (number: string) => {
        await this.request<void>('DELETE', one(number));
      },
      imports: () => this.request<LeadImport[]>('GET', `${base}/imports`),
      /** Starts an import of a CSV of numbers (a header row; the first column unless `number` names one). */
      importCsv: (csv: CsvBody, mapping: DoNotCallImportQuery = {}) => {
        const q = queryOf(mapping);
        return this.upload<LeadImport>(
          'POST',
          `${base}/imports${q.size ? `?${q}` : ''}`,
          csv,
          LEAD_CSV_CONTENT_TYPE,
        );
      },
    };
  }
}

/** The workspace's own directory contacts, and their CSV import. */
export type DirectoryContactsResource = Resource<
  WorkspaceContact,
  CreateWorkspaceContactBody,
  UpdateWorkspaceContactBody
> & { importCsv(csv: string | Uint8Array): Promise<ContactImportResult> };

/** A CSV file to upload: text, bytes, a Blob or File, or a stream of bytes. */
export type CsvBody = string | Uint8Array | Blob | ReadableStream<Uint8Array>;

/** A mapping as query parameters, a list as the parameter repeated (`phone=Mobile&phone=Home`). */
function queryOf(mapping: Record<string, string | string[] | undefined>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(mapping))
    for (const one of v === undefined ? [] : [v].flat()) q.append(k, one);
  return q;
}

/** A predictive campaign's report or export, for the range `from`..`to`. */
function diallerPath(
  workspaceId: string,
  campaignId: string,
  leaf: string,
  from: string,
  to: string,
): string {
  return `/api/workspaces/${workspaceId}/campaigns/${campaignId}/dialler/${leaf}?${new URLSearchParams({ from, to })}`;
}
