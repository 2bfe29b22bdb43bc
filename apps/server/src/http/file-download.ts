import { createReadStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';

/**
 * Sends a stored file as a download, never as a page: `Content-Disposition: attachment`, no type
 * sniffing, and a sandbox CSP in case a browser renders it anyway.
 */
export function sendDownload(
  reply: FastifyReply,
  file: { path: string; name: string; contentType: string; size: number },
): FastifyReply {
  return reply
    .header('Content-Type', file.contentType)
    .header('Content-Length', file.size)
    .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', 'private, no-store')
    .send(createReadStream(file.path));
}

/** Writes a file whole under another name first: a crash never leaves half a file under the real one. */
export async function writeWhole(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.part`;
  await writeFile(partial, bytes, { mode: 0o600 });
  await rename(partial, file);
}
