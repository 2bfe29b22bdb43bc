import {
  type AddressObject,
  type Attachment,
  type HeaderLines,
  type ParsedMail,
  simpleParser,
} from 'mailparser';
import { sniffAttachment } from '../chat/chat-attachments.js';
import { htmlToText, sanitizeEmailHtml } from './sanitize.js';

export interface Address {
  name: string;
  address: string;
}

export interface ParsedAttachment {
  name: string;
  contentType: string;
  size: number;
  content: Buffer;
  contentId: string | null;
  inline: boolean;
  tooLarge: boolean;
}

export interface Bounce {
  originalMessageId: string | null;
  recipients: string[];
  status: string | null;
  diagnostic: string | null;
}

export interface ParsedEmail {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: Address | null;
  replyTo: Address[];
  to: Address[];
  cc: Address[];
  subject: string;
  date: Date | null;
  text: string;
  html: string | null;
  remoteImages: number;
  attachments: ParsedAttachment[];
  bounce: Bounce | null;
  autoReply: boolean;
  problems: string[];
}

export interface ParseLimits {
  maxAttachmentBytes: number;
}

const PARSER_OPTIONS = {
  // cid: links stay links: the default inlines every image into the HTML as base64, a copy we never want.
  keepCidLinks: true,
  // The text is made from the sanitised HTML here, the same way as for previews.
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  // The delivery-status part of a bounce comes as an attachment, read below, not mixed into the text.
  keepDeliveryStatus: true,
  checksumAlgo: false,
} as const;

/** A message that mailparser could not read keeps at most this much raw text as its body. */
const FALLBACK_TEXT_CHARS = 1024 * 1024;

/**
 * A raw email (RFC 5322 / MIME) as the platform stores and shows it. Never throws: what cannot
 * be read is left empty and said in `problems`.
 */
export async function parseEmail(message: Buffer, limits: ParseLimits): Promise<ParsedEmail> {
  const problems: string[] = [];
  const raw = withoutEnvelope(message);
  if (raw.length === 0) problems.push('The message is empty');
  // Text without a header section would be read as (broken) headers and lost: it is all body.
  const headerless = raw.length > 0 && !/^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(raw.toString('latin1', 0, 200));
  if (headerless) problems.push('The message has no headers');
  problems.push(...structureProblems(raw));
  try {
    const input = headerless ? Buffer.concat([Buffer.from('\r\n'), raw]) : raw;
    const mail = await simpleParser(input, PARSER_OPTIONS);
    return fromParsedMail(mail, raw, limits, problems);
  } catch (error) {
    problems.push(`The message could not be fully read: ${reason(error)}`);
    return fallbackParse(raw, limits, problems);
  }
}

function fromParsedMail(mail: ParsedMail, raw: Buffer, limits: ParseLimits, problems: string[]): ParsedEmail {
  const lines = mail.headerLines ?? [];
  const report = isDeliveryReport(lines);
  const attachments = mail.attachments.filter(
    (a) => !(report && a.contentType === 'message/delivery-status'),
  );
  const kept = attachments.map((a, index) => toAttachment(a, index, limits, problems));
  const inlineIds = new Set(kept.flatMap((a) => (a.inline && a.contentId ? [a.contentId] : [])));
  // Only the message's own inline images stay, as cid: links the platform resolves when it shows them.
  const sanitized =
    typeof mail.html === 'string'
      ? sanitizeEmailHtml(clean(mail.html), { cidUrl: (id) => (inlineIds.has(id) ? `cid:${id}` : null) })
      : null;
  const text = clean(mail.text ?? '').trimEnd();
  if (unreadable(text)) problems.push('Part of the text could not be decoded');
  const from = addresses(mail.from)[0] ?? null;
  if (!from) problems.push('The message has no From address');
  const bounce = report ? readBounce(mail.attachments, raw) : null;
  return {
    ...headerFields(lines, problems),
    from,
    replyTo: addresses(mail.replyTo),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: clean(mail.subject ?? '').trim(),
    text: sanitized && !text.trim() ? htmlToText(sanitized.html) : text,
    html: sanitized?.html ?? null,
    remoteImages: sanitized?.remoteImages ?? 0,
    attachments: kept,
    bounce,
    autoReply: bounce !== null || isAutoReply(lines),
    problems,
  };
}

/**
 * What mailparser reads without a word: a multipart never closed (the message was cut short) and
 * a text part in a charset no decoder knows (read as UTF-8). Found in the raw Content-Type fields.
 */
function structureProblems(raw: Buffer): string[] {
  const problems: string[] = [];
  const text = raw.toString('latin1');
  const unclosed = new Set<string>();
  const unknown = new Set<string>();
  for (const field of text.matchAll(/^content-type:[ \t]*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/gim)) {
    const value = (field[1] ?? '').replace(/\r?\n[ \t]+/g, ' ');
    const type = value.split(/[;\s]/)[0]?.toLowerCase() ?? '';
    if (type.startsWith('multipart/')) {
      const boundary = parameter(value, 'boundary');
      if (boundary && raw.indexOf(`--${boundary}--`, 0, 'latin1') < 0) unclosed.add(boundary);
    } else if (type === 'text/plain' || type === 'text/html') {
      const charset = parameter(value, 'charset');
      if (charset && !knownCharset(charset)) unknown.add(clean(charset).slice(0, 60));
    }
  }
  if (unclosed.size)
    problems.push('The message ends before its last part was closed: it may have been cut short');
  for (const charset of unknown)
    problems.push(
      `The text's charset "${charset}" is unknown: it was read as UTF-8, so some characters may be wrong`,
    );
  return problems;
}

/** A MIME parameter's value (`name="value"` or `name=value`), or null. */
function parameter(value: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  const found = (match?.[1] ?? match?.[2] ?? '').trim();
  return found || null;
}

/**
 * A charset the decoders know: a WHATWG label (what TextDecoder takes), or one of iconv-lite's
 * families (code pages, ISO 8859, Mac, UTF-16/32). UTF-7 is refused and read as UTF-8.
 */
function knownCharset(charset: string): boolean {
  const name = charset.toLowerCase();
  if (/^(?:unicode-1-1-)?utf-?7$/.test(name)) return false;
  if (
    /^(?:cp|ibm|windows-?|win-?|iso-?8859|iso_8859|latin|mac|koi8|utf-?(?:8|16|32)|ucs-?[24]|ascii|us-ascii|gb|big5|euc|shift|sjis|ks_c|tis|viscii|armscii|georgian|pt154|tcvn|iso-?646|iso-?2022|cesu|binary)/.test(
      name,
    )
  )
    return true;
  try {
    new TextDecoder(name);
    return true;
  } catch {
    return false;
  }
}

/** A byte-order mark or an mbox "From " line before the headers would hide them. */
function withoutEnvelope(raw: Buffer): Buffer {
  let start = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  if (raw.toString('latin1', start, start + 5) === 'From ') {
    const newline = raw.indexOf('\n', start);
    start = newline < 0 ? raw.length : newline + 1;
  }
  return raw.subarray(start);
}

/**
 * When mailparser gives up: the headers again without the lines that are too long to be real,
 * and the rest as plain text.
 */
async function fallbackParse(raw: Buffer, limits: ParseLimits, problems: string[]): Promise<ParsedEmail> {
  const split = headerEnd(raw);
  const body = raw.subarray(split).toString('utf8', 0, FALLBACK_TEXT_CHARS * 4);
  const text = clean(body.slice(0, FALLBACK_TEXT_CHARS)).replace(/\r\n?/g, '\n').trimEnd();
  if (body.length > FALLBACK_TEXT_CHARS) problems.push('Only the beginning of the text was kept');
  if (unreadable(text)) problems.push('Part of the text could not be decoded');
  // latin1 both ways keeps the header bytes as they were, for mailparser to decode.
  const lines = readHeaderLines(raw.subarray(0, split), 'latin1')
    .filter((l) => l.line.length <= 64 * 1024)
    .slice(0, 1000);
  try {
    const head = Buffer.from(`${lines.map((l) => l.line).join('\r\n')}\r\n\r\n`, 'latin1');
    return { ...fromParsedMail(await simpleParser(head, PARSER_OPTIONS), head, limits, problems), text };
  } catch {
    problems.push('The message has no From address');
    return {
      ...headerFields(lines, problems),
      from: null,
      replyTo: [],
      to: [],
      cc: [],
      subject: clean(Buffer.from(headerValue(lines, 'subject') ?? '', 'latin1').toString('utf8')).trim(),
      text,
      html: null,
      remoteImages: 0,
      attachments: [],
      bounce: null,
      autoReply: isAutoReply(lines),
      problems,
    };
  }
}

type HeaderFields = Pick<ParsedEmail, 'messageId' | 'inReplyTo' | 'references' | 'date'>;

/** Identifiers and date from the raw header lines: mailparser invents a date and keeps brackets. */
function headerFields(lines: HeaderLines, problems: string[]): HeaderFields {
  const rawDate = headerValue(lines, 'date');
  const date = rawDate === null ? null : new Date(rawDate.replace(/\([^)]*\)/g, '').trim());
  const valid = date !== null && !Number.isNaN(date.getTime());
  if (rawDate !== null && !valid)
    problems.push(`The Date header could not be read: ${rawDate.slice(0, 100)}`);
  return {
    messageId: messageIds(headerValue(lines, 'message-id'))[0] ?? null,
    inReplyTo: messageIds(headerValue(lines, 'in-reply-to'))[0] ?? null,
    references: [...new Set(messageIds(headerValue(lines, 'references')))],
    date: valid ? date : null,
  };
}

/** `<a@b> <c@d>` → ['a@b', 'c@d']; a lone id without brackets is taken as it is. */
function messageIds(value: string | null): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>]*)>/g)].map((m) => (m[1] ?? '').trim());
  const ids = bracketed.length > 0 ? bracketed : value.includes('<') ? [] : value.trim().split(/\s+/);
  return ids.filter((id) => id.length > 0 && id.length <= 998 && !/[\s\p{Cc}]/u.test(id));
}

function headerValue(lines: HeaderLines, key: string): string | null {
  const line = lines.find((l) => l.key === key)?.line;
  if (line === undefined) return null;
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

function isAutoReply(lines: HeaderLines): boolean {
  const auto = headerValue(lines, 'auto-submitted')?.toLowerCase();
  const precedence = headerValue(lines, 'precedence')?.toLowerCase();
  return (
    (auto !== undefined && auto.split(/[;\s(]/)[0] !== 'no') ||
    (precedence !== undefined && ['bulk', 'junk', 'list'].includes(precedence)) ||
    lines.some((l) => l.key === 'x-autoreply' || l.key === 'x-autorespond')
  );
}

function addresses(field: AddressObject | AddressObject[] | undefined): Address[] {
  const found: Address[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      const address = clean(entry.address ?? '').trim();
      if (address) found.push({ name: clean(entry.name ?? '').trim(), address });
    }
  };
  for (const object of [field ?? []].flat()) visit(object.value);
  return found;
}

function toAttachment(
  a: Attachment,
  index: number,
  limits: ParseLimits,
  problems: string[],
): ParsedAttachment {
  const size = a.size ?? a.content.length;
  const tooLarge = size > limits.maxAttachmentBytes;
  // Declared types are the sender's word; images and PDF are named from their bytes, and a file
  // that claims to be one without the bytes (an SVG, HTML dressed as a PNG) is only a file.
  const sniffed = sniffAttachment(a.content);
  const declared = a.contentType.toLowerCase();
  const claimsPicture = declared.startsWith('image/') || declared === 'application/pdf';
  const contentType = sniffed ?? (claimsPicture ? 'application/octet-stream' : declared);
  const name = fileName(a.filename, contentType, index);
  const contentId = a.cid ? clean(a.cid) : null;
  if (tooLarge)
    problems.push(
      `An attachment of ${humanSize(size)} was not kept (over the ${humanSize(limits.maxAttachmentBytes)} limit): ${name}`,
    );
  return {
    name,
    contentType,
    size,
    content: tooLarge ? Buffer.alloc(0) : a.content,
    contentId,
    // Shown in the body only when it really is a picture: anything else is offered as a download.
    inline: !tooLarge && contentId !== null && sniffed?.startsWith('image/') === true,
    tooLarge,
  };
}

function fileName(raw: string | undefined, contentType: string, index: number): string {
  const base = clean(raw ?? '')
    .replace(/\\/g, '/')
    .split('/')
    .pop()
    ?.replace(/\p{Cc}|"/gu, '')
    .trim()
    .slice(0, 200);
  if (base && base !== '.' && base !== '..') return base;
  if (contentType === 'message/rfc822') return 'message.eml';
  const ext = /^(?:image\/|application\/pdf$)/.test(contentType) ? `.${contentType.split('/')[1]}` : '';
  return `attachment-${index + 1}${ext}`;
}

function isDeliveryReport(lines: HeaderLines): boolean {
  const type = headerValue(lines, 'content-type') ?? '';
  return /^multipart\/report\b/i.test(type) && /report-type\s*=\s*"?delivery-status\b/i.test(type);
}

/** RFC 3464: per-recipient fields of the delivery-status part, the Message-ID from the returned mail. */
function readBounce(attachments: Attachment[], raw: Buffer): Bounce {
  const status = attachments.find((a) => a.contentType === 'message/delivery-status');
  const groups = status ? fieldGroups(status.content.toString('utf8')) : [];
  const perRecipient = groups.slice(1).filter((g) => g.has('final-recipient') || g.has('original-recipient'));
  const failed = perRecipient.filter((g) => (g.get('action') ?? 'failed').toLowerCase() === 'failed');
  const first = failed[0] ?? perRecipient[0];
  const returned = attachments.find((a) =>
    /^(?:message\/rfc822|text\/rfc822-headers|message\/global)/.test(a.contentType),
  );
  const returnedHeaders = returned
    ? readHeaderLines(returned.content.subarray(0, headerEnd(returned.content)))
    : [];
  const originalMessageId =
    messageIds(headerValue(returnedHeaders, 'message-id'))[0] ?? embeddedMessageId(raw) ?? null;
  return {
    originalMessageId,
    recipients: failed.map((g) => addressOf(g.get('final-recipient') ?? g.get('original-recipient') ?? '')),
    status: first?.get('status')?.split(/\s/)[0] ?? null,
    diagnostic: first?.get('diagnostic-code')?.replace(/^[\w-]+;\s*/, '') ?? null,
  };
}

/** A returned message shown inline is unpacked by mailparser and its headers lost: read them raw. */
function embeddedMessageId(raw: Buffer): string | undefined {
  const text = raw.toString('latin1', 0, Math.min(raw.length, 1024 * 1024));
  const at = text.search(/content-type:\s*(?:message\/rfc822|text\/rfc822-headers)/i);
  if (at < 0) return undefined;
  const match = /^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(text.slice(at));
  return messageIds(match?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? null)[0];
}

function fieldGroups(text: string): Map<string, string>[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim().toLowerCase();
        if (colon > 0 && !fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

/** `rfc822; <jane@example.com>` → `jane@example.com` */
function addressOf(field: string): string {
  return field
    .replace(/^[\w-]+;\s*/, '')
    .replace(/^<|>$/g, '')
    .trim();
}

/** Where the header section ends (after its blank line), or the whole input when there is none. */
function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  return lf >= 0 ? lf + 2 : raw.length;
}

function readHeaderLines(head: Buffer, encoding: 'utf8' | 'latin1' = 'utf8'): HeaderLines {
  const lines: { key: string; line: string }[] = [];
  for (const line of head.toString(encoding).split(/\r?\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon > 0) lines.push({ key: line.slice(0, colon).trim().toLowerCase(), line });
  }
  return lines;
}

/** Postgres refuses NUL in text, and no mail needs the other control characters either. */
function clean(text: string): string {
  return text.replace(/(?![\t\n\r])\p{Cc}/gu, '');
}

/** Mostly U+FFFD: binary or a charset nobody could decode. */
function unreadable(text: string): boolean {
  const sample = text.slice(0, 10_000);
  return sample.length > 0 && (sample.match(/\uFFFD/g)?.length ?? 0) > sample.length / 10;
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / 1024 / 1024;
  return `${mb < 10 ? Math.round(mb * 10) / 10 : Math.round(mb)} MB`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
