import type {
  ChatAttachment,
  ChatChannelInfo,
  ChatClientFrame,
  ChatMessage,
  ChatServerFrame,
  ChatState,
  SurveyField,
} from '@parley/contract';

export type { ChatAttachment, ChatChannelInfo, ChatClientFrame, ChatMessage, ChatServerFrame, ChatState };

/*
 * The contract's values, written out here: importing them from @parley/contract would bundle
 * TypeBox (about 70 KB) into a script that third-party pages load. protocol.test.ts checks that
 * they still equal the contract's.
 */
export const CHAT_SCRIPT_PATH = '/chat.js';
export const CHAT_SOCKET_PATH = '/api/public/chat';
export const CHAT_ATTACHMENTS_PATH = '/api/public/chat/attachments';
export const CHAT_TOKEN_HEADER = 'X-Chat-Token';
export const CHAT_FILE_NAME_HEADER = 'X-File-Name';
export const CHAT_ATTACHMENT_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
];
export const CHAT_MESSAGE_MAX = 2000;
export const CHAT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export const CHAT_CLOSE_REFUSED = 4003;
export const CHAT_CLOSE_ENDED = 4004;

const STATES: readonly ChatState[] = ['queued', 'active', 'ended'];
const SENDERS: readonly ChatMessage['from'][] = ['customer', 'agent', 'system'];
const FIELD_TYPES: readonly SurveyField['type'][] = ['text', 'email', 'phone', 'choice'];

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function state(value: unknown): ChatState | undefined {
  return STATES.find((s) => s === value);
}

function parseField(value: unknown): SurveyField | undefined {
  if (!isRecord(value) || typeof value.key !== 'string' || typeof value.label !== 'string') return undefined;
  const type = FIELD_TYPES.find((t) => t === value.type);
  if (!type) return undefined;
  const options = Array.isArray(value.options)
    ? value.options.filter((o): o is string => typeof o === 'string')
    : undefined;
  return { key: value.key, label: value.label, type, required: value.required === true, options };
}

function parseChannel(value: unknown): ChatChannelInfo | undefined {
  if (!isRecord(value) || typeof value.name !== 'string') return undefined;
  const survey = Array.isArray(value.survey) ? value.survey.map(parseField) : [];
  return {
    name: value.name,
    survey: survey.filter((f): f is SurveyField => f !== undefined),
    open: value.open === true,
    offlineMessage: str(value.offlineMessage) ?? '',
  };
}

function parseAttachment(value: unknown): ChatAttachment | null {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.name !== 'string') return null;
  return {
    id: value.id,
    name: value.name,
    contentType: str(value.contentType) ?? 'application/octet-stream',
    size: typeof value.size === 'number' ? value.size : 0,
  };
}

/** A message as the server sends it (a frame's, or the answer to an upload), or undefined. */
export function parseMessage(value: unknown): ChatMessage | undefined {
  if (!isRecord(value)) return undefined;
  const from = SENDERS.find((s) => s === value.from);
  const seq = value.seq;
  if (!from || typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) return undefined;
  return {
    seq,
    from,
    name: str(value.name),
    text: str(value.text) ?? '',
    at: str(value.at) ?? new Date(0).toISOString(),
    clientId: str(value.clientId),
    attachment: parseAttachment(value.attachment),
  };
}

/** A frame from the platform, or undefined for anything this widget does not understand. */
export function parseServerFrame(data: unknown): ChatServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isRecord(frame)) return undefined;
  switch (frame.type) {
    case 'channel': {
      const channel = parseChannel(frame.channel);
      return channel && { type: 'channel', channel };
    }
    case 'chat': {
      const chatState = state(frame.state);
      if (typeof frame.chatId !== 'string' || typeof frame.token !== 'string' || !chatState) return undefined;
      return {
        type: 'chat',
        chatId: frame.chatId,
        token: frame.token,
        state: chatState,
        agentName: str(frame.agentName),
      };
    }
    case 'message': {
      const message = parseMessage(frame.message);
      return message && { type: 'message', message };
    }
    case 'state': {
      const chatState = state(frame.state);
      return chatState && { type: 'state', state: chatState, agentName: str(frame.agentName) };
    }
    case 'typing':
      return { type: 'typing', typing: frame.typing === true, name: str(frame.name) };
    case 'read':
      return typeof frame.seq === 'number' ? { type: 'read', seq: frame.seq } : undefined;
    case 'pong':
      return { type: 'pong', t: typeof frame.t === 'number' ? frame.t : 0 };
    case 'error':
      return {
        type: 'error',
        code: str(frame.code) ?? 'UNKNOWN',
        message: str(frame.message) ?? 'Something went wrong.',
      };
  }
  return undefined;
}
