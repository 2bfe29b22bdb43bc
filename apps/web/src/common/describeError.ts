import { ApiError } from '@parley/client';

/** What to tell the agent when a request fails: the server's own message, or that it was not reached. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Parley could not reach the server. Check your connection and try again.';
}
