import { REALTIME_PATH } from '@parley/contract';

/** The realtime endpoint on this page's own host, over TLS when the page is. */
export function realtimeUrl(location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${REALTIME_PATH}`;
}
