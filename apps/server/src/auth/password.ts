import argon2 from 'argon2';

// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. About 30 ms here.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

let dummyHash: Promise<string> | undefined;

export function hashSecret(secret: string): Promise<string> {
  return argon2.hash(secret, OPTIONS);
}

/** Verifies a secret; with no hash (unknown user) still spends the same time, so timing tells nothing. */
export async function verifySecret(hash: string | null | undefined, secret: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashSecret('not-a-real-password');
    await argon2.verify(await dummyHash, secret);
    return false;
  }
  try {
    return await argon2.verify(hash, secret);
  } catch {
    return false;
  }
}
