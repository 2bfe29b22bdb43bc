import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';

/**
 * Debian's Dovecot (IMAP, LMTP, SASL) and Postfix (SMTP) as real mail servers for the tests, one
 * private pair per call to startMailServers: own temp directory, own free loopback ports, own
 * config, queue and mailboxes. Nothing of /etc/postfix or /etc/dovecot is used or started, and
 * nothing binds port 25 or 143.
 *
 * Mail flow: a client (the harness's deliver(), or the platform) speaks SMTP to Postfix's smtpd on
 * `smtp.port` (no auth, loopback only) or on `submission.port` (AUTH PLAIN/LOGIN checked by
 * Dovecot, no TLS). Postfix accepts only the harness's hosted addresses (a 550 5.1.1 at RCPT for an
 * unknown user of a hosted domain, a 554 5.7.1 "Relay access denied" for any other domain; its
 * default transport is `error:` so nothing can leave the machine) and hands mail to Dovecot over
 * LMTP on a unix socket. Dovecot stores it in maildirs under the temp directory, owned by the
 * `mail` user, and serves them over plain IMAP (IDLE, MOVE, special-use Sent/Drafts/Trash/Junk).
 *
 * The servers run as process groups of their own (so a test runner killing the test's group cannot
 * leave them orphaned without cleanup): a small guard shell, holding a pipe from this process,
 * kills them and removes the temp directory when this process goes away without stop(). A start
 * also sweeps what an owner killed in a way the guard did not see left behind.
 */

/** The contact centre's domain (agents' and queues' mailboxes). */
export const CENTRE_DOMAIN = 'parley.test';
/** The customers' domain, hosted by the same servers so that replies to customers are readable. */
export const CUSTOMER_DOMAIN = 'example.test';

const HOST = '127.0.0.1';
const DIR_PREFIX = 'parley-mail-';
const DOVECOT = '/usr/sbin/dovecot';
const POSTFIX_MASTER = '/usr/lib/postfix/sbin/master';

export interface MailUser {
  /** The local part ("support"). */
  name: string;
  domain: string;
  /** `<name>@<domain>`, lower case. */
  address: string;
  /** The IMAP and SASL login: the address. */
  user: string;
  password: string;
}

export interface MailMessage {
  uid: number;
  folder: string;
  /** The message as stored (with Postfix's and Dovecot's Received headers on top). */
  source: Buffer;
  /** Header fields unfolded, by lower-case name, every occurrence in order. */
  headers: Map<string, string[]>;
  /** Decoded (RFC 2047) subject, '' when there is none. */
  subject: string;
  /** Message-ID with its angle brackets, as in the header. */
  messageId: string | undefined;
  inReplyTo: string | undefined;
  /** The ids of References, each with its angle brackets. */
  references: string[];
  /** From's address (lower case). */
  from: string | undefined;
  /** To's and Cc's addresses (lower case). */
  to: string[];
  flags: Set<string>;
}

export interface MailServers {
  /** The temp directory (configs, logs, queue, maildirs); removed by stop(). */
  dir: string;
  /** The hosted domains: CENTRE_DOMAIN, CUSTOMER_DOMAIN and any other a user was given. */
  domains: string[];
  users: MailUser[];
  /** Dovecot's IMAP, plain text on loopback (LOGIN/AUTHENTICATE PLAIN with a user's password). */
  imap: { host: '127.0.0.1'; port: number; secure: false };
  /** Postfix's smtpd for inbound mail: no auth, hosted recipients only. */
  smtp: { host: '127.0.0.1'; port: number; secure: false };
  /** Postfix's smtpd for the platform's outbound: AUTH PLAIN/LOGIN required (a user's login), no TLS. */
  submission: { host: '127.0.0.1'; port: number; secure: false };
  /** A hosted user by address, or by local part when only one user has it. */
  user(name: string): MailUser;
  /** A logged-in imapflow client for a user (the caller logs it out). */
  connect(user: string): Promise<ImapFlow>;
  /**
   * Sends a raw RFC 5322 message through Postfix's smtpd (port `smtp`) and resolves once Dovecot
   * has stored it in every recipient's INBOX. A recipient refused at RCPT rejects with nodemailer's
   * error (`responseCode` 550 for an unknown user, 554 for a domain not hosted), even if others were
   * accepted. Resolves with Postfix's queue id.
   */
  deliver(
    raw: string | Buffer,
    envelope: { from: string; to: string[] },
    options?: { timeoutMs?: number },
  ): Promise<string>;
  /** Every message of a user's folder (INBOX by default), in UID order. */
  messages(user: string, folder?: string): Promise<MailMessage[]>;
  /**
   * The first message of a user's folder that satisfies `predicate`, already there or the first to
   * arrive (IMAP IDLE with a poll every 250 ms); rejects after `timeoutMs`. A folder that does not
   * exist yet is waited for too.
   */
  waitForMessage(
    user: string,
    predicate: (m: MailMessage) => boolean,
    timeoutMs?: number,
    folder?: string,
  ): Promise<MailMessage>;
  /** The ends of Dovecot's and Postfix's logs, for failure messages. */
  logs(): string;
  /** Stops both servers and removes the temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

interface Ids {
  mailUid: number;
  mailGid: number;
  postfixUid: number;
  postfixGid: number;
  postdropGid: number;
}

function lookupId(file: string, name: string): number | undefined {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[2] !== undefined) return Number(f[2]);
  }
  return undefined;
}

function systemIds(): Ids {
  const need = (file: string, name: string): number => {
    const id = lookupId(file, name);
    if (id === undefined) throw new Error(`mail servers: no ${name} in ${file} (is postfix installed?)`);
    return id;
  };
  return {
    mailUid: need('/etc/passwd', 'mail'),
    mailGid: need('/etc/group', 'mail'),
    postfixUid: need('/etc/passwd', 'postfix'),
    postfixGid: need('/etc/group', 'postfix'),
    postdropGid: need('/etc/group', 'postdrop'),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether another process listens on a loopback port (one of ours stopped: it is not). */
async function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    s.listen(port, HOST, () => s.close(() => resolve(false)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Gone already.
  }
}

/** A process group still led by one of a dir's servers (its command line names the dir). */
function groupOfDir(pgid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pgid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}

/**
 * What an earlier owner left behind when it died in a way its guard did not see (the guard killed
 * too): servers whose owner process is gone are killed and their directories removed.
 */
function sweepStale(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(tmpdir(), name);
    try {
      const ownerFile = path.join(dir, 'owner.json');
      if (!existsSync(ownerFile)) {
        // Being created right now by another process, or left empty long ago.
        if (Date.now() - statSync(dir).mtimeMs > 10 * 60_000) rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid: number };
      if (alive(owner.pid)) continue;
      const groups = existsSync(path.join(dir, 'pgids'))
        ? readFileSync(path.join(dir, 'pgids'), 'utf8').split(/\s+/).filter(Boolean).map(Number)
        : [];
      for (const g of groups) if (groupOfDir(g, dir)) killGroup(g, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process sweeping the same directory.
    }
  }
}

/** Whether a TCP port's greeting (its first line) contains `token`, read within ~1 s. */
async function bannerHas(port: number, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const s = net.connect(port, HOST);
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), 1000);
    s.on('connect', () => {
      // A connect to a port nobody listens on can be a TCP self-connect.
      if (s.localPort === port) finish(false);
    });
    s.on('data', (d) => {
      text += d.toString('latin1');
      // Another greeting (Dovecot's "Waiting for authentication process") is a try again later.
      if (text.includes(token)) finish(true);
      else if (text.includes('\n')) finish(false);
    });
    s.on('error', () => finish(false));
    s.on('close', () => finish(false));
  });
}

function tail(file: string, chars = 3000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-chars);
  } catch {
    return '(none)';
  }
}

function parseUsers(list: string[]): MailUser[] {
  const seen = new Set<string>();
  const users: MailUser[] = [];
  for (const entry of list) {
    const address = (entry.includes('@') ? entry : `${entry}@${CENTRE_DOMAIN}`).toLowerCase();
    if (!/^[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(address))
      throw new Error(`mail servers: not a usable address: ${entry}`);
    if (seen.has(address)) continue;
    seen.add(address);
    const [name = '', domain = ''] = address.split('@');
    users.push({ name, domain, address, user: address, password: `pw-${randomBytes(8).toString('hex')}` });
  }
  return users;
}

function headerMap(source: Buffer): Map<string, string[]> {
  const text = source.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const map = new Map<string, string[]>();
  let current: string | undefined;
  const fields: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && current !== undefined) current += ` ${line.trim()}`;
    else {
      if (current !== undefined) fields.push(current);
      current = line;
    }
  }
  if (current !== undefined) fields.push(current);
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    map.set(name, [...(map.get(name) ?? []), value]);
  }
  return map;
}

function toMessage(
  folder: string,
  m: {
    uid: number;
    source?: Buffer | undefined;
    flags?: Set<string> | undefined;
    envelope?:
      | {
          subject?: string | undefined;
          messageId?: string | undefined;
          inReplyTo?: string | undefined;
          from?: Array<{ address?: string | undefined }> | undefined;
          to?: Array<{ address?: string | undefined }> | undefined;
          cc?: Array<{ address?: string | undefined }> | undefined;
        }
      | undefined;
  },
): MailMessage {
  const source = m.source ?? Buffer.alloc(0);
  const headers = headerMap(source);
  const env = m.envelope ?? {};
  const addresses = (list: Array<{ address?: string | undefined }> | undefined) =>
    (list ?? []).map((a) => a.address?.toLowerCase()).filter((a): a is string => !!a);
  return {
    uid: m.uid,
    folder,
    source,
    headers,
    subject: env.subject ?? '',
    messageId: env.messageId || undefined,
    inReplyTo: env.inReplyTo || undefined,
    references: (headers.get('references') ?? []).join(' ').match(/<[^<>\s]+>/g) ?? [],
    from: addresses(env.from)[0],
    to: [...addresses(env.to), ...addresses(env.cc)],
    flags: m.flags ?? new Set(),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function dovecotConf(dir: string, id: string, imapPort: number, ids: Ids): string {
  return `# Parley test instance ${id}: nothing of /etc/dovecot is read.
base_dir = ${dir}/dovecot/run
state_dir = ${dir}/dovecot/state
instance_name = parley-mail-${id}
hostname = mail.${CENTRE_DOMAIN}
protocols = imap lmtp
listen = ${HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Lu
auth_failure_delay = 0
log_path = ${dir}/dovecot.log
first_valid_uid = ${ids.mailUid}
first_valid_gid = ${ids.mailGid}
mail_location = maildir:~/Maildir:LAYOUT=fs
mail_fsync = never
mailbox_idle_check_interval = 1 secs
login_greeting = Parley mail ${id} ready.
postmaster_address = postmaster@${CENTRE_DOMAIN}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu ${dir}/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu ${dir}/dovecot/users
}
protocol imap {
  mail_max_userip_connections = 200
}
service imap-login {
  inet_listener imap {
    address = ${HOST}
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
# No growing delay for a client whose logins failed (a test of a wrong password slowing the next).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
`;
}

function postfixMainCf(dir: string, id: string, domains: string[]): string {
  const noRelay = 'error:5.7.1 the Parley test mail server relays nothing';
  return `# Parley test instance ${id}: nothing of /etc/postfix is read.
compatibility_level = 3.6
queue_directory = ${dir}/postfix/queue
data_directory = ${dir}/postfix/data
myhostname = mail.${CENTRE_DOMAIN}
mydomain = ${CENTRE_DOMAIN}
myorigin = ${CENTRE_DOMAIN}
mydestination =
inet_interfaces = ${HOST}
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
relay_domains =
virtual_mailbox_domains = ${domains.join(', ')}
virtual_mailbox_maps = texthash:${dir}/postfix/etc/mailboxes
virtual_transport = lmtp:unix:${dir}/dovecot/run/lmtp
default_transport = ${noRelay}
relay_transport = ${noRelay}
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions =
smtpd_banner = $myhostname ESMTP Parley mail ${id}
smtpd_error_sleep_time = 0
smtpd_peername_lookup = no
smtpd_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = ${dir}/dovecot/run/auth-postfix
in_flow_delay = 0
service_throttle_time = 1s
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
message_size_limit = 52428800
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
disable_dns_lookups = yes
smtp_dns_support_level = disabled
maillog_file = ${dir}/postfix.log
maillog_file_prefixes = ${dir}
`;
}

function postfixMasterCf(smtpPort: number, submissionPort: number): string {
  return `${HOST}:${smtpPort} inet n - n - - smtpd
${HOST}:${submissionPort} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=no
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
lmtp unix - - n - - lmtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`;
}

/** The directories Postfix's post-install would make, owned as it makes them. */
function makePostfixDirs(dir: string, ids: Ids): void {
  const queue = path.join(dir, 'postfix/queue');
  mkdirSync(path.join(dir, 'postfix/etc'), { recursive: true });
  mkdirSync(queue, { recursive: true });
  for (const q of ['active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'incoming']) {
    mkdirSync(path.join(queue, q));
    chownSync(path.join(queue, q), ids.postfixUid, 0);
    chmodSync(path.join(queue, q), 0o700);
  }
  for (const q of ['private', 'saved', 'trace']) {
    mkdirSync(path.join(queue, q));
    chownSync(path.join(queue, q), ids.postfixUid, 0);
    chmodSync(path.join(queue, q), 0o700);
  }
  mkdirSync(path.join(queue, 'maildrop'));
  chownSync(path.join(queue, 'maildrop'), ids.postfixUid, ids.postdropGid);
  chmodSync(path.join(queue, 'maildrop'), 0o730);
  mkdirSync(path.join(queue, 'public'));
  chownSync(path.join(queue, 'public'), ids.postfixUid, ids.postdropGid);
  chmodSync(path.join(queue, 'public'), 0o710);
  mkdirSync(path.join(queue, 'pid'), { mode: 0o755 });
  mkdirSync(path.join(dir, 'postfix/data'));
  chownSync(path.join(dir, 'postfix/data'), ids.postfixUid, ids.postfixGid);
  chmodSync(path.join(dir, 'postfix/data'), 0o700);
}

/**
 * Writes a config file dated a minute ago: Postfix rereads a file changed in the current second
 * (it could be in the middle of an edit) until that second has passed, up to a second's delay.
 */
function writeConfig(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o644 });
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
}

function spawnServer(command: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    // Its own process group (setsid): stop() and the guard signal the whole group, and a signal
    // to the test's group does not reach it.
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    child.on('error', () => {});
    return child;
  } finally {
    closeSync(fd);
  }
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid) return;
  const pid = child.pid;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    killGroup(pid, 'SIGTERM');
    await Promise.race([exited, sleep(3000)]);
  }
  // The master gone, what is left of its group (a Postfix or Dovecot child still finishing).
  killGroup(pid, 'SIGKILL');
}

/**
 * Starts a private Dovecot + Postfix pair. `users` are addresses (`name@domain`) or bare names,
 * which get CENTRE_DOMAIN; by default `support@parley.test` and `customer@example.test`.
 */
export async function startMailServers(opts: { users?: string[] } = {}): Promise<MailServers> {
  for (const [what, bin] of [
    ['dovecot-core', DOVECOT],
    ['dovecot-imapd', '/usr/lib/dovecot/imap'],
    ['dovecot-lmtpd', '/usr/lib/dovecot/lmtp'],
    ['postfix', POSTFIX_MASTER],
  ] as const)
    if (!existsSync(bin)) throw new Error(`mail servers: ${bin} is missing (apt-get install ${what})`);
  if (process.getuid?.() !== 0) throw new Error('mail servers: the tests run Postfix and Dovecot as root');

  sweepStale();
  const ids = systemIds();
  const users = parseUsers(opts.users ?? [`support@${CENTRE_DOMAIN}`, `customer@${CUSTOMER_DOMAIN}`]);
  const domains = [...new Set([CENTRE_DOMAIN, CUSTOMER_DOMAIN, ...users.map((u) => u.domain)])];
  const id = randomBytes(4).toString('hex');
  const dir = mkdtempSync(path.join(tmpdir(), DIR_PREFIX));
  // The mail user (Dovecot's mail processes) and postfix (lmtp, smtpd) go through it.
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ pid: process.pid }));
  writeFileSync(path.join(dir, 'pgids'), '');

  // The guard: when this process goes (even by SIGKILL) its pipe closes, and the guard kills the
  // servers' groups and removes the directory. stop() kills the guard first.
  const guard = spawn(
    'sh',
    [
      '-c',
      [
        'cat >/dev/null',
        'groups=$(cat "$1/pgids")',
        'for g in $groups; do kill -TERM -"$g" 2>/dev/null; done',
        'i=0',
        'while [ $i -lt 30 ]; do',
        '  left=',
        '  for g in $groups; do kill -0 -"$g" 2>/dev/null && left=1; done',
        '  [ -z "$left" ] && break',
        '  sleep 0.1; i=$((i + 1))',
        'done',
        'for g in $groups; do kill -KILL -"$g" 2>/dev/null; done',
        'rm -rf "$1"',
      ].join('\n'),
      'parley-mail-guard',
      dir,
    ],
    { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  guard.on('error', () => {});
  guard.unref();
  (guard.stdin as net.Socket | null)?.unref();

  let dovecot: ChildProcess | undefined;
  let postfix: ChildProcess | undefined;
  let imapPort = 0;
  let smtpPort = 0;
  let submissionPort = 0;
  const dovecotLog = path.join(dir, 'dovecot.log');
  const postfixLog = path.join(dir, 'postfix.log');
  const logs = () =>
    `--- dovecot (${dir}) ---\n${tail(dovecotLog)}\n--- postfix ---\n${tail(postfixLog)}\n` +
    `--- postfix master ---\n${tail(path.join(dir, 'postfix-master.out'), 1000)}`;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (guard.pid) killGroup(guard.pid, 'SIGKILL');
    await Promise.all([stopChild(postfix), stopChild(dovecot)]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Dovecot's files: users (passdb and userdb), mail homes owned by the mail user.
    mkdirSync(path.join(dir, 'dovecot/state'), { recursive: true });
    mkdirSync(path.join(dir, 'mail'));
    chownSync(path.join(dir, 'mail'), ids.mailUid, ids.mailGid);
    writeFileSync(
      path.join(dir, 'dovecot/users'),
      users
        .map(
          (u) =>
            `${u.address}:{PLAIN}${u.password}:${ids.mailUid}:${ids.mailGid}::${dir}/mail/${u.domain}/${u.name}::\n`,
        )
        .join(''),
      { mode: 0o644 },
    );
    makePostfixDirs(dir, ids);
    writeConfig(path.join(dir, 'postfix/etc/mailboxes'), users.map((u) => `${u.address} ok\n`).join(''));

    // Ports found free can be taken by another process before the servers bind them (suites run
    // side by side): then both start again on other ports.
    for (let attempt = 1; ; attempt++) {
      const ports = new Set<number>();
      while (ports.size < 3) ports.add(await freePort());
      [imapPort = 0, smtpPort = 0, submissionPort = 0] = [...ports];
      writeConfig(path.join(dir, 'dovecot/dovecot.conf'), dovecotConf(dir, id, imapPort, ids));
      writeConfig(path.join(dir, 'postfix/etc/main.cf'), postfixMainCf(dir, id, domains));
      writeConfig(path.join(dir, 'postfix/etc/master.cf'), postfixMasterCf(smtpPort, submissionPort));
      const token = `Parley mail ${id}`;
      const deadline = Date.now() + 20_000;
      const running = (c: ChildProcess | undefined) => c?.exitCode === null && c.signalCode === null;
      /** Until every port greets with this instance's banner; false if a server exits first. */
      const greeted = async (children: ChildProcess[], ports: Array<[number, string]>): Promise<boolean> => {
        const ready = ports.map(() => false);
        while (Date.now() < deadline && children.every(running)) {
          const now = await Promise.all(ports.map(([port, text], i) => ready[i] || bannerHas(port, text)));
          now.forEach((ok, i) => {
            ready[i] = ok;
          });
          if (ready.every(Boolean)) return children.every(running);
          await sleep(25);
        }
        return false;
      };
      // Dovecot first: Postfix's submission smtpd needs Dovecot's auth socket when it starts (one
      // that cannot connect exits, and the master holds the service back). Dovecot's greeting
      // (not the "Waiting for authentication process" one) says its auth is up.
      dovecot = spawnServer(
        DOVECOT,
        ['-F', '-c', path.join(dir, 'dovecot/dovecot.conf')],
        path.join(dir, 'dovecot.out'),
      );
      writeFileSync(path.join(dir, 'pgids'), `${dovecot.pid ?? ''}\n`);
      if (await greeted([dovecot], [[imapPort, `${token} ready.`]])) {
        postfix = spawnServer(
          POSTFIX_MASTER,
          ['-c', path.join(dir, 'postfix/etc'), '-d'],
          path.join(dir, 'postfix-master.out'),
        );
        writeFileSync(path.join(dir, 'pgids'), `${dovecot.pid ?? ''} ${postfix.pid ?? ''}\n`);
        if (
          await greeted(
            [dovecot, postfix],
            [
              [smtpPort, token],
              [submissionPort, token],
            ],
          )
        )
          break;
      }

      const text = `${tail(dovecotLog)}\n${tail(path.join(dir, 'dovecot.out'))}\n${tail(postfixLog)}\n${tail(path.join(dir, 'postfix-master.out'))}`;
      await Promise.all([stopChild(postfix), stopChild(dovecot)]);
      // Not signalled again (their process group ids could be another's by then).
      postfix = undefined;
      dovecot = undefined;
      // Postfix's master says nothing when it cannot bind (its log daemon is not up yet): a port
      // someone else holds now is the sign.
      const taken = (await Promise.all([imapPort, smtpPort, submissionPort].map(portTaken))).some(Boolean);
      if (attempt >= 5 || !(taken || /in use/i.test(text)))
        throw new Error(`mail servers did not start (attempt ${attempt}):\n${logs()}`);
      for (const f of [dovecotLog, postfixLog]) rmSync(f, { force: true });
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const user = (name: string): MailUser => {
    const key = name.toLowerCase();
    const found = key.includes('@')
      ? users.filter((u) => u.address === key)
      : users.filter((u) => u.name === key);
    if (found.length !== 1 || !found[0])
      throw new Error(
        `mail servers: ${found.length ? 'more than one' : 'no'} user ${name} (${users.map((u) => u.address).join(', ')})`,
      );
    return found[0];
  };

  const connect = async (name: string): Promise<ImapFlow> => {
    const u = user(name);
    const client = new ImapFlow({
      host: HOST,
      port: imapPort,
      secure: false,
      auth: { user: u.user, pass: u.password },
      logger: false,
    });
    // An error event without a listener would end the test process.
    client.on('error', () => {});
    await client.connect();
    return client;
  };

  const query = { uid: true, source: true, flags: true, envelope: true } as const;

  const messages = async (name: string, folder = 'INBOX'): Promise<MailMessage[]> => {
    const client = await connect(name);
    try {
      const box = await client.mailboxOpen(folder, { readOnly: true });
      if (box.exists === 0) return [];
      const list = await client.fetchAll('1:*', query);
      return list.map((m) => toMessage(folder, m)).sort((a, b) => a.uid - b.uid);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  const waitForMessage = async (
    name: string,
    predicate: (m: MailMessage) => boolean,
    timeoutMs = 15_000,
    folder = 'INBOX',
  ): Promise<MailMessage> => {
    const deadline = Date.now() + timeoutMs;
    const client = await connect(name);
    let wake: (() => void) | undefined;
    client.on('exists', () => wake?.());
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    try {
      let opened = false;
      let lastUid = 0;
      const seen: string[] = [];
      for (;;) {
        if (!opened)
          opened = await client.mailboxOpen(folder).then(
            () => true,
            () => false,
          );
        if (opened) {
          await client.noop();
          const box = client.mailbox;
          if (box && box.exists > 0) {
            for (const m of await client.fetchAll(`${lastUid + 1}:*`, query, { uid: true })) {
              if (m.uid <= lastUid) continue;
              const msg = toMessage(folder, m);
              lastUid = Math.max(lastUid, m.uid);
              if (predicate(msg)) return msg;
              seen.push(`${msg.uid} ${msg.messageId ?? '(no id)'} ${JSON.stringify(msg.subject)}`);
            }
          }
        }
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `mail servers: no message for ${name} in ${folder} within ${timeoutMs} ms; ${
              opened ? `there: ${seen.join('; ') || 'none'}` : 'the folder does not exist'
            }\n${logs()}`,
          );
        await pause(Math.min(250, left));
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  const deliver = async (
    raw: string | Buffer,
    envelope: { from: string; to: string[] },
    options: { timeoutMs?: number } = {},
  ): Promise<string> => {
    const transport = nodemailer.createTransport({
      host: HOST,
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
      name: `client.${CUSTOMER_DOMAIN}`,
    });
    let queueId: string;
    try {
      const info = await transport.sendMail({ envelope, raw });
      if (info.rejected.length > 0) {
        const err = new Error(
          `mail servers: recipients refused: ${info.rejected.join(', ')} (${info.rejectedErrors?.map((e) => e.message).join('; ')})`,
        ) as Error & { responseCode?: number | undefined; rejected?: unknown };
        err.responseCode = info.rejectedErrors?.[0]?.responseCode;
        err.rejected = info.rejected;
        throw err;
      }
      const q = /queued as ([0-9A-Za-z]+)/.exec(info.response);
      if (!q?.[1]) throw new Error(`mail servers: no queue id in Postfix's reply: ${info.response}`);
      queueId = q[1];
    } finally {
      transport.close();
    }
    // Postfix's Received header names the queue id: each recipient's INBOX is watched for it.
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    await Promise.all(
      [...new Set(envelope.to.map((t) => t.toLowerCase()))].map(async (to) => {
        const client = await connect(to);
        let wake: (() => void) | undefined;
        client.on('exists', () => wake?.());
        try {
          await client.mailboxOpen('INBOX');
          for (;;) {
            const found = await client.search({ header: { received: `id ${queueId}` } }, { uid: true });
            if (found && found.length > 0) return;
            // A delivery Postfix gave up on says why (one put off is retried within a second or two).
            const failed = tail(postfixLog, 200_000)
              .split('\n')
              .find((l) => l.includes(`${queueId}: to=<${to}>`) && /status=bounced/.test(l));
            if (failed) throw new Error(`mail servers: delivery to ${to} failed: ${failed}`);
            const left = deadline - Date.now();
            if (left <= 0)
              throw new Error(`mail servers: ${queueId} not in ${to}'s INBOX in time\n${logs()}`);
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, Math.min(100, left));
              wake = () => {
                clearTimeout(t);
                resolve();
              };
            });
            await client.noop();
          }
        } finally {
          await client.logout().catch(() => client.close());
        }
      }),
    );
    return queueId;
  };

  // Each user's mailboxes made now, one session at a time: Dovecot makes INBOX and the special-use
  // folders on first use, and two first uses at once (an LMTP delivery and an IMAP SELECT) can
  // fail one of them with "[ALREADYEXISTS] Mailbox already exists".
  try {
    await Promise.all(
      users.map(async (u) => {
        const client = await connect(u.address);
        try {
          await client.mailboxOpen('INBOX');
          await client.list();
        } finally {
          await client.logout().catch(() => client.close());
        }
      }),
    );
  } catch (err) {
    const text = logs();
    await stop();
    throw new Error(`mail servers: the mailboxes could not be made: ${(err as Error).message}\n${text}`);
  }

  return {
    dir,
    domains,
    users,
    imap: { host: HOST, port: imapPort, secure: false },
    smtp: { host: HOST, port: smtpPort, secure: false },
    submission: { host: HOST, port: submissionPort, secure: false },
    user,
    connect,
    deliver,
    messages,
    waitForMessage,
    logs,
    stop,
  };
}
