import { hash, verify } from '@node-rs/argon2';
import { randomToken } from '../crypto.ts';

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1): strong, yet a login stays well under 100 ms here.
// algorithm 2 is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing, verified when an email is unknown so that response time does not tell. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> => {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
};

/** A password to print once: 24 characters of base64url (~144 bits). */
export const generatePassword = (): string => randomToken(18);
