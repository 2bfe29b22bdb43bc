export type DigestErrorCode = 'BAD_HEADER' | 'UNSUPPORTED_ALGORITHM' | 'MISSING_FIELD' | 'UNSUPPORTED_QOP';

export class DigestError extends Error {
  override readonly name = 'DigestError';
  constructor(
    readonly code: DigestErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}
