CREATE TABLE "reservation_lines" (
	"reservation_id" uuid NOT NULL,
	"sku" varchar(64) NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "reservation_lines_reservation_id_sku_pk" PRIMARY KEY("reservation_id","sku"),
	CONSTRAINT "reservation_lines_quantity_positive" CHECK ("reservation_lines"."quantity" > 0)
);
--> statement-breakpoint
-- Hand-written: every existing hold (any status) becomes a one-line hold with the same id, before its columns go.
INSERT INTO "reservation_lines" ("reservation_id", "sku", "quantity") SELECT "id", "sku", "quantity" FROM "reservations";--> statement-breakpoint
ALTER TABLE "reservation_lines" ADD CONSTRAINT "reservation_lines_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."reservations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservation_lines" ADD CONSTRAINT "reservation_lines_sku_inventory_items_sku_fk" FOREIGN KEY ("sku") REFERENCES "public"."inventory_items"("sku") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reservation_lines_sku_idx" ON "reservation_lines" USING btree ("sku");--> statement-breakpoint
ALTER TABLE "reservations" DROP CONSTRAINT "reservations_quantity_positive";--> statement-breakpoint
ALTER TABLE "reservations" DROP CONSTRAINT "reservations_sku_inventory_items_sku_fk";--> statement-breakpoint
DROP INDEX "reservations_sku_status_idx";--> statement-breakpoint
DROP INDEX "reservations_sku_due_idx";--> statement-breakpoint
DROP INDEX "reservations_sku_user_active_idx";--> statement-breakpoint
CREATE INDEX "reservations_user_active_idx" ON "reservations" USING btree ("user_id") WHERE "reservations"."status" = 'RESERVED';--> statement-breakpoint
ALTER TABLE "reservations" DROP COLUMN "sku";--> statement-breakpoint
ALTER TABLE "reservations" DROP COLUMN "quantity";
