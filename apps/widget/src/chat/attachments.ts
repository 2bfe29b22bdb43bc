import {
  CHAT_ATTACHMENT_MAX_BYTES,
  CHAT_ATTACHMENT_TYPES,
  CHAT_ATTACHMENTS_PATH,
  CHAT_FILE_NAME_HEADER,
  CHAT_TOKEN_HEADER,
  type ChatMessage,
  parseMessage,
} from './protocol';

/** Why a file cannot be sent, or null when it may be (the platform checks its content again). */
export function attachmentProblem(file: { type: string; size: number }): string | null {
  if (!CHAT_ATTACHMENT_TYPES.includes(file.type))
    return 'Only images (PNG, JPEG, GIF, WebP) and PDF files can be sent.';
  if (file.size > CHAT_ATTACHMENT_MAX_BYTES) {
    return `The file is too large (at most ${CHAT_ATTACHMENT_MAX_BYTES / (1024 * 1024)} MB).`;
  }
  if (file.size === 0) return 'The file is empty.';
  return null;
}

/** Where the customer downloads an attachment of their chat. */
export function attachmentUrl(origin: string, attachmentId: string, token: string): string {
  return `${origin}${CHAT_ATTACHMENTS_PATH}/${encodeURIComponent(attachmentId)}?token=${encodeURIComponent(token)}`;
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Sends a file to the chat; the answer is the message that carries it. */
export async function uploadAttachment(
  origin: string,
  token: string,
  file: Blob & { name: string },
  fetchFn: Fetch = (url, init) => fetch(url, init),
): Promise<ChatMessage> {
  const response = await fetchFn(`${origin}${CHAT_ATTACHMENTS_PATH}`, {
    method: 'POST',
    body: file,
    headers: {
      'Content-Type': file.type,
      [CHAT_TOKEN_HEADER]: token,
      [CHAT_FILE_NAME_HEADER]: encodeURIComponent(file.name),
    },
    credentials: 'omit',
    mode: 'cors',
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { message?: unknown } } | null)?.error;
    throw new Error(typeof error?.message === 'string' ? error.message : 'The file could not be sent.');
  }
  const message = parseMessage(body);
  if (!message) throw new Error('The file could not be sent.');
  return message;
}
