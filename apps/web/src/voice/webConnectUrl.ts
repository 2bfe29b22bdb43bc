import { WEB_CONNECT_PATH } from '@parley/contract';

/** How the Web Connect tab holds the voice path: open all login long, or only for each call. */
export type ConnectionMode = 'persistent' | 'non-persistent';

/** The Web Connect tab's window name: connecting again reuses the tab instead of opening another. */
export const WEB_CONNECT_WINDOW = 'parley-web-connect';

export function webConnectUrl(mode: ConnectionMode): string {
  return `${WEB_CONNECT_PATH}?mode=${mode}`;
}

/** The mode the Web Connect tab was opened in; persistent unless asked otherwise. */
export function readConnectionMode(search: string = window.location.search): ConnectionMode {
  return new URLSearchParams(search).get('mode') === 'non-persistent' ? 'non-persistent' : 'persistent';
}
