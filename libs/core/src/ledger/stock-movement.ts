import { StockLevels } from '../inventory/stock-rules';

/**
 * Why a SKU's counters changed. `opening` brings the ledger of a SKU that existed before the ledger to its counters
 * (written once, by the migration).
 */
export const MOVEMENT_TYPES = [
  'opening',
  'created',
  'adjusted',
  'reserved',
  'released',
  'cancelled',
  'expired',
  'confirmed',
  'deleted',
] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/**
 * One change of one SKU's counters, appended in the same statement or transaction as the change itself. For every
 * SKU the sums of the deltas equal the counters. A hold's change of several SKUs appends one movement per SKU.
 */
export interface StockMovement {
  /** Increases with every movement of the SKU, in the order the changes were made. */
  id: number;
  sku: string;
  type: MovementType;
  availableDelta: number;
  reservedDelta: number;
  soldDelta: number;
  totalDelta: number;
  reservationId: string | null;
  reason: string | null;
  /** The API key id of whoever made the change; null for anonymous callers and for the service itself (expiry). */
  actor: string | null;
  at: Date;
}

export const MOVEMENT_REASON_MAX_LENGTH = 500;

/** Who made a change, and why (an admin's adjustment may say). */
export interface ChangeContext {
  actor: string | null;
  reason?: string | null;
}

export const SYSTEM_CHANGE: ChangeContext = { actor: null };

/** The sums of a SKU's movement deltas: what its counters must be. */
export type LedgerSums = StockLevels;

export function ledgerSumsOf(
  movements: readonly Pick<StockMovement, 'availableDelta' | 'reservedDelta' | 'soldDelta' | 'totalDelta'>[],
): LedgerSums {
  return movements.reduce(
    (sums, m) => ({
      totalQuantity: sums.totalQuantity + m.totalDelta,
      availableQuantity: sums.availableQuantity + m.availableDelta,
      reservedQuantity: sums.reservedQuantity + m.reservedDelta,
      soldQuantity: sums.soldQuantity + m.soldDelta,
    }),
    { totalQuantity: 0, availableQuantity: 0, reservedQuantity: 0, soldQuantity: 0 },
  );
}

/** The deltas that take `before` to `after` (an admin adjustment, a creation from zero, a deletion to zero). */
export function deltasBetween(before: StockLevels, after: StockLevels) {
  return {
    availableDelta: after.availableQuantity - before.availableQuantity,
    reservedDelta: after.reservedQuantity - before.reservedQuantity,
    soldDelta: after.soldQuantity - before.soldQuantity,
    totalDelta: after.totalQuantity - before.totalQuantity,
  };
}

export const NO_STOCK: StockLevels = { totalQuantity: 0, availableQuantity: 0, reservedQuantity: 0, soldQuantity: 0 };
