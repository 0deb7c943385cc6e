ALTER TABLE "inventory_items" ADD COLUMN "stock_buckets" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_stock_buckets_range" CHECK ("inventory_items"."stock_buckets" BETWEEN 1 AND 64);--> statement-breakpoint
CREATE TABLE "inventory_stock_buckets" (
	"sku" varchar(64) NOT NULL,
	"bucket" smallint NOT NULL,
	"available_quantity" integer DEFAULT 0 NOT NULL,
	"reserved_quantity" integer DEFAULT 0 NOT NULL,
	"sold_quantity" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "inventory_stock_buckets_sku_bucket_pk" PRIMARY KEY("sku","bucket"),
	CONSTRAINT "inventory_stock_buckets_bucket_range" CHECK ("inventory_stock_buckets"."bucket" BETWEEN 1 AND 64),
	CONSTRAINT "inventory_stock_buckets_available_non_negative" CHECK ("inventory_stock_buckets"."available_quantity" >= 0),
	CONSTRAINT "inventory_stock_buckets_reserved_non_negative" CHECK ("inventory_stock_buckets"."reserved_quantity" >= 0),
	CONSTRAINT "inventory_stock_buckets_sold_non_negative" CHECK ("inventory_stock_buckets"."sold_quantity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "inventory_stock_buckets" ADD CONSTRAINT "inventory_stock_buckets_sku_inventory_items_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."inventory_items"("sku") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- A SKU's counters: its row's plus its buckets' (none while stock_buckets = 1: no probe then). Same columns, same order
-- as inventory_items, so a statement can return either.
CREATE VIEW "inventory_levels" AS
SELECT i.sku, i.product_name, i.total_quantity,
       i.available_quantity + COALESCE(b.available, 0) AS available_quantity,
       i.reserved_quantity + COALESCE(b.reserved, 0) AS reserved_quantity,
       i.sold_quantity + COALESCE(b.sold, 0) AS sold_quantity,
       i.created_at, i.updated_at, i.max_per_customer, i.low_stock_threshold, i.stock_buckets
FROM inventory_items i
LEFT JOIN LATERAL (
  SELECT sum(s.available_quantity)::integer AS available, sum(s.reserved_quantity)::integer AS reserved,
         sum(s.sold_quantity)::integer AS sold
  FROM inventory_stock_buckets s
  WHERE s.sku = i.sku AND i.stock_buckets > 1
) b ON true;--> statement-breakpoint
-- The set-returning ones say ROWS 1 (they return one SKU's levels): the default estimate of 1000 rows inflated the
-- reserve statement's cost past jit_above_cost, and JIT compiling took longer than the statement.
-- The bucket functions are VOLATILE plpgsql: each of their queries takes a new snapshot (READ COMMITTED), so after a
-- lock is granted they read the latest rows, including bucket rows a rebalance created after the calling statement
-- began. Lock order, everywhere: a SKU's inventory_items row first, then its bucket rows by bucket number; SKUs in
-- SKU byte order. The one exception, the SKIP LOCKED pick of inventory_bucket_reserve, never waits for a row lock;
-- holding its bucket, that reserve then inserts its hold's line, whose foreign key takes FOR KEY SHARE on the item
-- row: so every item row lock taken before bucket locks is FOR NO KEY UPDATE (which does not conflict with it), never
-- FOR UPDATE, else that reserve and a waiter for its bucket would deadlock.

-- Takes `quantity` available units into reserved across the SKU's buckets, lowest bucket first, if their sum has them.
-- The caller holds the SKU's inventory_items row lock. False (nothing moved) when the buckets are short.
CREATE FUNCTION inventory_bucket_take(p_sku varchar, p_quantity integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_left integer := p_quantity;
  v_take integer;
  v_row record;
BEGIN
  PERFORM 1 FROM inventory_stock_buckets WHERE sku = p_sku ORDER BY bucket FOR UPDATE;
  IF (SELECT COALESCE(sum(available_quantity), 0) FROM inventory_stock_buckets WHERE sku = p_sku) < p_quantity THEN
    RETURN false;
  END IF;
  FOR v_row IN SELECT bucket, available_quantity FROM inventory_stock_buckets
               WHERE sku = p_sku AND available_quantity > 0 ORDER BY bucket LOOP
    v_take := least(v_row.available_quantity, v_left);
    UPDATE inventory_stock_buckets
    SET available_quantity = available_quantity - v_take, reserved_quantity = reserved_quantity + v_take
    WHERE sku = p_sku AND bucket = v_row.bucket;
    v_left := v_left - v_take;
    EXIT WHEN v_left = 0;
  END LOOP;
  RETURN true;
END
$$;--> statement-breakpoint
-- The reserve of one line of an uncapped bucketed SKU. Fast: one bucket with enough units that no one holds locked
-- (FOR UPDATE SKIP LOCKED, starting at a random bucket), without touching the item row. Slow (no such bucket): wait
-- for the item row, then every bucket, and take across several buckets if their sum has the units, so the last unit
-- is always sellable. Returns the SKU's levels after the change, or no row when nothing moved.
CREATE FUNCTION inventory_bucket_reserve(p_sku varchar, p_quantity integer) RETURNS SETOF inventory_levels
LANGUAGE plpgsql VOLATILE ROWS 1 AS $$
DECLARE
  v_start integer := floor(random() * 64)::integer;
  v_bucket smallint;
  v_buckets smallint;
BEGIN
  SELECT bucket INTO v_bucket FROM inventory_stock_buckets
  WHERE sku = p_sku AND available_quantity >= p_quantity
  ORDER BY (bucket + v_start) % 64
  LIMIT 1
  FOR UPDATE SKIP LOCKED;
  IF FOUND THEN
    UPDATE inventory_stock_buckets
    SET available_quantity = available_quantity - p_quantity, reserved_quantity = reserved_quantity + p_quantity
    WHERE sku = p_sku AND bucket = v_bucket;
    RETURN QUERY SELECT * FROM inventory_levels WHERE sku = p_sku;
    RETURN;
  END IF;
  SELECT stock_buckets INTO v_buckets FROM inventory_items WHERE sku = p_sku AND max_per_customer IS NULL FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF v_buckets = 1 THEN
    -- Rebalanced to one row meanwhile: the item row holds the stock again.
    UPDATE inventory_items
    SET available_quantity = available_quantity - p_quantity, reserved_quantity = reserved_quantity + p_quantity
    WHERE sku = p_sku AND available_quantity >= p_quantity;
  ELSIF NOT inventory_bucket_take(p_sku, p_quantity) THEN
    RETURN;
  END IF;
  IF v_buckets > 1 OR FOUND THEN
    RETURN QUERY SELECT * FROM inventory_levels WHERE sku = p_sku;
  END IF;
END
$$;--> statement-breakpoint
-- Moves `quantity` reserved units of a bucketed SKU to sold (p_sold) or back to available, lowest bucket first
-- (reserved units are interchangeable: a hold does not own particular buckets). The caller holds the item row lock.
-- Raises when the buckets hold fewer reserved units: the statement then fails whole instead of losing units.
CREATE FUNCTION inventory_bucket_return(p_sku varchar, p_quantity integer, p_sold boolean) RETURNS SETOF inventory_levels
LANGUAGE plpgsql VOLATILE ROWS 1 AS $$
DECLARE
  v_left integer := p_quantity;
  v_take integer;
  v_row record;
BEGIN
  PERFORM 1 FROM inventory_stock_buckets WHERE sku = p_sku ORDER BY bucket FOR UPDATE;
  FOR v_row IN SELECT bucket, reserved_quantity FROM inventory_stock_buckets
               WHERE sku = p_sku AND reserved_quantity > 0 ORDER BY bucket LOOP
    EXIT WHEN v_left = 0;
    v_take := least(v_row.reserved_quantity, v_left);
    UPDATE inventory_stock_buckets
    SET reserved_quantity = reserved_quantity - v_take,
        available_quantity = available_quantity + CASE WHEN p_sold THEN 0 ELSE v_take END,
        sold_quantity = sold_quantity + CASE WHEN p_sold THEN v_take ELSE 0 END
    WHERE sku = p_sku AND bucket = v_row.bucket;
    v_left := v_left - v_take;
  END LOOP;
  IF v_left > 0 THEN
    RAISE EXCEPTION 'stock buckets of % hold % reserved units fewer than returned', p_sku, v_left;
  END IF;
  RETURN QUERY SELECT * FROM inventory_levels WHERE sku = p_sku;
END
$$;--> statement-breakpoint
-- Spreads a SKU's counters over p_buckets rows (NULL: its stock_buckets): 1 moves everything onto the item row and
-- deletes the buckets; N > 1 empties the item row's counters into buckets 1..N, each counter split evenly (the first
-- buckets take the remainder). The caller holds the item row lock; the totals never change.
CREATE FUNCTION inventory_spread(p_sku varchar, p_buckets smallint) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_n integer;
  v_levels record;
BEGIN
  SELECT COALESCE(p_buckets, stock_buckets) INTO v_n FROM inventory_items WHERE sku = p_sku;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM 1 FROM inventory_stock_buckets WHERE sku = p_sku ORDER BY bucket FOR UPDATE;
  SELECT i.available_quantity + COALESCE(sum(b.available_quantity), 0) AS available,
         i.reserved_quantity + COALESCE(sum(b.reserved_quantity), 0) AS reserved,
         i.sold_quantity + COALESCE(sum(b.sold_quantity), 0) AS sold
  INTO v_levels
  FROM inventory_items i LEFT JOIN inventory_stock_buckets b ON b.sku = i.sku
  WHERE i.sku = p_sku
  GROUP BY i.sku;
  IF v_n = 1 THEN
    DELETE FROM inventory_stock_buckets WHERE sku = p_sku;
    UPDATE inventory_items
    SET available_quantity = v_levels.available, reserved_quantity = v_levels.reserved, sold_quantity = v_levels.sold
    WHERE sku = p_sku;
    RETURN;
  END IF;
  DELETE FROM inventory_stock_buckets WHERE sku = p_sku AND bucket > v_n;
  UPDATE inventory_items SET available_quantity = 0, reserved_quantity = 0, sold_quantity = 0 WHERE sku = p_sku;
  INSERT INTO inventory_stock_buckets (sku, bucket, available_quantity, reserved_quantity, sold_quantity)
  SELECT p_sku, k, v_levels.available / v_n + (k <= v_levels.available % v_n)::integer,
         v_levels.reserved / v_n + (k <= v_levels.reserved % v_n)::integer,
         v_levels.sold / v_n + (k <= v_levels.sold % v_n)::integer
  FROM generate_series(1, v_n) AS k
  ON CONFLICT (sku, bucket) DO UPDATE
  SET available_quantity = EXCLUDED.available_quantity, reserved_quantity = EXCLUDED.reserved_quantity,
      sold_quantity = EXCLUDED.sold_quantity;
END
$$;
