import type { ErrorCode } from '@parley/contract';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error with a stable code; the HTTP layer maps it to a status with ERROR_CODES. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { details?: ErrorDetail[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new AppError('CONFLICT', message);
