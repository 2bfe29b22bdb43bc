import { ApiError } from '@parley/client';

function seconds(count: number): string {
  return `${count} ${count === 1 ? 'second' : 'seconds'}`;
}

/** The sentence shown under the sign-in form for a failed attempt. */
export function loginErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return 'Parley cannot be reached. Check your connection and try again.';
  }
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    return wait === undefined
      ? 'Too many failed attempts. Try again later.'
      : `Too many failed attempts. Try again in ${seconds(wait)}.`;
  }
  if (error.status >= 500) return 'Parley could not sign you in just now. Try again in a moment.';
  return error.message || 'Sign-in failed.';
}
