import { ApiError } from '@parley/client';

/** What the sign-in page says when the server ended this toolbar's session. */
export function revokedNotice(reason: string): string {
  switch (reason) {
    case 'signed_out':
      return 'You were signed out in another window.';
    case 'disabled':
      return 'Your account has been disabled. Contact your administrator.';
    case 'expired':
      return 'Your session has expired. Sign in again to continue.';
    default:
      return 'Your session has ended. Sign in again to continue.';
  }
}

/** Nothing to say when the browser simply is not signed in; a note when the server could not be asked. */
export function sessionCheckNotice(error: unknown): string | undefined {
  if (error instanceof ApiError && error.status === 401) return undefined;
  return 'Parley could not check your session. Sign in to continue.';
}
