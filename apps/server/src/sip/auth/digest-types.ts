export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
export type Qop = 'auth' | 'auth-int';

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  /** Lower-case hex. */
  response: string;
  algorithm: DigestAlgorithm;
  qop?: Qop;
  cnonce?: string;
  /** Eight hex digits, as sent. */
  nc?: string;
  opaque?: string;
}

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  /** undefined: no qop directive (RFC 2069 style); otherwise the supported values offered. */
  qop?: Qop[];
  opaque?: string;
  stale: boolean;
}
