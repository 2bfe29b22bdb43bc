import type { SessionResponse } from '@parley/contract';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { sessionCheckNotice } from './signedOutNotice';

export type AuthState =
  | { status: 'checking' }
  | { status: 'signedOut'; notice: string | undefined }
  | { status: 'signedIn'; session: SessionResponse };

export interface Auth {
  state: AuthState;
  handleSignedIn: (session: SessionResponse) => void;
  handleSignedOut: (notice?: string) => void;
}

/** Asks the server once whether this browser is signed in, then follows sign-in and sign-out. */
export function useAuth(): Auth {
  const [state, setState] = useState<AuthState>({ status: 'checking' });

  useEffect(() => {
    let cancelled = false;
    api.session().then(
      (session) => {
        if (!cancelled) setState({ status: 'signedIn', session });
      },
      (error: unknown) => {
        if (!cancelled) setState({ status: 'signedOut', notice: sessionCheckNotice(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const handleSignedIn = useCallback((session: SessionResponse) => {
    setState({ status: 'signedIn', session });
  }, []);
  const handleSignedOut = useCallback((notice?: string) => {
    setState({ status: 'signedOut', notice });
  }, []);

  return { state, handleSignedIn, handleSignedOut };
}
