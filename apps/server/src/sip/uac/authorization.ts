import { answerChallenge, DigestError, parseChallenge } from '../auth/digest.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';

/**
 * Authorization for a request the peer challenged (401 WWW-Authenticate or 407
 * Proxy-Authenticate, RFC 3261 §22.2-22.3), or undefined when it cannot be answered.
 */
export function authorizationFor(
  response: SipResponse,
  request: SipRequest,
  credentials: { username: string | null; password: string | null },
): [string, string] | undefined {
  if (!credentials.username || !credentials.password) return undefined;
  const proxy = response.status === 407;
  const challenge = response.headers.get(proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate');
  if (!challenge) return undefined;
  try {
    const value = answerChallenge(parseChallenge(challenge), {
      username: credentials.username,
      password: credentials.password,
      method: request.method,
      uri: request.uri,
    });
    return [proxy ? 'Proxy-Authorization' : 'Authorization', value];
  } catch (err) {
    if (err instanceof DigestError) return undefined;
    throw err;
  }
}
