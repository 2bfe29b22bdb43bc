import { HttpClient } from '@parley/client';

/** The one HTTP client of the app: same origin, so the session cookie travels by itself. */
export const api = new HttpClient();
