import { type Static, Type } from '@sinclair/typebox';

/**
 * Every error the platform returns, with the HTTP status it maps to.
 * docs/errors.md lists each code; a test keeps the two in step.
 */
export const ERROR_CODES = {
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  BODY_TOO_LARGE: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  LOGIN_THROTTLED: 429,
  LOGIN_LOCKED: 429,
  CSRF_FAILED: 403,
  FORBIDDEN_ROLE: 403,
  FORBIDDEN_WORKSPACE: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONFLICT: 409,
  IN_USE: 409,
  INTERACTION_STATE: 409,
  AGENT_UNAVAILABLE: 409,
  TRANSFER_FAILED: 409,
  VOICE_NOT_CONNECTED: 409,
  AGENT_ASSIST_OFF: 403,
  OUTCOME_REQUIRED: 400,
  INTERNAL: 500,
  WS_INVALID_FRAME: 400,
  VOICE_BAD_OFFER: 400,
  VOICE_UNAVAILABLE: 503,
  RECORDING_CONTROLS_OFF: 403,
  RATE_LIMITED: 429,
  DIAL_PLAN_REFUSED: 403,
  NO_ROUTE: 409,
  DUPLICATE_NUMBER: 409,
  AUDIO_INVALID: 400,
  AUDIO_EMPTY: 400,
  AUDIO_TOO_LONG: 400,
  WS_HEARTBEAT_TIMEOUT: 408,
  CSV_INVALID: 400,
  CSV_MALFORMED: 400,
  IMPORT_RUNNING: 409,
  IMPORT_INTERRUPTED: 400,
  CAMPAIGN_NOT_OUTBOUND: 400,
  DIRECTORY_AUTH_FAILED: 502,
  DIRECTORY_UNAVAILABLE: 503,
  DIRECTORY_BUSY: 503,
  NUMBER_INVALID: 400,
  NOT_PAUSED: 409,
  CALL_IN_PROGRESS: 409,
  CAMPAIGN_NOT_ASSIGNED: 403,
  LEAD_NOT_CALLABLE: 409,
  CALLBACK_REQUIRED: 400,
  LEAD_TAKEN: 409,
  CONVERT_OFF: 403,
  CHAT_TOKEN_INVALID: 401,
  CHAT_ORIGIN_REFUSED: 403,
  CHAT_CHANNEL_CLOSED: 409,
  CHAT_ENDED: 409,
  CHAT_SURVEY_INVALID: 400,
  CHAT_LIMIT_REACHED: 409,
  EMAIL_QUEUE_EMPTY: 404,
  EMAIL_SEND_DISABLED: 403,
  EMAIL_NO_RECIPIENT: 400,
  EMAIL_NO_MAILBOX: 409,
  EMAIL_LIMIT_REACHED: 409,
  EMAIL_TOO_LARGE: 413,
  EMAIL_MAILBOX_INVALID: 400,
  ATTACHMENT_TYPE_REFUSED: 415,
  ATTACHMENT_TOO_LARGE: 413,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code, listed in docs/errors.md' }),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
      retryAfterSeconds: Type.Optional(Type.Integer()),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;
