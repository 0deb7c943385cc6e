import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key starts with this, so a leaked one can be recognised by secret scanners (and by people). */
export const API_KEY_SECRET_PREFIX = 'irs_';
/** How many characters of the random part are kept in clear as the key's visible prefix. */
const VISIBLE_RANDOM_CHARS = 8;
const SECRET_BYTES = 32;
/** `irs_` then 32 random bytes in base64url (43 characters, no padding). */
const SECRET_PATTERN = /^irs_[A-Za-z0-9_-]{43}$/;

/** A fresh secret: 256 bits from the operating system's CSPRNG. */
export function generateApiKeySecret(): string {
  return `${API_KEY_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

/** The visible prefix of a well-formed secret (`irs_` and 8 characters), or null for anything that cannot be a key. */
export function visiblePrefixOf(secret: string): string | null {
  return SECRET_PATTERN.test(secret) ? secret.slice(0, API_KEY_SECRET_PREFIX.length + VISIBLE_RANDOM_CHARS) : null;
}

/**
 * SHA-256, hex. Not bcrypt/scrypt/argon2: those slow down guessing of low-entropy passwords, but a key is 256 random
 * bits that no amount of guessing finds, and it is checked on every request, where a deliberately slow hash would
 * only add latency (and a CPU lever for anyone sending bad keys).
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex SHA-256 digests in constant time (equal length by construction). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
