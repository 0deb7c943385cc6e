import { InvalidCursorError } from '../errors/domain-error';
import { HoldListPosition } from './hold-list';

const CURSOR = /^h:(\d{1,15}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The opaque cursor of the admin hold list: the last hold's createdAt (ms) and id. */
export function encodeHoldListCursor(position: HoldListPosition): string {
  return Buffer.from(`h:${position.createdAt.getTime()}:${position.id}`).toString('base64url');
}

/** The position a cursor of encodeHoldListCursor names; InvalidCursorError for anything else. */
export function decodeHoldListCursor(cursor: string): HoldListPosition {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || encodeHoldListCursor({ createdAt: new Date(Number(match[1])), id: match[2] }) !== cursor) {
    throw new InvalidCursorError(cursor);
  }
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}
