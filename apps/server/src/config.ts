import { isIP } from 'node:net';
import { availableParallelism, networkInterfaces } from 'node:os';
import path from 'node:path';
import { parseFrameAncestors } from './http/security-headers.js';
import { parseSecretKey } from './security/secrets.js';
import type { TcpLimits } from './sip/transport/tcp-limits.js';
import { parseCidr } from './sip/uas/source-guard.js';

export const ROLE_NAMES = ['api', 'realtime', 'acd', 'media'] as const;
export type ServerRole = (typeof ROLE_NAMES)[number];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoPassword: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  cookieSecure: boolean;
  sessionTtlHours: number;
  roles: ServerRole[];
  webDir: string | undefined;
  mediaWorkers: number;
  mediaAddresses: string[];
  /** SIP over UDP and TCP; undefined when turned off. 0 takes any free port. */
  sipPort: number | undefined;
  sipAddress: string;
  /** Networks INVITE and REGISTER may come from (IPv4 CIDRs). */
  sipTrustedSources: string[];
  /** New SIP dialogs one source may start per second (twice that as a burst). */
  sipInviteRate: number;
  /** Seconds a SIP TCP connection may wait for its first complete message (always, if untrusted). */
  sipTcpIdleSeconds: number;
  /** Seconds a trusted SIP TCP connection that has carried a message may be quiet. */
  sipTcpTrustedIdleSeconds: number;
  /** Open SIP TCP connections: in all, per trusted address, per other address. */
  sipTcpMaxConnections: number;
  sipTcpMaxPerSource: number;
  sipTcpMaxPerUntrustedSource: number;
  /** Where calls to phone numbers go ("host:port"), if anywhere. */
  sipOutboundProxy: { host: string; port: number } | undefined;
  sipRealm: string;
  /** Seconds a number rings for a transfer or consult. */
  transferRingSeconds: number;
  dialDefaultCountry: string;
  dialAllowedPrefixes: string[];
  dialBlockedPrefixes: string[];
  /** Origins that may frame the toolbar and web phone (CSP frame-ancestors); none by default. */
  frameAncestors: string[];
  /** Key that seals secrets at rest (32 bytes); else a key file in the data folder. */
  secretKey: Buffer | undefined;
  /** Where Microsoft Entra ID issues tokens, and where Microsoft Graph answers (the directory). */
  graphAuthorityHost: string;
  graphBaseUrl: string;
  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client; none by default. */
  trustProxy: string[];
  /** Web chat: widget sockets one address may hold open, and chats it may start a minute. */
  chatSocketsPerSource: number;
  chatStartsPerMinute: number;
  /** The platform's own SMTP listener for mail forwarded to it (0: off), and its address. */
  emailSmtpPort: number;
  emailSmtpHost: string;
}

interface Setting<K extends keyof Config> {
  env: string;
  description: string;
  parse(raw: string | undefined): Config[K];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function integer(name: string, fallback: number, min: number, max: number) {
  return (raw: string | undefined): number => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return n;
  };
}

function boolean(name: string, fallback: boolean) {
  return (raw: string | undefined): boolean => {
    if (raw === undefined || raw === '') return fallback;
    if (/^(1|true|yes)$/i.test(raw)) return true;
    if (/^(0|false|no)$/i.test(raw)) return false;
    throw new Error(`${name} must be true or false, got "${raw}"`);
  };
}

/** Loopback plus every IPv4 address of this host: a browser without loopback WebRTC uses the LAN one. */
function hostAddresses(): string[] {
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => i?.address ?? '');
  return ['127.0.0.1', ...lan.filter(Boolean)];
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every setting with its variable, its description and its default. README lists the same. */
export const settings: { [K in keyof Config]: Setting<K> } = {
  port: { env: 'PORT', description: 'HTTP port', parse: integer('PORT', 8080, 0, 65535) },
  host: { env: 'HOST', description: 'Address to listen on', parse: (raw) => raw || '0.0.0.0' },
  dataDir: {
    env: 'DATA_DIR',
    description: 'Folder for the embedded database, demo credentials, recordings',
    parse: (raw) => path.resolve(raw || './data'),
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    description: 'PostgreSQL server URL; without it the embedded PGlite database is used',
    parse: (raw) => {
      if (!raw) return undefined;
      if (!/^postgres(ql)?:\/\//.test(raw)) throw new Error('DATABASE_URL must start with postgres://');
      return raw;
    },
  },
  demoPassword: {
    env: 'DEMO_PASSWORD',
    description: 'Password for every demo user (random per data folder when unset)',
    parse: (raw) => {
      if (raw !== undefined && raw !== '' && raw.length < 10) {
        throw new Error('DEMO_PASSWORD must be at least 10 characters');
      }
      return raw || undefined;
    },
  },
  logLevel: {
    env: 'LOG_LEVEL',
    description: 'Log level',
    parse: (raw) => {
      const level = raw || 'info';
      const found = LOG_LEVELS.find((l) => l === level);
      if (!found) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
      return found;
    },
  },
  cookieSecure: {
    env: 'COOKIE_SECURE',
    description: 'Mark the session cookie Secure (set true behind HTTPS)',
    parse: boolean('COOKIE_SECURE', false),
  },
  sessionTtlHours: {
    env: 'SESSION_TTL_HOURS',
    description: 'Hours a session lasts',
    parse: integer('SESSION_TTL_HOURS', 12, 1, 24 * 30),
  },
  roles: {
    env: 'ROLES',
    description: 'Comma-separated roles this process runs (api, realtime, acd, media); all by default',
    parse: (raw) => {
      if (!raw) return [...ROLE_NAMES];
      const roles = raw.split(',').map((r) => r.trim());
      const unknown = roles.filter((r) => !(ROLE_NAMES as readonly string[]).includes(r));
      if (unknown.length) throw new Error(`ROLES has unknown roles: ${unknown.join(', ')}`);
      return roles as ServerRole[];
    },
  },
  mediaWorkers: {
    env: 'MEDIA_WORKERS',
    description: 'Media worker processes (RTP, WebRTC, mixing); one per core by default',
    parse: integer('MEDIA_WORKERS', availableParallelism(), 1, 64),
  },
  mediaAddresses: {
    env: 'MEDIA_ADDRESSES',
    description: "Addresses offered to browsers and phones for media; this host's IPv4 addresses by default",
    parse: (raw) => {
      const list = raw ? raw.split(',').map((a) => a.trim()) : hostAddresses();
      const bad = list.filter((a) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(a));
      if (bad.length) throw new Error(`MEDIA_ADDRESSES must be IPv4 addresses, got ${bad.join(', ')}`);
      return list;
    },
  },
  sipPort: {
    env: 'SIP_PORT',
    description:
      'SIP port (UDP and TCP) for trunks and phones; "off" to run without SIP; 0 for any free port',
    parse: (raw) => (raw === 'off' ? undefined : integer('SIP_PORT', 5060, 0, 65535)(raw)),
  },
  sipAddress: {
    env: 'SIP_ADDRESS',
    description: 'Address the SIP port listens on',
    parse: (raw) => raw || '0.0.0.0',
  },
  sipTrustedSources: {
    env: 'SIP_TRUSTED_SOURCES',
    description: 'IPv4 networks INVITE and REGISTER may come from (trunks, phones); others get 403',
    parse: (raw) => {
      const list = (raw || '127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16')
        .split(',')
        .map((c) => c.trim());
      for (const c of list) parseCidr(c);
      return list;
    },
  },
  sipInviteRate: {
    env: 'SIP_INVITE_RATE',
    description: 'New calls per second one source may start before getting 503',
    parse: integer('SIP_INVITE_RATE', 200, 1, 100_000),
  },
  sipTcpIdleSeconds: {
    env: 'SIP_TCP_IDLE_SECONDS',
    description:
      'Seconds a SIP TCP connection has to send a complete message (and, from an untrusted source, may be quiet)',
    parse: integer('SIP_TCP_IDLE_SECONDS', 20, 1, 3600),
  },
  sipTcpTrustedIdleSeconds: {
    env: 'SIP_TCP_TRUSTED_IDLE_SECONDS',
    description:
      'Seconds a SIP TCP connection from a trunk or trusted network may be quiet once it has sent a message',
    parse: integer('SIP_TCP_TRUSTED_IDLE_SECONDS', 600, 1, 86_400),
  },
  sipTcpMaxConnections: {
    env: 'SIP_TCP_MAX_CONNECTIONS',
    description: 'Open SIP TCP connections in all; more are closed at once',
    parse: integer('SIP_TCP_MAX_CONNECTIONS', 4000, 1, 1_000_000),
  },
  sipTcpMaxPerSource: {
    env: 'SIP_TCP_MAX_PER_SOURCE',
    description: 'Open SIP TCP connections from one trunk or trusted address; more are closed at once',
    parse: integer('SIP_TCP_MAX_PER_SOURCE', 256, 1, 1_000_000),
  },
  sipTcpMaxPerUntrustedSource: {
    env: 'SIP_TCP_MAX_PER_UNTRUSTED_SOURCE',
    description: 'Open SIP TCP connections from one other address; more are closed at once',
    parse: integer('SIP_TCP_MAX_PER_UNTRUSTED_SOURCE', 4, 1, 1000),
  },
  sipOutboundProxy: {
    env: 'SIP_OUTBOUND_PROXY',
    description:
      'host:port of the SIP trunk or proxy that calls to phone numbers go through; none by default',
    parse: (raw) => {
      if (!raw) return undefined;
      const m = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(raw);
      if (!m) throw new Error('SIP_OUTBOUND_PROXY must be host:port');
      return { host: m[1] as string, port: Number(m[2]) };
    },
  },
  transferRingSeconds: {
    env: 'TRANSFER_RING_SECONDS',
    description:
      'Seconds a number rings for a transfer or consult before the agent is told it did not answer',
    parse: integer('TRANSFER_RING_SECONDS', 30, 5, 300),
  },
  sipRealm: {
    env: 'SIP_REALM',
    description: 'Digest realm desk phones register in (changing it means setting extension passwords again)',
    parse: (raw) => {
      const r = raw || 'parley';
      if (!/^[A-Za-z0-9.-]{1,100}$/.test(r))
        throw new Error('SIP_REALM must be letters, digits, dots or hyphens');
      return r;
    },
  },
  dialDefaultCountry: {
    env: 'DIAL_DEFAULT_COUNTRY',
    description: 'Country numbers without a country code are read in (ISO 3166 code)',
    parse: (raw) => {
      const c = (raw || 'AU').toUpperCase();
      if (!/^[A-Z]{2}$/.test(c)) throw new Error('DIAL_DEFAULT_COUNTRY must be a two-letter country code');
      return c;
    },
  },
  dialAllowedPrefixes: {
    env: 'DIAL_ALLOWED_PREFIXES',
    description: 'E.164 prefixes outbound calls may go to (toll-fraud guard)',
    parse: (raw) => prefixes('DIAL_ALLOWED_PREFIXES', raw || '+61'),
  },
  dialBlockedPrefixes: {
    env: 'DIAL_BLOCKED_PREFIXES',
    description: 'E.164 prefixes never called, even inside an allowed one (premium ranges)',
    parse: (raw) => prefixes('DIAL_BLOCKED_PREFIXES', raw || '+6119'),
  },
  webDir: {
    env: 'WEB_DIR',
    description: 'Folder of the built toolbar (apps/web/dist by default)',
    parse: (raw) => (raw ? path.resolve(raw) : undefined),
  },
  frameAncestors: {
    env: 'FRAME_ANCESTORS',
    description: 'Comma-separated origins that may embed the pages in a frame (or self); none by default',
    parse: parseFrameAncestors,
  },
  secretKey: {
    env: 'SECRET_KEY',
    description:
      "Base64 of 32 random bytes that seal stored secrets (the directory's client secrets); a key file in DATA_DIR by default",
    parse: (raw) => (raw ? parseSecretKey(raw) : undefined),
  },
  graphAuthorityHost: {
    env: 'GRAPH_AUTHORITY_HOST',
    description: 'Microsoft Entra ID sign-in host the directory takes app tokens from',
    parse: (raw) => serviceOrigin('GRAPH_AUTHORITY_HOST', raw || 'https://login.microsoftonline.com'),
  },
  trustProxy: {
    env: 'TRUST_PROXY',
    description:
      'Comma-separated addresses or CIDR ranges of the reverse proxies in front (X-Forwarded-For is read only from them); none by default',
    parse: (raw) => {
      const list = (raw ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      for (const x of list) {
        const [address = '', bits, ...rest] = x.split('/');
        const max = isIP(address) === 6 ? 128 : 32;
        const badBits = bits !== undefined && !(/^[0-9]{1,3}$/.test(bits) && Number(bits) <= max);
        if (!isIP(address) || badBits || rest.length > 0)
          throw new Error(`TRUST_PROXY takes addresses or CIDR ranges, got "${x}"`);
      }
      return list;
    },
  },
  chatSocketsPerSource: {
    env: 'CHAT_SOCKETS_PER_SOURCE',
    description:
      'Chat widget sockets one address may hold open at once (raise behind a proxy that hides addresses)',
    parse: integer('CHAT_SOCKETS_PER_SOURCE', 20, 1, 1_000_000),
  },
  chatStartsPerMinute: {
    env: 'CHAT_STARTS_PER_MINUTE',
    description: 'Chats one address may start in a minute',
    parse: integer('CHAT_STARTS_PER_MINUTE', 10, 1, 1_000_000),
  },
  emailSmtpPort: {
    env: 'EMAIL_SMTP_PORT',
    description: 'Port of the SMTP listener for mail forwarded to mailboxes whose inbound is SMTP (0: off)',
    parse: integer('EMAIL_SMTP_PORT', 0, 0, 65535),
  },
  emailSmtpHost: {
    env: 'EMAIL_SMTP_HOST',
    description: 'Address the SMTP listener listens on',
    parse: (raw) => raw || '0.0.0.0',
  },
  graphBaseUrl: {
    env: 'GRAPH_BASE_URL',
    description: 'Microsoft Graph host the directory searches',
    parse: (raw) => serviceOrigin('GRAPH_BASE_URL', raw || 'https://graph.microsoft.com'),
  },
};

/** An https origin (plain http only on loopback, for a stand-in), without a trailing slash. */
function serviceOrigin(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL such as https://host, got "${raw}"`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new Error(`${name} must use https (plain http only on this machine), got "${raw}"`);
  if (url.pathname !== '/' || url.search || url.hash || url.username)
    throw new Error(`${name} must be just the scheme and host, got "${raw}"`);
  return url.origin;
}

function prefixes(name: string, raw: string): string[] {
  const list = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (list.some((p) => !/^\+\d{1,15}$/.test(p)))
    throw new Error(`${name} must be +digits prefixes, comma-separated`);
  return list;
}

/** The SIP transport's TCP limits from the settings. */
export function sipTcpLimits(config: Config): TcpLimits {
  return {
    idleMs: config.sipTcpIdleSeconds * 1000,
    trustedIdleMs: config.sipTcpTrustedIdleSeconds * 1000,
    maxConnections: config.sipTcpMaxConnections,
    maxPerSource: config.sipTcpMaxPerSource,
    maxPerUntrustedSource: config.sipTcpMaxPerUntrustedSource,
  };
}

/** Reads and checks every setting, and fails with the whole list of problems at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const out: Partial<Record<keyof Config, unknown>> = {};
  for (const [key, setting] of Object.entries(settings) as [keyof Config, Setting<keyof Config>][]) {
    try {
      out[key] = setting.parse(env[setting.env]);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out as Config;
}
