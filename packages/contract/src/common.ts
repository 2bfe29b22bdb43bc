import { type TSchema, Type } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
export const Timestamp = Type.String({ format: 'date-time' });

export const WorkspaceParams = Type.Object({ workspaceId: Uuid }, { additionalProperties: false });
export const ResourceParams = Type.Object({ workspaceId: Uuid, id: Uuid }, { additionalProperties: false });

/** Request bodies refuse fields they do not know: a typo must not be silently ignored. */
export function Strict<T extends Record<string, TSchema>>(props: T) {
  return Type.Object(props, { additionalProperties: false });
}

/** The same body with every field optional, for PATCH. */
export function StrictPartial<T extends Record<string, TSchema>>(props: T) {
  return Type.Partial(Type.Object(props, { additionalProperties: false }), {
    additionalProperties: false,
    minProperties: 1,
  });
}
