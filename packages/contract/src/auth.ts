import { type Static, Type } from '@sinclair/typebox';
import { Strict, Uuid } from './common.js';
import { Role } from './users.js';

export const LoginBody = Strict({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const SessionUser = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  agentId: Type.Union([Type.Integer(), Type.Null()]),
});
export type SessionUser = Static<typeof SessionUser>;

export const SessionResponse = Type.Object({
  user: SessionUser,
  workspace: Type.Object({ id: Uuid, name: Type.String(), slug: Type.String() }),
  csrfToken: Type.String({
    description: 'Send back as the X-CSRF-Token header on every state-changing request',
  }),
});
export type SessionResponse = Static<typeof SessionResponse>;

export const CSRF_HEADER = 'x-csrf-token';
