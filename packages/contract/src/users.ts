import { type Static, Type } from '@sinclair/typebox';
import { Name, Strict, StrictPartial, Timestamp, Uuid } from './common.js';

export const ROLES = ['agent', 'manager', 'administrator'] as const;
export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
export type Role = (typeof ROLES)[number];

const userFields = {
  username: Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-zA-Z0-9._@-]+$' }),
  displayName: Name,
  role: Role,
  password: Type.String({ minLength: 10, maxLength: 256 }),
  agentId: Type.Union([Type.Integer({ minimum: 1, maximum: 99999999 }), Type.Null()]),
  pin: Type.Union([Type.String({ pattern: '^[0-9]{4,8}$' }), Type.Null()]),
  agentProfileId: Type.Union([Uuid, Type.Null()]),
  teamIds: Type.Array(Uuid, { uniqueItems: true, maxItems: 100 }),
  disabled: Type.Boolean(),
};

export const CreateUserBody = Strict({
  username: userFields.username,
  displayName: userFields.displayName,
  role: userFields.role,
  password: userFields.password,
  agentId: Type.Optional(userFields.agentId),
  pin: Type.Optional(userFields.pin),
  agentProfileId: Type.Optional(userFields.agentProfileId),
  teamIds: Type.Optional(userFields.teamIds),
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = StrictPartial(userFields);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  agentId: Type.Union([Type.Integer(), Type.Null()]),
  hasPin: Type.Boolean(),
  agentProfileId: Type.Union([Uuid, Type.Null()]),
  teamIds: Type.Array(Uuid),
  disabled: Type.Boolean(),
  createdAt: Timestamp,
});
export type User = Static<typeof User>;
