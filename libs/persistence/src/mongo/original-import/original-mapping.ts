import { ANONYMOUS_CLIENT_ID, brokenStockRule, MAX_QUANTITY, PRODUCT_NAME_MAX_LENGTH, SKU_PATTERN, unitsOfSku } from '@app/core';
import { createHash } from 'node:crypto';
import { InventoryDocument, ReservationDocument } from '../mongo-documents';

/**
 * The original service's documents (mongoose defaults: `inventories` and `reservations`, `_id` an ObjectId, `sku` a
 * field), read as loosely as they may have been written: every field is checked before it is copied.
 */
export interface OriginalItem {
  _id: unknown;
  sku?: unknown;
  productName?: unknown;
  totalQuantity?: unknown;
  availableQuantity?: unknown;
  soldQuantity?: unknown;
  createdAt?: unknown;
  updatedAt?: unknown;
}

export interface OriginalHold {
  _id: unknown;
  sku?: unknown;
  userId?: unknown;
  quantity?: unknown;
  status?: unknown;
  expiresAt?: unknown;
  idempotencyKey?: unknown;
  createdAt?: unknown;
}

/** One SKU to import: the item and its active holds, written together in one transaction. */
export interface ImportedSku {
  item: InventoryDocument;
  holds: ReservationDocument[];
}

export interface ImportPlan {
  skus: ImportedSku[];
  /** What is not copied, and why (shown to the operator). */
  skipped: { what: string; reason: string }[];
}

const wholeQuantity = (value: unknown, minimum: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= MAX_QUANTITY;
const dateOr = (value: unknown, fallback: Date): Date => (value instanceof Date && !Number.isNaN(value.getTime()) ? value : fallback);
/** A string, or an ObjectId's hex form (its toString). */
// eslint-disable-next-line @typescript-eslint/no-base-to-string
const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/**
 * A hold's id in this service: a name-based UUID (RFC 4122 version 5, SHA-1) of the original's ObjectId, so running
 * the import again yields the same ids, and the API, which accepts UUIDs only, can address the hold.
 */
export function importedHoldId(originalId: unknown): string {
  const bytes = createHash('sha1')
    .update(`original-reservation:${text(originalId)}`)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Maps the original's items and holds to ours, as of `now`. Only active holds are copied (status RESERVED in any
 * letter case, expiring after `now`), with their expiry, as RESERVED one-line holds of this service; an item's reservedQuantity
 * is the sum of its copied holds, and the units of holds that were still RESERVED but already due go back to
 * available, as this service's expiry would do. An item or hold that breaks this service's rules is skipped and named.
 */
export function planOriginalImport(items: OriginalItem[], holds: OriginalHold[], now: Date): ImportPlan {
  const skipped: ImportPlan['skipped'] = [];
  const holdsBySku = new Map<string, { active: ReservationDocument[]; dueUnits: number }>();
  for (const hold of holds) {
    const what = `reservation ${text(hold._id)}`;
    if (String(hold.status).toUpperCase() !== 'RESERVED') continue; // finished: nothing to hold
    if (typeof hold.sku !== 'string' || !wholeQuantity(hold.quantity, 1) || !(hold.expiresAt instanceof Date)) {
      skipped.push({ what, reason: 'needs a string sku, a whole quantity of at least 1 and an expiresAt date' });
      continue;
    }
    const entry = holdsBySku.get(hold.sku) ?? { active: [], dueUnits: 0 };
    holdsBySku.set(hold.sku, entry);
    if (hold.expiresAt.getTime() <= now.getTime()) {
      entry.dueUnits += hold.quantity;
      continue;
    }
    entry.active.push({
      _id: importedHoldId(hold._id),
      items: [{ sku: hold.sku, quantity: hold.quantity }],
      userId: text(hold.userId) || 'unknown',
      status: 'RESERVED',
      expiresAt: hold.expiresAt,
      clientId: ANONYMOUS_CLIENT_ID,
      idempotencyKey: typeof hold.idempotencyKey === 'string' && hold.idempotencyKey ? hold.idempotencyKey : `original:${text(hold._id)}`,
      createdAt: dateOr(hold.createdAt, now),
      finishedAt: null,
      purgeAt: null,
    });
  }

  const skus: ImportedSku[] = [];
  const seen = new Set<string>();
  for (const original of items) {
    const what = `item ${typeof original.sku === 'string' ? `'${original.sku}'` : text(original._id)}`;
    const { sku, productName, totalQuantity, availableQuantity } = original;
    const soldQuantity = original.soldQuantity ?? 0;
    if (typeof sku !== 'string' || !SKU_PATTERN.test(sku)) {
      skipped.push({ what, reason: 'its sku is not a valid SKU (1-64 letters, digits, ".", "_", "-")' });
      continue;
    }
    if (seen.has(sku)) {
      skipped.push({ what, reason: 'a second item with the same sku' });
      continue;
    }
    if (typeof productName !== 'string' || !productName.trim() || productName.length > PRODUCT_NAME_MAX_LENGTH) {
      skipped.push({ what, reason: `its productName is not 1-${PRODUCT_NAME_MAX_LENGTH} characters of text` });
      continue;
    }
    if (!wholeQuantity(totalQuantity, 0) || !wholeQuantity(availableQuantity, 0) || !wholeQuantity(soldQuantity, 0)) {
      skipped.push({ what, reason: `its quantities are not whole numbers from 0 to ${MAX_QUANTITY}` });
      continue;
    }
    const { active = [], dueUnits = 0 } = holdsBySku.get(sku) ?? {};
    const levels = {
      totalQuantity,
      availableQuantity: availableQuantity + dueUnits,
      reservedQuantity: active.reduce((sum, hold) => sum + unitsOfSku(hold.items, sku), 0),
      soldQuantity,
    };
    const broken = brokenStockRule(levels);
    if (broken) {
      skipped.push({ what, reason: `${broken}, counting its active holds as reserved and its due holds as available` });
      continue;
    }
    seen.add(sku);
    const createdAt = dateOr(original.createdAt, now);
    skus.push({ item: { _id: sku, productName, ...levels, createdAt, updatedAt: dateOr(original.updatedAt, createdAt) }, holds: active });
  }
  for (const [sku, { active }] of holdsBySku) {
    if (!seen.has(sku))
      for (const hold of active)
        skipped.push({ what: `reservation of '${sku}' (${hold.idempotencyKey})`, reason: 'its item is not imported' });
  }
  return { skus, skipped };
}
