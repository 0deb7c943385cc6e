import { HoldListFilter, HoldListPosition } from '@app/core';
import { sql, SQL } from 'drizzle-orm';
import { holdItems } from './drizzle-hold-statements';
import { isoTimestamp } from './drizzle-mappers';

/**
 * The admin's hold list in one statement, newest first. Indexes: the order and the cursor walk
 * reservations_created_idx (created_at DESC, id DESC); `userId` reservations_user_created_idx (user_id, created_at
 * DESC, id DESC); `sku` reservation_lines_sku_idx, then the holds by primary key; `expiringBy` and status RESERVED
 * the partial reservations_due_idx (expires_at, RESERVED only). Each hold's lines come from the lines' primary key.
 */
export function holdListQuery(filter: HoldListFilter, limit: number, after: HoldListPosition | null): SQL {
  const conditions = [...statusConditions(filter), ...otherConditions(filter)];
  if (after) {
    conditions.push(sql`(r.created_at, r.id) < (${isoTimestamp(after.createdAt)}::timestamptz, ${after.id}::uuid)`);
  }
  const where = conditions.length === 0 ? sql`` : sql`WHERE ${sql.join(conditions, sql` AND `)}`;
  return sql`
    SELECT r.*, ${holdItems(sql`r.id`)} AS items FROM reservations r
    ${where}
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT ${limit}::integer`;
}

/** The status shown at `now`: a RESERVED hold already due is shown (and listed) as EXPIRED. */
function statusConditions({ status, now }: HoldListFilter): SQL[] {
  const at = sql`${isoTimestamp(now)}::timestamptz`;
  switch (status) {
    case undefined:
      return [];
    case 'RESERVED':
      return [sql`r.status = 'RESERVED'`, sql`r.expires_at > ${at}`];
    case 'EXPIRED':
      return [sql`(r.status = 'EXPIRED' OR (r.status = 'RESERVED' AND r.expires_at <= ${at}))`];
    default:
      return [sql`r.status = ${status}`];
  }
}

function otherConditions({ sku, userId, expiringBy, now }: HoldListFilter): SQL[] {
  const conditions: SQL[] = [];
  if (userId !== undefined) conditions.push(sql`r.user_id = ${userId}`);
  if (sku !== undefined) conditions.push(sql`r.id IN (SELECT l.reservation_id FROM reservation_lines l WHERE l.sku = ${sku})`);
  if (expiringBy !== undefined) {
    conditions.push(
      sql`r.status = 'RESERVED'`,
      sql`r.expires_at > ${isoTimestamp(now)}::timestamptz`,
      sql`r.expires_at <= ${isoTimestamp(expiringBy)}::timestamptz`,
    );
  }
  return conditions;
}
