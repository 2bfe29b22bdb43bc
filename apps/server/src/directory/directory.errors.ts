import { AppError } from '../http/app-error.js';

export type DirectoryErrorCode = 'DIRECTORY_AUTH_FAILED' | 'DIRECTORY_UNAVAILABLE' | 'DIRECTORY_BUSY';

/**
 * A directory source that could not answer. The search turns it into a warning beside the
 * other sources' contacts; the administrator's check returns it as the error it is.
 */
export class DirectoryError extends AppError {
  constructor(
    override readonly code: DirectoryErrorCode,
    message: string,
    extra: { retryAfterSeconds?: number } = {},
  ) {
    super(code, message, extra);
    this.name = 'DirectoryError';
  }
}
