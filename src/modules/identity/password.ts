import argon2 from 'argon2';

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1): strong, and cheap enough for a 2-core server.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

/** argon2 verifications run in this process, the dummy ones included (tests compare the work of sign-in's answers with it). */
export const verificationStats = { count: 0 };

/** Checks a password against an argon2 hash; false for a malformed hash rather than throwing. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  verificationStats.count++;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword('dummy-password-for-timing'));
