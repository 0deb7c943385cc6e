import { HoldListFilter, HoldListPosition } from '@app/core';
import type { mongo } from 'mongoose';
import { ReservationDocument } from './mongo-documents';

type HoldFilter = mongo.Filter<ReservationDocument>;

/** The admin list's order; reservations_created (and reservations_user_created for a customer) give it without a sort. */
export const HOLD_LIST_SORT = { createdAt: -1, _id: -1 } as const;

/**
 * The admin's hold list as one find filter (sorted by HOLD_LIST_SORT). Indexes: reservations_created (createdAt -1,
 * _id -1) for the order and the cursor; reservations_user_created for `userId`; the multikey reservations_line_sku_status
 * for `sku`; the partial reservations_due (RESERVED only) for `expiringBy` and status RESERVED.
 */
export function holdListFilter(filter: HoldListFilter, after: HoldListPosition | null): HoldFilter {
  const clauses: HoldFilter[] = [...statusClauses(filter), ...otherClauses(filter)];
  if (after) {
    clauses.push({ $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] });
  }
  if (clauses.length === 0) return {};
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}

/** The status shown at `now`: a RESERVED hold already due is shown (and listed) as EXPIRED. */
function statusClauses({ status, now }: HoldListFilter): HoldFilter[] {
  switch (status) {
    case undefined:
      return [];
    case 'RESERVED':
      return [{ status: 'RESERVED', expiresAt: { $gt: now } }];
    case 'EXPIRED':
      return [{ $or: [{ status: 'EXPIRED' }, { status: 'RESERVED', expiresAt: { $lte: now } }] }];
    default:
      return [{ status }];
  }
}

function otherClauses({ sku, userId, expiringBy, now }: HoldListFilter): HoldFilter[] {
  const clauses: HoldFilter[] = [];
  if (userId !== undefined) clauses.push({ userId });
  if (sku !== undefined) clauses.push({ 'items.sku': sku });
  if (expiringBy !== undefined) clauses.push({ status: 'RESERVED', expiresAt: { $gt: now, $lte: expiringBy } });
  return clauses;
}
