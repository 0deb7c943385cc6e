import { randomBytes } from 'node:crypto';

/** A SKU no other test uses, so tests sharing one database never collide. */
export function uniqueSku(prefix = 'SKU'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
