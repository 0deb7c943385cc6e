CREATE TABLE "idempotency_records" (
	"scope" varchar(64) NOT NULL,
	"key" varchar(255) NOT NULL,
	"fingerprint" varchar(64) NOT NULL,
	"token" uuid NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "idempotency_records_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sku" varchar(64) NOT NULL,
	"user_id" varchar(128) NOT NULL,
	"quantity" integer NOT NULL,
	"status" varchar(16) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"idempotency_key" varchar(255) NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "reservations_quantity_positive" CHECK ("reservations"."quantity" > 0),
	CONSTRAINT "reservations_status_known" CHECK ("reservations"."status" IN ('RESERVED', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
	CONSTRAINT "reservations_finished_when_not_reserved" CHECK (("reservations"."status" = 'RESERVED') = ("reservations"."finished_at" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_sku_inventory_items_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."inventory_items"("sku") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_records_created_at_idx" ON "idempotency_records" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reservations_idempotency_key_unique" ON "reservations" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "reservations_due_idx" ON "reservations" USING btree ("expires_at") WHERE "reservations"."status" = 'RESERVED';--> statement-breakpoint
CREATE INDEX "reservations_finished_idx" ON "reservations" USING btree ("finished_at") WHERE "reservations"."finished_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "reservations_sku_status_idx" ON "reservations" USING btree ("sku","status");