import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/app-error.js';

export interface DialPlan {
  /** How numbers written without a country code are read (ISO 3166, "AU"). */
  defaultCountry: string;
  /** E.164 prefixes the platform may call ("+61"); empty allows none. */
  allowed: string[];
  /** E.164 prefixes it never calls, even inside an allowed one (premium, satellite, ...). */
  blocked: string[];
  /** Whether a SIP address's host may be called (the office's phones, a carrier); others are refused. */
  sipTrusted: (host: string) => boolean;
}

export type Destination =
  | { kind: 'sip'; uri: string; host: string; port: number }
  | { kind: 'number'; e164: string };

const refuse = (why: string) => new AppError('DIAL_PLAN_REFUSED', why);

/**
 * The toll-fraud guard every outbound call passes (call-me, and later manual calls, transfers and
 * the dialler): a phone number is read with libphonenumber-js into E.164 and must fall inside an
 * allowed prefix and outside every blocked one; a SIP address must be a phone on a trusted network.
 */
export function checkDestination(input: string, plan: DialPlan): Destination {
  const text = input.trim();
  const sip = /^sip:([^@\s]+)@(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/i.exec(text);
  if (sip) {
    const host = sip[2] ?? '';
    if (!plan.sipTrusted(host)) throw refuse(`${host} is not on a network the platform may call`);
    const port = Number(sip[3] ?? 5060);
    if (port < 1 || port > 65535) throw refuse('That SIP address has no valid port');
    return { kind: 'sip', uri: `sip:${sip[1]}@${host}:${port}`, host, port };
  }
  if (/^sips?:/i.test(text)) throw refuse('A SIP address must be sip:user@IPv4[:port]');
  const parsed = parsePhoneNumberFromString(text, plan.defaultCountry as CountryCode);
  if (!parsed?.isValid()) throw refuse(`"${text}" is not a valid phone number`);
  const e164 = parsed.number;
  if (plan.blocked.some((p) => e164.startsWith(p))) throw refuse(`${e164} is in a blocked range`);
  if (!plan.allowed.some((p) => e164.startsWith(p)))
    throw refuse(`${e164} is outside the countries and prefixes this platform may call`);
  return { kind: 'number', e164 };
}

/** The workspace's own dial plan where it set one, else the server's; trusted SIP hosts stay the server's. */
export async function workspaceDialPlan(db: Db, workspaceId: string, server: DialPlan): Promise<DialPlan> {
  const row = await db
    .selectFrom('workspaces')
    .select('dial_plan')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  const own = row?.dial_plan;
  if (!own) return server;
  return {
    defaultCountry: own.defaultCountry,
    allowed: own.allowedPrefixes,
    blocked: own.blockedPrefixes,
    sipTrusted: server.sipTrusted,
  };
}
