import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict, StrictPartial, Timestamp, Uuid } from './common.js';
import { BusinessHours } from './workflows.js';

/**
 * Web chat (N1-N4). A website pastes `<script src="https://<platform>/chat.js"
 * data-channel="<channel id>">`; the widget talks to the platform over one public WebSocket
 * (`CHAT_SOCKET_PATH`) with the frames below. Agents read and write through the toolbar's
 * HTTP routes and realtime channel (`chat.*` client events).
 */
export const CHAT_SCRIPT_PATH = '/chat.js';
export const CHAT_SOCKET_PATH = '/api/public/chat';
/**
 * The customer's attachments (images and PDF): POST the file's bytes here with its
 * `Content-Type`, the chat's token in `X-Chat-Token` and the file name in `X-File-Name`
 * (URI-encoded); the answer (201) is the `ChatMessage` that carries it, which also arrives as a
 * `message` frame. The customer fetches one at `GET .../<attachment id>?token=<token>`; the agent
 * at `GET /api/interactions/<id>/chat/attachments/<attachment id>`. Both are served as downloads
 * (`Content-Disposition: attachment`).
 */
export const CHAT_ATTACHMENTS_PATH = '/api/public/chat/attachments';
export const CHAT_TOKEN_HEADER = 'X-Chat-Token';
export const CHAT_FILE_NAME_HEADER = 'X-File-Name';
/** The types an attachment may be, as its bytes show (not as the sender says). */
export const CHAT_ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
] as const;

/** The longest message either side may send, in characters. */
export const CHAT_MESSAGE_MAX = 2000;
/** The largest attachment, in bytes (images and PDF only, checked by content). */
export const CHAT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
/** The contact's name when the survey has no `name` field or it was left empty. */
export const CHAT_DEFAULT_CONTACT_NAME = 'Website visitor';

/* Channels (admin) */

export const SURVEY_FIELD_TYPES = ['text', 'email', 'phone', 'choice'] as const;
export const SurveyFieldType = Type.Union(SURVEY_FIELD_TYPES.map((t) => Type.Literal(t)));
export type SurveyFieldType = (typeof SURVEY_FIELD_TYPES)[number];

/**
 * One question of the pre-chat survey. The answer to the field keyed `name` names the contact
 * (the agent's tab, Chat History); every answer shows in the agent's information panel.
 */
export const SurveyField = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
    label: Type.String({ minLength: 1, maxLength: 100 }),
    type: SurveyFieldType,
    required: Type.Boolean(),
    /** The choices of a `choice` field (required there, refused elsewhere). */
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 }),
    ),
  },
  { additionalProperties: false },
);
export type SurveyField = Static<typeof SurveyField>;

/** A website origin allowed to open the widget: scheme, host and port, no path. */
export const WebOrigin = Type.String({ pattern: '^https?://[^/\\s?#]+$', maxLength: 200 });

const channelFields = {
  name: Name,
  /** The chat campaign whose queue the channel's chats join. */
  campaignId: Uuid,
  survey: Type.Array(SurveyField, { maxItems: 20 }),
  allowedOrigins: Type.Array(WebOrigin, { maxItems: 50, uniqueItems: true }),
  /** When chats are taken; null: always. */
  hours: Type.Union([BusinessHours, Type.Null()]),
  /** Shown instead of the survey outside the hours. */
  offlineMessage: Type.String({ maxLength: 1000 }),
};
export const CreateChatChannelBody = Strict({
  name: channelFields.name,
  campaignId: channelFields.campaignId,
  survey: Type.Optional(channelFields.survey),
  allowedOrigins: Type.Optional(channelFields.allowedOrigins),
  hours: Type.Optional(channelFields.hours),
  offlineMessage: Type.Optional(channelFields.offlineMessage),
});
export type CreateChatChannelBody = Static<typeof CreateChatChannelBody>;
export const UpdateChatChannelBody = StrictPartial(channelFields);
export type UpdateChatChannelBody = Static<typeof UpdateChatChannelBody>;
export const ChatChannel = Type.Object({ id: Uuid, ...channelFields });
export type ChatChannel = Static<typeof ChatChannel>;

/* Canned responses (admin writes, agents read) */

const cannedFields = {
  /** Typed after "/" in the chat box: letters, digits, "-" and "_". */
  snippet: Type.String({ pattern: '^[A-Za-z0-9_-]{1,30}$' }),
  /** The text; `{agent.name}` and `{contact.<survey key>}` are filled in. */
  text: Type.String({ minLength: 1, maxLength: CHAT_MESSAGE_MAX }),
};
export const CreateCannedResponseBody = Strict(cannedFields);
export type CreateCannedResponseBody = Static<typeof CreateCannedResponseBody>;
export const UpdateCannedResponseBody = StrictPartial(cannedFields);
export type UpdateCannedResponseBody = Static<typeof UpdateCannedResponseBody>;
export const CannedResponse = Type.Object({ id: Uuid, campaignId: Uuid, ...cannedFields });
export type CannedResponse = Static<typeof CannedResponse>;

/* Messages and chats */

export const ChatSender = Type.Union([
  Type.Literal('customer'),
  Type.Literal('agent'),
  Type.Literal('system'),
]);
export type ChatSender = Static<typeof ChatSender>;

export const ChatAttachment = Type.Object({
  id: Uuid,
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
});
export type ChatAttachment = Static<typeof ChatAttachment>;

/**
 * One message of a chat. `seq` counts from 1 in each chat, with no gap: a side that has seen
 * up to n asks for what follows n after a reload or a drop, and drops any seq it already has.
 */
export const ChatMessage = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  from: ChatSender,
  /** The agent's display name on an agent's message; null otherwise. */
  name: Type.Union([Type.String(), Type.Null()]),
  /** Plain text, shown as text (never as HTML); links are made clickable by the viewer. */
  text: Type.String(),
  at: Timestamp,
  /** The sender's own id for the message: sending it again stores nothing twice. */
  clientId: Type.Union([Type.String(), Type.Null()]),
  attachment: Type.Union([ChatAttachment, Type.Null()]),
});
export type ChatMessage = Static<typeof ChatMessage>;

/** Where a chat stands, as both sides may know it. */
export const ChatState = Type.Union([Type.Literal('queued'), Type.Literal('active'), Type.Literal('ended')]);
export type ChatState = Static<typeof ChatState>;

export const SurveyAnswer = Type.Object({ key: Type.String(), label: Type.String(), value: Type.String() });
export type SurveyAnswer = Static<typeof SurveyAnswer>;

/** A chat as the agent who has it sees it (`GET /api/interactions/:id/chat`). */
export const AgentChatView = Type.Object({
  chatId: Uuid,
  interactionId: Uuid,
  contactName: Type.String(),
  survey: Type.Array(SurveyAnswer),
  state: ChatState,
  messages: Type.Array(ChatMessage),
  /** The customer has read the agent's messages up to this seq. */
  customerReadSeq: Type.Integer({ minimum: 0 }),
  /** The campaign's canned responses, by snippet. */
  cannedResponses: Type.Array(CannedResponse),
});
export type AgentChatView = Static<typeof AgentChatView>;

export const SendChatMessageBody = Strict({
  clientId: Type.String({ minLength: 1, maxLength: 64 }),
  text: Type.String({ minLength: 1, maxLength: CHAT_MESSAGE_MAX }),
});
export type SendChatMessageBody = Static<typeof SendChatMessageBody>;
export const ChatTypingBody = Strict({ typing: Type.Boolean() });
export type ChatTypingBody = Static<typeof ChatTypingBody>;
export const ChatReadBody = Strict({ seq: Type.Integer({ minimum: 0 }) });
export type ChatReadBody = Static<typeof ChatReadBody>;

/** A chat waiting in a queue the agent serves: the Chat Panel lists them to take. */
export const WaitingChat = Type.Object({
  interactionId: Uuid,
  chatId: Uuid,
  campaignId: Uuid,
  campaignName: Type.String(),
  contactName: Type.String(),
  waitingSince: Timestamp,
});
export type WaitingChat = Static<typeof WaitingChat>;
/** The first chats waiting (at most 50, in queue order) and how many wait in all. */
export const WaitingChats = Type.Object({ chats: Type.Array(WaitingChat), total: Type.Integer() });
export type WaitingChats = Static<typeof WaitingChats>;

/* Chat History (N4) */

export const ChatHistoryQuery = Type.Object(
  {
    /** Words in the contact's name or survey answers. */
    contact: Type.Optional(Type.String({ maxLength: 100 })),
    /** Words in the messages. */
    text: Type.Optional(Type.String({ maxLength: 200 })),
    /** Started on or after this day (YYYY-MM-DD, the workspace's dates are UTC). */
    from: Type.Optional(Type.String({ format: 'date' })),
    /** Started on or before this day. */
    to: Type.Optional(Type.String({ format: 'date' })),
    /** Query strings carry text: a page of 1-100 (25 by default). */
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|100)$' })),
    /** How many to skip, up to 100,000. */
    offset: Type.Optional(Type.String({ pattern: '^(?:0|[1-9][0-9]{0,4}|100000)$' })),
  },
  { additionalProperties: false },
);
export type ChatHistoryQuery = Static<typeof ChatHistoryQuery>;
/** The same search as the client sends it, with numbers. */
export type ChatHistoryFilter = Omit<ChatHistoryQuery, 'limit' | 'offset'> & {
  limit?: number;
  offset?: number;
};

export const ChatHistoryItem = Type.Object({
  chatId: Uuid,
  contactName: Type.String(),
  campaignName: Type.String(),
  /** The agents who had it, in order. */
  agentNames: Type.Array(Type.String()),
  startedAt: Timestamp,
  endedAt: Type.Union([Timestamp, Type.Null()]),
  /** The last wrap's Outcome; null when not wrapped (abandoned, still open). */
  outcome: Type.Union([Type.String(), Type.Null()]),
  state: ChatState,
  messageCount: Type.Integer(),
});
export type ChatHistoryItem = Static<typeof ChatHistoryItem>;
export const ChatHistoryList = Type.Object({ chats: Type.Array(ChatHistoryItem), total: Type.Integer() });
export type ChatHistoryList = Static<typeof ChatHistoryList>;
export const ChatTranscript = Type.Object({
  ...ChatHistoryItem.properties,
  survey: Type.Array(SurveyAnswer),
  messages: Type.Array(ChatMessage),
});
export type ChatTranscript = Static<typeof ChatTranscript>;

/* The widget's socket */

/** A UUID by pattern: socket frames are checked without Ajv's formats. */
const FrameUuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});

export const ChatHelloFrame = Type.Object(
  {
    type: Type.Literal('hello'),
    channelId: FrameUuid,
    /** After a reload or a drop: the chat's token and the last seq this side has. */
    resume: Type.Optional(
      Type.Object(
        { token: Type.String({ maxLength: 400 }), seq: Type.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export const ChatStartFrame = Type.Object(
  {
    type: Type.Literal('start'),
    /** The survey's answers by field key. */
    survey: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 500 }), {
      maxProperties: 20,
    }),
  },
  { additionalProperties: false },
);
export const ChatMessageFrame = Type.Object(
  {
    type: Type.Literal('message'),
    clientId: Type.String({ minLength: 1, maxLength: 64 }),
    text: Type.String({ minLength: 1, maxLength: CHAT_MESSAGE_MAX }),
  },
  { additionalProperties: false },
);
export const ChatTypingFrame = Type.Object(
  { type: Type.Literal('typing'), typing: Type.Boolean() },
  { additionalProperties: false },
);
/** The customer has read the agent's messages up to seq. */
export const ChatReadFrame = Type.Object(
  { type: Type.Literal('read'), seq: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
export const ChatEndFrame = Type.Object({ type: Type.Literal('end') }, { additionalProperties: false });
export const ChatPingFrame = Type.Object(
  { type: Type.Literal('ping'), t: Type.Number() },
  { additionalProperties: false },
);
export const ChatClientFrame = Type.Union([
  ChatHelloFrame,
  ChatStartFrame,
  ChatMessageFrame,
  ChatTypingFrame,
  ChatReadFrame,
  ChatEndFrame,
  ChatPingFrame,
]);
export type ChatClientFrame = Static<typeof ChatClientFrame>;

/** What the widget shows before a chat starts. */
export interface ChatChannelInfo {
  name: string;
  survey: SurveyField[];
  /** Inside the channel's hours now; outside, the widget shows `offlineMessage` and no survey. */
  open: boolean;
  offlineMessage: string;
}

export type ChatServerFrame =
  | { type: 'channel'; channel: ChatChannelInfo }
  /** The chat this socket is on: after `start`, or a resume. Keep the token to resume. */
  | { type: 'chat'; chatId: string; token: string; state: ChatState; agentName: string | null }
  /** A message of the chat, the customer's own included (the ack of a `message` frame). */
  | { type: 'message'; message: ChatMessage }
  | { type: 'state'; state: ChatState; agentName: string | null }
  | { type: 'typing'; typing: boolean; name: string | null }
  /** The agent has read the customer's messages up to seq. */
  | { type: 'read'; seq: number }
  | { type: 'pong'; t: number }
  /** A refused frame or a failed hello; `code` is one of ERROR_CODES. Fatal ones close the socket. */
  | { type: 'error'; code: string; message: string };

/** Close codes of the widget's socket. */
export const CHAT_CLOSE_REFUSED = 4003;
export const CHAT_CLOSE_ENDED = 4004;
