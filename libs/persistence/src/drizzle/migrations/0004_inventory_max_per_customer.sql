ALTER TABLE "inventory_items" ADD COLUMN "max_per_customer" integer;--> statement-breakpoint
CREATE INDEX "reservations_sku_user_active_idx" ON "reservations" USING btree ("sku","user_id") WHERE "reservations"."status" = 'RESERVED';--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_max_per_customer_positive" CHECK ("inventory_items"."max_per_customer" > 0);