import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

function getPathname(): string {
  const path = window.location.pathname;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The current path, kept in step with back/forward and with navigate(). */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, getPathname);
}
