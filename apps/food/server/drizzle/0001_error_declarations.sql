CREATE TABLE "food"."event_errors" (
	"hash" text PRIMARY KEY NOT NULL,
	"declaration_time_ms" bigint NOT NULL,
	"reason" text,
	"corrective" jsonb NOT NULL,
	"by" text NOT NULL,
	"height" bigint NOT NULL,
	"event_index" integer NOT NULL,
	"tx_id" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "food"."events" ADD COLUMN "error_declaration" jsonb;--> statement-breakpoint
ALTER TABLE "food"."events" ADD COLUMN "declared_by_capture" text;