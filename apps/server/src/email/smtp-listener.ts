import type { AddressInfo } from 'node:net';
import { EMAIL_MAX_BYTES } from '@parley/contract';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { InboundStore, MailboxDirectory, MailboxTransport } from './email-ports.js';

export interface SmtpListenerDeps {
  directory: MailboxDirectory;
  store: InboundStore;
  log: FastifyBaseLogger;
  /** The largest message taken, announced with SIZE (EMAIL_MAX_BYTES by default). */
  maxBytes?: number;
  /** A key and certificate to offer STARTTLS with; without them the listener speaks plain SMTP only. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** At most this many SMTP sessions at once; more are turned away with 421. */
const MAX_CLIENTS = 100;
/** A session silent this long is closed. */
const SOCKET_TIMEOUT_MS = 60_000;
/** How long close() lets sessions finish before it drops them. */
const CLOSE_TIMEOUT_MS = 5_000;

/** An SMTP reply: smtp-server answers an error with its responseCode and message. */
function reply(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The SMTP listener, for sites that forward mail to the platform rather than let it read a
 * mailbox: it takes mail for the addresses of mailboxes whose inbound is SMTP, and answers 250
 * only once every recipient mailbox has stored the message (a failure is a 451, so the sender
 * keeps it and retries: nothing is lost). No authentication: it is a mail exchanger, not a relay.
 */
export class SmtpListener {
  private readonly server: SMTPServer;
  private readonly maxBytes: number;

  constructor(private readonly deps: SmtpListenerDeps) {
    this.maxBytes = deps.maxBytes ?? EMAIL_MAX_BYTES;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: deps.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(deps.tls && { key: deps.tls.key, cert: deps.tls.cert }),
      size: this.maxBytes,
      maxClients: MAX_CLIENTS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      closeTimeout: CLOSE_TIMEOUT_MS,
      disableReverseLookup: true,
      logger: false,
      banner: 'Parley mail',
      onRcptTo: (address, _session, callback) => {
        this.recipient(address.address).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      },
      onData: (stream, session, callback) => {
        this.data(stream, session).then(
          (message) => callback(null, message),
          (err: Error) => callback(err),
        );
      },
    });
    this.server.on('error', (err) => this.deps.log.warn({ err }, 'email: SMTP listener error'));
  }

  /** Starts listening; resolves with the port bound (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.server.off('error', onError);
        resolve((this.server.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }

  private async mailboxFor(address: string): Promise<MailboxTransport | undefined> {
    try {
      return await this.deps.directory.smtpMailboxFor(address);
    } catch (err) {
      this.deps.log.error({ err }, 'email: SMTP listener cannot look up a recipient');
      throw reply(451, '4.3.0 Temporary failure, try again later');
    }
  }

  private async recipient(address: string): Promise<void> {
    if (!(await this.mailboxFor(address))) throw reply(550, `5.1.1 <${address}>: no such mailbox here`);
  }

  private async data(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // Past the limit the rest is read and dropped: the reply comes after the whole DATA.
      if (size + chunk.length <= this.maxBytes) chunks.push(chunk);
      size += chunk.length;
    }
    if (stream.sizeExceeded || size > this.maxBytes)
      throw reply(552, `5.3.4 Message too large: at most ${this.maxBytes} bytes`);
    const raw = Buffer.concat(chunks, size);
    // Looked up again from the envelope (RCPT accepted them moments ago): one store per mailbox.
    const mailboxes = new Set<string>();
    for (const rcpt of session.envelope.rcptTo) {
      const mailbox = await this.mailboxFor(rcpt.address);
      if (mailbox) mailboxes.add(mailbox.id);
    }
    if (mailboxes.size === 0) throw reply(550, '5.1.1 None of the recipients has a mailbox here any more');
    try {
      for (const mailboxId of mailboxes) await this.deps.store.store(mailboxId, raw, null);
    } catch (err) {
      this.deps.log.error({ err }, 'email: SMTP listener cannot store a message');
      throw reply(451, '4.3.0 Temporary failure storing the message, try again later');
    }
    return 'OK: message stored';
  }
}
