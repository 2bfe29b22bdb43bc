export type SdpErrorCode =
  | 'UNPARSABLE'
  | 'NO_AUDIO'
  | 'NO_COMMON_CODEC'
  | 'NO_CONNECTION'
  | 'BAD_PORT'
  | 'UNSUPPORTED_TRANSPORT';

export class SdpError extends Error {
  override readonly name = 'SdpError';
  constructor(
    readonly code: SdpErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}
