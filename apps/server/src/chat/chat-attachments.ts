import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { CHAT_ATTACHMENT_MAX_BYTES, type CHAT_ATTACHMENT_TYPES, type ChatAttachment } from '@parley/contract';
import type { FastifyReply } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../http/app-error.js';
import { sendDownload, writeWhole } from '../http/file-download.js';

type AttachmentType = (typeof CHAT_ATTACHMENT_TYPES)[number];

/** What the bytes are, by their first bytes (never by what the sender says): else undefined. */
export function sniffAttachment(bytes: Uint8Array): AttachmentType | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const ascii = (at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(0, '%PDF-')) return 'application/pdf';
  return undefined;
}

/** A file name safe to show and to put in a Content-Disposition header. */
export function cleanFileName(raw: string | undefined, type: AttachmentType): string {
  let name = '';
  try {
    name = decodeURIComponent(raw ?? '');
  } catch {
    name = '';
  }
  name = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/\p{Cc}|"/gu, '')
    .trim()
    .slice(0, 120);
  return name || `attachment.${type.split('/')[1]}`;
}

/**
 * Files customers send in a chat: images and PDF up to CHAT_ATTACHMENT_MAX_BYTES, their type
 * read from their bytes, kept under DATA_DIR/chat-attachments/<chat> (outside anything served as
 * static files) and only ever served as downloads.
 */
export class ChatAttachments {
  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  async store(
    chatId: string,
    rawName: string | undefined,
    bytes: Buffer | undefined,
  ): Promise<ChatAttachment> {
    if (!bytes || bytes.length === 0) throw new AppError('ATTACHMENT_TYPE_REFUSED', 'The file is empty');
    if (bytes.length > CHAT_ATTACHMENT_MAX_BYTES)
      throw new AppError(
        'ATTACHMENT_TOO_LARGE',
        `Files are at most ${CHAT_ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`,
      );
    const type = sniffAttachment(bytes);
    if (!type)
      throw new AppError('ATTACHMENT_TYPE_REFUSED', 'Only images (PNG, JPEG, GIF, WebP) and PDF files');
    const name = cleanFileName(rawName, type);
    const id = randomUUID();
    await writeWhole(this.file(chatId, id), bytes);
    await this.db
      .insertInto('chat_attachments')
      .values({
        id,
        chat_id: chatId,
        name,
        content_type: type,
        size: bytes.length,
        created_at: this.clock.now(),
      })
      .execute();
    return { id, name, contentType: type, size: bytes.length };
  }

  /** Sends one of the chat's files as a download. */
  async send(reply: FastifyReply, chatId: string, attachmentId: string): Promise<FastifyReply> {
    const row = await this.db
      .selectFrom('chat_attachments')
      .select(['id', 'name', 'content_type', 'size'])
      .where('id', '=', attachmentId)
      .where('chat_id', '=', chatId)
      .executeTakeFirst();
    if (!row) throw notFound('Attachment');
    return sendDownload(reply, {
      path: this.file(chatId, row.id),
      name: row.name,
      contentType: row.content_type,
      size: row.size,
    });
  }

  private file(chatId: string, id: string): string {
    return path.join(this.dir, chatId, id);
  }
}
