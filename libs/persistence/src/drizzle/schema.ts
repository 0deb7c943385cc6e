import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';

/** Stock rules are enforced here too, so no code path (or hand-written SQL) can break them. */
export const inventoryItems = pgTable(
  'inventory_items',
  {
    sku: varchar('sku', { length: 64 }).primaryKey(),
    productName: text('product_name').notNull(),
    totalQuantity: integer('total_quantity').notNull(),
    availableQuantity: integer('available_quantity').notNull(),
    reservedQuantity: integer('reserved_quantity').notNull().default(0),
    soldQuantity: integer('sold_quantity').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('inventory_total_non_negative', sql`${t.totalQuantity} >= 0`),
    check('inventory_available_non_negative', sql`${t.availableQuantity} >= 0`),
    check('inventory_reserved_non_negative', sql`${t.reservedQuantity} >= 0`),
    check('inventory_sold_non_negative', sql`${t.soldQuantity} >= 0`),
    check(
      'inventory_within_total',
      sql`${t.availableQuantity}::bigint + ${t.reservedQuantity} + ${t.soldQuantity} <= ${t.totalQuantity}`,
    ),
    index('inventory_items_created_at_idx').on(t.createdAt),
  ],
);

export const schema = { inventoryItems };
export type InventoryRow = typeof inventoryItems.$inferSelect;
