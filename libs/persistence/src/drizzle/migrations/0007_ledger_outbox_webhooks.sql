CREATE TABLE "outbox_events" (
	"sequence" bigserial PRIMARY KEY NOT NULL,
	"id" uuid GENERATED ALWAYS AS ((payload ->> 'id')::uuid) STORED NOT NULL,
	"type" varchar(32) NOT NULL,
	"ordering_key" varchar(128) NOT NULL,
	"payload" jsonb NOT NULL,
	"tx_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "outbox_events_type_known" CHECK ("outbox_events"."type" IN ('reservation.created', 'reservation.extended', 'reservation.released', 'reservation.confirmed', 'reservation.cancelled', 'reservation.expired', 'inventory.created', 'inventory.updated', 'inventory.deleted', 'inventory.low_stock', 'inventory.out_of_stock', 'inventory.back_in_stock'))
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sku" varchar(64) NOT NULL,
	"type" varchar(16) NOT NULL,
	"available_delta" integer NOT NULL,
	"reserved_delta" integer NOT NULL,
	"sold_delta" integer NOT NULL,
	"total_delta" integer NOT NULL,
	"reservation_id" uuid,
	"reason" varchar(500),
	"actor" varchar(64),
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_movements_type_known" CHECK ("stock_movements"."type" IN ('opening', 'created', 'adjusted', 'reserved', 'released', 'cancelled', 'expired', 'confirmed', 'deleted'))
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" varchar(32) NOT NULL,
	"attempt" integer NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"next_retry_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" varchar(32) NOT NULL,
	"ordering_key" varchar(128) NOT NULL,
	"event_sequence" bigint NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"lease_token" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_status_known" CHECK ("webhook_deliveries"."status" IN ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"url" varchar(2048) NOT NULL,
	"events" text[] NOT NULL,
	"description" varchar(500),
	"secret" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_fanout_cursor" (
	"id" integer PRIMARY KEY NOT NULL,
	"tx_id" "xid8" NOT NULL,
	"sequence" bigint NOT NULL,
	CONSTRAINT "webhook_fanout_cursor_single_row" CHECK ("webhook_fanout_cursor"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "inventory_items" ADD COLUMN "low_stock_threshold" integer;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_events_id_unique" ON "outbox_events" USING btree ("id");--> statement-breakpoint
CREATE INDEX "outbox_events_tx_sequence_idx" ON "outbox_events" USING btree ("tx_id","sequence");--> statement-breakpoint
CREATE INDEX "stock_movements_sku_id_idx" ON "stock_movements" USING btree ("sku","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_attempts_endpoint_idx" ON "webhook_attempts" USING btree ("endpoint_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event_unique" ON "webhook_deliveries" USING btree ("endpoint_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_order_idx" ON "webhook_deliveries" USING btree ("endpoint_id","ordering_key","event_sequence") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_low_stock_threshold_positive" CHECK ("inventory_items"."low_stock_threshold" > 0);--> statement-breakpoint
-- Hand-written: one opening movement per existing SKU brings its ledger to today's counters (SKU byte order).
INSERT INTO "stock_movements" ("sku", "type", "available_delta", "reserved_delta", "sold_delta", "total_delta", "at")
SELECT "sku", 'opening', "available_quantity", "reserved_quantity", "sold_quantity", "total_quantity", now()
FROM "inventory_items" ORDER BY "sku" COLLATE "C";--> statement-breakpoint
-- Hand-written: the fan-out cursor's single row, before the first event.
INSERT INTO "webhook_fanout_cursor" ("id", "tx_id", "sequence") VALUES (1, '0', 0);
