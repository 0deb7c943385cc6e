CREATE TABLE "inventory_items" (
	"sku" varchar(64) PRIMARY KEY NOT NULL,
	"product_name" text NOT NULL,
	"total_quantity" integer NOT NULL,
	"available_quantity" integer NOT NULL,
	"reserved_quantity" integer DEFAULT 0 NOT NULL,
	"sold_quantity" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_total_non_negative" CHECK ("inventory_items"."total_quantity" >= 0),
	CONSTRAINT "inventory_available_non_negative" CHECK ("inventory_items"."available_quantity" >= 0),
	CONSTRAINT "inventory_reserved_non_negative" CHECK ("inventory_items"."reserved_quantity" >= 0),
	CONSTRAINT "inventory_sold_non_negative" CHECK ("inventory_items"."sold_quantity" >= 0),
	CONSTRAINT "inventory_within_total" CHECK ("inventory_items"."available_quantity"::bigint + "inventory_items"."reserved_quantity" + "inventory_items"."sold_quantity" <= "inventory_items"."total_quantity")
);
--> statement-breakpoint
CREATE INDEX "inventory_items_created_at_idx" ON "inventory_items" USING btree ("created_at");