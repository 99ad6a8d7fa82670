CREATE TABLE "welfare"."reissue_links" (
	"root" text NOT NULL,
	"position" integer NOT NULL,
	"original_batch" text NOT NULL,
	"original_position" integer NOT NULL,
	CONSTRAINT "reissue_links_root_position_original_batch_original_position_pk" PRIMARY KEY("root","position","original_batch","original_position")
);
--> statement-breakpoint
ALTER TABLE "welfare"."payments" ADD COLUMN "state" text DEFAULT 'sent' NOT NULL;--> statement-breakpoint
ALTER TABLE "welfare"."payments" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "welfare"."payments" ADD COLUMN "outcome_tx_id" text;--> statement-breakpoint
ALTER TABLE "welfare"."payments" ADD COLUMN "outcome_height" integer;--> statement-breakpoint
ALTER TABLE "welfare"."payments" ADD COLUMN "reissue_of_batch" text;--> statement-breakpoint
ALTER TABLE "welfare"."payments" ADD COLUMN "reissue_of_position" integer;--> statement-breakpoint
CREATE INDEX "payments_cycle" ON "welfare"."payments" USING btree ("area","period");