import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict, StrictPartial, Uuid } from './common.js';

/** A carrier's host: an IPv4 address or a DNS name (letters, digits and hyphens in dotted labels). */
const Host = Type.String({
  maxLength: 253,
  pattern:
    '^(\\d{1,3}(\\.\\d{1,3}){3}|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$',
  description: 'IPv4 address or host name',
});
const Cidr = Type.String({
  pattern: '^\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?$',
  description: 'IPv4 address or network',
});
export const E164 = Type.String({ pattern: '^\\+[1-9][0-9]{5,14}$', description: 'E.164' });

/* SIP trunks (P4): where customers' calls come from and where the platform's calls go out. */
const trunkFields = {
  name: Name,
  host: Host,
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')]),
  /** Credentials the carrier gave: for registering and for answering its digest challenges. */
  username: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
  password: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
  /** Keep a registration with the carrier (REGISTER, refreshed before it expires). */
  register: Type.Boolean(),
  /** Addresses the carrier's INVITEs come from; calls from them reach this workspace's numbers. */
  allowedSources: Type.Array(Cidr, { maxItems: 50, uniqueItems: true }),
  /** The number presented on outbound calls when the campaign sets none. */
  callerId: Type.Union([E164, Type.Null()]),
};
export const CreateSipTrunkBody = Strict({
  name: trunkFields.name,
  host: trunkFields.host,
  port: Type.Optional(trunkFields.port),
  transport: Type.Optional(trunkFields.transport),
  username: Type.Optional(trunkFields.username),
  password: Type.Optional(trunkFields.password),
  register: Type.Optional(trunkFields.register),
  allowedSources: Type.Optional(trunkFields.allowedSources),
  callerId: Type.Optional(trunkFields.callerId),
});
export type CreateSipTrunkBody = Static<typeof CreateSipTrunkBody>;
export const UpdateSipTrunkBody = StrictPartial(trunkFields);
export type UpdateSipTrunkBody = Static<typeof UpdateSipTrunkBody>;

export const TrunkRegistrationState = Type.Object({
  state: Type.Union([
    Type.Literal('off'),
    Type.Literal('registering'),
    Type.Literal('registered'),
    Type.Literal('failed'),
  ]),
  /** The carrier's last answer, or why it failed. */
  detail: Type.Union([Type.String(), Type.Null()]),
});
export type TrunkRegistrationState = Static<typeof TrunkRegistrationState>;

/** A trunk as the API shows it: the password never leaves the server. */
export const SipTrunk = Type.Object({
  id: Uuid,
  name: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')]),
  username: Type.Union([Type.String(), Type.Null()]),
  hasPassword: Type.Boolean(),
  register: Type.Boolean(),
  allowedSources: Type.Array(Type.String()),
  callerId: Type.Union([Type.String(), Type.Null()]),
  registration: TrunkRegistrationState,
});
export type SipTrunk = Static<typeof SipTrunk>;

/* Desk phone extensions: a phone registers with its username and password (digest). */
const Extension = Type.String({ pattern: '^[0-9]{2,6}$', description: '2 to 6 digits' });
const SipUsername = Type.String({ pattern: '^[A-Za-z0-9._-]{2,64}$' });
const SipPassword = Type.String({ minLength: 8, maxLength: 128 });
export const CreateSipExtensionBody = Strict({
  extension: Extension,
  /** What the phone registers as; unique on the platform. */
  username: SipUsername,
  password: SipPassword,
  userId: Type.Optional(Type.Union([Uuid, Type.Null()])),
});
export type CreateSipExtensionBody = Static<typeof CreateSipExtensionBody>;
export const UpdateSipExtensionBody = StrictPartial({
  extension: Extension,
  password: SipPassword,
  userId: Type.Union([Uuid, Type.Null()]),
});
export type UpdateSipExtensionBody = Static<typeof UpdateSipExtensionBody>;
export const SipExtension = Type.Object({
  id: Uuid,
  extension: Type.String(),
  username: Type.String(),
  userId: Type.Union([Uuid, Type.Null()]),
  /** Where the phone registered from, while its registration lasts. */
  registeredContact: Type.Union([Type.String(), Type.Null()]),
});
export type SipExtension = Static<typeof SipExtension>;

/* The workspace's dial plan: every outbound call passes it (toll-fraud guard). */
export const DialPlanSettings = Type.Object(
  {
    defaultCountry: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 country for local numbers' }),
    allowedPrefixes: Type.Array(Type.String({ pattern: '^\\+[0-9]{1,15}$' }), { maxItems: 100 }),
    blockedPrefixes: Type.Array(Type.String({ pattern: '^\\+[0-9]{1,15}$' }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type DialPlanSettings = Static<typeof DialPlanSettings>;
